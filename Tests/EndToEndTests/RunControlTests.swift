import Foundation
import Testing

/// A run's deadline, Z3's memory limit, a stop by Ctrl-C or SIGTERM, and files the user may not read,
/// through the real binary: each ends in a clear UNKNOWN or error for what it touched, never a PASS for
/// what was not proved, and the rest of the run goes on.
@Suite("Deadlines, memory, interruption and unreadable files (real binary)")
struct RunControlTests {
    /// `count` distinct identity policies (distinct content hashes), each with a privilege escalation
    /// (iam:PassRole with ec2:RunInstances): every proof of them is a FAIL or UNKNOWN, never a PASS.
    private func escalatingPolicies(_ count: Int) throws -> String {
        let directory = NSTemporaryDirectory() + "policyprover-run-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for index in 0..<count {
            let policy = #"{"Version":"2012-10-17","Statement":[{"Sid":"S\#(index)","Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances","s3:GetObject","iam:CreateAccessKey"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-\#(index)"}}}]}"#
            try policy.write(toFile: "\(directory)/policy-\(String(format: "%03d", index)).json", atomically: true, encoding: .utf8)
        }
        return directory
    }

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text.prefix(400))")
    }

    private func files(_ report: [String: Any]) -> [[String: Any]] { report["files"] as? [[String: Any]] ?? [] }

    private func checks(_ file: [String: Any]) -> [[String: Any]] {
        (file["policies"] as? [[String: Any]] ?? []).flatMap { $0["checks"] as? [[String: Any]] ?? [] }
    }

    /// The report without its run time, for comparing runs.
    private func comparable(_ text: String) throws -> NSDictionary {
        var object = try json(text)
        object["seconds"] = nil
        return object as NSDictionary
    }

    @Test func anAuditPastItsDeadlineReportsTheRestUnknownAndAReRunResumes() throws {
        let directory = try escalatingPolicies(80)
        let cache = NSTemporaryDirectory() + "policyprover-deadline-cache-\(UUID().uuidString)"
        let stopped = try PolicyProverBinary.run(["audit", "--jobs", "1", "--deadline", "0.5", "--cache", cache, "--format", "json", directory])
        let report = try json(stopped.stdout)
        let unchecked = files(report).filter { $0["kind"] as? String == "unchecked" }
        #expect(!unchecked.isEmpty, "80 policies are not proved in half a second")
        for file in unchecked {
            #expect(checks(file).map { "\($0["id"] ?? "") \($0["outcome"] ?? "")" } == ["deadline unknown"])
        }
        // Nothing that was not proved passes; the status says so.
        let outcomes = files(report).flatMap(checks).filter { $0["id"] as? String == "privilege-escalation" }.compactMap { $0["outcome"] as? String }
        #expect(!outcomes.contains("pass"))
        #expect(stopped.status == (outcomes.contains("fail") ? 1 : 3))
        #expect(stopped.stderr.contains("deadline: \(unchecked.count) of 80 file(s) not checked (UNKNOWN): the command's deadline (--deadline 0.5 s) passed"), "\(stopped.stderr)")

        // Files proved in full before the deadline were cached; the ones stopped half-way and the
        // unchecked ones were not. The one file being proved when the deadline passed (one job) may
        // have finished without an UNKNOWN, and is not cached either.
        let finished = files(report).filter { file in !checks(file).contains { $0["outcome"] as? String == "unknown" } }.count
        let resumed = try PolicyProverBinary.run(["audit", "--jobs", "1", "--cache", cache, "--format", "json", directory])
        #expect(resumed.stderr.contains("\(finished) of 80 file(s) from the cache") || resumed.stderr.contains("\(finished - 1) of 80 file(s) from the cache"), "\(resumed.stderr)")
        let uninterrupted = try PolicyProverBinary.run(["audit", "--no-cache", "--format", "json", directory])
        #expect(try comparable(resumed.stdout) == comparable(uninterrupted.stdout))
        #expect(uninterrupted.status == 1)
    }

    @Test func aCheckPastItsDeadlineIsUnknownWithTheReason() throws {
        let directory = try escalatingPolicies(60)
        let paths = (0..<60).map { "\(directory)/policy-\(String(format: "%03d", $0)).json" }
        let output = try PolicyProverBinary.run(["check", "--deadline", "0.3", "--spec", "Policies/specs/no-iam-writes.yaml", "--format", "json"] + paths)
        #expect(output.status == 1 || output.status == 3, "\(output.stderr)")
        #expect(output.stdout.contains("stopped before an answer: the command's deadline (--deadline 0.3 s) passed"), "\(output.stdout.prefix(3000))")
    }

    /// Ctrl-C and SIGTERM during `check`: the open questions become UNKNOWN at once, the results so far
    /// are printed, and the exit status is 128 + the signal.
    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func anInterruptedCheckPrintsWhatItHasAndExitsWithTheSignal(signal: Int32, status: Int32) throws {
        let directory = try escalatingPolicies(400)
        let paths = (0..<400).map { "\(directory)/policy-\(String(format: "%03d", $0)).json" }
        let process = Process()
        process.executableURL = PolicyProverBinary.url
        process.currentDirectoryURL = PolicyProverBinary.repositoryRoot
        process.arguments = ["check", "--spec", "Policies/specs/no-iam-writes.yaml", "--format", "json"] + paths
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        nonisolated(unsafe) var printed = Data()
        let reader = Thread { printed = output.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        Thread.sleep(forTimeInterval: 1.0)
        let sent = ContinuousClock.now
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        let took = ContinuousClock.now - sent
        while reader.isExecuting { Thread.sleep(forTimeInterval: 0.01) }
        let notice = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == status, "\(notice)")
        #expect(took < .seconds(5), "the command ends soon after the signal")
        #expect(notice.contains("stopping: the questions still open are UNKNOWN"), "\(notice)")
        let text = String(decoding: printed, as: UTF8.self)
        let reason = signal == SIGINT ? "interrupted (Ctrl-C)" : "stopped (SIGTERM)"
        #expect(text.contains("stopped before an answer: \(reason)"), "\(text.prefix(2000))")
        #expect(text.contains(#""verdict": "fail""#), "the checks finished before the signal are reported")
    }

    /// Z3's memory limit: the proof that needs more is UNKNOWN and names the limit; every other
    /// policy of the run (here the other principals of an account export) is proved as without it.
    @Test func aProofOverTheMemoryLimitIsUnknownAndTheOthersGoOn() throws {
        let export = "Policies/accounts/example-export.json"
        let limited = try PolicyProverBinary.run(["audit", "--no-cache", "--jobs", "1", "--memory-limit", "16M", "--format", "json", export])
        let unlimited = try PolicyProverBinary.run(["audit", "--no-cache", "--jobs", "1", "--memory-limit", "0", "--format", "json", export])
        func byCheck(_ text: String) throws -> [String: [String: Any]] {
            var result: [String: [String: Any]] = [:]
            for file in files(try json(text)) {
                for policy in file["policies"] as? [[String: Any]] ?? [] {
                    for check in policy["checks"] as? [[String: Any]] ?? [] { result["\(policy["name"] ?? "") \(check["id"] ?? "")"] = check }
                }
            }
            return result
        }
        let with = try byCheck(limited.stdout), without = try byCheck(unlimited.stdout)
        try #require(with.count == without.count && with.count > 10)
        let differing = with.keys.filter { (with[$0]! as NSDictionary) != (without[$0]! as NSDictionary) }.sorted()
        #expect(differing.count == 1, "\(differing)")
        let name = try #require(differing.first)
        #expect(name.hasSuffix("privilege-escalation"))
        #expect(with[name]?["outcome"] as? String == "unknown")
        #expect((with[name]?["message"] as? String ?? "").contains("Z3's memory limit of 16 MiB was reached"), "\(with[name] ?? [:])")
        #expect(without[name]?["outcome"] as? String == "fail")
        #expect(limited.status == 1 && unlimited.status == 1)
    }

    /// A file and a directory the user may not read, in an audited tree: each is an error at its path
    /// (exit 2), and the readable policy beside them is still checked. As root, permissions do not stop
    /// reading, so the audit runs as `nobody` through setpriv.
    @Test(.enabled(if: geteuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "needs a non-root user or setpriv"))
    func unreadableFilesAndDirectoriesAreErrorsAndTheRestIsChecked() throws {
        let root = NSTemporaryDirectory() + "policyprover-unreadable-\(UUID().uuidString)"
        let manager = FileManager.default
        try manager.createDirectory(atPath: "\(root)/tree/locked", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: "\(root)/tree/open", withIntermediateDirectories: true)
        let policy = PolicyProverBinary.repositoryRoot.appendingPathComponent(LimitFlagTests.policy).path
        for target in ["tree/open/good.json", "tree/secret.json", "tree/locked/inner.json"] { try manager.copyItem(atPath: policy, toPath: "\(root)/\(target)") }
        for path in [root, "\(root)/tree", "\(root)/tree/open"] { chmod(path, 0o755) }
        chmod("\(root)/tree/open/good.json", 0o644)
        chmod("\(root)/tree/secret.json", 0o000)
        chmod("\(root)/tree/locked", 0o000)
        defer { chmod("\(root)/tree/locked", 0o755) }
        let binary = PolicyProverBinary.url.path
        let command = geteuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", binary] : [binary]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst()) + ["audit", "--no-cache", "tree"]
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        process.environment = ["NO_COLOR": "1", "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2, "\(text)")
        #expect(text.contains("tree/secret.json:1:1: error[UNREADABLE_FILE]: cannot read tree/secret.json: Permission denied"), "\(text)")
        #expect(text.contains("tree/locked:1:1: error[UNREADABLE_FILE]: cannot read tree/locked: Permission denied"), "\(text)")
        #expect(text.contains(try Regex(#"\n3 +1 +1 +0 +0 +2 "#)), "three files, one policy proved, two errors: \(text)")
    }
}
