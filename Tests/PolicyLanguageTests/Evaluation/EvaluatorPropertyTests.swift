import PolicyLanguage
import PropertyBased
import Testing

/// Invariants of the concrete evaluator (SEMANTICS.md §2–§4), checked on random policy sets and
/// requests drawn from a small alphabet (EvaluatorGenerators.swift). A failure prints the request and
/// every policy as JSON, and a `.fixedSeed(…)` that replays it.
@Suite("Evaluator properties")
struct EvaluatorPropertyTests {
    let evaluator = PolicyEvaluator()

    /// The decision for `scenario` written with `options`, its policies built directly or (`parsed`)
    /// read from their JSON; with a trace only when `explain` (the trace costs time, and
    /// `decisionsAreDeterministicAndOrderIndependent` checks that it changes nothing).
    func decide(_ scenario: ScenarioSpec, _ options: RenderOptions = RenderOptions(), parsed: Bool = false, explain: Bool = false) -> Decision {
        evaluator.evaluate(
            scenario.request.request(options: options), policies: scenario.policySet(options: options, parsed: parsed), explain: explain)
    }

    /// Whether `statement` applies to `request`, read from the trace of a policy of `role` holding only
    /// that statement.
    func applies(_ statement: StatementSpec, role: SlotRole, request: RequestSpec) -> Bool {
        let policy = PolicySpec(statements: [statement]).policy(role: role, file: "alone.json", options: RenderOptions())
        let policies = role == .resource ? PolicySet(resourcePolicy: policy) : PolicySet(identityPolicies: [policy])
        let decision = evaluator.evaluate(request.request(), policies: policies, explain: true)
        guard let entry = decision.trace.first(where: { $0.statement.file == "alone.json" }) else {
            Issue.record("the statement is missing from the trace")
            return false
        }
        return entry.applies
    }

    // MARK: 0. The generators are not vacuous

    /// The properties below are only meaningful if random scenarios reach every decision.
    @Test func generatedScenariosReachEveryDecision() async {
        let runs = 300
        var counts: [DecisionKind: Int] = [:]
        await propertyCheck(count: runs, input: EvalGen.scenario) { scenario in
            counts[decide(scenario).kind, default: 0] += 1
        }
        // About 60 % ImplicitDeny, 25 % Allow, 15 % ExplicitDeny.
        for kind in DecisionKind.allCases {
            #expect(counts[kind, default: 0] >= runs / 15, "only \(counts[kind, default: 0]) of \(runs) scenarios give \(kind.rawValue): \(counts)")
        }
    }

    /// The policies are built directly as ASTs for speed; they must mean what their JSON, read by
    /// `PolicyParser`, means.
    @Test func generatedASTAgreesWithTheParser() async {
        await propertyCheck(count: 150, input: EvalGen.scenario, EvalGen.caseMask) { scenario, mask in
            let options = RenderOptions(shuffled: mask & 1 == 1, conditionKeyCaseMask: mask)
            let built = decide(scenario, options, explain: true)
            let parsed = decide(scenario, options, parsed: true, explain: true)
            #expect(built.kind == parsed.kind)
            #expect(built.trace.map(\.applies) == parsed.trace.map(\.applies))
            #expect(built.decidingStatements.map(\.statementIndex) == parsed.decidingStatements.map(\.statementIndex))
        }
    }

    // MARK: 1. Deny is monotone

    /// Adding a Deny statement to any policy of the set never turns a non-Allow into Allow, and never
    /// turns ExplicitDeny into anything else.
    @Test func addingADenyNeverGrantsAndNeverLifts() async {
        await propertyCheck(count: 500, input: EvalGen.scenario, EvalGen.statement(effect: .deny), Gen.int(in: 0...99)) {
            scenario, deny, pick in
            let slots = scenario.slots + [.identity(scenario.identity.count)]
            var after = scenario
            let (slot, _) = after.append(deny, to: slots[pick % slots.count])
            let before = decide(scenario).kind
            let now = decide(after).kind
            if before != .allow {
                #expect(now != .allow, "a Deny added to \(slot.file) turned \(before.rawValue) into Allow")
            }
            if before == .explicitDeny {
                #expect(now == .explicitDeny, "a Deny added to \(slot.file) turned ExplicitDeny into \(now.rawValue)")
            }
        }
    }

