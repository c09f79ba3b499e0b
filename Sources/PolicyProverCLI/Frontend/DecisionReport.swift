import Foundation
import PolicyLanguage

/// Renders a `Decision` as text or JSON.
enum DecisionReport {
    struct StatementEntry: Encodable {
        var policy: String
        var level: Int?
        var file: String
        var line: Int
        var column: Int
        var statement: Int
        var sid: String?
        var effect: String?

        init(_ reference: StatementReference) {
            policy = reference.role.rawValue
            level = reference.role == .scp || reference.role == .rcp ? reference.level + 1 : nil
            file = reference.file
            line = reference.span.start.line
            column = reference.span.start.column
            statement = reference.statementIndex + 1
            sid = reference.sid
            effect = reference.effect?.rawValue
        }
    }

    struct TraceEntry: Encodable {
        struct Condition: Encodable {
            var condition: String
            var holds: Bool
            var reason: String
            var line: Int
            var column: Int
        }

        var statement: StatementEntry
        var actionMatches: Bool
        var resourceMatches: Bool
        var principalMatches: Bool
        var conditions: [Condition]
        var applies: Bool
    }

    struct Document: Encodable {
        var line: Int?
        var decision: String
        var reason: String
        var principal: String
        var action: String
        var resource: String
        var statements: [StatementEntry]
        var trace: [TraceEntry]?
    }

    static func json(_ decision: Decision, request: Request, explain: Bool, pretty: Bool, line: Int? = nil) -> String {
        let document = Document(
            line: line, decision: decision.kind.rawValue, reason: decision.reason, principal: request.principal.description,
            action: request.action, resource: request.resource, statements: decision.decidingStatements.map(StatementEntry.init),
            trace: explain ? decision.trace.map(traceEntry) : nil)
        return encode(document, pretty: pretty)
    }

    static func errorLine(_ message: String, line: Int, span: SourceSpan) -> String {
        struct ErrorDocument: Encodable {
            var line: Int
            var error: String
            var location: String
        }
        return encode(ErrorDocument(line: line, error: message, location: span.description), pretty: false)
    }

    private static func traceEntry(_ trace: StatementTrace) -> TraceEntry {
        TraceEntry(
            statement: StatementEntry(trace.statement), actionMatches: trace.actionMatches, resourceMatches: trace.resourceMatches,
            principalMatches: trace.principalMatches,
            conditions: trace.conditions.map { .init(condition: $0.text, holds: $0.holds, reason: $0.reason, line: $0.span.start.line, column: $0.span.start.column) },
            applies: trace.applies)
    }

    private static func encode<T: Encodable>(_ value: T, pretty: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func text(_ decision: Decision, request: Request, explain: Bool, useColor: Bool) -> String {
        func paint(_ text: String, _ code: String) -> String { useColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        let color = decision.kind == .allow ? "1;32" : "1;31"
        var lines = ["\(paint(decision.kind.rawValue, color)): \(request.principal) → \(request.action) on \(request.resource)", "  \(decision.reason)"]
        for reference in decision.decidingStatements {
            lines.append("  \(describe(reference))")
        }
        if explain {
            lines.append("Trace:")
            for trace in decision.trace {
                let mark = trace.applies ? paint("applies", "32") : paint("does not apply", "2")
                lines.append("  \(describe(trace.statement)): \(mark)")
                var reasons: [String] = []
                if !trace.actionMatches { reasons.append("action \(request.action) not matched") }
                if !trace.resourceMatches { reasons.append("resource not matched") }
                if !trace.principalMatches { reasons.append("principal not matched") }
                if !reasons.isEmpty { lines.append("      " + reasons.joined(separator: "; ")) }
                for condition in trace.conditions {
                    lines.append("      \(condition.holds ? "✓" : "✗") \(condition.text): \(condition.reason)")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func describe(_ reference: StatementReference) -> String {
        let level = reference.role == .scp || reference.role == .rcp ? " level \(reference.level + 1)" : ""
        let name = reference.sid.map { "\"\($0)\"" } ?? "#\(reference.statementIndex + 1)"
        return "\(reference.span) \(reference.role.rawValue)\(level) statement \(name) (\(reference.effect?.rawValue ?? "?"))"
    }
}
