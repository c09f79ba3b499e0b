import PolicyLanguage

/// One way in for outsiders, in the style of an IAM Access Analyzer finding: the principal a
/// statement names, the actions and resources it grants, and the conditions that must hold. Every
/// request of the cell that an outsider can send and the policy allows is covered by this finding;
/// `example` is one of them, certified by the concrete evaluator.
public struct AccessFinding: Sendable {
    /// The access is open to an unbounded set of principals (not only to some outsiders).
    public var isPublic: Bool
    /// The statement's principal value that lets the outsider in: `*`, or its type and text
    /// (`AWS: 444455556666`, `Federated: accounts.google.com`), or `NotPrincipal: …`.
    public var principal: String
    /// The granting statement.
    public var statement: StatementReference
    /// The statement's `Action` (or `NotAction`, then `actionsAreExcluded`) entries as written.
    public var actions: [String]
    public var actionsAreExcluded: Bool
    /// The statement's `Resource` (or `NotResource`) entries as written; empty when it has neither.
    public var resources: [String]
    public var resourcesAreExcluded: Bool
    /// The statement's conditions, which every request of the finding meets.
    public var conditions: [ConditionSummary]
    /// When the statement limits `aws:SourceIp`: how many public addresses (outside the private and
    /// reserved ranges) its conditions admit, per family.
    public var publicSourceAddresses: AddressCount?
    /// A request of the finding, certified.
    public var example: Counterexample
}

/// A condition clause as written.
public struct ConditionSummary: Sendable, Equatable {
    public var operatorName: String
    public var key: String
    public var values: [String]
}

/// Numbers of IPv4 and IPv6 addresses.
public struct AddressCount: Sendable, Equatable {
    public var ipv4: UInt64
    /// Saturates at `UInt64.max` (IPv6 ranges are larger).
    public var ipv6: UInt64
}

/// The answer to a no-public-access or no-external-access question.
public struct AccessReport: Sendable {
    public var question: AccessQuestion
    /// The resource type the question was asked for (given or inferred); `nil`: every action.
    public var resourceType: ResourceType?
    /// `.pass`: no outsider request is allowed (proved). `.fail`: the findings' examples.
    public var verdict: Verdict
    /// The ways in, public ones first; empty unless the verdict is `.fail`.
    public var findings: [AccessFinding]
    /// Whether the findings cover every outsider request the policy allows (`false` when the
    /// enumeration stopped at the limit or the time limit).
    public var findingsAreComplete: Bool
    /// The policy names no callers (an identity-side policy): it grants nothing to principals outside
    /// its account by itself, so it passes without a proof.
    public var namesNoCallers = false
}
