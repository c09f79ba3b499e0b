import Foundation
import Testing
@testable import PolicyLanguage

@Suite("Terraform plan extraction")
struct TerraformPlanExtractionTests {
    static let file = "terraform-plan.json"
    let extracted = InputFixtures.extract(Self.file)

    func location(_ needle: String, _ occurrence: Int = 1) -> [Int]? {
        pair(InputFixtures.location(of: needle, occurrence: occurrence, in: Self.file))
    }

    @Test func policiesAreNamedByAddressAndAttribute() {
        #expect(extracted.format == .terraformPlan)
        let found = extracted.policies.map { "\($0.name) | \($0.type) | \($0.sourceType ?? "-")" }
        #expect(found == [
            "aws_iam_policy.deploy.policy | identity | aws_iam_policy",
            "aws_iam_role.app.assume_role_policy | trust | aws_iam_role",
            "aws_iam_role.app.inline_policy[0].policy (queue-send) | identity | aws_iam_role",
            "aws_iam_role_policy.legacy.policy | identity | aws_iam_role_policy",
            "aws_kms_key.data.policy | resource | aws_kms_key",
            "module.storage.aws_s3_bucket_policy.this.policy | resource | aws_s3_bucket_policy",
        ])
        #expect(extracted.policies.allSatisfy { $0.substitutions.isEmpty && $0.blockers.isEmpty })
    }

    @Test func attributeUnknownUntilApplyIsAWarningNamingTheResource() throws {
        let finding = try #require(extracted.findings.first)
        #expect(extracted.findings.count == 1)
        #expect(finding.code == .unknownUntilApply)
        #expect(finding.severity == .warning)
        #expect(finding.message.contains("aws_iam_policy.generated.policy"))
        #expect(start(finding.span) == location(#""aws_iam_policy.generated""#))
    }

    @Test func embeddedPolicySpansPointIntoThePlanFile() throws {
        let deploy = try #require(extracted.policy("aws_iam_policy.deploy.policy"))
        let statement = try #require(deploy.statements.first)
        #expect(statement.actionTexts == ["s3:PutObject"])
        // The inner string "s3:PutObject" starts at the escaped quote before it in the plan file.
        let action = try #require(statement.action?.patterns.first)
        #expect(start(action.span) == location(#"\"s3:PutObject\""#))
        #expect(start(action.span) == [18, 52])
        #expect(action.span.start.offset.map { Array(InputFixtures.text(Self.file).utf8)[$0] } == UInt8(ascii: "\\"))
        #expect(action.span.end.line == 18 && action.span.end.column == 52 + #"\"s3:PutObject\""#.count)
        #expect(start(statement.resource?.patterns.first?.span) == location(#"\"arn:aws:s3:::artifacts/*\""#))
        #expect(start(deploy.parsed.policy?.span) == location(#""{\"Statement\""#).map { [$0[0], $0[1] + 1] })
    }

    @Test func findingInsideAnEmbeddedPolicyPointsAtItsText() throws {
        let legacy = try #require(extracted.policy("aws_iam_role_policy.legacy.policy"))
        // "allow" is a decoding error; it must point at the \"allow\" inside the plan's string literal,
        // after the escaped line breaks (\n) that do not start new lines of the plan file.
        let finding = try #require(legacy.parsed.findings.first { $0.code == .effectCase })
        #expect(start(finding.span) == location(#"\"allow\""#))
        #expect(finding.span.file == Self.file)
        let validation = PolicyValidator(catalog: testCatalog).report(for: legacy.parsed, as: legacy.type)
        #expect(validation.findings.contains { $0.code == .effectCase && start($0.span) == location(#"\"allow\""#) })
    }

    @Test func unicodeEscapesAndChildModules() throws {
        let bucket = try #require(extracted.policy("module.storage.aws_s3_bucket_policy.this.policy"))
        let statement = try #require(bucket.statements.first)
        #expect(statement.conditionTexts == ["StringNotLike aws:UserAgent=*<bot>*"])
        #expect(start(statement.condition?.clauses.first?.values.first?.span) == location(#"\"*\\u003cbot"#))
        #expect(start(statement.sid?.span) == location(#"\"PartnerRead\""#))
        #expect(statement.principalTexts == ["AWS:arn:aws:iam::444455556666:role/reader"])
        for policy in extracted.policies where policy.name != "aws_iam_role_policy.legacy.policy" {
            #expect(policy.validationErrors.isEmpty, "\(policy.name): \(policy.validationErrors)")
        }
    }

    @Test func stateOutputAndResourceChangesAreReadToo() {
        let state = #"{"format_version": "1.0", "values": {"root_module": {"resources": [{"address": "aws_sqs_queue_policy.q", "mode": "managed", "type": "aws_sqs_queue_policy", "values": {"policy": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"}}]}}}"#
        #expect(PolicyExtractor.extract(bytes: Array(state.utf8), file: "state.json").policies.map(\.name) == ["aws_sqs_queue_policy.q.policy"])
        let changes = #"{"format_version": "1.2", "resource_changes": [{"address": "aws_sns_topic_policy.t", "mode": "managed", "type": "aws_sns_topic_policy", "change": {"after": {"policy": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"}, "after_unknown": {}}}, {"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "change": {"after": null, "after_unknown": true}}]}"#
        let extracted = PolicyExtractor.extract(bytes: Array(changes.utf8), file: "plan.json")
        #expect(extracted.policies.map(\.name) == ["aws_sns_topic_policy.t.policy"])
        #expect(extracted.findings.map(\.code) == [.unknownUntilApply])
        let data = #"{"format_version": "1.0", "values": {"root_module": {"resources": [{"address": "data.aws_iam_policy_document.d", "mode": "data", "type": "aws_iam_policy", "values": {"policy": "{}"}}]}}}"#
        #expect(PolicyExtractor.extract(bytes: Array(data.utf8), file: "state.json").policies.isEmpty)
    }

    @Test func malformedEmbeddedJSONIsAnErrorOfThatPolicy() throws {
        let plan = #"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "values": {"policy": "{\"Version\": \"2012-10-17\",, }"}}]}}}"#
        let extracted = PolicyExtractor.extract(bytes: Array(plan.utf8), file: "plan.json")
        let policy = try #require(extracted.policies.first)
        #expect(policy.parsed.policy == nil)
        let finding = try #require(policy.parsed.findings.first)
        #expect(finding.code == .syntaxError)
        #expect(finding.span.start.line == 1)
        #expect(finding.span.start.column == (InputFixtures.location(of: ",, }", inText: plan)?.column ?? 0) + 1)
    }

    @Test(arguments: [
        (#""policy": 42"#, true), (#""policy": {"Version": "2012-10-17"}"#, true), (#""policy": ["x"]"#, true),
        (#""policy": null"#, false), (#""policy": """#, false), ("", false),
    ])
    func aPolicyAttributeThatCannotBeAPolicyIsAnError(attribute: String, isError: Bool) {
        let plan = #"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "values": {"#+attribute+#"}}]}}}"#
        let extracted = PolicyExtractor.extract(bytes: Array(plan.utf8), file: "plan.json")
        #expect(extracted.policies.isEmpty)
        #expect(extracted.findings.map(\.code) == (isError ? [.invalidPolicyProperty] : []))
        #expect(extracted.findings.allSatisfy { $0.severity == .error && $0.message.contains("aws_iam_policy.p.policy") })
    }
}
