import PolicyLanguage
import SMT

extension RequestEncoding {
    /// The requests an outsider can send (`Outsiders`): the caller's class is an outsider's, and every
    /// value of a bound key is one the outsider owns. The same predicate as `Outsiders.admits`.
    func outsiderTerm(_ outsiders: Outsiders) throws -> Term {
        let included = principals.classes.indices.filter { outsiders.includes(principals.classes[$0].representative) }
        var parts = [try member(principalClass, included, of: principals.classes.count)]
        for key in keyVariables {
            guard let rule = BoundKeyRule.rule(for: key.key.name) else { continue }
            if rule.isSingleValued { parts.append(try key.present.implies(key.count.eq(context.int(1)))) }
            for (index, slot) in key.slots.enumerated() {
                guard let admitted = try outsiderValue(slot, key: key.key.name, rule: rule, owned: outsiders.owned) else { continue }
                parts.append(try key.present.and(context.int(index).lt(key.count)).implies(admitted))
            }
        }
        return try context.and(parts)
    }

    /// For each ARN condition value on `key` whose account field is an owned account: the value does
    /// not match it. Implied by the account constraint (such a pattern only matches ARNs of that
    /// account), and stated because Z3 then refutes the clause at once instead of reasoning about the
    /// complement of a regular expression.
    private func ownedPatternLemmas(_ value: Term, key: String, owned: OwnedValues) throws -> [Term] {
        var lemmas: [Term] = []
        for entry in policies {
            for statement in entry.policy.statements {
                for clause in statement.condition?.clauses ?? [] where clause.key.value.lowercased() == key && clause.conditionOperator?.base.family == .arn {
                    for pattern in clause.values where pattern.template.variables.isEmpty {
                        guard let account = OwnedValues.fixedAccountField(pattern.text), owned.accounts.contains(account) else { continue }
                        lemmas.append(try arnMatches(value, PatternPieces(pattern.template, wildcards: true), span: pattern.span).not())
                    }
                }
            }
        }
        return lemmas
    }

    /// Whether the value in `slot` is one an outsider may send; `nil` when every value is (numbers
    /// and dates, which no rule restricts).
    private func outsiderValue(_ slot: SlotVariables, key: String, rule: BoundKeyRule, owned: OwnedValues) throws -> Term? {
        if slot.address != nil {
            guard rule == .sourceAddress else { return nil }
            return try context.and(owned.addressRanges.map { try address(of: slot, in: $0).not() })
        }
        guard let value = slot.string else { return nil }
        let whole = owned.wholeValues[key] ?? []
        let span = SourceSpan(file: "<outsiders>", start: SourceLocation(line: 1, column: 1))
        let spellings = try (owned.caseInsensitiveValues[key] ?? []).sorted().map { literal in
            try strings.matches(value, PatternPieces(TemplateString(literal: literal), wildcards: false), caseInsensitive: true, span: span, variable: resolve).not()
        }
        return try context.and([admittedCaseSensitively(value, key: key, rule: rule, owned: owned, whole: whole)] + spellings)
    }

    private func admittedCaseSensitively(_ value: Term, key: String, rule: BoundKeyRule, owned: OwnedValues, whole: Set<String>) throws -> Term {
        func differs(_ values: some Sequence<String>) throws -> [Term] { try values.sorted().map { try value.neq(context.string($0)) } }
        func outsidePrefix(_ prefixes: Set<String>, separator: String, orEqual: Bool) throws -> [Term] {
            try prefixes.sorted().flatMap { prefix in
                [try value.hasPrefix(context.string(prefix + separator)).not()] + (orEqual ? [try value.neq(context.string(prefix))] : [])
            }
        }
        switch rule {
        case .account: return try context.and(differs(owned.accounts))
        case .organization: return try context.and(differs(owned.organizations))
        case .organizationPath: return try context.and(outsidePrefix(owned.organizations, separator: "/", orEqual: true))
        case .ownedArn:
            let builder = context.regex
            let field = try builder.star(colonFreeAlphabet)
            let colon = try builder.literal(":")
            let inAccount = try owned.accounts.sorted().map { account in
                try value.inRegex(builder.concat([builder.literal("arn:"), field, colon, field, colon, field, colon, builder.literal(account), colon, builder.full()])).not()
            }
            return try context.and(inAccount + differs(whole) + ownedPatternLemmas(value, key: key, owned: owned))
        case .owned, .sourceAddress: return try context.and(differs(whole))
        case .uniqueID: return try context.and(differs(owned.uniqueIDs))
        case .gitHubSubject: return try context.and(outsidePrefix(owned.gitHubOwners, separator: "/", orEqual: false))
        }
    }
}
