/// `Action` or `NotAction`.
public struct ActionElement: Sendable {
    /// `true` for `NotAction`.
    public var isNot: Bool
    public var patterns: [ActionPattern] {
        didSet { index = ActionIndex(patterns) }
    }
    /// The entries grouped by service prefix, kept in step with `patterns`.
    private(set) var index: ActionIndex
    /// Where the element's key (`Action` / `NotAction`) was written.
    public var keySpan: SourceSpan
    /// Where its value was written.
    public var valueSpan: SourceSpan
    /// Whether the value was written as an empty array.
    public var isEmptyList = false

    public init(isNot: Bool, patterns: [ActionPattern], keySpan: SourceSpan, valueSpan: SourceSpan) {
        self.isNot = isNot
        self.patterns = patterns
        self.index = ActionIndex(patterns)
        self.keySpan = keySpan
        self.valueSpan = valueSpan
    }

    /// The element name as written in policies.
    public var elementName: String { isNot ? "NotAction" : "Action" }
}

/// `Resource` or `NotResource`.
public struct ResourceElement: Sendable {
    /// `true` for `NotResource`.
    public var isNot: Bool
    public var patterns: [ResourcePattern]
    public var keySpan: SourceSpan
    public var valueSpan: SourceSpan
    /// Whether the value was written as an empty array.
    public var isEmptyList = false

    public init(isNot: Bool, patterns: [ResourcePattern], keySpan: SourceSpan, valueSpan: SourceSpan) {
        self.isNot = isNot
        self.patterns = patterns
        self.keySpan = keySpan
        self.valueSpan = valueSpan
    }

    public var elementName: String { isNot ? "NotResource" : "Resource" }
}

/// `Principal` or `NotPrincipal`.
public struct PrincipalElement: Sendable {
    /// `true` for `NotPrincipal`.
    public var isNot: Bool
    public var value: PrincipalSet
    public var keySpan: SourceSpan
    public var valueSpan: SourceSpan
    /// Whether the value was written as `{}` or with only empty arrays.
    public var isEmptyList = false

    public init(isNot: Bool, value: PrincipalSet, keySpan: SourceSpan, valueSpan: SourceSpan) {
        self.isNot = isNot
        self.value = value
        self.keySpan = keySpan
        self.valueSpan = valueSpan
    }

    public var elementName: String { isNot ? "NotPrincipal" : "Principal" }
}

/// What a `Principal` element names.
public enum PrincipalSet: Sendable {
    /// `"Principal": "*"`: everyone, including anonymous callers.
    case everyone
    /// `"Principal": {"AWS": …, "Service": …, …}`; the values combine with OR.
    case specific([PrincipalValue])
}

/// The kind of a principal value, i.e. the key it was written under.
public enum PrincipalType: String, Sendable, Equatable, CaseIterable {
    case aws = "AWS"
    case service = "Service"
    case federated = "Federated"
    case canonicalUser = "CanonicalUser"
}

/// One principal value such as `arn:aws:iam::111122223333:role/R` under `AWS`.
public struct PrincipalValue: Sendable, Equatable {
    public var type: PrincipalType
    public var text: String
    public var span: SourceSpan

    public init(type: PrincipalType, text: String, span: SourceSpan) {
        self.type = type
        self.text = text
        self.span = span
    }
}
