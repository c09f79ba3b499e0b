import Foundation
import PolicyLanguage
import PolicyVerifier
import Testing
@testable import PolicyAudit

/// The checks an audit runs per policy, on real files with the real prover.
@Suite struct AuditChecksTests {
    static let inputs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/inputs")
    let checks = AuditChecks(prover: Prover(timeout: .seconds(20)))

    private func check(_ name: String) -> FileRecord {
        checks.check(path: Self.inputs.appendingPathComponent(name).path)
    }

    private func write(_ text: String, name: String = "policy.json") throws -> String {
        let directory = NSTemporaryDirectory() + "audit-checks-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try text.write(toFile: "\(directory)/\(name)", atomically: true, encoding: .utf8)
        return "\(directory)/\(name)"
    }

    @Test func eachPolicyTypeGetsItsDefaultChecks() throws {
        let identity = checks.check(path: try write(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#))
        #expect(identity.policies.first?.checks.map(\.id) == ["validation", "admin-equivalent", "privilege-escalation"])
        #expect(identity.policies.first?.outcome == .pass)
        let bucket = checks.check(path: try write(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#))
        #expect(bucket.policies.first?.checks.map(\.id) == ["validation", "no-public-access"])
        let publicCheck = try #require(bucket.policies.first?.checks.last)
        #expect(publicCheck.outcome == .fail)
        #expect(publicCheck.issues.first?.location.line == 1)
    }

    @Test func anInvalidPolicyIsReportedAndNotProved() throws {
        let record = checks.check(path: try write(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Bogus":1}]}"#))
        let policy = try #require(record.policies.first)
        #expect(policy.checks.map(\.id) == ["validation"])
        #expect(policy.outcome == .error)
        #expect(policy.checks[0].issues.contains { $0.ruleId == "UNKNOWN_ELEMENT" && $0.level == .error })
    }

    @Test func aPrincipalFromATemplateParameterIsUnknownNeverPass() throws {
        let record = check("cloudformation.yaml")
        #expect(record.kind == .cloudFormation)
        let blocked = record.policies.filter { policy in policy.checks.contains { $0.issues.contains { $0.ruleId == "UNRESOLVED_PRINCIPAL" } } }
        #expect(blocked.count == 1)
        let proof = try #require(blocked.first?.checks.first { $0.id == "no-public-access" })
        #expect(proof.outcome == .unknown)
        #expect(proof.issues.first?.location.line == 75)
    }

    @Test func representativeValuesAreListedAsNotes() throws {
        let record = check("cloudformation.yaml")
        let notes = record.policies.flatMap { $0.checks.flatMap(\.issues) }.filter { $0.ruleId == "REPRESENTATIVE_VALUE" }
        #expect(!notes.isEmpty)
        #expect(notes.allSatisfy { $0.level == .note && $0.location.line > 1 })
        #expect(notes.contains { $0.message.contains("000000000000") || $0.message.contains("cfn-") })
    }

    @Test func aSpecThatNamesValuesIsNotProvedWithRepresentatives() throws {
        let template = try write("""
            Parameters:
              Bucket: { Type: String }
            Resources:
              Reader:
                Type: AWS::IAM::ManagedPolicy
                Properties:
                  PolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - Effect: Allow
                        Action: s3:GetObject
                        Resource: !Sub "arn:aws:s3:::${Bucket}/*"
            """, name: "stack.yaml")
        let spec = try write("""
            invariants:
              - name: not-secrets
                never: { actions: ["s3:GetObject"], resources: ["arn:aws:s3:::secrets/*"] }
              - name: no-iam
                never: { actions: ["iam:*"] }
            """, name: "spec.yaml")
        let invariants = try SpecReader.read(contentsOf: spec).get().invariants
        let record = AuditChecks(prover: Prover(timeout: .seconds(20)), invariants: invariants, defaultChecks: false).check(path: template)
        let checks = try #require(record.policies.first?.checks)
        // `Bucket` may be "secrets" when deployed: the representative's PASS is not a proof.
        let named = try #require(checks.first { $0.id == "spec/not-secrets" })
        #expect(named.outcome == .unknown)
        #expect(named.issues.first?.location.line == 12)
        // A scope that names no value holds whatever the parameter is.
        #expect(checks.first { $0.id == "spec/no-iam" }?.outcome == .pass)
    }

    @Test func aCorruptFileIsAnErrorWithItsLocation() {
        let record = check("corrupt.json")
        #expect(record.policies.isEmpty)
        #expect(record.errors.first?.ruleId == "SYNTAX_ERROR")
        #expect(record.errors.first?.location.line == 4)
        #expect(AuditSummary([record]).errors == 1)
    }

    @Test func aFileThatHoldsNoPolicyIsSkipped() {
        let record = check("package.json")
        #expect(record.kind == .unrecognized)
        #expect(record.policies.isEmpty && record.errors.isEmpty)
        #expect(AuditSummary([record]).skipped == 1)
    }

    @Test func aTerraformValueUnknownUntilApplyIsUnknown() throws {
        let record = check("terraform-plan.json")
        let input = try #require(record.policies.first { $0.name == "(file)" })
        #expect(input.outcome == .unknown)
        #expect(input.checks.first?.issues.first?.ruleId == "UNKNOWN_UNTIL_APPLY")
    }

    @Test func specInvariantsRunOnEveryPolicy() throws {
        let spec = try write("invariants:\n  - name: no-iam\n    never: { actions: [\"iam:*\"] }\n", name: "spec.yaml")
        let invariants = try SpecReader.read(contentsOf: spec).get().invariants
        let withSpec = AuditChecks(prover: Prover(timeout: .seconds(20)), invariants: invariants, defaultChecks: false)
        let record = withSpec.check(path: try write(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}"#))
        let policy = try #require(record.policies.first)
        #expect(policy.checks.map(\.id) == ["validation", "spec/no-iam"])
        #expect(policy.checks[1].outcome == .fail)
        #expect(policy.checks[1].issues.first?.text.contains("iam:PassRole") == true)
        #expect(policy.checks[1].issues.first?.message.contains("iam:PassRole") == false, "the example is kept apart from the message")
        #expect(withSpec.fingerprint != checks.fingerprint)
    }
}
