import Foundation
import PolicyLanguage

/// The machine-readable form of validation results. Stable field names; one object for the whole run.
enum JSONReport {
    struct Document: Encodable {
        var tool = "policyprover"
        var version = PolicyProverVersion.current
        var warnings: [String]
        var files: [File]
        var summary: [String: Int]
    }

    struct File: Encodable {
        var file: String
        var policyType: String?
        var policyTypeInferred: Bool
        var inferenceReason: String?
        var findings: [FindingEntry]
    }

    struct FindingEntry: Encodable {
        var code: String
        var severity: String
        var message: String
        var location: Location
        var notes: [Note]
    }

    struct Note: Encodable {
        var message: String
        var location: Location
    }

    struct Location: Encodable {
        var file: String
        var line: Int
        var column: Int
        var endLine: Int
        var endColumn: Int
        var offset: Int?

        init(_ span: SourceSpan) {
            file = span.file
            line = span.start.line
            column = span.start.column
            endLine = span.end.line
            endColumn = span.end.column
            offset = span.start.offset
        }
    }

    static func render(_ reports: [PolicyFileReport], catalogWarning: String?) -> String {
        var summary = Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, 0) })
        summary["files"] = reports.count
        let files = reports.map { report in
            File(
                file: report.file, policyType: report.policyType?.rawValue,
                policyTypeInferred: report.inferenceReason != nil, inferenceReason: report.inferenceReason,
                findings: report.findings.map { finding in
                    summary[finding.severity.rawValue, default: 0] += 1
                    return FindingEntry(
                        code: finding.code.rawValue, severity: finding.severity.rawValue, message: finding.message,
                        location: Location(finding.span),
                        notes: finding.notes.map { Note(message: $0.message, location: Location($0.span)) })
                })
        }
        let document = Document(warnings: catalogWarning.map { [$0] } ?? [], files: files, summary: summary)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(document) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
