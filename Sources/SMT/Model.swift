import CZ3

/// A satisfying assignment produced by ``Solver/check(assumptions:timeout:)``.
///
/// Guarantees:
/// - Owns one Z3 reference to the model and keeps its context alive.
/// - Evaluation uses model completion: every term of a supported sort has a
///   value, even if it did not occur in the assertions.
/// - Readers check the term's sort first (throwing
///   ``SMTError/sortMismatch(operation:expected:actual:)``) and return `nil`
///   only if Z3 could not reduce the term to a literal.
public final class Model: CustomStringConvertible {
    /// The context the model belongs to.
    public let context: SMTContext
    let raw: Z3_model

    init(context: SMTContext, raw: Z3_model) {
        self.context = context
        self.raw = raw
        Z3_model_inc_ref(context.raw, raw)
    }

    deinit {
        Z3_model_dec_ref(context.raw, raw)
    }

    /// The value of `term` in this model (`Z3_model_eval` with completion).
    /// A stale interrupt (delivered while no check ran) is cleared and the
    /// evaluation retried rather than reported.
    public func eval(_ term: Term) throws(SMTError) -> Term {
        try context.requireOwned([term], "Model.eval")
        return try context.retryingIfCanceled { () throws(SMTError) -> Term in
            var result: Z3_ast?
            let ok = Z3_model_eval(context.raw, raw, term.raw, true, &result)
            try context.checkError()
            guard ok, let result else {
                throw .z3(code: -1, message: "Z3_model_eval could not evaluate \(term)")
            }
            return try context.adoptTerm(result)
        }
    }

    /// The value of a Bool term.
    public func bool(_ term: Term) throws(SMTError) -> Bool? {
        try context.require([term], are: .bool, "Model.bool")
        let value = try eval(term)
        let lbool = Z3_get_bool_value(context.raw, value.raw)
        try context.checkError()
        switch lbool {
        case Z3_L_TRUE: return true
        case Z3_L_FALSE: return false
        default: return nil
        }
    }

    /// The value of an Int term if it fits in `Int`; `nil` otherwise (use
    /// ``intDecimal(_:)`` for big values).
    public func int(_ term: Term) throws(SMTError) -> Int? {
        try context.require([term], are: .int, "Model.int")
        return try eval(term).int64Literal().flatMap { Int(exactly: $0) }
    }

    /// The value of an Int term in decimal (e.g. "-123456789012345678901234567890").
    public func intDecimal(_ term: Term) throws(SMTError) -> String? {
        try context.require([term], are: .int, "Model.intDecimal")
        return try numeralString(eval(term))
    }

    /// The value of a Real term as Z3 prints it: "n" or "n/d" (exact).
    public func realFraction(_ term: Term) throws(SMTError) -> String? {
        try context.require([term], are: .real, "Model.realFraction")
        return try numeralString(eval(term))
    }

    /// The value of a String term, exactly (Unicode scalars, with
    /// backslashes and non-ASCII characters as themselves). Throws
    /// ``SMTError/unrepresentableValue(_:)`` if the value contains a code
    /// that is not a Unicode scalar (a surrogate); use
    /// ``stringCodes(_:)`` to read such values.
    public func string(_ term: Term) throws(SMTError) -> String? {
        guard let codes = try stringCodes(term) else { return nil }
        return try Z3StringCoding.string(from: codes)
    }

    /// The value of a String term as raw Z3 character codes (0...0x2FFFF).
    public func stringCodes(_ term: Term) throws(SMTError) -> [UInt32]? {
        try context.require([term], are: .string, "Model.stringCodes")
        return try eval(term).stringLiteralCodes()
    }

    /// The value of a bit-vector term as big-endian bytes: exactly
    /// `(width + 7) / 8` bytes, most significant first, unused high bits 0.
    public func bitVector(_ term: Term) throws(SMTError) -> [UInt8]? {
        guard case let .bitVector(width) = term.kind else {
            throw .sortMismatch(operation: "Model.bitVector", expected: "(_ BitVec n)", actual: term.kind.description)
        }
        let value = try eval(term)
        let isNumeral = Z3_is_numeral_ast(context.raw, value.raw)
        try context.checkError()
        guard isNumeral else { return nil }
        let binary = try context.string("Z3_get_numeral_binary_string", Z3_get_numeral_binary_string(context.raw, value.raw))
        var bytes = [UInt8](repeating: 0, count: (width + 7) / 8)
        for (position, digit) in binary.utf8.reversed().enumerated() {
            switch digit {
            case UInt8(ascii: "0"): continue
            case UInt8(ascii: "1") where position < width:
                bytes[bytes.count - 1 - position / 8] |= 1 << UInt8(position % 8)
            default:
                throw .unrepresentableValue("unexpected binary numeral \"\(binary)\" for a \(width)-bit vector")
            }
        }
        return bytes
    }

    /// The value of a bit-vector term of at most 64 bits as an unsigned
    /// integer. Throws ``SMTError/sortMismatch(operation:expected:actual:)``
    /// for wider vectors (use ``bitVector(_:)``).
    public func bitVectorUInt64(_ term: Term) throws(SMTError) -> UInt64? {
        guard case let .bitVector(width) = term.kind, width <= 64 else {
            throw .sortMismatch(operation: "Model.bitVectorUInt64", expected: "(_ BitVec n), n <= 64", actual: term.kind.description)
        }
        guard let bytes = try bitVector(term) else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The model in Z3's textual form (debugging only).
    public var description: String {
        (try? context.string("Z3_model_to_string", Z3_model_to_string(context.raw, raw))) ?? "<model>"
    }

    /// Z3's decimal / fraction rendering of a numeral, or `nil` if `value`
    /// is not a numeral.
    private func numeralString(_ value: Term) throws(SMTError) -> String? {
        let isNumeral = Z3_is_numeral_ast(context.raw, value.raw)
        try context.checkError()
        guard isNumeral else { return nil }
        return try context.string("Z3_get_numeral_string", Z3_get_numeral_string(context.raw, value.raw))
    }
}

@available(*, unavailable, message: "Models are confined to their context's thread")
extension Model: Sendable {}
