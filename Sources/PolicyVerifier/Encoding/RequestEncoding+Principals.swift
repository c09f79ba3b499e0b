import PolicyLanguage
import SMT

/// The free parts of a caller nobody names: its account (when nobody names it either), its path and its
/// name. AWS derives `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:username`, … from them, so those
/// keys are tied to the caller instead of being free: a request cannot claim another caller's ARN.
struct PrincipalIdentity {
    var account: Term
    var path: Term
    var name: Term

    /// IAM user, role and federated-user names.
    static let nameCharacters = "A-Za-z0-9+=,.@_-"

    /// The derived keys whose values come from these parts.
    static let derivedFromIdentity: Set<String> = ["aws:principalarn", "aws:principalaccount", "aws:username", "aws:userid"]
}

extension RequestEncoding {
    /// Whether any of the keys (indices into `keyVariables`) is derived from the caller's identity parts.
    func readsIdentity(_ keys: some Sequence<Int>) -> Bool {
        keys.contains { PrincipalIdentity.derivedFromIdentity.contains(keyVariables[$0].key.name) }
    }

    /// Declares the identity parts when the query reads a key derived from them; otherwise callers
    /// nobody names are their stand-ins, which behave like every other such caller.
    func declarePrincipalIdentity() throws {
        guard readsIdentity(keyVariables.indices) else { return }
        let builder = context.regex
        let account = try context.stringConstant("principal_account")
        let path = try context.stringConstant("principal_path")
        let name = try context.stringConstant("principal_name")
        let digit = try builder.range("0", "9")
        let nameCharacter = try builder.union([builder.range("A", "Z"), builder.range("a", "z"), builder.range("0", "9")] + "+=,.@_-".map { try builder.literal(String($0)) })
        appendDomain(try account.inRegex(builder.star(digit)), to: .identity)
        appendDomain(try account.length().eq(context.int(12)), to: .identity)
        for named in principals.namedAccounts { appendDomain(try account.neq(context.string(named)), to: .identity) }
        appendDomain(try name.inRegex(builder.plus(nameCharacter)), to: .identity)
        appendDomain(try name.length().le(context.int(64)), to: .identity)
        let slash = try builder.literal("/")
        appendDomain(try path.inRegex(builder.concat([slash, builder.star(builder.concat([builder.plus(nameCharacter), slash]))])), to: .identity)
        identity = PrincipalIdentity(account: account, path: path, name: name)
        // A caller nobody names must not be one that somebody names.
        for (index, principalClass) in principals.classes.enumerated() where principalClass.freshName {
            let chosen = try isPrincipalClass(index)
            if principalClass.kind == .assumedRole {
                // Role values match sessions by account and role name; session values match exactly
                // (and the stand-in session name is nobody's).
                guard !principalClass.freshAccount, let account = principalClass.representative.account else { continue }
                for role in principals.namedRoles where role[0] == account {
                    appendDomain(try chosen.implies(name.neq(context.string(role[1]))), to: .identity)
                }
            } else if let arn = try derivedValue("aws:principalarn", of: principalClass) {
                for named in principals.namedArns { appendDomain(try chosen.implies(arn.neq(context.string(named))), to: .identity) }
            }
        }
    }

    func isPrincipalClass(_ index: Int) throws -> Term { try principalClass.eq(context.int(index)) }

    /// The value AWS derives for `key` (lower-cased) from a caller of the class, or `nil` when the key is
    /// not derived for it or its value is left free.
    func derivedValue(_ key: String, of principalClass: PrincipalSpace.PrincipalClass) throws -> Term? {
        let representative = principalClass.representative
        guard let identity else { return nil }
        let isAccountKind = representative.account != nil
        if !principalClass.freshName && !principalClass.freshAccount {
            // A named caller (or a service, provider, canonical user named in a policy): fixed values.
            guard key != "aws:resourceaccount", let value = PrincipalSpace.derivedKeys(of: representative).entry(key)?.values.first else { return nil }
            return try context.string(value)
        }
        guard isAccountKind else { return nil }
        let account = principalClass.freshAccount ? identity.account : try context.string(representative.account ?? "")
        func arn(_ parts: [Term]) throws -> Term { try context.concat(parts) }
        switch key {
        case "aws:principalaccount":
            return account
        case "aws:principaltype":
            return try representative.principalType.map { try context.string($0) }
        case "aws:principalisawsservice":
            return try context.string("false")
        case "aws:username":
            return principalClass.kind == .user ? identity.name : nil
        case "aws:userid":
            return principalClass.kind == .root ? account : nil
        case "aws:principalarn":
            switch principalClass.kind {
            case .root: return try arn([context.string("arn:aws:iam::"), account, context.string(":root")])
            case .user: return try arn([context.string("arn:aws:iam::"), account, context.string(":user"), identity.path, identity.name])
            case .role: return try arn([context.string("arn:aws:iam::"), account, context.string(":role"), identity.path, identity.name])
            case .assumedRole: return try arn([context.string("arn:aws:iam::"), account, context.string(":role/"), identity.name])
            case .federatedUser: return try arn([context.string("arn:aws:sts::"), account, context.string(":federated-user/"), identity.name])
            default: return nil
            }
        default:
            return nil
        }
    }

