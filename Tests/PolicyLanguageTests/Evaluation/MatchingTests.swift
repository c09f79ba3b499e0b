import Testing
@testable import PolicyLanguage

/// Action, Resource and Principal matching (SEMANTICS.md §2; [UG:reference_policies_elements_action],
/// [UG:reference_policies_elements_resource], [UG:reference_policies_elements_principal]).
@Suite("Action, resource and principal matching")
struct MatchingTests {
    static let actions: [(String, String, Bool, String)] = [
        ("s3:GetObject", "s3:GetObject", true, "exact"),
        ("S3:getobject", "s3:GetObject", true, "prefix and name are case-insensitive"),
        ("s3:GetObject", "S3:GETOBJECT", true, "request case does not matter either"),
        ("s3:Get*", "s3:GetObjectAcl", true, "* at the end"),
        ("s3:Get*", "s3:PutObject", false, "prefix differs"),
        ("s3:Get*", "s3:Get", true, "* matches the empty string"),
        ("s3:*Object?", "s3:ListObjects", true, "* in the middle and ? at the end"),
        ("s3:*Object?", "s3:GetObject", false, "? needs exactly one character"),
        ("s3:get?bject", "s3:GetObject", true, "? with case folding"),
        ("iam:*AccessKey*", "iam:CreateAccessKey", true, "AWS example iam:*AccessKey*"),
        ("*", "ec2:RunInstances", true, "* matches every action"),
        ("s3:*", "ec2:RunInstances", false, "service prefix must match"),
        ("s3:*", "s3:ListBucket", true, "service wildcard"),
        (#"["ec2:*", "s3:GetObject"]"#, "s3:GetObject", true, "several entries: OR"),
        (#"["ec2:*", "s3:PutObject"]"#, "s3:GetObject", false, "several entries, none matches"),
    ]

    @Test(arguments: actions)
    func actionMatching(_ pattern: String, _ action: String, _ matches: Bool, _ rule: String) throws {
        let request = try makeRequest(Principals.alice, action, "arn:aws:s3:::bucket/key")
        #expect(try decide(request, identity: [Policies.allow(pattern, "*")]) == (matches ? .allow : .implicitDeny), "\(rule)")
        // NotAction applies exactly when the action matches none of the entries.
        let notAction = document(statement(action: pattern, notAction: true))
        #expect(try decide(request, identity: [notAction]) == (matches ? .implicitDeny : .allow), "NotAction: \(rule)")
    }

    static let bucket = "arn:aws:s3:::amzn-s3-demo-bucket"
    static let resources: [(String, String, Bool, String)] = [
        (bucket + "/*", bucket + "/a/b.txt", true, "* crosses /"),
        // AWS example `amzn-s3-demo-bucket/*/test/*` with the documentation's matching and non-matching keys.
        (bucket + "/*/test/*", bucket + "/1/test/object.jpg", true, "AWS example"),
        (bucket + "/*/test/*", bucket + "/1/2/test/object.jpg", true, "AWS example: * spans several /"),
        (bucket + "/*/test/*", bucket + "/1/2/test/3/object.jpg", true, "AWS example"),
        (bucket + "/*/test/*", bucket + "/1///test///object.jpg", true, "AWS example: repeated /"),
        (bucket + "/*/test/*", bucket + "/1/test/.jpg", true, "AWS example"),
        (bucket + "/*/test/*", bucket + "//test/object.jpg", true, "AWS example: * matches the empty string"),
        (bucket + "/*/test/*", bucket + "/1/test/", true, "AWS example: trailing * empty"),
        (bucket + "/*/test/*", bucket + "/1-test/object.jpg", false, "AWS example: no /test/"),
        (bucket + "/*/test/*", bucket + "/test/object.jpg", false, "AWS example: needs the / before test"),
        (bucket + "/*/test/*", bucket + "/1/2/test.jpg", false, "AWS example"),
        ("arn:aws:iam::111122223333:user/Bob", "arn:aws:iam::111122223333:user/bob", false, "resources are case-sensitive (user names)"),
        ("arn:aws:iam::111122223333:user/accounting/*", "arn:aws:iam::111122223333:user/accounting/alice", true, "AWS example: users under a path"),
        ("arn:aws:logs:us-east-1:111122223333:log-group:*", "arn:aws:logs:us-east-1:111122223333:log-group:app:log-stream:s1", true,
         "the resource part may contain : and * crosses it"),
        ("arn:aws:ec2:*:111122223333:instance/*", "arn:aws:ec2:us-west-2:111122223333:instance/i-1", true, "* in the region segment"),
        ("arn:aws:ec2:us-*:111122223333:instance/*", "arn:aws:ec2:eu-west-1:111122223333:instance/i-1", false, "region segment glob"),
        ("arn:aws:ec2:*:444455556666:instance/*", "arn:aws:ec2:us-west-2:111122223333:instance/i-1", false, "account segment still compared"),
        ("arn:aws:s3:::bucket-?", "arn:aws:s3:::bucket-1", true, "? in the resource part"),
        ("arn:aws:s3:::bucket-?", "arn:aws:s3:::bucket-12", false, "? is exactly one character"),
        ("arn:aws:s3:::*", "arn:aws:s3:::any-bucket/any/key", true, "arn:aws:s3:::* covers every bucket and object"),
        ("arn:aws:ec2:*", "arn:aws:ec2:us-east-1:111122223333:instance/i-1", true, "short ARN in an identity policy is padded with *"),
        ("arn:aws:ec2:*:instance/*", "arn:aws:ec2:us-east-1:111122223333:instance/i-1", false,
         "a * ending the region segment does not absorb the account segment (code's choice: segments are globbed one by one)"),
        ("arn:AWS:s3:::bucket/key", "arn:aws:s3:::bucket/key", false, "partition compared case-sensitively (code's choice)"),
        ("*", "arn:aws:sqs:us-east-1:111122223333:q", true, "* matches every resource"),
    ]

    @Test(arguments: resources)
    func resourceMatching(_ pattern: String, _ resource: String, _ matches: Bool, _ rule: String) throws {
        let request = try makeRequest(Principals.alice, "s3:GetObject", resource)
        #expect(try decide(request, identity: [Policies.allow("*", pattern)]) == (matches ? .allow : .implicitDeny), "\(rule)")
        // NotResource applies exactly when the resource matches none of the entries.
        let notResource = document(statement(resource: pattern, notResource: true))
        #expect(try decide(request, identity: [notResource]) == (matches ? .implicitDeny : .allow), "NotResource: \(rule)")
    }

    /// `"*"` is the only Resource that covers an action without resource-level permissions.
    @Test func wildcardOnlyActions() throws {
        let request = try makeRequest(Principals.alice, "s3:ListAllMyBuckets", "*")
        #expect(try decide(request, identity: [Policies.allow("s3:ListAllMyBuckets", "arn:aws:s3:::*")]) == .implicitDeny)
        #expect(try decide(request, identity: [Policies.allow("s3:ListAllMyBuckets", "*")]) == .allow)
    }

    /// A short ARN in a resource policy matches nothing unless it has a wildcard to pad.
    @Test func shortArnsInResourcePolicies() throws {
        let request = try makeRequest(Principals.alice, "s3:GetObject", "arn:aws:s3:::bucket/key")
        func grant(_ resource: String) -> String { document(statement(resource: resource, principal: Policies.aws(Principals.alice))) }
        #expect(try decide(request, resource: grant("arn:aws:s3")) == .implicitDeny)
        #expect(try decide(request, resource: grant("arn:aws:s3:*")) == .allow)
    }

    static let anonymous: String? = nil
    static let samlProvider = "arn:aws:iam::111122223333:saml-provider/ADFS"
    static let canonical = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"

    /// Principal values against callers. Each row is checked with a resource-policy Deny naming the
    /// value: the caller is matched exactly when the Deny applies.
    static let principals: [(String, String?, Bool, String)] = [
        (#""*""#, Principals.alice, true, "* matches an IAM user"),
        (#""*""#, anonymous, true, "* matches anonymous callers"),
        (Policies.aws("*"), anonymous, true, "{AWS: *} ≡ *, anonymous included"),
        (Policies.aws("*"), Principals.session, true, "{AWS: *} matches role sessions"),
        (Policies.aws(Accounts.home), Principals.alice, true, "an account ID names every principal in the account"),
        (Policies.aws(Accounts.home), Principals.session, true, "an account ID names role sessions of the account"),
        (Policies.aws(Accounts.home), Principals.root, true, "an account ID names its root user"),
        (Policies.aws(Accounts.home), Principals.otherUser, false, "an account ID does not name other accounts"),
        (Policies.aws(Accounts.home), anonymous, false, "an account ID does not name anonymous callers"),
        (Policies.aws(Principals.root), Principals.federated, true, "account :root ARN ≡ account ID"),
        (Policies.aws(Principals.alice), Principals.alice, true, "user ARN names the user"),
        (Policies.aws(Principals.alice), Principals.bob, false, "user ARN names only that user"),
        (Policies.aws("arn:aws:iam::111122223333:user/*"), Principals.alice, false, "no partial wildcards in principals"),
        (Policies.aws(Principals.role), Principals.session, true, "role ARN names its assumed-role sessions"),
        (Policies.aws("arn:aws:iam::111122223333:role/team/Dev"), Principals.session, true, "role ARN with a path names the sessions"),
        (Policies.aws(Principals.role), Principals.otherSession, false, "role ARN does not name another role's session"),
        (Policies.aws(Principals.session), Principals.session, true, "session ARN names that session"),
        (Policies.aws("arn:aws:sts::111122223333:assumed-role/Dev/other"), Principals.session, false, "another session of the same role"),
        (Policies.aws(Principals.federated), Principals.federated, true, "federated-user ARN"),
        (#"{"Service": "lambda.amazonaws.com"}"#, "lambda.amazonaws.com", true, "service principal"),
        (#"{"Service": "lambda.amazonaws.com"}"#, "ec2.amazonaws.com", false, "another service"),
        (#"{"Service": "lambda.amazonaws.com"}"#, Principals.alice, false, "a service value never names a user"),
        (#"{"Federated": "accounts.google.com"}"#, "accounts.google.com", true, "OIDC provider"),
        ("{\"Federated\": \"\(samlProvider)\"}", samlProvider, true, "SAML provider ARN"),
        ("{\"CanonicalUser\": \"\(canonical)\"}", canonical, true, "S3 canonical user ID"),
        ("{\"CanonicalUser\": \"\(canonical)\"}", Principals.alice, false, "canonical user never names an IAM user"),
        ("{\"AWS\": [\"\(Principals.bob)\", \"\(Principals.alice)\"]}", Principals.alice, true, "several values: OR"),
    ]

    @Test(arguments: principals)
    func principalMatching(_ principal: String, _ caller: String?, _ matches: Bool, _ rule: String) throws {
        let request = try makeRequest(caller, "s3:GetObject", "arn:aws:s3:::bucket/key", resourceAccount: Accounts.home)
        let deny = document(statement("Deny", action: "s3:GetObject", resource: "arn:aws:s3:::bucket/*", principal: principal))
        let kind = try decide(request, identity: [Policies.allowAll], resource: deny)
        #expect((kind == .explicitDeny) == matches, "\(rule): got \(kind)")
    }

    /// NotPrincipal with Deny: denies everyone but the listed principals. The evaluator matches the
    /// excluded values exactly (a role ARN does not exclude its sessions; an account excludes only its
    /// root) — AWS: "If you evaluate an assumed-role user … AWS checks the account, then the role, then the
    /// assumed-role user"; include the session ARN, or the role and account ARNs.
    static let notPrincipals: [(String, String?, Bool, String)] = [
        (Policies.aws(Principals.alice), Principals.alice, false, "the listed user is exempt"),
        (Policies.aws(Principals.alice), Principals.bob, true, "everyone else is denied"),
        (Policies.aws(Principals.alice), anonymous, true, "anonymous callers are denied"),
        (Policies.aws(Principals.role), Principals.session, true, "a role ARN does not exempt its sessions (code's choice)"),
        ("{\"AWS\": [\"\(Principals.session)\", \"\(Principals.root)\"]}", Principals.session, false, "the session ARN exempts the session"),
        (Policies.aws(Accounts.home), Principals.alice, true, "an account exempts only its root user (code's choice)"),
        (Policies.aws(Accounts.home), Principals.root, false, "an account exempts its root user"),
        (#"{"Service": "lambda.amazonaws.com"}"#, "lambda.amazonaws.com", false, "a service principal can be exempt"),
    ]

    @Test(arguments: notPrincipals)
    func notPrincipalWithDeny(_ notPrincipal: String, _ caller: String?, _ denied: Bool, _ rule: String) throws {
        let request = try makeRequest(caller, "s3:GetObject", "arn:aws:s3:::bucket/key", resourceAccount: Accounts.home)
        let deny = document(statement("Deny", action: "s3:GetObject", resource: "arn:aws:s3:::bucket/*", principal: notPrincipal, notPrincipal: true))
        let kind = try decide(request, identity: [Policies.allowAll], resource: deny)
        #expect((kind == .explicitDeny) == denied, "\(rule): got \(kind)")
    }
}
