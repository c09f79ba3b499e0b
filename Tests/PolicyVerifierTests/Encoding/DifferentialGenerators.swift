import Foundation
import PolicyLanguage
@testable import PolicyVerifier

// Random policies and concrete requests for the differential tests of the SMT encoding against the
// evaluator (DifferentialTests.swift). Everything is drawn from a deliberately small alphabet, so that
// statements, requests and principals overlap often: actions in several cases and with wildcards,
// resource entries with variables and short ARNs, every condition-operator family, and request values
// that are empty, junk, or of the wrong type. Policies are written as JSON and read with
// `PolicyParser`; descriptions (`DiffPolicy`, `DiffRequest`) are kept so that a failure can be
// minimised and printed.

// MARK: - Random numbers

/// SplitMix64: small, fast and deterministic across platforms (the suite is seeded).
struct DiffRNG: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func chance(_ rate: Double) -> Bool { Double.random(in: 0..<1, using: &self) < rate }

    mutating func pick<T>(_ pool: [T]) -> T { pool.randomElement(using: &self)! }

    /// One to `most` distinct elements of `pool`.
    mutating func some<T: Equatable>(_ pool: [T], most: Int = 2) -> [T] {
        var chosen: [T] = []
        for _ in 0..<Int.random(in: 1...most, using: &self) {
            let element = pick(pool)
            if !chosen.contains(element) { chosen.append(element) }
        }
        return chosen
    }
}

// MARK: - Alphabet

enum DiffAlphabet {
    // Accounts: the "home" account and a foreign one.
    static let home = "111122223333", foreign = "999988887777"

    /// `Action`/`NotAction` entries. `S3:getobject` (case) and `s3:Get?bject` (one-character wildcard).
    static let actionEntries = [
        "s3:GetObject", "s3:Get*", "s3:*", "iam:PassRole", "iam:Pass*", "*", "S3:getobject", "s3:Get?bject",
        "s3:ListAllMyBuckets", "s3:List*", "sts:AssumeRole", "ec2:Describe*", "s3:*Object", "*:Get*", "s3:?etObject",
    ]

    /// Request actions: catalogue names, case variants, made-up names next to real ones, and actions
    /// without resource-level permissions (`s3:ListAllMyBuckets`, `ec2:DescribeInstances`, `iam:ListRoles`).
    static let requestActions = [
        "s3:GetObject", "s3:getobject", "S3:GETOBJECT", "s3:GetObjectx", "s3:GetObjectAcl", "s3:GetXbject", "s3:PutObject",
        "s3:ListBucket", "s3:ListAllMyBuckets", "s3:listallmybuckets", "iam:PassRole", "iam:passrole", "iam:PassRoles",
        "iam:ListRoles", "ec2:DescribeInstances", "sts:AssumeRole", "foo:Bar", "s3:Get",
    ]

    /// Actions requested on the resource `*` (all without resource-level permissions).
    static let wildcardOnlyActions = ["s3:ListAllMyBuckets", "s3:listallmybuckets", "ec2:DescribeInstances", "iam:ListRoles"]

    /// `Resource`/`NotResource` entries: `*`, globs in the resource part and in the fields, policy
    /// variables, short ARNs (`arn:aws:s3`, padded with `*` on the identity side, nothing in a resource
    /// policy unless it has a wildcard).
    static let resourceEntries = [
        "*", "arn:aws:s3:::b", "arn:aws:s3:::b/*", "arn:aws:s3:::b*", "arn:aws:s3:::*/x", "arn:aws:iam::111122223333:role/*",
        "arn:aws:iam::*:user/${aws:username}", "arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3", "arn:aws:s3:*",
        "arn:aws:s3:::b/${aws:username, 'x'}", "arn:aws:s3:::?", "arn:*:s3:::b/x", "arn:aws:iam::111122223333:user/alice",
    ]

    /// Rare resource entries: `${*}` is a literal `*`, which the encoder does not support in resources.
    static let rareResourceEntries = ["arn:aws:s3:::b/${*}", "arn:aws:s3:::b/${?}"]

