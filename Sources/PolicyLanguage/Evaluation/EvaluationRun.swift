/// The applicable Allow and Deny statements of one policy (or of the policies of one level).
struct PolicyOutcome {
    var allowing: [StatementReference] = []
    var denying: [StatementReference] = []
    var allowingStatements: [(Statement, StatementReference)] = []
}

extension Array where Element == PolicyOutcome {
    func merged() -> PolicyOutcome {
        var result = PolicyOutcome()
        for outcome in self {
            result.allowing += outcome.allowing
            result.denying += outcome.denying
            result.allowingStatements += outcome.allowingStatements
        }
        return result
    }
}

/// One evaluation: matches statements and records the trace.
struct EvaluationRun {
    let request: Request
    /// Whether to record every statement's outcome (for `--explain`); off in batch evaluation.
    let recordsTrace: Bool
    /// Whether the principal has a permissions boundary, which makes every resource-policy Deny with
    /// NotPrincipal apply to it.
    let principalHasBoundary: Bool
    private(set) var trace: [StatementTrace] = []

    init(request: Request, recordsTrace: Bool, principalHasBoundary: Bool = false) {
        self.request = request
        self.recordsTrace = recordsTrace
        self.principalHasBoundary = principalHasBoundary
    }

    mutating func outcome(of policy: Policy, role: PolicyRole, level: Int = 0) -> PolicyOutcome {
        var outcome = PolicyOutcome()
        for statement in policy.statements {
            let reference = StatementReference(
                role: role, level: level, file: policy.file, statementIndex: statement.index,
                sid: statement.sid?.value, effect: statement.effect?.value, span: statement.span)
            let applies = evaluate(statement, reference, role: role)
            guard applies, let effect = statement.effect?.value else { continue }
            switch effect {
            case .allow:
                outcome.allowing.append(reference)
                outcome.allowingStatements.append((statement, reference))
            case .deny:
                outcome.denying.append(reference)
            }
        }
        return outcome
    }

    /// Whether the statement applies; records why in the trace.
    private mutating func evaluate(_ statement: Statement, _ reference: StatementReference, role: PolicyRole) -> Bool {
        let actionMatches = statement.action.map { StatementMatching.matches($0, action: request.action) } ?? false
        let quantifier: StatementMatching.ResourceQuantifier = statement.effect?.value == .deny ? .all : .some
        let resourceMatches = StatementMatching.matches(statement.resource, request: request, isResourcePolicy: role == .resource, quantifier: quantifier)
        let principalMatches = principalMatches(statement, role: role)
        var conditions: [(text: String, holds: Bool, reason: String, span: SourceSpan)] = []
        var conditionsHold = false
        if actionMatches, resourceMatches, principalMatches {
            let result = ConditionEvaluation.evaluate(statement.condition, context: request.context)
            conditionsHold = result.holds
            guard recordsTrace else { return conditionsHold && statement.effect != nil }
            conditions = result.outcomes.map { outcome in
                let values = outcome.clause.values.map { "\"\($0.text)\"" }.joined(separator: ", ")
                return ("\(outcome.clause.operatorName.value) \(outcome.clause.key.value) [\(values)]", outcome.holds, outcome.reason, outcome.clause.operatorName.span)
            }
        }
        let applies = actionMatches && resourceMatches && principalMatches && conditionsHold && statement.effect != nil
        guard recordsTrace else { return applies }
        trace.append(StatementTrace(
            statement: reference, actionMatches: actionMatches, resourceMatches: resourceMatches,
            resourceEntries: resolvedResourceEntries(statement.resource),
            principalMatches: principalMatches, conditions: conditions, applies: applies))
        return applies
    }

    /// Identity-side policies have no principal to match. A resource-policy statement must name one:
    /// without it the statement names nobody (resource policies require a Principal; S3 rejects such a
    /// statement). AWS: "The NotPrincipal element with a Deny effect will always deny any IAM principal
    /// that has a permissions boundary policy attached, regardless of the values specified".
    private func principalMatches(_ statement: Statement, role: PolicyRole) -> Bool {
        statement.principalMatches(request.principal, role: role, principalHasBoundary: principalHasBoundary)
    }

    /// The resource entries with variables substituted, for explaining a mismatch.
    private func resolvedResourceEntries(_ element: ResourceElement?) -> [String] {
        guard let element else { return [] }
        return element.patterns.map { pattern in
            let text = pattern.template.parts.map { part -> String in
                switch part {
                case .text(let text): return text
                case .escaped(let character): return String(character)
                case .variable(let variable): return variable.resolve(in: request.context) ?? "${\(variable.key)}"
                }
            }.joined()
            return element.isNot ? "not " + text : text
        }
    }

    func decision(_ kind: DecisionKind, _ statements: [StatementReference], _ reason: String) -> Decision {
        Decision(kind: kind, decidingStatements: statements, reason: reason, trace: trace)
    }
}
