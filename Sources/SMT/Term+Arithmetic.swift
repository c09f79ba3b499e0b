import CZ3

extension SMTContext {
    /// The integer literal `value`.
    public func int(_ value: Int) throws(SMTError) -> Term {
        let sort = try intSort()
        return try makeTerm("Z3_mk_int64") { Z3_mk_int64($0, Int64(value), sort.raw) }
    }

    /// The integer literal written in decimal, for values beyond `Int`.
    /// Accepts an optional leading `-` followed by one or more ASCII digits;
    /// anything else throws ``SMTError/invalidArgument(_:)``.
    public func int(decimal: String) throws(SMTError) -> Term {
        let digits = decimal.hasPrefix("-") ? decimal.dropFirst() : Substring(decimal)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw .invalidArgument("not a decimal integer: \"\(decimal)\"")
        }
        let sort = try intSort()
        return try makeTerm("Z3_mk_numeral") { Z3_mk_numeral($0, decimal, sort.raw) }
    }

    /// The real literal `numerator / denominator`. Throws
    /// ``SMTError/invalidArgument(_:)`` if `denominator` is zero.
    public func real(_ numerator: Int, _ denominator: Int = 1) throws(SMTError) -> Term {
        guard denominator != 0 else { throw .invalidArgument("real literal with zero denominator") }
        let sort = try realSort()
        return try makeTerm("Z3_mk_numeral") { Z3_mk_numeral($0, "\(numerator)/\(denominator)", sort.raw) }
    }

    /// Sum of arithmetic `terms`, all Int or all Real. `sum([])` is the
    /// integer 0; `sum([x])` is `x`.
    public func sum(_ terms: [Term]) throws(SMTError) -> Term {
        guard let first = terms.first else { return try int(0) }
        try requireArithmetic(terms, "sum")
        if terms.count == 1 { return first }
        return try makeTerm("Z3_mk_add", terms) { Z3_mk_add($0, $1, $2) }
    }

    /// Product of arithmetic `terms`, all Int or all Real. `product([])` is
    /// the integer 1; `product([x])` is `x`.
    public func product(_ terms: [Term]) throws(SMTError) -> Term {
        guard let first = terms.first else { return try int(1) }
        try requireArithmetic(terms, "product")
        if terms.count == 1 { return first }
        return try makeTerm("Z3_mk_mul", terms) { Z3_mk_mul($0, $1, $2) }
    }

    /// Throws unless `terms` are all Int or all Real (and of this context).
    func requireArithmetic(_ terms: [Term], _ operation: String) throws(SMTError) {
        guard let first = terms.first else { return }
        guard first.kind == .int || first.kind == .real else {
            throw .sortMismatch(operation: operation, expected: "Int or Real", actual: first.kind.description)
        }
        try require(terms, are: first.kind, operation)
    }
}

extension Term {
    /// `self + other` (both Int or both Real).
    public func plus(_ other: Term) throws(SMTError) -> Term {
        try context.sum([self, other])
    }

    /// `self - other` (both Int or both Real).
    public func minus(_ other: Term) throws(SMTError) -> Term {
        try context.requireArithmetic([self, other], "minus")
        return try context.makeTerm("Z3_mk_sub", [self, other]) { Z3_mk_sub($0, $1, $2) }
    }

    /// `self * other` (both Int or both Real).
    public func times(_ other: Term) throws(SMTError) -> Term {
        try context.product([self, other])
    }

    /// `-self` (Int or Real).
    public func negated() throws(SMTError) -> Term {
        try context.requireArithmetic([self], "negated")
        return try context.makeTerm("Z3_mk_unary_minus") { Z3_mk_unary_minus($0, raw) }
    }

    /// `self < other` (both Int or both Real).
    public func lt(_ other: Term) throws(SMTError) -> Term {
        try context.requireArithmetic([self, other], "lt")
        return try context.makeTerm("Z3_mk_lt") { Z3_mk_lt($0, raw, other.raw) }
    }

    /// `self ≤ other` (both Int or both Real).
    public func le(_ other: Term) throws(SMTError) -> Term {
        try context.requireArithmetic([self, other], "le")
        return try context.makeTerm("Z3_mk_le") { Z3_mk_le($0, raw, other.raw) }
    }

    /// `self > other` (both Int or both Real).
    public func gt(_ other: Term) throws(SMTError) -> Term {
        try context.requireArithmetic([self, other], "gt")
        return try context.makeTerm("Z3_mk_gt") { Z3_mk_gt($0, raw, other.raw) }
    }

    /// `self ≥ other` (both Int or both Real).
    public func ge(_ other: Term) throws(SMTError) -> Term {
        try context.requireArithmetic([self, other], "ge")
        return try context.makeTerm("Z3_mk_ge") { Z3_mk_ge($0, raw, other.raw) }
    }
}
