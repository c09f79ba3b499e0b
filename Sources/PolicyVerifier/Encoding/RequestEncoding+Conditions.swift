import PolicyLanguage
import SMT

/// The variables of one condition key.
struct KeyVariables {
    var key: ContextSpace.Key
    var present: Term
    /// How many values the request gives (0…slots).
    var count: Term
    var slots: [SlotVariables]
}

/// One value of a key, in the representation its comparisons need.
struct SlotVariables {
    /// String keys: the value.
    var string: Term?
    /// Typed keys: 0 = a valid value (IP: 0 = IPv4, 1 = IPv6), then empty, then junk (not readable as
    /// the type); see `SlotKind`.
    var kind: Term?
    /// Numbers (scaled by 10^9) and dates (nanoseconds since the epoch).
    var number: Term?
    /// IP addresses, 128 bits; IPv4 in the low 32.
    var address: Term?
}

/// Codes of `SlotVariables.kind`.
enum SlotKind {
    static let valid = 0, ipv6 = 1
    static func empty(_ kind: ContextSpace.ValueKind) -> Int { kind == .ip ? 2 : 1 }
    static func junk(_ kind: ContextSpace.ValueKind) -> Int { kind == .ip ? 3 : 2 }
}

/// The ranges a typed value can take and still be read back by the evaluator.
enum ValueBounds {
    /// |scaled| below 10^33: at most 25 integer digits (PolicyNumber).
    static let numberLimit = "1" + String(repeating: "0", count: 33)
    /// Dates from 1970-01-01 to 9999-12-31T23:59:59.999999999Z, in nanoseconds.
    static let latestDate = "253402300799999999999"
}

extension RequestEncoding {
    func registerConditions(_ statement: Statement) throws(EncodingError) {
        for clause in statement.condition?.clauses ?? [] {
            guard let op = clause.conditionOperator else { continue }
            let kind = try ContextSpace.kind(of: op.base.family, span: clause.operatorName.span)
            try contextKeys.use(clause.key.value, kind: kind, clause: clause, span: clause.key.span)
            if op.base.allowsPolicyVariables {
                for value in clause.values {
                    for variable in value.template.variables {
                        try contextKeys.use(variable.key, kind: .string, span: variable.span)
                    }
                }
            }
        }
    }

    func declareKeys() throws {
        keyVariables = []
        for (index, key) in contextKeys.keys.enumerated() {
            let kind = key.kind ?? .string
            let present = try context.boolConstant("k\(index)_present")
            let count = try context.intConstant("k\(index)_count")
            appendDomain(try context.and([count.ge(context.int(0)), count.le(context.int(key.slots))]), to: .key(index))
            var slots: [SlotVariables] = []
            for slot in 0..<key.slots {
                var variables = SlotVariables()
                let name = "k\(index)_\(slot)"
                switch kind {
                case .string:
                    let value = try context.stringConstant(name)
                    variables.string = value
                case .numeric, .date:
                    let code = try context.intConstant(name + "_kind")
                    let number = try context.intConstant(name + "_value")
                    appendDomain(try bounded(code, 3), to: .key(index))
                    let valid = try code.eq(context.int(SlotKind.valid))
                    if kind == .numeric {
                        let limit = try context.int(decimal: ValueBounds.numberLimit)
                        appendDomain(try valid.implies(context.and([number.lt(limit), number.gt(limit.negated())])), to: .key(index))
                    } else {
                        appendDomain(try valid.implies(context.and([number.ge(context.int(0)), number.le(context.int(decimal: ValueBounds.latestDate))])), to: .key(index))
                    }
                    variables.kind = code
                    variables.number = number
                case .ip:
                    let code = try context.intConstant(name + "_kind")
                    let address = try context.bitVectorConstant(name + "_address", width: 128)
                    appendDomain(try bounded(code, 4), to: .key(index))
                    // IPv4 addresses use the low 32 bits.
                    appendDomain(try code.eq(context.int(SlotKind.valid)).implies(address.extract(high: 127, low: 32).eq(context.bitVector(0, width: 96))), to: .key(index))
                    variables.kind = code
                    variables.address = address
                }
                slots.append(variables)
            }
            keyVariables.append(KeyVariables(key: key, present: present, count: count, slots: slots))
        }
    }

    /// All clauses hold (AND); no block is true.
    func conditionTerm(_ block: ConditionBlock?) throws -> Term {
        guard let block else { return try context.bool(true) }
        return try context.and(block.clauses.map { try clauseTerm($0) })
    }

