import PolicyLanguage
import PolicyVerifier

/// Least privilege and segregation of duties over every principal of an account.
///
/// Guarantees: each principal's checks hold for everything it can do itself and through every role
/// it can assume, directly or by role chaining (each assumption proved with `Prover.canAssume`).
/// A check FAILs only with certified requests (for the assumptions on the path too); it PASSes only
/// when every question on every path was refuted by Z3; everything else, including a principal whose
/// policies are not fully known or a role assumption that could not be decided, is UNKNOWN.
///
/// Resource-based policies other than trust policies are not part of the question: a principal's
/// requests are taken to reach resources that delegate to its account (SEMANTICS.md §4), so the
/// checks are about what its own policies let it do.
public struct AccountAnalysis: Sendable {
    public var inventory: AccountInventory
    /// Service control policies over the account, all read as attached at one organization level.
    public var scps: [Policy]
    public var spec: Spec?
    public var prover: Prover
    public var jobs: Int

    public init(inventory: AccountInventory, scps: [Policy] = [], spec: Spec? = nil, prover: Prover = Prover(), jobs: Int = 1) {
        self.inventory = inventory
        self.scps = scps
        self.spec = spec
        self.prover = prover
        self.jobs = max(1, jobs)
    }

    public func run() -> AccountReport {
        let started = ContinuousClock.now
        let principals = inventory.principals
        let sets = principals.map(policySet)
        let catalog = prover.catalog ?? .bundled
        let graph = AssumeRoleGraph(principals: principals, policies: sets.map(\.policies), prover: prover, jobs: jobs)
        let graphDone = ContinuousClock.now
        let own = ParallelWork.map(principals.count, jobs: jobs) { [spec, prover] index in
            OwnFindings.compute(principal: principals[index], policies: sets[index].policies, blocker: sets[index].blocker, spec: spec, prover: prover, catalog: catalog)
        }
        let principalsDone = ContinuousClock.now
        let reports = principals.indices.map { index in
            let reach = graph.reach(from: index)
            let holders = [(index, AssumptionPath(principals: [principals[index].label], hops: []))] + reach.proved.map { ($0.role, $0.path) }
            let combination = Combination(own: own, principals: principals, holders: holders, undecided: reach.undecided)
            return PrincipalReport(
                principal: principals[index], reachable: reach.proved.map(\.path),
                undecided: reach.undecided.map { (principals[$0.role].label, $0.reason) },
                checks: combination.checks(spec: spec, ownGrants: own[index].overbroad))
        }
        return AccountReport(
            source: inventory.source, accountID: inventory.accountID, findings: inventory.findings, principals: reports,
            edges: graph.edges.count, edgeQueries: graph.queries, elapsed: ContinuousClock.now - started,
            graphTime: graphDone - started, principalTime: principalsDone - graphDone)
    }

    /// The principal's identity-side policies with the SCPs; `nil` with the reason when some part of
    /// them could not be read or resolved.
    private func policySet(_ principal: AccountPrincipal) -> (policies: [PolicyUnderTest]?, blocker: UnknownReason?) {
        if let first = principal.unresolved.first {
            return (nil, .unsupported("an unresolved part of the input (\(first.message))", at: first.span))
        }
        var policies: [PolicyUnderTest] = []
        let documents = principal.identityPolicies.map { ($0.attached, PolicyRole.identity) } + (principal.boundary.map { [($0, PolicyRole.permissionsBoundary)] } ?? [])
        for (attached, role) in documents {
            guard attached.parsed.isEvaluable, let policy = attached.parsed.policy else {
                let finding = attached.parsed.findings.first { $0.severity == .error }
                return (nil, .unsupported("\(attached.origin), which could not be read\(finding.map { " (" + $0.message + ")" } ?? "")", at: finding?.span ?? principal.span))
            }
            policies.append(PolicyUnderTest(policy, role: role))
        }
        return (policies + scps.map { PolicyUnderTest($0, role: .scp) }, nil)
    }
}
