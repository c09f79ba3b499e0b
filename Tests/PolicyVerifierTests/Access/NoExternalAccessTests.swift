import PolicyLanguage
import Testing
@testable import PolicyVerifier

private let here = SourceSpan(file: "test", start: SourceLocation(line: 1, column: 1))

private func zone(accounts: [String] = ["111122223333"], organizations: [String] = [], vpcs: [String] = [], endpoints: [String] = []) -> TrustedZone {
    TrustedZone(accounts: accounts.map { Located($0, at: here) }, organizations: organizations.map { Located($0, at: here) },
                vpcs: vpcs.map { Located($0, at: here) }, vpcEndpoints: endpoints.map { Located($0, at: here) })
}

private func bucketStatement(_ principal: String, condition: String? = nil, effect: String = "Allow", actions: String = "\"s3:GetObject\"") -> String {
    "{\"Effect\":\"\(effect)\",\"Principal\":\(principal),\"Action\":\(actions),\"Resource\":\"arn:aws:s3:::examplebucket/*\"" + (condition.map { ",\"Condition\":\($0)" } ?? "") + "}"
}

/// A role trust policy statement.
private func trustStatement(_ principal: String, action: String = "sts:AssumeRole", condition: String? = nil) -> String {
    "{\"Effect\":\"Allow\",\"Principal\":\(principal),\"Action\":\"\(action)\"" + (condition.map { ",\"Condition\":\($0)" } ?? "") + "}"
}

struct ExternalCase: CustomTestStringConvertible, Sendable {
    var name: String
    var statements: [String]
    var zone: TrustedZone
    /// nil: no external access; otherwise whether the first finding is public.
    var firstFindingIsPublic: Bool?
    var testDescription: String { name }
}

