import Foundation
import Testing

/// Runs every case of `../shared/conformance/evaluator-dev.jsonl` through `policyprover simulate`, the
/// way an external harness does: policies and the request written to files, flags as DESIGN.md says.
enum ConformanceCorpusFile {
    static let url = PolicyProverBinary.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance/evaluator-dev.jsonl")
    static var isPresent: Bool { FileManager.default.fileExists(atPath: url.path) }
}

@Suite("Conformance through the binary", .enabled(if: ConformanceCorpusFile.isPresent, "../shared/conformance is absent: skipped"))
struct ConformanceThroughBinaryTests {
    static let corpus = ConformanceCorpusFile.url

    @Test func everyCaseAgrees() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("policyprover-conformance-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let lines = try String(contentsOf: Self.corpus, encoding: .utf8).split(separator: "\n")
        var disagreements: [String] = []
        for (index, line) in lines.enumerated() {
            let testCase = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            var counter = 0
            func write(_ object: Any) throws -> String {
                counter += 1
                let url = directory.appendingPathComponent("case\(index)-\(counter).json")
                try JSONSerialization.data(withJSONObject: object).write(to: url)
                return url.path
            }
            var arguments = ["simulate", "--format", "json", "--request", try write(testCase["request"]!)]
            for policy in testCase["identityPolicies"] as? [Any] ?? [] { arguments += ["--identity-policy", try write(policy)] }
            for (flag, key) in [("--resource-policy", "resourcePolicy"), ("--permissions-boundary", "permissionsBoundary"), ("--session-policy", "sessionPolicy"), ("--vpc-endpoint-policy", "vpcEndpointPolicy")] {
                if let policy = testCase[key], !(policy is NSNull) { arguments += [flag, try write(policy)] }
            }
            for (flag, key) in [("--scp-level", "scps"), ("--rcp-level", "rcps")] {
                for level in testCase[key] as? [[Any]] ?? [] {
                    arguments += [flag, try level.map { try write($0) }.joined(separator: ",")]
                }
            }
            let output = try PolicyProverBinary.run(arguments)
            let decision = (try? JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])?["decision"] as? String
            if decision != testCase["expected"] as? String {
                disagreements.append("\(testCase["id"] ?? index): expected \(testCase["expected"] ?? "?"), got \(decision ?? "no decision: \(output.stderr.prefix(300))")")
            }
        }
        #expect(lines.count == 126)
        #expect(disagreements.isEmpty, "\(disagreements.count) disagree:\n\(disagreements.joined(separator: "\n"))")
    }
}
