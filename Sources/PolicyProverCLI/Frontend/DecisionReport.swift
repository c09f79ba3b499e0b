import PolicyLanguage

/// Renders a `Decision` as text or JSON.
enum DecisionReport {
    static func statement(_ reference: StatementReference) -> JSONValue {
        var members: [(String, JSONValue)] = [("policy", .string(reference.role.rawValue))]
        if reference.role == .scp || reference.role == .rcp { members.append(("level", .int(reference.level + 1))) }
        members += [
            ("file", .string(reference.file)), ("line", .int(reference.span.start.line)),
            ("column", .int(reference.span.start.column)), ("statement", .int(reference.statementIndex + 1)),
            ("sid", reference.sid.map(JSONValue.string) ?? .null), ("effect", reference.effect.map { .string($0.rawValue) } ?? .null),
        ]
        return .object(members)
    }

    private static func trace(_ trace: StatementTrace) -> JSONValue {
        .object([
            ("statement", statement(trace.statement)), ("actionMatches", .bool(trace.actionMatches)),
            ("resourceMatches", .bool(trace.resourceMatches)), ("resourceEntries", .array(trace.resourceEntries.map(JSONValue.string))),
            ("principalMatches", .bool(trace.principalMatches)),
            ("conditions", .array(trace.conditions.map { condition in
                .object([
                    ("condition", .string(condition.text)), ("holds", .bool(condition.holds)), ("reason", .string(condition.reason)),
                    ("line", .int(condition.span.start.line)), ("column", .int(condition.span.start.column)),
                ])
            })),
            ("applies", .bool(trace.applies)),
        ])
    }

    /// The decision as one JSON object: `decision` is "Allow", "ImplicitDeny" or "ExplicitDeny".
    static func json(_ decision: Decision, request: Request, explain: Bool, pretty: Bool, line: Int? = nil) -> String {
        var members: [(String, JSONValue)] = []
        if let line { members.append(("line", .int(line))) }
        members += [
            ("decision", .string(decision.kind.rawValue)), ("reason", .string(decision.reason)),
            ("principal", .string(request.principal.description)), ("action", .string(request.action)),
            ("resource", .string(request.resource)), ("statements", .array(decision.decidingStatements.map(statement))),
        ]
        if explain { members.append(("trace", .array(decision.trace.map(trace)))) }
        return JSONValue.object(members).serialized(pretty: pretty)
    }

    static func errorLine(_ message: String, line: Int, span: SourceSpan) -> String {
        JSONValue.object([("line", .int(line)), ("error", .string(message)), ("location", .string(span.description))]).serialized()
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
                if !trace.resourceMatches { reasons.append("resource not matched by [\(trace.resourceEntries.joined(separator: ", "))]") }
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
