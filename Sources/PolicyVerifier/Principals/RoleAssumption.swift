import PolicyLanguage
import SMT

/// Whether a principal can reach another, and the evidence.
public enum Reachability: Sendable {
    /// A request the concrete evaluator allowed under every policy of the question.
    case reachable(Counterexample)
    /// Z3 proved that no request is allowed.
    case unreachable
    case unknown(UnknownReason)
}

extension Prover {
    /// Whether `caller` can assume `role` in the caller's own account: some `sts:AssumeRole` request
    /// on the role, by the caller (a user, or any session of a role), that IAM allows under the
    /// caller's identity-side `callerPolicies` (as for `privilegeEscalation`) and the role's `trust`
    /// policy, which must allow it itself (SEMANTICS.md §4): a trust statement naming the user allows on
    /// its own, one naming the caller's role or everyone as far as the boundary allows, one naming the
    /// account only with an identity-policy Allow too. Each way is one question; `.unreachable` only when
    /// Z3 refuted all of them.
    ///
    /// Only callers and roles of one account: a cross-account assumption is UNKNOWN.
    public func canAssume(_ role: KnownCaller, trust: Policy, by caller: KnownCaller, callerPolicies: [PolicyUnderTest]) -> Reachability {
        guard role.kind == .role else { return .unknown(.internalError("\(role) is not a role")) }
        guard role.account == caller.account else {
            return .unknown(.unsupported("assuming \(role) from another account (\(caller))", at: trust.span))
        }
        let principal: PrincipalPolicies
        do {
            principal = try PrincipalPolicies(callerPolicies, caller: caller, catalog: catalog)
        } catch {
            return .unknown(error)
        }
        // A session ARN names one session only; which sessions the caller opens is not known.
        let sessionPrefix = "arn:aws:sts::\(role.account):assumed-role/\(caller.name)/"
        if caller.kind == .role, let statement = trust.statements.first(where: { statement in
            guard case .specific(let values)? = statement.principal?.value else { return false }
            return values.contains { $0.text.hasPrefix(sessionPrefix) }
        }) {
            return .unknown(.unsupported("a trust policy naming single sessions of \(caller)", at: statement.span))
        }
        let example = caller.example
        let action = "sts:AssumeRole"
        let denies = trust.statements.filter { $0.effect?.value == .deny }
        var kinds: [ResourceGrantKind: [Statement]] = [:]
        for statement in trust.statements where statement.effect?.value == .allow {
            guard statement.covers(action: action),
                  let kind = PolicyEvaluator.resourceGrant(of: statement, for: example) else { continue }
            kinds[kind, default: []].append(statement)
        }
        let scope = ScopePolicy.make(actions: [action], resources: [role.arn], name: "<sts:AssumeRole on \(role)>")
        let set = PolicySet(
            identityPolicies: principal.identities, resourcePolicy: trust, permissionsBoundary: principal.boundary,
            sessionPolicy: principal.session, scpLevels: principal.scps.isEmpty ? [] : [principal.scps])
        let evaluator = principal.evaluator
        let evidence = { (request: Request) -> Counterexample in
            var evidence = principal.counterexample(request)
            let outcome = evaluator.applicableStatements(of: trust, role: .resource, request: request)
            evidence.outcomes.append(PolicyOutcomeSummary(label: "trust policy of \(role)", file: trust.file, allows: outcome.allows, allowing: outcome.allowing, denying: outcome.denying))
            return evidence
        }
        // The plain request first: when IAM allows it, it is the evidence, no solver needed. When it
        // is denied and no statement that applies to sts:AssumeRole reads the context (no condition,
        // no policy variable), the answer is the same for every request of the caller on the role.
        let plain = Request(principal: example, action: action, resource: role.arn)
        if evaluator.evaluate(plain, policies: set, explain: false).kind == .allow { return .reachable(evidence(plain)) }
        let everything = principal.identities + [principal.boundary, principal.session].compactMap { $0 } + principal.scps + [trust]
        if !Self.readsContext(everything, action: action) { return .unreachable }
        var unknown: UnknownReason?
        // The usual way first: the trust delegates to the account.
        for kind in [ResourceGrantKind.account, .principal, .direct] {
            guard let allowing = kinds[kind] else { continue }
            var statements = allowing + denies
            for index in statements.indices { statements[index].index = index }
            let granting = Policy(version: trust.version, statements: statements, span: trust.span)
            var groups = principal.groups
            switch kind {
            case .account: break
            case .principal:
                groups[0] = PolicyUnderTest(Self.denyOnly(principal.identities, name: "<identity Deny statements>"), role: .identity)
            case .direct:
                groups = groups.map { group in
                    group.role == .scp || group.policy.file == principal.timeFloor?.file ? group : PolicyUnderTest(Self.denyOnly([group.policy], name: group.policy.file), role: group.role)
                }
            }
            let policies = groups + [PolicyUnderTest(granting, role: .resource), PolicyUnderTest(scope, role: .identity)]
            let session: QuerySession
            switch self.session(policies, labels: principal.labels + ["trust", "scope"], caller: caller) {
            case .success(let ready): session = ready
            case .failure(let reason):
                unknown = unknown ?? reason
                continue
            }
            let verdict = session.counterexamples({ allows in
                try session.encoding.context.and(allows + [session.callerClasses(of: caller)])
            }, limit: 1, property: { $0.allSatisfy(\.allows) }, admits: { request in
                caller.matches(request.principal) && principal.isSendable(request) && evaluator.evaluate(request, policies: set, explain: false).kind == .allow
            })
            switch verdict {
            case .pass: continue
            case .unknown(let reason): unknown = unknown ?? reason
            case .fail(let found):
                guard let request = found.first?.request else { continue }
                return .reachable(evidence(request))
            }
        }
        return unknown.map { .unknown($0) } ?? .unreachable
    }

    /// Whether a statement of `policies` that may apply to `action` has a condition or a policy
    /// variable in its resources: only then can two requests of one caller for `action` on one
    /// resource be decided differently.
    static func readsContext(_ policies: [Policy], action: String) -> Bool {
        policies.contains { policy in
            policy.statements.contains { statement in
                guard statement.covers(action: action) else { return false }
                if !(statement.condition?.clauses.isEmpty ?? true) { return true }
                return statement.resource?.patterns.contains { $0.text.contains("${") } ?? false
            }
        }
    }

    /// A policy that allows exactly what none of `policies`' Deny statements denies.
    static func denyOnly(_ policies: [Policy], name: String) -> Policy {
        let span = SourceSpan(file: name, start: SourceLocation(line: 1, column: 1))
        var statements = ScopePolicy.make(actions: ["*"], resources: ["*"], name: name).statements
        statements += policies.flatMap(\.statements).filter { $0.effect?.value == .deny }
        for index in statements.indices { statements[index].index = index }
        return Policy(version: Located("2012-10-17", at: span), statements: statements, span: span)
    }
}
