import PolicyLanguage

/// What one granting statement of a counterexample grants beyond the counterexample: every request
/// it applies to, which the same statement allows unless a Deny of the policy takes it back.
public struct StatementGrant: Sendable {
    public var statement: StatementReference
    /// The callers as written (`*`, `AWS: arn:…`, `Service: …`), or, for an identity-side policy,
    /// the identities it is attached to.
    public var principals: [String]
    public var principalsAreExcluded: Bool
    /// The `Action` (or `NotAction`, then `actionsAreExcluded`) entries as written.
    public var actions: [String]
    public var actionsAreExcluded: Bool
    /// How many catalogued actions the entries grant; `nil` without a catalogue.
    public var grantedActionCount: Int?
    /// Up to ten of them, sorted, to make the count concrete.
    public var sampleActions: [String]
    /// The catalogue's size, to put the count in proportion.
    public var catalogActionCount: Int?
    /// The `Resource` (or `NotResource`) entries as written; empty when it has neither.
    public var resources: [String]
    public var resourcesAreExcluded: Bool
    /// The conditions every granted request meets.
    public var conditions: [ConditionSummary]
    /// Deny statements of the same policy that can take some of these requests back.
    public var denies: [StatementReference]
}

extension Prover {
    /// The grants behind `counterexample`: for each statement of `policy` that allows it, what that
    /// statement grants (the finding the counterexample is one instance of).
    public func generalize(_ counterexample: Counterexample, policy: PolicyUnderTest) -> [StatementGrant] {
        let file = policy.policy.file
        let allowing = counterexample.outcomes.filter { $0.file == file && $0.allows }.flatMap(\.allowing)
        let denies = policy.policy.statements.filter { $0.effect?.value == .deny }.map { statement in
            StatementReference(role: policy.role, file: file, statementIndex: statement.index, sid: statement.sid?.value, effect: .deny, span: statement.span)
        }
        return allowing.compactMap { reference in
            guard policy.policy.statements.indices.contains(reference.statementIndex) else { return nil }
            let statement = policy.policy.statements[reference.statementIndex]
            let patterns = statement.action?.patterns.map(\.text) ?? []
            let isNot = statement.action?.isNot ?? false
            var granted: [String]?
            if let catalog {
                let matched = Set(patterns.flatMap { catalog.actions(matching: $0).map(\.fullName) })
                granted = isNot ? catalog.actions(matching: "*").map(\.fullName).filter { !matched.contains($0) } : Array(matched)
            }
            return StatementGrant(
                statement: reference,
                principals: principals(of: statement, role: policy.role),
                principalsAreExcluded: statement.principal?.isNot ?? false,
                actions: patterns, actionsAreExcluded: isNot,
                grantedActionCount: granted?.count,
                sampleActions: Array((granted ?? []).sorted().prefix(10)),
                catalogActionCount: catalog?.actionCount,
                resources: statement.resource?.patterns.map(\.text) ?? [],
                resourcesAreExcluded: statement.resource?.isNot ?? false,
                conditions: (statement.condition?.clauses ?? []).map { ConditionSummary(operatorName: $0.operatorName.value, key: $0.key.value, values: $0.values.map(\.text)) },
                denies: denies)
        }
    }

    private func principals(of statement: Statement, role: PolicyRole) -> [String] {
        guard role.matchesPrincipals else { return ["the identities the policy is attached to"] }
        guard let element = statement.principal else { return [] }
        switch element.value {
        case .everyone: return ["*"]
        case .specific(let values): return values.map { "\($0.type.rawValue): \($0.text)" }
        }
    }
}