    /// Ties each derived key the query reads to the caller: present exactly when AWS derives it, with the
    /// derived value when that is known (`aws:userid` of callers other than the root stays free: AWS sets
    /// it, the evaluator does not derive it).
    func tieDerivedKeys() throws {
        for (keyIndex, key) in keyVariables.enumerated() {
            guard PrincipalSpace.derivedKeyNames.contains(key.key.name) else {
                if key.key.name == "aws:resourceaccount" { appendDomain(key.present, to: .key(keyIndex)) }
                continue
            }
            for (index, principalClass) in principals.classes.enumerated() {
                let chosen = try isPrincipalClass(index)
                guard PrincipalSpace.derivedKeys(of: principalClass.representative).entry(key.key.name) != nil else {
                    if key.key.name != "aws:userid" { appendDomain(try chosen.implies(key.present.not()), to: .key(keyIndex)) }
                    continue
                }
                var tie = [key.present]
                if let value = try derivedValue(key.key.name, of: principalClass), let slot = key.slots.first?.string {
                    tie += [try key.count.eq(context.int(1)), try slot.eq(value)]
                }
                appendDomain(try chosen.implies(context.and(tie)), to: .key(keyIndex))
            }
        }
    }

    /// The caller of a class, with the model's account, path and name where they are free.
    /// `identityIsConstrained`: whether the question asserted the identity's domain (it reads a key
    /// derived from it); otherwise the stand-in is the caller.
    func principal(of index: Int, in model: Model, identityIsConstrained: Bool) throws -> RequestPrincipal {
        let principalClass = principals.classes[index]
        let representative = principalClass.representative
        guard identityIsConstrained, let identity, principalClass.freshName || principalClass.freshAccount, representative.account != nil else { return representative }
        let account = principalClass.freshAccount ? (try model.string(identity.account) ?? representative.account!) : representative.account!
        let path = try model.string(identity.path) ?? "/"
        let name = try model.string(identity.name) ?? PrincipalSpace.standInUser
        switch representative {
        case .root: return .root(account: account)
        case .user: return principalClass.freshName ? .user(account: account, arn: "arn:aws:iam::\(account):user\(path)\(name)", name: name) : representative
        case .role: return principalClass.freshName ? .role(account: account, arn: "arn:aws:iam::\(account):role\(path)\(name)", name: name) : representative
        case .assumedRole(_, let role, let session): return .assumedRole(account: account, roleName: principalClass.freshName ? name : role, sessionName: session)
        case .federatedUser(_, let user): return .federatedUser(account: account, name: principalClass.freshName ? name : user)
        default: return representative
        }
    }

    /// Constraints fixing the free identity parts to a concrete caller of class `index`.
    func fixingIdentity(_ principal: RequestPrincipal, class index: Int) throws -> [Term] {
        let principalClass = principals.classes[index]
        guard let identity else { return [] }
        var terms: [Term] = []
        if principalClass.freshAccount, let account = principal.account { terms.append(try identity.account.eq(context.string(account))) }
        guard principalClass.freshName else { return terms }
        switch principal {
        case .user(_, let arn, let name), .role(_, let arn, let name):
            let resource = ARNFields(arn).map { String($0.resource) } ?? ""
            let afterType = resource.drop { $0 != "/" }
            let path = String(afterType.dropLast(name.count))
            terms += [try identity.name.eq(context.string(name)), try identity.path.eq(context.string(path.isEmpty ? "/" : path))]
        case .assumedRole(_, let role, _):
            terms.append(try identity.name.eq(context.string(role)))
        case .federatedUser(_, let name):
            terms.append(try identity.name.eq(context.string(name)))
        default:
            break
        }
        return terms
    }
}
