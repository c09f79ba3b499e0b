import Foundation
import PolicyLanguage
import PropertyBased
import Testing

// Generators of small policy sets and requests for the evaluator's property tests
// (EvaluatorPropertyTests.swift). Everything is drawn from a deliberately small alphabet so that
// statements, requests and principals overlap often. The generated values are plain descriptions
// (`ScenarioSpec`, `PolicySpec`, `StatementSpec`). They are turned into the AST directly, because
// parsing JSON costs most of the run time in a debug build, and written as JSON for failure messages;
// `generatedASTAgreesWithTheParser` checks that `PolicyParser` reads that JSON to the same decisions.

// MARK: - Alphabet

enum EvalAlphabet {
    /// Request actions. `s3:ListAllMyBuckets` has no resource-level permissions in the catalogue.
    static let actions = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "iam:PassRole", "ec2:RunInstances", "s3:ListAllMyBuckets"]
    static let actionPatterns = ["*", "s3:*", "s3:Get*", "s3:*Object", "iam:*", "ec2:Run?nstances"]
    static let actionEntries = actions + actionPatterns

    /// Concrete request resources.
    static let resources = [
        "arn:aws:s3:::b1/x", "arn:aws:s3:::b2/y", "arn:aws:s3:::b1/alice", "arn:aws:iam::111122223333:role/R",
    ]
    static let resourcePatterns = [
        "*", "arn:aws:s3:::b1/*", "arn:aws:s3:::*", "arn:aws:s3:::b?/*", "arn:aws:s3:::b1/${aws:username}",
        "arn:aws:s3:::b1/${aws:username, 'x'}", "arn:aws:iam::*:role/*",
    ]
    static let resourceEntries = resources + resourcePatterns
    /// Request resources: mostly concrete, sometimes `*` (a wildcard request).
    static let requestResources = resources + resources + ["*"]

    /// Request principals (`nil` is an anonymous caller).
    static let principals: [String?] = [
        "arn:aws:iam::111122223333:user/alice",
        "arn:aws:iam::111122223333:role/R",
        "arn:aws:sts::111122223333:assumed-role/R/s1",
        "arn:aws:iam::111122223333:root",
        "arn:aws:iam::444455556666:user/bob",
        "arn:aws:sts::444455556666:assumed-role/R/s2",
        "arn:aws:iam::444455556666:root",
        "arn:aws:sts::111122223333:federated-user/fed",
        nil,
        "ec2.amazonaws.com",
    ]

    /// The account owning the request's resource (`nil`: read from the ARN, else the caller's).
    static let resourceAccounts: [String?] = [nil, nil, nil, "111122223333", "444455556666"]

    /// `Principal` values of resource-policy statements.
    static let principalValues: [PrincipalSpec] = [
        .everyone,
        .aws(["*"]),
        .aws(["111122223333"]),
        .aws(["arn:aws:iam::111122223333:root"]),
        .aws(["arn:aws:iam::111122223333:user/alice"]),
        .aws(["arn:aws:iam::111122223333:role/R"]),
        .aws(["arn:aws:sts::111122223333:assumed-role/R/s1"]),
        .aws(["444455556666", "arn:aws:iam::111122223333:user/alice"]),
        .aws(["arn:aws:iam::444455556666:user/bob"]),
        .service("ec2.amazonaws.com"),
    ]

    /// Condition clauses: a key, the operators used with it and its policy values.
    struct ClauseShape: Sendable {
        var key: String
        var operators: [String]
        var values: [String]
    }

    static let clauseShapes: [ClauseShape] = [
        ClauseShape(
            key: "aws:username",
            operators: [
                "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike",
                "StringNotLike", "StringEqualsIfExists", "StringNotEqualsIfExists", "StringLikeIfExists",
            ],
            values: ["alice", "bob", "ALICE", "al*", "b?b", "${aws:PrincipalTag/name, 'alice'}"]),
        ClauseShape(
            key: "aws:SourceIp",
            operators: ["IpAddress", "NotIpAddress", "IpAddressIfExists", "NotIpAddressIfExists"],
            values: ["10.0.0.0/8", "192.0.2.0/24", "203.0.113.5", "0.0.0.0/0"]),
        ClauseShape(
            key: "aws:TagKeys",
            operators: [
                "ForAnyValue:StringEquals", "ForAllValues:StringEquals", "ForAnyValue:StringLike", "ForAllValues:StringLike",
                "ForAnyValue:StringNotEquals", "ForAllValues:StringNotEquals", "ForAnyValue:StringEqualsIfExists",
                "ForAllValues:StringNotLikeIfExists", "StringEquals", "StringNotEquals",
            ],
            values: ["env", "team", "owner", "t*"]),
        ClauseShape(
            key: "aws:CurrentTime",
            operators: [
                "DateLessThan", "DateGreaterThan", "DateEquals", "DateNotEquals", "DateLessThanEquals",
                "DateGreaterThanEqualsIfExists", "DateNotEqualsIfExists",
            ],
            values: ["2024-01-01T00:00:00Z", "2025-06-01T00:00:00Z", "2026-01-01T00:00:00Z"]),
        ClauseShape(key: "aws:SecureTransport", operators: ["Bool", "BoolIfExists"], values: ["true", "false"]),
        ClauseShape(
            key: "aws:MultiFactorAuthAge",
            operators: ["NumericLessThan", "NumericGreaterThanEquals", "NumericEquals", "NumericNotEquals", "NumericLessThanIfExists"],
            values: ["300", "3600"]),
        ClauseShape(
            key: "aws:PrincipalArn",
            operators: ["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "ArnLikeIfExists"],
            values: [
                "arn:aws:iam::111122223333:user/alice", "arn:aws:iam::*:role/R", "arn:aws:iam::111122223333:*",
                "arn:aws:iam::444455556666:root", "arn:aws:iam::${aws:PrincipalAccount}:user/*",
            ]),
        ClauseShape(
            key: "aws:SourceVpce", operators: ["StringEquals", "StringNotEquals", "StringNotEqualsIfExists"], values: ["vpce-1"]),
    ] + ["aws:username", "aws:SourceIp", "aws:TagKeys", "aws:CurrentTime", "aws:SourceVpce"].map {
        ClauseShape(key: $0, operators: ["Null"], values: ["true", "false"])
    }

    /// Every resource entry and condition value read as a 2012-10-17 template, once.
    static let templates: [String: TemplateString] = {
        var templates: [String: TemplateString] = [:]
        let span = SourceSpan.startOfFile("alphabet")
        for text in resourceEntries + clauseShapes.flatMap(\.values) {
            templates[text] = TemplateString.parse(text, version: .v2012_10_17, span: span).template
        }
        return templates
    }()

    // Request context values (`nil`: the key is absent).
    static let sourceIps: [String?] = [nil, "10.1.2.3", "192.0.2.7", "203.0.113.5"]
    static let tagKeySets: [[String]?] = [nil, [], ["env"], ["team"], ["env", "team"], ["cost"], ["env", "cost"]]
    static let currentTimes: [String?] = [nil, "2024-06-01T00:00:00Z", "2025-06-01T00:00:00Z", "2027-01-01T00:00:00Z"]
    static let secureTransports: [String?] = [nil, "true", "false"]
    static let mfaAges: [String?] = [nil, "100", "3600", "9000"]
}