    // MARK: 2. Identity Allow is monotone

    /// Adding an Allow statement to an identity policy never turns an Allow into a deny and never
    /// removes an ExplicitDeny.
    @Test func addingAnIdentityAllowNeverDeniesAndNeverLifts() async {
        await propertyCheck(count: 500, input: EvalGen.scenario, EvalGen.statement(effect: .allow), Gen.int(in: 0...99)) {
            scenario, allow, pick in
            var after = scenario
            let (slot, _) = after.append(allow, to: .identity(pick % (scenario.identity.count + 1)))
            let before = decide(scenario).kind
            let now = decide(after).kind
            if before == .allow {
                #expect(now == .allow, "an Allow added to \(slot.file) turned Allow into \(now.rawValue)")
            }
            if before == .explicitDeny {
                #expect(now == .explicitDeny, "an Allow added to \(slot.file) turned ExplicitDeny into \(now.rawValue)")
            }
        }
    }

    // MARK: 3. NotAction is the complement

    /// Over the finite action alphabet, `NotAction: X` applies exactly when `Action:` listing every
    /// action of the alphabet that no entry of X matches applies, and the two give the same decision
    /// within a random scenario.
    @Test func notActionIsActionOfTheComplement() async {
        await propertyCheck(count: 500, input: EvalGen.scenario, EvalGen.statement(), Gen.bool) { scenario, statement, inResource in
            var negated = statement
            negated.notAction = true
            var listed = statement
            listed.notAction = false
            listed.actions = EvalAlphabet.actions.filter { action in
                !statement.actions.contains { EvalText.referenceActionMatches($0, action) }
            }
            expectSameApplication(negated, listed, in: scenario, inResource: inResource,
                                  "NotAction \(statement.actions) vs Action \(listed.actions)")
        }
    }

    // MARK: 4. NotResource is the complement

    /// Over the finite resource alphabet and concrete request resources, `NotResource: X` applies exactly
    /// when `Resource:` listing every resource of the alphabet that no entry of X matches (for this
    /// request: `${aws:username}` resolved) applies, and the two give the same decision within a random
    /// scenario.
    @Test func notResourceIsResourceOfTheComplement() async {
        await propertyCheck(
            count: 500, input: EvalGen.scenario, EvalGen.statement(), EvalGen.pick(EvalAlphabet.resources), Gen.bool
        ) { scenario, statement, resource, inResource in
            var scenario = scenario
            scenario.request.resource = resource
            let username = scenario.request.username
            var negated = statement
            negated.notResource = true
            var listed = statement
            listed.notResource = false
            listed.resources = EvalAlphabet.resources.filter { candidate in
                !statement.resources.contains { EvalText.referenceResourceMatches($0, candidate, username: username) }
            }
            expectSameApplication(negated, listed, in: scenario, inResource: inResource,
                                  "NotResource \(statement.resources) vs Resource \(listed.resources)")
        }
    }

    /// The negated statement and its listed complement apply to the same requests, alone in their
    /// policy (from the trace) and within the whole scenario (same decision).
    private func expectSameApplication(_ negated: StatementSpec, _ listed: StatementSpec, in scenario: ScenarioSpec, inResource: Bool, _ label: String) {
        let role: SlotRole = inResource ? .resource : .identity
        let notApplies = applies(negated, role: role, request: scenario.request)
        let listApplies = applies(listed, role: role, request: scenario.request)
        #expect(notApplies == listApplies, "\(label): \(notApplies) vs \(listApplies)")
        let target: PolicySlot = inResource ? .resource : .identity(0)
        var withNot = scenario
        withNot.append(negated, to: target)
        var withList = scenario
        withList.append(listed, to: target)
        #expect(decide(withNot).kind == decide(withList).kind)
    }

    // MARK: 5. Conditions only restrict Allow statements

    /// For a single identity policy: removing every Deny statement and every condition never turns an
    /// Allow into a deny.
    @Test func droppingDeniesAndConditionsKeepsAnAllow() async {
        await propertyCheck(count: 600, input: EvalGen.singleIdentityScenario) { scenario in
            guard decide(scenario).kind == .allow else { return }
            let stripped = scenario.mappingStatements { $0.filter { $0.effect == .allow }.map(\.unconditional) }
            let now = decide(stripped).kind
            #expect(now == .allow, "without Deny statements and conditions the Allow became \(now.rawValue)")
        }
    }

