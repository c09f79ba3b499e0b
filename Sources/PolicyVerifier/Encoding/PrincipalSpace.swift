import PolicyLanguage

/// The callers of a query split into finitely many classes. Principal matching in IAM compares a
/// caller with the values a policy names (accounts, user and role ARNs, sessions, services, …), so
/// every caller behaves like one of: a named principal, a role session of a named role, or a principal
/// of a kind nobody names, in a named account or in an account nobody names. One representative per
/// distinct behaviour (which statements name it, and which keys AWS derives for it) is kept.
struct PrincipalSpace {
    struct PrincipalClass {
        var representative: RequestPrincipal
        /// For each registered statement: whether its principal element names the caller.
        var signature: [Bool]
    }

    /// Keys IAM adds to every request from the caller's identity, and whether each is present for a
    /// caller (SEMANTICS.md §3; `Request.withDerivedKeys`).
    static let derivedKeys: [(key: String, present: @Sendable (RequestPrincipal) -> Bool)] = [
        ("aws:principalarn", { $0.account != nil }),
        ("aws:principalaccount", { $0.account != nil }),
        ("aws:principaltype", { $0.principalType != nil }),
        ("aws:username", { if case .user = $0 { true } else { false } }),
        ("aws:userid", { if case .root = $0 { true } else { false } }),
        ("aws:principalisawsservice", { p in
            if case .service = p { return true }
            return p.account != nil || p == .anonymous
        }),
        ("aws:principalservicename", { if case .service = $0 { true } else { false } }),
    ]

    private(set) var statements: [(Statement, PolicyRole)] = []
    private(set) var classes: [PrincipalClass] = []

    mutating func register(_ statement: Statement, role: PolicyRole) -> Int {
        statements.append((statement, role))
        return statements.count - 1
    }

    /// Builds the classes. `identityOnly` restricts callers to IAM identities (no policy of the query
    /// matches principals, so anonymous and service callers could not use an identity policy anyway).
    mutating func partition(identityOnly: Bool) {
        var accounts: [String] = []
        var named: [RequestPrincipal] = []
        var services: [String] = [], providers: [String] = [], canonical: [String] = []
        var roleNames: Set<String> = [], userNames: Set<String> = []
        func addAccount(_ account: String) { if !accounts.contains(account) { accounts.append(account) } }
        for (statement, _) in statements {
            guard case .specific(let values)? = statement.principal?.value else { continue }
            for value in values where value.text != "*" {
                switch value.type {
                case .aws:
                    if ARNFields.isAccountID(value.text) { addAccount(value.text); continue }
                    guard let principal = RequestPrincipal(value.text) else { continue }
                    if let account = principal.account { addAccount(account) }
                    named.append(principal)
                    switch principal {
                    case .role(let account, _, let name):
                        roleNames.insert(name)
                        named.append(.assumedRole(account: account, roleName: name, sessionName: "prover-session"))
                    case .assumedRole(let account, let role, _):
                        roleNames.insert(role)
                        named.append(.assumedRole(account: account, roleName: role, sessionName: "prover-session"))
                    case .user(_, _, let name): userNames.insert(name)
                    default: break
                    }
                case .service: services.append(value.text)
                case .federated: providers.append(value.text)
                case .canonicalUser: canonical.append(value.text)
                }
            }
        }
        let freshAccount = ["123456789012", "111122223333", "444455556666", "777788889999"].first { !accounts.contains($0) } ?? "000011112222"
        let user = Self.fresh("prover-user", avoiding: userNames), role = Self.fresh("prover-role", avoiding: roleNames)
        var candidates: [RequestPrincipal] = []
        for account in accounts + [freshAccount] {
            candidates += [
                .user(account: account, arn: "arn:aws:iam::\(account):user/\(user)", name: user),
                .assumedRole(account: account, roleName: role, sessionName: "prover-session"),
                .root(account: account),
                .role(account: account, arn: "arn:aws:iam::\(account):role/\(role)", name: role),
                .federatedUser(account: account, name: user),
            ]
        }
        if !identityOnly {
            candidates += named
            candidates.append(.anonymous)
            candidates += (services + ["prover.amazonaws.com"]).map { .service($0) }
            candidates += (providers + ["accounts.example.com"]).map { .federatedProvider($0) }
            candidates += (canonical + [String(repeating: "ab", count: 32)]).map { .canonicalUser($0) }
        }
        var seen: Set<[Bool]> = []
        classes = []
        for candidate in candidates {
            let signature = statements.map { $0.0.principalMatches(candidate, role: $0.1) }
            let derived = Self.derivedKeys.map { $0.present(candidate) }
            guard seen.insert(signature + derived).inserted else { continue }
            classes.append(PrincipalClass(representative: candidate, signature: signature))
        }
    }

    private static func fresh(_ base: String, avoiding names: Set<String>) -> String {
        var name = base
        var counter = 2
        while names.contains(name) {
            name = "\(base)-\(counter)"
            counter += 1
        }
        return name
    }

    /// Classes whose callers statement `index` names.
    func classes(namedBy index: Int) -> [Int] {
        classes.indices.filter { classes[$0].signature[index] }
    }

    /// The class of a concrete caller: the representative with the same behaviour; `nil` if none.
    func classIndex(of principal: RequestPrincipal) -> Int? {
        let signature = statements.map { $0.0.principalMatches(principal, role: $0.1) }
        let derived = Self.derivedKeys.map { $0.present(principal) }
        return classes.firstIndex { candidate in
            candidate.signature == signature && Self.derivedKeys.map { $0.present(candidate.representative) } == derived
        }
    }
}
