import PolicyLanguage
import SMT

/// A policy variable as a term: its value, and whether it resolves (a key with one value, or a default).
struct ResolvedVariable {
    var value: Term
    var resolves: Term
}

/// Turns "string `s` matches this pattern" into a Z3 term, using the cheapest exact form: equality,
/// prefix, suffix or containment where the pattern's shape allows, a regular expression otherwise.
/// Patterns with policy variables use word constraints (prefix/suffix/contains over concatenations),
/// which are exact whatever the polarity; shapes beyond them are reported as unsupported.
struct StringMatchEncoder {
    let context: SMTContext
    /// The characters a request string may use (see `RequestEncoding.alphabet`).
    let alphabet: Term
    /// `*` and `?` over any character, where the string's own domain already restricts characters:
    /// Z3 solves `re.allchar` much faster than a character class.
    var wildcardStar: Term? = nil
    var wildcardOne: Term? = nil

    /// `s` matches `pattern`. `caseInsensitive` compares ASCII letters without case (IgnoreCase
    /// operators, Bool values). `variable` resolves a policy variable.
    func matches(_ s: Term, _ pattern: PatternPieces, caseInsensitive: Bool = false, span: SourceSpan,
                 variable: (PolicyVariable) throws(EncodingError) -> ResolvedVariable) throws(EncodingError) -> Term {
        do {
            if !pattern.hasVariables {
                return try matchesGround(s, pattern, caseInsensitive: caseInsensitive, span: span)
            }
            guard !caseInsensitive else {
                throw EncodingError.unsupported("a policy variable in a case-insensitive comparison", span)
            }
            return try matchesWithVariables(s, pattern, span: span, variable: variable)
        } catch let error as EncodingError {
            throw error
        } catch {
            throw EncodingError.solver(error)
        }
    }

    private func matchesGround(_ s: Term, _ pattern: PatternPieces, caseInsensitive: Bool, span: SourceSpan) throws -> Term {
        if caseInsensitive {
            for scalar in pattern.scalars where !scalar.isASCII && String(scalar).lowercased() != String(scalar).uppercased() {
                throw EncodingError.unsupported("a non-ASCII letter in a case-insensitive comparison", span)
            }
            return try s.inRegex(regex(pattern, caseInsensitive: true))
        }
        if let literal = pattern.literalText { return try s.eq(context.string(literal)) }
        // Only `*` at the ends and literal text between: prefix / suffix / contains.
        let pieces = pattern.pieces
        if !pieces.contains(.one) {
            var core = pieces[...]
            let leading = core.first == .star
            let trailing = core.last == .star
            while core.first == .star { core = core.dropFirst() }
            while core.last == .star { core = core.dropLast() }
            if !core.contains(.star), let text = PatternPieces(Array(core)).literalText {
                if text.isEmpty { return try context.bool(true) }
                let literal = try context.string(text)
                switch (leading, trailing) {
                case (false, true): return try s.hasPrefix(literal)
                case (true, false): return try s.hasSuffix(literal)
                case (true, true): return try s.contains(literal)
                case (false, false): return try s.eq(literal)
                }
            }
        }
        return try s.inRegex(regex(pattern, caseInsensitive: false))
    }

    /// The regular expression of a variable-free pattern. `*` and `?` range over the request alphabet.
    func regex(_ pattern: PatternPieces, caseInsensitive: Bool) throws -> Term {
        let builder = context.regex
        var parts: [Term] = []
        var pending = String.UnicodeScalarView()
        func flush() throws {
            guard !pending.isEmpty else { return }
            parts.append(try builder.literal(String(pending)))
            pending = String.UnicodeScalarView()
        }
        for piece in pattern.pieces {
            switch piece {
            case .char(let scalar):
                let lower = Character(scalar).lowercased(), upper = Character(scalar).uppercased()
                if caseInsensitive, scalar.isASCII, lower != upper {
                    try flush()
                    parts.append(try builder.union([builder.literal(lower), builder.literal(upper)]))
                } else {
                    pending.append(scalar)
                }
            case .star:
                try flush()
                parts.append(try wildcardStar ?? builder.star(alphabet))
            case .one:
                try flush()
                parts.append(wildcardOne ?? alphabet)
            case .variable:
                throw EncodingError.unsupported("a policy variable inside a regular expression", SourceSpan.unknown)
            }
        }
        try flush()
        if parts.isEmpty { return try builder.literal("") }
        return try builder.concat(parts)
    }

    func matchesWithVariables(_ s: Term, _ pattern: PatternPieces, span: SourceSpan,
                                      variable: (PolicyVariable) throws(EncodingError) -> ResolvedVariable) throws -> Term {
        guard !pattern.pieces.contains(.one) else {
            throw EncodingError.unsupported("`?` together with a policy variable in one pattern", span)
        }
        // Segments between stars; consecutive stars are one star.
        var segments: [[PatternPieces.Piece]] = [[]]
        for piece in pattern.pieces {
            if piece == .star {
                if !(segments.last?.isEmpty ?? false) || segments.count == 1 { segments.append([]) }
            } else {
                segments[segments.count - 1].append(piece)
            }
        }
        var resolves: [Term] = []
        func term(_ segment: [PatternPieces.Piece]) throws -> Term {
            var parts: [Term] = []
            var pending = String.UnicodeScalarView()
            for piece in segment {
                switch piece {
                case .char(let scalar): pending.append(scalar)
                case .variable(let name):
                    if !pending.isEmpty { parts.append(try context.string(String(pending))); pending = String.UnicodeScalarView() }
                    let resolved = try variable(name)
                    parts.append(resolved.value)
                    resolves.append(resolved.resolves)
                case .star, .one: break
                }
            }
            if !pending.isEmpty { parts.append(try context.string(String(pending))) }
            return try context.concat(parts)
        }
        // Glob matching with literal segments between stars is exact when each middle segment is
        // taken at its leftmost occurrence after the previous one (greedy matching), and `str.indexof`
        // is a function, so the encoding holds in either polarity.
        let body: Term
        if segments.count == 1 {
            body = try s.eq(term(segments[0]))
        } else {
            let head = try term(segments[0]), tail = try term(segments[segments.count - 1])
            var conditions = [try s.hasPrefix(head), try s.hasSuffix(tail)]
            var position = try head.length()
            for middle in segments.dropFirst().dropLast() {
                let part = try term(middle)
                let found = try s.index(of: part, from: position)
                conditions.append(try found.ge(context.int(0)))
                position = try found.plus(part.length())
            }
            conditions.append(try position.plus(tail.length()).le(s.length()))
            body = try context.and(conditions)
        }
        return try context.and(resolves + [body])
    }
}

extension SourceSpan {
    /// A placeholder span for errors raised far from any source (replaced by the caller).
    static var unknown: SourceSpan { SourceSpan(file: "", start: SourceLocation(line: 0, column: 0), end: SourceLocation(line: 0, column: 0)) }
}
