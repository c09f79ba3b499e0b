import PolicyLanguage

/// Decides one method (a list of steps) with a `StepSolver`.
///
/// FOUND needs, in one account, one request per step, all by the same caller (same principal and
/// principal keys), each step linked by `sameResourceAs` on the very resource of its partner step (with
/// its resource keys), every request re-decided by the evaluator. ABSENT needs a proof: some step is
/// impossible for any caller in any account, or, for linked steps, no resource class admits both
/// (enumerated class by class until Z3 finds no further one). Anything else is UNKNOWN.
struct MethodSearch {
    enum Outcome {
        case found([Request])
        case absent
        case unknown(UnknownReason)
    }

    let solver: StepSolver
    /// Extra attempts at another resource for a linked step, per account; and resource classes tried
    /// when proving linked steps incompatible.
    var retries = 4
    var proofRounds = 8

    /// `steps`: the solver's step number of each step of `method`.
    func decide(_ method: EscalationMethod, steps: [Int]) -> Outcome {
        guard let waived = method.steps.firstIndex(where: \.waivedForOwnRole), let partner = method.steps[waived].sameResourceAs else {
            return decideAllSteps(method, steps: steps)
        }
        // All steps (the role assumed after it is changed), or a session of the role changing its own.
        // `-1`: no statement can allow the waived step, so only the second way is open.
        let all = steps[waived] < 0 ? .absent : decideAllSteps(method, steps: steps)
        if case .found = all { return all }
        let own = ownRole(method, step: steps[partner])
        switch (own, all) {
        case (.found, _): return own
        case (.unknown(let reason), .absent): return .unknown(reason)
        case (_, .absent): return .absent
        case (_, .unknown): return all
        case (_, .found): return all
        }
    }

    /// The method by a session of the role its `step` acts on: that step alone, on the caller's own
    /// role. For a known caller, its own role (none for a user); otherwise the role of the step's
    /// witness, asked again with a session of it as the caller.
    private func ownRole(_ method: EscalationMethod, step: Int) -> Outcome {
        let known = solver.principal.caller
        if let known, known.kind != .role { return .absent }
        var unknown: UnknownReason?
        // Likely requests first, without the solver: each role the statements let act (or the known
        // caller's own), on itself, with the context the statements describe.
        for account in solver.accounts.indices {
            let roles = known.map { [$0.arn] } ?? solver.principal.callerRoles(for: solver.steps[step].actions[0], account: solver.accounts[account])
            for role in roles.prefix(4) {
                guard let session = Self.session(of: role, known: known) else { continue }
                for action in solver.steps[step].actions {
                    let contexts = solver.principal.guesses(for: action, account: solver.accounts[account]).map(\.context) + [RequestContext()]
                    for context in contexts.prefix(4) {
                        let request = Request(principal: session, action: action, resource: role, context: context)
                        if solver.certifies(request, step: step, account: account) { return .found([request]) }
                    }
                }
            }
        }
        for account in solver.accounts.indices {
            switch solver.outcome(step, account: account) {
            case .impossible: continue
            case .unknown(let reason): unknown = unknown ?? reason
            case .witness(let witness):
                // The roles to try: the known caller's; else the witness's, then roles the policies
                // let act (`aws:PrincipalArn` conditions of the statements for the action).
                let roles = known.map { [$0.arn] } ?? ([witness.resource] + solver.principal.callerRoles(for: witness.action, account: solver.accounts[account]))
                var targets: [Request] = []
                for role in roles.prefix(4) {
                    guard let session = Self.session(of: role, known: known) else { continue }
                    // With the witness's own keys: the principal's tags it found are kept.
                    targets.append(Request(principal: session, action: witness.action, resource: role, context: witness.context))
                }
                // The witness moved to each candidate first (no solver), then searches tied to them,
                // within a share of the time limit: this is one way among two to find the method.
                for target in targets {
                    let moved = ScopedKeys.adopting(witness, principalOf: target, resourceOf: target)
                    if Self.isOwnRole(moved), solver.certifies(moved, step: step, account: account) { return .found([moved]) }
                }
                let deadline = ContinuousClock.now + solver.timeout / 2
                for target in targets where ContinuousClock.now < deadline {
                    switch solver.solve(step, account: account, pins: Pins(principal: target, resource: target, resourceKeys: true), deadline: deadline) {
                    case .witness(let pinned):
                        // The pins tied it to the session and the role already, with its own keys.
                        if Self.isOwnRole(pinned), solver.certifies(pinned, step: step, account: account) { return .found([pinned]) }
                    case .impossible: continue
                    case .unknown(let reason): unknown = unknown ?? reason
                    }
                }
                let tried = !targets.isEmpty
                // Another role of the account may still be a free caller's own.
                if known == nil || !tried { unknown = unknown ?? .tooComplex("\(method.name): no role found that a session of its own may change") }
            }
        }
        if case .impossible = solver.outcome(step) { return .absent }
        if known != nil, unknown == nil { return .absent }
        return .unknown(unknown ?? .tooComplex("\(method.name) on the caller's own role was not decided"))
    }

    /// The caller acting as `role`: the known caller, or a session of the role; `nil` when `role` is no
    /// role ARN.
    static func session(of role: String, known: KnownCaller?) -> RequestPrincipal? {
        guard let fields = ARNFields(role), fields.resource.hasPrefix("role/"), let name = fields.resource.split(separator: "/").last else { return nil }
        return known?.example ?? .assumedRole(account: String(fields.account), roleName: String(name), sessionName: PrincipalSpace.standInSession)
    }

