import CZ3

extension SMTContext {
    /// Constructors for regular expressions over strings in this context.
    public var regex: RegexBuilder { RegexBuilder(context: self) }
}

/// Builds Z3 regular expressions (`(RegEx String)` terms) over strings.
///
/// Every result is a ``Term`` of kind ``SortKind/regex``; every argument is
/// sort-checked. Characters are code points 0...0x2FFFF (Z3 4.8.12).
/// Obtain one with ``SMTContext/regex``.
public struct RegexBuilder {
    /// The context the regexes are created in.
    public let context: SMTContext

    /// The language containing exactly the string `value`.
    public func literal(_ value: String) throws(SMTError) -> Term {
        try literal(context.string(value))
    }

    /// The language containing exactly the value of the String term `value`
    /// (`seq.to.re`).
    public func literal(_ value: Term) throws(SMTError) -> Term {
        try context.require([value], are: .string, "regex.literal")
        return try context.makeTerm("Z3_mk_seq_to_re") { Z3_mk_seq_to_re($0, value.raw) }
    }

    /// Every single character whose code is in `low...high` (inclusive; empty
    /// if `low > high`). Throws ``SMTError/invalidArgument(_:)`` for
    /// characters above U+2FFFF.
    public func range(_ low: Unicode.Scalar, _ high: Unicode.Scalar) throws(SMTError) -> Term {
        try range(codes: low.value, high.value)
    }

    /// Every single character with code in `low...high` (raw Z3 codes).
    public func range(codes low: UInt32, _ high: UInt32) throws(SMTError) -> Term {
        let lowTerm = try context.string(codes: [low])
        let highTerm = try context.string(codes: [high])
        return try context.makeTerm("Z3_mk_re_range") { Z3_mk_re_range($0, lowTerm.raw, highTerm.raw) }
    }

    /// Any one character (codes 0...0x2FFFF): SMT-LIB `re.allchar`.
    ///
    /// Z3 4.8.12's C API has no constructor for it (`Z3_mk_re_full` is the
    /// language of *all strings*), so it is obtained once per context from
    /// the SMT-LIB parser. It is used rather than the equivalent
    /// `range(codes: 0, 0x2FFFF)` because Z3's string solver is much faster
    /// with it (e.g. 0.8 s instead of 9 s for a glob with twelve `?`) and
    /// prefers printable characters in models.
    public func allChar() throws(SMTError) -> Term {
        if let cached = context.allCharAST {
            return try context.adoptTerm(cached)
        }
        let parsed = try context.parseAssertions("(assert (str.in_re \"\" re.allchar))")
        guard let membership = parsed.first, parsed.count == 1 else {
            throw .z3(code: -1, message: "parsing re.allchar produced \(parsed.count) assertions")
        }
        let regex = try context.makeTerm("Z3_get_app_arg") { context in
            Z3_get_app_arg(context, Z3_to_app(context, membership.raw), 1)
        }
        try context.require([regex], are: .regex, "regex.allChar")
        Z3_inc_ref(context.raw, regex.raw)
        context.allCharAST = regex.raw
        return regex
    }

    /// The empty language (matches nothing).
    public func empty() throws(SMTError) -> Term {
        let sort = try context.regexSort()
        return try context.makeTerm("Z3_mk_re_empty") { Z3_mk_re_empty($0, sort.raw) }
    }

    /// The language of all strings (`re.all`, i.e. `allChar*`).
    public func full() throws(SMTError) -> Term {
        let sort = try context.regexSort()
        return try context.makeTerm("Z3_mk_re_full") { Z3_mk_re_full($0, sort.raw) }
    }

    /// Concatenation. `concat([])` is the language of the empty string;
    /// `concat([r])` is `r`.
    public func concat(_ regexes: [Term]) throws(SMTError) -> Term {
        try context.require(regexes, are: .regex, "regex.concat")
        switch regexes.count {
        case 0: return try literal("")
        case 1: return regexes[0]
        default: return try context.makeTerm("Z3_mk_re_concat", regexes) { Z3_mk_re_concat($0, $1, $2) }
        }
    }

    /// Union. `union([])` is the empty language; `union([r])` is `r`.
    public func union(_ regexes: [Term]) throws(SMTError) -> Term {
        try context.require(regexes, are: .regex, "regex.union")
        switch regexes.count {
        case 0: return try empty()
        case 1: return regexes[0]
        default: return try context.makeTerm("Z3_mk_re_union", regexes) { Z3_mk_re_union($0, $1, $2) }
        }
    }

    /// Intersection. `intersect([])` is the full language; `intersect([r])`
    /// is `r`.
    public func intersect(_ regexes: [Term]) throws(SMTError) -> Term {
        try context.require(regexes, are: .regex, "regex.intersect")
        switch regexes.count {
        case 0: return try full()
        case 1: return regexes[0]
        default: return try context.makeTerm("Z3_mk_re_intersect", regexes) { Z3_mk_re_intersect($0, $1, $2) }
        }
    }

    /// Kleene star: zero or more repetitions of `regex`.
    public func star(_ regex: Term) throws(SMTError) -> Term {
        try context.require([regex], are: .regex, "regex.star")
        return try context.makeTerm("Z3_mk_re_star") { Z3_mk_re_star($0, regex.raw) }
    }

    /// One or more repetitions of `regex`.
    public func plus(_ regex: Term) throws(SMTError) -> Term {
        try context.require([regex], are: .regex, "regex.plus")
        return try context.makeTerm("Z3_mk_re_plus") { Z3_mk_re_plus($0, regex.raw) }
    }

    /// Zero or one occurrence of `regex`.
    public func option(_ regex: Term) throws(SMTError) -> Term {
        try context.require([regex], are: .regex, "regex.option")
        return try context.makeTerm("Z3_mk_re_option") { Z3_mk_re_option($0, regex.raw) }
    }

    /// The complement: every string *not* in `regex`.
    public func complement(_ regex: Term) throws(SMTError) -> Term {
        try context.require([regex], are: .regex, "regex.complement")
        return try context.makeTerm("Z3_mk_re_complement") { Z3_mk_re_complement($0, regex.raw) }
    }

    /// Between `min` and `max` repetitions of `regex` (inclusive). Requires
    /// `0 <= min <= max` and `max >= 1` (Z3 reads a maximum of 0 as
    /// "unbounded"); otherwise throws ``SMTError/invalidArgument(_:)``.
    public func loop(_ regex: Term, min: Int, max: Int) throws(SMTError) -> Term {
        try context.require([regex], are: .regex, "regex.loop")
        // Z3 reads hi == 0 as "unbounded", so an exact 0...0 loop is refused.
        guard min >= 0, max >= 1, min <= max, let low = UInt32(exactly: min), let high = UInt32(exactly: max) else {
            throw .invalidArgument("regex.loop needs 0 <= min <= max and max >= 1, got \(min)...\(max)")
        }
        return try context.makeTerm("Z3_mk_re_loop") { Z3_mk_re_loop($0, regex.raw, low, high) }
    }
}

@available(*, unavailable, message: "Regex builders are confined to their context's thread")
extension RegexBuilder: Sendable {}
