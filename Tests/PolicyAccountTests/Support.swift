import Foundation
import PolicyAccount
import PolicyLanguage
import PolicyVerifier
import Testing

/// Paths of the repository, found from this file's location (`Tests/PolicyAccountTests/Support.swift`).
enum AccountTestPaths {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/PolicyAccountTests/Fixtures/accounts/NAME` (excluded from the target by Package.swift).
    static func fixture(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/PolicyAccountTests/Fixtures/accounts").appendingPathComponent(name)
    }
}

/// Policy documents as JSON text, to be embedded in exports.
enum Doc {
    static let account = "111122223333"

    static func arn(_ label: String) -> String { "arn:aws:iam::\(account):\(label)" }

    /// One statement; `condition` is a JSON object's text.
    static func statement(_ actions: [String], on resources: [String] = ["*"], condition: String? = nil, effect: String = "Allow") -> String {
        let list = { (items: [String]) in "[" + items.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
        return #"{"Effect":"\#(effect)","Action":\#(list(actions)),"Resource":\#(list(resources))"# + (condition.map { #","Condition":\#($0)"# } ?? "") + "}"
    }

    static func allow(_ actions: String..., on resources: [String] = ["*"], condition: String? = nil) -> String {
        policy(statement(actions, on: resources, condition: condition))
    }

    static func policy(_ statements: String...) -> String {
        #"{"Version":"2012-10-17","Statement":["# + statements.joined(separator: ",") + "]}"
    }

    /// A trust policy letting `principal` (a JSON value such as `{"AWS":"arn:…"}`) assume the role.
    static func trust(_ principal: String) -> String {
        policy(#"{"Effect":"Allow","Principal":\#(principal),"Action":"sts:AssumeRole"}"#)
    }

    static func trust(aws arn: String) -> String { trust(#"{"AWS":"\#(arn)"}"#) }
    static func trust(service: String) -> String { trust(#"{"Service":"\#(service)"}"#) }
    static let trustAccount = trust(aws: arn("root"))

    static let administrator = allow("*")

    /// The document parsed on its own, for re-checking requests independently of the analysis.
    static func parsed(_ text: String, file: String = "policy.json") throws -> Policy {
        let parsed = PolicyParser.parse(text: text, file: file)
        return try #require(parsed.policy, "\(parsed.findings)")
    }
}

/// A hand-made `get-account-authorization-details` export.
struct TestExport: Sendable {
    struct Inline: Sendable {
        var name: String
        /// The document's JSON text (embedded as an object).
        var document: String
    }

    struct User: Sendable {
        var name: String
        var policies: [Inline] = []
        var groups: [String] = []
        var managed: [String] = []
        var boundary: String?
    }

    struct Group: Sendable {
        var name: String
        var policies: [Inline] = []
    }

    struct Role: Sendable {
        var name: String
        /// The trust document's JSON text (any JSON value, to write unreadable ones).
        var trust: String
        var policies: [Inline] = []
    }

    var users: [User] = []
    var groups: [Group] = []
    var roles: [Role] = []
    /// Customer managed policies: ARN and document text.
    var managed: [(arn: String, document: String)] = []

    /// A user with one inline policy.
    static func user(_ name: String, _ document: String? = nil, groups: [String] = [], managed: [String] = [], boundary: String? = nil) -> User {
        User(name: name, policies: document.map { [Inline(name: "\(name)-policy", document: $0)] } ?? [], groups: groups, managed: managed, boundary: boundary)
    }

    static func role(_ name: String, trust: String, _ document: String? = nil) -> Role {
        Role(name: name, trust: trust, policies: document.map { [Inline(name: "\(name)-policy", document: $0)] } ?? [])
    }

    var text: String {
        func inline(_ policies: [Inline]) -> String {
            "[" + policies.map { #"{"PolicyName":"\#($0.name)","PolicyDocument":\#($0.document)}"# }.joined(separator: ",") + "]"
        }
        func attached(_ arns: [String]) -> String {
            "[" + arns.map { #"{"PolicyName":"\#($0.split(separator: "/").last ?? "")","PolicyArn":"\#($0)"}"# }.joined(separator: ",") + "]"
        }
        let userList = users.map { user in
            let groups = "[" + user.groups.map { "\"\($0)\"" }.joined(separator: ",") + "]"
            let boundary = user.boundary.map { #","PermissionsBoundary":{"PermissionsBoundaryType":"Policy","PermissionsBoundaryArn":"\#($0)"}"# } ?? ""
            return #"{"UserName":"\#(user.name)","Arn":"\#(Doc.arn("user/" + user.name))","GroupList":\#(groups),"UserPolicyList":\#(inline(user.policies)),"AttachedManagedPolicies":\#(attached(user.managed))\#(boundary)}"#
        }
        let groupList = groups.map { group in
            #"{"GroupName":"\#(group.name)","Arn":"\#(Doc.arn("group/" + group.name))","GroupPolicyList":\#(inline(group.policies)),"AttachedManagedPolicies":[]}"#
        }
        let roleList = roles.map { role in
            #"{"RoleName":"\#(role.name)","Arn":"\#(Doc.arn("role/" + role.name))","AssumeRolePolicyDocument":\#(role.trust),"RolePolicyList":\#(inline(role.policies)),"AttachedManagedPolicies":[]}"#
        }
        let policyList = managed.map { entry in
            #"{"PolicyName":"\#(entry.arn.split(separator: "/").last ?? "")","Arn":"\#(entry.arn)","DefaultVersionId":"v1","PolicyVersionList":[{"Document":\#(entry.document),"VersionId":"v1","IsDefaultVersion":true}]}"#
        }
        return """
        {"UserDetailList":[\(userList.joined(separator: ",\n"))],
         "GroupDetailList":[\(groupList.joined(separator: ",\n"))],
         "RoleDetailList":[\(roleList.joined(separator: ",\n"))],
         "Policies":[\(policyList.joined(separator: ",\n"))]}
        """
    }

    var inventory: AccountInventory { AccountReader.read(exportText: text, file: "export.json") }

    func analyze(scps: [Policy] = [], spec: Spec? = nil) -> AccountReport {
        AccountAnalysis(inventory: inventory, scps: scps, spec: spec, jobs: 2).run()
    }
}

extension AccountReport {
    func principal(_ label: String) throws -> PrincipalReport {
        try #require(principals.first { $0.principal.label == label }, "no \(label) among \(principals.map(\.principal.label))")
    }
}

extension PrincipalReport {
    func check(_ name: String) throws -> PrincipalCheck {
        try #require(checks.first { $0.name == name }, "\(principal.label) has no check \(name) among \(checks.map(\.name))")
    }

    /// The labels of the roles it reaches, each as its whole path.
    var reachablePaths: [[String]] { reachable.map(\.principals) }
}

extension PrincipalCheck {
    /// For failure messages: the status, the summary and the reasons.
    var brief: String { "\(name): \(status) — \(summary)" + (reasons.isEmpty ? "" : " \(reasons)") }
}

/// IAM's decision for `request`, by the concrete evaluator alone, with the resource side (trust
/// policies and the like) delegating to the request's account, as the analysis takes it to.
func evaluatorAllows(_ request: Request, identities: [Policy], boundary: Policy? = nil, scps: [Policy] = [], resource: Policy? = nil) throws -> Bool {
    let account = request.principal.account ?? Doc.account
    let delegation = try resource ?? Doc.parsed(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\#(account):root"},"Action":"*","Resource":"*"}]}"#, file: "delegation.json")
    let set = PolicySet(identityPolicies: identities, resourcePolicy: delegation, permissionsBoundary: boundary, scpLevels: scps.isEmpty ? [] : [scps])
    return PolicyEvaluator(catalog: .bundled).evaluate(request, policies: set, explain: false).kind == .allow
}

/// Independent re-checks of the evidence in a report: every hop and every request of a holding is
/// allowed by the concrete evaluator under the policies of the principal that makes it.
enum Evidence {
    /// The principal's identity policies and boundary, as read.
    static func policies(of label: String, in report: AccountReport) throws -> (identities: [Policy], boundary: Policy?, trust: Policy?) {
        let principal = try report.principal(label).principal
        let identities = principal.identityPolicies.compactMap(\.attached.parsed.policy)
        #expect(identities.count == principal.identityPolicies.count, "\(label) has an unreadable policy")
        return (identities, principal.boundary?.parsed.policy, principal.trust?.policy)
    }

    /// Each hop of `path` is `sts:AssumeRole` by the previous principal on the next role, allowed
    /// under the caller's policies and the role's trust policy.
    static func expectCertified(_ path: AssumptionPath, in report: AccountReport, scps: [Policy] = []) throws {
        #expect(path.hops.count == path.principals.count - 1, "\(path.description)")
        for (index, hop) in path.hops.enumerated() {
            let request = hop.request
            let from = path.principals[index], to = path.principals[index + 1]
            let caller = try #require(KnownCaller(arn: Doc.arn(from)))
            #expect(caller.matches(request.principal), "\(path.description): hop \(index) by \(request.principal)")
            #expect(request.action == "sts:AssumeRole")
            #expect(request.resource == Doc.arn(to), "\(path.description): hop \(index) on \(request.resource)")
            let callerPolicies = try policies(of: from, in: report)
            let trust = try #require(try policies(of: to, in: report).trust)
            #expect(try evaluatorAllows(request, identities: callerPolicies.identities, boundary: callerPolicies.boundary, scps: scps, resource: trust),
                    "\(path.description): hop \(index) \(request)")
        }
    }

    /// The holding's path is certified, and each of its requests is made by the path's last
    /// principal and allowed under that principal's policies (the resource side delegating).
    static func expectCertified(_ holding: Holding, in report: AccountReport, scps: [Policy] = []) throws {
        try expectCertified(holding.path, in: report, scps: scps)
        let holder = try #require(KnownCaller(arn: Doc.arn(holding.path.holder)))
        let policies = try policies(of: holding.path.holder, in: report)
        #expect(!holding.requests.isEmpty, "\(holding.title): no request")
        for counterexample in holding.requests {
            let request = counterexample.request
            #expect(holder.matches(request.principal), "\(holding.title): \(request.principal) is not \(holder)")
            #expect(try evaluatorAllows(request, identities: policies.identities, boundary: policies.boundary, scps: scps), "\(holding.title): \(request)")
        }
    }
}
