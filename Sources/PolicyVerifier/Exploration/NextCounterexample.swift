import PolicyLanguage
import SMT

/// The answer to "is there another counterexample?".
public enum ExplorationAnswer: Sendable {
    /// A request that breaks the property, not in the classes of those shown and not excluded;
    /// certified by the concrete evaluator like every counterexample.
    case counterexample(Counterexample)
    /// None is left: Z3 proved the question unsatisfiable.
    case exhausted(ExhaustionProof)
    /// Neither: the reason says why (never a proof).
    case unknown(UnknownReason)
}

/// What Z3 proved when no counterexample is left.
public struct ExhaustionProof: Sendable {
    /// The question that is unsatisfiable, one conjunct per line ("the policy allows it", …).
    public var question: [String]
    /// How many counterexamples were blocked, each with every request the policies' patterns cannot
    /// tell apart from it (same principal, action and resource classes).
    public var blocked: Int
    /// The requests the person took out of the question.
    public var exclusions: [Exclusion]
    /// How long the proof took.
    public var seconds: Double
    /// The policy names no callers, so a no-access question holds without asking the solver.
    public var namesNoCallers = false

    /// Nothing was blocked or excluded: the property itself holds (what `check` reports as PASS).
    public var propertyHolds: Bool { blocked == 0 && exclusions.isEmpty }
}

extension Prover {
    /// The next counterexample to `property` for `policy`: one in none of the principal, action and
    /// resource classes of the `shown` requests and in none of the `exclusions`, or the proof that no
    /// such request exists. With nothing shown or excluded, `.exhausted` is exactly the PASS of the
    /// matching check.
    public func nextCounterexample(of policy: PolicyUnderTest, _ property: ExplorationProperty, after shown: [Request] = [], excluding exclusions: [Exclusion] = []) -> ExplorationAnswer {
        let started = ContinuousClock.now
        var question = ExplorationQuestion(policy: policy, property: property)
        if question.namesNoCallers {
            return .exhausted(ExhaustionProof(question: question.conjuncts, blocked: 0, exclusions: exclusions, seconds: 0, namesNoCallers: true))
        }
        var excluded: Int?
        if !exclusions.isEmpty {
            guard let policy = Exclusion.policy(exclusions) else {
                return .unknown(.tooComplex("an exclusion that cannot be stated exactly"))
            }
            excluded = question.policies.count
            question.policies.append(policy)
            question.labels.append("excluded")
        }
        let session: QuerySession
        switch self.session(question.policies, labels: question.labels, namedAccounts: question.namedAccounts) {
        case .failure(let reason): return .unknown(reason)
        case .success(let opened): session = opened
        }
        let encoding = session.encoding
        let goal = question.goal, holds = question.holds, outsiders = question.outsiders
        // Requests that differ in action or resource say more than another caller for the same grant:
        // those are asked for first, and other callers only once none is left.
        let callersMatter = question.policies.contains { $0.role.matchesPrincipals } && !shown.isEmpty
        var verdict = Verdict.pass
        for ignoringPrincipal in callersMatter ? [true, false] : [false] {
            let extra: [Term]
            do {
                extra = try shown.compactMap { try encoding.sameClasses(as: $0, ignoringPrincipal: ignoringPrincipal)?.not() }
                    + (outsiders.map { [try encoding.outsiderTerm($0)] } ?? [])
            } catch {
                return .unknown(.solver("\(error)"))
            }
            verdict = session.counterexamples({ allows in
                var parts = [try goal(allows)] + extra
                if let excluded { parts.append(try allows[excluded].not()) }
                return try encoding.context.and(parts)
            }, limit: 1, property: { outcomes in holds(outcomes) && !(excluded.map { outcomes[$0].allows } ?? false) }, admits: outsiders?.admits ?? { _ in true })
            if case .fail = verdict { break }
        }
        switch verdict {
        case .pass:
            var lines = question.conjuncts
            if !shown.isEmpty { lines.append("it is not like any of the \(shown.count) shown (same principal, action and resource classes)") }
            lines += exclusions.map { "it is \($0)" }
            return .exhausted(ExhaustionProof(question: lines, blocked: shown.count, exclusions: exclusions, seconds: (ContinuousClock.now - started).seconds))
        case .fail(let found):
            var example = found[0]
            // The scopes the question adds are part of the question, not policies to blame.
            example.outcomes.removeAll { $0.label == "excluded" || $0.label == "resource type" }
            return .counterexample(example)
        case .unknown(let reason):
            return .unknown(reason)
        }
    }
}

/// The policies, goal and outsiders of one exploration question.
private struct ExplorationQuestion {
    var policies: [PolicyUnderTest]
    var labels: [String]
    var goal: ([Term]) throws -> Term
    var holds: ([StatementOutcome]) -> Bool
    var conjuncts: [String]
    var outsiders: Outsiders?
    var namedAccounts: [String] = []
    var namesNoCallers = false

    init(policy: PolicyUnderTest, property: ExplorationProperty) {
        switch property {
        case .never(let scope):
            policies = [policy, PolicyUnderTest(scope: scope)]
            labels = ["policy", "scope"]
            goal = { try $0[0].and($0[1]) }
            holds = { $0[0].allows && $0[1].allows }
            conjuncts = ["the policy allows the request", "the request is in the scope"]
        case .only(let bound):
            policies = [policy, PolicyUnderTest(scope: bound)]
            labels = ["policy", "bound"]
            goal = { try $0[0].and($0[1].not()) }
            holds = { $0[0].allows && !$0[1].allows }
            conjuncts = ["the policy allows the request", "the request is outside the bound"]
        case .noNewAccess(let old):
            policies = [old, policy]
            labels = ["old", "new"]
            goal = { try $0[1].and($0[0].not()) }
            holds = { $0[1].allows && !$0[0].allows }
            conjuncts = ["the new policy allows the request", "the old policy does not"]
        case .noPublicAccess(let type), .noExternalAccess(_, let type):
            var zone = TrustedZone()
            var access = AccessQuestion.publicAccess
            if case .noExternalAccess(let trusted, _) = property {
                zone = trusted
                access = .externalAccess(trusted)
            }
            policies = [policy]
            labels = ["policy"]
            conjuncts = ["the policy allows the request", access == .publicAccess ? "the caller is one of an unbounded set (public)" : "the caller is outside the zone of trust"]
            if let type = type ?? ResourceType.infer(from: policy.policy) {
                policies.append(type.actionScope)
                labels.append("resource type")
                conjuncts.append("the action is one a \(type.rawValue) resource policy can grant")
            }
            let count = policies.count
            goal = { try $0[0].and($0[count - 1]) }
            holds = { $0.prefix(count).allSatisfy(\.allows) }
            // Only resource-side policies name who may call (as `accessReport`).
            namesNoCallers = !policy.role.matchesPrincipals
            outsiders = Outsiders(question: access, policies: [policy.policy], zone: access == .publicAccess ? TrustedZone() : zone)
            namedAccounts = Outsiders(question: .publicAccess, policies: [policy.policy], zone: zone).owned.accounts.sorted()
        }
    }
}
