import Foundation
import Testing

/// `policyprover diff` and `policyprover check` through the real binary: exit codes, the certified
/// counterexample on screen with the granting lines, JSON, and bad input.
@Suite("policyprover diff / check (real binary)")
struct ProveCommandTests {
    static let managed = "../shared/corpus/aws-managed"
    static var managedIsPresent: Bool {
        FileManager.default.fileExists(atPath: PolicyProverBinary.repositoryRoot.appendingPathComponent(managed).path)
    }

    @Test func readOnlyToAdministratorIsMoreWithTheGrantingLines() throws {
        guard Self.managedIsPresent else {
            print("skipped: ../shared/corpus/aws-managed is absent")
            return
        }
        let output = try PolicyProverBinary.run(["diff", "\(Self.managed)/ReadOnlyAccess.json", "\(Self.managed)/AdministratorAccess.json"])
        #expect(output.status == 1, "\(output.stderr)")
        #expect(output.stdout.contains("more: \(Self.managed)/AdministratorAccess.json allows everything"))
        #expect(output.stdout.contains("FAIL no new access"))
        #expect(output.stdout.contains("action     iam:CreateUser"))
        #expect(output.stdout.contains("granted by \(Self.managed)/AdministratorAccess.json:4:5 statement #1 (Allow)"))
        #expect(output.stdout.contains("5 |       \"Action\": \"*\","))
        #expect(output.stdout.contains("Access removed by the change: none"))
    }

    @Test(arguments: [
        ("Policies/diff/bucket-v1.json", "Policies/diff/bucket-v1.json", Int32(0), "equivalent"),
        ("Policies/diff/bucket-v1.json", "Policies/diff/bucket-v2-whole-account.json", Int32(1), "more"),
        ("Policies/diff/bucket-v1.json", "Policies/diff/bucket-v3-tls-only.json", Int32(0), "less"),
        ("Policies/diff/bucket-v2-whole-account.json", "Policies/diff/bucket-v3-tls-only.json", Int32(0), "less"),
        ("Policies/examples/ci-deployer.json", "Policies/examples/ci-deployer-fixed.json", Int32(0), "less"),
    ])
    func relationAndExitStatus(old: String, new: String, status: Int32, relation: String) throws {
        let output = try PolicyProverBinary.run(["diff", "--format", "json", old, new])
        #expect(output.status == status, "\(output.stdout)\(output.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(object["relation"] as? String == relation)
    }

