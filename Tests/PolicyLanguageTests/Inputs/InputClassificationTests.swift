import Foundation
import Testing
@testable import PolicyLanguage

@Suite("Input classification")
struct InputClassificationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var format: InputFormat
        var policies: Int
        var findings: Int
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        Case(file: "policy.json", format: .policy, policies: 1, findings: 0),
        Case(file: "policy.yaml", format: .policy, policies: 1, findings: 0),
        Case(file: "cloudformation.yaml", format: .cloudFormation, policies: 6, findings: 0),
        Case(file: "cloudformation.json", format: .cloudFormation, policies: 3, findings: 1),
        Case(file: "terraform-plan.json", format: .terraformPlan, policies: 6, findings: 1),
        Case(file: "account-authorization-details.json", format: .accountExport, policies: 7, findings: 0),
        Case(file: "package.json", format: .unrecognized, policies: 0, findings: 0),
        Case(file: "ci.yaml", format: .unrecognized, policies: 0, findings: 0),
        Case(file: "corrupt.json", format: .unrecognized, policies: 0, findings: 1),
    ]

    @Test(arguments: cases)
    func fixtureIsClassified(_ testCase: Case) {
        let extracted = InputFixtures.extract(testCase.file)
        #expect(extracted.file == testCase.file)
        #expect(extracted.format == testCase.format)
        #expect(extracted.policies.count == testCase.policies, "\(extracted.policies.map(\.name))")
        #expect(extracted.findings.count == testCase.findings, "\(extracted.findings.map { "\($0.span) \($0.message)" })")
        for policy in extracted.policies {
            #expect(policy.parsed.file == testCase.file)
            #expect(policy.parsed.policy?.span.file == testCase.file)
        }
    }

    @Test func plainPoliciesAreNamedPolicyWithTheirInferredType() throws {
        let json = try #require(InputFixtures.extract("policy.json").policies.first)
        #expect(json.name == "policy")
        #expect(json.type == .identity)
        #expect(json.sourceType == nil)
        #expect(json.substitutions.isEmpty && json.blockers.isEmpty)
        #expect(start(json.statements.first?.span) == [4, 9])
        let yaml = try #require(InputFixtures.extract("policy.yaml").policies.first)
        #expect(yaml.type == .resource)
        #expect(start(yaml.statements.first?.effect?.span) == [5, 13])
        #expect(json.validationErrors.isEmpty && yaml.validationErrors.isEmpty)
    }

    @Test func corruptJSONIsAnErrorWithItsLocation() throws {
        let extracted = InputFixtures.extract("corrupt.json")
        let finding = try #require(extracted.findings.first)
        #expect(finding.severity == .error)
        #expect(finding.code == .syntaxError)
        #expect(finding.message.contains("trailing comma"))
        #expect(start(finding.span) == pair(InputFixtures.location(of: ",}", in: "corrupt.json")))
        #expect(start(finding.span) == [4, 66])
    }

    @Test func unreadableFileIsReported() {
        let extracted = PolicyExtractor.extract(contentsOf: InputFixtures.path("no-such-file.json"), displayName: "missing.json")
        #expect(extracted.format == .unrecognized)
        #expect(extracted.findings.map(\.code) == [.unreadableFile])
        #expect(extracted.findings.first?.span.file == "missing.json")
    }

    struct RootCase: Sendable, CustomTestStringConvertible {
        var text: String
        var format: InputFormat
        var testDescription: String { text }
    }

    @Test(arguments: [
        RootCase(text: #"{"Statement": []}"#, format: .policy),
        RootCase(text: #"{"Version": "2012-10-17"}"#, format: .policy),
        RootCase(text: #"{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}"#, format: .cloudFormation),
        RootCase(text: #"{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}"#, format: .cloudFormation),
        RootCase(text: #"{"Resources": {"B": {"Type": "Custom::Thing"}}}"#, format: .unrecognized),
        RootCase(text: #"{"format_version": "1.0", "values": {}}"#, format: .terraformPlan),
        RootCase(text: #"{"format_version": "1.2", "resource_changes": []}"#, format: .terraformPlan),
        RootCase(text: #"{"format_version": "1.2"}"#, format: .unrecognized),
        RootCase(text: #"{"RoleDetailList": []}"#, format: .accountExport),
        RootCase(text: #"{"Policies": []}"#, format: .accountExport),
        RootCase(text: #"{"Policies": "none"}"#, format: .unrecognized),
        RootCase(text: #"[{"Statement": []}]"#, format: .unrecognized),
        RootCase(text: #""just a string""#, format: .unrecognized),
    ])
    func rootKeysDecideTheFormat(_ testCase: RootCase) {
        let extracted = PolicyExtractor.extract(bytes: Array(testCase.text.utf8), file: "input.json")
        #expect(extracted.format == testCase.format)
        #expect(extracted.findings.isEmpty)
    }

    @Test func brokenPolicyWithoutStatementIsStillReturned() throws {
        let extracted = PolicyExtractor.extract(bytes: Array(#"{"Version": "2012-10-17"}"#.utf8), file: "p.json")
        let policy = try #require(extracted.policies.first)
        #expect(policy.parsed.findings.map(\.code) == [.missingStatement])
    }

    @Test func malformedYAMLIsAnErrorToo() {
        let extracted = PolicyExtractor.extract(bytes: Array("Statement: [a, b\n".utf8), file: "bad.yaml")
        #expect(extracted.format == .unrecognized)
        #expect(extracted.findings.count == 1)
        #expect(extracted.findings.first?.severity == .error)
        #expect(extracted.findings.first?.span.start.line == 2)
    }
}

/// Every 20th AWS managed policy of `../shared/corpus/aws-managed/` is classified as a plain policy.
@Suite("Input classification over the managed corpus",
       .enabled(if: ReaderTestSupport.corpusIsPresent, "../shared/corpus/aws-managed is absent: corpus classification test skipped"))
struct InputCorpusClassificationTests {
    @Test func managedPoliciesArePlainPolicies() throws {
        let directory = ReaderTestSupport.corpusDirectory
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        let sample = stride(from: 0, to: names.count, by: 20).map { names[$0] }
        #expect(sample.count >= 60)
        var failures: [String] = []
        for name in sample {
            let extracted = PolicyExtractor.extract(contentsOf: directory.appendingPathComponent(name).path, displayName: name)
            if extracted.format != .policy || extracted.policies.count != 1 || extracted.policies[0].name != "policy"
                || extracted.policies[0].parsed.policy == nil || !extracted.findings.isEmpty {
                failures.append("\(name): \(extracted.format) \(extracted.policies.count) \(extracted.findings)")
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }
}
