import PolicyLanguage
import PolicyVerifier

/// Renders verdicts and counterexamples as text (for people) and JSON (for machines).
struct ProofReport {
    var useColor: Bool
    var sourceLines = SourceLines()

    init(useColor: Bool) {
        self.useColor = useColor
    }

    func paint(_ text: String, _ code: String) -> String { useColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    /// `PASS` / `FAIL` / `UNKNOWN`, coloured.
    func label(_ verdict: Verdict) -> String {
        switch verdict {
        case .pass: paint("PASS", "1;32")
        case .fail: paint("FAIL", "1;31")
        case .unknown: paint("UNKNOWN", "1;33")
        }
    }

    /// A counterexample: the request, then what each policy says of it, with the granting lines.
    mutating func text(_ counterexample: Counterexample, number: Int, indent: String) -> [String] {
        var lines = ["\(indent)Counterexample \(number) (certified by the concrete evaluator):"]
        lines += requestLines(counterexample.request, indent: indent + "  ")
        for outcome in counterexample.outcomes {
            if outcome.allows {
                lines.append("\(indent)  \(outcome.label) (\(outcome.file)): \(paint("allows", "32")) it")
                for statement in outcome.allowing { lines += excerpt(statement, verb: "granted by", indent: indent + "    ") }
            } else if !outcome.denying.isEmpty {
                lines.append("\(indent)  \(outcome.label) (\(outcome.file)): \(paint("denies", "31")) it explicitly")
                for statement in outcome.denying { lines += excerpt(statement, verb: "denied by", indent: indent + "    ") }
            } else {
                lines.append("\(indent)  \(outcome.label) (\(outcome.file)): does not allow it (no Allow statement applies)")
            }
        }
        return lines
    }

    /// The request of a counterexample: principal, action, resource and context keys.
    func requestLines(_ request: Request, indent: String) -> [String] {
        var lines = ["\(indent)principal  \(request.principal)", "\(indent)action     \(request.action)", "\(indent)resource   \(request.resource)"]
        let entries = request.context.allEntries
        if entries.isEmpty { lines.append("\(indent)context    (no condition keys needed)") }
        for (index, entry) in entries.enumerated() {
            let values = entry.isSet ? "[" + entry.values.map(Self.quoted).joined(separator: ", ") + "]" : Self.quoted(entry.values.first ?? "")
            lines.append("\(indent)\(index == 0 ? "context  " : "         ")  \(entry.name) = \(values)")
        }
        return lines
    }

    /// A statement's location and its first lines of source.
    mutating func excerpt(_ statement: StatementReference, verb: String, indent: String) -> [String] {
        let name = statement.sid.map { "\"\($0)\"" } ?? "#\(statement.statementIndex + 1)"
        var lines = ["\(indent)\(verb) \(statement.span.file):\(statement.span.start.line):\(statement.span.start.column) statement \(name) (\(statement.effect?.rawValue ?? "?"))"]
        let first = statement.span.start.line
        let last = min(max(statement.span.end.line, first), first + 7)
        let width = String(last).count
        for number in first...last {
            guard let text = sourceLines.line(number, of: statement.span.file) else { break }
            let gutter = String(repeating: " ", count: width - String(number).count) + String(number)
            lines.append("\(indent)  \(paint(gutter + " |", "2")) \(text)")
        }
        if statement.span.end.line > last { lines.append("\(indent)  \(String(repeating: " ", count: width)) | …") }
        return lines
    }

    /// A value as a JSON string literal, so that odd characters are visible.
    static func quoted(_ text: String) -> String { JSONValue.string(text).serialized() }

    // MARK: JSON

    static func json(_ verdict: Verdict) -> JSONValue {
        switch verdict {
        case .pass:
            return .object([("verdict", .string("pass"))])
        case .fail(let found):
            return .object([("verdict", .string("fail")), ("counterexamples", .array(found.map(json)))])
        case .unknown(let reason):
            return .object([("verdict", .string("unknown")), ("reason", .string(reason.description))])
        }
    }

    static func json(_ counterexample: Counterexample) -> JSONValue {
        let request = counterexample.request
        var context: [(String, JSONValue)] = []
        for entry in request.context.allEntries {
            context.append((entry.name, entry.isSet ? .array(entry.values.map(JSONValue.string)) : .string(entry.values.first ?? "")))
        }
        let principal: JSONValue = request.principal == .anonymous ? .null : .string(request.principal.description)
        return .object([
            ("request", .object([("principal", principal), ("action", .string(request.action)), ("resource", .string(request.resource)), ("context", .object(context))])),
            ("certified", .bool(true)),
            ("policies", .array(counterexample.outcomes.map { outcome in
                .object([
                    ("label", .string(outcome.label)), ("file", .string(outcome.file)), ("allows", .bool(outcome.allows)),
                    ("allowing", .array(outcome.allowing.map(DecisionReport.statement))),
                    ("denying", .array(outcome.denying.map(DecisionReport.statement))),
                ])
            })),
        ])
    }
}
