import PolicyAccount
import PolicyLanguage
import PolicyVerifier

/// Renders an `AccountReport` for people (text) and machines (JSON).
struct AccountText {
    var report = ProofReport(useColor: false)

    init(useColor: Bool) {
        report = ProofReport(useColor: useColor)
    }

    func label(_ status: CheckStatus) -> String {
        switch status {
        case .pass: report.paint("PASS", "1;32")
        case .fail: report.paint("FAIL", "1;31")
        case .unknown: report.paint("UNKNOWN", "1;33")
        case .warning: report.paint("WARN", "1;33")
        }
    }

    mutating func text(_ account: AccountReport) -> String {
        let roles = account.principals.filter { $0.principal.kind == .role }.count
        var lines = ["\(report.paint("account \(account.accountID)", "1")) (\(account.source)): \(account.principals.count - roles) user(s), \(roles) role(s); \(account.edges) role assumption(s) proved of \(account.edgeQueries) asked"]
        for principal in account.principals {
            lines.append("")
            lines += text(principal)
        }
        lines.append("")
        lines.append(String(format: "%d principal(s): %d failed, %d unknown, %d passed (%.3f s)", account.principals.count, account.count(.fail), account.count(.unknown), account.count(.pass), account.elapsed.seconds))
        return lines.joined(separator: "\n")
    }

