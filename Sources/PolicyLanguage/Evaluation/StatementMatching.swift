/// Whether the `Action`, `Resource` and `Principal` elements of a statement match a request
/// (SEMANTICS.md §2).
enum StatementMatching {
    // MARK: Actions

    /// Action names are case-insensitive; `*` and `?` are wildcards.
    static func matches(_ element: ActionElement, action: String) -> Bool {
        let any = element.index.matches(action)
        return element.isNot ? !any : any
    }

    // MARK: Resources

    /// How a statement's resource entries are compared with a request resource that is a pattern
    /// (a set of resources): an Allow needs to share a resource with it, a Deny to cover all of it.
    /// For a concrete request resource both are plain matching.
    enum ResourceQuantifier {
        case some, all
    }

    /// A statement without `Resource`/`NotResource` (a trust policy, some resource policies) applies
    /// to the resource the policy is attached to, so it matches.
    static func matches(_ element: ResourceElement?, request: Request, isResourcePolicy: Bool, quantifier: ResourceQuantifier) -> Bool {
        guard let element else { return true }
        guard let requestPattern = request.resourcePattern else {
            let any = element.patterns.contains { matches($0, resource: request.resource, context: request.context, isResourcePolicy: isResourcePolicy) }
            return element.isNot ? !any : any
        }
        // NotResource is the dual: an Allow applies when some requested resource lies outside every
        // entry; a Deny when every requested resource does.
        let entryQuantifier: ResourceQuantifier = element.isNot ? (quantifier == .some ? .all : .some) : quantifier
        let any = element.patterns.contains { matches($0, requestPattern: requestPattern, context: request.context, quantifier: entryQuantifier) }
        return element.isNot ? !any : any
    }

    /// ARN patterns match field by field: partition, service, region and account each as a glob, and
    /// everything after the fifth colon as one glob that may cross `:` and `/`. Case-sensitive.
    static func matches(_ pattern: ResourcePattern, resource: String, context: RequestContext, isResourcePolicy: Bool) -> Bool {
        if pattern.matchesEveryResource { return true }
        // Fast path: a full-length ARN pattern of plain text (no variables, no escapes), matched field
        // by field without building a token list.
        if pattern.template.parts.count == 1, case .text(let text) = pattern.template.parts[0],
            let patternFields = ARNFields(text), let resourceFields = ARNFields(resource)
        {
            return Wildcard.matches(patternFields.partition, resourceFields.partition, caseInsensitive: false)
                && Wildcard.matches(patternFields.service, resourceFields.service, caseInsensitive: false)
                && Wildcard.matches(patternFields.region, resourceFields.region, caseInsensitive: false)
                && Wildcard.matches(patternFields.account, resourceFields.account, caseInsensitive: false)
                && Wildcard.matches(patternFields.resource, resourceFields.resource, caseInsensitive: false)
        }
        guard let glob = pattern.template.glob(in: context, wildcards: true) else { return false }
        guard let resourceFields = ARNFields(resource) else {
            return glob.matches(resource)
        }
        guard let fields = arnFields(of: glob, isResourcePolicy: isResourcePolicy) else { return false }
        let requestFields = [resourceFields.partition, resourceFields.service, resourceFields.region, resourceFields.account, resourceFields.resource]
        for (index, field) in requestFields.enumerated() where !fields[index].matches(field) {
            return false
        }
        return true
    }

    /// A policy entry against a request resource pattern, field by field.
    static func matches(_ pattern: ResourcePattern, requestPattern: GlobPattern, context: RequestContext, quantifier: ResourceQuantifier) -> Bool {
        if pattern.matchesEveryResource { return true }
        guard let glob = pattern.template.glob(in: context, wildcards: true) else { return false }
        let requestFields = arnFields(of: requestPattern, isResourcePolicy: false)
        guard let requestFields, let fields = arnFields(of: glob, isResourcePolicy: false) else {
            return quantifier == .some ? glob.intersects(requestPattern) : glob.covers(requestPattern)
        }
        return zip(fields, requestFields).allSatisfy { quantifier == .some ? $0.intersects($1) : $0.covers($1) }
    }

