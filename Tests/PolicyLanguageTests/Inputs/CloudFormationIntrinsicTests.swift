import Foundation
import Testing
@testable import PolicyLanguage

@Suite("CloudFormation intrinsics")
struct CloudFormationIntrinsicTests {
    /// The first policy of a one-resource template whose bucket policy document is `document` (YAML).
    func bucketPolicy(_ statement: String, parameters: String = "") -> EmbeddedPolicy? {
        let text = """
        AWSTemplateFormatVersion: "2010-09-09"
        \(parameters)
        Resources:
          Data:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: data-bucket
          Policy:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: !Ref Data
              PolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - \(statement)
        """
        return PolicyExtractor.extract(bytes: Array(text.utf8), file: "t.yaml").policies.first
    }

    struct ResourceCase: Sendable, CustomTestStringConvertible {
        var resource: String
        var expected: String
        var substituted: Bool
        var testDescription: String { resource }
    }

    @Test(arguments: [
        ResourceCase(resource: #"!Sub "arn:aws:s3:::${Data}/*""#, expected: "arn:aws:s3:::data-bucket/*", substituted: false),
        ResourceCase(resource: #"!Sub "arn:aws:s3:::${Data}/${!aws:username}/*""#, expected: "arn:aws:s3:::data-bucket/${aws:username}/*", substituted: false),
        ResourceCase(resource: #"!Sub "arn:aws:s3:::${Data}/${aws:username}/*""#, expected: "arn:aws:s3:::data-bucket/${aws:username}/*", substituted: false),
        ResourceCase(resource: #"!Sub ["arn:aws:s3:::${B}/*", {B: !Ref Data}]"#, expected: "arn:aws:s3:::data-bucket/*", substituted: false),
        ResourceCase(resource: #"!Join ["/", [!GetAtt Data.Arn, "*"]]"#, expected: "arn:aws:s3:::data-bucket/*", substituted: false),
        ResourceCase(resource: #"!Select [1, ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]]"#, expected: "arn:aws:s3:::b/*", substituted: false),
        ResourceCase(resource: #"!Select [0, !Split [",", "arn:aws:s3:::x/*,arn:aws:s3:::y/*"]]"#, expected: "arn:aws:s3:::x/*", substituted: false),
        ResourceCase(resource: #"!Sub "arn:aws:s3:::${Name}/*""#, expected: "arn:aws:s3:::cfn-ref-Name/*", substituted: true),
        ResourceCase(resource: "!Ref WholeArn", expected: "arn:aws:s3:::cfn-ref-WholeArn", substituted: true),
        ResourceCase(resource: "!ImportValue shared-bucket-arn", expected: "arn:aws:s3:::cfn-import-shared-bucket-arn", substituted: true),
        ResourceCase(resource: #"!Sub "arn:aws:s3:::${AWS::StackName}/*""#, expected: "arn:aws:s3:::stack-name/*", substituted: true),
    ])
    func resourceValues(_ testCase: ResourceCase) throws {
        let policy = try #require(bucketPolicy(
            "{Effect: Allow, Principal: {Service: logs.amazonaws.com}, Action: s3:PutObject, Resource: \(testCase.resource)}",
            parameters: "Parameters: {Name: {Type: String}, WholeArn: {Type: String}}"))
        #expect(policy.statements.first?.resourceTexts == [testCase.expected])
        #expect(policy.substitutions.isEmpty == !testCase.substituted, "\(policy.substitutions)")
        // None of these is in a principal or an action: no blocker.
        #expect(policy.blockers.isEmpty)
        #expect(policy.validationErrors.isEmpty, "\(policy.validationErrors)")
    }

    struct PrincipalCase: Sendable, CustomTestStringConvertible {
        var principal: String
        var blocks: Bool
        var testDescription: String { principal }
    }

    @Test(arguments: [
        PrincipalCase(principal: "{AWS: !Ref Partner}", blocks: true),
        PrincipalCase(principal: #"{AWS: !Sub "arn:aws:iam::${Partner}:root"}"#, blocks: true),
        PrincipalCase(principal: "{AWS: !ImportValue partner-account}", blocks: true),
        PrincipalCase(principal: "{AWS: !FindInMap [Accounts, !Ref AWS::Region, Id]}", blocks: true),
        PrincipalCase(principal: #"{AWS: !If [Cond, "*", "111122223333"]}"#, blocks: true),
        PrincipalCase(principal: "{AWS: !Ref AWS::AccountId}", blocks: false),
        PrincipalCase(principal: #"{AWS: !Sub "arn:aws:iam::${AWS::AccountId}:role/x"}"#, blocks: false),
        PrincipalCase(principal: "{AWS: !GetAtt Reader.Arn}", blocks: false),
        PrincipalCase(principal: #"{Service: !Sub "logs.${AWS::URLSuffix}"}"#, blocks: false),
    ])
    func principalBlockers(_ testCase: PrincipalCase) throws {
        let text = """
        Parameters:
          Partner: {Type: String}
        Conditions:
          Cond: !Equals [a, b]
        Resources:
          Reader: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: []}}}
          Queue: {Type: AWS::SQS::Queue}
          Policy:
            Type: AWS::SQS::QueuePolicy
            Properties:
              PolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - {Effect: Allow, Principal: \(testCase.principal), Action: sqs:SendMessage, Resource: !GetAtt Queue.Arn}
        """
        let extracted = PolicyExtractor.extract(bytes: Array(text.utf8), file: "t.yaml")
        let policy = try #require(extracted.policy("Resources.Policy.PolicyDocument"))
        #expect(policy.blockers.map(\.code) == (testCase.blocks ? [.unresolvedPrincipal] : []))
        #expect(policy.blockers.allSatisfy { $0.span.start.line == 14 })
    }

    @Test func noValueRemovesTheMember() throws {
        let policy = try #require(bucketPolicy(
            "{Sid: !Ref AWS::NoValue, Effect: Allow, Principal: {Service: logs.amazonaws.com}, Action: [s3:PutObject, !Ref AWS::NoValue], Resource: !GetAtt Data.Arn}"))
        let statement = try #require(policy.statements.first)
        #expect(statement.sid == nil)
        #expect(statement.actionTexts == ["s3:PutObject"])
        #expect(statement.resourceTexts == ["arn:aws:s3:::data-bucket"])
        #expect(policy.substitutions.isEmpty)
    }

    @Test func conditionalDocumentsGiveOnePolicyPerBranch() {
        let text = """
        Conditions: {IsProd: !Equals [a, b]}
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
              Policies:
                - !If
                  - IsProd
                  - {PolicyName: prod, PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]}}
                  - !Ref AWS::NoValue
                - {PolicyName: !Sub "${AWS::StackName}-logs", PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: logs:PutLogEvents, Resource: "*"}]}}
        """
        let extracted = PolicyExtractor.extract(bytes: Array(text.utf8), file: "t.yaml")
        #expect(extracted.policies.map(\.name) == [
            "Resources.Role.AssumeRolePolicyDocument", "Resources.Role.Policies[0] (prod) (if IsProd)", "Resources.Role.Policies[1] (stack-name-logs)",
        ])
        #expect(extracted.findings.isEmpty)
    }

    @Test func wrongTypesAndMissingDocumentsAreFileErrors() {
        let text = """
        {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
          "P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p"}},
          "U": {"Type": "AWS::IAM::User", "Properties": {"Policies": {"PolicyName": "x"}}},
          "K": {"Type": "AWS::KMS::Key", "Properties": {}}
        }}
        """
        let extracted = PolicyExtractor.extract(bytes: Array(text.utf8), file: "t.json")
        #expect(extracted.policies.isEmpty)
        #expect(extracted.findings.map(\.code) == [.missingPolicyProperty, .invalidPolicyProperty])
        #expect(extracted.findings.map(\.span.start.line) == [2, 3])
        #expect(extracted.findings.allSatisfy { $0.severity == .error })
    }
}

@Suite("CloudFormation special resources")
struct CloudFormationSpecialResourceTests {
    @Test func literalBlockPolicyInYAMLIsLocatedExactly() throws {
        let text = """
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          LogsPolicy:
            Type: AWS::Logs::ResourcePolicy
            Properties:
              PolicyName: route53
              PolicyDocument: |
                {
                  "Version": "2012-10-17",
                  "Statement": [{"Effect": "Allow", "Principal": {"Service": "route53.amazonaws.com"},
                                 "Action": "logs:PutLogEvents", "Resource": "*"}]
                }
        """
        let extracted = PolicyExtractor.extract(bytes: Array(text.utf8), file: "t.yaml")
        let policy = try #require(extracted.policy("Resources.LogsPolicy.PolicyDocument"))
        #expect(policy.type == .resource)
        #expect(start(policy.statements.first?.action?.patterns.first?.span) == [11, 36])
        #expect(start(policy.statements.first?.action?.patterns.first?.span) == pair(InputFixtures.location(of: #""logs:PutLogEvents""#, inText: text)))
        #expect(start(policy.statements.first?.principalValues.first?.span) == [10, 70])
    }

    struct PermissionCase: Sendable, CustomTestStringConvertible {
        var properties: String
        var principal: [String]
        var resource: String
        var conditions: [String]
        var blocks: Bool
        var testDescription: String { properties }
    }

    @Test(arguments: [
        PermissionCase(properties: "{Action: lambda:InvokeFunctionUrl, FunctionName: my-fn, Principal: '*', FunctionUrlAuthType: NONE}",
                       principal: ["*"], resource: "arn:aws:lambda:us-east-1:000000000000:function:my-fn",
                       conditions: ["StringEquals lambda:FunctionUrlAuthType=NONE"], blocks: false),
        PermissionCase(properties: "{Action: lambda:InvokeFunction, FunctionName: 'arn:aws:lambda:eu-west-1:111122223333:function:f', Principal: '444455556666', PrincipalOrgID: o-abc123}",
                       principal: ["AWS:444455556666"], resource: "arn:aws:lambda:eu-west-1:111122223333:function:f",
                       conditions: ["StringEquals aws:PrincipalOrgID=o-abc123"], blocks: false),
        PermissionCase(properties: "{Action: lambda:InvokeFunction, FunctionName: !Ref Fn, Principal: !Ref Caller}",
                       principal: ["AWS:arn:aws:iam::000000000000:role/cfn-ref-Caller"], resource: "arn:aws:lambda:us-east-1:000000000000:function:Fn",
                       conditions: [], blocks: true),
    ])
    func lambdaPermissions(_ testCase: PermissionCase) throws {
        let text = """
        Parameters: {Caller: {Type: String}}
        Resources:
          Fn: {Type: AWS::Lambda::Function}
          Permission:
            Type: AWS::Lambda::Permission
            Properties: \(testCase.properties)
        """
        let extracted = PolicyExtractor.extract(bytes: Array(text.utf8), file: "t.yaml")
        let policy = try #require(extracted.policy("Resources.Permission"))
        let statement = try #require(policy.statements.first)
        #expect(statement.principalTexts == testCase.principal)
        #expect(statement.resourceTexts == [testCase.resource])
        #expect(statement.conditionTexts == testCase.conditions)
        #expect(policy.blockers.isEmpty == !testCase.blocks)
        #expect(policy.validationErrors.isEmpty, "\(policy.validationErrors)")
    }
}
