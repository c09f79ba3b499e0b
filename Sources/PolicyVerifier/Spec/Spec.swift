import PolicyLanguage

/// A spec file: what must hold of a set of policies (DESIGN.md, "Commands"). It is the CI contract of
/// `policyprover check --spec`, `audit --spec` and `explore --spec`.
///
/// Read one with `SpecReader`. Every set of requests in a spec (a *scope*) is represented as a
/// synthetic `Policy` of language version 2012-10-17 with one `Allow` statement per scope, decoded by
/// the real `PolicyDecoder`: patterns, condition operators, values and `${…}` templates mean exactly
/// what they mean in a policy, and every span points into the spec file.
public struct Spec: Sendable {
    /// The spec file's name as the user gave it.
    public var file: String
    /// The accounts and organizations whose principals are not *external*.
    public var trusted: TrustedZone
    /// The invariants, in the order written.
    public var invariants: [Invariant]
    /// The segregation-of-duties rules, in the order written.
    public var duties: [DutyRule]

    public init(file: String, trusted: TrustedZone = TrustedZone(), invariants: [Invariant] = [], duties: [DutyRule] = []) {
        self.file = file
        self.trusted = trusted
        self.invariants = invariants
        self.duties = duties
    }
}

/// The zone of trust (IAM Access Analyzer's term): a principal is *external* when it belongs to none of
/// these accounts and to an account of none of these organizations, and its request does not come
/// through one of these VPCs or VPC endpoints. Empty when the spec has no `trusted` section (the
/// command line may add to it with `--trusted-account`, `--trusted-org`, `--trusted-vpc`,
/// `--trusted-vpc-endpoint`).
public struct TrustedZone: Sendable, Equatable {
    /// 12-digit AWS account IDs, each where it was written.
    public var accounts: [Located<String>]
    /// AWS Organizations IDs (`o-` followed by 10 to 32 lowercase letters or digits), each where written.
    public var organizations: [Located<String>]
    /// VPC IDs (`vpc-…`) whose traffic is the owner's.
    public var vpcs: [Located<String>]
    /// VPC endpoint IDs (`vpce-…`) whose traffic is the owner's.
    public var vpcEndpoints: [Located<String>]

    public init(accounts: [Located<String>] = [], organizations: [Located<String>] = [], vpcs: [Located<String>] = [], vpcEndpoints: [Located<String>] = []) {
        self.accounts = accounts
        self.organizations = organizations
        self.vpcs = vpcs
        self.vpcEndpoints = vpcEndpoints
    }

    /// Whether nothing is trusted.
    public var isEmpty: Bool { accounts.isEmpty && organizations.isEmpty && vpcs.isEmpty && vpcEndpoints.isEmpty }
}

/// One named property that the policies under check must have.
public struct Invariant: Sendable {
    /// The name written in the spec; unique among the spec's invariants and duties.
    public var name: String
    public var kind: InvariantKind
    /// Where the invariant's entry was written.
    public var span: SourceSpan

    public init(name: String, kind: InvariantKind, span: SourceSpan) {
        self.name = name
        self.kind = kind
        self.span = span
    }
}

/// What an invariant states. The policies of `never` and `only` are synthetic: one `Allow` statement
/// per scope written, so the set of requests they describe is the union of the scopes (a request is in
/// the set when any statement allows it).
public enum InvariantKind: Sendable {
    /// `never: SCOPES` — no request that the inputs allow is in the set.
    case never(Policy)
    /// `only: SCOPES` — every request that the inputs allow is in the set: they grant nothing beyond
    /// it (another action, resource or context falls outside it and fails the invariant).
    case only(Policy)
    /// `no-public-access: true` — no request is allowed to an unbounded set of principals (anyone,
    /// including anonymous callers).
    case noPublicAccess
    /// `no-external-access: true` — no request is allowed to a principal outside the trusted zone.
    case noExternalAccess

    /// The spec key that states this kind (`never`, `only`, `no-public-access`, `no-external-access`).
    public var keyword: String {
        switch self {
        case .never: "never"
        case .only: "only"
        case .noPublicAccess: "no-public-access"
        case .noExternalAccess: "no-external-access"
        }
    }

