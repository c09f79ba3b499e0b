import PolicyLanguage
import SMT
import Testing
@testable import PolicyVerifier

/// The outsider restriction is stated twice: as Z3 terms (`RequestEncoding.outsiderTerm`) and as a
/// concrete check (`Outsiders.admits`) that certifies counterexamples. These tests fix many concrete
/// requests in the encoding and require both to agree on every one.
@Suite("Outsider predicate: encoding and concrete check agree")
struct OutsiderPredicateTests {
    static let conditions = [
        #"{"StringEquals":{"aws:SourceAccount":"111122223333"}}"#,
        #"{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}"#,
        #"{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"o-a1b2c3d4e5/*"}}"#,
        #"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"}}"#,
        #"{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}"#,
        #"{"StringEquals":{"aws:userid":"AIDAEXAMPLEUSER"}}"#,
        #"{"IpAddress":{"aws:SourceIp":"54.240.143.0/24"}}"#,
        #"{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:example-org/*"}}"#,
        #"{"StringEquals":{"aws:Referer":"https://example.com"}}"#,
        #"{"StringEqualsIgnoreCase":{"aws:SourceVpc":"VPC-Mixed"}}"#,
    ]

    static let values: [String: [String]] = [
        "aws:SourceAccount": ["111122223333", "444455556666", ""],
        "aws:PrincipalOrgID": ["o-a1b2c3d4e5", "o-other00000", "o-a1b2c3d4e5x"],
        "aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-ab12/", "o-a1b2c3d4e5", "o-other00000/r-ab12/", "o-a1b2c3d4e5x/r/"],
        "aws:SourceArn": ["arn:aws:sns:us-east-1:111122223333:topic", "arn:aws:sns:us-east-1:444455556666:topic", "arn:aws:s3:::bucket", "arn:aws:sns:a:b:111122223333:x", "arn:aws:sns:us-east-1:111122223333"],
        "aws:SourceVpce": ["vpce-1a2b3c4d", "vpce-99999999"],
        "aws:userid": ["AIDAEXAMPLEUSER", "AIDAEXAMPLEUSER:session", "AROAOTHER:x"],
        "aws:SourceIp": ["54.240.143.7", "54.240.144.1", "2001:db8::1"],
        "token.actions.githubusercontent.com:sub": ["repo:example-org/app:ref:refs/heads/main", "repo:example-orgx/app", "repo:other/app"],
        "aws:Referer": ["https://example.com", "x"],
        "aws:SourceVpc": ["vpc-mixed", "VPC-MIXED", "VPC-Mixed", "vpc-other"],
    ]

    static let principals: [RequestPrincipal] = [
        .anonymous, .root(account: "444455556666"), .root(account: "111122223333"),
        .user(account: "444455556666", arn: "arn:aws:iam::444455556666:user/u", name: "u"), .service("sns.amazonaws.com"),
    ]

    /// Requests: each principal, with every key absent, and then each key alone with each of its values.
    static var requests: [Request] {
        var result: [Request] = []
        for principal in principals {
            result.append(Request(principal: principal, action: "s3:GetObject", resource: "arn:aws:s3:::examplebucket/object"))
            for (key, candidates) in values.sorted(by: { $0.key < $1.key }) {
                for value in candidates {
                    var context = RequestContext()
                    context.set(value, for: key)
                    result.append(Request(principal: principal, action: "s3:GetObject", resource: "arn:aws:s3:::examplebucket/object", context: context))
                }
            }
        }
        return result
    }

    @Test(arguments: [AccessQuestion.publicAccess, .externalAccess(TrustedZone(accounts: [Located("111122223333", at: SourceSpan(file: "t", start: SourceLocation(line: 1, column: 1)))]))])
    func agree(_ question: AccessQuestion) throws {
        let statements = Self.conditions.map { "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":\($0)}" }
        let policy = resourcePolicy(statements.joined(separator: ","))
        let outsiders = Outsiders(question: question, policies: [policy.policy])
        let encoding = try RequestEncoding(policies: [policy], catalog: .bundled, namedAccounts: outsiders.owned.accounts.sorted())
        let outsider = try encoding.outsiderTerm(outsiders)
        var checked = 0
        for request in Self.requests {
            guard let fixed = try encoding.constraints(fixing: request) else { continue }
            let solver = try Solver(context: encoding.context)
            try solver.add(encoding.domain + fixed + [outsider])
            let result = try solver.check(timeout: .seconds(10))
            #expect(result.unknownReason == nil)
            #expect((result.model != nil) == outsiders.admits(request), "\(question) \(request.principal) \(request.context.allEntries.map { "\($0.name)=\($0.values)" })")
            checked += 1
        }
        #expect(checked > 100)
    }

    @Test("the owned values of a policy")
    func ownedValues() {
        let policy = resourcePolicy(Self.conditions.map { "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::777788889999:role/r\"},\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":\($0)}" }.joined(separator: ",")).policy
        let owned = OwnedValues(fixedBy: [policy], zone: TrustedZone())
        #expect(owned.accounts == ["111122223333", "777788889999"])
        #expect(owned.organizations == ["o-a1b2c3d4e5"])
        #expect(owned.uniqueIDs == ["AIDAEXAMPLEUSER"])
        #expect(owned.gitHubOwners == ["repo:example-org"])
        #expect(owned.addressRanges.map(\.description) == ["54.240.143.0/24"])
        #expect(owned.wholeValues["aws:sourcevpce"] == ["vpce-1a2b3c4d"])
        #expect(owned.wholeValues["aws:referer"] == nil)
    }

    @Test("which keys AWS ties to the caller", arguments: [
        ("aws:SourceIp", BoundKeyRule.sourceAddress), ("AWS:SOURCEVPC", .owned), ("aws:PrincipalOrgPaths", .organizationPath),
        ("cognito-identity.amazonaws.com:aud", .owned), ("accounts.google.com:sub", .owned), ("graph.facebook.com:app_id", .owned),
        ("token.actions.githubusercontent.com:sub", .gitHubSubject), ("kms:CallerAccount", .account),
    ])
    func bound(_ key: String, _ rule: BoundKeyRule) {
        #expect(BoundKeyRule.rule(for: key) == rule)
    }

    @Test("keys the caller sets freely", arguments: ["aws:Referer", "aws:PrincipalTag/team", "aws:SecureTransport", "aws:VpcSourceIp", "token.actions.githubusercontent.com:aud", "cognito-identity.amazonaws.com:amr", "sts:ExternalId"])
    func free(_ key: String) {
        #expect(BoundKeyRule.rule(for: key) == nil)
    }
}