// MARK: - Descriptions

/// The part a generated policy plays; decides whether its statements carry a `Principal`.
enum SlotRole: String, Sendable {
    case identity, resource, boundary, session, scp, rcp

    var needsPrincipal: Bool { self == .resource || self == .rcp }
}

/// One condition clause `Operator: { Key: [values] }`.
struct ClauseSpec: Sendable, Equatable {
    var op: String
    var key: String
    var values: [String]
}

/// A `Principal` value: `"*"`, AWS principals or a service principal.
enum PrincipalSpec: Sendable, Equatable {
    case everyone
    case aws([String])
    case service(String)

    var json: String {
        switch self {
        case .everyone: #""*""#
        case .aws(let values): #"{"AWS": \#(values.count == 1 ? EvalText.jsonString(values[0]) : EvalText.jsonArray(values))}"#
        case .service(let name): #"{"Service": \#(EvalText.jsonString(name))}"#
        }
    }

    func set(span: SourceSpan) -> PrincipalSet {
        switch self {
        case .everyone: .everyone
        case .aws(let values): .specific(values.map { PrincipalValue(type: .aws, text: $0, span: span) })
        case .service(let name): .specific([PrincipalValue(type: .service, text: name, span: span)])
        }
    }
}

/// One statement. `principal` is written only in policies whose role needs one.
struct StatementSpec: Sendable, CustomStringConvertible {
    var effect: Effect
    var notPrincipal = false
    var principal = PrincipalSpec.everyone
    var notAction = false
    var actions: [String]
    var notResource = false
    var resources: [String]
    var conditions: [ClauseSpec] = []
    /// A random key used to reorder statements (`RenderOptions.shuffled`).
    var orderKey = 0

