import Testing
@testable import PolicyLanguage

// Helpers for the table-driven evaluator suites (ConditionOperatorTests, SetQualifierTests,
// PolicyVariableTests, MatchingTests, CombinationTests, …). Policies are written as JSON text and read
// with the project's own parser, so every case goes through the same path as a real policy file.

/// One condition key's value in a test request: a single value or a set (`["a", "b"]`, even of one).
enum ContextValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, CustomStringConvertible {
    case one(String)
    case set([String])

    init(stringLiteral value: String) { self = .one(value) }
    init(arrayLiteral elements: String...) { self = .set(elements) }

    var description: String {
        switch self {
        case .one(let value): "\"\(value)\""
        case .set(let values): "[" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        }
    }
}

/// A request context from a table's dictionary literal.
func requestContext(_ values: [String: ContextValue]) -> RequestContext {
    var context = RequestContext()
    for (key, value) in values.sorted(by: { $0.key < $1.key }) {
        switch value {
        case .one(let text): context.set(text, for: key)
        case .set(let list): context.setValues(list, for: key)
        }
    }
    return context
}

/// `text` as a JSON string literal.
func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}

/// A JSON value written in a test: text starting with `[`, `{` or `"`, or the literals `true`/`false`/
/// numbers when `raw`, is used as is; anything else becomes a JSON string.
func jsonValue(_ text: String) -> String {
    if let first = text.first, "[{\"".contains(first) { return text }
    return jsonString(text)
}

/// `{"Operator": {"key": [values…]}}`: one condition clause.
func clause(_ op: String, _ key: String = "k", _ values: [String]) -> String {
    "{\(jsonString(op)): {\(jsonString(key)): [\(values.map(jsonString).joined(separator: ", "))]}}"
}

/// A statement as JSON. `action`, `resource` and `principal` are JSON values (see `jsonValue`);
/// `resource: nil` leaves the element out. `not` swaps Action/Resource/Principal for their Not forms.
func statement(
    _ effect: String = "Allow", action: String = "*", resource: String? = "*", principal: String? = nil,
    condition: String? = nil, notAction: Bool = false, notResource: Bool = false, notPrincipal: Bool = false
) -> String {
    var members = ["\"Effect\": \(jsonString(effect))"]
    if let principal { members.append("\"\(notPrincipal ? "NotPrincipal" : "Principal")\": \(jsonValue(principal))") }
    members.append("\"\(notAction ? "NotAction" : "Action")\": \(jsonValue(action))")
    if let resource { members.append("\"\(notResource ? "NotResource" : "Resource")\": \(jsonValue(resource))") }
    if let condition { members.append("\"Condition\": \(condition)") }
    return "{" + members.joined(separator: ", ") + "}"
}

/// A policy document of `statements` under `version` (`nil`: no Version element).
func document(_ statements: String..., version: String? = "2012-10-17") -> String {
    let head = version.map { "\"Version\": \(jsonString($0)), " } ?? ""
    return "{\(head)\"Statement\": [\(statements.joined(separator: ", "))]}"
}

/// Reads a policy that must be evaluable.
func evaluablePolicy(_ json: String, file: String = "test.json") throws -> Policy {
    let parsed = parsePolicy(json, file: file)
    #expect(parsed.isEvaluable, "policy not evaluable: \(parsed.findings.map(\.message)) in \(json)")
    return try #require(parsed.policy)
}

/// Whether the Condition element `condition` (JSON object text) holds for `context`, evaluated on its
/// own (no keys derived from a principal).
func conditionHolds(_ condition: String, _ context: [String: ContextValue], version: String? = "2012-10-17") throws -> Bool {
    let policy = try evaluablePolicy(document(statement(condition: condition), version: version))
    let block = try #require(policy.statements.first?.condition)
    return ConditionEvaluation.evaluate(block, context: requestContext(context)).holds
}

/// Whether `op` with `values` under key `k` holds when the request's `k` is `request` (`nil`: absent).
func operatorHolds(_ op: String, _ values: [String], _ request: ContextValue?) throws -> Bool {
    try conditionHolds(clause(op, "k", values), request.map { ["k": $0] } ?? [:])
}

// MARK: Requests and decisions

enum Accounts {
    static let home = "111122223333"
    static let other = "444455556666"
}

