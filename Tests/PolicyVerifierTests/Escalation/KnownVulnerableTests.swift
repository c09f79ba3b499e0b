import Foundation
import PolicyLanguage
@testable import PolicyVerifier
import Testing

/// The shapes of BishopFox iam-vulnerable's tool-testing scenarios (written here from their
/// descriptions): the false negatives a prover must find (fn1–fn4 and the paths that need one
/// permission only) and the false positives it must not report (fp1–fp5). Each is a set of policy
/// documents attached to one principal.
@Suite struct KnownVulnerableTests {
    struct Scenario: Sendable, CustomTestStringConvertible {
        var name: String
        /// Statements of each attached policy.
        var policies: [String]
        /// Methods that must be found (certified), or none for a control.
        var methods: [String]
        var testDescription: String { name }
    }

    static let scenarios: [Scenario] = [
        Scenario(name: "fn1 PassRole and RunInstances in two policies", policies: [
            #"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}"#,
            #"{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}"#,
        ], methods: ["3"]),
        Scenario(name: "fn2 a resource constraint that still matches customer policies", policies: [
            #"{"Effect":"Allow","Action":"iam:CreatePolicyVersion","Resource":"arn:aws:iam::*:policy/fn2-*"}"#,
        ], methods: ["1"]),
        Scenario(name: "fn3 a token issued after 2020", policies: [
            #"{"Effect":"Allow","Action":"iam:CreatePolicyVersion","Resource":"*","Condition":{"DateGreaterThan":{"aws:TokenIssueTime":"2020-01-01T00:00:01Z"}}}"#,
        ], methods: ["1"]),
        Scenario(name: "fn4 NotAction leaves IAM writes", policies: [
            #"{"Effect":"Allow","NotAction":["s3:*","ec2:*"],"Resource":"*"}"#,
        ], methods: ["1", "7", "10"]),
        Scenario(name: "privesc9 AttachRolePolicy alone", policies: [#"{"Effect":"Allow","Action":"iam:AttachRolePolicy","Resource":"*"}"#], methods: ["9"]),
        Scenario(name: "privesc12 PutRolePolicy alone", policies: [#"{"Effect":"Allow","Action":"iam:PutRolePolicy","Resource":"*"}"#], methods: ["12"]),
        Scenario(name: "privesc14 UpdateAssumeRolePolicy and AssumeRole", policies: [#"{"Effect":"Allow","Action":["iam:UpdateAssumeRolePolicy","sts:AssumeRole"],"Resource":"*"}"#], methods: ["14"]),
        Scenario(name: "EC2 Instance Connect", policies: [#"{"Effect":"Allow","Action":["ec2:DescribeInstances","ec2-instance-connect:SendSSHPublicKey","ec2-instance-connect:SendSerialConsoleSSHPublicKey"],"Resource":"*"}"#], methods: ["ec2-instance-connect"]),
        Scenario(name: "fp1 Allow and Deny in one policy", policies: [
            #"{"Effect":"Allow","Action":"iam:CreatePolicyVersion","Resource":"*"},{"Effect":"Deny","Action":"iam:CreatePolicyVersion","Resource":"*"}"#,
        ], methods: []),
        Scenario(name: "fp2 Allow and Deny in two policies", policies: [
            #"{"Effect":"Allow","Action":"iam:CreatePolicyVersion","Resource":"*"}"#,
            #"{"Effect":"Deny","Action":"iam:CreatePolicyVersion","Resource":"*"}"#,
        ], methods: []),
        Scenario(name: "fp3 a Deny of everything", policies: [
            #"{"Effect":"Allow","Action":["iam:CreatePolicyVersion","iam:PassRole","ec2:RunInstances"],"Resource":"*"}"#,
            #"{"Effect":"Deny","Action":"*","Resource":"*"}"#,
        ], methods: []),
        Scenario(name: "fp4 only AWS managed policies, which nobody can change", policies: [
            #"{"Effect":"Allow","Action":"iam:CreatePolicyVersion","Resource":"arn:aws:iam::aws:policy/fp4-*"}"#,
        ], methods: []),
        Scenario(name: "fp5 only tokens issued before 2020", policies: [
            #"{"Effect":"Allow","Action":"iam:CreatePolicyVersion","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"2020-01-01T00:00:01Z"}}}"#,
        ], methods: []),
        Scenario(name: "self-service credentials", policies: [
            #"{"Effect":"Allow","Action":["iam:CreateAccessKey","iam:UpdateLoginProfile","iam:CreateLoginProfile"],"Resource":"arn:aws:iam::111122223333:user/${aws:username}"}"#,
        ], methods: []),
    ]

    static func policies(_ scenario: Scenario) -> [PolicyUnderTest] {
        scenario.policies.enumerated().map { index, statements in
            let text = #"{"Version":"2012-10-17","Statement":[\#(statements)]}"#
            return PolicyUnderTest(PolicyParser.parse(text: text, file: "\(scenario.name.prefix(4))-\(index).json").policy!, role: .identity)
        }
    }

    /// As a policy file (any principal it may be attached to) and as a known user's and role's.
    @Test(arguments: scenarios)
    func everyPathFoundAndNoControlReported(_ scenario: Scenario) throws {
        let user = try #require(KnownCaller(arn: "arn:aws:iam::111122223333:user/tester"))
        let role = try #require(KnownCaller(arn: "arn:aws:iam::111122223333:role/tester"))
        for caller in [nil, user, role] {
            let policies = Self.policies(scenario)
            let report = prover.privilegeEscalation(policies, caller: caller)
            // Own keys and passwords are no escalation for a user, but may be for a policy attached
            // to anyone (another user's `${aws:username}`… is still one's own): only a known user is asked.
            if scenario.name == "self-service credentials" && caller == nil { continue }
            // A user cannot be a session of the role it changes.
            let expected = caller?.kind == .user ? scenario.methods.filter { $0 != "9" && $0 != "12" } : scenario.methods
            let found = Set(report.findings.map(\.method.id))
            #expect(Set(expected).isSubset(of: found), "\(scenario.name) as \(String(describing: caller)): found \(found.sorted()), unknown \(report.unknown.map { "\($0.method.id): \($0.reason)" })")
            if expected.isEmpty {
                #expect(report.verdict.isPass, "\(scenario.name) as \(String(describing: caller)): found \(found.sorted()), unknown \(report.unknown.map { "\($0.method.id): \($0.reason)" })")
            }
            for finding in report.findings {
                for witness in finding.steps {
                    let request = witness.counterexample.request
                    if let caller { #expect(caller.matches(request.principal), "\(request)") }
                    #expect(Escalation.allowed(request, identities: policies.map(\.policy)), "\(scenario.name): \(request)")
                }
            }
        }
    }
}
