/// A condition operator: a base operator with an optional set qualifier (`ForAllValues:` /
/// `ForAnyValue:`) and an optional `IfExists` suffix. Names are case-sensitive, as IAM writes them.
public struct ConditionOperator: Sendable, Hashable, CustomStringConvertible {
    public var qualifier: SetQualifier?
    public var base: BaseConditionOperator
    public var ifExists: Bool

    public init(qualifier: SetQualifier? = nil, base: BaseConditionOperator, ifExists: Bool = false) {
        self.qualifier = qualifier
        self.base = base
        self.ifExists = ifExists
    }

    /// Reads an operator name such as `ForAnyValue:StringLikeIfExists`; `nil` when it is not one.
    public init?(name: String) {
        var rest = Substring(name)
        if let colon = rest.firstIndex(of: ":") {
            guard let qualifier = SetQualifier(rawValue: String(rest[..<colon])) else { return nil }
            self.qualifier = qualifier
            rest = rest[rest.index(after: colon)...]
        } else {
            self.qualifier = nil
        }
        if let base = BaseConditionOperator(rawValue: String(rest)) {
            self.base = base
            self.ifExists = false
        } else if rest.hasSuffix("IfExists"),
            let base = BaseConditionOperator(rawValue: String(rest.dropLast("IfExists".count)))
        {
            self.base = base
            self.ifExists = true
        } else {
            return nil
        }
    }

    /// The operator's name as IAM writes it.
    public var description: String {
        (qualifier.map { $0.rawValue + ":" } ?? "") + base.rawValue + (ifExists ? "IfExists" : "")
    }
}

/// `ForAllValues` or `ForAnyValue`: how a multivalued request key is compared.
public enum SetQualifier: String, Sendable, Hashable, CaseIterable {
    case forAllValues = "ForAllValues"
    case forAnyValue = "ForAnyValue"
}

/// The families of condition operators; a family fixes how values are read and compared.
public enum ConditionOperatorFamily: String, Sendable, Hashable, CaseIterable {
    case string = "String"
    case numeric = "Numeric"
    case date = "Date"
    case bool = "Bool"
    case binary = "Binary"
    case ipAddress = "IP address"
    case arn = "ARN"
    case null = "Null"
}

/// Every base condition operator of IAM (SEMANTICS.md §3).
public enum BaseConditionOperator: String, Sendable, Hashable, CaseIterable {
    case stringEquals = "StringEquals"
    case stringNotEquals = "StringNotEquals"
    case stringEqualsIgnoreCase = "StringEqualsIgnoreCase"
    case stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
    case stringLike = "StringLike"
    case stringNotLike = "StringNotLike"
    case numericEquals = "NumericEquals"
    case numericNotEquals = "NumericNotEquals"
    case numericLessThan = "NumericLessThan"
    case numericLessThanEquals = "NumericLessThanEquals"
    case numericGreaterThan = "NumericGreaterThan"
    case numericGreaterThanEquals = "NumericGreaterThanEquals"
    case dateEquals = "DateEquals"
    case dateNotEquals = "DateNotEquals"
    case dateLessThan = "DateLessThan"
    case dateLessThanEquals = "DateLessThanEquals"
    case dateGreaterThan = "DateGreaterThan"
    case dateGreaterThanEquals = "DateGreaterThanEquals"
    case bool = "Bool"
    case binaryEquals = "BinaryEquals"
    case ipAddress = "IpAddress"
    case notIpAddress = "NotIpAddress"
    case arnEquals = "ArnEquals"
    case arnLike = "ArnLike"
    case arnNotEquals = "ArnNotEquals"
    case arnNotLike = "ArnNotLike"
    case null = "Null"

    public var family: ConditionOperatorFamily {
        switch self {
        case .stringEquals, .stringNotEquals, .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase,
            .stringLike, .stringNotLike:
            return .string
        case .numericEquals, .numericNotEquals, .numericLessThan, .numericLessThanEquals,
            .numericGreaterThan, .numericGreaterThanEquals:
            return .numeric
        case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan,
            .dateGreaterThanEquals:
            return .date
        case .bool: return .bool
        case .binaryEquals: return .binary
        case .ipAddress, .notIpAddress: return .ipAddress
        case .arnEquals, .arnLike, .arnNotEquals, .arnNotLike: return .arn
        case .null: return .null
        }
    }

    /// Negated operators hold when no policy value matches ("NOR"), and hold when the key is missing.
    public var isNegated: Bool {
        switch self {
        case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .numericNotEquals,
            .dateNotEquals, .notIpAddress, .arnNotEquals, .arnNotLike:
            return true
        default:
            return false
        }
    }

    /// Whether `*` and `?` in policy values are wildcards.
    public var usesWildcards: Bool {
        switch self {
        case .stringLike, .stringNotLike, .arnEquals, .arnLike, .arnNotEquals, .arnNotLike: return true
        default: return false
        }
    }

    /// Whether policy variables may appear in the values (String and ARN operators only).
    public var allowsPolicyVariables: Bool { family == .string || family == .arn }
}
