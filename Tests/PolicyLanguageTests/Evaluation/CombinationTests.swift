import Testing
@testable import PolicyLanguage

/// How policy types combine into a decision (SEMANTICS.md §4; [UG:reference_policies_evaluation-logic],
/// [UG:reference_policies_evaluation-logic-cross-account], [UG:access_policies_boundaries]).
@Suite("Combining policy types")
struct CombinationTests {
    /// One scenario: a caller, an action on a resource, the policies in force, and the decision.
    struct Scenario: Sendable, CustomTestStringConvertible {
        var rule: String
        var caller: String? = Principals.alice
        var action = "s3:GetObject"
        var resource = "arn:aws:s3:::bucket/key"
        var resourceAccount: String? = nil
        var identity: [String] = []
        var resourcePolicy: String? = nil
        var boundary: String? = nil
        var session: String? = nil
        var scps: [[String]] = []
        var rcps: [[String]] = []
        var vpce: String? = nil
        var managementAccount = false
        var expected: DecisionKind

        var testDescription: String { "\(rule) → \(expected.rawValue)" }

        func run() throws {
            let request = try makeRequest(caller, action, resource, resourceAccount: resourceAccount,
                                          principalInManagementAccount: managementAccount, resourceInManagementAccount: managementAccount)
            let result = try decision(request, identity: identity, resource: resourcePolicy, boundary: boundary, session: session,
                                      scps: scps, rcps: rcps, vpce: vpce)
            #expect(result.kind == expected, "\(rule): got \(result.kind.rawValue) (\(result.reason))")
        }
    }

    static let getObject = Policies.allow("s3:GetObject", "arn:aws:s3:::bucket/*")
    static let denyS3 = Policies.deny("s3:*")
    static func grant(_ principal: String, _ action: String = "s3:GetObject", _ resource: String? = "arn:aws:s3:::bucket/*", effect: String = "Allow") -> String {
        document(statement(effect, action: action, resource: resource, principal: principal))
    }
    static let allowEC2 = Policies.allow("ec2:*")
    static let rcpDenyS3 = document(statement("Deny", action: "s3:*", principal: "*"))

