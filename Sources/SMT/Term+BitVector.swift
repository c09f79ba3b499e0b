import CZ3

extension SMTContext {
    /// The `width`-bit literal with unsigned value `value`. Throws
    /// ``SMTError/invalidArgument(_:)`` if `value` does not fit in `width`
    /// bits (no silent truncation). Widths above 64 zero-extend.
    public func bitVector(_ value: UInt64, width: Int) throws(SMTError) -> Term {
        if width < 64, width >= 1, value >> UInt64(width) != 0 {
            throw .invalidArgument("value \(value) does not fit in \(width) bits")
        }
        let sort = try bitVectorSort(width: width)
        return try makeTerm("Z3_mk_unsigned_int64") { Z3_mk_unsigned_int64($0, value, sort.raw) }
    }

    /// The `width`-bit literal whose unsigned value is `bytes` read
    /// big-endian (most significant byte first), e.g. 16 bytes for an IPv6
    /// address. Fewer bytes than `width` needs are zero-extended; set bits
    /// beyond `width` throw ``SMTError/invalidArgument(_:)``.
    public func bitVector(bytes: [UInt8], width: Int) throws(SMTError) -> Term {
        guard width >= 1, let count = UInt32(exactly: width) else {
            throw .invalidArgument("bit-vector width must be positive, got \(width)")
        }
        // bits[i] is bit i, least significant first, as Z3_mk_bv_numeral wants.
        var bits = [Bool](repeating: false, count: width)
        for (index, byte) in bytes.reversed().enumerated() {
            for bit in 0..<8 where byte & (1 << bit) != 0 {
                let position = index * 8 + bit
                guard position < width else {
                    throw .invalidArgument("value of \(bytes.count) bytes does not fit in \(width) bits")
                }
                bits[position] = true
            }
        }
        return try makeTerm("Z3_mk_bv_numeral") { context in
            bits.withUnsafeBufferPointer { Z3_mk_bv_numeral(context, count, $0.baseAddress) }
        }
    }

    /// Throws unless `terms` are bit-vectors of one width (and of this context).
    func requireBitVectors(_ terms: [Term], _ operation: String) throws(SMTError) {
        guard let first = terms.first else { return }
        guard case .bitVector = first.kind else {
            throw .sortMismatch(operation: operation, expected: "(_ BitVec n)", actual: first.kind.description)
        }
        try require(terms, are: first.kind, operation)
    }
}

extension Term {
    /// The width of a bit-vector term, or `nil` for other sorts.
    public var bitWidth: Int? {
        if case let .bitVector(width) = kind { return width }
        return nil
    }

    /// Bitwise and (same width).
    public func bvAnd(_ other: Term) throws(SMTError) -> Term {
        try context.requireBitVectors([self, other], "bvand")
        return try context.makeTerm("Z3_mk_bvand") { Z3_mk_bvand($0, raw, other.raw) }
    }

    /// Bitwise or (same width).
    public func bvOr(_ other: Term) throws(SMTError) -> Term {
        try context.requireBitVectors([self, other], "bvor")
        return try context.makeTerm("Z3_mk_bvor") { Z3_mk_bvor($0, raw, other.raw) }
    }

    /// Bitwise exclusive or (same width).
    public func bvXor(_ other: Term) throws(SMTError) -> Term {
        try context.requireBitVectors([self, other], "bvxor")
        return try context.makeTerm("Z3_mk_bvxor") { Z3_mk_bvxor($0, raw, other.raw) }
    }

    /// Bitwise complement.
    public func bvNot() throws(SMTError) -> Term {
        try context.requireBitVectors([self], "bvnot")
        return try context.makeTerm("Z3_mk_bvnot") { Z3_mk_bvnot($0, raw) }
    }

    /// Addition modulo 2^width (same width).
    public func bvAdd(_ other: Term) throws(SMTError) -> Term {
        try context.requireBitVectors([self, other], "bvadd")
        return try context.makeTerm("Z3_mk_bvadd") { Z3_mk_bvadd($0, raw, other.raw) }
    }

    /// Subtraction modulo 2^width (same width).
    public func bvSub(_ other: Term) throws(SMTError) -> Term {
        try context.requireBitVectors([self, other], "bvsub")
        return try context.makeTerm("Z3_mk_bvsub") { Z3_mk_bvsub($0, raw, other.raw) }
    }

    /// Multiplication modulo 2^width (same width).
    public func bvMul(_ other: Term) throws(SMTError) -> Term {
        try context.requireBitVectors([self, other], "bvmul")
        return try context.makeTerm("Z3_mk_bvmul") { Z3_mk_bvmul($0, raw, other.raw) }
    }

    /// Unsigned `self < other` (same width).
    public func bvULT(_ other: Term) throws(SMTError) -> Term {
        try context.requireBitVectors([self, other], "bvult")
        return try context.makeTerm("Z3_mk_bvult") { Z3_mk_bvult($0, raw, other.raw) }
    }

    /// Unsigned `self ≤ other` (same width).
    public func bvULE(_ other: Term) throws(SMTError) -> Term {
        try context.requireBitVectors([self, other], "bvule")
        return try context.makeTerm("Z3_mk_bvule") { Z3_mk_bvule($0, raw, other.raw) }
    }

    /// Unsigned `self > other` (same width).
    public func bvUGT(_ other: Term) throws(SMTError) -> Term {
        try context.requireBitVectors([self, other], "bvugt")
        return try context.makeTerm("Z3_mk_bvugt") { Z3_mk_bvugt($0, raw, other.raw) }
    }

    /// Unsigned `self ≥ other` (same width).
    public func bvUGE(_ other: Term) throws(SMTError) -> Term {
        try context.requireBitVectors([self, other], "bvuge")
        return try context.makeTerm("Z3_mk_bvuge") { Z3_mk_bvuge($0, raw, other.raw) }
    }

    /// Bits `high` down to `low` (inclusive) as a `high - low + 1`-bit
    /// vector. Throws ``SMTError/invalidArgument(_:)`` unless
    /// `0 <= low <= high < width`.
    public func extract(high: Int, low: Int) throws(SMTError) -> Term {
        try context.requireBitVectors([self], "extract")
        let width = bitWidth ?? 0
        guard low >= 0, low <= high, high < width else {
            throw .invalidArgument("extract(high: \(high), low: \(low)) outside a \(width)-bit vector")
        }
        return try context.makeTerm("Z3_mk_extract") { Z3_mk_extract($0, UInt32(high), UInt32(low), raw) }
    }

    /// Concatenation: `self` supplies the high bits, `other` the low bits.
    /// The widths may differ.
    public func bvConcat(_ other: Term) throws(SMTError) -> Term {
        try context.requireBitVectors([self], "concat")
        try context.requireBitVectors([other], "concat")
        try context.requireOwned([other], "concat")
        return try context.makeTerm("Z3_mk_concat") { Z3_mk_concat($0, raw, other.raw) }
    }
}
