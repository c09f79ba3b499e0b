import Foundation
import Testing
@testable import PolicyLanguage

@Suite("CloudFormation extraction (YAML template)")
struct CloudFormationYAMLTests {
    static let file = "cloudformation.yaml"
    let extracted = InputFixtures.extract(Self.file)

    func location(_ needle: String, _ occurrence: Int = 1) -> [Int]? {
        pair(InputFixtures.location(of: needle, occurrence: occurrence, in: Self.file))
    }

    @Test func everyPolicyIsFoundWithItsNameTypeAndSourceType() {
        #expect(extracted.format == .cloudFormation)
        #expect(extracted.findings.isEmpty)
        let found = extracted.policies.map { "\($0.name) | \($0.type) | \($0.sourceType ?? "-")" }
        #expect(found == [
            "Resources.AppRole.AssumeRolePolicyDocument | trust | AWS::IAM::Role",
            "Resources.AppRole.Policies[0] (s3-read) | identity | AWS::IAM::Role",
            "Resources.DeployPolicy.PolicyDocument | identity | AWS::IAM::ManagedPolicy",
            "Resources.BucketPolicy.PolicyDocument | resource | AWS::S3::BucketPolicy",
            "Resources.Key.KeyPolicy | resource | AWS::KMS::Key",
            "Resources.InvokePermission | resource | AWS::Lambda::Permission",
        ])
    }

    @Test func everyExtractedPolicyValidatesWithoutErrors() {
        for policy in extracted.policies {
            #expect(policy.validationErrors.isEmpty, "\(policy.name): \(policy.validationErrors)")
        }
    }

    @Test func shortFormIntrinsicsResolveToRepresentatives() throws {
        let inline = try #require(extracted.policy("Resources.AppRole.Policies[0] (s3-read)"))
        #expect(inline.statements.count == 2)
        #expect(inline.statements[0].resourceTexts == ["arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket"])
        #expect(inline.statements[1].resourceTexts == ["arn:aws:logs:us-east-1:000000000000:log-group:/app:*"])
        // A resolved string is located at the intrinsic expression it replaced.
        let patterns = try #require(inline.statements[0].resource?.patterns)
        #expect(start(patterns[0].span) == location("!Sub \"arn:${AWS::Partition}:s3:::${Bucket}/*\""))
        #expect(start(patterns[0].span) == [37, 21])
        #expect(start(patterns[1].span) == location("!GetAtt Bucket.Arn"))
        #expect(start(inline.statements[1].resource?.patterns.first?.span) == location("!Join"))
        // Plain values keep their own location.
        #expect(start(inline.statements[0].action?.patterns.first?.span) == location("s3:GetObject"))
    }

    @Test func substitutionsAreRecordedWithTheExpressionAsWritten() throws {
        let inline = try #require(extracted.policy("Resources.AppRole.Policies[0] (s3-read)"))
        #expect(inline.substitutions.map(\.original) == [
            #"!Sub "arn:${AWS::Partition}:s3:::${Bucket}/*""#,
            "!GetAtt Bucket.Arn",
            #"!Join ["", ["arn:aws:logs:", !Ref AWS::Region, ":", !Ref AWS::AccountId, ":log-group:/app:*"]]"#,
        ])
        #expect(inline.substitutions.map(\.replacement) == [
            "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", "arn:aws:logs:us-east-1:000000000000:log-group:/app:*",
        ])
        #expect(start(inline.substitutions.first?.span) == [37, 21])
        #expect(inline.blockers.isEmpty)
        // A trust policy without intrinsics has none.
        let trust = try #require(extracted.policy("Resources.AppRole.AssumeRolePolicyDocument"))
        #expect(trust.substitutions.isEmpty && trust.blockers.isEmpty)
        #expect(trust.statements.first?.principalTexts == ["Service:lambda.amazonaws.com"])
    }

    @Test func principalFromAParameterIsTheOnlyBlocker() throws {
        let bucket = try #require(extracted.policy("Resources.BucketPolicy.PolicyDocument"))
        #expect(bucket.statements.map(\.principalTexts) == [
            ["AWS:arn:aws:iam::000000000000:role/AppRole"],
            ["AWS:arn:aws:iam::000000000000:role/cfn-ref-TrustedPrincipalArn"],
        ])
        #expect(bucket.statements.map(\.resourceTexts) == [["arn:aws:s3:::bucket/*"], ["arn:aws:s3:::bucket/*"]])
        #expect(bucket.blockers.count == 1)
        let blocker = try #require(bucket.blockers.first)
        #expect(blocker.code == .unresolvedPrincipal)
        #expect(blocker.severity == .warning)
        #expect(blocker.message.contains("the parameter TrustedPrincipalArn"))
        #expect(start(blocker.span) == location("!Ref TrustedPrincipalArn"))
        #expect(start(blocker.notes.first?.span) == location("TrustedPrincipalArn:"))
        #expect(bucket.substitutions.contains { $0.original == "!Ref TrustedPrincipalArn" && $0.replacement == "arn:aws:iam::000000000000:role/cfn-ref-TrustedPrincipalArn" })
        // The stack's own account is not a blocker.
        let key = try #require(extracted.policy("Resources.Key.KeyPolicy"))
        #expect(key.blockers.isEmpty)
        #expect(key.statements.first?.principalTexts == ["AWS:arn:aws:iam::000000000000:root"])
        #expect(key.substitutions.map(\.original) == [#"!Sub "arn:aws:iam::${AWS::AccountId}:root""#])
    }

    @Test func conditionalStatementTakesItsFirstBranchAndBlocks() throws {
        let deploy = try #require(extracted.policy("Resources.DeployPolicy.PolicyDocument"))
        #expect(deploy.statements.count == 2)
        #expect(deploy.statements[0].resourceTexts == ["arn:aws:iam::000000000000:role/AppRole"])
        #expect(deploy.statements[1].effect?.value == .deny)
        #expect(deploy.blockers.map(\.code) == [.conditionalPolicyPart])
        #expect(start(deploy.blockers.first?.span) == location("- !If").map { [$0[0], $0[1] + 2] })
        #expect(deploy.blockers.first?.message.contains("IsProd") == true)
        // The statement inside the branch keeps its own lines.
        #expect(start(deploy.statements[1].effect?.span) == location("Deny"))
    }

    @Test func lambdaPermissionBecomesAResourcePolicyStatement() throws {
        let permission = try #require(extracted.policy("Resources.InvokePermission"))
        let statement = try #require(permission.statements.first)
        #expect(permission.parsed.policy?.version?.value == "2012-10-17")
        #expect(statement.effect?.value == .allow)
        #expect(statement.principalTexts == ["Service:s3.amazonaws.com"])
        #expect(statement.actionTexts == ["lambda:InvokeFunction"])
        #expect(statement.resourceTexts == ["arn:aws:lambda:us-east-1:000000000000:function:Function"])
        #expect(statement.conditionTexts == ["ArnLike aws:SourceArn=arn:aws:s3:::bucket", "StringEquals aws:SourceAccount=000000000000"])
        // Synthesized nodes point at the properties they come from.
        #expect(start(statement.principalValues.first?.span) == location("s3.amazonaws.com"))
        #expect(start(statement.action?.patterns.first?.span) == location("lambda:InvokeFunction"))
        #expect(start(statement.resource?.patterns.first?.span) == location("!GetAtt Function.Arn"))
        #expect(start(statement.condition?.clauses.first?.values.first?.span) == location("!GetAtt Bucket.Arn", 2))
        #expect(permission.blockers.isEmpty)
        #expect(permission.parsed.policy?.inferType().type == .resource)
    }
}

