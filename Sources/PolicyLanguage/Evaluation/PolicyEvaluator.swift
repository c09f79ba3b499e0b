/// The concrete evaluator: IAM's decision for one request under a set of policies
/// (SEMANTICS.md §2–§4). It is PolicyProver's reference semantics: every counterexample the prover finds
/// is replayed through it before it is shown.
///
/// Guarantees: deterministic, total (every request gets a decision), and it never consults anything
/// but its arguments. Policies are taken as decoded; statements without an `Effect` or `Action`
/// never apply.
public struct PolicyEvaluator: Sendable {
    /// The action catalogue, used to know which actions only read (AWS-owned resources) and which have
    /// no resource-level permissions; `nil` falls back to the action's name.
    public var catalog: ActionCatalog?

    public init(catalog: ActionCatalog? = .bundled) {
        self.catalog = catalog
    }

    /// Decides `request`. The decision's `trace` lists every statement when `explain` is true and is
    /// empty otherwise (cheaper when deciding many requests).
    public func evaluate(_ request: Request, policies: PolicySet, explain: Bool = true) -> Decision {
        var request = request.withDerivedKeys()
        if request.resource == "*", let action = catalog?.action(request.action), !action.supportsResourceLevelPermissions {
            request.wildcardOnlyAction = true
        }
        var run = EvaluationRun(request: request, recordsTrace: explain, principalHasBoundary: policies.permissionsBoundary != nil)
        // sts:GetCallerIdentity needs no permission and cannot be denied (STS API reference).
        if request.action.lowercased() == "sts:getcalleridentity" {
            return run.decision(.allow, [], "sts:GetCallerIdentity is always allowed, even when a policy denies it")
        }
        if let refusal = AWSOwnedResources.refusal(for: request, catalog: catalog) {
            return run.decision(.implicitDeny, [], refusal)
        }

        let identity = policies.identityPolicies.map { run.outcome(of: $0, role: .identity) }.merged()
        let resource = policies.resourcePolicy.map { run.outcome(of: $0, role: .resource) }
        let boundary = policies.permissionsBoundary.map { run.outcome(of: $0, role: .permissionsBoundary) }
        let session = policies.sessionPolicy.map { run.outcome(of: $0, role: .session) }
        let endpoint = policies.vpcEndpointPolicy.map { run.outcome(of: $0, role: .vpcEndpoint) }
        let principal = request.principal
        let scpsApply = !policies.scpLevels.isEmpty && principal.account != nil && !request.principalInManagementAccount && !principal.isServiceLinkedRole
        let rcpsApply = !policies.rcpLevels.isEmpty && !request.resourceInManagementAccount && !principal.isServiceLinkedRole
        let scpLevels = scpsApply ? policies.scpLevels.enumerated().map { level, list in list.map { run.outcome(of: $0, role: .scp, level: level) }.merged() } : []
        let rcpLevels = rcpsApply ? policies.rcpLevels.enumerated().map { level, list in list.map { run.outcome(of: $0, role: .rcp, level: level) }.merged() } : []

        // 1. Any applicable Deny anywhere decides.
        let all = [identity] + [resource, boundary, session, endpoint].compactMap { $0 } + scpLevels + rcpLevels
        let denies = all.flatMap(\.denying)
        if !denies.isEmpty {
            return run.decision(.explicitDeny, denies, "an explicit Deny applies")
        }
        // 2. Organization guardrails and the endpoint must allow.
        if let level = scpLevels.firstIndex(where: { $0.allowing.isEmpty }) {
            return run.decision(.implicitDeny, [], "no service control policy at organization level \(level + 1) allows the request")
        }
        if let level = rcpLevels.firstIndex(where: { $0.allowing.isEmpty }) {
            return run.decision(.implicitDeny, [], "no resource control policy at organization level \(level + 1) allows the request")
        }
        if let endpoint, endpoint.allowing.isEmpty {
            return run.decision(.implicitDeny, [], "the VPC endpoint policy does not allow the request")
        }
        let guardrails = scpLevels.flatMap(\.allowing) + rcpLevels.flatMap(\.allowing) + (endpoint?.allowing ?? [])

        let grants = ResourceGrants(resource?.allowingStatements ?? [], principal: principal)
        let boundaryAllows = boundary.map { !$0.allowing.isEmpty } ?? true
        let sessionAllows: Bool
        if let session {
            sessionAllows = !session.allowing.isEmpty
        } else if case .federatedUser = principal {
            sessionAllows = false
        } else {
            sessionAllows = true
        }
        let limits = (boundary?.allowing ?? []) + (session?.allowing ?? [])
        func limitFailure() -> String {
            if !boundaryAllows { return "the permissions boundary does not allow the request" }
            if case .federatedUser = principal, policies.sessionPolicy == nil {
                return "a federated user session without a session policy has no permissions"
            }
            return "the session policy does not allow the request"
        }

        // 3. Callers outside any account (anonymous, service principals) can only be let in by the
        // resource policy.
        guard principal.account != nil else {
            guard !grants.all.isEmpty else {
                return run.decision(.implicitDeny, [], "only a resource-based policy can allow a request from \(principal), and none does")
            }
            return run.decision(.allow, grants.all + guardrails, "the resource-based policy allows \(principal)")
        }

        // 4. Cross-account: the principal's account and the resource's account must both allow.
        if request.isCrossAccount {
            guard !identity.allowing.isEmpty else {
                return run.decision(.implicitDeny, [], "cross-account request: no identity-based policy in the principal's account allows it")
            }
            guard boundaryAllows, sessionAllows else { return run.decision(.implicitDeny, [], limitFailure()) }
            guard !grants.all.isEmpty else {
                return run.decision(.implicitDeny, [], "cross-account request: the resource-based policy in account \(request.effectiveResourceAccount ?? "?") does not allow the principal")
            }
            return run.decision(.allow, identity.allowing + grants.all + limits + guardrails, "both the principal's and the resource's account allow the request")
        }

        // 5. Same account. A resource policy naming the user or session ARN allows on its own; a grant
        // to the role, or an identity-policy Allow, is limited by the boundary and session policy.
        let resourceMustAllow = Self.resourcePolicyMustAllow(request)
        if !grants.direct.isEmpty {
            return run.decision(.allow, grants.direct + guardrails, "the resource-based policy names the caller")
        }
        var granting = grants.principal
        if !resourceMustAllow || !grants.account.isEmpty {
            granting += identity.allowing
        }
        if resourceMustAllow, grants.all.isEmpty {
            return run.decision(.implicitDeny, [], "the \(Self.resourcePolicyName(request)) does not allow the caller, and it must")
        }
        guard !granting.isEmpty else {
            if resourceMustAllow {
                return run.decision(.implicitDeny, [], "the \(Self.resourcePolicyName(request)) delegates to the account, and no identity-based policy allows the request")
            }
            return run.decision(.implicitDeny, [], "no identity-based or resource-based policy allows the request")
        }
        guard boundaryAllows, sessionAllows else { return run.decision(.implicitDeny, [], limitFailure()) }
        let source = grants.principal.isEmpty ? "an identity-based policy allows the request" : "the resource-based policy allows the caller"
        let limited = [boundary != nil ? "the permissions boundary" : nil, session != nil ? "the session policy" : nil, scpLevels.isEmpty ? nil : "every SCP level", rcpLevels.isEmpty ? nil : "every RCP level"].compactMap { $0 }
        return run.decision(.allow, granting + (resourceMustAllow ? grants.account : []) + limits + guardrails, source + (limited.isEmpty ? "" : ", and " + limited.joined(separator: ", ") + " allow" + (limited.count == 1 ? "s" : "") + " it too"))
    }

