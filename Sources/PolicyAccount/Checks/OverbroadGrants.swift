import PolicyLanguage

/// A grant in an Allow statement that is broader than least privilege needs.
///
/// Findings are facts about what the statement's text grants according to the action catalogue; they do
/// not take other statements (a Deny elsewhere), permissions boundaries or SCPs into account.
public struct OverbroadGrant: Sendable, Hashable {
    /// What makes the grant broad.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// `"Action": "*"` (or `"*:*"`): every action of every service.
        case everyAction
        /// `"s3:*"`: every action of one service.
        case serviceWide
        /// A partial wildcard such as `"s3:Get*"`, `"iam:*Policy*"` or `"s3:GetObjec?"`.
        case actionWildcard
        /// An Allow with `NotAction`: everything except the actions listed.
        case notAction
        /// `"Resource": "*"` (or `NotResource`) for actions that support resource-level permissions.
        case everyResource
    }

    public var kind: Kind
    /// The statement's `Statement.index` (0-based position in the policy).
    public var statementIndex: Int
    /// The statement's `Sid`, when it has one.
    public var sid: String?
    /// The action pattern as written. For `notAction`, the `NotAction` patterns joined with `", "`; for
    /// `everyResource`, the resource pattern `"*"` (or the `NotResource` patterns joined with `", "`).
    public var pattern: String
    /// Where that pattern is written. For `notAction` (and an `everyResource` from `NotResource`), where
    /// the element's key is written.
    public var span: SourceSpan
    /// How many concrete catalogue actions the statement's grant expands to for this pattern (for
    /// `notAction`: all catalogue actions not excluded; for `everyResource`: how many of the statement's
    /// granted actions support resource-level permissions). A pattern the catalogue does not know counts 0.
    public var actionCount: Int
    /// Up to 5 example actions (`service:Name`), sorted case-insensitively (for `everyResource`: actions
    /// with resource-level permissions that get `"*"`).
    public var examples: [String]
    /// Whether the grant is conditional (the statement has a `Condition`); such grants are still reported.
    public var conditional: Bool
    /// One line for a person, such as `s3:* grants all 180 actions of Amazon S3`.
    public var message: String

    public init(
        kind: Kind, statementIndex: Int, sid: String?, pattern: String, span: SourceSpan, actionCount: Int,
        examples: [String], conditional: Bool, message: String
    ) {
        self.kind = kind
        self.statementIndex = statementIndex
        self.sid = sid
        self.pattern = pattern
        self.span = span
        self.actionCount = actionCount
        self.examples = examples
        self.conditional = conditional
        self.message = message
    }
}

/// Finds grants broader than least privilege needs: wildcards in actions, `NotAction` in Allow
/// statements, and `"Resource": "*"` on actions that could be scoped to specific resources.
public enum OverbroadGrants {
    /// The largest number of examples a finding carries.
    static let exampleLimit = 5

    /// The over-broad grants of every Allow statement of `policy`, in statement order then pattern order
    /// (within a statement, the action findings in the order the patterns are written, then the resource
    /// finding). Deny statements and statements without an `Effect` never produce one. Counts are exact,
    /// from `catalog`; an action pattern the catalogue doesn't know counts 0 and is still reported when it
    /// is a wildcard. A literal action (`s3:GetObject`) is never reported by itself, and `Resource: "*"` is
    /// reported only when some granted action supports resource-level permissions.
    public static func find(in policy: Policy, catalog: ActionCatalog) -> [OverbroadGrant] {
        policy.statements.flatMap { find(in: $0, catalog: catalog) }
    }

    /// The over-broad grants of one statement (none unless it is an Allow statement).
    static func find(in statement: Statement, catalog: ActionCatalog) -> [OverbroadGrant] {
        guard statement.effect?.value == .allow, let action = statement.action else { return [] }
        let context = Context(statement: statement)
        var findings: [OverbroadGrant] = []
        // The concrete actions the statement grants, by flat identity (lowercased full name).
        var granted: [String: ActionInfo] = [:]
        if action.isNot {
            let excluded = Set(action.patterns.flatMap { catalog.actions(matching: $0.text) }.map(key))
            let remaining = catalog.actions(matching: "*").filter { !excluded.contains(key($0)) }
            for info in remaining { granted[key(info)] = info }
            findings.append(notActionFinding(action, remaining: remaining, context: context))
        } else {
            for pattern in action.patterns {
                let matched = catalog.actions(matching: pattern.text)
                for info in matched { granted[key(info)] = info }
                if let finding = actionFinding(pattern, matched: matched, catalog: catalog, context: context) {
                    findings.append(finding)
                }
            }
        }
        if let resource = statement.resource,
            let finding = resourceFinding(resource, granted: Array(granted.values), context: context)
        {
            findings.append(finding)
        }
        return findings
    }