    static let singleAccountScenarios: [Scenario] = [
        .init(rule: "no policy: implicit deny", expected: .implicitDeny),
        .init(rule: "identity Allow", identity: [getObject], expected: .allow),
        .init(rule: "identity Allow for another action", identity: [allowEC2], expected: .implicitDeny),
        .init(rule: "Deny overrides Allow across identity policies", identity: [Policies.allowAll, denyS3], expected: .explicitDeny),
        .init(rule: "resource-policy Deny overrides identity Allow", identity: [getObject], resourcePolicy: grant(Principals.alice, effect: "Deny"), expected: .explicitDeny),
        .init(rule: "resource policy naming the user ARN allows without identity policy", resourcePolicy: grant(Policies.aws(Principals.alice)), expected: .allow),
        .init(rule: "resource policy naming the user ARN is not limited by the boundary", resourcePolicy: grant(Policies.aws(Principals.alice)),
              boundary: allowEC2, expected: .allow),
        .init(rule: "resource policy naming the session ARN allows without identity policy", caller: Principals.session,
              resourcePolicy: grant(Policies.aws(Principals.session)), expected: .allow),
        .init(rule: "resource policy naming the session ARN is not limited by the session policy", caller: Principals.session,
              resourcePolicy: grant(Policies.aws(Principals.session)), session: allowEC2, expected: .allow),
        .init(rule: "resource policy naming the role allows its session", caller: Principals.session, resourcePolicy: grant(Policies.aws(Principals.role)), expected: .allow),
        .init(rule: "resource policy naming the role is limited by the boundary", caller: Principals.session,
              resourcePolicy: grant(Policies.aws(Principals.role)), boundary: allowEC2, expected: .implicitDeny),
        .init(rule: "resource policy naming the role is limited by the session policy", caller: Principals.session,
              resourcePolicy: grant(Policies.aws(Principals.role)), session: allowEC2, expected: .implicitDeny),
        .init(rule: "resource policy naming the account delegates: identity Allow still needed", resourcePolicy: grant(Policies.aws(Accounts.home)), expected: .implicitDeny),
        .init(rule: "resource policy naming the account + identity Allow", identity: [getObject], resourcePolicy: grant(Policies.aws(Accounts.home)), expected: .allow),
        .init(rule: "resource policy naming :root + identity Allow", identity: [getObject], resourcePolicy: grant(Policies.aws(Principals.root)), expected: .allow),
        .init(rule: "resource policy naming another user does not help", resourcePolicy: grant(Policies.aws(Principals.bob)), expected: .implicitDeny),
        // Permissions boundaries.
        .init(rule: "boundary allows and identity allows", identity: [getObject], boundary: Policies.allow("s3:*"), expected: .allow),
        .init(rule: "boundary does not allow: implicit deny", identity: [getObject], boundary: allowEC2, expected: .implicitDeny),
        .init(rule: "boundary alone grants nothing", boundary: Policies.allowAll, expected: .implicitDeny),
        .init(rule: "Deny in the boundary", identity: [getObject], boundary: document(statement(), statement("Deny", action: "s3:*")), expected: .explicitDeny),
        // Session policies.
        .init(rule: "role session without a session policy", caller: Principals.session, identity: [getObject], expected: .allow),
        .init(rule: "session policy allows", caller: Principals.session, identity: [getObject], session: Policies.allow("s3:*"), expected: .allow),
        .init(rule: "session policy does not allow", caller: Principals.session, identity: [getObject], session: allowEC2, expected: .implicitDeny),
        .init(rule: "session policy alone grants nothing", caller: Principals.session, session: Policies.allowAll, expected: .implicitDeny),
        .init(rule: "federated user without a session policy has no permissions", caller: Principals.federated, identity: [getObject], expected: .implicitDeny),
        .init(rule: "federated user with a session policy", caller: Principals.federated, identity: [getObject], session: Policies.allowAll, expected: .allow),
        .init(rule: "resource policy naming the federated user", caller: Principals.federated, resourcePolicy: grant(Policies.aws(Principals.federated)), expected: .allow),
        // Service control policies (principal's account).
        .init(rule: "SCP FullAWSAccess + identity Allow", identity: [getObject], scps: [[Policies.allowAll]], expected: .allow),
        .init(rule: "SCP allows but grants nothing by itself", scps: [[Policies.allowAll]], expected: .implicitDeny),
        .init(rule: "SCP needed at every level: both allow", identity: [getObject], scps: [[Policies.allowAll], [Policies.allow("s3:*")]], expected: .allow),
        .init(rule: "SCP needed at every level: the OU does not allow", identity: [getObject], scps: [[Policies.allowAll], [allowEC2]], expected: .implicitDeny),
        .init(rule: "an empty SCP level allows nothing", identity: [getObject], scps: [[Policies.allowAll], []], expected: .implicitDeny),
        .init(rule: "SCP Deny at the root", identity: [getObject], scps: [[Policies.allowAll, denyS3], [Policies.allowAll]], expected: .explicitDeny),
        .init(rule: "SCPs apply to a member account's root user", caller: Principals.root, identity: [], scps: [[Policies.allowAll, denyS3]], expected: .explicitDeny),
        .init(rule: "SCPs do not apply to the management account", identity: [getObject], scps: [[denyS3], []], managementAccount: true, expected: .allow),
        .init(rule: "SCPs do not apply to service-linked roles", caller: Principals.serviceLinked, identity: [getObject], scps: [[denyS3]], expected: .allow),
        // Resource control policies (resource's account).
        .init(rule: "RCPFullAWSAccess", identity: [getObject], rcps: [[Policies.rcpFullAccess]], expected: .allow),
        .init(rule: "RCP Deny at a lower level", identity: [getObject], rcps: [[Policies.rcpFullAccess], [Policies.rcpFullAccess, rcpDenyS3]], expected: .explicitDeny),
        .init(rule: "RCP level without an Allow (code's choice)", identity: [getObject], rcps: [[Policies.rcpFullAccess], []], expected: .implicitDeny),
        .init(rule: "RCPs do not apply to resources in the management account", identity: [getObject],
              rcps: [[Policies.rcpFullAccess, rcpDenyS3]], managementAccount: true, expected: .allow),
        .init(rule: "RCP Deny applies to anonymous callers", caller: nil, resourcePolicy: grant(#""*""#), rcps: [[Policies.rcpFullAccess, rcpDenyS3]], expected: .explicitDeny),
        // VPC endpoint policies.
        .init(rule: "endpoint policy allows", identity: [getObject], vpce: grant(#""*""#, "*", "*"), expected: .allow),
        .init(rule: "endpoint policy covers another bucket", identity: [getObject], vpce: grant(#""*""#, "s3:*", "arn:aws:s3:::other/*"), expected: .implicitDeny),
        .init(rule: "endpoint policy Deny", identity: [getObject], vpce: document(statement(principal: "*"), statement("Deny", action: "s3:*", principal: "*")), expected: .explicitDeny),
        // Anonymous and service callers: only a resource policy can allow.
        .init(rule: "anonymous: resource policy with *", caller: nil, resourcePolicy: grant(#""*""#), expected: .allow),
        .init(rule: "anonymous: resource policy with {AWS: *}", caller: nil, resourcePolicy: grant(Policies.aws("*")), expected: .allow),
        .init(rule: "anonymous: resource policy naming the account", caller: nil, resourcePolicy: grant(Policies.aws(Accounts.home)), expected: .implicitDeny),
        .init(rule: "anonymous: no resource policy", caller: nil, expected: .implicitDeny),
        .init(rule: "service principal allowed by the resource policy", caller: "logging.s3.amazonaws.com", action: "s3:PutObject",
              resourcePolicy: grant(#"{"Service": "logging.s3.amazonaws.com"}"#, "s3:PutObject"), expected: .allow),
        // Special actions and resources.
        .init(rule: "sts:GetCallerIdentity is always allowed, even when denied", action: "sts:GetCallerIdentity", resource: "*",
              identity: [Policies.deny()], expected: .allow),
        .init(rule: "AWS managed policies cannot be changed", action: "iam:DeletePolicy", resource: "arn:aws:iam::aws:policy/AdministratorAccess",
              identity: [Policies.allowAll], expected: .implicitDeny),
    ]

    @Test(arguments: singleAccountScenarios)
    func singleAccount(_ scenario: Scenario) throws { try scenario.run() }

    static let key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    static let target = "arn:aws:iam::111122223333:role/Target"
    static let sharedBucket = "arn:aws:s3:::shared/key"

    static let resourcePolicyScenarios: [Scenario] = [
        // KMS key policies must allow.
        .init(rule: "KMS: identity Allow without key policy grant", action: "kms:Decrypt", resource: key, identity: [Policies.allowAll], expected: .implicitDeny),
        .init(rule: "KMS: key policy names the account + identity Allow", action: "kms:Decrypt", resource: key, identity: [Policies.allowAll],
              resourcePolicy: grant(Policies.aws(Principals.root), "kms:*", "*"), expected: .allow),
        .init(rule: "KMS: key policy names the account, no identity Allow", action: "kms:Decrypt", resource: key,
              resourcePolicy: grant(Policies.aws(Principals.root), "kms:*", "*"), expected: .implicitDeny),
        .init(rule: "KMS: key policy names the user", action: "kms:Decrypt", resource: key,
              resourcePolicy: grant(Policies.aws(Principals.alice), "kms:Decrypt", "*"), expected: .allow),
        // Role trust policies must allow.
        .init(rule: "AssumeRole: identity Allow without trust", action: "sts:AssumeRole", resource: target, identity: [Policies.allowAll], expected: .implicitDeny),
        .init(rule: "AssumeRole: trust names the user", action: "sts:AssumeRole", resource: target,
              resourcePolicy: grant(Policies.aws(Principals.alice), "sts:AssumeRole", nil), expected: .allow),
        .init(rule: "AssumeRole: trust names the account + identity Allow", action: "sts:AssumeRole", resource: target, identity: [Policies.allowAll],
              resourcePolicy: grant(Policies.aws(Accounts.home), "sts:AssumeRole", nil), expected: .allow),
        .init(rule: "AssumeRole: trust names the account, no identity Allow", action: "sts:AssumeRole", resource: target,
              resourcePolicy: grant(Policies.aws(Accounts.home), "sts:AssumeRole", nil), expected: .implicitDeny),
        .init(rule: "AssumeRole cross-account: trust names the caller's account + identity Allow", caller: Principals.otherUser, action: "sts:AssumeRole",
              resource: target, identity: [Policies.allowAll], resourcePolicy: grant(Policies.aws(Accounts.other), "sts:AssumeRole", nil), expected: .allow),
        .init(rule: "AssumeRole cross-account: trust names the user, no identity Allow", caller: Principals.otherUser, action: "sts:AssumeRole",
              resource: target, resourcePolicy: grant(Policies.aws(Principals.otherUser), "sts:AssumeRole", nil), expected: .implicitDeny),
        // Cross-account: both sides must allow.
        .init(rule: "cross-account: identity Allow only", caller: Principals.otherUser, resource: sharedBucket, resourceAccount: Accounts.home,
              identity: [Policies.allowAll], expected: .implicitDeny),
        .init(rule: "cross-account: resource policy naming the user only", caller: Principals.otherUser, resource: sharedBucket, resourceAccount: Accounts.home,
              resourcePolicy: grant(Policies.aws(Principals.otherUser), "s3:GetObject", "arn:aws:s3:::shared/*"), expected: .implicitDeny),
        .init(rule: "cross-account: both sides allow", caller: Principals.otherUser, resource: sharedBucket, resourceAccount: Accounts.home,
              identity: [Policies.allowAll], resourcePolicy: grant(Policies.aws(Principals.otherUser), "s3:GetObject", "arn:aws:s3:::shared/*"), expected: .allow),
        .init(rule: "cross-account: resource policy naming the caller's account", caller: Principals.otherSession, resource: sharedBucket, resourceAccount: Accounts.home,
              identity: [Policies.allowAll], resourcePolicy: grant(Policies.aws(Accounts.other), "s3:GetObject", "arn:aws:s3:::shared/*"), expected: .allow),
        .init(rule: "cross-account: resource policy naming the resource's own account", caller: Principals.otherUser, resource: sharedBucket, resourceAccount: Accounts.home,
              identity: [Policies.allowAll], resourcePolicy: grant(Policies.aws(Accounts.home), "s3:GetObject", "arn:aws:s3:::shared/*"), expected: .implicitDeny),
        .init(rule: "cross-account: the caller's boundary still applies", caller: Principals.otherUser, resource: sharedBucket, resourceAccount: Accounts.home,
              identity: [Policies.allowAll], resourcePolicy: grant(Policies.aws(Principals.otherUser), "s3:GetObject", "arn:aws:s3:::shared/*"),
              boundary: allowEC2, expected: .implicitDeny),
        .init(rule: "cross-account: the caller's SCPs still apply", caller: Principals.otherUser, resource: sharedBucket, resourceAccount: Accounts.home,
              identity: [Policies.allowAll], resourcePolicy: grant(Policies.aws(Principals.otherUser), "s3:GetObject", "arn:aws:s3:::shared/*"),
              scps: [[Policies.allowAll, denyS3]], expected: .explicitDeny),
        .init(rule: "cross-account: resource-policy Deny", caller: Principals.otherUser, resource: sharedBucket, resourceAccount: Accounts.home,
              identity: [Policies.allowAll], resourcePolicy: grant(#""*""#, "s3:*", "*", effect: "Deny"), expected: .explicitDeny),
    ]

    @Test(arguments: resourcePolicyScenarios)
    func resourcePolicyRequiredAndCrossAccount(_ scenario: Scenario) throws { try scenario.run() }

    /// Resource-based policies must name a principal (SEMANTICS.md §1 table; S3 rejects a bucket policy
    /// statement without one). A statement without Principal therefore names nobody and never applies
    /// (§4: a resource-policy statement applies only when its principal matches); the conformance corpus's
    /// source evaluator skips it too ("Statement without Principal is skipped").
    @Test func resourcePolicyStatementWithoutPrincipalNeverApplies() throws {
        let request = try makeRequest(Principals.alice)
        let allow = document(statement(action: "s3:GetObject", resource: "arn:aws:s3:::bucket/*"))
        let deny = document(statement("Deny", action: "s3:GetObject", resource: "arn:aws:s3:::bucket/*"))
        let allowed = try decide(request, resource: allow)
        #expect(allowed == .implicitDeny, "an Allow without Principal grants nothing")
        let denied = try decide(request, identity: [Policies.allowAll], resource: deny)
        #expect(denied == .allow, "a Deny without Principal denies nobody")
    }

    /// AWS: "The NotPrincipal element with a Deny effect will always deny any IAM principal that has a
    /// permissions boundary policy attached, regardless of the values specified in the NotPrincipal
    /// element" ([UG:access_policies_boundaries], [UG:reference_policies_elements_notprincipal]).
    @Test func notPrincipalDenyAlwaysDeniesPrincipalsWithBoundary() throws {
        let request = try makeRequest(Principals.alice)
        let deny = document(statement("Deny", action: "s3:GetObject", resource: "arn:aws:s3:::bucket/*",
                                      principal: "{\"AWS\": [\"\(Principals.alice)\", \"\(Principals.root)\"]}", notPrincipal: true))
        // Without a boundary the listed user is exempt.
        #expect(try decide(request, identity: [Policies.allowAll], resource: deny) == .allow)
        let kind = try decide(request, identity: [Policies.allowAll], resource: deny, boundary: Policies.allowAll)
        #expect(kind == .explicitDeny)
    }
}
