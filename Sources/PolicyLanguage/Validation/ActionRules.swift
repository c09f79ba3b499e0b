/// Rules about `Action` / `NotAction` entries: their shape and whether the catalogue knows them.
enum ActionRules {
    static let invalidAction = FindingCode("INVALID_ACTION")
    static let wildcardInServicePrefix = FindingCode("WILDCARD_IN_SERVICE_PREFIX")
    static let variableInAction = FindingCode("VARIABLE_IN_ACTION")
    static let unknownService = FindingCode("UNKNOWN_SERVICE")
    static let unknownAction = FindingCode("UNKNOWN_ACTION")
    static let actionMatchesNothing = FindingCode("ACTION_MATCHES_NOTHING")
    static let redundantAction = FindingCode("REDUNDANT_ACTION")

    static let codes = [invalidAction, wildcardInServicePrefix, variableInAction, unknownService, unknownAction, actionMatchesNothing, redundantAction]

    static func check(_ statement: Statement, _ context: inout ValidationContext) {
        guard let element = statement.action else { return }
        var wellFormed: [ActionPattern] = []
        for pattern in element.patterns {
            if checkShape(pattern, &context) {
                wellFormed.append(pattern)
                checkCatalogue(pattern, &context)
            }
        }
        checkRedundancy(wellFormed, element, &context)
    }

    /// Reports a malformed entry; returns whether the entry is well formed.
    private static func checkShape(_ pattern: ActionPattern, _ context: inout ValidationContext) -> Bool {
        if pattern.matchesEveryAction { return true }
        if pattern.text.contains("${") {
            context.report(variableInAction, .error, "policy variables are not allowed in actions: \"\(pattern.text)\"", at: pattern.span)
            return false
        }
        guard let service = pattern.service, let name = pattern.name, !service.isEmpty, !name.isEmpty,
            !name.contains(":"),
            pattern.text.utf8.allSatisfy({ $0 >= 0x21 && $0 < 0x7F })
        else {
            context.report(invalidAction, .error, "\"\(pattern.text)\" is not an action: write service:ActionName (e.g. s3:GetObject), using ASCII letters, digits and the wildcards * and ?", at: pattern.span)
            return false
        }
        if service.contains(where: { $0 == "*" || $0 == "?" }) {
            context.report(wildcardInServicePrefix, .error, "wildcards are not allowed in the service prefix of \"\(pattern.text)\"; list the services", at: pattern.span)
            return false
        }
        return true
    }

    private static func checkCatalogue(_ pattern: ActionPattern, _ context: inout ValidationContext) {
        guard let catalog = context.catalog, !pattern.matchesEveryAction, let service = pattern.service else { return }
        guard catalog.service(String(service)) != nil else {
            context.report(unknownService, .warning, "\"\(service)\" is not a known service prefix (catalogue: \(catalog.serviceCount) services)", at: pattern.span)
            return
        }
        if catalog.actions(matching: pattern.text).isEmpty {
            if pattern.hasWildcard {
                context.report(actionMatchesNothing, .warning, "\"\(pattern.text)\" matches no action of service \(service)", at: pattern.span)
            } else {
                context.report(unknownAction, .warning, "\"\(pattern.text)\" is not a known action of service \(service)", at: pattern.span)
            }
        }
    }

    /// An entry whose actions another entry of the same element already covers. Entries are compared
    /// only within their service (a pattern cannot cover another service's actions: wildcards in the
    /// service prefix are invalid), so large policies stay fast.
    private static func checkRedundancy(_ patterns: [ActionPattern], _ element: ActionElement, _ context: inout ValidationContext) {
        let lowered = patterns.map { $0.text.lowercased() }
        var byService: [Substring: [Int]] = [:]
        for (index, text) in lowered.enumerated() {
            byService[text.prefix { $0 != ":" }, default: []].append(index)
        }
        let everything = lowered.firstIndex(of: "*")
        for (index, pattern) in patterns.enumerated() {
            var coveringIndex: Int?
            if let everything, everything != index {
                coveringIndex = everything
            } else if lowered[index] != "*" {
                let service = lowered[index].prefix { $0 != ":" }
                coveringIndex = byService[service]?.first { other in
                    guard other != index else { return false }
                    // Of two identical entries, the later one is the redundant one.
                    if lowered[other] == lowered[index] { return other < index }
                    return patterns[other].hasWildcard && Wildcard.matches(lowered[other], lowered[index], caseInsensitive: false)
                }
            }
            if let coveringIndex {
                let covering = patterns[coveringIndex]
                context.report(redundantAction, .suggestion, "\"\(pattern.text)\" is already covered by \"\(covering.text)\" in the same \(element.elementName)", at: pattern.span, notes: [Finding.Note("covered by this entry", at: covering.span)])
            }
        }
    }
}
