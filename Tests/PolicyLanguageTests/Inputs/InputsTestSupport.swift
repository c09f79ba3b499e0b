import Foundation
import Testing
@testable import PolicyLanguage

/// The input-discovery fixtures. They live in `Tests/PolicyAuditTests/Fixtures/inputs/` (a folder that
/// Package.swift excludes from its target), found from the repository root, itself found from `#filePath`.
enum InputFixtures {
    static let directory: URL = TestPaths.repositoryRoot.appendingPathComponent("Tests/PolicyAuditTests/Fixtures/inputs")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// The fixture extracted under its own name.
    static func extract(_ name: String) -> ExtractedFile {
        PolicyExtractor.extract(contentsOf: path(name), displayName: name)
    }

    static func text(_ name: String) -> String {
        (try? String(contentsOfFile: path(name), encoding: .utf8)) ?? ""
    }

    /// The 1-based line and column (in Unicode scalars) where the `occurrence`-th `needle` starts in
    /// the fixture, found by plain text search: the independent answer that spans are checked against.
    static func location(of needle: String, occurrence: Int = 1, in name: String) -> (line: Int, column: Int)? {
        location(of: needle, occurrence: occurrence, inText: text(name))
    }

    static func location(of needle: String, occurrence: Int = 1, inText text: String) -> (line: Int, column: Int)? {
        var seen = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = line[...]
            var consumed = 0
            while let range = rest.firstRange(of: needle) {
                seen += 1
                let column = consumed + rest.unicodeScalars[..<range.lowerBound].count + 1
                if seen == occurrence { return (index + 1, column) }
                consumed = column
                rest = rest[rest.index(after: range.lowerBound)...]
            }
        }
        return nil
    }
}

extension ExtractedFile {
    /// The policy named `name`.
    func policy(_ name: String) -> EmbeddedPolicy? {
        policies.first { $0.name == name }
    }
}

extension EmbeddedPolicy {
    /// The statements of the decoded policy.
    var statements: [Statement] { parsed.policy?.statements ?? [] }

    /// Validation findings of severity error (reading, decoding and rules), as text.
    var validationErrors: [String] {
        PolicyValidator(catalog: testCatalog).report(for: parsed, as: type).findings
            .filter { $0.severity == .error }.map { "\($0.span) \($0.code) \($0.message)" }
    }
}

/// `(line, column)` of a span's start, for comparisons.
func start(_ span: SourceSpan?) -> [Int]? {
    span.map { [$0.start.line, $0.start.column] }
}

func pair(_ location: (line: Int, column: Int)?) -> [Int]? {
    location.map { [$0.line, $0.column] }
}

extension Statement {
    /// The principal values as `Type:text`, `*` for everyone.
    var principalTexts: [String] {
        switch principal?.value {
        case .everyone?: return ["*"]
        case .specific(let values)?: return values.map { "\($0.type.rawValue):\($0.text)" }
        case nil: return []
        }
    }

    var principalValues: [PrincipalValue] {
        if case .specific(let values)? = principal?.value { return values }
        return []
    }

    var actionTexts: [String] { action?.patterns.map(\.text) ?? [] }
    var resourceTexts: [String] { resource?.patterns.map(\.text) ?? [] }
    /// Conditions as `Operator key=value,value`.
    var conditionTexts: [String] {
        condition?.clauses.map { "\($0.operatorName.value) \($0.key.value)=\($0.values.map(\.text).joined(separator: ","))" } ?? []
    }
}