    /// The condition clauses grouped by operator, in first-appearance order, with the key names as
    /// `options` writes them; a key repeated under one operator keeps its first values (JSON keys are
    /// unique). This is the order in which the parser would read them.
    func conditionGroups(_ options: RenderOptions) -> [(op: String, keys: [(key: String, values: [String])])] {
        var groups: [(op: String, keys: [(key: String, values: [String])])] = []
        for clause in conditions {
            let key = options.conditionKey(clause.key)
            if let index = groups.firstIndex(where: { $0.op == clause.op }) {
                guard !groups[index].keys.contains(where: { $0.key.lowercased() == key.lowercased() }) else { continue }
                groups[index].keys.append((key, clause.values))
            } else {
                groups.append((clause.op, [(key, clause.values)]))
            }
        }
        return groups
    }

    func json(role: SlotRole, options: RenderOptions) -> String {
        var members = [#""Effect": "\#(effect.rawValue)""#]
        if role.needsPrincipal {
            members.append(#""\#(notPrincipal ? "NotPrincipal" : "Principal")": \#(principal.json)"#)
        }
        members.append(#""\#(notAction ? "NotAction" : "Action")": \#(EvalText.jsonArray(actions))"#)
        members.append(#""\#(notResource ? "NotResource" : "Resource")": \#(EvalText.jsonArray(resources.map(options.variables)))"#)
        if !conditions.isEmpty {
            let block = conditionGroups(options).map { group in
                let inner = group.keys.map { #"\#(EvalText.jsonString($0.key)): \#(EvalText.jsonArray($0.values.map(options.variables)))"# }
                return #"\#(EvalText.jsonString(group.op)): {\#(inner.joined(separator: ", "))}"#
            }
            members.append(#""Condition": {\#(block.joined(separator: ", "))}"#)
        }
        return "{" + members.joined(separator: ", ") + "}"
    }

    /// The statement as the parser would read `json(role:options:)` (Version 2012-10-17), built
    /// directly: parsing JSON costs most of a property test's time in a debug build.
    /// `generatedASTAgreesWithTheParser` checks that both give the same decisions.
    func statement(index: Int, role: SlotRole, file: String, options: RenderOptions) -> Statement {
        let span = SourceSpan(file: file, start: SourceLocation(line: index + 2, column: 5))
        func template(_ text: String) -> TemplateString {
            EvalAlphabet.templates[text] ?? TemplateString.parse(text, version: .v2012_10_17, span: span).template
        }
        func written(_ text: String) -> String { options.variables(text) }
        var statement = Statement(index: index, effect: Located(effect, at: span), span: span)
        statement.writtenElements = ["Effect", notAction ? "NotAction" : "Action", notResource ? "NotResource" : "Resource"]
        if role.needsPrincipal {
            statement.principal = PrincipalElement(isNot: notPrincipal, value: principal.set(span: span), keySpan: span, valueSpan: span)
            statement.writtenElements.insert(notPrincipal ? "NotPrincipal" : "Principal")
        }
        statement.action = ActionElement(
            isNot: notAction, patterns: actions.map { ActionPattern(text: $0, span: span) }, keySpan: span, valueSpan: span)
        statement.action?.isEmptyList = actions.isEmpty
        statement.resource = ResourceElement(
            isNot: notResource, patterns: resources.map(written).map { ResourcePattern(text: $0, span: span, template: template($0)) },
            keySpan: span, valueSpan: span)
        statement.resource?.isEmptyList = resources.isEmpty
        if !conditions.isEmpty {
            var clauses: [ConditionClause] = []
            for group in conditionGroups(options) {
                for (key, values) in group.keys {
                    clauses.append(ConditionClause(
                        conditionOperator: ConditionOperator(name: group.op), operatorName: Located(group.op, at: span),
                        key: Located(key, at: span),
                        values: values.map(written).map { ConditionValue(text: $0, literal: .string, span: span, template: template($0)) },
                        valuesSpan: span, valuesWereArray: true))
                }
            }
            statement.condition = ConditionBlock(clauses: clauses, keySpan: span, valueSpan: span)
            statement.writtenElements.insert("Condition")
        }
        return statement
    }

    /// The statement as JSON, with its principal (used only in resource policies and RCPs).
    var description: String { json(role: .resource, options: RenderOptions()) }

    /// The statement without its condition block.
    var unconditional: StatementSpec {
        var copy = self
        copy.conditions = []
        return copy
    }
}

/// How a scenario is written out: the tests vary these without changing the meaning.
struct RenderOptions: Sendable {
    /// Write the statements of each policy ordered by their `orderKey`.
    var shuffled = false
    /// Write the identity policies in reverse order.
    var reversedIdentityPolicies = false
    /// Flips the case of letters of condition key names, and of the key names of policy variables
    /// `${key}` in resources and condition values (bit i flips the i-th character, mod 64).
    var conditionKeyCaseMask: UInt64 = 0
    /// Flips the case of letters of the request action.
    var actionCaseMask: UInt64 = 0
    /// Flips the case of letters of the request's context key names.
    var contextKeyCaseMask: UInt64 = 0

    func conditionKey(_ key: String) -> String { EvalText.flipCase(key, mask: conditionKeyCaseMask) }

    /// `text` with the key names of its policy variables written in another case (the default after
    /// the comma is kept).
    func variables(_ text: String) -> String {
        guard conditionKeyCaseMask != 0, text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            let inner = rest[open.upperBound..<close]
            let keyEnd = inner.firstIndex(of: ",") ?? inner.endIndex
            result += rest[..<open.upperBound] + conditionKey(String(inner[..<keyEnd])) + inner[keyEnd...] + "}"
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}

struct PolicySpec: Sendable {
    var statements: [StatementSpec]

    func ordered(_ options: RenderOptions) -> [StatementSpec] {
        guard options.shuffled else { return statements }
        return statements.enumerated()
            .sorted { ($0.element.orderKey, $0.offset) < ($1.element.orderKey, $1.offset) }
            .map(\.element)
    }

    func json(role: SlotRole, options: RenderOptions) -> String {
        let body = ordered(options).map { "    " + $0.json(role: role, options: options) }.joined(separator: ",\n")
        return "{\"Version\": \"2012-10-17\", \"Statement\": [\n\(body)\n]}"
    }

    /// The policy as the parser would read `json(role:options:)`, built directly.
    func policy(role: SlotRole, file: String, options: RenderOptions) -> Policy {
        let span = SourceSpan(file: file, start: SourceLocation(line: 1, column: 1))
        let statements = ordered(options).enumerated().map { $1.statement(index: $0, role: role, file: file, options: options) }
        return Policy(version: Located("2012-10-17", at: span), statements: statements, statementKeySpan: span, span: span)
    }
}

/// The request: who, which action, which resource, and the context keys given explicitly.
struct RequestSpec: Sendable {
    var principal: String?
    var action: String
    var resource: String
    var resourceAccount: String?
    var principalInManagementAccount = false
    var resourceInManagementAccount = false
    var sourceIp: String?
    var tagKeys: [String]?
    var currentTime: String?
    var secureTransport: String?
    var mfaAge: String?
    /// Whether an IAM user's `aws:username` is also given explicitly (same value as derived).
    var explicitUsername = false

    var requestPrincipal: RequestPrincipal { principal.map { RequestPrincipal($0)! } ?? .anonymous }

    /// The user name of an IAM-user caller, as `aws:username` resolves.
    var username: String? {
        if case .user(_, _, let name) = requestPrincipal { return name }
        return nil
    }

    func request(options: RenderOptions = RenderOptions()) -> Request {
        var context = RequestContext()
        func key(_ name: String) -> String { EvalText.flipCase(name, mask: options.contextKeyCaseMask) }
        if let sourceIp { context.set(sourceIp, for: key("aws:SourceIp")) }
        if let tagKeys { context.setValues(tagKeys, for: key("aws:TagKeys")) }
        if let currentTime { context.set(currentTime, for: key("aws:CurrentTime")) }
        if let secureTransport { context.set(secureTransport, for: key("aws:SecureTransport")) }
        if let mfaAge { context.set(mfaAge, for: key("aws:MultiFactorAuthAge")) }
        if explicitUsername, let username { context.set(username, for: key("aws:username")) }
        return Request(
            principal: requestPrincipal, action: EvalText.flipCase(action, mask: options.actionCaseMask), resource: resource,
            resourceAccount: resourceAccount, context: context, principalInManagementAccount: principalInManagementAccount,
            resourceInManagementAccount: resourceInManagementAccount)
    }

    var json: String {
        var context: [String] = []
        if let sourceIp { context.append(#""aws:SourceIp": "\#(sourceIp)""#) }
        if let tagKeys { context.append(#""aws:TagKeys": \#(EvalText.jsonArray(tagKeys))"#) }
        if let currentTime { context.append(#""aws:CurrentTime": "\#(currentTime)""#) }
        if let secureTransport { context.append(#""aws:SecureTransport": "\#(secureTransport)""#) }
        if let mfaAge { context.append(#""aws:MultiFactorAuthAge": "\#(mfaAge)""#) }
        if explicitUsername, let username { context.append(#""aws:username": "\#(username)""#) }
        var members = [
            #""principal": \#(principal.map(EvalText.jsonString) ?? "null")"#, #""action": "\#(action)""#, #""resource": "\#(resource)""#,
        ]
        if let resourceAccount { members.append(#""resourceAccount": "\#(resourceAccount)""#) }
        if principalInManagementAccount { members.append(#""principalInManagementAccount": true"#) }
        if resourceInManagementAccount { members.append(#""resourceInManagementAccount": true"#) }
        members.append(#""context": {\#(context.joined(separator: ", "))}"#)
        return "{" + members.joined(separator: ", ") + "}"
    }
}

/// Where a policy sits in a scenario.
enum PolicySlot: Sendable, Equatable {
    case identity(Int), resource, boundary, session, scp(level: Int, index: Int), rcp(level: Int, index: Int)

    var role: SlotRole {
        switch self {
        case .identity: .identity
        case .resource: .resource
        case .boundary: .boundary
        case .session: .session
        case .scp: .scp
        case .rcp: .rcp
        }
    }

    var file: String {
        switch self {
        case .identity(let index): "identity-\(index).json"
        case .resource: "resource.json"
        case .boundary: "boundary.json"
        case .session: "session.json"
        case .scp(let level, let index): "scp-\(level)-\(index).json"
        case .rcp(let level, let index): "rcp-\(level)-\(index).json"
        }
    }
}

/// A request with the policies that decide it.
struct ScenarioSpec: Sendable, CustomStringConvertible {
    var request: RequestSpec
    var identity: [PolicySpec]
    var resource: PolicySpec?
    var boundary: PolicySpec?
    var session: PolicySpec?
    var scpLevels: [[PolicySpec]]
    var rcpLevels: [[PolicySpec]]

    /// Every policy slot that holds a policy.
    var slots: [PolicySlot] {
        var slots = identity.indices.map { PolicySlot.identity($0) }
        if resource != nil { slots.append(.resource) }
        if boundary != nil { slots.append(.boundary) }
        if session != nil { slots.append(.session) }
        for (level, list) in scpLevels.enumerated() { slots += list.indices.map { .scp(level: level, index: $0) } }
        for (level, list) in rcpLevels.enumerated() { slots += list.indices.map { .rcp(level: level, index: $0) } }
        return slots
    }

    subscript(slot: PolicySlot) -> PolicySpec? {
        get {
            switch slot {
            case .identity(let index): identity.indices.contains(index) ? identity[index] : nil
            case .resource: resource
            case .boundary: boundary
            case .session: session
            case .scp(let level, let index): scpLevels[level][index]
            case .rcp(let level, let index): rcpLevels[level][index]
            }
        }
        set {
            switch slot {
            case .identity(let index):
                if identity.indices.contains(index) { identity[index] = newValue! } else { identity.append(newValue!) }
            case .resource: resource = newValue
            case .boundary: boundary = newValue
            case .session: session = newValue
            case .scp(let level, let index): scpLevels[level][index] = newValue!
            case .rcp(let level, let index): rcpLevels[level][index] = newValue!
            }
        }
    }

    /// Appends `statement` to the policy in `slot` (creating the policy if there is none); returns
    /// the slot actually used and the statement's index.
    @discardableResult
    mutating func append(_ statement: StatementSpec, to slot: PolicySlot) -> (slot: PolicySlot, index: Int) {
        var slot = slot
        if case .identity(let index) = slot, !identity.indices.contains(index) { slot = .identity(identity.count) }
        var policy = self[slot] ?? PolicySpec(statements: [])
        policy.statements.append(statement)
        self[slot] = policy
        return (slot, policy.statements.count - 1)
    }

    /// The scenario with every policy's statements transformed.
    func mappingStatements(_ transform: ([StatementSpec]) -> [StatementSpec]) -> ScenarioSpec {
        var copy = self
        for slot in slots { copy[slot] = PolicySpec(statements: transform(copy[slot]!.statements)) }
        return copy
    }

    func json(_ slot: PolicySlot, options: RenderOptions = RenderOptions()) -> String {
        self[slot]!.json(role: slot.role, options: options)
    }

    /// The policy set, built directly (`parsed: false`) or read from the rendered JSON with
    /// `PolicyParser` (`parsed: true`; records an issue when a generated policy does not parse cleanly,
    /// a bug of the generator).
    func policySet(options: RenderOptions = RenderOptions(), parsed: Bool = false) -> PolicySet {
        func policy(_ slot: PolicySlot) -> Policy {
            guard parsed else { return self[slot]!.policy(role: slot.role, file: slot.file, options: options) }
            let text = json(slot, options: options)
            let result = PolicyParser.parse(text: text, file: slot.file)
            if !result.isEvaluable || result.policy == nil {
                Issue.record("generated policy \(slot.file) does not parse: \(result.findings)\n\(text)")
            }
            return result.policy ?? Policy(span: SourceSpan.startOfFile(slot.file))
        }
        var identityPolicies = identity.indices.map { policy(.identity($0)) }
        if options.reversedIdentityPolicies { identityPolicies.reverse() }
        return PolicySet(
            identityPolicies: identityPolicies,
            resourcePolicy: resource == nil ? nil : policy(.resource),
            permissionsBoundary: boundary == nil ? nil : policy(.boundary),
            sessionPolicy: session == nil ? nil : policy(.session),
            scpLevels: scpLevels.enumerated().map { level, list in list.indices.map { policy(.scp(level: level, index: $0)) } },
            rcpLevels: rcpLevels.enumerated().map { level, list in list.indices.map { policy(.rcp(level: level, index: $0)) } })
    }

    var description: String {
        var lines = ["request: \(request.json)"]
        for slot in slots { lines.append("\(slot.file): \(json(slot))") }
        return "\n" + lines.joined(separator: "\n") + "\n"
    }
}

// MARK: - Generators

enum EvalGen {
    static func pick<T: Sendable>(_ pool: [T]) -> Generator<T, some SendableSequenceType> {
        Gen<T?>.element(of: pool).map { $0! }
    }

    /// A statement of the given effect (`nil`: Allow 70 %, Deny 30 %). Written as one closure rather
    /// than a `zip` of nine generators: it is drawn many times per scenario, and the composed
    /// generator is about ten times slower in a debug build. Shrinking happens above it, on the
    /// lists of statements and policies.
    static func statement(effect: Effect? = nil) -> Generator<StatementSpec, some SendableSequenceType> {
        Generator { rng in
            func chance(_ rate: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < rate }
            func some(_ pool: [String]) -> [String] {
                var chosen: [String] = []
                for _ in 0..<Int.random(in: 1...2, using: &rng) {
                    let entry = pool.randomElement(using: &rng)!
                    if !chosen.contains(entry) { chosen.append(entry) }
                }
                return chosen
            }
            var statement = StatementSpec(
                effect: effect ?? (chance(0.7) ? .allow : .deny), notPrincipal: chance(0.15),
                principal: EvalAlphabet.principalValues.randomElement(using: &rng)!, notAction: chance(0.2),
                actions: some(EvalAlphabet.actionEntries), notResource: chance(0.15), resources: some(EvalAlphabet.resourceEntries),
                orderKey: Int.random(in: 0...1000, using: &rng))
            // Conditions: none half of the time, else one or two clauses.
            if chance(0.5) {
                for _ in 0..<Int.random(in: 1...2, using: &rng) {
                    let shape = EvalAlphabet.clauseShapes.randomElement(using: &rng)!
                    statement.conditions.append(ClauseSpec(
                        op: shape.operators.randomElement(using: &rng)!, key: shape.key, values: some(shape.values)))
                }
            }
            return statement
        }
    }

    static let policy: Generator<PolicySpec, some SendableSequenceType> = statement().array(of: 1...3).map { PolicySpec(statements: $0) }

    /// Organization levels (SCPs or RCPs): absent most of the time; each policy usually starts with an
    /// Allow-everything statement, as FullAWSAccess does.
    static func levels(rate: Float) -> Generator<[[PolicySpec]], some SendableSequenceType> {
        let guarded = zip(Gen.bool(0.8), policy).map { (full: Bool, policy: PolicySpec) -> PolicySpec in
            guard full else { return policy }
            let allowAll = StatementSpec(effect: .allow, actions: ["*"], resources: ["*"])
            return PolicySpec(statements: [allowAll] + policy.statements)
        }
        return guarded.array(of: 1...2).array(of: 1...2).optional(valueRate: rate).map { $0 ?? [] }
    }

    static let request: Generator<RequestSpec, some SendableSequenceType> = zip(
        zip(
            pick(EvalAlphabet.principals), pick(EvalAlphabet.actions), pick(EvalAlphabet.requestResources),
            pick(EvalAlphabet.resourceAccounts), Gen.bool(0.1), Gen.bool(0.1)),
        zip(
            pick(EvalAlphabet.sourceIps), pick(EvalAlphabet.tagKeySets), pick(EvalAlphabet.currentTimes),
            pick(EvalAlphabet.secureTransports), pick(EvalAlphabet.mfaAges), Gen.bool(0.5))
    ).map {
        (who: (String?, String, String, String?, Bool, Bool), context: (String?, [String]?, String?, String?, String?, Bool))
            -> RequestSpec in
        RequestSpec(
            principal: who.0, action: who.1, resource: who.2, resourceAccount: who.3, principalInManagementAccount: who.4,
            resourceInManagementAccount: who.5, sourceIp: context.0, tagKeys: context.1, currentTime: context.2,
            secureTransport: context.3, mfaAge: context.4, explicitUsername: context.5)
    }

    /// A full scenario: up to two identity policies, and sometimes a resource policy, a permissions
    /// boundary, a session policy, SCPs and RCPs. Random statements rarely add up to an Allow, so 40 %
    /// of the scenarios also get a grant: an Allow (with random conditions) naming the request's action
    /// and resource, in the first identity policy and in the resource policy if there is one.
    static let scenario: Generator<ScenarioSpec, some SendableSequenceType> = zip(
        request, policy.array(of: 0...2), policy.optional(valueRate: 0.5), policy.optional(valueRate: 0.2),
        policy.optional(valueRate: 0.2), levels(rate: 0.15), levels(rate: 0.1), statement(effect: .allow).optional(valueRate: 0.4)
    ).map {
        (request: RequestSpec, identity: [PolicySpec], resource: PolicySpec?, boundary: PolicySpec?, session: PolicySpec?,
            scps: [[PolicySpec]], rcps: [[PolicySpec]], grant: StatementSpec?) -> ScenarioSpec in
        var scenario = ScenarioSpec(
            request: request, identity: identity, resource: resource, boundary: boundary, session: session, scpLevels: scps,
            rcpLevels: rcps)
        if var grant {
            grant.notAction = false
            grant.actions = [request.action]
            grant.notResource = false
            grant.resources = [request.resource]
            scenario.append(grant, to: .identity(0))
            if resource != nil { scenario.append(grant, to: .resource) }
        }
        return scenario
    }

    /// A request and a single identity policy of up to five statements.
    static let singleIdentityScenario: Generator<ScenarioSpec, some SendableSequenceType> = zip(request, statement().array(of: 1...5))
        .map { (request: RequestSpec, statements: [StatementSpec]) -> ScenarioSpec in
            ScenarioSpec(
                request: request, identity: [PolicySpec(statements: statements)], resource: nil, boundary: nil, session: nil,
                scpLevels: [], rcpLevels: [])
        }

    /// A mask for `flipCase`.
    static let caseMask: Generator<UInt64, some SendableSequenceType> = Gen.uint64(in: 1...UInt64.max)
}

// MARK: - Helpers

/// Text helpers and an independent reference matcher for the property tests.
enum EvalText {
    /// Flips the case of the ASCII letters at the positions whose bit (index mod 64) is set in `mask`.
    static func flipCase(_ text: String, mask: UInt64) -> String {
        guard mask != 0 else { return text }
        var result = ""
        for (index, character) in text.enumerated() {
            if mask >> UInt64(index % 64) & 1 == 1, character.isASCII, character.isLetter {
                result += character.isUppercase ? character.lowercased() : character.uppercased()
            } else {
                result.append(character)
            }
        }
        return result
    }

    static func jsonString(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }

    static func jsonArray(_ values: [String]) -> String { "[" + values.map(EvalText.jsonString).joined(separator: ", ") + "]" }

    /// An independent reference for the wildcard matching of SEMANTICS.md §2: `*` is any sequence, `?`
    /// exactly one character.
    static func referenceGlob(_ pattern: String, _ text: String, caseInsensitive: Bool) -> Bool {
        let p = Array(caseInsensitive ? pattern.lowercased() : pattern)
        let t = Array(caseInsensitive ? text.lowercased() : text)
        // matches[i][j]: p[i...] matches t[j...]
        var next = [Bool](repeating: false, count: t.count + 1)
        next[t.count] = true
        for i in stride(from: p.count - 1, through: 0, by: -1) {
            var current = [Bool](repeating: false, count: t.count + 1)
            for j in stride(from: t.count, through: 0, by: -1) {
                switch p[i] {
                case "*": current[j] = next[j] || (j < t.count && current[j + 1])
                case "?": current[j] = j < t.count && next[j + 1]
                default: current[j] = j < t.count && t[j] == p[i] && next[j + 1]
                }
            }
            next = current
        }
        return next[0]
    }

    /// Reference action matching: case-insensitive glob over `service:Name`.
    static func referenceActionMatches(_ pattern: String, _ action: String) -> Bool {
        pattern == "*" || EvalText.referenceGlob(pattern, action, caseInsensitive: true)
    }

    /// Reference resource matching for concrete ARNs: `*` matches everything; `${aws:username}` is
    /// replaced by the caller's user name, and an entry whose variable cannot be resolved matches
    /// nothing; `${aws:username, 'x'}` falls back to `x`; otherwise the six colon-separated fields are
    /// compared as case-sensitive globs.
    static func referenceResourceMatches(_ pattern: String, _ resource: String, username: String?) -> Bool {
        if pattern == "*" { return true }
        var pattern = pattern
        if pattern.contains("${aws:username}") {
            guard let username else { return false }
            pattern = pattern.replacingOccurrences(of: "${aws:username}", with: username)
        }
        pattern = pattern.replacingOccurrences(of: "${aws:username, 'x'}", with: username ?? "x")
        let patternFields = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        let resourceFields = resource.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard patternFields.count == 6, resourceFields.count == 6 else { return EvalText.referenceGlob(pattern, resource, caseInsensitive: false) }
        return zip(patternFields, resourceFields).allSatisfy { EvalText.referenceGlob(String($0), String($1), caseInsensitive: false) }
    }
}
