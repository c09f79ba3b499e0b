import Testing
@testable import PolicyLanguage

/// Policy variables in Resource entries and condition values (SEMANTICS.md §2 "Variables";
/// [UG:reference_policies_variables]).
@Suite("Policy variables")
struct PolicyVariableTests {
    static let homeBucket = "arn:aws:s3:::amzn-s3-demo-bucket"

    /// AWS example: a user's home folder, `home/${aws:username}/` in s3:prefix and in Resource.
    static let homeFolderPolicy = document(
        statement(action: "s3:ListBucket", resource: homeBucket,
                  condition: clause("StringLike", "s3:prefix", ["", "home/", "home/${aws:username}/"])),
        statement(action: "s3:*", resource: "[\"\(homeBucket)/home/${aws:username}\", \"\(homeBucket)/home/${aws:username}/*\"]"))

    @Test(arguments: [
        (Principals.alice, "s3:ListBucket", homeBucket, "home/alice/", DecisionKind.allow, "StringLike value with ${aws:username}"),
        (Principals.alice, "s3:ListBucket", homeBucket, "home/bob/", .implicitDeny, "another user's prefix"),
        (Principals.alice, "s3:ListBucket", homeBucket, "", .allow, "the empty prefix is listed"),
        (Principals.alice, "s3:GetObject", homeBucket + "/home/alice/notes.txt", nil, .allow, "Resource with ${aws:username}"),
        (Principals.alice, "s3:GetObject", homeBucket + "/home/bob/notes.txt", nil, .implicitDeny, "another user's folder"),
        (Principals.bob, "s3:GetObject", homeBucket + "/home/bob/notes.txt", nil, .allow, "the variable follows the caller"),
        (Principals.session, "s3:GetObject", homeBucket + "/home/alice-session/notes.txt", nil, .implicitDeny,
         "aws:username exists only for IAM users: a role session's Resource entry matches nothing"),
        (Principals.session, "s3:ListBucket", homeBucket, "home/", .allow, "entries without variables still apply to a role session"),
    ] as [(String, String, String, String?, DecisionKind, String)])
    func homeFolderExample(_ principal: String, _ action: String, _ resource: String, _ prefix: String?, _ expected: DecisionKind, _ rule: String) throws {
        let request = try makeRequest(principal, action, resource, context: prefix.map { ["s3:prefix": .one($0)] } ?? [:])
        #expect(try decide(request, identity: [Self.homeFolderPolicy]) == expected, "\(rule)")
    }

    static let conditionCases: [(String, String, [String: ContextValue], Bool)] = [
        ("variable in StringEquals", clause("StringEquals", "k", ["${aws:username}"]), ["k": "alice", "aws:username": "alice"], true),
        ("variable key names are case-insensitive", clause("StringEquals", "k", ["${AWS:UserName}"]), ["k": "alice", "aws:username": "alice"], true),
        ("variable with a tag key", clause("StringEquals", "k", ["${aws:PrincipalTag/team}"]), ["k": "blue", "aws:principaltag/Team": "blue"], true),
        ("default used when the key is absent", clause("StringEquals", "k", ["${aws:PrincipalTag/team, 'none'}"]), ["k": "none"], true),
        ("default ignored when the key is present", clause("StringEquals", "k", ["${aws:PrincipalTag/team, 'none'}"]), ["k": "none", "aws:PrincipalTag/team": "blue"], false),
        ("variable inside a StringLike pattern", clause("StringLike", "k", ["team-${aws:PrincipalTag/team}-*"]), ["k": "team-blue-1", "aws:PrincipalTag/team": "blue"], true),
        ("a substituted * is literal, not a wildcard", clause("StringLike", "k", ["${aws:PrincipalTag/team}"]), ["k": "anything", "aws:PrincipalTag/team": "*"], false),
        ("a substituted * matches a literal *", clause("StringLike", "k", ["${aws:PrincipalTag/team}"]), ["k": "*", "aws:PrincipalTag/team": "*"], true),
        ("${*} is a literal * in StringLike", clause("StringLike", "k", ["a${*}"]), ["k": "a*"], true),
        ("${*} is never a wildcard", clause("StringLike", "k", ["a${*}"]), ["k": "abc"], false),
        ("${?} is a literal ?", clause("StringLike", "k", ["a${?}"]), ["k": "a?"], true),
        ("${?} is never a wildcard", clause("StringLike", "k", ["a${?}"]), ["k": "ab"], false),
        ("${$} is a literal $", clause("StringEquals", "k", ["cost${$}"]), ["k": "cost$"], true),
        ("unresolved variable: StringEquals fails", clause("StringEquals", "k", ["${aws:username}"]), ["k": ""], false),
        ("unresolved variable: StringLike fails", clause("StringLike", "k", ["*${aws:username}*"]), ["k": "x"], false),
        ("unresolved variable: StringNotEquals matches", clause("StringNotEquals", "k", ["${aws:username}"]), ["k": "x"], true),
        ("unresolved variable: StringNotLike matches", clause("StringNotLike", "k", ["*${aws:username}*"]), ["k": "x"], true),
        ("unresolved variable: ArnLike fails", clause("ArnLike", "k", ["arn:aws:iam::1:user/${aws:username}"]), ["k": "arn:aws:iam::1:user/a"], false),
        ("unresolved variable: ArnNotLike matches", clause("ArnNotLike", "k", ["arn:aws:iam::1:user/${aws:username}"]), ["k": "arn:aws:iam::1:user/a"], true),
        ("variable in ArnEquals", clause("ArnEquals", "aws:SourceArn", ["arn:aws:iam::${aws:PrincipalAccount}:role/*"]),
         ["aws:SourceArn": "arn:aws:iam::111122223333:role/x", "aws:PrincipalAccount": "111122223333"], true),
        ("a multivalued key is not a variable", clause("StringEquals", "k", ["${aws:TagKeys}"]), ["k": "a", "aws:TagKeys": ["a", "b"]], false),
        ("a multivalued key is not a variable: negated matches", clause("StringNotEquals", "k", ["${aws:TagKeys}"]), ["k": "a", "aws:TagKeys": ["a", "b"]], true),
        // "The difference between single-valued and multivalued context keys lies in the number of values
        // in the request context": a set of one value is single-valued and resolves.
        ("a set holding one value resolves", clause("StringEquals", "k", ["${aws:TagKeys}"]), ["k": "a", "aws:TagKeys": .set(["a"])], true),
        ("a multivalued key falls back to the default", clause("StringEquals", "k", ["${aws:TagKeys, 'd'}"]), ["k": "d", "aws:TagKeys": ["a", "b"]], true),
        ("variables are not substituted in Numeric values", clause("NumericEquals", "k", ["${n}"]), ["k": "5", "n": "5"], false),
        ("variables are not substituted in Bool values (SEMANTICS treats Bool as not allowed)", clause("Bool", "k", ["${b}"]), ["k": "true", "b": "true"], false),
    ]

