import Testing
@testable import PolicyLanguage

/// `ForAllValues:` and `ForAnyValue:` (SEMANTICS.md §3 "Set qualifiers"; [UG:reference_policies_multi-value-conditions],
/// [UG:reference_policies_condition_examples-multi-valued-context-keys]).
@Suite("Set qualifiers ForAllValues / ForAnyValue")
struct SetQualifierTests {
    static let attributes = ["PostDateTime", "Message", "Tags"]

    static let cases: [OperatorCase] = [
        // AWS DynamoDB example: ForAllValues:StringLike dynamodb:requestedAttributes.
        row("ForAllValues:StringLike", attributes, ["PostDateTime", "Message"], true, "AWS example: every requested attribute is listed"),
        row("ForAllValues:StringLike", attributes, ["PostDateTime", "UserName"], false, "AWS example: UserName is not listed"),
        // AWS example: Deny PutItem with ForAnyValue:StringLike [ID, PostDateTime].
        row("ForAnyValue:StringLike", ["ID", "PostDateTime"], ["UserName", "Message", "PostDateTime"], true, "AWS example: PostDateTime matches"),
        row("ForAnyValue:StringLike", ["ID", "PostDateTime"], ["UserName"], false, "AWS example: nothing matches"),
        // AWS example: Deny with ForAllValues:StringNotLike aws:TagKeys "key1*" (its table of four rows).
        row("ForAllValues:StringNotLike", ["key1*"], ["key1:legal"], false, "AWS example: key1:legal → no match"),
        row("ForAllValues:StringNotLike", ["key1*"], ["key1:hr", "key1:personnel"], false, "AWS example: key1:hr, key1:personnel → no match"),
        row("ForAllValues:StringNotLike", ["key1*"], ["key2:audit"], true, "AWS example: key2:audit → match"),
        row("ForAllValues:StringNotLike", ["key1*"], nil, true, "AWS example: no aws:TagKeys → match"),
        row("ForAllValues:StringNotLike", ["key1*"], ["key1:a", "key2:b"], false, "every value must avoid every pattern"),
        // AWS example: Deny CreateSnapshot with ForAnyValue:StringEquals aws:TagKeys [environment, webserver].
        row("ForAnyValue:StringEquals", ["environment", "webserver"], ["environment", "owner"], true, "AWS example: one tag key listed"),
        row("ForAnyValue:StringEquals", ["environment", "webserver"], ["owner"], false, "AWS example: no tag key listed"),
        // Missing keys and empty sets.
        row("ForAllValues:StringEquals", ["a"], nil, true, "ForAllValues holds when the key is missing"),
        row("ForAnyValue:StringEquals", ["a"], nil, false, "ForAnyValue fails when the key is missing"),
        row("ForAllValues:StringEquals", ["a"], .set([]), true, "ForAllValues holds on an empty set"),
        row("ForAnyValue:StringLike", ["*"], .set([]), false, "ForAnyValue fails on an empty set, even with *"),
        row("ForAnyValue:StringNotEquals", ["a"], nil, false, "ForAnyValue with a negated operator fails when missing"),
        row("ForAllValues:StringNotEquals", ["a"], .set([]), true, "ForAllValues with a negated operator holds on an empty set"),
        // "If the key values in the request resolve to an empty data set (for example, an empty string),
        // ForAllValues returns true and ForAnyValue returns false."
        row("ForAllValues:StringEquals", ["a"], "", true, "AWS: an empty string is an empty data set for ForAllValues"),
        row("ForAllValues:StringEquals", ["a"], .set([""]), true, "AWS: a set holding only an empty string is an empty data set"),
        row("ForAnyValue:StringLike", ["*"], "", false, "AWS: an empty string is an empty data set for ForAnyValue"),
        row("ForAnyValue:StringEquals", [""], .set([""]), false, "AWS: empty data set, even against an empty policy value"),
        row("ForAllValues:StringEquals", ["a"], ["a", ""], false, "an empty string among other values is compared as a value"),
        // Negated operators under the qualifiers: the NOR of the policy values per request value.
        row("ForAnyValue:StringNotEquals", ["a", "b"], ["a", "c"], true, "ForAnyValue + negated: c matches neither value"),
        row("ForAnyValue:StringNotEquals", ["a", "b"], ["a", "b"], false, "ForAnyValue + negated: every value is listed"),
        row("ForAllValues:StringNotEquals", ["a"], ["b", "c"], true, "ForAllValues + negated: none is a"),
        row("ForAllValues:StringNotEquals", ["a"], ["a", "b"], false, "ForAllValues + negated: a is listed"),
        // A single-valued request is a set of one.
        row("ForAllValues:StringEquals", ["a", "b"], "a", true, "single value as a set of one"),
        row("ForAnyValue:StringEquals", ["a", "b"], "c", false, "single value as a set of one, not listed"),
        // Other families under the qualifiers.
        row("ForAnyValue:NumericLessThan", ["5"], ["7", "3"], true, "Numeric: some value below"),
        row("ForAllValues:NumericLessThan", ["5"], ["7", "3"], false, "Numeric: not every value below"),
        row("ForAllValues:IpAddress", ["10.0.0.0/8"], ["10.1.1.1", "10.2.2.2"], true, "IP: every address inside"),
        row("ForAnyValue:ArnLike", ["arn:aws:iam::*:role/Admin"], ["arn:aws:iam::1:role/Dev", "arn:aws:iam::1:role/Admin"], true, "ARN: some value matches"),
        row("ForAnyValue:StringEqualsIgnoreCase", ["ADMIN"], ["dev", "admin"], true, "IgnoreCase per value"),
        // Null under a qualifier: ForAllValues always holds, ForAnyValue never (SEMANTICS §3; validation warns).
        row("ForAllValues:Null", ["true"], "x", true, "ForAllValues:Null always holds (present key)"),
        row("ForAllValues:Null", ["false"], nil, true, "ForAllValues:Null always holds (absent key)"),
        row("ForAnyValue:Null", ["true"], nil, false, "ForAnyValue:Null never holds (absent key)"),
        row("ForAnyValue:Null", ["false"], "x", false, "ForAnyValue:Null never holds (present key)"),
        // IfExists combined with a qualifier.
        row("ForAnyValue:StringEqualsIfExists", ["a"], nil, true, "IfExists makes a missing key hold even under ForAnyValue"),
        row("ForAnyValue:StringEqualsIfExists", ["a"], ["b"], false, "IfExists: present key compared normally"),
        row("ForAllValues:StringEqualsIfExists", ["a"], nil, true, "IfExists with ForAllValues, missing key"),
        // A plain operator on a multivalued request (undocumented; AA reports "Missing qualifier").
        row("StringEquals", ["a", "b"], ["a", "b"], false, "plain positive operator on several values: false (SEMANTICS §3)"),
        row("StringLike", ["*"], ["a", "b"], false, "plain positive operator on several values: false, even with *"),
        row("StringEquals", ["a"], .set(["a"]), true, "a set of one value behaves as a single value"),
        row("StringNotEquals", ["a"], ["b", "c"], true, "plain negated operator on several values: holds when no value matches (code's choice)"),
        row("StringNotEquals", ["a"], ["a", "b"], false, "plain negated operator on several values: fails when one value matches (code's choice)"),
        row("StringEquals", ["a"], .set([]), false, "plain positive operator on an empty set: false"),
        row("StringNotEquals", ["a"], .set([]), true, "plain negated operator on an empty set: true (code's choice)"),
    ]

