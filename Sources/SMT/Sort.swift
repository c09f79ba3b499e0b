import CZ3

/// The sorts (types) this module knows how to build and check.
///
/// Two terms can be combined by an operation only if their kinds match what
/// the operation expects; the checked API compares kinds before calling Z3.
public enum SortKind: Hashable, Sendable, CustomStringConvertible {
    /// Booleans.
    case bool
    /// Mathematical (unbounded) integers.
    case int
    /// Mathematical reals.
    case real
    /// Z3 strings: sequences of characters with code points 0...0x2FFFF.
    case string
    /// Regular expressions over strings (Z3 `(RegEx String)`).
    case regex
    /// Fixed-width bit-vectors; `width` >= 1.
    case bitVector(width: Int)
    /// Any other Z3 sort, identified by its SMT-LIB rendering.
    case other(String)

    /// The SMT-LIB name of the sort, e.g. `(_ BitVec 32)`.
    public var description: String {
        switch self {
        case .bool: return "Bool"
        case .int: return "Int"
        case .real: return "Real"
        case .string: return "String"
        case .regex: return "(RegEx String)"
        case let .bitVector(width): return "(_ BitVec \(width))"
        case let .other(name): return name
        }
    }
}

/// A Z3 sort. Owns exactly one Z3 reference (released in `deinit`) and keeps
/// its ``SMTContext`` alive.
public final class Sort: CustomStringConvertible {
    /// The context that created this sort.
    public let context: SMTContext
    let raw: Z3_sort
    /// What kind of sort this is.
    public let kind: SortKind

    init(context: SMTContext, raw: Z3_sort, kind: SortKind) {
        self.context = context
        self.raw = raw
        self.kind = kind
        Z3_inc_ref(context.raw, Z3_sort_to_ast(context.raw, raw))
    }

    deinit {
        Z3_dec_ref(context.raw, Z3_sort_to_ast(context.raw, raw))
    }

    /// Z3's rendering of the sort (debugging only).
    public var description: String {
        (try? context.string("Z3_sort_to_string", Z3_sort_to_string(context.raw, raw))) ?? kind.description
    }
}

@available(*, unavailable, message: "Sorts are confined to their context's thread")
extension Sort: Sendable {}

extension SMTContext {
    /// The Boolean sort.
    public func boolSort() throws(SMTError) -> Sort {
        try adoptSort("Z3_mk_bool_sort") { Z3_mk_bool_sort($0) }
    }

    /// The (unbounded) integer sort.
    public func intSort() throws(SMTError) -> Sort {
        try adoptSort("Z3_mk_int_sort") { Z3_mk_int_sort($0) }
    }

    /// The real sort.
    public func realSort() throws(SMTError) -> Sort {
        try adoptSort("Z3_mk_real_sort") { Z3_mk_real_sort($0) }
    }

    /// The string sort (characters 0...0x2FFFF in Z3 4.8.12).
    public func stringSort() throws(SMTError) -> Sort {
        try adoptSort("Z3_mk_string_sort") { Z3_mk_string_sort($0) }
    }

    /// The sort of regular expressions over strings.
    public func regexSort() throws(SMTError) -> Sort {
        let string = try stringSort()
        return try withExtendedLifetime(string) { () throws(SMTError) -> Sort in
            try adoptSort("Z3_mk_re_sort") { Z3_mk_re_sort($0, string.raw) }
        }
    }

    /// The bit-vector sort of `width` bits. Throws
    /// ``SMTError/invalidArgument(_:)`` unless `width` is in 1...UInt32.max.
    public func bitVectorSort(width: Int) throws(SMTError) -> Sort {
        guard width >= 1, let bits = UInt32(exactly: width) else {
            throw .invalidArgument("bit-vector width must be positive, got \(width)")
        }
        return try adoptSort("Z3_mk_bv_sort") { Z3_mk_bv_sort($0, bits) }
    }
}
