/// Rules about `Condition` blocks: operator names, value formats, keys and set qualifiers
/// (SEMANTICS.md §3 and IAM Access Analyzer's condition checks).
enum ConditionRules {
    static let unknownOperator = FindingCode("UNKNOWN_CONDITION_OPERATOR")
    static let nullWithIfExists = FindingCode("NULL_WITH_IF_EXISTS")
    static let nullWithQualifier = FindingCode("NULL_WITH_QUALIFIER")
    static let invalidNullValue = FindingCode("INVALID_NULL_VALUE")
    static let invalidNumericValue = FindingCode("INVALID_NUMERIC_VALUE")
    static let invalidDateValue = FindingCode("INVALID_DATE_VALUE")
    static let invalidBoolValue = FindingCode("INVALID_BOOL_VALUE")
    static let invalidIPValue = FindingCode("INVALID_IP_VALUE")
    static let invalidBinaryValue = FindingCode("INVALID_BINARY_VALUE")
    static let invalidARNValue = FindingCode("INVALID_ARN_VALUE")
    static let variableNotAllowed = FindingCode("VARIABLE_NOT_ALLOWED_IN_OPERATOR")
    static let wildcardInStringEquals = FindingCode("WILDCARD_IN_STRING_EQUALS")
    static let emptyConditionValues = FindingCode("EMPTY_CONDITION_VALUES")
    static let unknownConditionKey = FindingCode("UNKNOWN_CONDITION_KEY")
    static let conditionTypeMismatch = FindingCode("CONDITION_TYPE_MISMATCH")
    static let missingQualifier = FindingCode("MISSING_QUALIFIER")
    static let forAllValuesSingleValued = FindingCode("FOR_ALL_VALUES_SINGLE_VALUED")
    static let forAnyValueSingleValued = FindingCode("FOR_ANY_VALUE_SINGLE_VALUED")
    static let duplicateConditionKey = FindingCode("DUPLICATE_CONDITION_KEY")
    static let privateIPOnly = FindingCode("PRIVATE_IP_ONLY")

    static let codes = [
        unknownOperator, nullWithIfExists, nullWithQualifier, invalidNullValue, invalidNumericValue, invalidDateValue,
        invalidBoolValue, invalidIPValue, invalidBinaryValue, invalidARNValue, variableNotAllowed, wildcardInStringEquals,
        emptyConditionValues, unknownConditionKey, conditionTypeMismatch, missingQualifier, forAllValuesSingleValued,
        forAnyValueSingleValued, duplicateConditionKey, privateIPOnly,
    ]

    static func check(_ statement: Statement, _ context: inout ValidationContext) {
        guard let block = statement.condition else { return }
        var keysByOperator: [String: [String: SourceSpan]] = [:]
        for clause in block.clauses {
            let lowered = clause.key.value.lowercased()
            if let first = keysByOperator[clause.operatorName.value]?[lowered] {
                context.report(duplicateConditionKey, .error, "condition key \"\(clause.key.value)\" appears twice under \(clause.operatorName.value) (key names are case-insensitive)", at: clause.key.span, notes: [Finding.Note("first written here", at: first)])
            } else {
                keysByOperator[clause.operatorName.value, default: [:]][lowered] = clause.key.span
            }
            guard let conditionOperator = clause.conditionOperator else {
                reportUnknownOperator(clause.operatorName, &context)
                continue
            }
            checkOperator(conditionOperator, clause, &context)
            checkValues(conditionOperator, clause, &context)
            checkKey(conditionOperator, clause, statement, &context)
        }
    }

    private static func reportUnknownOperator(_ name: Located<String>, _ context: inout ValidationContext) {
        var message = "\"\(name.value)\" is not a condition operator"
        let lowered = name.value.lowercased()
        let candidates = SetQualifier.allCases.map { $0.rawValue + ":" } + [""]
        outer: for prefix in candidates {
            for base in BaseConditionOperator.allCases {
                for suffix in ["", "IfExists"] where (prefix + base.rawValue + suffix).lowercased() == lowered {
                    message += "; operator names are case-sensitive: did you mean \"\(prefix + base.rawValue + suffix)\"?"
                    break outer
                }
            }
        }
        context.report(unknownOperator, .error, message, at: name.span)
    }

    private static func checkOperator(_ op: ConditionOperator, _ clause: ConditionClause, _ context: inout ValidationContext) {
        guard op.base == .null else { return }
        if op.ifExists {
            context.report(nullWithIfExists, .error, "NullIfExists is not an operator: Null already tests whether the key exists", at: clause.operatorName.span)
        }
        if let qualifier = op.qualifier {
            let outcome = qualifier == .forAllValues ? "always holds" : "never holds"
            context.report(nullWithQualifier, .warning, "\(qualifier.rawValue):Null \(outcome); use Null without a set qualifier", at: clause.operatorName.span)
        }
    }

