import PolicyLanguage
import PolicyVerifier

/// The answer of one account-wide check for one principal.
public enum CheckStatus: String, Sendable, Hashable, Codable {
    /// Proved: through no path does the principal have the power the check is about.
    case pass
    /// Some path has it; every request shown was certified by the concrete evaluator.
    case fail
    /// Neither proved nor refuted (a timeout, an unsupported construct, an unresolved part of the input).
    case unknown
    /// Reported for a person to review; never a failure (over-broad grants).
    case warning
}

/// A chain of role assumptions from a principal: each hop proved with a certified `sts:AssumeRole`
/// request.
public struct AssumptionPath: Sendable {
    /// Labels from the principal itself to the last role: `["user/alice", "role/deploy", "role/admin"]`.
    public var principals: [String]
    /// One certified `sts:AssumeRole` request per hop (`principals.count - 1` of them).
    public var hops: [Counterexample]

    public init(principals: [String], hops: [Counterexample]) {
        self.principals = principals
        self.hops = hops
    }

    /// The principal whose policies hold the power: the end of the path.
    public var holder: String { principals.last ?? "" }

    /// `user/alice → role/deploy`.
    public var description: String { principals.joined(separator: " → ") }
}

/// Evidence that a principal has a power: the path to the principal that holds it, and the certified
/// requests that exercise it there (with the granting statements in each counterexample).
public struct Holding: Sendable {
    public var path: AssumptionPath
    /// What the evidence shows, for a person: an escalation method's name, a duty's side, ….
    public var title: String
    public var requests: [Counterexample]

    public init(path: AssumptionPath, title: String, requests: [Counterexample]) {
        self.path = path
        self.title = title
        self.requests = requests
    }
}

/// An over-broad grant in one of a principal's policies.
public struct PolicyGrant: Sendable {
    /// How the policy reaches the principal (`group/devs → managed arn:…`, `inline s3-admin`).
    public var provenance: String
    public var grant: OverbroadGrant
}

/// One check of one principal.
public struct PrincipalCheck: Sendable {
    /// `admin-equivalent`, `privilege-escalation`, `spec/<invariant>`, `duty/<rule>`, `over-broad`.
    public var name: String
    public var status: CheckStatus
    /// One line for a person.
    public var summary: String
    /// For `fail`: the evidence, one entry per way found.
    public var holdings: [Holding]
    /// For `unknown`: why, each with the principal it concerns.
    public var reasons: [String]
    /// For `over-broad`: the grants.
    public var grants: [PolicyGrant]

    public init(name: String, status: CheckStatus, summary: String, holdings: [Holding] = [], reasons: [String] = [], grants: [PolicyGrant] = []) {
        self.name = name
        self.status = status
        self.summary = summary
        self.holdings = holdings
        self.reasons = reasons
        self.grants = grants
    }
}

/// Everything found about one user or role.
public struct PrincipalReport: Sendable {
    public var principal: AccountPrincipal
    /// The roles it can assume, directly or through others, each with its shortest proved path.
    public var reachable: [AssumptionPath]
    /// Roles it may be able to assume: an edge on the way could not be decided.
    public var undecided: [(role: String, reason: String)]
    public var checks: [PrincipalCheck]

    /// The worst status among the checks (fail > unknown > pass; warnings count as pass).
    public var status: CheckStatus {
        if checks.contains(where: { $0.status == .fail }) { return .fail }
        if checks.contains(where: { $0.status == .unknown }) { return .unknown }
        return .pass
    }
}

/// The answer of `AccountAnalysis.run`.
public struct AccountReport: Sendable {
    public var source: String
    public var accountID: String
    /// Problems reading the input (errors make the affected principals' checks UNKNOWN).
    public var findings: [Finding]
    /// Users, then roles, in input order.
    public var principals: [PrincipalReport]
    /// Proved `sts:AssumeRole` edges (caller → role) and pairs asked of Z3 at all.
    public var edges: Int
    public var edgeQueries: Int
    public var elapsed: Duration
    /// Time spent proving the role assumptions, and the principals' own questions.
    public var graphTime: Duration
    public var principalTime: Duration

    /// How many principals have each status.
    public func count(_ status: CheckStatus) -> Int { principals.filter { $0.status == status }.count }
}
