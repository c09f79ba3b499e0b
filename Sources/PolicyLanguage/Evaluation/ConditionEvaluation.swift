/// Evaluates `Condition` blocks against a request's context (SEMANTICS.md §3).
enum ConditionEvaluation {
    /// Why one clause held or not, for traces.
    struct ClauseOutcome: Sendable {
        var clause: ConditionClause
        var holds: Bool
        /// The request's values for the clause's key; `nil` when absent.
        var entry: RequestContext.Entry?

        /// A short explanation: the request's values, or that the key is absent. Built only when a
        /// trace asks for it, so evaluation without `explain` does no formatting.
        var reason: String {
            let key = clause.key.value
            guard clause.conditionOperator != nil else { return "unknown operator \(clause.operatorName.value)" }
            guard let entry else { return "\(key) is absent" }
            if entry.isSet || entry.values.count != 1 {
                return "\(key) is [\(entry.values.map { "\"\($0)\"" }.joined(separator: ", "))]"
            }
            return "\(key) is \"\(entry.values[0])\""
        }
    }

    /// All clauses must hold (AND). Returns the outcome of each clause evaluated, stopping at the
    /// first that fails.
    static func evaluate(_ block: ConditionBlock?, context: RequestContext) -> (holds: Bool, outcomes: [ClauseOutcome]) {
        guard let block else { return (true, []) }
        var outcomes: [ClauseOutcome] = []
        for clause in block.clauses {
            let outcome = evaluate(clause, context: context)
            outcomes.append(outcome)
            if !outcome.holds { return (false, outcomes) }
        }
        return (true, outcomes)
    }

    static func evaluate(_ clause: ConditionClause, context: RequestContext) -> ClauseOutcome {
        let entry = context.entry(clause.key.value)
        guard let op = clause.conditionOperator else {
            // An unknown operator cannot hold; validation reports it as an error.
            return ClauseOutcome(clause: clause, holds: false, entry: entry)
        }
        return ClauseOutcome(clause: clause, holds: evaluate(op, values: clause.values, entry: entry, context: context), entry: entry)
    }

    static func evaluate(_ op: ConditionOperator, values: [ConditionValue], entry: RequestContext.Entry?, context: RequestContext) -> Bool {
        if op.base == .null {
            switch op.qualifier {
            case .forAllValues?: return true
            case .forAnyValue?: return false
            case nil:
                // A key whose values are an empty data set counts as null: AWS recommends `Null: false` to
                // keep "missing context keys or context keys with empty values" from satisfying
                // ForAllValues, which only works if an empty value is null.
                let isNull = entry?.isEmptyDataSet ?? true
                return values.contains { value in
                    switch value.text.lowercased() {
                    case "true": isNull
                    case "false": !isNull
                    default: false
                    }
                }
            }
        }
        guard let entry else {
            if op.ifExists { return true }
            switch op.qualifier {
            case .forAllValues?: return true
            case .forAnyValue?: return false
            case nil: return op.base.isNegated
            }
        }
        let requestValues = entry.values
        switch op.qualifier {
        case .forAllValues?:
            // "If the key values in the request resolve to an empty data set (for example, an empty
            // string), a condition operator modified by ForAllValues returns true, and a condition operator
            // modified by ForAnyValue returns false" ([UG:reference_policies_multi-value-conditions]).
            if entry.isEmptyDataSet { return true }
            return requestValues.allSatisfy { matchesKeyValue(op.base, $0, values, context) }
        case .forAnyValue?:
            if entry.isEmptyDataSet { return false }
            return requestValues.contains { matchesKeyValue(op.base, $0, values, context) }
        case nil:
            // A plain operator on a set of several values is undocumented; IAM Access Analyzer calls it
            // an error ("missing qualifier"). Positive operators treat it as no match; negated ones
            // require that no request value matches (the safe reading for Deny statements).
            if requestValues.count == 1 { return matchesKeyValue(op.base, requestValues[0], values, context) }
            if op.base.isNegated {
                return requestValues.allSatisfy { matchesKeyValue(op.base, $0, values, context) }
            }
            return false
        }
    }

    /// One request value against the policy values: positive operators need some policy value to
    /// match; negated operators need none of them to match the positive comparison ("NOR").
    static func matchesKeyValue(_ base: BaseConditionOperator, _ requestValue: String, _ policyValues: [ConditionValue], _ context: RequestContext) -> Bool {
        let positive = base.positiveForm
        let anyMatch = policyValues.contains { ValueComparison.matches(positive, requestValue, $0, context) }
        return base.isNegated ? !anyMatch : anyMatch
    }
}

extension RequestContext.Entry {
    /// Whether the key's values are an empty data set: no values at all, or only empty strings. Set
    /// qualifiers and `Null` treat such a key like a missing one; plain operators still compare an empty
    /// string as a value.
    var isEmptyDataSet: Bool { values.allSatisfy(\.isEmpty) }
}

extension BaseConditionOperator {
    /// The positive operator whose negation this is (`StringNotLike` → `StringLike`); itself otherwise.
    public var positiveForm: BaseConditionOperator {
        switch self {
        case .stringNotEquals: .stringEquals
        case .stringNotEqualsIgnoreCase: .stringEqualsIgnoreCase
        case .stringNotLike: .stringLike
        case .numericNotEquals: .numericEquals
        case .dateNotEquals: .dateEquals
        case .notIpAddress: .ipAddress
        case .arnNotEquals: .arnEquals
        case .arnNotLike: .arnLike
        default: self
        }
    }
}
