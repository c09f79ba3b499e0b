import PolicyLanguage
import PolicyVerifier

/// What one principal's own policies allow, before role assumption is taken into account: the answer
/// of every question the account checks ask, for this principal as the caller.
struct OwnFindings: Sendable {
    var admin: Verdict
    /// Whether the principal can grant itself any permission (attach or write a policy on itself or
    /// its groups, or a new version of a customer managed policy it holds): `nil` when a permissions
    /// boundary caps whatever it attaches.
    var selfGrant: Verdict? = nil
    var escalation: EscalationReport
    /// Per spec invariant, in spec order: the principal-side verdict of `never`/`only`; for a role's
    /// `no-public-access`/`no-external-access`, the trust policy's; `nil` where it does not apply.
    var invariants: [Verdict?]
    /// Per duty rule, per conflicting set: `neverAllows` of the set (FAIL: the principal holds it).
    var duties: [[Verdict]]
    var overbroad: [PolicyGrant]

    /// Every question UNKNOWN for the same reason (a principal whose policies are not fully known).
    static func unknown(_ reason: UnknownReason, spec: Spec?, overbroad: [PolicyGrant]) -> OwnFindings {
        OwnFindings(
            admin: .unknown(reason),
            escalation: EscalationReport(verdict: .unknown(reason), findings: [], unknown: EscalationMethod.catalogue.map { ($0, reason) }, provedAbsent: []),
            invariants: (spec?.invariants ?? []).map { _ in .unknown(reason) },
            duties: (spec?.duties ?? []).map { $0.conflicting.map { _ in .unknown(reason) } },
            overbroad: overbroad)
    }

    /// Asks every question for `principal`. `policies`: its identity-side policies and the SCPs;
    /// `nil` when they are not fully known (`blocker` says why).
    static func compute(principal: AccountPrincipal, policies: [PolicyUnderTest]?, blocker: UnknownReason?, spec: Spec?, prover: Prover, catalog: ActionCatalog) -> OwnFindings {
        let grants = principal.identityPolicies.flatMap { entry -> [PolicyGrant] in
            guard let policy = entry.attached.parsed.policy else { return [] }
            return OverbroadGrants.find(in: policy, catalog: catalog).map { PolicyGrant(provenance: entry.provenance, grant: $0) }
        }
        guard let policies, let caller = KnownCaller(arn: principal.arn) else {
            return unknown(blocker ?? .unsupported("\(principal.label) has no IAM user or role ARN", at: principal.span), spec: spec, overbroad: grants)
        }
        let invariants: [Verdict?] = (spec?.invariants ?? []).map { invariant in
            switch invariant.kind {
            case .never(let scope): return prover.neverAllows(principal: policies, caller: caller, scope: scope)
            case .only(let bound): return prover.onlyAllows(principal: policies, caller: caller, bound: bound)
            case .noPublicAccess, .noExternalAccess:
                guard principal.kind == .role else { return nil }
                guard let trust = principal.trust?.policy, principal.trust?.isEvaluable == true else {
                    return .unknown(.unsupported("the trust policy of \(principal.label) could not be read", at: principal.span))
                }
                return prover.prove(invariant, for: PolicyUnderTest(trust, role: .resource), zone: spec?.trusted ?? TrustedZone()).verdict
            }
        }
        let duties = (spec?.duties ?? []).map { rule in
            rule.conflicting.map { side in prover.neverAllows(principal: policies, caller: caller, scope: side) }
        }
        // Evidence names each identity policy by how it reaches the principal.
        let names = principal.identityPolicies.map(\.provenance) + (principal.boundary.map { ["permissions boundary (\($0.origin))"] } ?? [])
        var escalation = prover.privilegeEscalation(policies, caller: caller)
        for finding in escalation.findings.indices {
            for step in escalation.findings[finding].steps.indices {
                escalation.findings[finding].steps[step].counterexample = Self.named(escalation.findings[finding].steps[step].counterexample, names)
            }
        }
        var selfGrant: Verdict?
        if principal.boundary == nil {
            let scope = selfGrantScope(principal)
            // Exact without the solver: no identity statement allows any of the actions at all.
            selfGrant = mayAllow(scope, policies) ? Self.named(prover.neverAllows(principal: policies, caller: caller, scope: scope), names) : .pass
        }
        return OwnFindings(
            admin: Self.named(prover.adminEquivalence(policies, caller: caller), names),
            selfGrant: selfGrant,
            escalation: escalation,
            invariants: invariants.map { $0.map { Self.named($0, names) } },
            duties: duties.map { $0.map { Self.named($0, names) } },
            overbroad: grants)
    }

    /// Whether some identity Allow statement's action element covers one of the (literal) actions of
    /// `scope`; when none does, no request of the scope is allowed.
    static func mayAllow(_ scope: Policy, _ policies: [PolicyUnderTest]) -> Bool {
        let actions = scope.statements.flatMap { $0.action?.patterns.map(\.text) ?? [] }
        return policies.filter { $0.role == .identity }.contains { entry in
            entry.policy.statements.contains { statement in
                statement.effect?.value == .allow && actions.contains { statement.covers(action: $0) }
            }
        }
    }

    /// The requests by which a principal gives itself any permission, written as a policy.
    static func selfGrantScope(_ principal: AccountPrincipal) -> Policy {
        let account = principal.accountID
        var statements: [(actions: [String], resources: [String])] = []
        switch principal.kind {
        case .user: statements.append((["iam:AttachUserPolicy", "iam:PutUserPolicy"], [principal.arn]))
        case .role: statements.append((["iam:AttachRolePolicy", "iam:PutRolePolicy"], [principal.arn]))
        }
        let groups = Set(principal.identityPolicies.compactMap(\.viaGroup)).sorted()
        if !groups.isEmpty {
            statements.append((["iam:AttachGroupPolicy", "iam:PutGroupPolicy"], groups.flatMap { ["arn:aws:iam::\(account):group/\($0)", "arn:aws:iam::\(account):group/*/\($0)"] }))
        }
        let managed = principal.identityPolicies.compactMap { entry -> String? in
            guard case .managed(let arn) = entry.attached.origin, !arn.hasPrefix("arn:aws:iam::aws:") else { return nil }
            return arn
        }
        if !managed.isEmpty { statements.append((["iam:CreatePolicyVersion"], Array(Set(managed)).sorted())) }
        return ScopePolicy.make(statements, name: "<\(principal.label) granting itself a policy>")
    }

    static func named(_ verdict: Verdict, _ names: [String]) -> Verdict {
        guard case .fail(let found) = verdict else { return verdict }
        return .fail(found.map { named($0, names) })
    }

    /// The counterexample with its first outcomes (the principal's own policies, in the order they
    /// were given) labelled by `names`, leaving out those of the principal's policies that say
    /// nothing about the request.
    static func named(_ counterexample: Counterexample, _ names: [String]) -> Counterexample {
        var copy = counterexample
        var outcomes: [PolicyOutcomeSummary] = []
        for (index, outcome) in counterexample.outcomes.enumerated() {
            guard index < names.count else {
                outcomes.append(outcome)
                continue
            }
            guard outcome.allows || !outcome.denying.isEmpty else { continue }
            var renamed = outcome
            renamed.label = names[index]
            outcomes.append(renamed)
        }
        copy.outcomes = outcomes
        return copy
    }
}