    private mutating func text(_ entry: PrincipalReport) -> [String] {
        let principal = entry.principal
        var lines = ["\(report.paint(principal.label, "1")) \(label(entry.status))  \(principal.arn)"]
        let policies = principal.identityPolicies.map(\.provenance) + (principal.boundary.map { ["boundary " + $0.origin.description] } ?? [])
        lines.append("  policies: " + (policies.isEmpty ? "none" : policies.joined(separator: "; ")))
        if !entry.reachable.isEmpty { lines.append("  can assume: " + entry.reachable.map(\.description).joined(separator: "; ")) }
        for (role, reason) in entry.undecided { lines.append("  may assume \(role): not decided: \(reason)") }
        for finding in principal.unresolved { lines.append("  unresolved: \(finding.span): \(finding.message)") }
        for check in entry.checks {
            lines.append("  \(label(check.status)) \(check.name): \(check.summary)")
            switch check.status {
            case .fail:
                lines += holdings(check.holdings)
            case .unknown:
                for reason in check.reasons.dropFirst().prefix(4) { lines.append("      also: \(reason)") }
            case .warning:
                for grant in check.grants.prefix(10) {
                    let where_ = "\(grant.grant.span.file):\(grant.grant.span.start.line):\(grant.grant.span.start.column)"
                    lines.append("      \(where_) (\(grant.provenance), statement \(grant.grant.sid.map { "\"\($0)\"" } ?? "#\(grant.grant.statementIndex + 1)")): \(grant.grant.message)\(grant.grant.conditional ? " (conditional)" : "")")
                }
                if check.grants.count > 10 { lines.append("      … and \(check.grants.count - 10) more (see --format json)") }
            case .pass: break
            }
        }
        return lines
    }

    /// The ways a power is held: each path once with its certified assumptions, the first way with
    /// its requests in full (statements and source lines), the others one line per request.
    private mutating func holdings(_ holdings: [Holding]) -> [String] {
        var lines: [String] = []
        var shownPaths: Set<String> = []
        for (number, holding) in holdings.enumerated() {
            if !holding.path.hops.isEmpty, shownPaths.insert(holding.path.description).inserted {
                lines.append("    through \(holding.path.description):")
                for (hop, request) in holding.path.hops.enumerated() {
                    let statement = request.outcomes.last?.allowing.first.map { ", trust statement at \(Self.place($0.span))" } ?? ""
                    lines.append("      assumption \(hop + 1): \(request.request.principal) sts:AssumeRole \(request.request.resource) (certified\(statement))")
                }
            }
            let via = holding.path.hops.isEmpty ? "" : " [as \(holding.path.holder)]"
            if number == 0 {
                lines.append("    \(holding.title)\(via):")
                for (index, request) in holding.requests.prefix(3).enumerated() {
                    lines += report.text(request, number: index + 1, indent: "      ")
                }
                if holding.requests.count > 3 { lines.append("      … and \(holding.requests.count - 3) more certified request(s) (see --format json)") }
            } else {
                let requests = holding.requests.prefix(3).map(Self.oneLine).joined(separator: "; ")
                lines.append("    \(holding.title)\(via): \(requests)\(holding.requests.count > 3 ? "; …" : "")")
            }
        }
        return lines
    }

    /// `iam:PassRole on arn:… {iam:PassedToService=ec2.amazonaws.com} (granted at file:line:column)`.
    static func oneLine(_ counterexample: Counterexample) -> String {
        let request = counterexample.request
        let keys = request.context.allEntries.map { "\($0.name)=\($0.values.joined(separator: ","))" }
        let granted = counterexample.outcomes.first?.allowing.first.map { " (granted at \(place($0.span)))" } ?? ""
        return "\(request.action) on \(request.resource)" + (keys.isEmpty ? "" : " {\(keys.joined(separator: ", "))}") + granted
    }

    static func place(_ span: SourceSpan) -> String { "\(span.file):\(span.start.line):\(span.start.column)" }

    // MARK: JSON

    static func json(_ account: AccountReport) -> JSONValue {
        .object([
            ("command", .string("check")),
            ("account", .object([
                ("source", .string(account.source)),
                ("accountId", .string(account.accountID)),
                ("findings", .array(account.findings.map(finding))),
                ("edges", .int(account.edges)),
                ("edgeQueries", .int(account.edgeQueries)),
                ("principals", .array(account.principals.map(principal))),
                ("summary", .object([
                    ("principals", .int(account.principals.count)), ("failed", .int(account.count(.fail))),
                    ("unknown", .int(account.count(.unknown))), ("passed", .int(account.count(.pass))),
                ])),
            ])),
            ("seconds", .string(String(format: "%.3f", account.elapsed.seconds))),
            ("secondsAssumptions", .string(String(format: "%.3f", account.graphTime.seconds))),
            ("secondsPrincipals", .string(String(format: "%.3f", account.principalTime.seconds))),
        ])
    }

    private static func finding(_ finding: Finding) -> JSONValue {
        .object([
            ("code", .string(finding.code.rawValue)), ("severity", .string(finding.severity.rawValue)), ("message", .string(finding.message)),
            ("location", location(finding.span)),
        ])
    }

    static func location(_ span: SourceSpan) -> JSONValue {
        .object([("file", .string(span.file)), ("line", .int(span.start.line)), ("column", .int(span.start.column))])
    }

    private static func path(_ path: AssumptionPath) -> JSONValue {
        .object([("principals", .array(path.principals.map(JSONValue.string))), ("hops", .array(path.hops.map(ProofReport.json)))])
    }

    private static func principal(_ entry: PrincipalReport) -> JSONValue {
        let principal = entry.principal
        return .object([
            ("principal", .string(principal.label)), ("kind", .string(principal.kind.rawValue)), ("arn", .string(principal.arn)),
            ("location", location(principal.span)),
            ("status", .string(entry.status.rawValue)),
            ("policies", .array(principal.identityPolicies.map { .string($0.provenance) })),
            ("boundary", principal.boundary.map { .string($0.origin.description) } ?? .null),
            ("unresolved", .array(principal.unresolved.map(finding))),
            ("canAssume", .array(entry.reachable.map(path))),
            ("undecided", .array(entry.undecided.map { .object([("role", .string($0.role)), ("reason", .string($0.reason))]) })),
            ("checks", .array(entry.checks.map(check))),
        ])
    }

    private static func check(_ check: PrincipalCheck) -> JSONValue {
        var members: [(String, JSONValue)] = [("name", .string(check.name)), ("status", .string(check.status.rawValue)), ("summary", .string(check.summary))]
        if !check.holdings.isEmpty {
            members.append(("holdings", .array(check.holdings.map { holding in
                .object([("title", .string(holding.title)), ("path", path(holding.path)), ("requests", .array(holding.requests.map(ProofReport.json)))])
            })))
        }
        if !check.reasons.isEmpty { members.append(("reasons", .array(check.reasons.map(JSONValue.string)))) }
        if !check.grants.isEmpty {
            members.append(("grants", .array(check.grants.map { grant in
                .object([
                    ("policy", .string(grant.provenance)), ("kind", .string(grant.grant.kind.rawValue)), ("pattern", .string(grant.grant.pattern)),
                    ("location", location(grant.grant.span)), ("actionCount", .int(grant.grant.actionCount)),
                    ("examples", .array(grant.grant.examples.map(JSONValue.string))), ("conditional", .bool(grant.grant.conditional)),
                    ("message", .string(grant.grant.message)),
                ])
            })))
        }
        return .object(members)
    }
}
