import CZ3

extension SMTContext {
    /// The string literal whose value is exactly `value` (compared by Unicode
    /// scalars: no normalization). Backslashes and non-ASCII characters are
    /// encoded so that Z3 does not reinterpret them. Throws
    /// ``SMTError/invalidArgument(_:)`` for characters above U+2FFFF, which
    /// Z3 4.8.12 cannot represent.
    public func string(_ value: String) throws(SMTError) -> Term {
        try stringLiteral(Z3StringCoding.encode(value))
    }

    /// The string literal made of the given Z3 character codes (0...0x2FFFF),
    /// which may include codes that are not Unicode scalars.
    public func string(codes: [UInt32]) throws(SMTError) -> Term {
        try stringLiteral(Z3StringCoding.encode(codes))
    }

    /// Creates a literal from an already-encoded `Z3_mk_string` argument.
    private func stringLiteral(_ encoded: String) throws(SMTError) -> Term {
        try makeTerm("Z3_mk_string") { Z3_mk_string($0, encoded) }
    }

    /// Concatenation of String `terms`. `concat([])` is `""`;
    /// `concat([x])` is `x`.
    public func concat(_ terms: [Term]) throws(SMTError) -> Term {
        try require(terms, are: .string, "concat")
        switch terms.count {
        case 0: return try string("")
        case 1: return terms[0]
        default: return try makeTerm("Z3_mk_seq_concat", terms) { Z3_mk_seq_concat($0, $1, $2) }
        }
    }
}

extension Term {
    /// The length of a String term, as an Int term.
    public func length() throws(SMTError) -> Term {
        try context.require([self], are: .string, "length")
        return try context.makeTerm("Z3_mk_seq_length") { Z3_mk_seq_length($0, raw) }
    }

    /// `prefix` is a prefix of `self` (both String).
    public func hasPrefix(_ prefix: Term) throws(SMTError) -> Term {
        try context.require([self, prefix], are: .string, "hasPrefix")
        return try context.makeTerm("Z3_mk_seq_prefix") { Z3_mk_seq_prefix($0, prefix.raw, raw) }
    }

    /// `suffix` is a suffix of `self` (both String).
    public func hasSuffix(_ suffix: Term) throws(SMTError) -> Term {
        try context.require([self, suffix], are: .string, "hasSuffix")
        return try context.makeTerm("Z3_mk_seq_suffix") { Z3_mk_seq_suffix($0, suffix.raw, raw) }
    }

    /// `part` occurs as a substring of `self` (both String).
    public func contains(_ part: Term) throws(SMTError) -> Term {
        try context.require([self, part], are: .string, "contains")
        return try context.makeTerm("Z3_mk_seq_contains") { Z3_mk_seq_contains($0, raw, part.raw) }
    }

    /// The first position at or after `offset` (Int) where `part` occurs in `self`, or -1 when it does
    /// not occur there (SMT-LIB `str.indexof`).
    public func index(of part: Term, from offset: Term) throws(SMTError) -> Term {
        try context.require([self, part], are: .string, "index(of:from:)")
        try context.require([offset], are: .int, "index(of:from:)")
        return try context.makeTerm("Z3_mk_seq_index") { Z3_mk_seq_index($0, raw, part.raw, offset.raw) }
    }

    /// The substring of `length` characters starting at `offset` (both Int), clipped to the string
    /// (SMT-LIB `str.substr`).
    public func substring(from offset: Term, length: Term) throws(SMTError) -> Term {
        try context.require([self], are: .string, "substring")
        try context.require([offset, length], are: .int, "substring")
        return try context.makeTerm("Z3_mk_seq_extract") { Z3_mk_seq_extract($0, raw, offset.raw, length.raw) }
    }

    /// `self` (a String) is in the language of `regex` (a RegEx).
    public func inRegex(_ regex: Term) throws(SMTError) -> Term {
        try context.require([self], are: .string, "inRegex")
        try context.require([regex], are: .regex, "inRegex")
        return try context.makeTerm("Z3_mk_seq_in_re") { Z3_mk_seq_in_re($0, raw, regex.raw) }
    }

    /// `self` is lexicographically strictly smaller than `other` (by
    /// character code; both String).
    public func lexLessThan(_ other: Term) throws(SMTError) -> Term {
        try context.require([self, other], are: .string, "lexLessThan")
        return try context.makeTerm("Z3_mk_str_lt") { Z3_mk_str_lt($0, raw, other.raw) }
    }

    /// `self` is lexicographically smaller than or equal to `other` (both
    /// String).
    public func lexLessOrEqual(_ other: Term) throws(SMTError) -> Term {
        try context.require([self, other], are: .string, "lexLessOrEqual")
        return try context.makeTerm("Z3_mk_str_le") { Z3_mk_str_le($0, raw, other.raw) }
    }

    /// The character codes of a String *literal*, exactly; `nil` if `self`
    /// is not a literal.
    ///
    /// `Z3_get_string` is unambiguous only without backslashes, so a value
    /// containing one is decoded character by character (`seq.at` + simplify).
    func stringLiteralCodes() throws(SMTError) -> [UInt32]? {
        guard kind == .string else {
            throw .sortMismatch(operation: "string value", expected: "String", actual: kind.description)
        }
        let isLiteral = Z3_is_string(context.raw, raw)
        try context.checkError()
        guard isLiteral else { return nil }
        let printed = try context.string("Z3_get_string", Z3_get_string(context.raw, raw))
        if let codes = Z3StringCoding.decodeUnambiguous(printed) { return codes }

        guard let count = try length().simplified().int64Literal(), count >= 0 else {
            throw .unrepresentableValue("cannot determine the length of string literal \(description)")
        }
        var codes: [UInt32] = []
        codes.reserveCapacity(Int(count))
        for index in 0..<count {
            let position = try context.int(Int(index))
            let character = try context.makeTerm("Z3_mk_seq_at") { Z3_mk_seq_at($0, raw, position.raw) }.simplified()
            guard Z3_is_string(context.raw, character.raw) else {
                try context.checkError()
                throw .unrepresentableValue("character \(index) of \(description) did not simplify to a literal")
            }
            let one = try context.string("Z3_get_string", Z3_get_string(context.raw, character.raw))
            guard let code = Z3StringCoding.decodeSingle(one) else {
                throw .unrepresentableValue("cannot decode character \"\(one)\" printed by Z3")
            }
            codes.append(code)
        }
        return codes
    }

    /// The value of an Int or bit-vector numeral literal if it fits in Int64.
    func int64Literal() throws(SMTError) -> Int64? {
        let isNumeral = Z3_is_numeral_ast(context.raw, raw)
        try context.checkError()
        guard isNumeral else { return nil }
        var value: Int64 = 0
        let fits = Z3_get_numeral_int64(context.raw, raw, &value)
        try context.checkError()
        return fits ? value : nil
    }
}
