import Foundation
import PolicyVerifier
import Synchronization
import Testing
@testable import PolicyAudit

@Suite struct AuditRunTests {
    private func tree(count: Int) throws -> [String] {
        let root = NSTemporaryDirectory() + "audit-run-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return try (0..<count).map { index in
            let path = "\(root)/p\(index).json"
            let principal = index % 3 == 0 ? #""Principal": "*","# : ""
            try #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", \#(principal) "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b\#(index)/*"}]}"#
                .write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    @Test func recordsKeepTheInputOrderWhateverTheWorkers() throws {
        let paths = try tree(count: 12)
        let checks = AuditChecks(prover: Prover(timeout: .seconds(20)))
        let one = AuditRun(paths: paths, checks: checks, cache: nil, jobs: 1).run().records
        let four = AuditRun(paths: paths, checks: checks, cache: nil, jobs: 4).run().records
        #expect(one.map(\.path) == paths)
        #expect(one == four)
        // Every third policy is public; the others name no callers or are identity policies.
        for (index, record) in one.enumerated() {
            let publicCheck = record.policies.first?.checks.first { $0.id == "no-public-access" }
            #expect((publicCheck?.outcome == .fail) == (index % 3 == 0), "\(record.path)")
        }
    }

    @Test func progressCountsEveryFileAndTheCachedOnes() throws {
        let paths = try tree(count: 6)
        let cache = ResultCache(directory: NSTemporaryDirectory() + "audit-run-cache-\(UUID().uuidString)", configuration: "x")
        let checks = AuditChecks(prover: Prover(timeout: .seconds(20)))
        let seen = Mutex<[Int]>([])
        let first = AuditRun(paths: paths, checks: checks, cache: cache, jobs: 2).run { progress in seen.withLock { $0.append(progress.done) } }
        #expect(first.cached == 0)
        #expect(seen.withLock { $0 } == Array(1...6))
        let second = AuditRun(paths: paths, checks: checks, cache: cache, jobs: 2).run()
        #expect(second.cached == 6)
        #expect(second.records == first.records)
    }
}
