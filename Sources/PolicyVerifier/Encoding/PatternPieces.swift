import PolicyLanguage

/// A pattern as the string encoder sees it: literal scalars, wildcards and policy variables, in order.
/// Built from `Resource` templates, from the values of String/ARN condition operators, and from globs.
struct PatternPieces: Sendable, Equatable {
    enum Piece: Sendable, Equatable {
        case char(Unicode.Scalar)
        /// Any sequence, possibly empty.
        case star
        /// Exactly one scalar.
        case one
        /// A policy variable's value, taken literally.
        case variable(PolicyVariable)
    }

    var pieces: [Piece]

    init(_ pieces: [Piece]) { self.pieces = pieces }

    /// A template read with (`wildcards`) or without `*`/`?` as wildcards.
    init(_ template: TemplateString, wildcards: Bool) {
        var pieces: [Piece] = []
        for part in template.parts {
            switch part {
            case .text(let text):
                for scalar in text.unicodeScalars {
                    if wildcards, scalar == "*" { pieces.append(.star) } else if wildcards, scalar == "?" { pieces.append(.one) } else { pieces.append(.char(scalar)) }
                }
            case .escaped(let character):
                pieces += character.unicodeScalars.map { .char($0) }
            case .variable(let variable):
                pieces.append(.variable(variable))
            }
        }
        self.pieces = pieces
    }

    init(_ glob: GlobPattern) {
        pieces = glob.tokens.map { token in
            switch token {
            case .scalar(let scalar): .char(scalar)
            case .star: .star
            case .one: .one
            }
        }
    }

    var hasVariables: Bool { pieces.contains { if case .variable = $0 { true } else { false } } }
    var hasWildcards: Bool { pieces.contains { $0 == .star || $0 == .one } }

    var variables: [PolicyVariable] {
        pieces.compactMap { if case .variable(let variable) = $0 { variable } else { nil } }
    }

    /// The literal text when the pattern has neither wildcards nor variables.
    var literalText: String? {
        var text = String.UnicodeScalarView()
        for piece in pieces {
            guard case .char(let scalar) = piece else { return nil }
            text.append(scalar)
        }
        return String(text)
    }

    /// The scalars written in the pattern.
    var scalars: [Unicode.Scalar] {
        pieces.compactMap { if case .char(let scalar) = $0 { scalar } else { nil } }
    }

    /// Splits at literal `:` into at most `maxFields` fields (as `GlobPattern.fields` does); `nil` when
    /// a variable stands before the last split, where its value could move the field boundaries.
    func fields(max maxFields: Int) -> [PatternPieces]? {
        var result: [PatternPieces] = []
        var current: [Piece] = []
        for piece in pieces {
            if piece == .char(":"), result.count < maxFields - 1 {
                result.append(PatternPieces(current))
                current = []
            } else {
                if case .variable = piece, result.count < maxFields - 1 { return nil }
                current.append(piece)
            }
        }
        result.append(PatternPieces(current))
        return result
    }

    /// The glob of a variable-free pattern.
    var glob: GlobPattern? {
        var tokens: [GlobPattern.Token] = []
        for piece in pieces {
            switch piece {
            case .char(let scalar): tokens.append(.scalar(scalar))
            case .star: tokens.append(.star)
            case .one: tokens.append(.one)
            case .variable: return nil
            }
        }
        return GlobPattern(tokens: tokens)
    }
}
