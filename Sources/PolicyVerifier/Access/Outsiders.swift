import PolicyLanguage

/// The requests a no-access question is about: those an outsider can send. The caller is outside
/// the question's zone, and every key AWS ties to the caller or its network path carries a value the
/// outsider owns (`BoundKeyRule`, `OwnedValues`); every other key is the outsider's to choose.
struct Outsiders: Sendable {
    var question: AccessQuestion
    var owned: OwnedValues
    /// Canonical user IDs the policies name (bounded: one account each).
    var namedCanonicalUsers: Set<String> = []

    /// `zone`: for the public question, what the zone of trust owns is excluded too (public findings
    /// of an external question are about outsiders of the zone).
    init(question: AccessQuestion, policies: [Policy], zone: TrustedZone = TrustedZone()) {
        self.question = question
        switch question {
        case .publicAccess: owned = OwnedValues(fixedBy: policies, zone: zone)
        case .externalAccess(let zone): owned = OwnedValues(zone: zone)
        }
        for policy in policies {
            for statement in policy.statements {
                guard case .specific(let values)? = statement.principal?.value else { continue }
                namedCanonicalUsers.formUnion(values.filter { $0.type == .canonicalUser }.map(\.text))
            }
        }
    }

    /// Whether `principal` is an outsider. AWS service principals never are: a service acts for the
    /// customers whose resources name it, and the bound keys `aws:SourceAccount`/`aws:SourceArn` are
    /// what the question checks for it.
    func includes(_ principal: RequestPrincipal) -> Bool {
        switch principal {
        case .anonymous:
            return true
        case .service:
            return false
        case .canonicalUser(let id):
            return question == .publicAccess ? !namedCanonicalUsers.contains(id) : true
        case .federatedProvider(let provider):
            // A SAML provider's users are the users of one organization's identity provider: bounded,
            // and inside the zone when the provider's account is. Web identity (OIDC, Cognito, Google,
            // …) admits every user of the provider unless audience or subject are fixed.
            guard provider.contains(":saml-provider/") else { return true }
            guard case .externalAccess = question, let account = OwnedValues.accountField(provider) else { return false }
            return !owned.accounts.contains(account)
        case .root(let account), .user(let account, _, _), .role(let account, _, _), .assumedRole(let account, _, _), .federatedUser(let account, _):
            return !owned.accounts.contains(account)
        }
    }

    /// Whether an outsider can send `request`: checked on every counterexample before it is reported,
    /// independently of the encoding.
    func admits(_ request: Request) -> Bool {
        guard includes(request.principal) else { return false }
        for entry in request.context.allEntries {
            let key = entry.name.lowercased()
            guard let rule = BoundKeyRule.rule(for: key) else { continue }
            if rule.isSingleValued && (entry.isSet || entry.values.count != 1) { return false }
            if !entry.values.allSatisfy({ owned.admits($0, key: key, rule: rule) }) { return false }
        }
        return true
    }
}
