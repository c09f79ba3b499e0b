import Foundation
import Testing
@testable import PolicyLanguage

/// Every AWS managed policy in `../shared/corpus/aws-managed/` must read, decode and validate with no
/// `error` finding: they are documents that IAM accepted.
@Suite("AWS managed policy corpus", .enabled(if: TestPaths.sharedIsPresent, "../shared/corpus/aws-managed is absent: corpus tests skipped"))
struct ManagedCorpusTests {
    static var files: [URL] {
        let directory = TestPaths.shared.appendingPathComponent("corpus/aws-managed")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { directory.appendingPathComponent($0) }
    }

    @Test func everyManagedPolicyValidatesWithoutErrors() throws {
        let files = Self.files
        #expect(files.count == 1390)
        #expect(testCatalog.loadError == nil)
        let validator = PolicyValidator(catalog: testCatalog)
        var errors: [String] = []
        var statementCount = 0
        for file in files {
            let report = validator.validateFile(atPath: file.path, displayName: file.lastPathComponent, as: .identity)
            statementCount += PolicyParser.parse(contentsOf: file.path).policy?.statements.count ?? 0
            for finding in report.findings where finding.severity == .error {
                errors.append("\(finding.span): \(finding.code): \(finding.message)")
            }
        }
        #expect(statementCount == 6526, "the corpus README counts 6,526 statements")
        #expect(errors.isEmpty, "\(errors.count) errors, first: \(errors.prefix(20).joined(separator: "\n"))")
    }
}

/// The MIT-0 sample policies in `Policies/samples/` are valid for their kind.
@Suite("Sample policies")
struct SamplePolicyTests {
    static let types: [(prefix: String, type: PolicyType)] = [
        ("identity-", .identity), ("s3-bucket-", .resource), ("trust-", .trust), ("scp-", .scp), ("rcp-", .rcp),
    ]

    @Test func samplesHaveNoErrors() throws {
        let directory = TestPaths.repositoryRoot.appendingPathComponent("Policies/samples")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names.count == 39)
        var placeholderFindings = 0
        #expect(testCatalog.loadError == nil)
        let validator = PolicyValidator(catalog: testCatalog)
        for name in names {
            let type = try #require(Self.types.first { name.hasPrefix($0.prefix) }?.type, "no type for \(name)")
            let report = validator.validateFile(atPath: directory.appendingPathComponent(name).path, displayName: name, as: type)
            // The SCP and RCP samples hold placeholders such as "<my-corporate-cidr>" by design.
            let errors = report.findings.filter { $0.severity == .error && !$0.message.contains("\"<") }
            #expect(errors.isEmpty, "\(name): \(errors.map { "\($0.span) \($0.code) \($0.message)" })")
            placeholderFindings += report.findings.filter { $0.severity == .error }.count - errors.count
        }
        // Placeholders are real errors: a policy with "<my-corporate-cidr>" in it cannot be deployed.
        #expect(placeholderFindings == 2)
    }
}
