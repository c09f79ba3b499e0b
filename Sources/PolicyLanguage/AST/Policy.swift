/// The policy language version. It decides whether `${…}` is a policy variable or literal text.
public enum PolicyLanguageVersion: String, Sendable, Equatable {
    case v2012_10_17 = "2012-10-17"
    case v2008_10_17 = "2008-10-17"

    /// Whether `${…}` in a policy of this version is a policy variable.
    public var supportsVariables: Bool { self == .v2012_10_17 }
}

/// A parsed IAM-style policy document. Every element keeps the span where it was written.
///
/// The AST is permissive: it also represents documents with errors (a missing `Effect`, say) so that
/// validation can report all of them at once. Consumers that give a meaning to a policy (the evaluator,
/// the encoder) accept only documents whose validation produced no `error` finding.
public struct Policy: Sendable {
    /// The `Version` element as written, if any.
    public var version: Located<String>?
    /// The `Id` element as written, if any.
    public var id: Located<String>?
    public var statements: [Statement]
    /// Where the `Statement` key was written; `nil` when it is missing.
    public var statementKeySpan: SourceSpan?
    /// Whether `Statement` was a single object rather than an array.
    public var statementIsSingleObject: Bool
    /// The span of the whole document.
    public var span: SourceSpan

    public init(
        version: Located<String>? = nil, id: Located<String>? = nil, statements: [Statement] = [],
        statementKeySpan: SourceSpan? = nil, statementIsSingleObject: Bool = false, span: SourceSpan
    ) {
        self.version = version
        self.id = id
        self.statements = statements
        self.statementKeySpan = statementKeySpan
        self.statementIsSingleObject = statementIsSingleObject
        self.span = span
    }

    /// The language version in force: 2012-10-17 when written so, otherwise the old language, in which
    /// `${…}` is literal text (SEMANTICS.md §1: no Version means 2008-10-17).
    public var languageVersion: PolicyLanguageVersion {
        version?.value == PolicyLanguageVersion.v2012_10_17.rawValue ? .v2012_10_17 : .v2008_10_17
    }

    /// The file the policy was read from.
    public var file: String { span.file }
}

/// `Allow` or `Deny`. Case-sensitive in IAM.
public enum Effect: String, Sendable, Equatable, CaseIterable {
    case allow = "Allow"
    case deny = "Deny"
}

/// One statement of a policy. Elements that were not written are `nil`.
public struct Statement: Sendable {
    /// Position in the policy's statement list, from 0.
    public var index: Int
    public var sid: Located<String>?
    public var effect: Located<Effect>?
    public var principal: PrincipalElement?
    public var action: ActionElement?
    public var resource: ResourceElement?
    public var condition: ConditionBlock?
    public var span: SourceSpan
    /// The element names written in the statement, even those whose value could not be read.
    public var writtenElements: Set<String> = []

    public init(
        index: Int, sid: Located<String>? = nil, effect: Located<Effect>? = nil,
        principal: PrincipalElement? = nil, action: ActionElement? = nil,
        resource: ResourceElement? = nil, condition: ConditionBlock? = nil, span: SourceSpan
    ) {
        self.index = index
        self.sid = sid
        self.effect = effect
        self.principal = principal
        self.action = action
        self.resource = resource
        self.condition = condition
        self.span = span
    }

    /// A short human name: the Sid when there is one, else the position ("statement 2", 1-based).
    public var displayName: String {
        if let sid = sid?.value, !sid.isEmpty { return "statement \"\(sid)\"" }
        return "statement \(index + 1)"
    }
}
