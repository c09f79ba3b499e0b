import PolicyLanguage

/// The condition keys a query reads, and how each key's values must be represented.
///
/// A request may give any key any number of values. Each key is encoded as a presence flag, a count
/// and `slots` values; the count is bounded without losing exactness. A plain positive operator reads
/// only a single value; every other clause's truth depends on at most one witness value (ForAnyValue
/// true, ForAllValues false, a negated plain operator false on several values); beyond that only
/// whether the count is 0, 1 or more and whether all values are empty matter. So 3 values plus one per
/// distinct qualified or negated clause realise every combination a request with more values could.
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
        /// Distinct clauses (operator and values) that may need a witness value of their own.
        var witnessClauses: Set<String> = []
        var firstSpan: SourceSpan
        var slots: Int { witnessClauses.count + 3 }
    }

    private(set) var keys: [Key] = []
    private var index: [String: Int] = [:]

    /// Registers a use of `key` needing `kind` (nil: presence only, as `Null` needs).
    mutating func use(_ key: String, kind: ValueKind?, clause: ConditionClause? = nil, span: SourceSpan) throws(EncodingError) {
        let name = key.lowercased()
        let position: Int
        if let known = index[name] {
            position = known
        } else {
            keys.append(Key(name: name, displayName: key, kind: nil, firstSpan: span))
            position = keys.count - 1
            index[name] = position
        }
        if let clause, let op = clause.conditionOperator, op.qualifier != nil || op.base.isNegated {
            keys[position].witnessClauses.insert("\(op)|" + clause.values.map(\.text).joined(separator: "\u{0}"))
        }
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