    /// The five fields after `arn:` (partition … resource), short ARNs padded with `*` (SEMANTICS.md §2:
    /// in identity-side policies; a short ARN without a wildcard matches nothing in a resource policy).
    static func arnFields(of glob: GlobPattern, isResourcePolicy: Bool) -> [GlobPattern]? {
        glob.arnResourceFields(isResourcePolicy: isResourcePolicy)
    }

    // MARK: Principals

    /// Identity-side policies have no principal (an element there is ignored, as AWS does).
    static func matches(_ element: PrincipalElement?, principal: RequestPrincipal) -> Bool {
        guard let element else { return true }
        let any: Bool
        switch element.value {
        case .everyone: any = true
        case .specific(let values):
            any = values.contains { element.isNot ? excludes($0, principal: principal) : matches($0, principal: principal) }
        }
        return element.isNot ? !any : any
    }

    /// Whether a `NotPrincipal` value names the caller. AWS matches these exactly: a role ARN does not
    /// name the role's sessions (the session ARN must be listed), and an account names only the
    /// account itself (its root), which is why AWS tells Deny + NotPrincipal users to list both.
    static func excludes(_ value: PrincipalValue, principal: RequestPrincipal) -> Bool {
        guard value.type == .aws else { return matches(value, principal: principal) }
        if value.text == "*" { return true }
        switch RequestPrincipal(awsPolicyValue: value.text) {
        case .root(let account)?:
            if case .root(let callerAccount) = principal { return account == callerAccount }
            return false
        case .role?:
            return false
        case let named?:
            return named.callerArn != nil && named.callerArn == principal.callerArn
        case nil:
            return false
        }
    }

    /// One principal value against the caller.
    static func matches(_ value: PrincipalValue, principal: RequestPrincipal) -> Bool {
        let text = value.text
        switch value.type {
        case .aws:
            if text == "*" { return true }
            guard let named = RequestPrincipal(awsPolicyValue: text) else { return false }
            switch (named, principal) {
            case (.root(let account), _):
                return principal.account == account
            case (.role(let account, _, let name), .assumedRole(let callerAccount, let roleName, _)):
                return account == callerAccount && name == roleName
            case (.role(_, let arn, _), .role(_, let callerArn, _)):
                return arn == callerArn
            default:
                return named.callerArn != nil && named.callerArn == principal.callerArn
            }
        case .service:
            if case .service(let name) = principal { return text == "*" || name == text }
            return false
        case .federated:
            if case .federatedProvider(let name) = principal { return text == "*" || name == text }
            return false
        case .canonicalUser:
            if case .canonicalUser(let id) = principal { return text == "*" || id == text }
            return false
        }
    }

    /// Whether a resource-policy principal value names the caller exactly by user ARN or session ARN
    /// (IAM user, assumed-role session, federated user), which grants access on its own (§4 step 4).
    static func namesCallerDirectly(_ value: PrincipalValue, principal: RequestPrincipal) -> Bool {
        guard value.type == .aws, let named = RequestPrincipal(value.text) else { return false }
        switch (named, principal) {
        case (.user, .user), (.assumedRole, .assumedRole), (.federatedUser, .federatedUser):
            return named.callerArn == principal.callerArn
        default:
            return false
        }
    }
}

extension GlobPattern {
    /// The five fields after `arn:` (partition, service, region, account, resource) that a `Resource`
    /// entry matches field by field. Short ARNs are padded with `*` in identity-side policies; a short
    /// ARN without a wildcard matches nothing in a resource policy (`nil`). `nil` too when the pattern is
    /// not an ARN pattern: it then matches no ARN.
    public func arnResourceFields(isResourcePolicy: Bool) -> [GlobPattern]? {
        var fields = self.fields(max: 6)
        guard fields.count >= 2, fields[0].tokens == GlobPattern(literal: "arn").tokens else { return nil }
        if fields.count < 6 {
            if isResourcePolicy, !hasWildcard { return nil }
            fields += Array(repeating: GlobPattern(tokens: [.star]), count: 6 - fields.count)
        }
        return Array(fields.dropFirst())
    }
}