    @Test(arguments: cases)
    func qualifiers(_ testCase: OperatorCase) throws { try testCase.check() }

    /// AWS example: Deny tagging unless every tag key starts with key1/key2/key3, guarded by
    /// `Null false` so that a request without tags (or with an empty value) is not denied.
    @Test func nullGuardExample() throws {
        let deny = document(statement("Deny", action: #"["iam:Tag*", "iam:UnTag*"]"#, resource: #"["*"]"#, condition: #"""
            {"Null": {"aws:TagKeys": "false"}, "ForAllValues:StringLike": {"aws:TagKeys": ["key1*", "key2*", "key3*"]}}
            """#))
        let user = "arn:aws:iam::111122223333:user/target"
        func outcome(_ keys: ContextValue?) throws -> DecisionKind {
            let request = try makeRequest(Principals.alice, "iam:TagUser", user, context: keys.map { ["aws:TagKeys": $0] } ?? [:])
            return try decide(request, identity: [Policies.allowAll, deny])
        }
        #expect(try outcome(["key1:a", "key2:b"]) == .explicitDeny, "every key listed: the Deny applies")
        #expect(try outcome(["key1:a", "other"]) == .allow, "one key not listed: ForAllValues fails")
        #expect(try outcome(nil) == .allow, "no tags: Null false fails, so no Deny")
        #expect(try outcome("") == .allow, "AWS: Null false also guards against a key with an empty value")
    }

    /// The Null operator treats a key whose value is an empty data set as null, so that the guard above
    /// works ("check if the context key in the request exists and its value is not null").
    @Test(arguments: [
        (ContextValue.one(""), "true", true), (.one(""), "false", false), (.set([]), "true", true), (.set([""]), "false", false),
        (.one("x"), "false", true), (.set(["", "x"]), "false", true),
    ])
    func nullTreatsEmptyValuesAsNull(_ value: ContextValue, _ nullValue: String, _ holds: Bool) throws {
        #expect(try operatorHolds("Null", [nullValue], value) == holds)
    }
}
