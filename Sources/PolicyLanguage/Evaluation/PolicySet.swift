/// The policies that take part in deciding a request (SEMANTICS.md §4).
public struct PolicySet: Sendable {
    /// Policies attached to the principal (user, its groups, role).
    public var identityPolicies: [Policy]
    /// The policy attached to the resource (bucket policy, key policy, role trust policy, …).
    public var resourcePolicy: Policy?
    public var permissionsBoundary: Policy?
    public var sessionPolicy: Policy?
    /// Service control policies by organization level, root first; empty when the account is not in
    /// an organization. A level with no policy allows nothing.
    public var scpLevels: [[Policy]]
    /// Resource control policies by level, root first (each level normally holds RCPFullAWSAccess).
    public var rcpLevels: [[Policy]]
    public var vpcEndpointPolicy: Policy?

    public init(
        identityPolicies: [Policy] = [], resourcePolicy: Policy? = nil, permissionsBoundary: Policy? = nil,
        sessionPolicy: Policy? = nil, scpLevels: [[Policy]] = [], rcpLevels: [[Policy]] = [], vpcEndpointPolicy: Policy? = nil
    ) {
        self.identityPolicies = identityPolicies
        self.resourcePolicy = resourcePolicy
        self.permissionsBoundary = permissionsBoundary
        self.sessionPolicy = sessionPolicy
        self.scpLevels = scpLevels
        self.rcpLevels = rcpLevels
        self.vpcEndpointPolicy = vpcEndpointPolicy
    }
}

/// The part a policy plays in a decision.
public enum PolicyRole: String, Sendable, Hashable, CaseIterable {
    case identity
    case resource
    case permissionsBoundary = "permissions-boundary"
    case session
    case scp
    case rcp
    case vpcEndpoint = "vpc-endpoint"

    /// Whether statements of such a policy name principals that must match the caller.
    public var matchesPrincipals: Bool { self == .resource || self == .rcp || self == .vpcEndpoint }
}
