import PolicyLanguage
import PolicyVerifier

/// A concrete edit of the explored policy, written into its source, that closes a counterexample.
public struct PolicyFix: Sendable {
    public enum Kind: String, Sendable, Equatable {
        case addCondition = "add a condition"
        case narrowWildcard = "narrow a wildcard"
        case addDeny = "add a Deny"
    }

    public var kind: Kind
    /// What the edit does, in a sentence.
    public var summary: String
    /// The edited source text.
    public var text: String
    /// The edited policy, decoded from `text`.
    public var policy: Policy
    /// The changed lines.
    public var diff: [DiffLine]
}

/// The edits worth proposing for one counterexample, most specific first. Each is only a candidate:
/// the engine keeps it only if the edited policy decodes, validates, and no longer allows the request.
struct FixCandidates {
    let counterexample: Counterexample
    let policy: Policy
    let role: PolicyRole
    let source: String
    let property: ExplorationProperty
    let catalog: ActionCatalog?
    /// The account that owns the resource, when the user said (`--trusted-account`).
    let givenOwner: String?
    private let lines: [Substring]
    /// The source's line end.
    private let newline: String

    init(counterexample: Counterexample, policy: Policy, role: PolicyRole, source: String, property: ExplorationProperty, catalog: ActionCatalog?, owner: String? = nil) {
        givenOwner = owner
        self.counterexample = counterexample
        self.policy = policy
        self.role = role
        self.source = source
        self.property = property
        self.catalog = catalog
        lines = SourceLines.split(source)
        newline = SourceLines.newline(of: source)
    }

    /// The statement of the explored policy that grants the counterexample.
    var granting: Statement? {
        let label = property.exploredLabel
        guard let reference = counterexample.outcomes.first(where: { $0.label == label })?.allowing.first,
              policy.statements.indices.contains(reference.statementIndex) else { return nil }
        return policy.statements[reference.statementIndex]
    }

    func all() -> [(kind: PolicyFix.Kind, summary: String, edits: [SourceEdit])] {
        guard let granting else { return [] }
        let request = counterexample.request
        var found: [(PolicyFix.Kind, String, [SourceEdit])?] = []
        switch property {
        case .noPublicAccess, .noExternalAccess:
            found = [callerCondition(granting)]
        case .never(let scope):
            found = [scopeDeny(scope), narrowed(granting, dropping: scopeActions(scope) + [request.action])]
        case .only, .noNewAccess:
            found = [narrowed(granting, dropping: [request.action])]
        }
        // The statement's grant of the action, then only this request.
        let granted = grantedResources(granting)
        found.append(deny(actions: [request.action], resources: granted, why: "this action on what the statement grants"))
        if !granted.isEmpty, granted != [request.resource] { found.append(deny(actions: [request.action], resources: [request.resource], why: "this action on this resource")) }
        return found.compactMap { $0 }
    }

    // MARK: Candidates

    /// Only the owner's callers: `aws:PrincipalAccount` (or `aws:PrincipalOrgID`) fixed on the granting statement.
    private func callerCondition(_ statement: Statement) -> (PolicyFix.Kind, String, [SourceEdit])? {
        guard role.matchesPrincipals else { return nil }
        let conditionKey: String, value: String
        if let account = ownerAccount {
            (conditionKey, value) = ("aws:PrincipalAccount", account)
        } else if case .noExternalAccess(let zone, _) = property, let organization = zone.organizations.first?.value {
            (conditionKey, value) = ("aws:PrincipalOrgID", organization)
        } else {
            return nil
        }
        let member = "\"StringEquals\": {\(JSONStringLiteral.quoted(conditionKey)): \(JSONStringLiteral.quoted(value))}"
        let summary = "allow \(statement.displayName) only to callers with \(conditionKey) \(value)"
        if let condition = statement.condition {
            // A second StringEquals operator would be a duplicate key; the Deny candidate covers that case.
            guard !condition.clauses.contains(where: { $0.operatorName.value.lowercased() == "stringequals" }),
                  let offset = condition.valueSpan.start.offset else { return nil }
            return (.addCondition, summary, [.insert(memberText(member, after: condition.valueSpan), at: offset + 1)])
        }
        guard let offset = statement.span.start.offset else { return nil }
        return (.addCondition, summary, [.insert(memberText("\"Condition\": {\(member)}", after: statement.span), at: offset + 1)])
    }

    /// The account that owns the resource: the zone's first account, the one the user gave, else the
    /// account of the policy's resource ARNs. Never an account of a Principal: that may be a partner's.
    private var ownerAccount: String? {
        if case .noExternalAccess(let zone, _) = property, let account = zone.accounts.first?.value { return account }
        if let givenOwner { return givenOwner }
        for statement in policy.statements {
            for pattern in statement.resource?.patterns ?? [] {
                if let account = ARNFields(pattern.text)?.account, ARNFields.isAccountID(String(account)) { return String(account) }
            }
        }
        return nil
    }

