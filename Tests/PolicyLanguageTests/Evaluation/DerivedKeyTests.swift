import Testing
@testable import PolicyLanguage

/// Condition keys IAM derives from the principal (SEMANTICS.md §3 "When keys are present";
/// [UG:reference_policies_condition-keys] aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
/// aws:username).
@Suite("Keys derived from the principal")
struct DerivedKeyTests {
    /// Expected derived values per caller; `nil` means the key is absent.
    struct Expectation: Sendable, CustomTestStringConvertible {
        var caller: String?
        var principalArn: String?
        var account: String?
        var type: String?
        var username: String?
        var testDescription: String { caller ?? "anonymous" }
    }

    static let expectations: [Expectation] = [
        .init(caller: Principals.alice, principalArn: Principals.alice, account: Accounts.home, type: "User", username: "alice"),
        .init(caller: "arn:aws:iam::111122223333:user/division/alice", principalArn: "arn:aws:iam::111122223333:user/division/alice",
              account: Accounts.home, type: "User", username: "alice"),
        // A role session's aws:PrincipalArn is the role's ARN, not the session's.
        .init(caller: Principals.session, principalArn: Principals.role, account: Accounts.home, type: "AssumedRole", username: nil),
        .init(caller: Principals.federated, principalArn: Principals.federated, account: Accounts.home, type: "FederatedUser", username: nil),
        .init(caller: Principals.root, principalArn: Principals.root, account: Accounts.home, type: "Account", username: nil),
        .init(caller: nil, principalArn: nil, account: nil, type: "Anonymous", username: nil),
        .init(caller: "lambda.amazonaws.com", principalArn: nil, account: nil, type: nil, username: nil),
    ]

    @Test(arguments: expectations)
    func derivedKeys(_ expected: Expectation) throws {
        let context = try makeRequest(expected.caller).withDerivedKeys().context
        #expect(context.entry("aws:PrincipalArn")?.values == expected.principalArn.map { [$0] })
        #expect(context.entry("aws:PrincipalAccount")?.values == expected.account.map { [$0] })
        #expect(context.entry("aws:PrincipalType")?.values == expected.type.map { [$0] })
        #expect(context.entry("aws:username")?.values == expected.username.map { [$0] }, "aws:username only for IAM users")
    }

    @Test func serviceAndRootKeys() throws {
        let service = try makeRequest("lambda.amazonaws.com").withDerivedKeys().context
        #expect(service.entry("aws:PrincipalIsAWSService")?.values == ["true"])
        #expect(service.entry("aws:PrincipalServiceName")?.values == ["lambda.amazonaws.com"])
        let user = try makeRequest(Principals.alice).withDerivedKeys().context
        #expect(user.entry("aws:PrincipalIsAWSService")?.values == ["false"])
        let root = try makeRequest(Principals.root).withDerivedKeys().context
        #expect(root.entry("aws:userid")?.values == [Accounts.home], "the root user's aws:userid is the account ID")
    }

    @Test func resourceAccount() throws {
        let inArn = try makeRequest(Principals.alice, "sqs:SendMessage", "arn:aws:sqs:us-east-1:444455556666:q").withDerivedKeys()
        #expect(inArn.context.entry("aws:ResourceAccount")?.values == [Accounts.other])
        #expect(inArn.isCrossAccount)
        let s3 = try makeRequest(Principals.alice, "s3:GetObject", "arn:aws:s3:::bucket/key").withDerivedKeys()
        #expect(s3.context.entry("aws:ResourceAccount")?.values == [Accounts.home], "no account in the ARN: the principal's")
        #expect(!s3.isCrossAccount)
        let given = try makeRequest(Principals.alice, "s3:GetObject", "arn:aws:s3:::bucket/key", resourceAccount: Accounts.other).withDerivedKeys()
        #expect(given.context.entry("aws:ResourceAccount")?.values == [Accounts.other])
        #expect(given.isCrossAccount)
    }

    /// A value the caller gave is kept, whatever the case of its key name.
    @Test func callerValuesAreNotOverwritten() throws {
        let request = try makeRequest(Principals.alice, context: [
            "AWS:PRINCIPALARN": "arn:aws:iam::111122223333:user/given", "aws:UserName": "given", "aws:principaltype": "Given",
        ]).withDerivedKeys()
        #expect(request.context.entry("aws:PrincipalArn")?.values == ["arn:aws:iam::111122223333:user/given"])
        #expect(request.context.entry("aws:username")?.values == ["given"])
        #expect(request.context.entry("aws:PrincipalType")?.values == ["Given"])
        #expect(request.context.entry("aws:PrincipalAccount")?.values == [Accounts.home], "keys not given are still derived")
    }

    /// The derived keys take part in decisions: `ArnLike aws:PrincipalArn role/Dev` matches the role's
    /// sessions; aws:PrincipalType and aws:PrincipalAccount conditions.
    @Test(arguments: [
        (clause("ArnLike", "aws:PrincipalArn", [Principals.role]), Principals.session, DecisionKind.allow),
        (clause("ArnLike", "aws:PrincipalArn", [Principals.session]), Principals.session, .implicitDeny),
        (clause("StringEquals", "aws:PrincipalType", ["User"]), Principals.alice, .allow),
        (clause("StringEquals", "aws:PrincipalType", ["User"]), Principals.session, .implicitDeny),
        (clause("StringEquals", "aws:PrincipalAccount", [Accounts.home]), Principals.session, .allow),
        (clause("Null", "aws:username", ["true"]), Principals.session, .allow),
        (clause("Null", "aws:username", ["true"]), Principals.alice, .implicitDeny),
    ])
    func derivedKeysInConditions(_ condition: String, _ caller: String, _ expected: DecisionKind) throws {
        let request = try makeRequest(caller)
        #expect(try decide(request, identity: [Policies.allow(condition: condition)]) == expected)
    }
}
