import PolicyLanguage
import Testing
@testable import PolicyVerifier

@Suite("Resource types and source address counts")
struct ResourceTypeAndAddressTests {
    @Test("the type is inferred from actions and resources", arguments: [
        (#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#, ResourceType.s3Bucket),
        (#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:us-east-1:111122223333:accesspoint/ap/object/*"}"#, .s3AccessPoint),
        (#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}"#, .kmsKey),
        (#"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:sqs:us-east-1:111122223333:queue"}"#, .sqsQueue),
        (#"{"Effect":"Allow","Principal":"*","Action":"SNS:Publish","Resource":"arn:aws:sns:us-east-1:111122223333:topic"}"#, .snsTopic),
        (#"{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:111122223333:function:f"}"#, .lambdaFunction),
        (#"{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}"#, .secretsManagerSecret),
        (#"{"Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}"#, .ecrRepository),
        (#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["sts:AssumeRole","sts:TagSession"]}"#, .iamRoleTrust),
        (#"{"Effect":"Allow","Principal":"*","Action":"elasticfilesystem:ClientMount","Resource":"*"}"#, .efsFileSystem),
        (#"{"Effect":"Allow","Principal":"*","Action":"es:ESHttpGet","Resource":"arn:aws:es:us-east-1:111122223333:domain/d/*"}"#, .openSearchDomain),
        (#"{"Effect":"Allow","Principal":"*","Action":"glacier:InitiateJob","Resource":"*"}"#, .glacierVault),
        (#"{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:api/*"}"#, .apiGateway),
    ])
    func inferred(_ statement: String, _ type: ResourceType) {
        #expect(ResourceType.infer(from: resourcePolicy(statement).policy) == type)
    }

    @Test("several services give no type")
    func mixed() {
        #expect(ResourceType.infer(from: resourcePolicy(#"{"Effect":"Allow","Principal":"*","Action":["s3:GetObject","sqs:SendMessage"],"Resource":"*"}"#).policy) == nil)
    }

    @Test("a key policy is asked over KMS actions only")
    func scopedToTheType() throws {
        let policy = resourcePolicy(#"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}"#)
        let report = prover.noPublicAccess(policy, resourceType: .kmsKey)
        let finding = try #require(report.findings.first)
        #expect(finding.example.request.action.lowercased().hasPrefix("kms:"))
        #expect(report.resourceType == .kmsKey)
        // A type whose actions the policy does not grant: nothing is open.
        #expect(prover.noPublicAccess(resourcePolicy(#"{"Effect":"Allow","Principal":"*","Action":"sqs:*","Resource":"*"}"#), resourceType: .kmsKey).verdict.isPass)
    }

    /// 0.0.0.0/1 is 2^31 addresses, less 0/8, 10/8, 127/8 and 100.64/10.
    static let addressCases: [(String, UInt64, UInt64)] = [
        (#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}}"#, 2_092_957_696, 0),
        (#"{"IpAddress":{"aws:SourceIp":"54.240.143.0/24"}}"#, 256, 0),
        (#"{"IpAddress":{"aws:SourceIp":"54.240.143.0/24"},"NotIpAddress":{"aws:SourceIp":"54.240.143.128/30"}}"#, 252, 0),
        (#"{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.1.0/24"]}}"#, 0, 0),
        (#"{"NotIpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#, 0, UInt64.max),
        (#"{"IpAddress":{"aws:SourceIp":"2a00::/64"}}"#, 0, UInt64.max),
        (#"{"IpAddress":{"aws:SourceIp":"2a00::/96"}}"#, 0, 4_294_967_296),
    ]

    @Test("public source addresses are counted", arguments: addressCases)
    func addresses(_ condition: String, _ ipv4: UInt64, _ ipv6: UInt64) throws {
        let statement = resourcePolicy("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":\(condition)}").policy.statements[0]
        let count = try #require(SourceAddressCount.publicAddresses(admittedBy: statement.condition))
        #expect(count.ipv4 == ipv4)
        #expect(count.ipv6 == ipv6)
    }

    @Test("no count without an aws:SourceIp condition")
    func noCount() {
        let statement = resourcePolicy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}}}"#).policy.statements[0]
        #expect(SourceAddressCount.publicAddresses(admittedBy: statement.condition) == nil)
    }
}
