import PolicyLanguage
import SMT

/// Decides escalation steps for one principal over one query session (built when a question first
/// needs Z3): the principal's policies (as `PrincipalPolicies.groups`) and, for every step, one scope
/// per account it is tried in plus one for any account. Each step is decided once and the answer shared by every method that needs it.
///
/// A request the principal sends is one by an IAM user or a role session (the callers identity
/// policies are attached to), in the account of the resource it acts on. Questions in an account are
/// certified against the whole evaluator (`PrincipalPolicies.allows`); questions in any account are
/// an over-approximation (any caller, resources of any account) used only to prove a step impossible.
final class StepSolver {
    /// What the solver knows about a step.
    enum Outcome {
        /// A request the evaluator confirmed, in the account asked for.
        case witness(Request)
        /// Z3 proved that no request of the step is allowed (in the account asked for).
        case impossible
        case unknown(UnknownReason)
    }

    let principal: PrincipalPolicies
    let steps: [EscalationStep]
    let accounts: [String]
    /// The time limit of one Z3 question.
    let timeout: Duration
    private let scopes: [Policy]
    /// Builds the Z3 session: encoding the policies is the dearest part of most escalation checks,
    /// and a principal whose steps the evaluator alone decides never needs it.
    private var makeSession: (() -> Result<QuerySession, UnknownReason>)?
    private var built: Result<QuerySession, UnknownReason>?
    private let groupCount: Int
    private var anyAccount: [Int: Outcome] = [:]
    private var byAccount: [[Int: Outcome]]

    init(principal: PrincipalPolicies, steps: [EscalationStep], prover: Prover) throws(UnknownReason) {
        self.principal = principal
        self.steps = steps
        accounts = principal.accounts
        byAccount = Array(repeating: [:], count: steps.count)
        var scopes: [Policy] = []
        for step in steps {
            for account in [nil] + accounts.map(Optional.some) {
                guard let scope = StepScope.policy(for: step, account: account, tieResourceAccount: principal.readsResourceAccount, caller: principal.caller, catalog: prover.catalog) else {
                    throw .internalError("the scope of step \(step.actions) does not parse")
                }
                scopes.append(scope)
            }
        }
        self.scopes = scopes
        let groups = principal.groups
        groupCount = groups.count
        let policies = groups + scopes.map { PolicyUnderTest($0, role: .identity) }
        let labels = principal.labels + scopes.map(\.file)
        timeout = prover.timeout
        makeSession = { [accounts] in prover.session(policies, labels: labels, namedAccounts: accounts, caller: principal.caller) }
    }

    /// Whether a question so far needed the Z3 session.
    var hasSession: Bool { built != nil }

    /// The query session over the principal's policies and every step scope, built on first use.
    func session() -> Result<QuerySession, UnknownReason> {
        if let built { return built }
        let result = makeSession?() ?? .failure(.internalError("no session"))
        built = result
        makeSession = nil
        return result
    }

    private func scopeIndex(_ step: Int, _ account: Int?) -> Int {
        groupCount + step * (accounts.count + 1) + (account.map { $0 + 1 } ?? 0)
    }

    /// The step decided for any caller in any account (cached).
    func outcome(_ step: Int) -> Outcome {
        if let known = anyAccount[step] { return known }
        let result = solve(step, account: nil)
        anyAccount[step] = result
        return result
    }

    /// The step decided for a principal in `accounts[account]`, on resources of that account (cached).
    func outcome(_ step: Int, account: Int) -> Outcome {
        if let known = byAccount[step][account] { return known }
        // Cheapest first: a likely request that the evaluator allows is a witness without asking Z3
        // (the same certification as a witness Z3 finds: the whole decision and the step's scope).
        let candidates = likely(steps[step], account: accounts[account])
        for request in concreteRequests(step, account: account, likely: candidates) {
            if certifies(request, step: step, account: account) {
                let witness = readable(request, step: step, account: account)
                byAccount[step][account] = .witness(witness)
                return .witness(witness)
            }
        }
        var result: Outcome?
        // Likely requests first, briefly: with the resource and the keys fixed Z3 is quick, while
        // values it must choose itself (an ARN in a condition, a resource part that is a string when
        // policy variables appear in resources) can take it seconds. Only a witness is kept; the
        // general question decides otherwise.
        let deadline = ContinuousClock.now + timeout / 4
        for pins in candidates where ContinuousClock.now < deadline {
            if case .witness(let request) = solve(step, account: account, pins: pins, deadline: deadline) {
                result = .witness(request)
                break
            }
        }
        var decided = result ?? solve(step, account: account)
        if case .witness(let request) = decided { decided = .witness(readable(request, step: step, account: account)) }
        byAccount[step][account] = decided
        return decided
    }