    // MARK: Findings

    /// What every finding of one statement shares.
    private struct Context {
        var index: Int
        var sid: String?
        var conditional: Bool

        init(statement: Statement) {
            index = statement.index
            sid = statement.sid?.value
            conditional = statement.condition != nil
        }

        func grant(_ kind: OverbroadGrant.Kind, pattern: String, span: SourceSpan, actions: [ActionInfo], message: String) -> OverbroadGrant {
            OverbroadGrant(
                kind: kind, statementIndex: index, sid: sid, pattern: pattern, span: span, actionCount: actions.count,
                examples: OverbroadGrants.examples(actions), conditional: conditional,
                message: conditional ? message + ", when its Condition holds" : message)
        }
    }

    /// The finding for one `Action` pattern, or `nil` for a literal action.
    private static func actionFinding(_ pattern: ActionPattern, matched: [ActionInfo], catalog: ActionCatalog, context: Context) -> OverbroadGrant? {
        let text = pattern.text
        if pattern.matchesEveryAction || text == "*:*" {
            return context.grant(
                .everyAction, pattern: text, span: pattern.span, actions: matched,
                message: "\(text) grants all \(matched.count) actions of every service")
        }
        guard pattern.hasWildcard else { return nil }
        if let service = pattern.service, pattern.name == "*", !service.contains(where: { $0 == "*" || $0 == "?" }) {
            let message: String
            if let info = catalog.service(String(service)) {
                message = "\(text) grants all \(matched.count) actions of \(info.name)"
            } else {
                message = "\(text) grants every action of service \"\(service)\", which the catalogue does not know"
            }
            return context.grant(.serviceWide, pattern: text, span: pattern.span, actions: matched, message: message)
        }
        let message: String
        if matched.isEmpty {
            message = "\(text) matches no action the catalogue knows"
        } else {
            let services = Set(matched.map { asciiLowercased($0.service) })
            let scope = services.count == 1 ? (catalog.service(matched[0].service)?.name ?? matched[0].service) : "\(services.count) services"
            message = "\(text) grants \(matched.count) actions of \(scope) (\(exampleList(matched)))"
        }
        return context.grant(.actionWildcard, pattern: text, span: pattern.span, actions: matched, message: message)
    }

    /// The finding for an Allow with `NotAction`.
    private static func notActionFinding(_ action: ActionElement, remaining: [ActionInfo], context: Context) -> OverbroadGrant {
        let written = action.patterns.map(\.text).joined(separator: ", ")
        let except = written.isEmpty ? "" : " except \(written)"
        return context.grant(
            .notAction, pattern: written, span: action.keySpan, actions: remaining,
            message: "NotAction grants \(remaining.count) actions: every action\(except) (\(exampleList(remaining)))")
    }

    /// The finding for `Resource: "*"` or `NotResource`, when some granted action supports
    /// resource-level permissions.
    private static func resourceFinding(_ resource: ResourceElement, granted: [ActionInfo], context: Context) -> OverbroadGrant? {
        let pattern: String
        let span: SourceSpan
        if resource.isNot {
            pattern = resource.patterns.map(\.text).joined(separator: ", ")
            span = resource.keySpan
        } else if let every = resource.patterns.first(where: \.matchesEveryResource) {
            pattern = every.text
            span = every.span
        } else {
            return nil
        }
        let scoped = granted.filter(\.supportsResourceLevelPermissions)
        guard !scoped.isEmpty else { return nil }
        let written = resource.isNot ? "NotResource [\(pattern)]" : "Resource \"\(pattern)\""
        return context.grant(
            .everyResource, pattern: pattern, span: span, actions: scoped,
            message: "\(written) on \(scoped.count) actions that support resource-level permissions (\(exampleList(scoped)))")
    }

    // MARK: Helpers

    /// The identity of an action for de-duplication: its full name, lowercased.
    private static func key(_ info: ActionInfo) -> String { asciiLowercased(info.fullName) }

    /// The first `exampleLimit` full names of `actions` in case-insensitive order.
    static func examples(_ actions: [ActionInfo]) -> [String] {
        let keyed = actions.map { (key: asciiLowercased($0.fullName), name: $0.fullName) }
        return keyed.sorted { ($0.key, $0.name) < ($1.key, $1.name) }.prefix(exampleLimit).map(\.name)
    }

    /// The examples of `actions` for a message, with `…` when there are more.
    private static func exampleList(_ actions: [ActionInfo]) -> String {
        let shown = examples(actions)
        return (shown + (actions.count > shown.count ? ["…"] : [])).joined(separator: ", ")
    }
}

/// `text` with ASCII letters lowercased, the folding IAM and the catalogue use for action names.
private func asciiLowercased(_ text: String) -> String {
    String(decoding: text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
}
