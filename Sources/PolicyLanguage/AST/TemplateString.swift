/// A string that may contain policy variables, as written in `Resource` entries and in the values of
/// String and ARN condition operators (SEMANTICS.md §2 "Variables").
///
/// Under Version 2012-10-17, `${key}` and `${key, 'default'}` are variables and `${*}`, `${?}`, `${$}`
/// are the literal characters `*`, `?`, `$` (never wildcards). Under the old language the whole text is
/// literal, `${` included.
public struct TemplateString: Sendable, Equatable {
    /// One piece of a template.
    public enum Part: Sendable, Equatable {
        /// Text as written; `*` and `?` in it are wildcards where the context has wildcards.
        case text(String)
        /// A character from `${*}`, `${?}` or `${$}`: always that literal character, never a wildcard.
        case escaped(Character)
        case variable(PolicyVariable)
    }

    public var parts: [Part]

    public init(parts: [Part]) {
        self.parts = parts
    }

    /// A template of literal text only.
    public init(literal text: String) {
        self.parts = text.isEmpty ? [] : [.text(text)]
    }

    /// The variables the template references, in order.
    public var variables: [PolicyVariable] {
        parts.compactMap { if case .variable(let variable) = $0 { variable } else { nil } }
    }

    /// Whether the template references any variable.
    public var hasVariables: Bool { parts.contains { if case .variable = $0 { true } else { false } } }
}

/// A reference `${key}` or `${key, 'default'}` to a request's context key.
public struct PolicyVariable: Sendable, Equatable {
    /// The key as written; lookups are case-insensitive.
    public var key: String
    /// The default used when the key is absent (`${key, 'default'}`).
    public var defaultValue: String?
    /// Where `${…}` was written.
    public var span: SourceSpan

    public init(key: String, defaultValue: String?, span: SourceSpan) {
        self.key = key
        self.defaultValue = defaultValue
        self.span = span
    }
}

/// A problem found while reading `${…}` in a template.
public struct TemplateIssue: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `${` with no closing `}`.
        case unterminated
        /// `${}` or a key with characters IAM does not allow.
        case invalidKey(String)
        /// A default that is not `, 'text'`.
        case invalidDefault(String)
    }

    public var kind: Kind
    public var span: SourceSpan
}

extension TemplateString {
    /// Reads `text` (written at `span`) as a template. Under the old language, or when the text has no
    /// `${`, the result is literal. Malformed `${…}` stays literal text and is reported in `issues`.
    public static func parse(
        _ text: String, version: PolicyLanguageVersion, span: SourceSpan
    ) -> (template: TemplateString, issues: [TemplateIssue]) {
        guard version.supportsVariables, text.contains("${") else {
            return (TemplateString(literal: text), [])
        }
        var parts: [Part] = []
        var issues: [TemplateIssue] = []
        var pending = ""
        let scalars = Array(text.unicodeScalars)
        var index = 0

        func flush() {
            if !pending.isEmpty { parts.append(.text(pending)); pending = "" }
        }
        func spanAt(_ scalarIndex: Int, length: Int) -> SourceSpan {
            // Values are single-line JSON/YAML strings in practice; columns are approximate when an
            // escape sequence in the source shifted them.
            var start = span.start
            start.column += 1 + scalarIndex  // skip the opening quote
            start.offset = nil
            var end = start
            end.column += length
            return SourceSpan(file: span.file, start: start, end: end)
        }

        while index < scalars.count {
            guard scalars[index] == "$", index + 1 < scalars.count, scalars[index + 1] == "{" else {
                pending.unicodeScalars.append(scalars[index])
                index += 1
                continue
            }
            guard let close = scalars[(index + 2)...].firstIndex(of: "}") else {
                issues.append(TemplateIssue(kind: .unterminated, span: spanAt(index, length: 2)))
                pending.unicodeScalars.append(contentsOf: scalars[index...])
                break
            }
            var inner = String(String.UnicodeScalarView(scalars[(index + 2)..<close]))
            let variableSpan = spanAt(index, length: close - index + 1)
            defer { index = close + 1 }
            if inner == "*" || inner == "?" || inner == "$" {
                flush()
                parts.append(.escaped(Character(inner)))
                continue
            }
            var defaultValue: String?
            if let comma = inner.firstIndex(of: ",") {
                let rawDefault = inner[inner.index(after: comma)...].trimming(" ")
                inner = String(inner[..<comma])
                if rawDefault.count >= 2, rawDefault.hasPrefix("'"), rawDefault.hasSuffix("'") {
                    defaultValue = String(rawDefault.dropFirst().dropLast())
                } else {
                    issues.append(TemplateIssue(kind: .invalidDefault(rawDefault), span: variableSpan))
                    pending += "${" + inner + "," + rawDefault + "}"
                    continue
                }
            }
            let key = inner.trimming(" ")
            guard isValidVariableKey(key) else {
                issues.append(TemplateIssue(kind: .invalidKey(key), span: variableSpan))
                pending += "${" + inner + "}"
                continue
            }
            flush()
            parts.append(.variable(PolicyVariable(key: key, defaultValue: defaultValue, span: variableSpan)))
        }
        flush()
        return (TemplateString(parts: parts), issues)
    }

    private static func isValidVariableKey(_ key: String) -> Bool {
        !key.isEmpty && key.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || ":/-_.@+=".unicodeScalars.contains(scalar)
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing occurrences of `character`.
    func trimming(_ character: Character) -> String {
        var slice = Substring(self)
        while slice.first == character { slice.removeFirst() }
        while slice.last == character { slice.removeLast() }
        return String(slice)
    }
}