let externalCases: [ExternalCase] = [
    ExternalCase(name: "a trusted account is inside", statements: [bucketStatement(#"{"AWS":"arn:aws:iam::111122223333:root"}"#)], zone: zone(), firstFindingIsPublic: nil),
    ExternalCase(name: "a role of a trusted account is inside", statements: [bucketStatement(#"{"AWS":"arn:aws:iam::111122223333:role/reader"}"#)], zone: zone(), firstFindingIsPublic: nil),
    ExternalCase(name: "one other account is external, not public", statements: [bucketStatement(#"{"AWS":"444455556666"}"#)], zone: zone(), firstFindingIsPublic: false),
    ExternalCase(name: "everyone is public", statements: [bucketStatement("\"*\"")], zone: zone(), firstFindingIsPublic: true),
    ExternalCase(name: "everyone in a trusted organization is inside", statements: [bucketStatement("\"*\"", condition: #"{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}"#)], zone: zone(organizations: ["o-a1b2c3d4e5"]), firstFindingIsPublic: nil),
    ExternalCase(name: "everyone in an untrusted organization is external, not public", statements: [bucketStatement("\"*\"", condition: #"{"StringEquals":{"aws:PrincipalOrgID":"o-zzzzzzzzzz"}}"#)], zone: zone(organizations: ["o-a1b2c3d4e5"]), firstFindingIsPublic: false),
    ExternalCase(name: "aws:PrincipalAccount of a trusted account is inside", statements: [bucketStatement("\"*\"", condition: #"{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}"#)], zone: zone(), firstFindingIsPublic: nil),
    ExternalCase(name: "aws:SourceAccount of a trusted account is inside", statements: [bucketStatement("\"*\"", condition: #"{"StringEquals":{"aws:SourceAccount":"111122223333"}}"#)], zone: zone(), firstFindingIsPublic: nil),
    ExternalCase(name: "a fixed untrusted VPC endpoint is external", statements: [bucketStatement("\"*\"", condition: #"{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}"#)], zone: zone(), firstFindingIsPublic: false),
    ExternalCase(name: "a trusted VPC endpoint is inside", statements: [bucketStatement("\"*\"", condition: #"{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}"#)], zone: zone(endpoints: ["vpce-1a2b3c4d"]), firstFindingIsPublic: nil),
    ExternalCase(name: "a trusted VPC is inside", statements: [bucketStatement("\"*\"", condition: #"{"StringEquals":{"aws:SourceVpc":"vpc-111bbb22"}}"#)], zone: zone(vpcs: ["vpc-111bbb22"]), firstFindingIsPublic: nil),
    ExternalCase(name: "a Deny outside the trusted organization closes everyone", statements: [
        bucketStatement("\"*\""),
        bucketStatement("\"*\"", condition: #"{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}"#, effect: "Deny", actions: "\"s3:*\""),
    ], zone: zone(organizations: ["o-a1b2c3d4e5"]), firstFindingIsPublic: nil),
    ExternalCase(name: "a Deny outside an untrusted organization leaves that organization in", statements: [
        bucketStatement("\"*\""),
        bucketStatement("\"*\"", condition: #"{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}"#, effect: "Deny", actions: "\"s3:*\""),
    ], zone: zone(), firstFindingIsPublic: false),
    ExternalCase(name: "a service principal is not external", statements: [bucketStatement(#"{"Service":"cloudtrail.amazonaws.com"}"#)], zone: zone(), firstFindingIsPublic: nil),
    // Role trust policies: who can assume the role.
    ExternalCase(name: "a role assumable by everyone is public", statements: [trustStatement(#"{"AWS":"*"}"#)], zone: zone(), firstFindingIsPublic: true),
    ExternalCase(name: "a role assumable by another account is external", statements: [trustStatement(#"{"AWS":"arn:aws:iam::444455556666:root"}"#, condition: #"{"StringEquals":{"sts:ExternalId":"12345"}}"#)], zone: zone(), firstFindingIsPublic: false),
    ExternalCase(name: "a role assumable by its own account is inside", statements: [trustStatement(#"{"AWS":"arn:aws:iam::111122223333:root"}"#)], zone: zone(), firstFindingIsPublic: nil),
    ExternalCase(name: "a role for EC2 is inside", statements: [trustStatement(#"{"Service":"ec2.amazonaws.com"}"#)], zone: zone(), firstFindingIsPublic: nil),
    ExternalCase(name: "GitHub OIDC without a subject is public", statements: [trustStatement(#"{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}"#, action: "sts:AssumeRoleWithWebIdentity", condition: #"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}"#)], zone: zone(), firstFindingIsPublic: true),
    ExternalCase(name: "GitHub OIDC with any repository is public", statements: [trustStatement(#"{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}"#, action: "sts:AssumeRoleWithWebIdentity", condition: #"{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:*"}}"#)], zone: zone(), firstFindingIsPublic: true),
    ExternalCase(name: "GitHub OIDC for one organization's repositories is external, not public", statements: [trustStatement(#"{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}"#, action: "sts:AssumeRoleWithWebIdentity", condition: #"{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:example-org/*"}}"#)], zone: zone(), firstFindingIsPublic: false),
    ExternalCase(name: "Cognito without an audience is public", statements: [trustStatement(#"{"Federated":"cognito-identity.amazonaws.com"}"#, action: "sts:AssumeRoleWithWebIdentity")], zone: zone(), firstFindingIsPublic: true),
    ExternalCase(name: "Cognito with a fixed audience is external, not public", statements: [trustStatement(#"{"Federated":"cognito-identity.amazonaws.com"}"#, action: "sts:AssumeRoleWithWebIdentity", condition: #"{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-2:12345678-abcd-abcd-abcd-123456"}}"#)], zone: zone(), firstFindingIsPublic: false),
    ExternalCase(name: "a SAML provider of a trusted account is inside", statements: [trustStatement(#"{"Federated":"arn:aws:iam::111122223333:saml-provider/ExampleIdP"}"#, action: "sts:AssumeRoleWithSAML", condition: #"{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}"#)], zone: zone(), firstFindingIsPublic: nil),
    ExternalCase(name: "a SAML provider of another account is external", statements: [trustStatement(#"{"Federated":"arn:aws:iam::444455556666:saml-provider/ExampleIdP"}"#, action: "sts:AssumeRoleWithSAML")], zone: zone(), firstFindingIsPublic: false),
]

@Suite("No external access")
struct NoExternalAccessTests {
    @Test(arguments: externalCases)
    func verdict(_ testCase: ExternalCase) {
        let report = prover.noExternalAccess(resourcePolicy(testCase.statements.joined(separator: ",")), zone: testCase.zone)
        switch report.verdict {
        case .pass:
            #expect(testCase.firstFindingIsPublic == nil, "proved no external access")
        case .fail:
            #expect(testCase.firstFindingIsPublic != nil, "found external access: \(report.findings.map { $0.example.request })")
            #expect(report.findings.first?.isPublic == testCase.firstFindingIsPublic)
            #expect(report.findingsAreComplete)
            for finding in report.findings {
                let account = finding.example.request.principal.account
                #expect(account != "111122223333", "a finding's caller is in the trusted account")
            }
        case .unknown(let reason):
            Issue.record("UNKNOWN: \(reason)")
        }
    }

    @Test("public findings come first; an external question lists the other ways in after them")
    func publicThenExternal() throws {
        let policy = resourcePolicy([
            bucketStatement(#"{"AWS":"arn:aws:iam::444455556666:root"}"#, actions: "[\"s3:PutObject\"]"),
            bucketStatement("\"*\"", condition: #"{"StringLike":{"aws:SourceVpc":"vpc-*"}}"#),
            bucketStatement(#"{"AWS":"arn:aws:iam::111122223333:root"}"#, actions: "\"s3:*\""),
        ].joined(separator: ","))
        let report = prover.noExternalAccess(policy, zone: zone())
        #expect(report.findings.map(\.isPublic) == [true, false])
        #expect(report.findings.map(\.statement.statementIndex) == [1, 0])
        #expect(report.findings.map(\.principal) == ["*", "AWS: arn:aws:iam::444455556666:root"])
        #expect(report.findings[1].actions == ["s3:PutObject"])
        #expect(report.findingsAreComplete)
        // The public question alone reports only the public way in.
        #expect(prover.noPublicAccess(policy).findings.count == 1)
    }

    @Test("a statement naming several outsiders gives one finding per principal value")
    func onePerPrincipal() {
        let policy = resourcePolicy(bucketStatement(#"{"AWS":["444455556666","arn:aws:iam::777788889999:role/r","111122223333"]}"#))
        let report = prover.noExternalAccess(policy, zone: zone())
        #expect(Set(report.findings.map(\.principal)) == ["AWS: 444455556666", "AWS: arn:aws:iam::777788889999:role/r"])
        #expect(report.findingsAreComplete)
    }

    @Test("the finding limit stops the enumeration and says so")
    func limit() {
        let policy = resourcePolicy(bucketStatement(#"{"AWS":["444455556666","777788889999"]}"#))
        let report = prover.noExternalAccess(policy, zone: zone(), findingLimit: 1)
        #expect(report.findings.count == 1)
        #expect(!report.findingsAreComplete)
    }
}
