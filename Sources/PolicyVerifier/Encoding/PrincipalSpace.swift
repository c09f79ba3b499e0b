import PolicyLanguage

/// The callers of a query split into finitely many classes. Principal matching in IAM compares a
/// caller with the values a policy names (accounts, user and role ARNs, sessions, services, …), so
/// every caller behaves like one of: a named principal, a role session of a named role, or a principal
/// of a kind nobody names, in a named account or in an account nobody names. One class per distinct
/// behaviour (which statements name it, and of which kind it is) is kept.
///
/// Classes of callers nobody names are not single principals: their account (when nobody names it),
/// path and name are variables of the encoding (`PrincipalIdentity`), so that the keys AWS derives from
/// the caller (`aws:PrincipalArn`, `aws:username`, …) range over every value such a caller can have.
struct PrincipalSpace {
    /// What a class's caller is.
    enum Kind: Hashable {
        case anonymous, root, user, role, assumedRole, federatedUser, service, federatedProvider, canonicalUser
    }

    struct PrincipalClass {
        /// A member: the caller itself when it is named; otherwise a stand-in whose account, path and
        /// name the model chooses.
        var representative: RequestPrincipal
        var kind: Kind
        /// For each registered statement: whether its principal element names the caller.
        var signature: [Bool]
        /// The account is the encoding's free account (one nobody names).
        var freshAccount: Bool
        /// The name (and, for users and roles, the path) are free: the caller is nobody named.
        var freshName: Bool
    }

    /// Keys IAM adds to every request from the caller's identity (SEMANTICS.md §3).
    static let derivedKeyNames = [
        "aws:principalarn", "aws:principalaccount", "aws:principaltype", "aws:username", "aws:userid",
        "aws:principalisawsservice", "aws:principalservicename",
    ]

    /// The keys AWS derives for `principal`, with their values, exactly as the evaluator derives them.
    static func derivedKeys(of principal: RequestPrincipal) -> RequestContext {
        Request(principal: principal, action: "", resource: "*").withDerivedKeys().context
    }

    private(set) var statements: [(Statement, PolicyRole)] = []
    private(set) var classes: [PrincipalClass] = []
    /// Accounts, user/role/federated ARNs and role names the policies name: free callers avoid them.
    private(set) var namedAccounts: [String] = []
    private(set) var namedArns: Set<String> = []
    /// Roles the policies name (as roles or through one of their sessions), by account.
    private(set) var namedRoles: Set<[String]> = []
    /// Accounts a question names besides the policies (a zone of trust): callers in them get classes of
    /// their own, and free callers avoid them.
    var extraAccounts: [String] = []
    /// The one caller a question is about, if any (an IAM user or a role session in one of
    /// `extraAccounts`): when nobody names it, it stands for the callers nobody names of its kind in its
    /// account, so that a model of that class decodes to it.
    var knownCaller: RequestPrincipal?
    /// The stand-in for "an account nobody names".
    private(set) var standInAccount = "123456789012"

    static let standInUser = "prover-user", standInRole = "prover-role", standInSession = "prover-session"

    mutating func register(_ statement: Statement, role: PolicyRole) -> Int {
        statements.append((statement, role))
        return statements.count - 1
    }

