/// The statements of one policy that apply to a request, as the evaluator decides them. This is the
/// statement-level meaning a prover gives a single policy ("what does this document allow?"), and the
/// oracle its counterexamples are certified against.
public struct StatementOutcome: Sendable {
    /// Allow statements whose principal, action, resource and conditions all match.
    public var allowing: [StatementReference]
    /// Deny statements that match.
    public var denying: [StatementReference]

    /// Whether the policy on its own allows the request: an Allow applies and no Deny does.
    public var allows: Bool { !allowing.isEmpty && denying.isEmpty }
}

extension PolicyEvaluator {
    /// Which statements of `policy`, playing `role`, apply to `request`, with the same matching as
    /// `evaluate` (derived keys filled in, actions without resource-level permissions on `*`).
    public func applicableStatements(of policy: Policy, role: PolicyRole, request: Request, principalHasBoundary: Bool = false) -> StatementOutcome {
        var request = request.withDerivedKeys()
        if request.resource == "*", let action = catalog?.action(request.action), !action.supportsResourceLevelPermissions {
            request.wildcardOnlyAction = true
        }
        var run = EvaluationRun(request: request, recordsTrace: false, principalHasBoundary: principalHasBoundary)
        let outcome = run.outcome(of: policy, role: role)
        return StatementOutcome(allowing: outcome.allowing, denying: outcome.denying)
    }
}

extension Statement {
    /// Whether the statement's `Principal`/`NotPrincipal` names `principal` when its policy plays `role`.
    /// Identity-side policies have no principal to match. A resource-policy statement must name one:
    /// without it the statement names nobody (resource policies require a Principal; S3 rejects such a
    /// statement). AWS: "The NotPrincipal element with a Deny effect will always deny any IAM principal
    /// that has a permissions boundary policy attached, regardless of the values specified".
    public func principalMatches(_ principal: RequestPrincipal, role: PolicyRole, principalHasBoundary: Bool = false) -> Bool {
        guard role.matchesPrincipals else { return true }
        guard let element = self.principal else { return role != .resource }
        if role == .resource, element.isNot, effect?.value == .deny, principalHasBoundary, principal.account != nil {
            return true
        }
        return StatementMatching.matches(element, principal: principal)
    }
}

extension ActionElement {
    /// Whether any entry matches `action` (case-insensitively, as IAM matches actions), ignoring
    /// whether the element is `NotAction`. The evaluator's own matcher.
    public func anyEntryMatches(_ action: String) -> Bool { index.matches(action) }

    /// `anyEntryMatches(_:)` for an action prepared once for many elements.
    public func anyEntryMatches(_ action: MatchableAction) -> Bool { index.matches(action) }

    /// Whether some entry may match an action of `service` (lower-cased ASCII): when `false`, no action
    /// of the service matches.
    public func mayMatch(service: Substring) -> Bool { index.mayMatch(service: service) }

    /// Whether the element covers `action`, `NotAction` included.
    public func covers(_ action: String) -> Bool { anyEntryMatches(action) != isNot }
}

extension Statement {
    /// Whether the statement's `Action`/`NotAction` covers `action` (`false` without one): a statement
    /// that does not may apply to no request for the action, whatever the rest of the request.
    public func covers(action: String) -> Bool { self.action?.covers(action) ?? false }
}

extension PolicyEvaluator {
    /// How every statement of `policy`, playing `role`, fared against `request`: the same matching as
    /// `applicableStatements` (derived keys filled in), recorded statement by statement for a person
    /// asking why a request is allowed.
    public func trace(of policy: Policy, role: PolicyRole, request: Request, principalHasBoundary: Bool = false) -> (outcome: StatementOutcome, statements: [StatementTrace]) {
        var request = request.withDerivedKeys()
        if request.resource == "*", let action = catalog?.action(request.action), !action.supportsResourceLevelPermissions {
            request.wildcardOnlyAction = true
        }
        var run = EvaluationRun(request: request, recordsTrace: true, principalHasBoundary: principalHasBoundary)
        let outcome = run.outcome(of: policy, role: role)
        return (StatementOutcome(allowing: outcome.allowing, denying: outcome.denying), run.trace)
    }
}
