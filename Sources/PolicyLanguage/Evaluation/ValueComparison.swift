/// The comparison of one request value with one policy value by a positive operator
/// (SEMANTICS.md §3 "Operators"). A value that cannot be read as the operator's type never matches.
enum ValueComparison {
    static func matches(_ op: BaseConditionOperator, _ requestValue: String, _ policyValue: ConditionValue, _ context: RequestContext) -> Bool {
        switch op.family {
        case .string:
            switch op {
            case .stringLike:
                guard let glob = policyValue.template.glob(in: context, wildcards: true) else { return false }
                return glob.matches(requestValue)
            case .stringEqualsIgnoreCase:
                guard let text = policyValue.template.resolvedText(in: context) else { return false }
                return text.lowercased() == requestValue.lowercased()
            default:
                guard let text = policyValue.template.resolvedText(in: context) else { return false }
                return text == requestValue
            }
        case .arn:
            guard let glob = policyValue.template.glob(in: context, wildcards: true) else { return false }
            return arnMatches(glob, requestValue)
        case .numeric:
            guard let left = PolicyNumber(requestValue), let right = PolicyNumber(policyValue.text) else { return false }
            return compare(op, left, right)
        case .date:
            guard let left = PolicyDate(requestValue), let right = PolicyDate(policyValue.text) else { return false }
            return compare(op, left, right)
        case .bool:
            let left = requestValue.lowercased()
            let right = policyValue.text.lowercased()
            return (left == "true" || left == "false") && left == right
        case .binary:
            guard let left = Base64.decode(requestValue), let right = Base64.decode(policyValue.text) else { return false }
            return left == right
        case .ipAddress:
            guard let range = IPAddressRange(policyValue.text) else { return false }
            if let address = IPAddressRange.parseAddress(requestValue) { return range.contains(address) }
            if let requestRange = IPAddressRange(requestValue) { return range.contains(requestRange) }
            return false
        case .null:
            return false
        }
    }

    /// ARN operators match each of the six colon-separated fields on its own, so `*` never crosses the
    /// colons between fields; the resource field (after the fifth colon) is one glob.
    static func arnMatches(_ pattern: GlobPattern, _ value: String) -> Bool {
        if pattern.tokens == [.star] { return true }
        guard let valueFields = ARNFields(value) else { return false }
        let fields = pattern.fields(max: 6)
        guard fields.count == 6, fields[0].matches("arn") else { return false }
        let values = [valueFields.partition, valueFields.service, valueFields.region, valueFields.account, valueFields.resource]
        return values.indices.allSatisfy { fields[$0 + 1].matches(values[$0]) }
    }

    private static func compare<T: Comparable>(_ op: BaseConditionOperator, _ left: T, _ right: T) -> Bool {
        switch op {
        case .numericEquals, .dateEquals: left == right
        case .numericLessThan, .dateLessThan: left < right
        case .numericLessThanEquals, .dateLessThanEquals: left <= right
        case .numericGreaterThan, .dateGreaterThan: left > right
        case .numericGreaterThanEquals, .dateGreaterThanEquals: left >= right
        default: false
        }
    }
}

/// Strict base64 (RFC 4648, with padding) decoding without Foundation.
enum Base64 {
    static func decode(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard bytes.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 4 * 3)
        var index = 0
        while index < bytes.count {
            var quad: [UInt32] = []
            var padding = 0
            for byte in bytes[index..<(index + 4)] {
                if byte == UInt8(ascii: "=") {
                    padding += 1
                    quad.append(0)
                    continue
                }
                guard padding == 0, let value = sextet(byte) else { return nil }
                quad.append(value)
            }
            guard padding <= 2, padding == 0 || index + 4 == bytes.count else { return nil }
            let combined = quad[0] << 18 | quad[1] << 12 | quad[2] << 6 | quad[3]
            output.append(UInt8(combined >> 16 & 0xFF))
            if padding < 2 { output.append(UInt8(combined >> 8 & 0xFF)) }
            if padding < 1 { output.append(UInt8(combined & 0xFF)) }
            index += 4
        }
        return output
    }

    private static func sextet(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(byte - UInt8(ascii: "a") + 26)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0") + 52)
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
