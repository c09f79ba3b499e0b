/// An entry of `Action` / `NotAction`: `service:Name` where the name may hold `*` and `?`, or `*`.
/// Matching is case-insensitive (SEMANTICS.md §2).
public struct ActionPattern: Sendable, Equatable {
    /// The text exactly as written.
    public var text: String
    public var span: SourceSpan

    public init(text: String, span: SourceSpan) {
        self.text = text
        self.span = span
    }

    /// `true` for the pattern `*`, which matches every action.
    public var matchesEveryAction: Bool { text.utf8.count == 1 && text.utf8.first == UInt8(ascii: "*") }

    /// The service prefix (before the first colon), or `nil` when there is no colon.
    public var service: Substring? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        return text[..<colon]
    }

    /// The action name (after the first colon), or `nil` when there is no colon.
    public var name: Substring? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        return text[text.index(after: colon)...]
    }

    /// Whether the pattern contains `*` or `?`.
    public var hasWildcard: Bool { text.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") } }
}

/// An entry of `Resource` / `NotResource`: `*`, or an ARN pattern whose parts may hold `*`, `?` and,
/// in 2012-10-17 policies, policy variables.
public struct ResourcePattern: Sendable, Equatable {
    public var text: String
    public var span: SourceSpan
    /// The text read as a template under the policy's language version.
    public var template: TemplateString

    public init(text: String, span: SourceSpan, template: TemplateString) {
        self.text = text
        self.span = span
        self.template = template
    }

    /// `true` for `*`, the only pattern that also covers actions without resource-level permissions.
    public var matchesEveryResource: Bool { text.utf8.count == 1 && text.utf8.first == UInt8(ascii: "*") }
}