    /// KMS key policies and role trust policies must allow themselves: an identity policy alone is
    /// not enough (SEMANTICS.md §4 step 4).
    static func resourcePolicyMustAllow(_ request: Request) -> Bool {
        let action = request.action.lowercased()
        if action.hasPrefix("sts:assumerole"), let fields = ARNFields(request.resource), fields.service == "iam", fields.resource.hasPrefix("role/") {
            return true
        }
        if action.hasPrefix("kms:"), let fields = ARNFields(request.resource), fields.service == "kms", fields.resource.hasPrefix("key/") {
            return true
        }
        return false
    }

    static func resourcePolicyName(_ request: Request) -> String {
        request.action.lowercased().hasPrefix("sts:") ? "role trust policy" : "key policy"
    }
}

/// How the resource policy's applying Allow statements name the caller.
struct ResourceGrants {
    /// Statements naming the IAM user or the session ARN exactly.
    var direct: [StatementReference] = []
    /// Statements naming the caller's role, or everyone (`"*"`, NotPrincipal): grants limited like an
    /// identity-policy Allow.
    var principal: [StatementReference] = []
    /// Statements naming only the caller's account: delegation to the account's own policies.
    var account: [StatementReference] = []

    var all: [StatementReference] { direct + principal + account }

    init(_ statements: [(Statement, StatementReference)], principal caller: RequestPrincipal) {
        for (statement, reference) in statements {
            guard let element = statement.principal, !element.isNot, case .specific(let values) = element.value else {
                principal.append(reference)
                continue
            }
            let matching = values.filter { StatementMatching.matches($0, principal: caller) }
            if matching.contains(where: { StatementMatching.namesCallerDirectly($0, principal: caller) }) {
                direct.append(reference)
            } else if matching.contains(where: { !Self.namesAccountOnly($0) }) {
                principal.append(reference)
            } else {
                account.append(reference)
            }
        }
    }

    private static func namesAccountOnly(_ value: PrincipalValue) -> Bool {
        guard value.type == .aws, case .root? = RequestPrincipal(awsPolicyValue: value.text) else { return false }
        return true
    }
}

/// How an Allow statement of a resource-based policy lets a caller in, in the caller's own account
/// (SEMANTICS.md §4 step 4).
public enum ResourceGrantKind: Sendable, Hashable {
    /// It names the IAM user or session ARN: it allows on its own.
    case direct
    /// It names the caller's role, or everyone: it allows as far as the boundary and session policy do.
    case principal
    /// It names only the caller's account: an identity-policy Allow is needed too.
    case account
}

extension PolicyEvaluator {
    /// How `statement`'s principal element names `caller`; `nil` when it does not match the caller
    /// (then the statement does not apply to the caller's requests). Only the principal element is
    /// read; whether the action, resource and conditions apply is the request's question.
    public static func resourceGrant(of statement: Statement, for caller: RequestPrincipal) -> ResourceGrantKind? {
        guard StatementMatching.matches(statement.principal, principal: caller) else { return nil }
        let grants = ResourceGrants([(statement, StatementReference(role: .resource, file: "", statementIndex: statement.index, sid: nil, effect: .allow, span: statement.span))], principal: caller)
        if !grants.direct.isEmpty { return .direct }
        if !grants.principal.isEmpty { return .principal }
        return .account
    }
}