/// Principal ARNs used throughout the suites.
enum Principals {
    static let alice = "arn:aws:iam::111122223333:user/alice"
    static let bob = "arn:aws:iam::111122223333:user/bob"
    static let root = "arn:aws:iam::111122223333:root"
    static let role = "arn:aws:iam::111122223333:role/Dev"
    static let session = "arn:aws:sts::111122223333:assumed-role/Dev/alice-session"
    static let federated = "arn:aws:sts::111122223333:federated-user/carol"
    static let otherUser = "arn:aws:iam::444455556666:user/mallory"
    static let otherSession = "arn:aws:sts::444455556666:assumed-role/Ops/ops-session"
    static let serviceLinked = "arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForSupport/session"
}

/// A request; `principal` `nil` means anonymous.
func makeRequest(
    _ principal: String?, _ action: String = "s3:GetObject", _ resource: String = "arn:aws:s3:::bucket/key",
    context: [String: ContextValue] = [:], resourceAccount: String? = nil,
    principalInManagementAccount: Bool = false, resourceInManagementAccount: Bool = false
) throws -> Request {
    let parsed = try #require(RequestPrincipal(principal), "not a principal: \(principal ?? "nil")")
    return Request(
        principal: parsed, action: action, resource: resource, resourceAccount: resourceAccount,
        context: requestContext(context), principalInManagementAccount: principalInManagementAccount,
        resourceInManagementAccount: resourceInManagementAccount)
}

/// The evaluator's full decision for `request` under policies given as JSON text.
func decision(
    _ request: Request, identity: [String] = [], resource: String? = nil, boundary: String? = nil,
    session: String? = nil, scps: [[String]] = [], rcps: [[String]] = [], vpce: String? = nil
) throws -> Decision {
    func read(_ json: String?, _ name: String) throws -> Policy? { try json.map { try evaluablePolicy($0, file: name) } }
    let policies = PolicySet(
        identityPolicies: try identity.enumerated().map { try evaluablePolicy($1, file: "identity\($0).json") },
        resourcePolicy: try read(resource, "resource.json"),
        permissionsBoundary: try read(boundary, "boundary.json"),
        sessionPolicy: try read(session, "session.json"),
        scpLevels: try scps.map { try $0.map { try evaluablePolicy($0, file: "scp.json") } },
        rcpLevels: try rcps.map { try $0.map { try evaluablePolicy($0, file: "rcp.json") } },
        vpcEndpointPolicy: try read(vpce, "vpce.json"))
    return PolicyEvaluator(catalog: testCatalog).evaluate(request, policies: policies)
}

/// The decision kind only.
func decide(
    _ request: Request, identity: [String] = [], resource: String? = nil, boundary: String? = nil,
    session: String? = nil, scps: [[String]] = [], rcps: [[String]] = [], vpce: String? = nil
) throws -> DecisionKind {
    try decision(request, identity: identity, resource: resource, boundary: boundary, session: session, scps: scps, rcps: rcps, vpce: vpce).kind
}

/// Common policies.
enum Policies {
    /// Allows everything (identity side, boundaries, sessions, SCPs: `FullAWSAccess`).
    static let allowAll = document(statement())
    /// The allow-all RCP AWS attaches by default.
    static let rcpFullAccess = document(statement(principal: "*"))
    /// Identity policy allowing `action` on `resource`.
    static func allow(_ action: String = "*", _ resource: String = "*", condition: String? = nil) -> String {
        document(statement(action: action, resource: resource, condition: condition))
    }
    /// Identity policy denying `action` on `resource`.
    static func deny(_ action: String = "*", _ resource: String = "*", condition: String? = nil) -> String {
        document(statement("Deny", action: action, resource: resource, condition: condition))
    }
    /// `{"AWS": value}`.
    static func aws(_ value: String) -> String { "{\"AWS\": \(jsonString(value))}" }
}

// MARK: Operator tables

/// One row of an operator table: `op` with policy values `policy` under key `k`, against the request's
/// `k` (`nil`: absent), must give `holds`. `rule` names what the row pins.
struct OperatorCase: Sendable, CustomTestStringConvertible {
    var op: String
    var policy: [String]
    var request: ContextValue?
    var holds: Bool
    var rule: String

    var testDescription: String {
        "\(op) \(policy) vs \(request?.description ?? "absent") → \(holds) (\(rule))"
    }

    func check() throws {
        #expect(try operatorHolds(op, policy, request) == holds, "\(testDescription)")
    }
}

/// Shorthand for a table row.
func row(_ op: String, _ policy: [String], _ request: ContextValue?, _ holds: Bool, _ rule: String) -> OperatorCase {
    OperatorCase(op: op, policy: policy, request: request, holds: holds, rule: rule)
}
