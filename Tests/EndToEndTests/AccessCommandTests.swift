import Foundation
import Testing

/// `policyprover check --no-public / --no-external` and the spec's access invariants, through the real
/// binary: verdicts, exit codes, findings on screen and in JSON, and the errors of a missing zone.
@Suite("policyprover check --no-public / --no-external (real binary)")
struct AccessCommandTests {
    @Test(arguments: [
        ("Policies/access/bucket-public-read.json", Int32(1)),
        ("Policies/access/bucket-org-only.json", Int32(0)),
        ("Policies/access/bucket-deny-outside-org.json", Int32(0)),
        ("Policies/access/kms-key-policy.json", Int32(0)),
        ("Policies/access/trust-github-any-repo.json", Int32(1)),
        ("Policies/access/trust-github-our-repo.json", Int32(0)),
    ])
    func noPublicExitStatus(file: String, status: Int32) throws {
        let output = try PolicyProverBinary.run(["check", "--no-public", file])
        #expect(output.status == status, "\(output.stdout)\(output.stderr)")
    }

    @Test func findingsSayWhoGetsInWithTheGrantingLines() throws {
        let output = try PolicyProverBinary.run(["check", "--no-external", "--trusted-account", "111122223333", "Policies/access/bucket-public-read.json"])
        #expect(output.status == 1)
        #expect(output.stdout.contains("FAIL no-external-access: 3 ways in (2 public), covering all outside access [s3-bucket]"))
        #expect(output.stdout.contains("Finding 1 (public): principal *"))
        #expect(output.stdout.contains("granted by Policies/access/bucket-public-read.json:4:5 statement \"WebsiteRead\" (Allow)"))
        #expect(output.stdout.contains("conditions StringLike aws:SourceVpc [\"vpc-*\"]"))
        #expect(output.stdout.contains("Finding 3 (external): principal AWS: arn:aws:iam::444455556666:role/uploader"))
        #expect(output.stdout.contains("actions     s3:PutObject, s3:PutObjectAcl"))
        #expect(output.stdout.contains("principal  arn:aws:iam::444455556666:role/uploader"))
    }

    @Test func jsonCarriesIsPublicPrincipalActionsResourcesConditionsStatements() throws {
        let output = try PolicyProverBinary.run(["check", "--no-public", "--format", "json", "Policies/access/bucket-public-read.json"])
        #expect(output.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let check = try #require(((object["files"] as? [[String: Any]])?.first?["checks"] as? [[String: Any]])?.first)
        #expect(check["verdict"] as? String == "fail")
        #expect(check["isPublic"] as? Bool == true)
        #expect(check["resourceType"] as? String == "s3-bucket")
        let findings = try #require(check["findings"] as? [[String: Any]])
        #expect(findings.count == 2)
        let vpc = try #require(findings.first { ($0["actions"] as? [String]) == ["s3:ListBucket"] })
        #expect(vpc["principal"] as? String == "*")
        #expect(vpc["resources"] as? [String] == ["arn:aws:s3:::our-bucket"])
        let condition = try #require((vpc["conditions"] as? [[String: Any]])?.first)
        #expect(condition["key"] as? String == "aws:SourceVpc")
        #expect(condition["values"] as? [String] == ["vpc-*"])
        let statement = try #require((vpc["statements"] as? [[String: Any]])?.first)
        #expect(statement["line"] as? Int == 18)
        #expect(statement["sid"] as? String == "AnyVpc")
        let example = try #require(vpc["example"] as? [String: Any])
        #expect(example["certified"] as? Bool == true)
    }

    @Test func theSpecsInvariantsUseItsZone() throws {
        let output = try PolicyProverBinary.run(["check", "--spec", "Policies/specs/bucket-private.yaml", "Policies/access/bucket-org-only.json", "Policies/access/kms-key-policy.json"])
        #expect(output.status == 1, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("PASS nothing-outside-our-organization (no-external-access)"))
        #expect(output.stdout.contains("FAIL nothing-outside-our-organization (no-external-access): 1 way in"))
        #expect(output.stdout.contains("principal AWS: arn:aws:iam::444455556666:root"))
        #expect(output.stdout.contains("2 file(s), 4 check(s): 3 passed, 1 failed, 0 unknown"))
    }

    @Test func aTrustedVpcEndpointClosesTheFinding() throws {
        let policy = try fixture("""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}]}
            """)
        let open = try PolicyProverBinary.run(["check", "--no-external", "--trusted-account", "111122223333", policy.path])
        #expect(open.status == 1)
        let closed = try PolicyProverBinary.run(["check", "--no-external", "--trusted-account", "111122223333", "--trusted-vpc-endpoint", "vpce-1a2b3c4d", policy.path])
        #expect(closed.status == 0, "\(closed.stdout)")
        #expect(try PolicyProverBinary.run(["check", "--no-public", policy.path]).status == 0)
    }

    @Test func theResourceTypeNarrowsTheActions() throws {
        let policy = try fixture(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#)
        let output = try PolicyProverBinary.run(["check", "--no-public", "--resource-type", "kms-key", policy.path])
        #expect(output.status == 1)
        #expect(output.stdout.contains("[kms-key]"))
        #expect(output.stdout.contains("action     kms:"))
    }

    @Test(arguments: [
        (["check", "--no-external", "Policies/access/kms-key-policy.json"], "--no-external needs a zone of trust"),
        (["check", "--no-external", "--trusted-account", "1234", "Policies/access/kms-key-policy.json"], "is not an AWS account ID"),
        (["check", "--no-public", "--trusted-org", "org-1", "Policies/access/kms-key-policy.json"], "is not an AWS Organizations ID"),
        (["check", "--no-public", "--resource-type", "bucket", "Policies/access/kms-key-policy.json"], "resource-type"),
    ])
    func usageErrors(arguments: [String], message: String) throws {
        let output = try PolicyProverBinary.run(arguments)
        #expect(output.status == 2)
        #expect(output.stderr.contains(message), "\(output.stderr)")
    }

    @Test func aSpecWithoutAZoneCannotAskForExternalAccess() throws {
        let spec = try fixture("invariants:\n  - name: outside\n    no-external-access: true\n", extension: "yaml")
        let output = try PolicyProverBinary.run(["check", "--spec", spec.path, "Policies/access/kms-key-policy.json"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("\(spec.path):2:5: no-external-access needs a zone of trust"), "\(output.stderr)")
    }

    @Test func aBrokenFileIsReportedAndTheOthersAreChecked() throws {
        let broken = try fixture(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",]}"#)
        let output = try PolicyProverBinary.run(["check", "--no-public", broken.path, "Policies/access/bucket-public-read.json"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("\(broken.path):1:"))
        #expect(output.stdout.contains("FAIL no-public-access: 2 ways in"))
    }

    private func fixture(_ text: String, extension suffix: String = "json") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("policyprover-access-\(UUID().uuidString).\(suffix)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