    /// Concrete request resources (ARNs, made-up ARNs, the literal text of entries, non-ARNs).
    static let requestResources = [
        "arn:aws:s3:::b", "arn:aws:s3:::b/x", "arn:aws:s3:::bb", "arn:aws:s3:::b/x/y", "arn:aws:s3:::c/x", "arn:aws:s3:::x",
        "arn:aws:s3:::home/alice/f", "arn:aws:s3:::home/bob/f", "arn:aws:s3:::home/alice", "arn:aws:s3:::b/alice",
        "arn:aws:iam::111122223333:role/R", "arn:aws:iam::999988887777:role/R", "arn:aws:iam::111122223333:user/alice",
        "arn:aws:iam::999988887777:user/alice", "arn:aws:iam::111122223333:user/bob", "arn:aws:s3:us-east-1:111122223333:thing",
        "arn:aws-cn:s3:::b/x", "arn:aws:ec2:us-east-1:111122223333:instance/i-1", "arn:aws:s3:::", "arn:aws:s3:::B/X",
        "arn:aws:s3:::b/${aws:username}", "arn:aws:s3:::b/*", "arn:aws:s3:::b/x:y", "arn:aws:s3:::?", "notanarn",
        "arn:aws:s3", "arn:aws:s3:::b/é",
    ]

    /// Request principals; `nil` is anonymous.
    static let principals: [String?] = [
        "arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:user/bob", "arn:aws:iam::999988887777:user/alice",
        "arn:aws:iam::111122223333:user/path/alice", "arn:aws:iam::111122223333:role/R", "arn:aws:iam::111122223333:role/path/R",
        "arn:aws:iam::999988887777:role/R", "arn:aws:sts::111122223333:assumed-role/R/s1",
        "arn:aws:sts::999988887777:assumed-role/R/s1", "arn:aws:sts::111122223333:assumed-role/Other/s1",
        "arn:aws:iam::111122223333:root", "arn:aws:iam::999988887777:root", "arn:aws:sts::111122223333:federated-user/fed",
        nil, "s3.amazonaws.com", "ec2.amazonaws.com", "accounts.google.com", DiffAlphabet.canonical,
    ]

    static let resourceAccounts = ["111122223333", "999988887777", ""]

    /// `Principal` values of resource-policy statements (as JSON).
    static let principalValues = [
        #""*""#, #"{"AWS": "*"}"#, #"{"AWS": "111122223333"}"#, #"{"AWS": "arn:aws:iam::111122223333:role/R"}"#,
        #"{"AWS": "arn:aws:iam::111122223333:user/alice"}"#, #"{"AWS": "arn:aws:sts::111122223333:assumed-role/R/s1"}"#,
        #"{"AWS": "arn:aws:iam::999988887777:root"}"#, #"{"Service": "s3.amazonaws.com"}"#,
        #"{"AWS": ["111122223333", "arn:aws:iam::999988887777:user/alice"]}"#, #"{"AWS": "arn:aws:iam::111122223333:root"}"#,
        #"{"AWS": "arn:aws:iam::111122223333:role/path/R"}"#, #"{"Federated": "accounts.google.com"}"#,
        #"{"CanonicalUser": "\#(DiffAlphabet.canonical)"}"#, #"{"Service": ["s3.amazonaws.com", "ec2.amazonaws.com"]}"#,
    ]

    static let canonical = String(repeating: "ab", count: 32)

    /// A condition key with the operators used on it and its policy values.
    struct ClauseShape {
        var key: String
        var operators: [String]
        var values: [String]
    }

    static let stringOperators = [
        "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
        "StringEqualsIfExists", "StringNotEqualsIfExists", "StringLikeIfExists", "StringNotLikeIfExists",
    ]

