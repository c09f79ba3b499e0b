/// IAM's answer to a request.
public enum DecisionKind: String, Sendable, Hashable, CaseIterable, Codable {
    case allow = "Allow"
    case implicitDeny = "ImplicitDeny"
    case explicitDeny = "ExplicitDeny"
}

/// A statement as it took part in a decision.
public struct StatementReference: Sendable, Hashable {
    public var role: PolicyRole
    /// For SCPs and RCPs, the organization level (0 = root); otherwise 0.
    public var level: Int
    public var file: String
    public var statementIndex: Int
    public var sid: String?
    public var effect: Effect?
    public var span: SourceSpan

    public init(role: PolicyRole, level: Int = 0, file: String, statementIndex: Int, sid: String?, effect: Effect?, span: SourceSpan) {
        self.role = role
        self.level = level
        self.file = file
        self.statementIndex = statementIndex
        self.sid = sid
        self.effect = effect
        self.span = span
    }
}

/// How one statement fared against the request, for `--explain`.
public struct StatementTrace: Sendable {
    public var statement: StatementReference
    public var actionMatches: Bool
    public var resourceMatches: Bool
    /// The statement's resource entries as matched for this request, policy variables resolved
    /// (`${key}` kept when the request has no value for it); `NotResource` entries are prefixed "not ".
    public var resourceEntries: [String]
    public var principalMatches: Bool
    /// Each condition clause evaluated, with the request's values; evaluation stops at the first failure.
    public var conditions: [(text: String, holds: Bool, reason: String, span: SourceSpan)]
    public var applies: Bool
}

/// The decision with the statements that made it and a sentence saying why.
public struct Decision: Sendable {
    public var kind: DecisionKind
    /// Explicit deny: the Deny statements that apply. Allow: the Allow statements that granted it.
    /// Implicit deny: empty.
    public var decidingStatements: [StatementReference]
    /// Why, in one sentence ("no identity-based policy allows the action", …).
    public var reason: String
    /// Every statement evaluated, in policy order (empty when evaluated without `explain`).
    public var trace: [StatementTrace]
}