    /// The requests tried with the evaluator alone before any search, by a user of the account (or
    /// the known caller), with the keys the step's scope sends: the likely ones, then each statement's
    /// own guess (with the keys its `Null` and `Bool` conditions want) on its resource when that is of
    /// the step's kind, on a catalogue resource when it grants every resource, else on a resource both
    /// its pattern and the step's kind match (`GlobPattern.commonMatch`). Only requests AWS can receive.
    private func concreteRequests(_ step: Int, account: Int, likely: [Pins]) -> [Request] {
        let accountID = accounts[account]
        let caller = principal.caller?.example ?? .user(account: accountID, arn: "arn:aws:iam::\(accountID):user/prover-user", name: "prover-user")
        var requests = likely.compactMap { $0.resource ?? $0.context }
        for action in steps[step].actions {
            let kinds = StepScope.resources(for: action, shape: steps[step].resource, account: accountID, catalog: principal.evaluator.catalog)
            guard kinds != ["*"] else { continue }
            let globs = kinds.map { GlobPattern(wildcardText: Substring(PrincipalPolicies.fieldsFilled($0, account: accountID))) }
            // A resource of the step's kind for statements that grant every resource.
            let example = catalogueExample(of: action, account: accountID, matching: globs)
            for guess in principal.guesses(for: action, account: accountID, presence: true).prefix(8) {
                if let resource = guess.resource ?? (guess.patterns.isEmpty ? example : nil), globs.contains(where: { $0.matches(resource) }) {
                    requests.append(Request(principal: caller, action: action, resource: resource, context: guess.context))
                    continue
                }
                for pattern in guess.patterns.prefix(4) {
                    let glob = GlobPattern(wildcardText: Substring(pattern))
                    for kind in globs {
                        guard let resource = glob.commonMatch(with: kind, filler: "example") else { continue }
                        requests.append(Request(principal: caller, action: action, resource: resource, context: guess.context))
                        break
                    }
                }
            }
        }
        return requests.compactMap { request in
            guard isOneRequest(request) else { return nil }
            var request = request
            request.principal = caller
            if let service = steps[step].passedToService { request.context.set(service, for: "iam:PassedToService") }
            if principal.readsResourceAccount { request.context.set(accountID, for: "aws:ResourceAccount") }
            return request
        }
    }

    /// The catalogue's first example resource of `action` in `account` that one of `kinds` matches.
    private func catalogueExample(of action: String, account: String, matching kinds: [GlobPattern]) -> String? {
        ResourceExamples.arns(for: action, account: account, catalog: principal.evaluator.catalog).first { example in
            kinds.contains { $0.matches(example) }
        }
    }

    /// `request` with the resource in the form the catalogue gives for its action (as counterexamples
    /// Z3 finds are shown), where the evaluator still certifies it.
    private func readable(_ request: Request, step: Int, account: Int) -> Request {
        guard request.resource != "*" else { return request }
        for resource in ResourceExamples.arns(for: request.action, account: accounts[account], catalog: principal.evaluator.catalog) where resource != request.resource {
            var candidate = request
            candidate.resource = resource
            if certifies(candidate, step: step, account: account) { return candidate }
        }
        return request
    }