    /// The same over whole policy sets (resource policy, boundary, session policy, SCPs, RCPs).
    @Test func droppingDeniesAndConditionsEverywhereKeepsAnAllow() async {
        await propertyCheck(count: 600, input: EvalGen.scenario) { scenario in
            guard decide(scenario).kind == .allow else { return }
            let stripped = scenario.mappingStatements { $0.filter { $0.effect == .allow }.map(\.unconditional) }
            let now = decide(stripped).kind
            #expect(now == .allow, "without Deny statements and conditions the Allow became \(now.rawValue)")
        }
    }

    // MARK: 6. Deny overrides

    /// A Deny statement built to match the request (its action, resource and caller, with a condition
    /// that holds) placed in any policy that governs the request gives ExplicitDeny, whatever else the
    /// set holds, and the statement is among the deciding ones.
    @Test func anApplicableDenyAlwaysDecides() async {
        await propertyCheck(
            count: 600, input: EvalGen.scenario, Gen.int(in: 0...3).array(of: 4), EvalGen.caseMask, Gen.int(in: 0...99)
        ) { scenario, forms, caseMask, pick in
            let deny = Self.exactDeny(for: scenario.request, forms: forms, caseMask: caseMask)
            // SCPs govern only principals of a member account, RCPs only resources of a member account
            // (SEMANTICS.md §4 steps 2 and 3).
            let request = scenario.request
            let scpsGovern = request.requestPrincipal.account != nil && !request.principalInManagementAccount
            let governing = scenario.slots.filter { slot in
                switch slot {
                case .scp: scpsGovern
                case .rcp: !request.resourceInManagementAccount
                default: true
                }
            }
            // Existing policies, or a new identity policy, resource policy, boundary or session policy.
            let slots = governing + [.identity(scenario.identity.count), .resource, .boundary, .session]
            var after = scenario
            let (slot, index) = after.append(deny, to: slots[pick % slots.count])
            let decision = decide(after)
            #expect(decision.kind == .explicitDeny, "a matching Deny in \(slot.file) gave \(decision.kind.rawValue): \(decision.reason)")
            #expect(
                decision.decidingStatements.contains { $0.file == slot.file && $0.statementIndex == index },
                "the matching Deny in \(slot.file) is not among the deciding statements")
        }
    }

    /// A Deny that matches `request`: `forms` picks how the action, resource, principal and condition are
    /// written.
    static func exactDeny(for request: RequestSpec, forms: [Int], caseMask: UInt64) -> StatementSpec {
        let actions: [String] = switch forms[0] {
        case 0: [request.action]
        case 1: ["*"]
        case 2: [EvalText.flipCase(request.action, mask: caseMask)]
        default: ["iam:PassRole", request.action]
        }
        let resources = forms[1] == 0 ? ["*"] : [request.resource]
        let principal: PrincipalSpec
        switch (forms[2], request.requestPrincipal) {
        case (_, .anonymous), (0, _): principal = .everyone
        case (_, .service(let name)): principal = .service(name)
        case (1, let caller): principal = .aws([caller.account!])
        case (_, let caller): principal = .aws([caller.callerArn!])
        }
        let conditions: [ClauseSpec]
        switch forms[3] {
        case 0: conditions = []
        case 1: conditions = [ClauseSpec(op: "Null", key: "aws:SourceVpce", values: ["true"])]
        case 2: conditions = [ClauseSpec(op: "StringNotEqualsIfExists", key: "aws:SourceVpce", values: ["vpce-1"])]
        default:
            if let sourceIp = request.sourceIp {
                conditions = [ClauseSpec(op: "IpAddress", key: "aws:SourceIp", values: [sourceIp])]
            } else {
                conditions = [ClauseSpec(op: "Null", key: "aws:SourceIp", values: ["true"])]
            }
        }
        return StatementSpec(effect: .deny, principal: principal, actions: actions, resources: resources, conditions: conditions)
    }

    // MARK: 7. Deciding statements

    /// ExplicitDeny lists at least one deciding statement, all of effect Deny; Allow lists at least one,
    /// all of effect Allow; ImplicitDeny lists none. Every deciding statement applies in the trace.
    @Test func decidingStatementsMatchTheDecision() async {
        await propertyCheck(count: 600, input: EvalGen.scenario) { scenario in
            let decision = decide(scenario, explain: true)
            let effects = decision.decidingStatements.map(\.effect)
            switch decision.kind {
            case .explicitDeny:
                #expect(!effects.isEmpty, "ExplicitDeny without a deciding statement")
                #expect(effects.allSatisfy { $0 == .deny }, "ExplicitDeny decided by \(effects)")
            case .allow:
                #expect(!effects.isEmpty, "Allow without a deciding statement")
                #expect(effects.allSatisfy { $0 == .allow }, "Allow decided by \(effects)")
            case .implicitDeny:
                #expect(effects.isEmpty, "ImplicitDeny with deciding statements \(effects)")
            }
            for reference in decision.decidingStatements {
                let entry = decision.trace.first { $0.statement == reference }
                #expect(entry?.applies == true, "deciding statement \(reference.file)#\(reference.statementIndex) does not apply in the trace")
            }
        }
    }

    // MARK: 8. Determinism and order

    /// Evaluating twice gives the same decision and deciding statements, with or without a trace
    /// (`explain`); reordering the statements of every policy, and the identity policies, does not
    /// change the decision kind.
    @Test func decisionsAreDeterministicAndOrderIndependent() async {
        await propertyCheck(count: 400, input: EvalGen.scenario) { scenario in
            let first = decide(scenario, explain: true)
            let second = decide(scenario, explain: true)
            #expect(first.kind == second.kind)
            #expect(first.decidingStatements == second.decidingStatements)
            #expect(first.reason == second.reason)
            let quiet = decide(scenario)
            #expect(quiet.kind == first.kind, "without explain: \(quiet.kind.rawValue), with: \(first.kind.rawValue)")
            #expect(quiet.decidingStatements == first.decidingStatements)
            let reordered = decide(scenario, RenderOptions(shuffled: true, reversedIdentityPolicies: true))
            #expect(reordered.kind == first.kind, "reordering statements turned \(first.kind.rawValue) into \(reordered.kind.rawValue)")
        }
    }

    // MARK: 9. Case

    /// Changing the case of the request's action, of the request's context key names, or of the key
    /// names in Condition blocks and in policy variables (`${aws:username}`) never changes the decision.
    @Test func actionAndKeyNamesAreCaseInsensitive() async {
        await propertyCheck(count: 300, input: EvalGen.scenario, EvalGen.caseMask, EvalGen.caseMask, EvalGen.caseMask) {
            scenario, actionMask, contextMask, conditionMask in
            let base = decide(scenario).kind
            let action = decide(scenario, RenderOptions(actionCaseMask: actionMask)).kind
            #expect(action == base, "action \(EvalText.flipCase(scenario.request.action, mask: actionMask)): \(action.rawValue), not \(base.rawValue)")
            let context = decide(scenario, RenderOptions(contextKeyCaseMask: contextMask)).kind
            #expect(context == base, "request keys with case mask \(contextMask): \(context.rawValue), not \(base.rawValue)")
            let condition = decide(scenario, RenderOptions(conditionKeyCaseMask: conditionMask)).kind
            #expect(condition == base, "condition keys with case mask \(conditionMask): \(condition.rawValue), not \(base.rawValue)")
        }
    }

    /// Resources, on the other hand, are case-sensitive (SEMANTICS.md §2).
    @Test func resourcesAreCaseSensitive() {
        let policy = PolicyParser.parse(
            text: #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b1/x"}]}"#,
            file: "identity.json"
        ).policy!
        let alice = RequestPrincipal("arn:aws:iam::111122223333:user/alice")!
        func decision(_ resource: String) -> DecisionKind {
            evaluator.evaluate(Request(principal: alice, action: "s3:GetObject", resource: resource), policies: PolicySet(identityPolicies: [policy])).kind
        }
        #expect(decision("arn:aws:s3:::b1/x") == .allow)
        #expect(decision("arn:aws:s3:::b1/X") == .implicitDeny)
        #expect(decision("arn:aws:s3:::B1/x") == .implicitDeny)
    }
}