    /// The synthetic policy of `never` and `only`; `nil` for the other kinds.
    public var policy: Policy? {
        switch self {
        case .never(let policy), .only(let policy): policy
        case .noPublicAccess, .noExternalAccess: nil
        }
    }
}

/// A segregation-of-duties rule over the principals found in the inputs: no single principal may be
/// allowed requests from two different conflicting sets (the sets are mutually exclusive, pairwise).
public struct DutyRule: Sendable {
    /// The name written in the spec; unique among the spec's invariants and duties.
    public var name: String
    /// At least two sets of requests, each a synthetic policy (one `Allow` statement per scope; the
    /// set is their union), in the order written.
    public var conflicting: [Policy]
    /// Where the rule's entry was written.
    public var span: SourceSpan

    public init(name: String, conflicting: [Policy], span: SourceSpan) {
        self.name = name
        self.conflicting = conflicting
        self.span = span
    }
}

/// Why a spec file could not be used: every problem found, as `error` findings located in the file.
public struct SpecErrors: Error, Sendable, CustomStringConvertible {
    /// Sorted by position; never empty.
    public var findings: [Finding]

    public init(findings: [Finding]) {
        self.findings = findings
    }

    /// One line per finding: `file:line:column: CODE: message`.
    public var description: String {
        findings.map { "\($0.span): \($0.code): \($0.message)" }.joined(separator: "\n")
    }
}

/// Codes of findings about the structure of a spec file. Problems inside a scope's actions, resources,
/// conditions and principals keep the codes that the policy decoder and validator give them (for
/// instance `UNKNOWN_CONDITION_OPERATOR`); unreadable or malformed files keep the reading codes
/// (`SYNTAX_ERROR`, `DUPLICATE_KEY`, …).
extension FindingCode {
    /// A key that the spec format does not define at that place.
    public static let specUnknownKey = FindingCode("SPEC_UNKNOWN_KEY")
    /// A value of the wrong type (a string where a list is expected, …), including a root that is not
    /// a mapping.
    public static let specWrongType = FindingCode("SPEC_WRONG_TYPE")
    /// A required entry is missing: an invariant's or duty's `name`, an invariant's kind, `conflicting`.
    public static let specMissing = FindingCode("SPEC_MISSING")
    /// A scope that does not describe a set of requests: no actions, `actions` with `not-actions` (or
    /// `resources` with `not-resources`), an empty list of actions, resources or scopes.
    public static let specInvalidScope = FindingCode("SPEC_INVALID_SCOPE")
    /// An invariant with more than one of `never`, `only`, `no-public-access`, `no-external-access`.
    public static let specAmbiguousInvariant = FindingCode("SPEC_AMBIGUOUS_INVARIANT")
    /// Two invariants or duties with the same name.
    public static let specDuplicateName = FindingCode("SPEC_DUPLICATE_NAME")
    /// `no-public-access: false` or `no-external-access: false`, which state nothing.
    public static let specFalseFlag = FindingCode("SPEC_FALSE_FLAG")
    /// A trusted account that is not a 12-digit account ID.
    public static let specInvalidAccount = FindingCode("SPEC_INVALID_ACCOUNT")
    /// A trusted organization that is not an AWS Organizations ID (`o-[a-z0-9]{10,32}`).
    public static let specInvalidOrganization = FindingCode("SPEC_INVALID_ORGANIZATION")
    /// A duty with fewer than two conflicting sets.
    public static let specTooFewConflicting = FindingCode("SPEC_TOO_FEW_CONFLICTING")
    /// A spec with no invariants and no duties.
    public static let specEmpty = FindingCode("SPEC_EMPTY")

    /// The spec codes above, for documentation and tests.
    public static let specCodes: [FindingCode] = [
        .specUnknownKey, .specWrongType, .specMissing, .specInvalidScope, .specAmbiguousInvariant,
        .specDuplicateName, .specFalseFlag, .specInvalidAccount, .specInvalidOrganization,
        .specTooFewConflicting, .specEmpty,
    ]
}
