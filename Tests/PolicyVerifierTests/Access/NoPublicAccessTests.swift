import PolicyLanguage
import Testing
@testable import PolicyVerifier

/// A bucket-policy statement granting `s3:GetObject` to `principal` under `condition` (JSON).
private func grant(_ principal: String = "\"*\"", condition: String? = nil, effect: String = "Allow", action: String = "\"s3:GetObject\"") -> String {
    let conditionPart = condition.map { ",\"Condition\":\($0)" } ?? ""
    return "{\"Effect\":\"\(effect)\",\"Principal\":\(principal),\"Action\":\(action),\"Resource\":\"arn:aws:s3:::examplebucket/*\"\(conditionPart)}"
}

struct PublicCase: CustomTestStringConvertible, Sendable {
    var name: String
    var statements: [String]
    var isPublic: Bool
    var testDescription: String { name }
}

/// SEMANTICS.md §5: the S3 "meaning of public" and IAM Access Analyzer's attacker model.
let publicCases: [PublicCase] = [
    // Principals.
    PublicCase(name: "Principal * is public", statements: [grant()], isPublic: true),
    PublicCase(name: "Principal AWS * is public", statements: [grant("{\"AWS\":\"*\"}")], isPublic: true),
    PublicCase(name: "one named account is not public", statements: [grant("{\"AWS\":\"arn:aws:iam::444455556666:root\"}")], isPublic: false),
    PublicCase(name: "a bare account ID is not public", statements: [grant("{\"AWS\":\"444455556666\"}")], isPublic: false),
    PublicCase(name: "a named role is not public", statements: [grant("{\"AWS\":\"arn:aws:iam::444455556666:role/reader\"}")], isPublic: false),
    PublicCase(name: "a service principal is not public", statements: [grant("{\"Service\":\"cloudtrail.amazonaws.com\"}")], isPublic: false),
    PublicCase(name: "a CloudFront origin access identity is not public", statements: [grant("{\"AWS\":\"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1\"}")], isPublic: false),
    PublicCase(name: "a canonical user is not public", statements: [grant("{\"CanonicalUser\":\"\(String(repeating: "7d", count: 32))\"}")], isPublic: false),
    PublicCase(name: "Allow with NotPrincipal is public", statements: ["{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::examplebucket/*\"}"], isPublic: true),
    // Fixed values of the listed keys make a statement non-public; wildcards do not.
    PublicCase(name: "aws:SourceVpc with a wildcard is public", statements: [grant(condition: #"{"StringLike":{"aws:SourceVpc":"vpc-*"}}"#)], isPublic: true),
    PublicCase(name: "aws:SourceVpc fixed is not public", statements: [grant(condition: #"{"StringEquals":{"aws:SourceVpc":"vpc-91237329"}}"#)], isPublic: false),
    PublicCase(name: "aws:SourceVpc StringLike without wildcard is not public", statements: [grant(condition: #"{"StringLike":{"aws:SourceVpc":"vpc-91237329"}}"#)], isPublic: false),
    PublicCase(name: "aws:PrincipalOrgID fixed ignoring case is not public", statements: [grant(condition: #"{"StringEqualsIgnoreCase":{"aws:PrincipalOrgID":"O-A1B2C3D4E5"}}"#)], isPublic: false),
    PublicCase(name: "StringNotEqualsIgnoreCase on aws:SourceVpc is public", statements: [grant(condition: #"{"StringNotEqualsIgnoreCase":{"aws:SourceVpc":"VPC-1"}}"#)], isPublic: true),
    PublicCase(name: "aws:SourceVpce fixed is not public", statements: [grant(condition: #"{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}"#)], isPublic: false),
    PublicCase(name: "aws:PrincipalOrgID fixed is not public", statements: [grant(condition: #"{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}"#)], isPublic: false),
    PublicCase(name: "aws:PrincipalOrgID with a wildcard is public", statements: [grant(condition: #"{"StringLike":{"aws:PrincipalOrgID":"o-*"}}"#)], isPublic: true),
    PublicCase(name: "ForAnyValue:StringEquals on aws:PrincipalOrgID is not public", statements: [grant(condition: #"{"ForAnyValue:StringEquals":{"aws:PrincipalOrgID":["o-a1b2c3d4e5"]}}"#)], isPublic: false),
    PublicCase(name: "ForAllValues on aws:PrincipalOrgID is public (callers outside any organization)", statements: [grant(condition: #"{"ForAllValues:StringEquals":{"aws:PrincipalOrgID":["o-a1b2c3d4e5"]}}"#)], isPublic: true),
    PublicCase(name: "aws:PrincipalOrgPaths under a fixed organization is not public", statements: [grant(condition: #"{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"]}}"#)], isPublic: false),
    PublicCase(name: "aws:PrincipalOrgPaths with a wildcard organization is public", statements: [grant(condition: #"{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":["o-*/r-ab12/*"]}}"#)], isPublic: true),
    PublicCase(name: "aws:PrincipalAccount fixed is not public", statements: [grant(condition: #"{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}"#)], isPublic: false),
    PublicCase(name: "aws:PrincipalArn in a fixed account is not public", statements: [grant(condition: #"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/*"}}"#)], isPublic: false),
    PublicCase(name: "aws:PrincipalArn in any account is public", statements: [grant(condition: #"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/admin"}}"#)], isPublic: true),
    PublicCase(name: "aws:SourceAccount fixed is not public", statements: [grant(condition: #"{"StringEquals":{"aws:SourceAccount":"111122223333"}}"#)], isPublic: false),
    PublicCase(name: "aws:SourceOwner fixed is not public", statements: [grant(condition: #"{"StringEquals":{"aws:SourceOwner":"111122223333"}}"#)], isPublic: false),
    PublicCase(name: "aws:SourceArn of a fixed bucket is not public", statements: [grant(condition: #"{"ArnEquals":{"aws:SourceArn":"arn:aws:s3:::source-bucket"}}"#)], isPublic: false),
    PublicCase(name: "aws:SourceArn of any bucket is public", statements: [grant(condition: #"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::*"}}"#)], isPublic: true),
    PublicCase(name: "aws:SourceArn in a fixed account is not public", statements: [grant(condition: #"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"}}"#)], isPublic: false),
    PublicCase(name: "the S3 KMS key ID fixed is not public", statements: [grant(condition: #"{"StringEquals":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}"#)], isPublic: false),
    PublicCase(name: "s3:DataAccessPointAccount fixed is not public", statements: [grant(condition: #"{"StringEquals":{"s3:DataAccessPointAccount":"111122223333"}}"#)], isPublic: false),
    PublicCase(name: "s3:DataAccessPointArn with a wildcard name in a fixed account is not public", statements: [grant(condition: #"{"StringLike":{"s3:DataAccessPointArn":"arn:aws:s3:us-east-1:111122223333:accesspoint/*"}}"#)], isPublic: false),
    PublicCase(name: "aws:userid of a fixed user is not public", statements: [grant(condition: #"{"StringEquals":{"aws:userid":"AIDAEXAMPLEUSERID"}}"#)], isPublic: false),
    PublicCase(name: "aws:userid AROLEID:* is public", statements: [grant(condition: #"{"StringLike":{"aws:userid":"AROAEXAMPLEROLEID:*"}}"#)], isPublic: true),
    PublicCase(name: "kms:CallerAccount fixed is not public", statements: [grant(condition: #"{"StringEquals":{"kms:CallerAccount":"111122223333"}}"#)], isPublic: false),
    // Negated operators and keys the caller sets never make a statement non-public.
    PublicCase(name: "StringNotEquals on aws:SourceAccount is public", statements: [grant(condition: #"{"StringNotEquals":{"aws:SourceAccount":"111122223333"}}"#)], isPublic: true),
    PublicCase(name: "StringNotEquals on aws:PrincipalOrgID is public", statements: [grant(condition: #"{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}"#)], isPublic: true),
    PublicCase(name: "IfExists on a fixed aws:SourceVpc is public (the key can be absent)", statements: [grant(condition: #"{"StringEqualsIfExists":{"aws:SourceVpc":"vpc-91237329"}}"#)], isPublic: true),
    PublicCase(name: "aws:Referer is public (the client sets it)", statements: [grant(condition: #"{"StringLike":{"aws:Referer":"https://www.example.com/*"}}"#)], isPublic: true),
    PublicCase(name: "aws:PrincipalTag is public (the caller tags itself)", statements: [grant(condition: #"{"StringEquals":{"aws:PrincipalTag/team":"blue"}}"#)], isPublic: true),
    PublicCase(name: "aws:SecureTransport is public", statements: [grant(condition: #"{"Bool":{"aws:SecureTransport":"true"}}"#)], isPublic: true),
    PublicCase(name: "aws:VpcSourceIp is public (any VPC has private addresses)", statements: [grant(condition: #"{"IpAddress":{"aws:VpcSourceIp":"10.0.0.0/16"}}"#)], isPublic: true),
    // aws:SourceIp: broader than /8 (IPv4) or /32 (IPv6) is public.
    PublicCase(name: "aws:SourceIp 0.0.0.0/1 is public", statements: [grant(condition: #"{"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}}"#)], isPublic: true),
    PublicCase(name: "aws:SourceIp 0.0.0.0/0 is public", statements: [grant(condition: #"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#)], isPublic: true),
    PublicCase(name: "aws:SourceIp /7 is public", statements: [grant(condition: #"{"IpAddress":{"aws:SourceIp":"12.0.0.0/7"}}"#)], isPublic: true),
    PublicCase(name: "aws:SourceIp /8 is not public", statements: [grant(condition: #"{"IpAddress":{"aws:SourceIp":"12.0.0.0/8"}}"#)], isPublic: false),
    PublicCase(name: "aws:SourceIp /24 is not public", statements: [grant(condition: #"{"IpAddress":{"aws:SourceIp":"54.240.143.0/24"}}"#)], isPublic: false),
    PublicCase(name: "aws:SourceIp RFC 1918 is not public", statements: [grant(condition: #"{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","172.16.0.0/12","192.168.0.0/16"]}}"#)], isPublic: false),
    PublicCase(name: "aws:SourceIp IPv6 /32 is not public", statements: [grant(condition: #"{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}"#)], isPublic: false),
    PublicCase(name: "aws:SourceIp IPv6 /31 is public", statements: [grant(condition: #"{"IpAddress":{"aws:SourceIp":"2001:db8::/31"}}"#)], isPublic: true),
    PublicCase(name: "aws:SourceIp with one broad range among narrow ones is public", statements: [grant(condition: #"{"IpAddress":{"aws:SourceIp":["54.240.143.0/24","128.0.0.0/1"]}}"#)], isPublic: true),
    PublicCase(name: "NotIpAddress on aws:SourceIp is public", statements: [grant(condition: #"{"NotIpAddress":{"aws:SourceIp":"54.240.143.0/24"}}"#)], isPublic: true),
    // The answer is semantic: a Deny that closes the access makes the policy non-public.
    PublicCase(name: "a Deny outside the organization closes a public Allow", statements: [
        grant(),
        grant(condition: #"{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}"#, effect: "Deny", action: "\"s3:*\""),
    ], isPublic: false),
    PublicCase(name: "a Deny unless from a fixed VPC endpoint closes a public Allow", statements: [
        grant(),
        grant(condition: #"{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}"#, effect: "Deny", action: "\"s3:*\""),
    ], isPublic: false),
    PublicCase(name: "a Deny unless from a narrow range closes a public Allow", statements: [
        grant(),
        grant(condition: #"{"NotIpAddress":{"aws:SourceIp":"54.240.143.0/24"}}"#, effect: "Deny", action: "\"s3:*\""),
    ], isPublic: false),
    PublicCase(name: "a Deny with NotPrincipal closes a public Allow", statements: [
        grant(),
        "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::examplebucket/*\"}",
    ], isPublic: false),
    PublicCase(name: "a Deny on other actions leaves the Allow public", statements: [
        grant(),
        grant(condition: #"{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}"#, effect: "Deny", action: "\"s3:PutObject\""),
    ], isPublic: true),
    PublicCase(name: "a Deny with a wildcard VPC leaves the Allow public", statements: [
        grant(),
        grant(condition: #"{"StringNotLike":{"aws:SourceVpc":"vpc-*"}}"#, effect: "Deny", action: "\"s3:*\""),
    ], isPublic: true),
    PublicCase(name: "one public statement makes the policy public", statements: [
        grant("{\"AWS\":\"arn:aws:iam::444455556666:root\"}"),
        grant(condition: #"{"StringLike":{"aws:SourceVpc":"vpc-*"}}"#),
    ], isPublic: true),
]

@Suite("No public access")
struct NoPublicAccessTests {
    @Test(arguments: publicCases)
    func verdict(_ testCase: PublicCase) {
        let report = prover.noPublicAccess(resourcePolicy(testCase.statements.joined(separator: ",")))
        switch report.verdict {
        case .pass:
            #expect(!testCase.isPublic, "proved non-public, expected public")
        case .fail(let examples):
            #expect(testCase.isPublic, "found public access: \(examples.map(\.request))")
            #expect(report.findings.allSatisfy { $0.isPublic })
            #expect(report.findingsAreComplete)
        case .unknown(let reason):
            Issue.record("UNKNOWN: \(reason)")
        }
    }

    @Test("every counterexample is an outsider's request the evaluator allows")
    func certifiedOutsiderRequests() throws {
        let policy = resourcePolicy(grant(condition: #"{"StringLike":{"aws:SourceVpc":"vpc-*"}}"#))
        let report = prover.noPublicAccess(policy)
        let finding = try #require(report.findings.first)
        let request = finding.example.request
        #expect(request.principal.account != "111122223333")
        let vpc = try #require(request.context.entry("aws:SourceVpc")?.values.first)
        #expect(vpc.hasPrefix("vpc-"))
        #expect(PolicyEvaluator(catalog: nil).applicableStatements(of: policy.policy, role: .resource, request: request).allows)
        #expect(finding.principal == "*")
        #expect(finding.conditions == [ConditionSummary(operatorName: "StringLike", key: "aws:SourceVpc", values: ["vpc-*"])])
        #expect(finding.statement.statementIndex == 0)
        #expect(report.resourceType == .s3Bucket)
    }

    @Test("an identity policy grants nothing to outsiders")
    func identityPolicy() {
        let report = prover.noPublicAccess(identity(#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#))
        #expect(report.verdict.isPass)
        #expect(report.namesNoCallers)
    }

    @Test("the MIT-0 bucket policy samples get their documented verdicts")
    func bucketSamples() throws {
        let expected: [String: Bool] = [
            "s3-bucket-public-read-anonymous": true, "s3-bucket-deny-all-outside-ip-range": false,
            "s3-bucket-allow-ip-ranges-ipv4-ipv6": false, "s3-bucket-referer-public": true,
            "s3-bucket-cloudfront-oai": false, "s3-bucket-deny-no-mfa-plus-public-read": true,
            "s3-bucket-cross-account-put-with-canned-acl": false, "s3-bucket-service-principal-source-arn": false,
            "s3-bucket-deny-except-from-vpce": false, "s3-bucket-deny-except-from-vpc": false,
            "s3-bucket-put-object-principal-org-id": false,
        ]
        for (name, isPublic) in expected {
            let parsed = PolicyParser.parse(contentsOf: VerifierPaths.samples.appendingPathComponent(name + ".json").path)
            let policy = try #require(parsed.policy, "\(name) does not parse")
            let verdict = prover.noPublicAccess(PolicyUnderTest(policy, role: .resource)).verdict
            #expect(verdict.isFail == isPublic, "\(name): \(verdict)")
            #expect(!verdict.isUnknown, "\(name): \(verdict)")
        }
    }
}

extension Verdict {
    var isPass: Bool { if case .pass = self { true } else { false } }
    var isFail: Bool { if case .fail = self { true } else { false } }
    var isUnknown: Bool { if case .unknown = self { true } else { false } }
}
