import Foundation
import Testing

/// `policyprover audit` and `merge` through the real binary, on a small tree with every input format,
/// a corrupt file and a file that is not a policy.
@Suite("policyprover audit / merge (real binary)")
struct AuditCommandTests {
    static let tree = "Tests/EndToEndTests/Fixtures/audit-tree"

    /// A fresh cache directory per test, so tests never see each other's results.
    private func cacheDirectory() -> String {
        NSTemporaryDirectory() + "policyprover-audit-cache-\(UUID().uuidString)"
    }

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text.prefix(400))")
    }

    /// The report without its run time, for comparing runs.
    private func comparable(_ text: String) throws -> NSDictionary {
        var object = try json(text)
        object["seconds"] = nil
        return object as NSDictionary
    }

    private func policies(_ report: [String: Any]) -> [String: [String: Any]] {
        var result: [String: [String: Any]] = [:]
        for file in report["files"] as? [[String: Any]] ?? [] {
            for policy in file["policies"] as? [[String: Any]] ?? [] {
                result["\(file["path"] as? String ?? "?")#\(policy["name"] as? String ?? "?")"] = policy
            }
        }
        return result
    }

    private func outcome(_ policy: [String: Any]?, _ check: String) -> String? {
        (policy?["checks"] as? [[String: Any]])?.first { $0["id"] as? String == check }?["outcome"] as? String
    }

    @Test func everyFormatIsFoundAndChecked() throws {
        let output = try PolicyProverBinary.run(["audit", "--no-cache", "--exclude", "node_modules/", "--format", "json", Self.tree])
        #expect(output.status == 2, "a corrupt file makes the run exit 2: \(output.stderr)")
        let report = try json(output.stdout)
        let files = try #require(report["files"] as? [[String: Any]])
        let kinds = Dictionary(uniqueKeysWithValues: files.map { ($0["path"] as? String ?? "", $0["kind"] as? String ?? "") })
        #expect(kinds == [
            "\(Self.tree)/account/export.json": "account-export",
            "\(Self.tree)/cfn/stack.yaml": "cloudformation",
            "\(Self.tree)/package.json": "unrecognized",
            "\(Self.tree)/plain/admin.json": "policy",
            "\(Self.tree)/plain/broken.json": "unrecognized",
            "\(Self.tree)/plain/public-bucket.json": "policy",
            "\(Self.tree)/plain/reader.yaml": "policy",
            "\(Self.tree)/terraform/plan.json": "terraform-plan",
        ])
        // The corrupt file is reported with its location; the others are audited all the same.
        let broken = try #require(files.first { ($0["path"] as? String)?.hasSuffix("broken.json") == true })
        let error = try #require((broken["errors"] as? [[String: Any]])?.first)
        let location = try #require(error["location"] as? [String: Any])
        #expect(location["line"] as? Int == 4)
        let found = policies(report)
        #expect(outcome(found["\(Self.tree)/plain/public-bucket.json#policy"], "no-public-access") == "fail")
        #expect(outcome(found["\(Self.tree)/plain/reader.yaml#policy"], "admin-equivalent") == "pass")
        #expect(outcome(found["\(Self.tree)/plain/reader.yaml#policy"], "privilege-escalation") == "pass")
        #expect(outcome(found["\(Self.tree)/plain/admin.json#policy"], "admin-equivalent") == "fail")
        let stack = found.filter { $0.key.hasPrefix("\(Self.tree)/cfn/stack.yaml#") }
        #expect(stack.count == 3, "trust policy, inline policy and bucket policy: \(stack.keys.sorted())")
        let bucket = try #require(stack.first { $0.key.contains("ReportsBucketPolicy") }?.value)
        #expect(outcome(bucket, "no-public-access") == "fail")
        let bucketIssue = try #require(((bucket["checks"] as? [[String: Any]])?.first { $0["id"] as? String == "no-public-access" }?["issues"] as? [[String: Any]])?.first)
        #expect((bucketIssue["location"] as? [String: Any])?["line"] as? Int == 40, "the WorldLists statement's line in stack.yaml")
        let plan = found.filter { $0.key.hasPrefix("\(Self.tree)/terraform/plan.json#") }
        #expect(plan.count == 3, "\(plan.keys.sorted())")
        #expect(outcome(plan.first { $0.key.contains("aws_iam_policy.deploy") }?.value, "privilege-escalation") == "fail")
        #expect(outcome(plan.first { $0.key.contains("aws_sqs_queue_policy") }?.value, "no-public-access") == "fail")
        #expect(outcome(plan.first { $0.key.contains("aws_iam_role.fn") }?.value, "no-public-access") == "pass")
        #expect(outcome(found["\(Self.tree)/account/export.json#user/alice inline keys"], "privilege-escalation") == "fail", "\(found.keys.sorted())")
        let summary = try #require(report["summary"] as? [String: Int])
        #expect(summary["files"] == 8)
        #expect(summary["skipped"] == 1)
        #expect(summary["errors"] == 1)
    }

    @Test func excludedDirectoriesAreNotRead() throws {
        let without = try PolicyProverBinary.run(["audit", "--no-cache", "--format", "json", Self.tree])
        let with = try PolicyProverBinary.run(["audit", "--no-cache", "--exclude", "node_modules/", "--format", "json", Self.tree])
        let paths = { (text: String) in ((try? self.json(text))?["files"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String } }
        #expect(paths(without.stdout).contains("\(Self.tree)/node_modules/dep/policy.json"))
        #expect(!paths(with.stdout).contains { $0.contains("node_modules") })
        #expect(paths(with.stdout).count == paths(without.stdout).count - 1)
    }

    @Test func textEndsWithTheSummaryTable() throws {
        let output = try PolicyProverBinary.run(["audit", "--no-cache", "--exclude", "node_modules/", Self.tree])
        #expect(output.status == 2)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("files") && $0.contains("policies") && $0.contains("unknown") })
        #expect(lines[header].split(separator: " ").map(String.init) == ["files", "policies", "passed", "failed", "unknown", "errors", "skipped", "time"])
        #expect(lines[header + 2].split(separator: " ").first == "8")
        #expect(output.stdout.contains("plain/broken.json:4:"))
        #expect(output.stdout.contains("error[no-public-access]"))
        #expect(!output.stderr.contains("files/"), "no progress bar on a pipe")
    }

    @Test func failOnDecidesTheExitStatus() throws {
        let reader = "\(Self.tree)/plain/reader.yaml"
        #expect(try PolicyProverBinary.run(["audit", "--no-cache", reader]).status == 0)
        #expect(try PolicyProverBinary.run(["audit", "--no-cache", "\(Self.tree)/plain/public-bucket.json"]).status == 1)
        #expect(try PolicyProverBinary.run(["audit", "--no-cache", "--fail-on", "never", Self.tree]).status == 0)
        // The raw YAML has no warnings; the admin policy's lint warnings fail only with --fail-on warning.
        #expect(try PolicyProverBinary.run(["audit", "--no-cache", "--no-default-checks", "\(Self.tree)/plain/admin.json"]).status == 0)
        #expect(try PolicyProverBinary.run(["audit", "--no-cache", "--no-default-checks", "--fail-on", "warning", "\(Self.tree)/plain/admin.json"]).status == 1)
    }

    @Test func failOnWorksOnEveryCheckingCommand() throws {
        let admin = "\(Self.tree)/plain/admin.json"
        // validate: warnings fail at the default threshold, not with error or never.
        #expect(try PolicyProverBinary.run(["validate", admin]).status == 1)
        #expect(try PolicyProverBinary.run(["validate", "--fail-on", "error", admin]).status == 0)
        #expect(try PolicyProverBinary.run(["validate", "--fail-on", "never", "\(Self.tree)/plain/broken.json"]).status == 0)
        #expect(try PolicyProverBinary.run(["validate", "--fail-on", "error", "\(Self.tree)/plain/broken.json"]).status == 2)
        // check and diff: a failed proof exits 1, or 0 with --fail-on never.
        let check = ["check", "--spec", "Policies/specs/no-iam-writes.yaml", "Policies/examples/ci-deployer.json"]
        #expect(try PolicyProverBinary.run(check).status == 1)
        #expect(try PolicyProverBinary.run(check + ["--fail-on", "never"]).status == 0)
        let diff = ["diff", "Policies/diff/bucket-v1.json", "Policies/diff/bucket-v2-whole-account.json"]
        #expect(try PolicyProverBinary.run(diff).status == 1)
        #expect(try PolicyProverBinary.run(diff + ["--fail-on", "never"]).status == 0)
    }

    @Test func outputIsTheSameWhateverTheNumberOfJobs() throws {
        let one = try PolicyProverBinary.run(["audit", "--no-cache", "--jobs", "1", "--format", "json", Self.tree])
        let three = try PolicyProverBinary.run(["audit", "--no-cache", "--jobs", "3", "--format", "json", Self.tree])
        #expect(try comparable(one.stdout) == comparable(three.stdout))
        #expect(one.status == three.status)
    }

    @Test func aRerunComesFromTheCacheAndRechecksOnlyWhatChanged() throws {
        let directory = try temporaryCopy(of: Self.tree)
        let cache = cacheDirectory()
        let first = try PolicyProverBinary.run(["audit", "--cache", cache, "--format", "json", directory])
        #expect(first.stderr.contains("0 of 9 file(s) from the cache"), "\(first.stderr)")
        let second = try PolicyProverBinary.run(["audit", "--cache", cache, "--format", "json", directory])
        #expect(second.stderr.contains("9 of 9 file(s) from the cache"), "\(second.stderr)")
        #expect(try comparable(first.stdout) == comparable(second.stdout))
        // Change one file: only it is re-checked, and its new verdict shows.
        let reader = directory + "/plain/reader.yaml"
        try String(contentsOfFile: directory + "/plain/admin.json", encoding: .utf8).write(toFile: reader, atomically: true, encoding: .utf8)
        let third = try PolicyProverBinary.run(["audit", "--cache", cache, "--format", "json", directory])
        #expect(third.stderr.contains("8 of 9 file(s) from the cache"), "\(third.stderr)")
        #expect(outcome(policies(try json(third.stdout))["\(directory)/plain/reader.yaml#policy"], "admin-equivalent") == "fail")
        // A different spec is a different configuration: nothing comes from the cache.
        let withSpec = try PolicyProverBinary.run(["audit", "--cache", cache, "--spec", "Policies/specs/no-iam-writes.yaml", "--format", "json", directory])
        #expect(withSpec.stderr.contains("0 of 9 file(s) from the cache"), "\(withSpec.stderr)")
    }

    @Test func shardsMergeIntoTheUnshardedReport() throws {
        let whole = try PolicyProverBinary.run(["audit", "--no-cache", "--format", "json", Self.tree])
        let scratch = NSTemporaryDirectory() + "policyprover-shards-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        var jsonShards: [String] = [], sarifShards: [String] = []
        var seen = 0
        for index in 1...3 {
            let jsonPath = "\(scratch)/shard-\(index).json", sarifPath = "\(scratch)/shard-\(index).sarif"
            _ = try PolicyProverBinary.run(["audit", "--no-cache", "--shard", "\(index)/3", "--format", "json", "--output", jsonPath, Self.tree])
            _ = try PolicyProverBinary.run(["audit", "--no-cache", "--shard", "\(index)/3", "--format", "sarif", "--output", sarifPath, Self.tree])
            seen += (try json(String(contentsOfFile: jsonPath, encoding: .utf8))["files"] as? [Any])?.count ?? 0
            jsonShards.append(jsonPath)
            sarifShards.append(sarifPath)
        }
        #expect(seen == 9, "every file in exactly one shard")
        let merged = try PolicyProverBinary.run(["merge", "--format", "json"] + jsonShards)
        #expect(merged.status == whole.status)
        #expect(try comparable(merged.stdout) == comparable(whole.stdout))
        let wholeSARIF = try PolicyProverBinary.run(["audit", "--no-cache", "--format", "sarif", Self.tree])
        let mergedSARIF = try PolicyProverBinary.run(["merge", "--format", "sarif"] + sarifShards)
        #expect(mergedSARIF.status == 0, "\(mergedSARIF.stderr)")
        #expect(try sarifResults(mergedSARIF.stdout) == sarifResults(wholeSARIF.stdout))
        // The same shard twice is refused.
        let twice = try PolicyProverBinary.run(["merge", jsonShards[0], jsonShards[0]])
        #expect(twice.status == 2)
    }

    /// Ctrl-C (SIGINT) and a stop from a CI runner or Kubernetes (SIGTERM).
    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func anInterruptedAuditResumesToTheSameReport(signal: Int32, status: Int32) throws {
        let directory = NSTemporaryDirectory() + "policyprover-interrupt-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Distinct policies (distinct content hashes), each with a few provable checks.
        for index in 0..<40 {
            let policy = #"{"Version":"2012-10-17","Statement":[{"Sid":"S\#(index)","Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances","s3:GetObject"],"Resource":"arn:aws:s3:::bucket-\#(index)/*"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sqs:SendMessage","Resource":"*"}]}"#
            try policy.write(toFile: "\(directory)/policy-\(String(format: "%02d", index)).json", atomically: true, encoding: .utf8)
        }
        let cache = cacheDirectory()
        let process = Process()
        process.executableURL = PolicyProverBinary.url
        process.arguments = ["audit", "--jobs", "1", "--cache", cache, "--format", "json", directory]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        // Interrupt once a few results are stored.
        let deadline = Date().addingTimeInterval(60)
        while storedEntries(cache) < 3 && Date() < deadline && process.isRunning { usleep(20_000) }
        let sent = ContinuousClock.now
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        // The solver's checks are interrupted, not waited for.
        #expect(ContinuousClock.now - sent < .seconds(5))
        let notice = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let kept = storedEntries(cache)
        #expect(kept >= 3)
        if kept < 40 {
            #expect(process.terminationStatus == status)
            #expect(notice.contains("interrupted: the files already checked are kept in the cache"), "\(notice)")
        }
        let resumed = try PolicyProverBinary.run(["audit", "--jobs", "1", "--cache", cache, "--format", "json", directory])
        #expect(resumed.stderr.contains("\(kept) of 40 file(s) from the cache") || kept == 40, "\(resumed.stderr)")
        let uninterrupted = try PolicyProverBinary.run(["audit", "--no-cache", "--format", "json", directory])
        #expect(try comparable(resumed.stdout) == comparable(uninterrupted.stdout))
        #expect(resumed.status == uninterrupted.status)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/git"), "needs git"))
    func thePreCommitHookBlocksAPublicBucketPolicy() throws {
        let repository = NSTemporaryDirectory() + "policyprover-hook-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: repository, withIntermediateDirectories: true)
        let hook = PolicyProverBinary.repositoryRoot.appendingPathComponent("scripts/pre-commit").path
        func shell(_ command: String) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            process.currentDirectoryURL = URL(fileURLWithPath: repository)
            var environment = ProcessInfo.processInfo.environment
            environment["POLICYPROVER"] = PolicyProverBinary.url.path
            environment["POLICYPROVER_ARGS"] = "--no-cache"
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        let fixtures = PolicyProverBinary.repositoryRoot.appendingPathComponent(Self.tree).path
        #expect(try shell("git init -q . && cp '\(fixtures)/plain/reader.yaml' reader.yaml && git add reader.yaml") == 0)
        #expect(try shell("'\(hook)'") == 0, "a safe policy passes")
        #expect(try shell("cp '\(fixtures)/plain/public-bucket.json' 'public bucket.json' && git add 'public bucket.json'") == 0)
        #expect(try shell("'\(hook)'") == 1, "a public bucket policy blocks the commit")
        #expect(try shell("git reset -q 'public bucket.json' && echo '{}' > notes.json && git add notes.json && '\(hook)'") == 0, "non-policy JSON is skipped")
    }

    private func storedEntries(_ cache: String) -> Int {
        let enumerator = FileManager.default.enumerator(atPath: cache)
        var count = 0
        while let entry = enumerator?.nextObject() as? String {
            if entry.hasSuffix(".json") { count += 1 }
        }
        return count
    }

    /// The results of a SARIF log as a sorted list of `ruleId uri:line`.
    private func sarifResults(_ text: String) throws -> [String] {
        let log = try json(text)
        let results = ((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
        return results.map { result in
            let physical = ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]) ?? [:]
            let uri = (physical["artifactLocation"] as? [String: Any])?["uri"] as? String ?? "?"
            let line = (physical["region"] as? [String: Any])?["startLine"] as? Int ?? 0
            return "\(result["ruleId"] as? String ?? "?") \(uri):\(line)"
        }.sorted()
    }

    private func temporaryCopy(of tree: String) throws -> String {
        let target = NSTemporaryDirectory() + "policyprover-tree-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: PolicyProverBinary.repositoryRoot.appendingPathComponent(tree).path, toPath: target)
        return target
    }
}