    @Test func widenedBucketPolicyNamesAnotherCallerOfTheAccount() throws {
        let output = try PolicyProverBinary.run(["diff", "--format", "json", "Policies/diff/bucket-v1.json", "Policies/diff/bucket-v2-whole-account.json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let gained = try #require(object["noNewAccess"] as? [String: Any])
        #expect(gained["verdict"] as? String == "fail")
        let counterexample = try #require((gained["counterexamples"] as? [[String: Any]])?.first)
        #expect(counterexample["certified"] as? Bool == true)
        let request = try #require(counterexample["request"] as? [String: Any])
        let principal = try #require(request["principal"] as? String)
        #expect(principal.contains(":111122223333:"))
        #expect(!principal.contains("role/Reader"))
        #expect(request["action"] as? String == "s3:GetObject")
        let policies = try #require(counterexample["policies"] as? [[String: Any]])
        #expect(policies.map { $0["allows"] as? Bool } == [false, true])
        let blame = try #require((policies[1]["allowing"] as? [[String: Any]])?.first)
        #expect(blame["sid"] as? String == "PartnerReadsShared")
        #expect(blame["line"] as? Int == 4)
    }

    @Test func severalCounterexamplesOnRequest() throws {
        let output = try PolicyProverBinary.run(["diff", "--format", "json", "--counterexamples", "3", "Policies/examples/ci-deployer-fixed.json", "Policies/examples/ci-deployer.json"])
        #expect(output.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let found = try #require((object["noNewAccess"] as? [String: Any])?["counterexamples"] as? [[String: Any]])
        let requests = found.compactMap { $0["request"] as? [String: Any] }
        #expect(requests.count >= 2)
        let distinct = Set(requests.map { "\($0["action"] ?? "") \($0["resource"] ?? "")" })
        #expect(distinct.count == requests.count)
    }

    @Test func checkFailsWithTheRequestAndPassesTheFixedPolicy() throws {
        let output = try PolicyProverBinary.run(["check", "--spec", "Policies/specs/no-iam-writes.yaml", "Policies/examples/ci-deployer.json", "Policies/examples/ci-deployer-fixed.json"])
        #expect(output.status == 1, "\(output.stderr)")
        #expect(output.stdout.contains("FAIL no-iam-writes (never)"))
        #expect(output.stdout.contains("action     iam:PassRole"))
        #expect(output.stdout.contains("granted by Policies/examples/ci-deployer.json:10:5 statement \"PassExecutionRole\" (Allow)"))
        #expect(output.stdout.contains("2 file(s), 4 check(s): 3 passed, 1 failed, 0 unknown"))

        let fixed = try PolicyProverBinary.run(["check", "--spec", "Policies/specs/no-iam-writes.yaml", "Policies/examples/ci-deployer-fixed.json"])
        #expect(fixed.status == 0, "\(fixed.stdout)")
    }

    @Test func checkJSONAndOnlyInvariant() throws {
        let output = try PolicyProverBinary.run(["check", "--format", "json", "--spec", "Policies/specs/s3-only-our-bucket.yaml", "Policies/examples/ci-deployer-fixed.json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let checks = try #require(((object["files"] as? [[String: Any]])?.first)?["checks"] as? [[String: Any]])
        let verdicts = Dictionary(uniqueKeysWithValues: checks.map { ($0["name"] as? String ?? "", $0["verdict"] as? String ?? "") })
        // Lambda actions lie outside the S3-only bound; an identity policy grants nothing to outsiders.
        #expect(verdicts["s3-only-our-bucket"] == "fail")
        #expect(verdicts["s3-no-unencrypted-transport"] == "fail")
        #expect(verdicts["s3-nothing-outside-our-org"] == "pass")
        #expect(output.status == 1)
    }

    @Test func unknownIsExitThreeNeverPass() throws {
        let spec = FileManager.default.temporaryDirectory.appendingPathComponent("pp-public-\(UUID().uuidString).yaml")
        try "invariants:\n  - name: private\n    no-public-access: true\n".write(to: spec, atomically: true, encoding: .utf8)
        let policy = FileManager.default.temporaryDirectory.appendingPathComponent("pp-binary-\(UUID().uuidString).json")
        try #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"BinaryEquals":{"s3:x-amz-meta-key":"QmluYXJ5"}}}]}"#.write(to: policy, atomically: true, encoding: .utf8)
        defer {
            try? FileManager.default.removeItem(at: spec)
            try? FileManager.default.removeItem(at: policy)
        }
        // BinaryEquals is not encoded: the answer is UNKNOWN with its location, never PASS.
        let output = try PolicyProverBinary.run(["check", "--spec", spec.path, policy.path])
        #expect(output.status == 3)
        #expect(output.stdout.contains("UNKNOWN private (no-public-access)"))
        #expect(output.stdout.contains("BinaryEquals"))
        #expect(output.stdout.contains("\(policy.path):1:"))
    }

    @Test func badSpecAndBadPolicyAreExitTwoWithLocations() throws {
        let spec = FileManager.default.temporaryDirectory.appendingPathComponent("pp-bad-\(UUID().uuidString).yaml")
        try "invariants:\n  - name: x\n    nevr: { actions: [\"s3:*\"] }\n".write(to: spec, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: spec) }
        let badSpec = try PolicyProverBinary.run(["check", "--spec", spec.path, "Policies/diff/bucket-v1.json"])
        #expect(badSpec.status == 2)
        #expect(badSpec.stderr.contains("\(spec.path):3:5"))

        let badPolicy = try PolicyProverBinary.run(["diff", "Policies/diff/bucket-v1.json", "Tests/EndToEndTests/Fixtures/malformed/trailing-comma.json"])
        #expect(badPolicy.status == 2)
        #expect(badPolicy.stderr.contains("Tests/EndToEndTests/Fixtures/malformed/trailing-comma.json:"))

        // The other files are still checked when one cannot be read.
        let mixed = try PolicyProverBinary.run(["check", "--spec", "Policies/specs/no-iam-writes.yaml", "Tests/EndToEndTests/Fixtures/malformed/truncated.json", "Policies/examples/ci-deployer-fixed.json"])
        #expect(mixed.status == 2)
        #expect(mixed.stdout.contains("PASS no-iam-writes"))
    }

    @Test func redundantStatementsAreReported() throws {
        let output = try PolicyProverBinary.run(["check", "--report-redundant", "Policies/examples/ci-deployer.json"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("note: Policies/examples/ci-deployer.json:22:5 statement \"ReadArtifactObjects\" (Allow) is redundant"))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try PolicyProverBinary.run(["check", "Policies/diff/bucket-v1.json"]).status == 2)
        #expect(try PolicyProverBinary.run(["diff", "--timeout", "0", "Policies/diff/bucket-v1.json", "Policies/diff/bucket-v1.json"]).status == 2)
    }
}
