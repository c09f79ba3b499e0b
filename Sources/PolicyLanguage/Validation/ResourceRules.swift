/// Rules about `Resource` / `NotResource` entries: ARN shape, wildcards and variables.
enum ResourceRules {
    static let resourceNotARN = FindingCode("RESOURCE_NOT_ARN")
    static let invalidARN = FindingCode("INVALID_ARN")
    static let wildcardInARNService = FindingCode("WILDCARD_IN_ARN_SERVICE")
    static let unknownPartition = FindingCode("UNKNOWN_PARTITION")
    static let invalidAccountInARN = FindingCode("INVALID_ACCOUNT_IN_ARN")
    static let variableOutsideResourcePart = FindingCode("VARIABLE_OUTSIDE_RESOURCE_PART")
    static let resourceActionMismatch = FindingCode("RESOURCE_ACTION_MISMATCH")

    static let codes = [resourceNotARN, invalidARN, wildcardInARNService, unknownPartition, invalidAccountInARN, variableOutsideResourcePart, resourceActionMismatch]

    static func check(_ statement: Statement, _ context: inout ValidationContext) {
        guard let element = statement.resource else { return }
        for pattern in element.patterns where !pattern.matchesEveryResource {
            guard let fields = checkShape(pattern, &context) else { continue }
            if !element.isNot {
                checkServiceAgainstActions(fields, pattern, statement, &context)
            }
        }
    }

    private static func checkShape(_ pattern: ResourcePattern, _ context: inout ValidationContext) -> ARNFields? {
        guard pattern.text.hasPrefix("arn:") else {
            let hint = pattern.text.lowercased().hasPrefix("arn:") ? "; the \"arn\" prefix is case-sensitive" : ""
            context.report(resourceNotARN, .error, "a resource must be \"*\" or an ARN (arn:partition:service:region:account:resource), found \"\(pattern.text)\"\(hint)", at: pattern.span)
            return nil
        }
        guard let fields = ARNFields(pattern.text) else {
            context.report(invalidARN, .error, "\"\(pattern.text)\" has fewer than the six colon-separated fields of an ARN (arn:partition:service:region:account:resource)", at: pattern.span)
            return nil
        }
        if fields.service.isEmpty || fields.service.contains(where: { $0 == "*" || $0 == "?" }) {
            context.report(wildcardInARNService, .error, "the service field of \"\(pattern.text)\" must be a service name, not empty or a wildcard", at: pattern.span)
        }
        if !fields.partition.contains(where: { $0 == "*" || $0 == "?" || $0 == "$" }), !ARNFields.knownPartitions.contains(String(fields.partition)) {
            context.report(unknownPartition, .warning, "\"\(fields.partition)\" is not an AWS partition (aws, aws-cn, aws-us-gov, …)", at: pattern.span)
        }
        let account = fields.account
        let accountIsValid = account.isEmpty || account == "aws" || account.contains(where: { $0 == "*" || $0 == "?" || $0 == "$" })
            || ARNFields.isAccountID(account)
        if !accountIsValid {
            context.report(invalidAccountInARN, .warning, "the account field \"\(account)\" of \"\(pattern.text)\" is not a 12-digit account ID", at: pattern.span)
        }
        let prefixLength = pattern.text.count - fields.resource.count
        if pattern.template.hasVariables, pattern.text.prefix(prefixLength).contains("${") {
            context.report(variableOutsideResourcePart, .error, "policy variables are allowed only in the resource part of an ARN (after the fifth colon): \"\(pattern.text)\"", at: pattern.span)
        }
        return fields
    }

    /// A resource whose service no action of the statement belongs to can never be matched.
    private static func checkServiceAgainstActions(_ fields: ARNFields, _ pattern: ResourcePattern, _ statement: Statement, _ context: inout ValidationContext) {
        guard !fields.service.contains(where: { $0 == "*" || $0 == "?" || $0 == "$" }),
            let arnServices = context.arnServices(of: statement)
        else { return }
        if !arnServices.contains(fields.service.lowercased()) {
            context.report(resourceActionMismatch, .warning, "no action of this statement acts on \(fields.service) resources, so \"\(pattern.text)\" never matches", at: pattern.span)
        }
    }
}

extension ValidationContext {
    /// The ARN service names the statement's actions can act on (from the catalogue's resource types),
    /// or `nil` when that cannot be known (NotAction, `*`, unknown services, no catalogue).
    mutating func arnServices(of statement: Statement) -> Set<String>? {
        guard let catalog, let action = statement.action, !action.isNot, !action.patterns.isEmpty else { return nil }
        var result: Set<String> = []
        for actionPattern in action.patterns {
            guard !actionPattern.matchesEveryAction, let service = actionPattern.service else { return nil }
            let prefix = service.lowercased()
            if let known = arnServicesByPrefix[prefix] {
                guard let known else { return nil }
                result.formUnion(known)
                continue
            }
            guard let info = catalog.service(prefix) else {
                arnServicesByPrefix[prefix] = .some(nil)
                return nil
            }
            var services: Set<String> = [info.prefix.lowercased()]
            for resourceType in info.resourceTypes {
                if let arnService = ARNFields(resourceType.arnFormat)?.service { services.insert(arnService.lowercased()) }
            }
            arnServicesByPrefix[prefix] = .some(services)
            result.formUnion(services)
        }
        return result
    }
}