    private static func checkValues(_ op: ConditionOperator, _ clause: ConditionClause, _ context: inout ValidationContext) {
        if clause.valuesWereArray, clause.values.isEmpty {
            context.report(emptyConditionValues, .suggestion, "condition key \(clause.key.value) lists no values: a positive operator never holds and a negated one always holds", at: clause.valuesSpan)
        }
        let family = op.base.family
        for value in clause.values {
            if value.template.hasVariables {
                if !op.base.allowsPolicyVariables {
                    context.report(variableNotAllowed, .error, "policy variables are allowed only with String and ARN operators, not \(op.base.rawValue)", at: value.span)
                }
                continue
            }
            let text = value.text
            switch family {
            case .string:
                if !op.base.usesWildcards, text.contains(where: { $0 == "*" || $0 == "?" }) {
                    context.report(wildcardInStringEquals, .warning, "\(op.base.rawValue) compares \"\(text)\" literally, so * and ? are not wildcards here; use StringLike if you meant a pattern", at: value.span)
                }
            case .numeric:
                if PolicyNumber(text) == nil {
                    context.report(invalidNumericValue, .error, "\"\(text)\" is not a number (integer or decimal)", at: value.span)
                }
            case .date:
                if PolicyDate(text) == nil {
                    context.report(invalidDateValue, .error, "\"\(text)\" is not a date: use ISO 8601 (2026-01-31T12:00:00Z) or epoch seconds", at: value.span)
                }
            case .bool:
                if text.lowercased() != "true", text.lowercased() != "false" {
                    context.report(invalidBoolValue, .error, "Bool compares with \"true\" or \"false\", found \"\(text)\"", at: value.span)
                }
            case .null:
                if text.lowercased() != "true", text.lowercased() != "false" {
                    context.report(invalidNullValue, .error, "Null takes \"true\" (the key is absent) or \"false\" (the key is present), found \"\(text)\"", at: value.span)
                }
            case .ipAddress:
                if IPAddressRange(text) == nil {
                    context.report(invalidIPValue, .error, "\"\(text)\" is not an IPv4 or IPv6 address or CIDR block", at: value.span)
                }
            case .binary:
                if !isBase64(text) {
                    context.report(invalidBinaryValue, .error, "BinaryEquals takes a base64-encoded value, found \"\(text)\"", at: value.span)
                }
            case .arn:
                if text != "*", ARNFields(text) == nil {
                    context.report(invalidARNValue, .warning, "\(op.base.rawValue) compares ARNs field by field, but \"\(text)\" is not an ARN (arn:partition:service:region:account:resource)", at: value.span)
                }
            }
        }
        if clause.key.value.lowercased() == "aws:sourceip", op.base == .ipAddress, !clause.values.isEmpty {
            let ranges = clause.values.compactMap { IPAddressRange($0.text) }
            if ranges.count == clause.values.count, ranges.allSatisfy(\.isRFC1918Private) {
                context.report(privateIPOnly, .error, "aws:SourceIp holds only public addresses; requests from these private (RFC 1918) ranges reach AWS through a VPC endpoint and carry aws:VpcSourceIp instead, so this condition never holds", at: clause.valuesSpan)
            }
        }
    }

    private static func checkKey(_ op: ConditionOperator, _ clause: ConditionClause, _ statement: Statement, _ context: inout ValidationContext) {
        guard let catalog = context.catalog else { return }
        guard let info = catalog.conditionKey(clause.key.value) else {
            context.report(unknownConditionKey, .warning, "\"\(clause.key.value)\" is not a known global, service or identity-provider condition key", at: clause.key.span)
            return
        }
        if op.base.family != .null, let expected = compatibleFamilies(info.type), !expected.contains(op.base.family) {
            let names = expected.map(\.rawValue).sorted().joined(separator: " or ")
            context.report(conditionTypeMismatch, .warning, "\(info.name) is of type \(info.type.rawValue), so \(op.base.rawValue) cannot compare it meaningfully; use a \(names) operator", at: clause.operatorName.span, notes: [Finding.Note("the key", at: clause.key.span)])
        }
        guard op.base != .null else { return }
        switch (op.qualifier, info.isMultivalued) {
        case (nil, true):
            // AWS's docs say multivalued keys "require" a set operator, yet IAM accepts policies
            // without one (four AWS managed policies use plain StringEquals on events:* keys), so it is
            // not an error. In a Deny it is a security risk: the Deny may not apply to a request with
            // several values.
            let isDeny = statement.effect?.value == .deny
            context.report(missingQualifier, isDeny ? .securityWarning : .warning, "\(info.name) is multivalued: say how its values are compared with ForAnyValue:\(op.base.rawValue) or ForAllValues:\(op.base.rawValue)\(isDeny ? "; without one this Deny may not apply to requests with several values" : "")", at: clause.operatorName.span)
        case (.forAllValues?, false):
            context.report(forAllValuesSingleValued, .securityWarning, "ForAllValues with the single-valued key \(info.name) also holds when the key is absent; use \(op.base.rawValue) without a qualifier", at: clause.operatorName.span)
        case (.forAnyValue?, false):
            context.report(forAnyValueSingleValued, .warning, "ForAnyValue is meant for multivalued keys; \(info.name) is single-valued, so use \(op.base.rawValue) without a qualifier", at: clause.operatorName.span)
        default: break
        }
    }

    /// The operator families that can compare a key of `type`; `nil` when any may.
    private static func compatibleFamilies(_ type: ConditionKeyType) -> Set<ConditionOperatorFamily>? {
        switch type {
        case .string: return [.string]
        case .arn: return [.arn, .string]
        case .numeric: return [.numeric]
        case .date: return [.date]
        case .bool: return [.bool]
        case .ipAddress: return [.ipAddress]
        case .binary: return [.binary]
        default: return nil
        }
    }

    private static func isBase64(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count % 4 == 0 else { return false }
        let padding = bytes.reversed().prefix { $0 == UInt8(ascii: "=") }.count
        guard padding <= 2 else { return false }
        return bytes.dropLast(padding).allSatisfy { byte in
            (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 43 || byte == 47
        }
    }
}
