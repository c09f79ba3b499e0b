import PolicyLanguage

/// One IAM user or role that a question is about, so that its answers hold for that principal only
/// (policy variables such as `${aws:username}` and conditions on `aws:PrincipalArn` then mean what
/// they mean for it). A role's requests are those of its sessions, whatever the session name.
public struct KnownCaller: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable { case user, role }

    public var kind: Kind
    /// The user's or role's ARN as IAM writes it.
    public var arn: String
    public var account: String
    /// The user or role name (the last path segment of the ARN).
    public var name: String

    /// `nil` when `arn` is not an IAM user or role ARN with a 12-digit account.
    public init?(arn: String) {
        guard let fields = ARNFields(arn), fields.service == "iam", ARNFields.isAccountID(String(fields.account)) else { return nil }
        let resource = String(fields.resource)
        if resource.hasPrefix("user/") {
            kind = .user
        } else if resource.hasPrefix("role/") {
            kind = .role
        } else {
            return nil
        }
        self.arn = arn
        account = String(fields.account)
        name = String(resource.split(separator: "/").last ?? "")
        guard !name.isEmpty else { return nil }
    }

    /// A request principal that is this caller: the user, or a session of the role.
    public var example: RequestPrincipal {
        switch kind {
        case .user: .user(account: account, arn: arn, name: name)
        case .role: .assumedRole(account: account, roleName: name, sessionName: "prover-session")
        }
    }

    /// Whether `principal` is this caller (the user, or any session of the role).
    public func matches(_ principal: RequestPrincipal) -> Bool {
        switch (kind, principal) {
        case (.user, .user(let account, let arn, _)): return account == self.account && arn == self.arn
        case (.role, .assumedRole(let account, let roleName, _)): return account == self.account && roleName == name
        default: return false
        }
    }

    public var description: String { "\(kind.rawValue)/\(name)" }
}
