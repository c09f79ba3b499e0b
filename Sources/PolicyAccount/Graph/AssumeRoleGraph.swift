import PolicyLanguage
import PolicyVerifier

/// Who can assume which role of the account: one question per (caller, role) pair that the policies do
/// not already rule out, each edge proved with the SMT core and certified (`Prover.canAssume`), then
/// closed transitively (role chaining).
struct AssumeRoleGraph: Sendable {
    struct Edge: Sendable {
        var from: Int
        var to: Int
        /// The certified `sts:AssumeRole` request.
        var evidence: Counterexample
    }

    /// Principals by index into the analysis' list; `policies[i]` is `nil` when principal `i`'s
    /// identity-side policies are not fully known.
    let principals: [AccountPrincipal]
    private(set) var edges: [Edge] = []
    /// Pairs neither proved nor refuted, with the reason.
    private(set) var undecided: [(from: Int, to: Int, reason: String)] = []
    private(set) var queries = 0
    /// Edges and undecided pairs by caller, for the walks of `reach(from:)`.
    private var outgoing: [Int: [Edge]] = [:]
    private var undecidedFrom: [Int: [(to: Int, reason: String)]] = [:]

    init(principals: [AccountPrincipal], policies: [[PolicyUnderTest]?], prover: Prover, jobs: Int) {
        self.principals = principals
        let roles = principals.indices.filter { principals[$0].kind == .role }
        var pairs: [(Int, Int)] = []
        for caller in principals.indices {
            for role in roles where role != caller {
                switch Self.screen(caller: principals[caller], policies: policies[caller], role: principals[role]) {
                case .impossible: continue
                case .undecided(let reason): undecided.append((caller, role, reason))
                case .ask: pairs.append((caller, role))
                }
            }
        }
        queries = pairs.count
        let asked = pairs
        let answers = ParallelWork.map(asked.count, jobs: jobs) { [principals] index -> Reachability in
            let (caller, role) = asked[index]
            guard let callerIdentity = KnownCaller(arn: principals[caller].arn), let roleIdentity = KnownCaller(arn: principals[role].arn),
                  let trust = principals[role].trust?.policy else {
                return .unknown(.internalError("no ARN or trust policy for \(principals[caller].label) → \(principals[role].label)"))
            }
            return prover.canAssume(roleIdentity, trust: trust, by: callerIdentity, callerPolicies: policies[caller] ?? [])
        }
        for ((caller, role), answer) in zip(pairs, answers) {
            switch answer {
            case .reachable(let evidence): edges.append(Edge(from: caller, to: role, evidence: evidence))
            case .unreachable: break
            case .unknown(let reason): undecided.append((caller, role, reason.description))
            }
        }
        for edge in edges { outgoing[edge.from, default: []].append(edge) }
        for pair in undecided { undecidedFrom[pair.from, default: []].append((pair.to, pair.reason)) }
    }

    private enum Screen { case impossible, undecided(String), ask }

    /// What the documents alone decide about one pair, exactly: no trust statement for `sts:AssumeRole`
    /// names the caller (the trust policy must allow), or only ones delegating to the account while no
    /// identity statement of the caller allows `sts:AssumeRole` at all.
    private static func screen(caller: AccountPrincipal, policies: [PolicyUnderTest]?, role: AccountPrincipal) -> Screen {
        guard let trust = role.trust, trust.isEvaluable, let trustPolicy = trust.policy else {
            return .undecided("the trust policy of \(role.label) could not be read")
        }
        guard let callerIdentity = KnownCaller(arn: caller.arn) else { return .undecided("\(caller.label) has no IAM ARN") }
        let action = "sts:AssumeRole"
        let kinds = trustPolicy.statements.compactMap { statement -> ResourceGrantKind? in
            guard statement.effect?.value == .allow, statement.covers(action: action) else { return nil }
            return PolicyEvaluator.resourceGrant(of: statement, for: callerIdentity.example)
        }
        if kinds.isEmpty { return .impossible }
        guard let policies else { return .undecided("the policies of \(caller.label) are not fully known") }
        if kinds.allSatisfy({ $0 == .account }) {
            let mayAllow = policies.filter { $0.role == .identity }.contains { entry in
                entry.policy.statements.contains { $0.effect?.value == .allow && $0.covers(action: action) }
            }
            if !mayAllow { return .impossible }
        }
        return .ask
    }

    /// The roles `start` can reach, each with its shortest proved path; and the roles reachable only
    /// through an undecided pair, with the first such reason.
    func reach(from start: Int) -> (proved: [(role: Int, path: AssumptionPath)], undecided: [(role: Int, reason: String)]) {
        var paths: [Int: AssumptionPath] = [start: AssumptionPath(principals: [principals[start].label], hops: [])]
        var order: [Int] = []
        var queue = [start]
        while !queue.isEmpty {
            let current = queue.removeFirst()
            for edge in outgoing[current] ?? [] where paths[edge.to] == nil {
                let before = paths[current]!
                paths[edge.to] = AssumptionPath(principals: before.principals + [principals[edge.to].label], hops: before.hops + [edge.evidence])
                order.append(edge.to)
                queue.append(edge.to)
            }
        }
        // Undecided pairs from anything reached (or from roles reached that way) may lead further.
        var maybe: [Int: String] = [:]
        var frontier = Array(paths.keys)
        var seen = Set(paths.keys)
        while let current = frontier.popLast() {
            for pair in undecidedFrom[current] ?? [] where !seen.contains(pair.to) {
                maybe[pair.to] = maybe[pair.to] ?? "\(principals[current].label) → \(principals[pair.to].label): \(pair.reason)"
                seen.insert(pair.to)
                frontier.append(pair.to)
            }
            if paths[current] == nil {
                for edge in outgoing[current] ?? [] where !seen.contains(edge.to) {
                    maybe[edge.to] = maybe[current]
                    seen.insert(edge.to)
                    frontier.append(edge.to)
                }
            }
        }
        return (order.map { ($0, paths[$0]!) }, maybe.keys.sorted().map { ($0, maybe[$0]!) })
    }
}
