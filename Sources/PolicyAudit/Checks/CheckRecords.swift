import PolicyLanguage
import PolicyVerifier

/// Turns the verifier's answers into report records: one `CheckRecord` per check, with an `Issue` at
/// each granting statement so that code-scanning tools annotate the lines that grant the access.
public enum CheckRecords {
    /// The validation findings of a policy: `error` when the policy is not valid, else `pass` with the
    /// warnings and suggestions as issues (they fail the run only with `--fail-on warning`).
    public static func validation(_ findings: [Finding]) -> CheckRecord {
        let errors = findings.filter { $0.severity == .error }.count
        let outcome: Outcome = errors > 0 ? .error : .pass
        let message = findings.isEmpty ? "valid, no findings" : "\(errors) error(s), \(findings.count - errors) other finding(s)"
        return CheckRecord(id: "validation", outcome: outcome, message: message, issues: findings.map(Issue.init))
    }

    /// A verdict with counterexamples (`never`, `only`, `admin-equivalent`).
    public static func verdict(_ verdict: Verdict, id: String, passMessage: String, failMessage: String? = nil, policy: Location) -> CheckRecord {
        switch verdict {
        case .pass:
            return CheckRecord(id: id, outcome: .pass, message: passMessage)
        case .fail(let counterexamples):
            let issues = counterexamples.map { counterexample in
                located(counterexample, ruleId: id, message: failMessage ?? "allows a request it must not", example: describe(counterexample.request), fallback: policy)
            }
            return CheckRecord(id: id, outcome: .fail, message: failMessage ?? "fails: allows a request it must not (\(counterexamples.count) certified example(s))", issues: issues)
        case .unknown(let reason):
            return unknown(reason, id: id, policy: policy)
        }
    }

    public static func unknown(_ reason: UnknownReason, id: String, policy: Location) -> CheckRecord {
        var location = policy
        if case .unsupported(_, let span) = reason, span.start.line > 0 { location = Location(span) }
        return CheckRecord(id: id, outcome: .unknown, message: "unknown: \(reason)", issues: [Issue(ruleId: id, level: .warning, message: "not proved: \(reason)", location: location)])
    }

