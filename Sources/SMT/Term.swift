import CZ3

/// A Z3 expression (AST) of a known sort.
///
/// Guarantees:
/// - Owns exactly one Z3 reference (`Z3_inc_ref` on creation, `Z3_dec_ref`
///   in `deinit`) and keeps its ``SMTContext`` alive.
/// - ``kind`` is the term's sort, computed once at creation; every checked
///   operation compares kinds before calling Z3 and throws
///   ``SMTError/sortMismatch(operation:expected:actual:)`` on a mismatch.
/// - Immutable; not `Sendable` (confined to its context's thread).
public final class Term: CustomStringConvertible {
    /// The context that created this term.
    public let context: SMTContext
    let raw: Z3_ast
    /// The sort of this term.
    public let kind: SortKind

    init(context: SMTContext, raw: Z3_ast, kind: SortKind) {
        self.context = context
        self.raw = raw
        self.kind = kind
        Z3_inc_ref(context.raw, raw)
    }

    deinit {
        Z3_dec_ref(context.raw, raw)
    }

    /// The Z3 sort object of this term.
    public func sort() throws(SMTError) -> Sort {
        try context.adoptSort("Z3_get_sort") { Z3_get_sort($0, raw) }
    }

    /// Z3's SMT-LIB rendering of the term (`Z3_ast_to_string`), for debugging
    /// only: string literals use Z3's escaping, which is ambiguous.
    public var description: String {
        do {
            return try context.string("Z3_ast_to_string", Z3_ast_to_string(context.raw, raw))
        } catch {
            return "<\(error)>"
        }
    }

    /// Whether the two terms are the same Z3 AST (structural identity after
    /// Z3's hash-consing; not semantic equivalence).
    public func isIdentical(to other: Term) -> Bool {
        context === other.context && Z3_is_eq_ast(context.raw, raw, other.raw)
    }

    /// The result of Z3's rewriter (`Z3_simplify`): an equivalent term, with
    /// ground sub-terms evaluated where Z3 can.
    public func simplified() throws(SMTError) -> Term {
        try context.retryingIfCanceled { () throws(SMTError) -> Term in
            try context.makeTerm("Z3_simplify") { Z3_simplify($0, raw) }
        }
    }

    /// `self = other`. Both terms must have the same sort.
    public func eq(_ other: Term) throws(SMTError) -> Term {
        try context.requireSameSort(self, other, "eq")
        return try context.makeTerm("Z3_mk_eq") { Z3_mk_eq($0, raw, other.raw) }
    }

    /// `self ≠ other`. Both terms must have the same sort.
    public func neq(_ other: Term) throws(SMTError) -> Term {
        try eq(other).not()
    }
}

@available(*, unavailable, message: "Terms are confined to their context's thread")
extension Term: Sendable {}

extension SMTContext {
    /// The constant named `name` of `sort`. Z3 identifies constants by name
    /// and sort: calling this twice with the same arguments yields the same
    /// constant.
    public func constant(_ name: String, _ sort: Sort) throws(SMTError) -> Term {
        try requireOwned(sort)
        let symbol = try symbol(name)
        return try makeTerm("Z3_mk_const") { Z3_mk_const($0, symbol, sort.raw) }
    }

    /// A constant of `sort` guaranteed distinct from every other constant
    /// (Z3 appends a unique suffix to `prefix`).
    public func freshConstant(prefix: String = "fresh", _ sort: Sort) throws(SMTError) -> Term {
        try requireOwned(sort)
        return try makeTerm("Z3_mk_fresh_const") { Z3_mk_fresh_const($0, prefix, sort.raw) }
    }

    /// The Boolean constant named `name`.
    public func boolConstant(_ name: String) throws(SMTError) -> Term {
        try constant(name, boolSort())
    }

    /// The integer constant named `name`.
    public func intConstant(_ name: String) throws(SMTError) -> Term {
        try constant(name, intSort())
    }

    /// The real constant named `name`.
    public func realConstant(_ name: String) throws(SMTError) -> Term {
        try constant(name, realSort())
    }

    /// The string constant named `name`.
    public func stringConstant(_ name: String) throws(SMTError) -> Term {
        try constant(name, stringSort())
    }

    /// The bit-vector constant named `name` of `width` bits.
    public func bitVectorConstant(_ name: String, width: Int) throws(SMTError) -> Term {
        try constant(name, bitVectorSort(width: width))
    }

    /// `if condition then thenTerm else elseTerm`. `condition` must be Bool;
    /// the branches must share one sort.
    public func ite(_ condition: Term, then thenTerm: Term, else elseTerm: Term) throws(SMTError) -> Term {
        try require([condition], are: .bool, "ite")
        try requireSameSort(thenTerm, elseTerm, "ite")
        return try makeTerm("Z3_mk_ite") { Z3_mk_ite($0, condition.raw, thenTerm.raw, elseTerm.raw) }
    }

    /// Pairwise distinctness of `terms` (all the same sort). True for fewer
    /// than two terms.
    public func distinct(_ terms: [Term]) throws(SMTError) -> Term {
        guard let first = terms.first, terms.count >= 2 else { return try bool(true) }
        try require(terms, are: first.kind, "distinct")
        return try makeTerm("Z3_mk_distinct", terms) { Z3_mk_distinct($0, $1, $2) }
    }

    /// Throws unless `sort` belongs to this context.
    func requireOwned(_ sort: Sort) throws(SMTError) {
        guard sort.context === self else { throw .contextMismatch(operation: "sort use") }
    }
}