    @Test(arguments: conditionCases)
    func variablesInConditions(_ rule: String, _ condition: String, _ context: [String: ContextValue], _ holds: Bool) throws {
        #expect(try conditionHolds(condition, context) == holds, "\(rule)")
    }

    /// Under Version 2008-10-17, or with no Version, `${…}` is literal text.
    @Test(arguments: ["2008-10-17", nil] as [String?])
    func oldLanguageTreatsVariablesLiterally(_ version: String?) throws {
        #expect(try conditionHolds(clause("StringEquals", "k", ["${aws:username}"]), ["k": "${aws:username}", "aws:username": "alice"], version: version))
        #expect(try !conditionHolds(clause("StringEquals", "k", ["${aws:username}"]), ["k": "alice", "aws:username": "alice"], version: version))
        // `${*}` is not an escape either: the text keeps its `*`, which is a wildcard in StringLike.
        #expect(try conditionHolds(clause("StringLike", "k", ["a${*}"]), ["k": "a${xyz}"], version: version))
        let policy = document(statement(action: "s3:GetObject", resource: "arn:aws:s3:::bucket/${aws:username}/*"), version: version)
        let literal = try makeRequest(Principals.alice, "s3:GetObject", "arn:aws:s3:::bucket/${aws:username}/x")
        let substituted = try makeRequest(Principals.alice, "s3:GetObject", "arn:aws:s3:::bucket/alice/x")
        #expect(try decide(literal, identity: [policy]) == .allow)
        #expect(try decide(substituted, identity: [policy]) == .implicitDeny)
    }

    @Test func resourceVariables() throws {
        // Escapes in Resource: `${*}` is a literal star, never a wildcard.
        let star = document(statement(action: "s3:GetObject", resource: "arn:aws:s3:::bucket/${*}"))
        #expect(try decide(try makeRequest(Principals.alice, "s3:GetObject", "arn:aws:s3:::bucket/abc"), identity: [star]) == .implicitDeny)
        // Default values in Resource.
        let team = document(statement(action: "s3:GetObject", resource: "arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'shared'}/*"))
        let shared = try makeRequest(Principals.alice, "s3:GetObject", "arn:aws:s3:::bucket/shared/x")
        let tagged = try makeRequest(Principals.alice, "s3:GetObject", "arn:aws:s3:::bucket/blue/x", context: ["aws:PrincipalTag/team": "blue"])
        #expect(try decide(shared, identity: [team]) == .allow)
        #expect(try decide(tagged, identity: [team]) == .allow)
        // An unresolvable variable in a Deny's Resource matches nothing, so the Deny never applies …
        let denyUnresolved = Policies.deny("s3:*", "arn:aws:s3:::bucket/${aws:PrincipalTag/missing}/*")
        let request = try makeRequest(Principals.alice, "s3:GetObject", "arn:aws:s3:::bucket/x/y")
        #expect(try decide(request, identity: [Policies.allowAll, denyUnresolved]) == .allow)
        // … and in NotResource the entry excludes nothing, so the statement applies to every resource.
        let notResource = document(statement("Deny", action: "s3:*", resource: "arn:aws:s3:::bucket/${aws:PrincipalTag/missing}", notResource: true))
        #expect(try decide(request, identity: [Policies.allowAll, notResource]) == .explicitDeny)
        // Derived keys are variables too: aws:PrincipalAccount in a Resource.
        let account = document(statement(action: "s3:GetObject", resource: "arn:aws:s3:::bucket-${aws:PrincipalAccount}/*"))
        let own = try makeRequest(Principals.alice, "s3:GetObject", "arn:aws:s3:::bucket-111122223333/x")
        let foreign = try makeRequest(Principals.alice, "s3:GetObject", "arn:aws:s3:::bucket-444455556666/x")
        #expect(try decide(own, identity: [account]) == .allow)
        #expect(try decide(foreign, identity: [account]) == .implicitDeny)
    }
}
