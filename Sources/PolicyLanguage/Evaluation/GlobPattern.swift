/// A wildcard pattern whose characters are each literal, `*` (any sequence, possibly empty) or `?`
/// (exactly one character). Built from a `TemplateString` after substituting policy variables, so that
/// `${*}` and substituted values stay literal.
public struct GlobPattern: Sendable, Hashable {
    /// One position of a pattern.
    public enum Token: Sendable, Hashable {
        case scalar(Unicode.Scalar)
        case star
        case one
    }

    public var tokens: [Token]

    public init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// A pattern where `*` and `?` in `text` are wildcards.
    public init(wildcardText text: Substring) {
        tokens = text.unicodeScalars.map { scalar in
            switch scalar {
            case "*": .star
            case "?": .one
            default: .scalar(scalar)
            }
        }
    }

    /// A pattern matching exactly `text`.
    public init(literal text: Substring) {
        tokens = text.unicodeScalars.map { .scalar($0) }
    }

    /// Whether the whole of `text` matches. Linear-time greedy matching with backtracking to the last
    /// star. `caseInsensitive` folds ASCII letters only, as IAM does for action names.
    public func matches<S: StringProtocol>(_ text: S, caseInsensitive: Bool = false) -> Bool {
        let input = Array(text.unicodeScalars)
        var p = 0
        var t = 0
        var starP = -1
        var starT = 0
        func equal(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
            guard caseInsensitive else { return a == b }
            return Self.foldASCII(a) == Self.foldASCII(b)
        }
        while t < input.count {
            if p < tokens.count {
                switch tokens[p] {
                case .star:
                    starP = p
                    starT = t
                    p += 1
                    continue
                case .one:
                    p += 1
                    t += 1
                    continue
                case .scalar(let scalar) where equal(scalar, input[t]):
                    p += 1
                    t += 1
                    continue
                default:
                    break
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starT += 1
            t = starT
        }
        while p < tokens.count, tokens[p] == .star { p += 1 }
        return p == tokens.count
    }

    private static func foldASCII(_ scalar: Unicode.Scalar) -> UInt32 {
        let value = scalar.value
        return (65...90).contains(value) ? value + 32 : value
    }

    /// Splits the pattern at literal `:` into at most `maxFields` fields.
    public func fields(max maxFields: Int) -> [GlobPattern] {
        var result: [GlobPattern] = []
        var current: [Token] = []
        for token in tokens {
            if token == .scalar(":"), result.count < maxFields - 1 {
                result.append(GlobPattern(tokens: current))
                current = []
            } else {
                current.append(token)
            }
        }
        result.append(GlobPattern(tokens: current))
        return result
    }

    public var hasWildcard: Bool { tokens.contains { $0 == .star || $0 == .one } }
}

extension TemplateString {
    /// The pattern this template stands for in `context`: text parts with their wildcards (when
    /// `wildcards`), escapes and substituted values literal. `nil` when a variable has no value and no
    /// default: such an entry matches nothing (SEMANTICS.md §2 "Variables").
    public func glob(in context: RequestContext, wildcards: Bool) -> GlobPattern? {
        var tokens: [GlobPattern.Token] = []
        for part in parts {
            switch part {
            case .text(let text):
                tokens += wildcards ? GlobPattern(wildcardText: Substring(text)).tokens : GlobPattern(literal: Substring(text)).tokens
            case .escaped(let character):
                tokens += character.unicodeScalars.map { .scalar($0) }
            case .variable(let variable):
                guard let value = variable.resolve(in: context) else { return nil }
                tokens += value.unicodeScalars.map { .scalar($0) }
            }
        }
        return GlobPattern(tokens: tokens)
    }

    /// The literal string this template stands for in `context`, `nil` when a variable is unresolved.
    public func resolvedText(in context: RequestContext) -> String? {
        var result = ""
        for part in parts {
            switch part {
            case .text(let text): result += text
            case .escaped(let character): result.append(character)
            case .variable(let variable):
                guard let value = variable.resolve(in: context) else { return nil }
                result += value
            }
        }
        return result
    }
}

extension PolicyVariable {
    /// The variable's value: the key's single value, else the default. A multivalued key cannot be
    /// used as a variable (SEMANTICS.md §2) and counts as unresolved.
    public func resolve(in context: RequestContext) -> String? {
        if let entry = context.entry(key), entry.values.count == 1 { return entry.values[0] }
        return defaultValue
    }
}