    /// The granting statement's resource entries that hold the counterexample's resource (a Deny of
    /// them closes the statement's grant of the action, not just this one resource), else the resource.
    private func grantedResources(_ statement: Statement) -> [String] {
        let resource = counterexample.request.resource
        if statement.resource == nil, policy.statements.allSatisfy({ $0.resource == nil }) { return [] }
        guard let element = statement.resource, !element.isNot else { return [resource] }
        let holding = element.patterns.map(\.text).filter { !$0.contains("${") && Wildcard.matches($0, resource, caseInsensitive: false) }
        return holding.isEmpty ? [resource] : holding
    }

    /// The granting wildcard replaced by the actions it grants, less `dropping` (at most 40 left).
    private func narrowed(_ statement: Statement, dropping: [String]) -> (PolicyFix.Kind, String, [SourceEdit])? {
        guard let catalog, let element = statement.action, !element.isNot else { return nil }
        let action = counterexample.request.action.lowercased()
        guard let pattern = element.patterns.first(where: { pattern in
            pattern.text.contains(where: { $0 == "*" || $0 == "?" }) && catalog.actions(matching: pattern.text).contains { $0.fullName.lowercased() == action }
        }), let start = pattern.span.start.offset, let end = pattern.span.end.offset else { return nil }
        let dropped = dropping.map { $0.lowercased() }
        let kept = catalog.actions(matching: pattern.text).map(\.fullName).filter { name in
            !dropped.contains { Wildcard.matches($0, name, caseInsensitive: true) }
        }.sorted()
        guard !kept.isEmpty, kept.count <= 40 else { return nil }
        let list = kept.map(JSONStringLiteral.quoted).joined(separator: ", ")
        let single = element.patterns.count == 1 && element.valueSpan.start.offset == start
        return (.narrowWildcard, "narrow \(JSONStringLiteral.quoted(pattern.text)) in \(statement.displayName) to the \(kept.count) action(s) it grants but \(dropping.count == 1 ? dropping[0] : "those the property forbids")",
                [SourceEdit(range: start..<end, replacement: single ? "[\(list)]" : list)])
    }

    /// A Deny of everything a `never` scope holds, when the scope is plain enough to write as one statement.
    private func scopeDeny(_ scope: Policy) -> (PolicyFix.Kind, String, [SourceEdit])? {
        guard !scope.statements.isEmpty, scope.statements.allSatisfy({ statement in
            statement.condition == nil && statement.principal == nil && statement.action?.isNot == false && statement.resource?.isNot == false
        }) else { return nil }
        let resources = Set(scope.statements.map { $0.resource?.patterns.map(\.text) ?? [] })
        guard resources.count == 1, let only = resources.first, !only.isEmpty else { return nil }
        let actions = scope.statements.flatMap { $0.action?.patterns.map(\.text) ?? [] }
        return deny(actions: actions, resources: only, why: "everything the invariant forbids")
    }

    private func scopeActions(_ scope: Policy) -> [String] {
        scope.statements.filter { $0.action?.isNot == false && $0.condition == nil }.flatMap { $0.action?.patterns.map(\.text) ?? [] }
    }

    /// A new Deny statement after the last one.
    private func deny(actions: [String], resources: [String], why: String) -> (PolicyFix.Kind, String, [SourceEdit])? {
        guard let last = policy.statements.last, let first = policy.statements.first,
              let end = last.span.end.offset, let start = first.span.start.offset else { return nil }
        let sids = Set(policy.statements.compactMap { $0.sid?.value })
        let sid = (1...).lazy.map { "ExplorerDeny\($0)" }.first { !sids.contains($0) }!
        func value(_ list: [String]) -> String {
            list.count == 1 ? JSONStringLiteral.quoted(list[0]) : "[" + list.map(JSONStringLiteral.quoted).joined(separator: ", ") + "]"
        }
        var members = ["\"Sid\": \(JSONStringLiteral.quoted(sid))", "\"Effect\": \"Deny\""]
        if role.matchesPrincipals { members.append("\"Principal\": \"*\"") }
        members.append("\"Action\": \(value(actions))")
        // A policy whose statements name no resource (a role's trust policy) must not get one.
        if !resources.isEmpty { members.append("\"Resource\": \(value(resources))") }
        let indent = indentation(ofLine: last.span.start.line)
        let object = "{" + newline + members.map { indent + "  " + $0 }.joined(separator: "," + newline) + newline + indent + "}"
        let summary = "a Deny statement \(JSONStringLiteral.quoted(sid)) of \(why): \(actions.joined(separator: ", "))" + (resources.isEmpty ? "" : " on \(resources.joined(separator: ", "))")
        if policy.statementIsSingleObject {
            return (.addDeny, summary, [.insert("[", at: start), .insert("," + newline + indent + object + "]", at: end)])
        }
        return (.addDeny, summary, [.insert("," + newline + indent + object, at: end)])
    }

    // MARK: Text

    /// `member` placed as the first member of the object at `span`: on its own line, indented like
    /// the object's next line, when the object spans lines; inline otherwise.
    private func memberText(_ member: String, after span: SourceSpan) -> String {
        guard span.end.line > span.start.line else { return " " + member + "," }
        return newline + indentation(ofLine: span.start.line + 1) + member + ","
    }

    private func indentation(ofLine number: Int) -> String {
        guard number >= 1, number <= lines.count else { return "" }
        return String(lines[number - 1].prefix { $0 == " " || $0 == "\t" })
    }
}
