import PolicyLanguage

/// A concrete request that shows a property failing, with the statements that decide it in each
/// policy involved. It has been replayed through the concrete evaluator before being returned.
public struct Counterexample: Sendable {
    public var request: Request
    /// For each policy the property mentions (in the query's order), the statements that apply to the
    /// request, as the evaluator decided them.
    public var outcomes: [PolicyOutcomeSummary]

    public init(request: Request, outcomes: [PolicyOutcomeSummary]) {
        self.request = request
        self.outcomes = outcomes
    }
}

/// What one policy says about a counterexample request.
public struct PolicyOutcomeSummary: Sendable {
    /// A label for the policy ("old", "new", "policy", "bound", …).
    public var label: String
    public var file: String
    /// Whether the policy on its own allows the request.
    public var allows: Bool
    /// The Allow statements that apply (the blame when `allows`).
    public var allowing: [StatementReference]
    /// The Deny statements that apply.
    public var denying: [StatementReference]
}
