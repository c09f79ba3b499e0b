/// Who makes a request, read from the principal's ARN (or service name, or canonical user ID).
///
/// The kinds are those IAM distinguishes when matching `Principal` elements and when deciding which
/// policies apply (SEMANTICS.md §2 "Principals", §4).
public enum RequestPrincipal: Sendable, Hashable, CustomStringConvertible {
    /// An unsigned request.
    case anonymous
    /// The account root user (`arn:aws:iam::A:root`).
    case root(account: String)
    /// An IAM user; `arn` keeps the path.
    case user(account: String, arn: String, name: String)
    /// An IAM role used directly as the principal; `arn` keeps the path.
    case role(account: String, arn: String, name: String)
    /// A role session `arn:aws:sts::A:assumed-role/R/S`.
    case assumedRole(account: String, roleName: String, sessionName: String)
    /// A federated user session `arn:aws:sts::A:federated-user/N`.
    case federatedUser(account: String, name: String)
    /// An AWS service principal such as `lambda.amazonaws.com`.
    case service(String)
    /// An identity-provider principal (OIDC host or SAML provider ARN) used in `Federated`.
    case federatedProvider(String)
    /// An S3 canonical user ID.
    case canonicalUser(String)

    /// Reads the `principal` of a request: `nil` → anonymous, an ARN, a service principal, or a
    /// 64-hex-digit canonical user ID. `nil` result when the text is none of them.
    public init?(_ text: String?) {
        guard let text else {
            self = .anonymous
            return
        }
        if let fields = ARNFields(text) {
            let account = String(fields.account)
            let resource = fields.resource
            switch (fields.service, resource) {
            case ("iam", "root"):
                self = .root(account: account)
            case ("iam", _) where resource.hasPrefix("user/"):
                self = .user(account: account, arn: text, name: String(resource.split(separator: "/").last ?? ""))
            case ("iam", _) where resource.hasPrefix("role/"):
                self = .role(account: account, arn: text, name: String(resource.split(separator: "/").last ?? ""))
            case ("iam", _) where resource.hasPrefix("saml-provider/") || resource.hasPrefix("oidc-provider/"):
                self = .federatedProvider(text)
            case ("sts", _) where resource.hasPrefix("assumed-role/"):
                let parts = resource.dropFirst("assumed-role/".count).split(separator: "/", maxSplits: 1)
                guard parts.count == 2 else { return nil }
                self = .assumedRole(account: account, roleName: String(parts[0]), sessionName: String(parts[1]))
            case ("sts", _) where resource.hasPrefix("federated-user/"):
                self = .federatedUser(account: account, name: String(resource.dropFirst("federated-user/".count)))
            default:
                return nil
            }
            return
        }
        if text.count == 64, text.allSatisfy(\.isHexDigit) {
            self = .canonicalUser(text)
        } else if text.hasSuffix(".amazonaws.com") || text.hasSuffix(".amazonaws.com.cn") || text.hasSuffix(".amazon.com") {
            self = .service(text)
        } else if text.contains("."), !text.contains(" ") {
            self = .federatedProvider(text)
        } else {
            return nil
        }
    }

    /// The principal an `AWS` value of a policy names: a bare account ID means that account
    /// (`arn:aws:iam::A:root`); `nil` for `*` and for values that are not principals.
    init?(awsPolicyValue text: String) {
        if ARNFields.isAccountID(text) {
            self = .root(account: text)
        } else {
            self.init(text)
        }
    }

    /// The account the principal belongs to, `nil` for anonymous, service and provider principals.
    public var account: String? {
        switch self {
        case .root(let account), .user(let account, _, _), .role(let account, _, _),
            .assumedRole(let account, _, _), .federatedUser(let account, _):
            return account
        case .anonymous, .service, .federatedProvider, .canonicalUser:
            return nil
        }
    }

    /// The ARN as IAM reports it in `aws:PrincipalArn`: for a role session, the role's ARN (without
    /// path, which a session ARN does not carry).
    public var principalArn: String? {
        switch self {
        case .root(let account): return "arn:aws:iam::\(account):root"
        case .user(_, let arn, _), .role(_, let arn, _): return arn
        case .assumedRole(let account, let roleName, _): return "arn:aws:iam::\(account):role/\(roleName)"
        case .federatedUser(let account, let name): return "arn:aws:sts::\(account):federated-user/\(name)"
        case .anonymous, .service, .federatedProvider, .canonicalUser: return nil
        }
    }

    /// The ARN that identifies the caller exactly (a session's own ARN for sessions).
    public var callerArn: String? {
        switch self {
        case .assumedRole(let account, let roleName, let session): return "arn:aws:sts::\(account):assumed-role/\(roleName)/\(session)"
        default: return principalArn
        }
    }

    /// `aws:PrincipalType` as IAM sets it.
    public var principalType: String? {
        switch self {
        case .root: "Account"
        case .user: "User"
        case .role, .assumedRole: "AssumedRole"
        case .federatedUser: "FederatedUser"
        case .anonymous: "Anonymous"
        case .service, .federatedProvider, .canonicalUser: nil
        }
    }

    /// Whether the principal is a service-linked role (exempt from SCPs). Service-linked role names
    /// start with `AWSServiceRoleFor`; role ARNs also carry the `/aws-service-role/` path.
    public var isServiceLinkedRole: Bool {
        switch self {
        case .role(_, let arn, let name): return arn.contains(":role/aws-service-role/") || name.hasPrefix("AWSServiceRoleFor")
        case .assumedRole(_, let roleName, _): return roleName.hasPrefix("AWSServiceRoleFor")
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .anonymous: return "anonymous"
        case .service(let name), .federatedProvider(let name), .canonicalUser(let name): return name
        default: return callerArn ?? "?"
        }
    }
}
