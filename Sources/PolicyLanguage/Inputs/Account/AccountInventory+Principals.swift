extension AccountInventory {
    /// Users then roles, each in input order, with their effective identity policies: the
    /// principal's own policies first (inline then managed, in input order), then each group's (in
    /// the user's group order, a group named twice counted once), with `viaGroup` set.
    ///
    /// A principal's `unresolved` is its own, then its groups' (in the same order). A group the user
    /// names that is not in `groups` is an `UNRESOLVED_ACCOUNT_REFERENCE` error: the readers report it
    /// where the name is written (and in `findings`); for an inventory built otherwise it is added
    /// here, located at the user.
    public var principals: [AccountPrincipal] {
        var groupsByName: [String: IAMGroup] = [:]
        for group in groups where groupsByName[group.name] == nil { groupsByName[group.name] = group }

        let users = users.map { user in
            var policies = user.policies.map { EffectivePolicy(viaGroup: nil, attached: $0) }
            var unresolved = user.unresolved
            var seen = Set<String>()
            for name in user.groups where seen.insert(name).inserted {
                if let group = groupsByName[name] {
                    policies += group.policies.map { EffectivePolicy(viaGroup: name, attached: $0) }
                    unresolved += group.unresolved
                } else {
                    let message = AccountReader.unknownGroupMessage(name, user: user.name)
                    if !unresolved.contains(where: { $0.code == .unresolvedAccountReference && $0.message == message }) {
                        unresolved.append(AccountReader.unknownGroup(name, user: user.name, at: user.span))
                    }
                }
            }
            return AccountPrincipal(
                kind: .user, name: user.name, arn: user.arn, accountID: account(of: user.arn),
                identityPolicies: policies, boundary: user.boundary, trust: nil,
                unresolved: AccountReader.uniqued(unresolved), span: user.span)
        }
        let roles = roles.map { role in
            AccountPrincipal(
                kind: .role, name: role.name, arn: role.arn, accountID: account(of: role.arn),
                identityPolicies: role.policies.map { EffectivePolicy(viaGroup: nil, attached: $0) },
                boundary: role.boundary, trust: role.trust,
                unresolved: AccountReader.uniqued(role.unresolved), span: role.span)
        }
        return users + roles
    }

    /// The account of a principal's ARN, else the inventory's.
    private func account(of arn: String) -> String {
        AccountReader.accountID(ofARN: arn) ?? accountID
    }
}
