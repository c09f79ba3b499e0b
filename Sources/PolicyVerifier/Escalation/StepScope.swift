import Foundation
import PolicyLanguage

/// The requests that would carry out a step, written as a policy: its alternative actions, each on
/// the resources it is compatible with, with the context the step sends. As a scope in a query it is
/// certified like every policy of the query: the evaluator confirms that a counterexample request is
/// one of the step's.
enum StepScope {
    /// `account`: the principal's account the resources must be in; `nil` for any account (the
    /// over-approximation that proves a step impossible everywhere at once).
    /// `caller`: the known user whose own resource an `otherUserOnly` step excludes.
    static func policy(for step: EscalationStep, account: String?, tieResourceAccount: Bool, caller: KnownCaller? = nil, catalog: ActionCatalog?) -> Policy? {
        let owner = account ?? "*"
        var condition: [String: [String: String]] = [:]
        if let service = step.passedToService { condition["StringEquals", default: [:]]["iam:PassedToService"] = service }
        // The encoding leaves `aws:ResourceAccount` free; a request of the principal's own account has
        // the principal's account there (in any account too, so the over-approximation stays sound).
        if tieResourceAccount { condition["StringEquals", default: [:]]["aws:ResourceAccount"] = account ?? "${aws:PrincipalAccount}" }
        var statements = step.actions.map { action in
            let patterns = resources(for: action, shape: step.resource, account: owner, catalog: catalog)
            // The literal resource `*` alone, as AWS sends it: whatever is not an ARN.
            if patterns == ["*"] { return statement("Allow", actions: [action], resources: ["arn:*"], condition: condition, notResource: true) }
            return statement("Allow", actions: [action], resources: patterns, condition: condition)
        }
        // Resources AWS owns: no policy can let anyone change them (the evaluator refuses them too).
        switch step.resource {
        // Service-linked roles neither: their policies and trust are the service's, and only the
        // service acts as them.
        case .iamRole: statements.append(statement("Deny", actions: ["*"], resources: ["arn:*:iam::*:role/aws-reserved/*", "arn:*:iam::*:role/aws-service-role/*"], condition: [:]))
        case .iamPolicy: statements.append(statement("Deny", actions: ["*"], resources: ["arn:*:iam::aws:policy/*"], condition: [:]))
        default: break
        }
        if step.otherUserOnly, let caller, caller.kind == .user {
            statements.append(statement("Deny", actions: ["*"], resources: [caller.arn.replacingOccurrences(of: "arn:aws:", with: "arn:*:")], condition: [:]))
        }
        let text = #"{"Version":"2012-10-17","Statement":["# + statements.joined(separator: ",") + "]}"
        let parsed = PolicyParser.parse(text: text, file: "<step \(step.actions.joined(separator: "|")) in \(account ?? "any account")>")
        return parsed.isEvaluable ? parsed.policy : nil
    }

    /// Resource patterns compatible with `action` for a step on resources of kind `shape`; `["*"]`
    /// for the literal resource `*`.
    static func resources(for action: String, shape: EscalationResource, account: String, catalog: ActionCatalog?) -> [String] {
        switch shape {
        case .iamUser: return ["arn:*:iam::\(account):user/*"]
        case .iamGroup: return ["arn:*:iam::\(account):group/*"]
        case .iamRole: return ["arn:*:iam::\(account):role/*"]
        case .iamPolicy: return ["arn:*:iam::\(account):policy/*"]
        case .exact(let arn): return [arn.replacingOccurrences(of: "${Account}", with: account)]
        case .serviceResource:
            let service = String(action.prefix { $0 != ":" }).lowercased()
            guard let catalog, let info = catalog.action(action), let types = catalog.service(info.service) else {
                return ["arn:*:\(service):*:\(account):*"]
            }
            // Actions without resource-level permissions are requested on the literal `*`.
            guard info.supportsResourceLevelPermissions else { return ["*"] }
            // The resources the action needs; the optional ones (an output bucket) only when none is.
            let required = info.resourceTypes.filter(\.isRequired)
            let formats = (required.isEmpty ? info.resourceTypes : required).compactMap { types.resourceType($0.name)?.arnFormat }
            guard !formats.isEmpty else { return ["arn:*:\(service):*:\(account):*"] }
            // With an empty account too: resources AWS shares (SSM documents such as AWS-RunShellScript)
            // and those whose ARN names no account count as the principal's own.
            let owners = account == "*" ? ["*"] : [account, ""]
            return owners.flatMap { owner in formats.map { pattern(fromFormat: $0, account: owner) } }
        }
    }

    /// `arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}` → `arn:*:lambda:*:A:function:*`.
    static func pattern(fromFormat format: String, account: String) -> String {
        var result = ""
        var rest = Substring(format)
        while let open = rest.range(of: "${") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { return result + "*" }
            let name = rest[open.upperBound..<close]
            result += ["Account", "AccountId", "AccountID"].contains(String(name)) ? account : "*"
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    private static func statement(_ effect: String, actions: [String], resources: [String], condition: [String: [String: String]], notResource: Bool = false) -> String {
        var text = #"{"Effect":"\#(effect)","Action":["# + actions.map(quote).joined(separator: ",") + #"],""# + (notResource ? "NotResource" : "Resource") + #"":["# + resources.map(quote).joined(separator: ",") + "]"
        if !condition.isEmpty {
            let blocks = condition.keys.sorted().map { op in
                quote(op) + ":{" + condition[op]!.keys.sorted().map { quote($0) + ":" + quote(condition[op]![$0]!) }.joined(separator: ",") + "}"
            }
            text += #","Condition":{"# + blocks.joined(separator: ",") + "}"
        }
        return text + "}"
    }

    private static func quote(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
