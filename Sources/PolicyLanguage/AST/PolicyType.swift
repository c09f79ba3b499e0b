/// Where a policy is attached, which decides the rules it must follow (SEMANTICS.md §1 table) and how it
/// combines with others (§4).
public enum PolicyType: String, Sendable, Equatable, CaseIterable {
    /// Attached to a user, group or role.
    case identity
    /// Attached to a resource (bucket, key, queue, …); names principals.
    case resource
    /// A role's trust policy (who may assume the role).
    case trust
    /// A service control policy of AWS Organizations.
    case scp
    /// A resource control policy of AWS Organizations.
    case rcp
    /// A permissions boundary.
    case boundary
    /// A session policy passed when assuming a role or federating.
    case session

    /// Whether statements must name a principal.
    public var requiresPrincipal: Bool { self == .resource || self == .trust || self == .rcp }

    /// Whether statements must not name a principal.
    public var forbidsPrincipal: Bool {
        self == .identity || self == .scp || self == .boundary || self == .session
    }

    /// Whether `Resource` or `NotResource` is required in every statement.
    public var requiresResource: Bool {
        self == .identity || self == .boundary || self == .session || self == .resource
    }
}

/// The policy type PolicyProver assumes when none is given, and why.
public struct InferredPolicyType: Sendable, Equatable {
    public var type: PolicyType
    /// A sentence saying what in the document led to the choice.
    public var reason: String
}

extension Policy {
    /// Infers the policy type from the document alone:
    /// - no statement names a `Principal`/`NotPrincipal` → identity (also right for boundaries and
    ///   session policies, which follow the same rules; SCPs must be named with `--policy-type scp`);
    /// - principals, no `Resource`/`NotResource`, and every action is an `sts:AssumeRole*`,
    ///   `sts:TagSession`, `sts:SetSourceIdentity` or `sts:SetContext` action → trust;
    /// - otherwise → resource.
    public func inferType() -> InferredPolicyType {
        let withPrincipal = statements.filter { $0.principal != nil }
        guard !withPrincipal.isEmpty else {
            return InferredPolicyType(type: .identity, reason: "no statement names a Principal")
        }
        let trustActions: Set<String> = [
            "sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
            "sts:tagsession", "sts:setsourceidentity", "sts:setcontext",
        ]
        let looksLikeTrust = statements.allSatisfy { statement in
            guard statement.resource == nil, let action = statement.action, !action.isNot,
                !action.patterns.isEmpty
            else { return false }
            return action.patterns.allSatisfy { trustActions.contains($0.text.lowercased()) }
        }
        if looksLikeTrust {
            return InferredPolicyType(
                type: .trust, reason: "statements name principals, have no Resource and only sts:AssumeRole* actions")
        }
        return InferredPolicyType(type: .resource, reason: "statements name principals")
    }
}