    /// Whether the request is a session of the role it acts on (same account and role name).
    static func isOwnRole(_ request: Request) -> Bool {
        guard case .assumedRole(let account, let name, _) = request.principal, let fields = ARNFields(request.resource) else { return false }
        return String(fields.account) == account && fields.resource.hasPrefix("role/") && fields.resource.split(separator: "/").last.map(String.init) == name
    }

    private func decideAllSteps(_ method: EscalationMethod, steps: [Int]) -> Outcome {
        var unknown: UnknownReason?
        for account in solver.accounts.indices {
            switch witnesses(method, steps: steps, account: account) {
            case .found(let requests): return .found(requests)
            case .absent: break
            case .unknown(let reason): unknown = unknown ?? reason
            }
            // A step impossible everywhere ends the search, proved.
            for step in steps {
                if case .impossible? = solver.known(step, account: account), case .impossible = solver.outcome(step) { return .absent }
            }
        }
        for step in steps {
            switch solver.outcome(step) {
            case .impossible: return .absent
            case .unknown(let reason): unknown = unknown ?? reason
            case .witness: break
            }
        }
        switch linkedStepsAreIncompatible(method, steps: steps) {
        case .success(true): return .absent
        case .success(false): break
        case .failure(let reason): unknown = unknown ?? reason
        }
        return .unknown(unknown ?? .tooComplex("each step is allowed, but not all of them for one principal in one account (on one resource where the method needs it)"))
    }

    /// Requests for every step in `solver.accounts[account]`; `.absent` here means only "not in this
    /// account". Each step's own answer is shared by every method; the caller of one of them is then
    /// tried as the caller of all (the first whose steps all work wins).
    private func witnesses(_ method: EscalationMethod, steps: [Int], account: Int) -> Outcome {
        var own: [Request] = []
        for step in steps {
            switch solver.outcome(step, account: account) {
            case .witness(let request): own.append(request)
            case .impossible: return .absent
            case .unknown(let reason): return .unknown(reason)
            }
        }
        var unknown: UnknownReason?
        var tried: [RequestPrincipal] = []
        for caller in own where !tried.contains(caller.principal) {
            tried.append(caller.principal)
            switch witnesses(method, steps: steps, account: account, own: own, caller: caller) {
            case .found(let requests): return .found(requests)
            case .absent: continue
            case .unknown(let reason): unknown = unknown ?? reason
            }
        }
        return unknown.map { .unknown($0) } ?? .absent
    }

    /// Requests for every step by `caller`'s principal: each step's own answer moved to the caller (and
    /// to the linked resource) when the evaluator still allows it, otherwise a search tied to them.
    private func witnesses(_ method: EscalationMethod, steps: [Int], account: Int, own: [Request], caller: Request) -> Outcome {
        var excluded: [Int: [Request]] = [:]
        attempts: for _ in 0...retries {
            var found: [Request] = []
            for (position, step) in method.steps.enumerated() {
                let link = step.sameResourceAs.map { found[$0] }
                let exclusions = excluded[position] ?? []
                if exclusions.isEmpty {
                    let moved = ScopedKeys.adopting(own[position], principalOf: caller, resourceOf: link)
                    if solver.certifies(moved, step: steps[position], account: account) {
                        found.append(moved)
                        continue
                    }
                }
                let pins = Pins(principal: caller, resource: link, resourceKeys: true, excluded: exclusions)
                switch solver.solve(steps[position], account: account, pins: pins) {
                case .witness(let pinned):
                    let adopted = ScopedKeys.adopting(pinned, principalOf: caller, resourceOf: link)
                    guard solver.certifies(adopted, step: steps[position], account: account) else {
                        return .unknown(.tooComplex("the steps of \(method.name) need values of keys that could not be tied together"))
                    }
                    found.append(adopted)
                case .impossible:
                    // On another resource of the partner step it may still work.
                    guard let partner = step.sameResourceAs else { return .absent }
                    excluded[partner, default: []].append(found[partner])
                    continue attempts
                case .unknown(let reason):
                    return .unknown(reason)
                }
            }
            return .found(found)
        }
        return .unknown(.tooComplex("\(method.name): no resource found for linked steps after \(retries + 1) attempts"))
    }

    /// Whether some linked pair of steps is proved to share no resource (any caller, any account, any
    /// context: an over-approximation, so `true` is a proof).
    private func linkedStepsAreIncompatible(_ method: EscalationMethod, steps: [Int]) -> Result<Bool, UnknownReason> {
        // A resource part that is a string (policy variables in resources) has no finite classes.
        let finite: Bool
        switch solver.session() {
        case .success(let session): finite = session.encoding.resourcePart == nil
        case .failure(let reason): return .failure(reason)
        }
        for (position, step) in method.steps.enumerated() {
            guard let partner = step.sameResourceAs else { continue }
            var excluded: [Request] = []
            rounds: for _ in 0..<proofRounds {
                switch solver.solve(steps[partner], account: nil, pins: Pins(excluded: excluded)) {
                case .impossible:
                    if finite { return .success(true) }
                    break rounds
                case .unknown(let reason):
                    return .failure(reason)
                case .witness(let resource):
                    switch solver.solve(steps[position], account: nil, pins: Pins(resource: resource)) {
                    case .impossible: excluded.append(resource)
                    case .witness: break rounds
                    case .unknown(let reason): return .failure(reason)
                    }
                }
            }
        }
        return .success(false)
    }
}
