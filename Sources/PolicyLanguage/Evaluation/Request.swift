/// One request as IAM evaluates it: who, what action, on which resource, with which condition keys.
public struct Request: Sendable, Equatable {
    public var principal: RequestPrincipal
    /// `service:Action`.
    public var action: String
    /// The resource ARN, or `*` for actions without resource-level permissions.
    public var resource: String
    /// The account that owns the resource; `nil` means the principal's own account.
    public var resourceAccount: String?
    /// Condition keys, including the ones derived from the principal (see `withDerivedKeys()`).
    public var context: RequestContext
    /// Whether the principal's account is the organization's management account (exempt from SCPs).
    public var principalInManagementAccount: Bool
    /// Whether the resource's account is the management account (exempt from RCPs).
    public var resourceInManagementAccount: Bool
    /// Whether the action has no resource-level permissions, so that `resource` is the literal `*`
    /// rather than a pattern.
    public var wildcardOnlyAction: Bool

    public init(
        principal: RequestPrincipal, action: String, resource: String, resourceAccount: String? = nil,
        context: RequestContext = RequestContext(), principalInManagementAccount: Bool = false,
        resourceInManagementAccount: Bool = false, wildcardOnlyAction: Bool = false
    ) {
        self.principal = principal
        self.action = action
        self.resource = resource
        self.resourceAccount = resourceAccount
        self.context = context
        self.principalInManagementAccount = principalInManagementAccount
        self.resourceInManagementAccount = resourceInManagementAccount
        self.wildcardOnlyAction = wildcardOnlyAction
    }

    /// When the resource contains `*` or `?` (and the action has resource-level permissions), the
    /// request stands for any resource the pattern matches; otherwise `nil`.
    var resourcePattern: GlobPattern? {
        guard !wildcardOnlyAction, resource.utf8.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }) else { return nil }
        return GlobPattern(wildcardText: Substring(resource))
    }

    /// The account the resource belongs to: as given, else read from the resource ARN, else the
    /// principal's account.
    public var effectiveResourceAccount: String? {
        if let resourceAccount, !resourceAccount.isEmpty { return resourceAccount }
        if let fields = ARNFields(resource), ARNFields.isAccountID(fields.account) { return String(fields.account) }
        return principal.account
    }

    /// Whether principal and resource are in different accounts (both sides must then allow).
    public var isCrossAccount: Bool {
        guard let principalAccount = principal.account, let resourceAccount = effectiveResourceAccount else { return false }
        return principalAccount != resourceAccount
    }

    /// The request with the keys IAM derives from the principal filled in where the caller did not
    /// give them: `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:username`
    /// (IAM users), `aws:userid` (root: the account ID), `aws:PrincipalIsAWSService` and
    /// `aws:PrincipalServiceName` (service principals), `aws:ResourceAccount`.
    public func withDerivedKeys() -> Request {
        var copy = self
        copy.context.setDefault(principal.principalArn, for: "aws:PrincipalArn", lowercased: "aws:principalarn")
        copy.context.setDefault(principal.account, for: "aws:PrincipalAccount", lowercased: "aws:principalaccount")
        copy.context.setDefault(principal.principalType, for: "aws:PrincipalType", lowercased: "aws:principaltype")
        switch principal {
        case .user(_, _, let name): copy.context.setDefault(name, for: "aws:username", lowercased: "aws:username")
        case .root(let account): copy.context.setDefault(account, for: "aws:userid", lowercased: "aws:userid")
        case .service(let name):
            copy.context.setDefault("true", for: "aws:PrincipalIsAWSService", lowercased: "aws:principalisawsservice")
            copy.context.setDefault(name, for: "aws:PrincipalServiceName", lowercased: "aws:principalservicename")
        default: break
        }
        if principal.account != nil || principal == .anonymous {
            copy.context.setDefault("false", for: "aws:PrincipalIsAWSService", lowercased: "aws:principalisawsservice")
        }
        copy.context.setDefault(effectiveResourceAccount, for: "aws:ResourceAccount", lowercased: "aws:resourceaccount")
        return copy
    }
}
