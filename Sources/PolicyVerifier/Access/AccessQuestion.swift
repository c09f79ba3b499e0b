/// Which outsiders a no-access question is about (SEMANTICS.md §5).
public enum AccessQuestion: Sendable, Equatable {
    /// An unbounded set of principals: anyone, any account, any identity of an identity provider,
    /// under conditions such a principal can meet. Values the policy fixes (an account, an
    /// organization, a VPC, a CIDR no broader than /8) bound who can get in.
    case publicAccess
    /// Any principal outside `zone`, including a single other account.
    case externalAccess(TrustedZone)

    /// The zone of trust; empty for the public question.
    public var zone: TrustedZone {
        if case .externalAccess(let zone) = self { return zone }
        return TrustedZone()
    }
}
