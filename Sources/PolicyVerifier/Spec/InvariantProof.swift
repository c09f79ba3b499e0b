import PolicyLanguage

/// The answer to one spec invariant: its verdict, and for the no-access questions the findings.
public struct InvariantProof: Sendable {
    public var verdict: Verdict
    /// The findings of a `no-public-access` / `no-external-access` invariant; `nil` for `never`/`only`.
    public var access: AccessReport?
}

extension Prover {
    /// Proves `invariant` for `policy`: the one place that maps each invariant kind to its query, for
    /// `check` and `audit` alike. `zone` is the zone of trust of `no-external-access`.
    public func prove(_ invariant: Invariant, for policy: PolicyUnderTest, zone: TrustedZone, resourceType: ResourceType? = nil, findingLimit: Int = 20, counterexamples: Int = 1) -> InvariantProof {
        switch invariant.kind {
        case .never(let scope):
            return InvariantProof(verdict: neverAllows(policy, scope: PolicyUnderTest(scope: scope), counterexamples: counterexamples))
        case .only(let bound):
            return InvariantProof(verdict: onlyAllows(policy, bound: PolicyUnderTest(scope: bound), counterexamples: counterexamples))
        case .noPublicAccess:
            let report = noPublicAccess(policy, resourceType: resourceType, findingLimit: findingLimit)
            return InvariantProof(verdict: report.verdict, access: report)
        case .noExternalAccess:
            let report = noExternalAccess(policy, zone: zone, resourceType: resourceType, findingLimit: findingLimit)
            return InvariantProof(verdict: report.verdict, access: report)
        }
    }
}