    static let clauseShapes: [ClauseShape] = [
        ClauseShape(
            key: "aws:username", operators: stringOperators,
            values: ["alice", "ALICE", "al*", "a?ice", "", "b*", "${aws:PrincipalTag/team}", "al${*}", "é*", "${AWS:PrincipalTag/Team, 'alice'}"]),
        ClauseShape(
            key: "s3:prefix", operators: stringOperators,
            values: ["home/${aws:username}/*", "home/", "home/*", "${aws:username}", "", "*", "home/${aws:username, 'x'}"]),
        ClauseShape(
            key: "aws:PrincipalTag/team", operators: stringOperators, values: ["red", "RED", "r*", "", "${aws:username}"]),
        ClauseShape(
            key: "aws:SourceArn",
            operators: ["ArnLike", "ArnNotLike", "ArnEquals", "ArnNotEquals", "ArnLikeIfExists", "ArnNotLikeIfExists"],
            values: [
                "arn:aws:s3:::b", "arn:aws:s3:::b/*", "arn:aws:s3:::*", "arn:aws:iam::*:role/R", "arn:*:s3:::b", "*", "arn:aws:s3",
                "arn:aws:s3:::b?",
            ]),
        ClauseShape(
            key: "s3:max-keys",
            operators: [
                "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan",
                "NumericGreaterThanEquals", "NumericLessThanIfExists", "NumericNotEqualsIfExists",
            ],
            values: ["10", "100", "-5", "1.5", "abc", "0"]),
        ClauseShape(
            key: "aws:CurrentTime",
            operators: [
                "DateGreaterThan", "DateLessThan", "DateEquals", "DateNotEquals", "DateGreaterThanEquals", "DateLessThanEqualsIfExists",
                "DateGreaterThanIfExists",
            ],
            values: ["2024-01-01T00:00:00Z", "2025-06-01T12:00:00Z", "2026-01-01", "1700000000", "junk"]),
        ClauseShape(key: "aws:SecureTransport", operators: ["Bool", "BoolIfExists"], values: ["true", "false", "TRUE", "yes"]),
        ClauseShape(
            key: "aws:SourceIp", operators: ["IpAddress", "NotIpAddress", "IpAddressIfExists", "NotIpAddressIfExists"],
            values: ["10.0.0.0/8", "192.0.2.0/24", "203.0.113.5", "2001:db8::/32", "::/0", "0.0.0.0/0", "10.1.2.3/32", "2001:db8::1"]),
        ClauseShape(
            key: "aws:TagKeys",
            operators: [
                "ForAllValues:StringEquals", "ForAnyValue:StringEquals", "ForAllValues:StringLike", "ForAnyValue:StringLike",
                "ForAllValues:StringNotEquals", "ForAnyValue:StringNotEquals", "ForAllValues:StringNotLike", "ForAnyValue:StringNotLike",
                "ForAllValues:StringEqualsIfExists", "ForAnyValue:StringLikeIfExists", "ForAllValues:StringEqualsIgnoreCase",
                "StringEquals", "StringNotEquals", "StringLike",
            ],
            values: ["env", "team", "t*", "", "Env"]),
        ClauseShape(
            key: "aws:PrincipalArn", operators: ["ArnLike", "ArnNotLike", "StringEquals", "StringLike", "ArnEquals"],
            values: [
                "arn:aws:iam::111122223333:role/*", "arn:aws:iam::*:user/*", "arn:aws:iam::111122223333:user/alice",
                "arn:aws:iam::111122223333:root", "arn:aws:iam::*:role/R",
            ]),
        ClauseShape(
            key: "aws:PrincipalAccount", operators: ["StringEquals", "StringNotEquals", "StringLike"],
            values: ["111122223333", "999988887777", "1111*"]),
        ClauseShape(
            key: "aws:ResourceAccount", operators: ["StringEquals", "StringNotEquals", "StringEqualsIfExists"],
            values: ["111122223333", "999988887777", "${aws:PrincipalAccount}"]),
        ClauseShape(
            key: "aws:PrincipalType", operators: ["StringEquals", "StringNotEquals"], values: ["User", "AssumedRole", "Account"]),
        ClauseShape(
            key: "aws:PrincipalServiceName", operators: ["StringEquals", "StringLike", "StringNotEqualsIfExists"],
            values: ["s3.amazonaws.com", "*.amazonaws.com"]),
    ]

    /// Keys that `Null` and `ForAnyValue:`/`ForAllValues:` on `Null` are tried on.
    static let nullKeys = [
        "aws:username", "s3:prefix", "aws:SourceArn", "s3:max-keys", "aws:CurrentTime", "aws:SecureTransport", "aws:SourceIp",
        "aws:TagKeys", "aws:PrincipalTag/team", "aws:PrincipalArn", "aws:ResourceAccount", "aws:userid",
    ]

