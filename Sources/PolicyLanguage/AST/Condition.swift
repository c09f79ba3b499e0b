/// The `Condition` element: operators, each with keys and values. All clauses must hold (AND).
public struct ConditionBlock: Sendable {
    public var clauses: [ConditionClause]
    public var keySpan: SourceSpan
    public var valueSpan: SourceSpan
    /// Operators that were written with no keys (`"StringEquals": {}`), which IAM treats as true.
    public var emptyOperators: [Located<String>]

    public init(
        clauses: [ConditionClause], keySpan: SourceSpan, valueSpan: SourceSpan,
        emptyOperators: [Located<String>] = []
    ) {
        self.clauses = clauses
        self.keySpan = keySpan
        self.valueSpan = valueSpan
        self.emptyOperators = emptyOperators
    }
}

/// One `Operator: { Key: values }` pair.
public struct ConditionClause: Sendable {
    /// The operator, or `nil` when its name is not a condition operator (reported by validation).
    public var conditionOperator: ConditionOperator?
    /// The operator name as written.
    public var operatorName: Located<String>
    /// The condition key as written; IAM compares key names case-insensitively.
    public var key: Located<String>
    public var values: [ConditionValue]
    /// Where the values were written.
    public var valuesSpan: SourceSpan
    /// Whether the values were written as an array (`[]` counts, even with one element).
    public var valuesWereArray: Bool

    public init(
        conditionOperator: ConditionOperator?, operatorName: Located<String>, key: Located<String>,
        values: [ConditionValue], valuesSpan: SourceSpan, valuesWereArray: Bool
    ) {
        self.conditionOperator = conditionOperator
        self.operatorName = operatorName
        self.key = key
        self.values = values
        self.valuesSpan = valuesSpan
        self.valuesWereArray = valuesWereArray
    }
}

/// A value under a condition key. IAM compares as strings; numbers and booleans may be unquoted.
public struct ConditionValue: Sendable, Equatable {
    /// How the value was written.
    public enum Literal: Sendable, Equatable {
        case string, number, bool
    }

    /// The value's text (an unquoted `true` or `42` gives "true" / "42").
    public var text: String
    public var literal: Literal
    public var span: SourceSpan
    /// The text read as a template under the policy's language version.
    public var template: TemplateString

    public init(text: String, literal: Literal, span: SourceSpan, template: TemplateString) {
        self.text = text
        self.literal = literal
        self.span = span
        self.template = template
    }
}
