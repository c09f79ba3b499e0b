import PolicyLanguage

/// The condition keys a query reads, and how each key's values must be represented.
///
/// A request may give any key any number of values. Each key is encoded as a presence flag, a count
/// and `slots` values; the count is bounded without losing exactness: every clause's truth depends on
/// at most one witness value (ForAnyValue true, ForAllValues false, a negated plain operator false),
/// on whether the count is 0, 1 or more, and on whether all values are empty, so `clauses + 3` values
/// realise every combination a request with more values could.
struct ContextSpace {
    /// How a key's values are compared, which fixes their representation.
    enum ValueKind: String {
        /// Strings: String, ARN and Bool operators, policy variables.
        case string
        /// Numbers (scaled integers).
        case numeric
        /// Dates (nanoseconds since the epoch).
        case date
        /// IP addresses (bit-vectors).
        case ip
    }

    struct Key {
        /// Lower-cased; IAM compares key names case-insensitively.
        var name: String
        /// As first written, for counterexamples.
        var displayName: String
        var kind: ValueKind?
        var clauses = 0
        var firstSpan: SourceSpan
        var slots: Int { clauses + 3 }
    }

    private(set) var keys: [Key] = []
    private var index: [String: Int] = [:]

    /// Registers a use of `key` needing `kind` (nil: presence only, as `Null` needs).
    mutating func use(_ key: String, kind: ValueKind?, isClause: Bool, span: SourceSpan) throws(EncodingError) {
        let name = key.lowercased()
        let position: Int
        if let known = index[name] {
            position = known
        } else {
            keys.append(Key(name: name, displayName: key, kind: nil, firstSpan: span))
            position = keys.count - 1
            index[name] = position
        }
        if isClause { keys[position].clauses += 1 }
        guard let kind else { return }
        if let existing = keys[position].kind, existing != kind {
            throw .unsupported("\(key) is compared both as \(existing.rawValue) and as \(kind.rawValue)", span)
        }
        keys[position].kind = kind
    }

    func key(_ name: String) -> Int? { index[name.lowercased()] }

    /// The representation an operator family needs; `nil` for `Null`. Binary comparisons are not
    /// encoded (base64 admits several spellings of one value).
    static func kind(of family: ConditionOperatorFamily, span: SourceSpan) throws(EncodingError) -> ValueKind? {
        switch family {
        case .string, .arn, .bool: .string
        case .numeric: .numeric
        case .date: .date
        case .ipAddress: .ip
        case .null: nil
        case .binary: throw .unsupported("BinaryEquals", span)
        }
    }
}