    /// Builds the classes. `identityOnly` restricts callers to IAM identities (no policy of the query
    /// matches principals, so anonymous and service callers could not use an identity policy anyway).
    mutating func partition(identityOnly: Bool) {
        var named: [RequestPrincipal] = []
        var services: [String] = [], providers: [String] = [], canonical: [String] = []
        func addAccount(_ account: String) { if !namedAccounts.contains(account) { namedAccounts.append(account) } }
        // Only statements whose role matches principals name callers: an identity-side policy's
        // Principal is ignored by IAM, so the principals it names are no different from the others
        // (else they would be left out of the fresh callers and have no class of their own).
        for (statement, role) in statements where role.matchesPrincipals {
            guard case .specific(let values)? = statement.principal?.value else { continue }
            for value in values where value.text != "*" {
                switch value.type {
                case .aws:
                    if ARNFields.isAccountID(value.text) { addAccount(value.text); continue }
                    guard let principal = RequestPrincipal(value.text) else { continue }
                    if let account = principal.account { addAccount(account) }
                    named.append(principal)
                    if let arn = principal.callerArn { namedArns.insert(arn) }
                    switch principal {
                    case .role(let account, _, let name):
                        namedRoles.insert([account, name])
                        named.append(.assumedRole(account: account, roleName: name, sessionName: Self.standInSession))
                    case .assumedRole(let account, let role, _):
                        named.append(.assumedRole(account: account, roleName: role, sessionName: Self.standInSession))
                    default: break
                    }
                case .service: services.append(value.text)
                case .federated: providers.append(value.text)
                case .canonicalUser: canonical.append(value.text)
                }
            }
        }
        for account in extraAccounts { addAccount(account) }
        standInAccount = ["123456789012", "111122223333", "444455556666", "777788889999"].first { !namedAccounts.contains($0) } ?? "000011112222"
        var candidates: [(RequestPrincipal, freshAccount: Bool, freshName: Bool)] = []
        for account in namedAccounts + [standInAccount] {
            let fresh = account == standInAccount
            let user = Self.standInUser, role = Self.standInRole
            var standInUser = RequestPrincipal.user(account: account, arn: "arn:aws:iam::\(account):user/\(user)", name: user)
            var standInSession = RequestPrincipal.assumedRole(account: account, roleName: role, sessionName: Self.standInSession)
            switch knownCaller {
            case .user(account, let arn, _)? where !namedArns.contains(arn): standInUser = knownCaller!
            case .assumedRole(account, let name, _)? where !namedRoles.contains([account, name]): standInSession = knownCaller!
            default: break
            }
            candidates += [
                (standInUser, fresh, true),
                (standInSession, fresh, true),
                (.root(account: account), fresh, false),
                (.role(account: account, arn: "arn:aws:iam::\(account):role/\(role)", name: role), fresh, true),
                (.federatedUser(account: account, name: user), fresh, true),
            ]
        }
        if !identityOnly {
            candidates += named.map { ($0, false, false) }
            candidates.append((.anonymous, false, false))
            // Callers outside accounts that nobody names: one stand-in each, whose derived keys are left
            // free (an over-approximation: more requests than AWS could send, never fewer).
            candidates += services.map { (.service($0), false, false) } + [(.service("prover.amazonaws.com"), false, true)]
            candidates += providers.map { (.federatedProvider($0), false, false) } + [(.federatedProvider("accounts.example.com"), false, true)]
            candidates += canonical.map { (.canonicalUser($0), false, false) } + [(.canonicalUser(String(repeating: "ab", count: 32)), false, true)]
        }
        var seen: Set<String> = []
        classes = []
        for (candidate, freshAccount, freshName) in candidates {
            let signature = statements.map { $0.0.principalMatches(candidate, role: $0.1) }
            let kind = Self.kind(of: candidate)
            // Named callers keep their own class: their derived keys have fixed values.
            let key = "\(signature)|\(kind)|\(freshAccount)|\(freshName)|\(candidate.account ?? "")" + (freshName || freshAccount ? "" : candidate.description)
            guard seen.insert(key).inserted else { continue }
            classes.append(PrincipalClass(representative: candidate, kind: kind, signature: signature, freshAccount: freshAccount, freshName: freshName))
        }
    }

    static func kind(of principal: RequestPrincipal) -> Kind {
        switch principal {
        case .anonymous: .anonymous
        case .root: .root
        case .user: .user
        case .role: .role
        case .assumedRole: .assumedRole
        case .federatedUser: .federatedUser
        case .service: .service
        case .federatedProvider: .federatedProvider
        case .canonicalUser: .canonicalUser
        }
    }

    /// Classes whose callers statement `index` names.
    func classes(namedBy index: Int) -> [Int] {
        classes.indices.filter { classes[$0].signature[index] }
    }

    /// The class of a concrete caller; `nil` if none.
    func classIndex(of principal: RequestPrincipal) -> Int? {
        let signature = statements.map { $0.0.principalMatches(principal, role: $0.1) }
        let kind = Self.kind(of: principal)
        let namedCaller = classes.firstIndex { !$0.freshName && !$0.freshAccount && $0.representative == principal }
        if let namedCaller { return namedCaller }
        let accountIsNamed = principal.account.map(namedAccounts.contains) ?? false
        // The most specific class first: named callers (and sessions of named roles), then the rest.
        let order = classes.indices.filter { !classes[$0].freshName } + classes.indices.filter { classes[$0].freshName }
        return order.first { index in
            let candidate = classes[index]
            guard candidate.signature == signature, candidate.kind == kind else { return false }
            if principal.account != nil {
                guard candidate.freshAccount != accountIsNamed else { return false }
                if !candidate.freshAccount, candidate.representative.account != principal.account { return false }
            }
            if candidate.freshName || candidate.representative == principal || kind == .root { return true }
            // A named role's sessions other than named ones: the session name is not part of any key.
            if case .assumedRole(let account, let role, _) = candidate.representative, case .assumedRole(account, role, _) = principal {
                return true
            }
            return false
        }
    }
}