    /// One clause, following `ConditionEvaluation.evaluate` case by case.
    private func clauseTerm(_ clause: ConditionClause) throws -> Term {
        guard let op = clause.conditionOperator, let index = contextKeys.key(clause.key.value) else { return try context.bool(false) }
        let key = keyVariables[index]
        let kind = key.key.kind ?? .string
        let allEmpty = try context.and(key.slots.enumerated().map { slot, variables in
            try context.int(slot).lt(key.count).implies(isEmpty(variables, kind))
        })
        if op.base == .null {
            switch op.qualifier {
            case .forAllValues?: return try context.bool(true)
            case .forAnyValue?: return try context.bool(false)
            case nil:
                let isNull = try key.present.not().or(allEmpty)
                return try context.or(clause.values.map { value in
                    switch value.text.lowercased() {
                    case "true": isNull
                    case "false": try isNull.not()
                    default: try context.bool(false)
                    }
                })
            }
        }
        let absent: Bool
        if op.ifExists {
            absent = true
        } else {
            switch op.qualifier {
            case .forAllValues?: absent = true
            case .forAnyValue?: absent = false
            case nil: absent = op.base.isNegated
            }
        }
        let matches = try key.slots.map { try valueMatches(op.base, $0, kind: kind, values: clause.values, span: clause.operatorName.span) }
        let used = try key.slots.indices.map { try context.int($0).lt(key.count) }
        let all = try context.and(zip(used, matches).map { try $0.implies($1) })
        let some = try context.or(zip(used, matches).map { try $0.and($1) })
        let present: Term
        switch op.qualifier {
        case .forAllValues?: present = try allEmpty.or(all)
        case .forAnyValue?: present = try allEmpty.not().and(some)
        case nil:
            let single = try key.count.eq(context.int(1)).and(matches[0])
            present = op.base.isNegated ? try single.or(key.count.neq(context.int(1)).and(all)) : single
        }
        return try context.ite(key.present, then: present, else: context.bool(absent))
    }

    private func isEmpty(_ slot: SlotVariables, _ kind: ContextSpace.ValueKind) throws -> Term {
        if let string = slot.string { return try string.eq(context.string("")) }
        return try slot.kind!.eq(context.int(SlotKind.empty(kind)))
    }

    /// One request value against the policy values: some matches (positive), none matches (negated).
    private func valueMatches(_ base: BaseConditionOperator, _ slot: SlotVariables, kind: ContextSpace.ValueKind, values: [ConditionValue], span: SourceSpan) throws -> Term {
        let positive = base.positiveForm
        let any = try context.or(values.map { try compare(positive, slot, kind: kind, $0) })
        return base.isNegated ? try any.not() : any
    }

    /// `ValueComparison.matches` for one value pair.
    private func compare(_ op: BaseConditionOperator, _ slot: SlotVariables, kind: ContextSpace.ValueKind, _ value: ConditionValue) throws -> Term {
        switch op.family {
        case .string:
            let s = slot.string!
            switch op {
            case .stringLike:
                return try strings.matches(s, PatternPieces(value.template, wildcards: true), span: value.span, variable: resolve)
            case .stringEqualsIgnoreCase:
                return try strings.matches(s, PatternPieces(value.template, wildcards: false), caseInsensitive: true, span: value.span, variable: resolve)
            default:
                return try strings.matches(s, PatternPieces(value.template, wildcards: false), span: value.span, variable: resolve)
            }
        case .arn:
            return try arnMatches(slot.string!, PatternPieces(value.template, wildcards: true), span: value.span)
        case .bool:
            let text = value.text.lowercased()
            guard text == "true" || text == "false" else { return try context.bool(false) }
            return try strings.matches(slot.string!, PatternPieces(TemplateString(literal: text), wildcards: false), caseInsensitive: true, span: value.span, variable: resolve)
        case .numeric:
            guard let number = PolicyNumber(value.text) else { return try context.bool(false) }
            return try typedCompare(op, slot, context.int(decimal: String(number.scaled)))
        case .date:
            guard let date = PolicyDate(value.text) else { return try context.bool(false) }
            let nanos = Int128(date.epochSeconds) * 1_000_000_000 + Int128(date.nanoseconds)
            return try typedCompare(op, slot, context.int(decimal: String(nanos)))
        case .ipAddress:
            guard let range = IPAddressRange(value.text) else { return try context.bool(false) }
            return try address(of: slot, in: range)
        case .binary, .null:
            return try context.bool(false)
        }
    }

