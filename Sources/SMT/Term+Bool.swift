import CZ3

extension SMTContext {
    /// The Boolean literal `value`.
    public func bool(_ value: Bool) throws(SMTError) -> Term {
        if value {
            return try makeTerm("Z3_mk_true") { Z3_mk_true($0) }
        }
        return try makeTerm("Z3_mk_false") { Z3_mk_false($0) }
    }

    /// Conjunction of Bool `terms`. `and([])` is `true`; `and([x])` is `x`.
    /// Throws ``SMTError/sortMismatch(operation:expected:actual:)`` if any
    /// term is not Bool.
    public func and(_ terms: [Term]) throws(SMTError) -> Term {
        try require(terms, are: .bool, "and")
        switch terms.count {
        case 0: return try bool(true)
        case 1: return terms[0]
        default: return try makeTerm("Z3_mk_and", terms) { Z3_mk_and($0, $1, $2) }
        }
    }

    /// Disjunction of Bool `terms`. `or([])` is `false`; `or([x])` is `x`.
    /// Throws ``SMTError/sortMismatch(operation:expected:actual:)`` if any
    /// term is not Bool.
    public func or(_ terms: [Term]) throws(SMTError) -> Term {
        try require(terms, are: .bool, "or")
        switch terms.count {
        case 0: return try bool(false)
        case 1: return terms[0]
        default: return try makeTerm("Z3_mk_or", terms) { Z3_mk_or($0, $1, $2) }
        }
    }
}

extension Term {
    /// Boolean negation. `self` must be Bool.
    public func not() throws(SMTError) -> Term {
        try context.require([self], are: .bool, "not")
        return try context.makeTerm("Z3_mk_not") { Z3_mk_not($0, raw) }
    }

    /// `self ∧ other`. Both must be Bool.
    public func and(_ other: Term) throws(SMTError) -> Term {
        try context.and([self, other])
    }

    /// `self ∨ other`. Both must be Bool.
    public func or(_ other: Term) throws(SMTError) -> Term {
        try context.or([self, other])
    }

    /// `self ⇒ other`. Both must be Bool.
    public func implies(_ other: Term) throws(SMTError) -> Term {
        try context.require([self, other], are: .bool, "implies")
        return try context.makeTerm("Z3_mk_implies") { Z3_mk_implies($0, raw, other.raw) }
    }

    /// `self ⇔ other`. Both must be Bool.
    public func iff(_ other: Term) throws(SMTError) -> Term {
        try context.require([self, other], are: .bool, "iff")
        return try context.makeTerm("Z3_mk_iff") { Z3_mk_iff($0, raw, other.raw) }
    }

    /// `self ⊕ other` (exclusive or). Both must be Bool.
    public func xor(_ other: Term) throws(SMTError) -> Term {
        try context.require([self, other], are: .bool, "xor")
        return try context.makeTerm("Z3_mk_xor") { Z3_mk_xor($0, raw, other.raw) }
    }
}
