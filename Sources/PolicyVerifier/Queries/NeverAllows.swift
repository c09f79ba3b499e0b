import PolicyLanguage

extension Prover {
    /// Whether `policy` allows no request of `scope` (a set of requests written as a policy: every
    /// request one of its Allow statements applies to). FAIL shows requests both allow.
    public func neverAllows(_ policy: PolicyUnderTest, scope: PolicyUnderTest, counterexamples: Int = 1) -> Verdict {
        switch session([policy, scope], labels: ["policy", "scope"]) {
        case .failure(let reason): return .unknown(reason)
        case .success(let session):
            return session.counterexamples({ allows in try allows[0].and(allows[1]) }, limit: counterexamples) { $0[0].allows && $0[1].allows }
        }
    }

    /// `neverAllows` with the scope given as action and resource patterns.
    public func neverAllows(_ policy: PolicyUnderTest, actions: [String], resources: [String] = ["*"], counterexamples: Int = 1) -> Verdict {
        neverAllows(policy, scope: PolicyUnderTest(ScopePolicy.make(actions: actions, resources: resources), role: .identity), counterexamples: counterexamples)
    }
}

/// Builds the small policies that stand for sets of requests in queries.
public enum ScopePolicy {
    /// One Allow statement over `actions` and `resources`, as a 2012-10-17 policy named `name`.
    public static func make(actions: [String], resources: [String], name: String = "<scope>") -> Policy {
        let span = SourceSpan(file: name, start: SourceLocation(line: 1, column: 1))
        let statement = Statement(
            index: 0, effect: Located(.allow, at: span),
            action: ActionElement(isNot: false, patterns: actions.map { ActionPattern(text: $0, span: span) }, keySpan: span, valueSpan: span),
            resource: ResourceElement(isNot: false, patterns: resources.map { ResourcePattern(text: $0, span: span, template: TemplateString.parse($0, version: .v2012_10_17, span: span).template) }, keySpan: span, valueSpan: span),
            span: span)
        return Policy(version: Located("2012-10-17", at: span), statements: [statement], span: span)
    }

    /// One Allow statement per scope: the union of the scopes.
    public static func make(_ scopes: [(actions: [String], resources: [String])], name: String = "<scope>") -> Policy {
        var policy = make(actions: [], resources: [], name: name)
        policy.statements = scopes.enumerated().map { index, scope in
            var statement = make(actions: scope.actions, resources: scope.resources, name: name).statements[0]
            statement.index = index
            return statement
        }
        return policy
    }
}

extension PolicyUnderTest {
    /// A scope or bound (a set of requests written as a policy, e.g. from a spec file). When some of its
    /// statements name principals it is read like a resource policy, and statements without a
    /// `Principal` then stand for every caller; otherwise principals do not restrict it.
    public init(scope: Policy) {
        guard scope.statements.contains(where: { $0.principal != nil }) else {
            self.init(scope, role: .identity)
            return
        }
        var scope = scope
        for index in scope.statements.indices where scope.statements[index].principal == nil {
            let span = scope.statements[index].span
            scope.statements[index].principal = PrincipalElement(isNot: false, value: .everyone, keySpan: span, valueSpan: span)
        }
        self.init(scope, role: .resource)
    }
}