    /// Whether an IP slot holds an address of `range` (of the same family).
    func address(of slot: SlotVariables, in range: IPAddressRange) throws -> Term {
        let width = range.family.bitWidth
        let family = range.family == .v4 ? SlotKind.valid : SlotKind.ipv6
        let address = width == 32 ? try slot.address!.extract(high: 31, low: 0) : slot.address!
        var maskBytes = [UInt8](repeating: 0, count: width / 8)
        for bit in 0..<range.prefixLength { maskBytes[bit / 8] |= 0x80 >> UInt8(bit % 8) }
        let masked = try address.bvAnd(context.bitVector(bytes: maskBytes, width: width))
        return try context.and([slot.kind!.eq(context.int(family)), masked.eq(context.bitVector(bytes: range.address, width: width))])
    }

    private func typedCompare(_ op: BaseConditionOperator, _ slot: SlotVariables, _ constant: Term) throws -> Term {
        let value = slot.number!
        let relation: Term
        switch op {
        case .numericEquals, .dateEquals: relation = try value.eq(constant)
        case .numericLessThan, .dateLessThan: relation = try value.lt(constant)
        case .numericLessThanEquals, .dateLessThanEquals: relation = try value.le(constant)
        case .numericGreaterThan, .dateGreaterThan: relation = try value.gt(constant)
        case .numericGreaterThanEquals, .dateGreaterThanEquals: relation = try value.ge(constant)
        default: return try context.bool(false)
        }
        return try slot.kind!.eq(context.int(SlotKind.valid)).and(relation)
    }

    /// ARN operators: `*` matches anything; otherwise the value must be an ARN and each of the six
    /// fields match on its own (`ValueComparison.arnMatches`), which one regular expression expresses
    /// because fields before the resource part cannot contain `:`.
    func arnMatches(_ s: Term, _ pattern: PatternPieces, span: SourceSpan) throws -> Term {
        if pattern.pieces == [.star] { return try context.bool(true) }
        // Without wildcards, field-by-field equality of two ARNs is string equality, wherever a variable
        // stands (even if its value holds a colon), as long as the literal text makes an ARN shape.
        if !pattern.hasWildcards, pattern.hasVariables, Array(pattern.pieces.prefix(4)) == "arn:".unicodeScalars.map({ .char($0) }),
            pattern.pieces.filter({ $0 == .char(":") }).count >= 5
        {
            return try strings.matchesWithVariables(s, pattern, span: span, variable: resolve)
        }
        guard let fields = pattern.fields(max: 6) else {
            throw EncodingError.unsupported("a policy variable before the resource part of an ARN condition value", span)
        }
        guard fields.count == 6, let first = fields[0].glob, first.matches("arn") else { return try context.bool(false) }
        let builder = context.regex
        let last = fields[5]
        var parts: [Term] = [try builder.literal("arn:")]
        for index in 1..<6 {
            if index == 5, last.hasVariables {
                parts.append(try builder.star(alphabet))
                continue
            }
            let fieldAlphabet = index < 5 ? colonFreeAlphabet! : alphabet!
            parts.append(try StringMatchEncoder(context: context, alphabet: fieldAlphabet).regex(fields[index], caseInsensitive: false))
            if index < 5 { parts.append(try builder.literal(":")) }
        }
        var conditions = [try s.inRegex(builder.concat(parts)), try s.length().ge(context.int(9))]
        if last.hasVariables {
            // The resource part starts after the fifth colon; the first four fields have none.
            var colon = try context.int(3)
            for _ in 0..<4 { colon = try s.index(of: context.string(":"), from: colon.plus(context.int(1))) }
            let start = try colon.plus(context.int(1))
            let part = try s.substring(from: start, length: s.length().minus(start))
            conditions.append(try strings.matchesWithVariables(part, last, span: span, variable: resolve))
        }
        return try context.and(conditions)
    }

    /// A policy variable: the key's value when the request gives exactly one, else the default.
    func resolve(_ variable: PolicyVariable) throws(EncodingError) -> ResolvedVariable {
        guard let index = contextKeys.key(variable.key) else {
            throw .unsupported("policy variable \(variable.key) was not registered", variable.span)
        }
        do {
            let key = keyVariables[index]
            guard let first = key.slots.first?.string else {
                throw EncodingError.unsupported("policy variable \(variable.key) refers to a key compared as a non-string", variable.span)
            }
            let single = try key.present.and(key.count.eq(context.int(1)))
            if let fallback = variable.defaultValue {
                return ResolvedVariable(value: try context.ite(single, then: first, else: context.string(fallback)), resolves: try context.bool(true))
            }
            return ResolvedVariable(value: first, resolves: single)
        } catch let error as EncodingError {
            throw error
        } catch {
            throw .solver(error)
        }
    }
}