    /// Admin-equivalence: one issue at the first granting statement, naming every sentinel request.
    public static func admin(_ verdict: Verdict, policy: Location) -> CheckRecord {
        let id = "admin-equivalent"
        guard case .fail(let counterexamples) = verdict, let first = counterexamples.first else {
            return self.verdict(verdict, id: id, passMessage: "not admin-equivalent (proved: some administrator action is never allowed)", policy: policy)
        }
        let actions = counterexamples.map(\.request.action).joined(separator: ", ")
        var issue = located(first, ruleId: id, message: "grants administrator-equivalent access: allows every administrator action (\(actions))", example: describe(first.request), fallback: policy)
        let others = counterexamples.dropFirst().flatMap { ($0.outcomes.first { $0.allows })?.allowing ?? [] }
            .map { RelatedLocation(message: "also granted by statement \($0.sid ?? "#\($0.statementIndex + 1)")", location: Location($0.span)) }
        issue.related = uniqued(issue.related + others, excluding: issue.location)
        return CheckRecord(id: id, outcome: .fail, message: "grants administrator-equivalent access", issues: [issue])
    }

    /// The outcome of a no-public or no-external question, one issue per way in.
    public static func access(_ report: AccessReport, id: String, policy: Location) -> CheckRecord {
        switch report.verdict {
        case .pass:
            let message = report.namesNoCallers ? "names no callers: grants nothing outside its account by itself" : "no \(report.question == .publicAccess ? "public" : "external") access (proved)"
            return CheckRecord(id: id, outcome: .pass, message: message)
        case .unknown(let reason):
            return unknown(reason, id: id, policy: policy)
        case .fail:
            let issues = report.findings.map { finding in
                let who = finding.isPublic ? "anyone (public)" : "outside principals"
                var text = "\(who) via \(finding.principal) can \(finding.actionsAreExcluded ? "do all but " : "")\(finding.actions.joined(separator: ", "))"
                if !finding.resources.isEmpty { text += " on \(finding.resourcesAreExcluded ? "all but " : "")\(finding.resources.joined(separator: ", "))" }
                if !finding.conditions.isEmpty { text += " when " + finding.conditions.map { "\($0.operatorName) \($0.key) \($0.values.joined(separator: "|"))" }.joined(separator: " and ") }
                return Issue(ruleId: id, level: .error, message: text, example: describe(finding.example.request), location: Location(finding.statement.span))
            }
            let kind = report.findings.contains(where: \.isPublic) ? "public" : "external"
            let complete = report.findingsAreComplete ? "" : " (more may exist)"
            return CheckRecord(id: id, outcome: .fail, message: "\(kind) access: \(report.findings.count) way(s) in\(complete)", issues: issues)
        }
    }

    /// The escalation methods found, one issue per method at its first granting statement.
    public static func escalation(_ report: EscalationReport, policy: Location) -> CheckRecord {
        let id = "privilege-escalation"
        switch report.verdict {
        case .pass:
            return CheckRecord(id: id, outcome: .pass, message: "no privilege-escalation method of the catalogue (proved)")
        case .unknown(let reason):
            var record = unknown(reason, id: id, policy: policy)
            record.message = "unknown for \(report.unknown.count) method(s): \(reason)"
            return record
        case .fail:
            let issues = report.findings.map { finding in
                let statements = finding.steps.flatMap { step in step.counterexample.outcomes.flatMap(\.allowing) }
                let first = statements.first.map { Location($0.span) } ?? policy
                let steps = finding.steps.map { "\($0.action) on \($0.counterexample.request.resource)" }.joined(separator: ", then ")
                let related = statements.dropFirst().map { RelatedLocation(message: "also granted by statement \($0.sid ?? "#\($0.statementIndex + 1)")", location: Location($0.span)) }
                return Issue(ruleId: id, level: .error, message: "escalation method \(finding.method.id) (\(finding.method.name))", example: steps, location: first, related: uniqued(related, excluding: first))
            }
            let names = report.findings.map { $0.method.id }.joined(separator: ", ")
            return CheckRecord(id: id, outcome: .fail, message: "\(report.findings.count) privilege-escalation method(s): \(names)", issues: issues)
        }
    }

    static func describe(_ request: Request) -> String {
        var text = "\(request.action) on \(request.resource) by \(request.principal)"
        let entries = request.context.allEntries
        if !entries.isEmpty {
            text += " with " + entries.map { "\($0.name)=\($0.isSet ? "[" + $0.values.joined(separator: ",") + "]" : $0.values.first ?? "")" }.joined(separator: ", ")
        }
        return text
    }

    private static func located(_ counterexample: Counterexample, ruleId: String, message: String, example: String, fallback: Location) -> Issue {
        let statements = (counterexample.outcomes.first { $0.allows && !$0.allowing.isEmpty })?.allowing ?? []
        let related = statements.dropFirst().map { RelatedLocation(message: "also granted by statement \($0.sid ?? "#\($0.statementIndex + 1)")", location: Location($0.span)) }
        return Issue(ruleId: ruleId, level: .error, message: message, example: example, location: statements.first.map { Location($0.span) } ?? fallback, related: related)
    }

    /// `related` without repeats and without the issue's own location.
    private static func uniqued(_ related: [RelatedLocation], excluding primary: Location) -> [RelatedLocation] {
        var seen: [Location] = [primary]
        return related.filter { entry in
            if seen.contains(entry.location) { return false }
            seen.append(entry.location)
            return true
        }
    }
}

extension Issue {
    /// A validation or reading finding as an issue: errors are errors, security warnings and warnings
    /// are warnings, suggestions are notes.
    public init(_ finding: Finding) {
        let level: IssueLevel = switch finding.severity {
        case .error: .error
        case .securityWarning, .warning: .warning
        case .suggestion: .note
        }
        self.init(ruleId: finding.code.rawValue, level: level, message: finding.message, location: Location(finding.span),
                  related: finding.notes.map { RelatedLocation(message: $0.message, location: Location($0.span)) })
    }
}
