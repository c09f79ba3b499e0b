/// Statements that are valid but grant more than they appear to (IAM Access Analyzer's security
/// warnings and common review findings).
enum SecurityRules {
    static let passRoleWildcard = FindingCode("PASS_ROLE_WILDCARD_RESOURCE")
    static let allowWithNotPrincipal = FindingCode("ALLOW_WITH_NOT_PRINCIPAL")
    static let allowWithNotAction = FindingCode("ALLOW_WITH_NOT_ACTION")
    static let allowWithNotResource = FindingCode("ALLOW_WITH_NOT_RESOURCE")
    static let fullAccess = FindingCode("FULL_ACCESS")
    static let wildcardPrincipal = FindingCode("WILDCARD_PRINCIPAL")

    static let codes = [passRoleWildcard, allowWithNotPrincipal, allowWithNotAction, allowWithNotResource, fullAccess, wildcardPrincipal]

    static func check(_ statement: Statement, _ context: inout ValidationContext) {
        guard statement.effect?.value == .allow else { return }
        let resource = statement.resource
        let coversEveryResource = resource == nil || resource!.isNot || resource!.patterns.contains(where: \.matchesEveryResource)
        if let action = statement.action {
            if action.isNot {
                context.report(allowWithNotAction, .warning, "Allow with NotAction grants every action except those listed, including actions of services added later; list the allowed actions instead", at: action.keySpan)
            }
            if coversEveryResource, context.type != .trust, grants("iam:PassRole", action) {
                context.report(passRoleWildcard, .securityWarning, "iam:PassRole on every resource lets the caller hand any role, including administrative ones, to a service; list the roles in Resource", at: action.keySpan)
            }
            let allActions = !action.isNot && action.patterns.contains(where: \.matchesEveryAction)
            if allActions, let resource, !resource.isNot, resource.patterns.contains(where: \.matchesEveryResource), statement.condition == nil {
                context.report(fullAccess, .securityWarning, "\(statement.displayName) allows every action on every resource (full administrator access)", at: action.valueSpan)
            }
        }
        if let resource, resource.isNot {
            context.report(allowWithNotResource, .warning, "Allow with NotResource grants the actions on every resource except those listed, including resources created later", at: resource.keySpan)
        }
        guard let principal = statement.principal else { return }
        if principal.isNot {
            context.report(allowWithNotPrincipal, .securityWarning, "Allow with NotPrincipal grants access to every principal except those listed, including anonymous callers", at: principal.keySpan)
            return
        }
        let isEveryone: Bool
        switch principal.value {
        case .everyone: isEveryone = true
        case .specific(let values): isEveryone = values.contains { $0.type == .aws && $0.text == "*" }
        }
        guard isEveryone, context.type != .rcp else { return }
        if statement.condition == nil {
            context.report(wildcardPrincipal, .securityWarning, "\(statement.displayName) allows every principal (\"*\"), including anonymous callers, with no condition", at: principal.valueSpan)
        } else if context.type == .trust {
            context.report(wildcardPrincipal, .securityWarning, "this trust policy lets any AWS principal assume the role unless its conditions stop them; make sure they pin the account or organization", at: principal.valueSpan)
        }
    }

    /// Whether the element grants `action` (case-insensitive, wildcards expanded).
    private static func grants(_ action: String, _ element: ActionElement) -> Bool {
        let matches = element.patterns.contains { Wildcard.matches($0.text, action, caseInsensitive: true) }
        return element.isNot ? !matches : matches
    }
}
