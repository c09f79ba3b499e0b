/// The IAM principals of one AWS account and the policies attached to them, as read by
/// `AccountReader` from a `get-account-authorization-details` export or from a folder layout.
///
/// Guarantees: every document is decoded with spans in the file it came from; a part of the input that
/// could not be read or resolved (a document that does not parse, a managed policy attached but not in
/// the export, a group that does not exist) is an `error` in `findings` located where it is written, and
/// the principals it concerns list it in `unresolved`, so that no proof about them can PASS.
public struct AccountInventory: Sendable {
    /// The export file or the account folder, as the user named it.
    public var source: String
    /// The 12-digit account ID: from the principals' ARNs (export) or the `account-id` file (folder);
    /// `123456789012` when neither gives one (then a `warning` says so).
    public var accountID: String
    public var users: [IAMUser]
    public var groups: [IAMGroup]
    public var roles: [IAMRole]
    /// Reading problems (errors) and notes (warnings), sorted by position.
    public var findings: [Finding]

    public init(source: String, accountID: String, users: [IAMUser] = [], groups: [IAMGroup] = [], roles: [IAMRole] = [], findings: [Finding] = []) {
        self.source = source
        self.accountID = accountID
        self.users = users
        self.groups = groups
        self.roles = roles
        self.findings = findings
    }
}

/// A policy document attached to a user, group or role (or used as its permissions boundary).
public struct AttachedPolicy: Sendable {
    public enum Origin: Sendable, Hashable, CustomStringConvertible {
        /// An inline policy, by its name.
        case inline(name: String)
        /// A managed policy (customer or AWS managed), by its ARN.
        case managed(arn: String)

        /// `inline s3-read` or `managed arn:aws:iam::aws:policy/ReadOnlyAccess`.
        public var description: String {
            switch self {
            case .inline(let name): "inline \(name)"
            case .managed(let arn): "managed \(arn)"
            }
        }
    }

    public var origin: Origin
    /// The decoded document (its default version for a managed policy). `parsed.policy` is `nil`, and
    /// `parsed.findings` says why, when it could not be read.
    public var parsed: ParsedPolicy

    public init(origin: Origin, parsed: ParsedPolicy) {
        self.origin = origin
        self.parsed = parsed
    }
}

public struct IAMGroup: Sendable {
    public var name: String
    public var arn: String
    public var policies: [AttachedPolicy]
    /// Problems that leave the group's policies not fully known (each an `error` of
    /// `AccountInventory.findings`): a missing managed policy, a document that does not parse, …
    /// `AccountInventory.principals` repeats them for every member.
    public var unresolved: [Finding]
    /// Where the group is written (its entry in the export, its folder).
    public var span: SourceSpan

    public init(name: String, arn: String, policies: [AttachedPolicy] = [], unresolved: [Finding] = [], span: SourceSpan) {
        self.name = name
        self.arn = arn
        self.policies = policies
        self.unresolved = unresolved
        self.span = span
    }
}

public struct IAMUser: Sendable {
    public var name: String
    public var arn: String
    /// The names of the groups the user belongs to, in the order written.
    public var groups: [String]
    /// The user's own inline and attached managed policies.
    public var policies: [AttachedPolicy]
    public var boundary: AttachedPolicy?
    /// Problems that leave the user's permissions not fully known (each an `error` of
    /// `AccountInventory.findings`, repeated here): a missing managed policy, an unknown group, …
    public var unresolved: [Finding]
    public var span: SourceSpan

    public init(name: String, arn: String, groups: [String] = [], policies: [AttachedPolicy] = [], boundary: AttachedPolicy? = nil, unresolved: [Finding] = [], span: SourceSpan) {
        self.name = name
        self.arn = arn
        self.groups = groups
        self.policies = policies
        self.boundary = boundary
        self.unresolved = unresolved
        self.span = span
    }
}

public struct IAMRole: Sendable {
    public var name: String
    public var arn: String
    /// The trust policy (`AssumeRolePolicyDocument`); `nil` when the input has none. Its problems are in
    /// `AccountInventory.findings`, not in `unresolved`: they leave open who may assume the role, not
    /// what the role may do.
    public var trust: ParsedPolicy?
    public var policies: [AttachedPolicy]
    public var boundary: AttachedPolicy?
    public var unresolved: [Finding]
    public var span: SourceSpan

    public init(name: String, arn: String, trust: ParsedPolicy?, policies: [AttachedPolicy] = [], boundary: AttachedPolicy? = nil, unresolved: [Finding] = [], span: SourceSpan) {
        self.name = name
        self.arn = arn
        self.trust = trust
        self.policies = policies
        self.boundary = boundary
        self.unresolved = unresolved
        self.span = span
    }
}

/// One identity policy in a principal's effective set, with how it reaches the principal.
public struct EffectivePolicy: Sendable {
    /// `nil` when the policy is attached directly; the group's name when it comes through a group.
    public var viaGroup: String?
    public var attached: AttachedPolicy

    public init(viaGroup: String?, attached: AttachedPolicy) {
        self.viaGroup = viaGroup
        self.attached = attached
    }

    /// `user/alice → group/devs → managed arn:…` style path element: `group devs, managed arn:…`.
    public var provenance: String {
        (viaGroup.map { "group/\($0) → " } ?? "") + attached.origin.description
    }
}

/// A user or a role with everything IAM combines for its requests (SEMANTICS.md §4): its own and its
/// groups' identity policies, and its permissions boundary. SCPs are not part of an export; the caller
/// adds them.
public struct AccountPrincipal: Sendable {
    public enum Kind: String, Sendable, Hashable { case user, role }

    public var kind: Kind
    public var name: String
    public var arn: String
    public var accountID: String
    public var identityPolicies: [EffectivePolicy]
    public var boundary: AttachedPolicy?
    /// For a role, its trust policy.
    public var trust: ParsedPolicy?
    /// The principal's own and its groups' unresolved parts.
    public var unresolved: [Finding]
    public var span: SourceSpan

    public init(kind: Kind, name: String, arn: String, accountID: String, identityPolicies: [EffectivePolicy], boundary: AttachedPolicy?, trust: ParsedPolicy?, unresolved: [Finding], span: SourceSpan) {
        self.kind = kind
        self.name = name
        self.arn = arn
        self.accountID = accountID
        self.identityPolicies = identityPolicies
        self.boundary = boundary
        self.trust = trust
        self.unresolved = unresolved
        self.span = span
    }

    /// `user/alice` or `role/deploy`.
    public var label: String { "\(kind.rawValue)/\(name)" }
}
