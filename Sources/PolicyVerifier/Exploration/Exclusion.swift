import PolicyLanguage

/// A set of requests a person takes out of an exploration ("not this action", "not this service"). It
/// is exact: the question asked after it is the property over every request but these, with nothing
/// else removed, so "none left" is still a proof about all the others.
public enum Exclusion: Sendable, Hashable, CustomStringConvertible {
    /// One action (`s3:GetObject`; IAM matches names ignoring case).
    case action(String)
    /// Every action of a service prefix (`s3`).
    case service(String)
    /// One resource ARN.
    case resource(String)
    /// One caller: an IAM user, a role (with its sessions: a role ARN as a Principal names them), a
    /// role session, a federated user, a service, an identity provider or a canonical user. Not an
    /// account's root (`.account` says what that ARN names) nor an anonymous caller.
    case principal(RequestPrincipal)
    /// Every caller of an account.
    case account(String)

    public var description: String {
        switch self {
        case .action(let action): "not the action \(action)"
        case .service(let service): "not the service \(service)"
        case .resource(let resource): "not the resource \(resource)"
        case .principal(.role(_, let arn, _)): "not the role \(arn) (nor its sessions)"
        case .principal(let principal): "not the caller \(principal)"
        case .account(let account): "not callers of account \(account)"
        }
    }

    /// Whether the exclusion can be stated exactly: an anonymous caller has no principal value to
    /// name, and a resource holding `*` or `?` would be a pattern, not one resource.
    public var isExact: Bool { statement(index: 0) != nil }

    /// Whether the exclusion is about callers (its policy must then be matched like a resource policy).
    var namesCallers: Bool {
        switch self {
        case .principal, .account: true
        default: false
        }
    }

    /// One Allow statement that applies exactly to the excluded requests.
    func statement(index: Int) -> Statement? {
        var actions = ["*"], resources = ["*"]
        var principal: PrincipalValue?
        let span = SourceSpan(file: "<excluded>", start: SourceLocation(line: 1, column: 1))
        switch self {
        case .action(let action):
            guard !action.contains(where: { $0 == "*" || $0 == "?" }) else { return nil }
            actions = [action]
        case .service(let service):
            guard !service.isEmpty, !service.contains(where: { $0 == "*" || $0 == "?" || $0 == ":" }) else { return nil }
            actions = [service + ":*"]
        case .resource(let resource):
            // `*` as a pattern would match every resource, so the literal `*` cannot be excluded alone.
            guard !resource.contains(where: { $0 == "*" || $0 == "?" || $0 == "$" }) else { return nil }
            resources = [resource]
        case .account(let account):
            guard ARNFields.isAccountID(account) else { return nil }
            principal = PrincipalValue(type: .aws, text: account, span: span)
        case .principal(let caller):
            switch caller {
            case .anonymous: return nil
            case .service(let name): principal = PrincipalValue(type: .service, text: name, span: span)
            case .federatedProvider(let provider): principal = PrincipalValue(type: .federated, text: provider, span: span)
            case .canonicalUser(let id): principal = PrincipalValue(type: .canonicalUser, text: id, span: span)
            case .root:
                // An account's root ARN as a Principal names every caller of the account: that is
                // `.account`, not one caller.
                return nil
            case .user, .role, .assumedRole, .federatedUser:
                guard !caller.description.contains(where: { $0 == "*" || $0 == "?" }) else { return nil }
                principal = PrincipalValue(type: .aws, text: caller.description, span: span)
            }
        }
        var statement = ScopePolicy.make(actions: actions, resources: resources, name: "<excluded>").statements[0]
        statement.index = index
        // Every caller, unless the exclusion names one (only read when the policy names callers).
        statement.principal = PrincipalElement(isNot: false, value: principal.map { .specific([$0]) } ?? .everyone, keySpan: span, valueSpan: span)
        return statement
    }

    /// The policy that applies exactly to the requests of `exclusions` (one statement each), or `nil`
    /// when one of them cannot be stated exactly.
    static func policy(_ exclusions: [Exclusion]) -> PolicyUnderTest? {
        var policy = ScopePolicy.make(actions: [], resources: [], name: "<excluded>")
        var statements: [Statement] = []
        for (index, exclusion) in exclusions.enumerated() {
            guard let statement = exclusion.statement(index: index) else { return nil }
            statements.append(statement)
        }
        policy.statements = statements
        // Read like a resource policy when a statement names callers.
        return PolicyUnderTest(policy, role: exclusions.contains(where: \.namesCallers) ? .resource : .identity)
    }
}