    /// Request values per key (in the case the request writes the key in, sometimes varied).
    static let requestValues: [String: [String]] = [
        "aws:username": ["alice", "bob", "", "ALICE", "al*ce", "a/b", "al*", "é"],
        "s3:prefix": ["home/alice/", "home/alice/x", "home/bob/", "home/", "", "home/x", "alice", "x"],
        "aws:PrincipalTag/team": ["red", "RED", "blue", "", "alice", "é", "Ü"],
        "aws:SourceArn": [
            "arn:aws:s3:::b", "arn:aws:s3:::b/x", "arn:aws:iam::111122223333:role/R", "notarn", "", "arn:aws:s3", "arn:aws:s3:::bb",
            "arn:aws-cn:s3:::b", "arn:aws:s3:::b:c",
        ],
        "s3:max-keys": ["10", "100", "1000", "-5", "1e3", "", "abc", "10.5", " 10", "010", "1.50", "-0"],
        "aws:CurrentTime": [
            "2024-01-01T00:00:00Z", "2025-06-01T12:00:00Z", "2030-01-01T00:00:00Z", "1700000000", "2024-01-01", "junk", "",
            "2025-06-01T12:00:00.5Z", "1969-12-31T23:59:59Z",
        ],
        "aws:SecureTransport": ["true", "false", "TRUE", "yes", "", "False"],
        "aws:SourceIp": [
            "10.1.2.3", "192.0.2.7", "203.0.113.5", "2001:db8::1", "::1", "10.0.0.0/8", "junk", "", "::ffff:10.1.2.3", "10.1.2.3 ",
            "2001:db9::1",
        ],
        "aws:TagKeys": ["env", "team", "", "Env", "cost", "tx"],
        "aws:PrincipalArn": ["arn:aws:iam::111122223333:role/R", "arn:aws:iam::111122223333:user/alice", "junk"],
        "aws:ResourceAccount": ["111122223333", "999988887777", ""],
    ]

    static let requestKeys = requestValues.keys.sorted()

    /// Keys AWS derives from the caller or the resource (lower-cased).
    static let derivedKeys: Set<String> = [
        "aws:principalarn", "aws:principalaccount", "aws:principaltype", "aws:username", "aws:userid", "aws:principalisawsservice",
        "aws:principalservicename", "aws:resourceaccount",
    ]
}

// MARK: - Descriptions

/// One condition clause `Operator: {Key: values}`.
struct DiffClause: Sendable, Equatable, CustomStringConvertible {
    var op: String
    var key: String
    var values: [String]
    /// Write a single value as a JSON string rather than a one-element array.
    var scalar = false

    var description: String { "\(op) \(key) \(values)" }
}

struct DiffStatement: Sendable {
    var effect = Effect.allow
    /// The `Principal`/`NotPrincipal` value as JSON; `nil` writes no principal.
    var principal: String?
    var notPrincipal = false
    var actions: [String]
    var notAction = false
    /// `nil` writes no `Resource`/`NotResource`.
    var resources: [String]?
    var notResource = false
    var clauses: [DiffClause] = []

