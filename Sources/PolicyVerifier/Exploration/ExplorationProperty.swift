import PolicyLanguage

/// A property a person explores counterexample by counterexample (`policyprover explore`). Each case
/// asks the same question as the matching `Prover` check, so a counterexample here is one the check
/// could report, and "none left" with nothing blocked or excluded is the check's PASS.
public enum ExplorationProperty: Sendable {
    /// The policy allows no request of the scope (a spec's `never`).
    case never(scope: Policy)
    /// Everything the policy allows lies inside the bound (a spec's `only`).
    case only(bound: Policy)
    /// No unbounded set of principals gets in (SEMANTICS.md §5).
    case noPublicAccess(resourceType: ResourceType?)
    /// No principal outside the zone gets in.
    case noExternalAccess(TrustedZone, resourceType: ResourceType?)
    /// The policy grants nothing that `old` does not.
    case noNewAccess(old: PolicyUnderTest)

    /// The property a spec invariant states.
    public init(_ invariant: Invariant, zone: TrustedZone, resourceType: ResourceType? = nil) {
        switch invariant.kind {
        case .never(let scope): self = .never(scope: scope)
        case .only(let bound): self = .only(bound: bound)
        case .noPublicAccess: self = .noPublicAccess(resourceType: resourceType)
        case .noExternalAccess: self = .noExternalAccess(zone, resourceType: resourceType)
        }
    }

    /// What a counterexample is, in a few words ("a request the policy allows to the public").
    public var counterexampleMeaning: String {
        switch self {
        case .never: "a request of the scope that the policy allows"
        case .only: "a request outside the bound that the policy allows"
        case .noPublicAccess: "a request from an unbounded set of principals that the policy allows"
        case .noExternalAccess: "a request from outside the zone of trust that the policy allows"
        case .noNewAccess: "a request the new policy allows and the old one does not"
        }
    }

    /// The label of the policy being explored in counterexample outcomes.
    public var exploredLabel: String {
        if case .noNewAccess = self { return "new" }
        return "policy"
    }
}
