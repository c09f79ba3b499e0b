/// Which elements a statement must or must not have, by policy type (SEMANTICS.md §1 table).
enum ElementRules {
    static let missingEffect = FindingCode("MISSING_EFFECT")
    static let missingAction = FindingCode("MISSING_ACTION")
    static let missingResource = FindingCode("MISSING_RESOURCE")
    static let missingPrincipal = FindingCode("MISSING_PRINCIPAL")
    static let principalNotAllowed = FindingCode("PRINCIPAL_NOT_ALLOWED")
    static let notPrincipalNotAllowed = FindingCode("NOT_PRINCIPAL_NOT_ALLOWED")
    static let resourceNotAllowed = FindingCode("RESOURCE_NOT_ALLOWED")
    static let emptyAction = FindingCode("EMPTY_ACTION")
    static let emptyResource = FindingCode("EMPTY_RESOURCE")
    static let emptyPrincipal = FindingCode("EMPTY_PRINCIPAL")
    static let emptyCondition = FindingCode("EMPTY_CONDITION")
    static let rcpAllow = FindingCode("RCP_ALLOW")
    static let rcpPrincipal = FindingCode("RCP_PRINCIPAL")

    static let codes = [missingEffect, missingAction, missingResource, missingPrincipal, principalNotAllowed, notPrincipalNotAllowed, resourceNotAllowed, emptyAction, emptyResource, emptyPrincipal, emptyCondition, rcpAllow, rcpPrincipal]

    static func check(_ statement: Statement, _ context: inout ValidationContext) {
        let name = statement.displayName
        if !statement.writtenElements.contains("Effect") {
            context.report(missingEffect, .error, "\(name) has no Effect", at: statement.span)
        }
        if !statement.writtenElements.contains("Action"), !statement.writtenElements.contains("NotAction") {
            context.report(missingAction, .error, "\(name) has no Action or NotAction", at: statement.span)
        }
        checkResource(statement, &context)
        checkPrincipal(statement, &context)
        if let action = statement.action, action.isEmptyList {
            context.report(emptyAction, .suggestion, "\(action.elementName) is empty, so \(name) matches no action and does not affect the policy", at: action.valueSpan)
        }
        if let condition = statement.condition {
            if condition.clauses.isEmpty, condition.emptyOperators.isEmpty {
                context.report(emptyCondition, .suggestion, "the Condition block is empty and always holds; remove it", at: condition.valueSpan)
            }
            for name in condition.emptyOperators {
                context.report(emptyCondition, .suggestion, "condition operator \(name.value) lists no keys and always holds; remove it", at: name.span)
            }
        }
        if context.type == .rcp, statement.effect?.value == .allow {
            context.report(rcpAllow, .error, "resource control policies may only Deny; Allow exists only in the AWS-managed RCPFullAWSAccess policy", at: statement.effect!.span)
        }
    }

    private static func checkResource(_ statement: Statement, _ context: inout ValidationContext) {
        let name = statement.displayName
        guard let resource = statement.resource else {
            if context.type.requiresResource, !statement.writtenElements.contains("Resource"), !statement.writtenElements.contains("NotResource") {
                context.report(missingResource, .error, "\(name) has no Resource or NotResource, which \(context.typeDescription) requires", at: statement.span)
            }
            return
        }
        if context.type == .trust {
            context.report(resourceNotAllowed, .error, "\(resource.elementName) is not allowed in a role trust policy: the resource is the role itself", at: resource.keySpan)
        }
        if resource.isEmptyList {
            context.report(emptyResource, .suggestion, "\(resource.elementName) is empty, so \(name) matches no resource and does not affect the policy", at: resource.valueSpan)
        }
    }

    private static func checkPrincipal(_ statement: Statement, _ context: inout ValidationContext) {
        let name = statement.displayName
        guard let principal = statement.principal else {
            if context.type.requiresPrincipal, !statement.writtenElements.contains("Principal"), !statement.writtenElements.contains("NotPrincipal") {
                context.report(missingPrincipal, .error, "\(name) names no Principal, which \(context.typeDescription) requires", at: statement.span)
            }
            return
        }
        if context.type.forbidsPrincipal {
            context.report(principalNotAllowed, .error, "\(principal.elementName) is not allowed in \(context.typeDescription): the principal is whoever the policy is attached to", at: principal.keySpan)
        } else if principal.isNot, context.type == .trust || context.type == .rcp {
            context.report(notPrincipalNotAllowed, .error, "NotPrincipal is not allowed in \(context.typeDescription)", at: principal.keySpan)
        }
        if context.type == .rcp, !principal.isNot {
            var isEveryone = false
            switch principal.value {
            case .everyone: isEveryone = true
            case .specific(let values): isEveryone = values.count == 1 && values[0].type == .aws && values[0].text == "*"
            }
            if !isEveryone {
                context.report(rcpPrincipal, .error, "resource control policies must use \"Principal\": \"*\" and narrow it with conditions", at: principal.valueSpan)
            }
        }
        if principal.isEmptyList {
            context.report(emptyPrincipal, .suggestion, "\(principal.elementName) names no principal, so \(name) does not affect the policy", at: principal.valueSpan)
        }
    }
}