    /// Whether `request` is one request AWS can receive: a resource without wildcards, or `*` only
    /// for an action without resource-level permissions (as the encoding's request space).
    private func isOneRequest(_ request: Request) -> Bool {
        guard request.resource.contains(where: { $0 == "*" || $0 == "?" }) else { return true }
        guard request.resource == "*", let action = principal.evaluator.catalog?.action(request.action) else { return false }
        return !action.supportsResourceLevelPermissions
    }

    /// A few likely requests of the step: what the policies' statements for its actions describe,
    /// then a readable resource of its kind per alternative.
    private func likely(_ step: EscalationStep, account: String) -> [Pins] {
        let caller = RequestPrincipal.root(account: account)
        var pins: [Pins] = []
        for action in step.actions {
            for guess in principal.guesses(for: action, account: account).prefix(2) {
                let request = Request(principal: caller, action: action, resource: guess.resource ?? "*", context: guess.context)
                pins.append(Pins(resource: guess.resource == nil ? nil : request, context: guess.context.isEmpty ? nil : request))
            }
        }
        pins = Array(pins.prefix(2))
        for action in step.actions {
            let resource: String?
            switch step.resource {
            case .iamUser: resource = "arn:aws:iam::\(account):user/prover-example"
            case .iamGroup: resource = "arn:aws:iam::\(account):group/prover-example"
            case .iamRole: resource = "arn:aws:iam::\(account):role/prover-example"
            case .iamPolicy: resource = "arn:aws:iam::\(account):policy/prover-example"
            case .exact: resource = nil  // already one resource
            case .serviceResource:
                let patterns = StepScope.resources(for: action, shape: .serviceResource, account: account, catalog: principal.evaluator.catalog)
                let globs = patterns.map { GlobPattern(wildcardText: Substring($0)) }
                resource = patterns == ["*"] ? "*" : catalogueExample(of: action, account: account, matching: globs)
            }
            if let resource { pins.append(Pins(resource: Request(principal: caller, action: action, resource: resource))) }
        }
        return pins
    }

    /// The step's answer in the account if it was asked already.
    func known(_ step: Int, account: Int) -> Outcome? { byAccount[step][account] }

    /// One search, certified: the principal's policies all allow, the step's scope applies, the caller
    /// is a user or role session (of the account, if given) and `pins` hold.
    func solve(_ step: Int, account: Int?, pins: Pins = Pins(), deadline: ContinuousClock.Instant? = nil) -> Outcome {
        let session: QuerySession
        switch self.session() {
        case .success(let ready): session = ready
        case .failure(let reason): return .unknown(reason)
        }
        let encoding = session.encoding
        let scope = scopeIndex(step, account)
        let accountID = account.map { accounts[$0] }
        let groups = 0..<groupCount
        let verdict = session.counterexamples({ allows in
            var terms = Array(allows[groups]) + [allows[scope]]
            terms.append(try session.callerClasses(of: principal.caller, account: accountID))
            terms += try pins.terms(encoding)
            return try encoding.context.and(terms)
        }, limit: 1, property: { outcomes in
            groups.allSatisfy { outcomes[$0].allows } && outcomes[scope].allows
        }, admits: { [principal] request in
            // In an account, the request must be one IAM allows as a whole, not only policy by policy.
            guard let accountID else { return true }
            return request.principal.account == accountID && principal.allows(request)
        // Not made readable in Z3: the concrete pass (`counterexample(_:)`) already gives the same
        // plain witnesses on every managed policy, at half the cost of the audit.
        }, deadline: deadline, readable: false)
        switch verdict {
        case .pass: return .impossible
        case .unknown(let reason): return .unknown(reason)
        case .fail(let found):
            guard let request = found.first?.request else { return .unknown(.internalError("a search without a counterexample")) }
            return .witness(request)
        }
    }

    /// Whether the evaluator allows `request` as a request of the step by a principal of the account:
    /// the whole decision under the principal's policies, and the step's scope.
    func certifies(_ request: Request, step: Int, account: Int) -> Bool {
        guard request.principal.account == accounts[account], principal.allows(request) else { return false }
        return principal.evaluator.applicableStatements(of: scopes[scopeIndex(step, account) - groupCount], role: .identity, request: request).allows
    }
}