    var json: String {
        var members = [#""Effect": "\#(effect.rawValue)""#]
        if let principal { members.append(#""\#(notPrincipal ? "NotPrincipal" : "Principal")": \#(principal)"#) }
        members.append(#""\#(notAction ? "NotAction" : "Action")": \#(DiffText.jsonArray(actions))"#)
        if let resources { members.append(#""\#(notResource ? "NotResource" : "Resource")": \#(DiffText.jsonArray(resources))"#) }
        if !clauses.isEmpty {
            // Group by operator in first-appearance order; a key repeated under one operator keeps its
            // first values (the generator avoids that).
            var groups: [(op: String, clauses: [DiffClause])] = []
            for clause in clauses {
                if let index = groups.firstIndex(where: { $0.op == clause.op }) {
                    guard !groups[index].clauses.contains(where: { $0.key.lowercased() == clause.key.lowercased() }) else { continue }
                    groups[index].clauses.append(clause)
                } else {
                    groups.append((clause.op, [clause]))
                }
            }
            let block = groups.map { group in
                let inner = group.clauses.map { clause in
                    let values = clause.scalar && clause.values.count == 1 ? DiffText.jsonString(clause.values[0]) : DiffText.jsonArray(clause.values)
                    return "\(DiffText.jsonString(clause.key)): \(values)"
                }
                return "\(DiffText.jsonString(group.op)): {\(inner.joined(separator: ", "))}"
            }
            members.append(#""Condition": {\#(block.joined(separator: ", "))}"#)
        }
        return "{" + members.joined(separator: ", ") + "}"
    }
}

struct DiffPolicy: Sendable, CustomStringConvertible {
    var role: PolicyRole
    var statements: [DiffStatement]
    /// The `Version`; `nil` writes none (the old language, in which `${…}` is literal text).
    var version: String? = "2012-10-17"

    var json: String {
        let version = version.map { "\"Version\": \"\($0)\", " } ?? ""
        return "{\(version)\"Statement\": [\n" + statements.map { "  " + $0.json }.joined(separator: ",\n") + "\n]}"
    }

    var description: String { "\(role.rawValue) policy:\n\(json)" }

    /// The parsed policy; `nil` when the parser does not read it as evaluable (a generator bug or a
    /// construct the language rejects).
    func parsed(file: String = "differential.json") -> Policy? {
        let result = PolicyParser.parse(text: json, file: file)
        guard result.isEvaluable, let policy = result.policy else { return nil }
        return policy
    }
}

/// One context key of a request: a single value or a set (`isSet`) of values.
struct DiffContextEntry: Sendable, Equatable {
    var key: String
    var values: [String]
    var isSet: Bool
}

struct DiffRequest: Sendable, CustomStringConvertible {
    /// `nil`: anonymous.
    var principal: String?
    var action: String
    var resource: String
    var resourceAccount: String?
    var context: [DiffContextEntry] = []

    var request: Request {
        var requestContext = RequestContext()
        for entry in context {
            if entry.isSet { requestContext.setValues(entry.values, for: entry.key) } else { requestContext.set(entry.values[0], for: entry.key) }
        }
        return Request(
            principal: principal.flatMap { RequestPrincipal($0) } ?? .anonymous, action: action, resource: resource,
            resourceAccount: resourceAccount, context: requestContext)
    }

    var description: String {
        var members = [
            #""principal": \#(principal.map(DiffText.jsonString) ?? "null")"#, #""action": \#(DiffText.jsonString(action))"#,
            #""resource": \#(DiffText.jsonString(resource))"#,
        ]
        if let resourceAccount { members.append(#""resourceAccount": \#(DiffText.jsonString(resourceAccount))"#) }
        if !context.isEmpty {
            let entries = context.map { entry in
                "\(DiffText.jsonString(entry.key)): \(entry.isSet ? DiffText.jsonArray(entry.values) : DiffText.jsonString(entry.values[0]))"
            }
            members.append(#""context": {\#(entries.joined(separator: ", "))}"#)
        }
        return "{" + members.joined(separator: ", ") + "}"
    }
}

// MARK: - Generators

enum DiffGen {
    static func clause(_ rng: inout DiffRNG) -> DiffClause {
        // Null (on any key) a tenth of the time, else a shape's operator and values.
        if rng.chance(0.1) {
            let op = rng.chance(0.85) ? "Null" : rng.pick(["ForAllValues:Null", "ForAnyValue:Null"])
            return DiffClause(op: op, key: rng.pick(DiffAlphabet.nullKeys), values: [rng.pick(["true", "false", "true", "false", "maybe"])], scalar: rng.chance(0.5))
        }
        let shape = rng.pick(DiffAlphabet.clauseShapes)
        let op = rng.pick(shape.operators)
        var values = rng.some(shape.values, most: 3)
        // A variable in a case-insensitive comparison cannot be encoded; keep it rare so that the
        // representable share stays high.
        if op.contains("IgnoreCase"), values.contains(where: { $0.contains("${") }), rng.chance(0.9) {
            values = values.filter { !$0.contains("${") }
            if values.isEmpty { values = [shape.values[0]] }
        }
        return DiffClause(op: op, key: rng.chance(0.1) ? DiffText.flipCase(shape.key, &rng) : shape.key, values: values, scalar: rng.chance(0.3))
    }

    static func statement(_ rng: inout DiffRNG, role: PolicyRole) -> DiffStatement {
        var statement = DiffStatement(effect: rng.chance(0.65) ? .allow : .deny, actions: rng.some(DiffAlphabet.actionEntries))
        statement.notAction = rng.chance(0.2)
        if role.matchesPrincipals, rng.chance(0.93) {
            statement.principal = rng.pick(DiffAlphabet.principalValues)
            statement.notPrincipal = rng.chance(0.15)
        }
        if !rng.chance(role == .resource ? 0.15 : 0.05) {
            statement.resources = rng.some(rng.chance(0.02) ? DiffAlphabet.rareResourceEntries : DiffAlphabet.resourceEntries)
            statement.notResource = rng.chance(0.2)
        }
        if rng.chance(0.55) {
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let clause = clause(&rng)
                // One key per operator (JSON object keys are unique).
                if !statement.clauses.contains(where: { $0.op == clause.op && $0.key.lowercased() == clause.key.lowercased() }) {
                    statement.clauses.append(clause)
                }
            }
        }
        return statement
    }

    static func policy(_ rng: inout DiffRNG) -> DiffPolicy {
        let roll = Double.random(in: 0..<1, using: &rng)
        let role: PolicyRole = roll < 0.55 ? .identity : roll < 0.92 ? .resource : .rcp
        let count = Int.random(in: 1...4, using: &rng)
        var policy = DiffPolicy(role: role, statements: (0..<count).map { _ in statement(&rng, role: role) })
        // Now and then the old language, where `${aws:username}` is literal text.
        if rng.chance(0.06) { policy.version = rng.pick(["2008-10-17", nil]) }
        return policy
    }

    /// The policies of one encoding: one policy, and a quarter of the time a second one sharing its
    /// request (their atoms then split the request space together).
    static func query(_ rng: inout DiffRNG) -> [DiffPolicy] {
        var policies = [policy(&rng)]
        if rng.chance(0.25) { policies.append(policy(&rng)) }
        return policies
    }

    static func contextEntry(_ rng: inout DiffRNG, key: String) -> DiffContextEntry {
        var pool = DiffAlphabet.requestValues[key]!
        // Now and then a value meant for another key (a number for an IP, a date for a string, …).
        if rng.chance(0.15) { pool.append(rng.pick(DiffAlphabet.requestValues[rng.pick(DiffAlphabet.requestKeys)]!)) }
        let written = rng.chance(0.1) ? DiffText.flipCase(key, &rng) : key
        if key == "aws:TagKeys" ? rng.chance(0.85) : rng.chance(0.2) {
            let count = Int.random(in: 0...3, using: &rng)
            return DiffContextEntry(key: written, values: (0..<count).map { _ in rng.pick(pool) }, isSet: true)
        }
        return DiffContextEntry(key: written, values: [rng.pick(pool)], isSet: false)
    }

    /// A request: random from the alphabet, or (`nearRate`) aimed at a random statement of `policy`
    /// (its action, resource, principal and condition values instantiated), so that statements apply
    /// often enough for both answers to be common.
    static func request(_ rng: inout DiffRNG, near policy: DiffPolicy, nearRate: Double = 0.45) -> DiffRequest {
        var request = request(&rng)
        // Callers outside any account are outside the request space of identity-side policies: mostly
        // ask for IAM identities there.
        if !policy.role.matchesPrincipals, request.principal.flatMap({ RequestPrincipal($0) })?.account == nil, rng.chance(0.7) {
            request.principal = rng.pick(DiffAlphabet.principals.compactMap { $0 }.filter { RequestPrincipal($0)?.account != nil })
        }
        guard rng.chance(nearRate), let statement = policy.statements.randomElement(using: &rng) else { return request }
        if !statement.notAction, rng.chance(0.9) {
            let entry = rng.pick(statement.actions)
            if entry != "*" { request.action = instantiate(entry, &rng, wildcards: ["", "Object", "GetObject", "x", "Role"]) }
        }
        if let resources = statement.resources, !statement.notResource, rng.chance(0.9) {
            let entry = rng.pick(resources)
            if entry != "*", entry.filter({ $0 == ":" }).count >= 5 {
                let username = request.principal.flatMap { RequestPrincipal($0) }.flatMap { principal -> String? in
                    if case .user(_, _, let name) = principal { return name }
                    return nil
                }
                var text = entry.replacingOccurrences(of: "${aws:username, 'x'}", with: username ?? "x")
                text = text.replacingOccurrences(of: "${aws:username}", with: username ?? "alice")
                text = text.replacingOccurrences(of: "${*}", with: "x")
                request.resource = instantiate(text, &rng, wildcards: ["", "x", "b/x", "alice/f"])
                if request.resource.hasSuffix(":"), rng.chance(0.7) { request.resource += "x" }
            }
        }
        if let principal = statement.principal, !statement.notPrincipal, rng.chance(0.8) {
            for candidate in DiffAlphabet.principals.compactMap({ $0 }) where principal.contains(candidate) {
                request.principal = candidate
            }
            if principal.contains(DiffAlphabet.home) && !principal.contains("arn:") || principal.contains("\(DiffAlphabet.home):root") {
                request.principal = rng.pick(DiffAlphabet.principals.compactMap { $0 }.filter { $0.contains(DiffAlphabet.home) })
            }
            if principal.contains(":role/R") && rng.chance(0.5) { request.principal = "arn:aws:sts::111122223333:assumed-role/R/s\(rng.pick([1, 2]))" }
        }
        for clause in statement.clauses where rng.chance(0.6) && !clause.op.hasSuffix("Null") {
            let key = clause.key
            // A key AWS derives from the caller, given another value, is outside the request space.
            if DiffAlphabet.derivedKeys.contains(key.lowercased()), rng.chance(0.85) { continue }
            let pool = DiffAlphabet.requestValues[key] ?? DiffAlphabet.requestValues.first { $0.key.lowercased() == key.lowercased() }?.value ?? [""]
            let candidates = clause.values.filter { !$0.contains("${") }.map { instantiate($0, &rng, wildcards: ["", "x", "home/"]) } + pool
            request.context.removeAll { $0.key.lowercased() == key.lowercased() }
            if key.lowercased() == "aws:tagkeys" || rng.chance(0.15) {
                request.context.append(DiffContextEntry(key: key, values: (0..<Int.random(in: 0...3, using: &rng)).map { _ in rng.pick(candidates) }, isSet: true))
            } else {
                request.context.append(DiffContextEntry(key: key, values: [rng.pick(candidates)], isSet: false))
            }
        }
        return request
    }

    /// `pattern` with each `*` replaced by one of `wildcards` and each `?` by a letter.
    static func instantiate(_ pattern: String, _ rng: inout DiffRNG, wildcards: [String]) -> String {
        var result = ""
        for character in pattern {
            switch character {
            case "*": result += rng.pick(wildcards)
            case "?": result += rng.pick(["O", "x", "b"])
            default: result.append(character)
            }
        }
        return result
    }

    static func request(_ rng: inout DiffRNG) -> DiffRequest {
        let principal = rng.pick(DiffAlphabet.principals)
        var action = rng.pick(DiffAlphabet.requestActions)
        let resource: String
        if rng.chance(0.12) {
            // The literal `*`: mostly with actions without resource-level permissions.
            if rng.chance(0.85) { action = rng.pick(DiffAlphabet.wildcardOnlyActions) }
            resource = "*"
        } else {
            resource = rng.pick(DiffAlphabet.requestResources)
        }
        var request = DiffRequest(principal: principal, action: action, resource: resource)
        if rng.chance(0.12) { request.resourceAccount = rng.pick(DiffAlphabet.resourceAccounts) }
        var keys: [String] = []
        for _ in 0..<rng.pick([0, 1, 1, 2, 2, 3]) {
            let key = rng.pick(DiffAlphabet.requestKeys)
            if !keys.contains(key) { keys.append(key) }
        }
        request.context = keys.map { contextEntry(&rng, key: $0) }
        // Keys AWS derives from the caller: seldom given (another value is outside the request space);
        // sometimes given with the value AWS derives, which changes nothing.
        request.context.removeAll { DiffAlphabet.derivedKeys.contains($0.key.lowercased()) && rng.chance(0.8) }
        if rng.chance(0.1), let name = principal.flatMap({ RequestPrincipal($0) }).flatMap({ principal -> String? in
            if case .user(_, _, let name) = principal { return name }
            return nil
        }) {
            request.context.removeAll { $0.key.lowercased() == "aws:username" }
            request.context.append(DiffContextEntry(key: "aws:username", values: [name], isSet: false))
        }
        return request
    }
}

// MARK: - Text

enum DiffText {
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

    static func jsonArray(_ values: [String]) -> String { "[" + values.map(jsonString).joined(separator: ", ") + "]" }

    /// `text` with the case of some ASCII letters flipped.
    static func flipCase(_ text: String, _ rng: inout DiffRNG) -> String {
        var result = ""
        for character in text {
            if character.isASCII, character.isLetter, rng.chance(0.3) {
                result += character.isUppercase ? character.lowercased() : character.uppercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}