@Suite("CloudFormation extraction (JSON template)")
struct CloudFormationJSONTests {
    static let file = "cloudformation.json"
    let extracted = InputFixtures.extract(Self.file)

    func location(_ needle: String, _ occurrence: Int = 1) -> [Int]? {
        pair(InputFixtures.location(of: needle, occurrence: occurrence, in: Self.file))
    }

    @Test func policiesAndTheWrongTypeFinding() throws {
        #expect(extracted.policies.map(\.name) == [
            "Resources.QueuePolicy.PolicyDocument", "Resources.TopicPolicy.PolicyDocument", "Resources.SecretPolicy.ResourcePolicy",
        ])
        #expect(extracted.policies.allSatisfy { $0.type == .resource })
        let finding = try #require(extracted.findings.first)
        #expect(finding.code == .invalidPolicyProperty)
        #expect(finding.severity == .error)
        #expect(start(finding.span) == location("42"))
        #expect(finding.message.contains("Resources.BrokenPolicy.PolicyDocument"))
    }

    @Test func longFormIntrinsics() throws {
        let queue = try #require(extracted.policy("Resources.QueuePolicy.PolicyDocument"))
        let statement = try #require(queue.statements.first)
        #expect(statement.resourceTexts == ["arn:aws:sqs:us-east-1:000000000000:orders"])
        #expect(statement.conditionTexts == ["ArnEquals aws:SourceArn=arn:aws:sns:us-east-1:000000000000:Topic"])
        #expect(statement.actionTexts == ["sqs:SendMessage", "cfn:cfn-ref-ExtraAction"])
        #expect(start(statement.resource?.patterns.first?.span) == location(#"{ "Fn::GetAtt": ["Queue", "Arn"] }"#))
        // An action from a parameter blocks the proof.
        #expect(queue.blockers.map(\.code) == [.unresolvedAction])
        #expect(start(queue.blockers.first?.span) == location(#"{ "Ref": "ExtraAction" }"#))
        #expect(queue.substitutions.map(\.original).contains(#"{"Ref": "ExtraAction"}"#))
    }

    @Test func mappingLookupIsExactButAConditionalPrincipalBlocks() throws {
        let topic = try #require(extracted.policy("Resources.TopicPolicy.PolicyDocument"))
        #expect(topic.statements.map(\.principalTexts) == [
            ["AWS:arn:aws:iam::111122223333:root"], ["AWS:arn:aws:iam::000000000000:role/cfn-if-ShareWithOrg"],
        ])
        #expect(topic.statements.map(\.resourceTexts) == [["arn:aws:sns:us-east-1:000000000000:Topic"], ["arn:aws:sns:us-east-1:000000000000:Topic"]])
        #expect(topic.blockers.map(\.code) == [.unresolvedPrincipal])
        #expect(topic.blockers.first?.message.contains("ShareWithOrg") == true)
        #expect(start(topic.blockers.first?.span) == location(#"{ "Fn::If""#))
        // The literal-key FindInMap resolved exactly: no substitution for the first principal.
        #expect(!topic.substitutions.contains { $0.original.contains("FindInMap") })
        #expect(topic.substitutions.count == 3)
    }

    @Test func policyWrittenAsAJSONStringIsLocatedInsideTheString() throws {
        let secret = try #require(extracted.policy("Resources.SecretPolicy.ResourcePolicy"))
        let statement = try #require(secret.statements.first)
        #expect(statement.effect?.value == .deny)
        #expect(statement.principalTexts == ["*"])
        #expect(start(statement.action?.patterns.first?.span) == location(#"\"secretsmanager:DeleteSecret\""#))
        #expect(start(statement.action?.patterns.first?.span)?.first == 61)
        #expect(secret.validationErrors.isEmpty)
    }
}
