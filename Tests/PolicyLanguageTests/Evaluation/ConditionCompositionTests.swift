import Testing
@testable import PolicyLanguage

/// How clauses combine, missing keys, `…IfExists`, and key-name case (SEMANTICS.md §3 "Composition",
/// "Missing key"; [UG:reference_policies_elements_condition_operators] "…IfExists").
@Suite("Condition composition, missing keys and IfExists")
struct ConditionCompositionTests {
    /// One operator of every family with a value that matches `present` and not `other`.
    struct FamilyOperand: Sendable, CustomTestStringConvertible {
        var op: String
        var value: String
        var present: String
        var other: String
        var testDescription: String { op }
    }

    static let families: [FamilyOperand] = [
        .init(op: "StringEquals", value: "a", present: "a", other: "b"),
        .init(op: "StringNotEquals", value: "a", present: "b", other: "a"),
        .init(op: "StringEqualsIgnoreCase", value: "A", present: "a", other: "b"),
        .init(op: "StringNotEqualsIgnoreCase", value: "A", present: "b", other: "a"),
        .init(op: "StringLike", value: "a*", present: "abc", other: "bc"),
        .init(op: "StringNotLike", value: "a*", present: "bc", other: "abc"),
        .init(op: "NumericEquals", value: "1", present: "1.0", other: "2"),
        .init(op: "NumericNotEquals", value: "1", present: "2", other: "1"),
        .init(op: "NumericLessThan", value: "5", present: "4", other: "5"),
        .init(op: "NumericLessThanEquals", value: "5", present: "5", other: "6"),
        .init(op: "NumericGreaterThan", value: "5", present: "6", other: "5"),
        .init(op: "NumericGreaterThanEquals", value: "5", present: "5", other: "4"),
        .init(op: "DateEquals", value: "2020-01-01T00:00:00Z", present: "1577836800", other: "1577836801"),
        .init(op: "DateNotEquals", value: "2020-01-01T00:00:00Z", present: "1577836801", other: "1577836800"),
        .init(op: "DateLessThan", value: "2020-01-01T00:00:00Z", present: "2019-12-31T00:00:00Z", other: "2020-01-01T00:00:00Z"),
        .init(op: "DateLessThanEquals", value: "2020-01-01T00:00:00Z", present: "2020-01-01T00:00:00Z", other: "2020-01-02T00:00:00Z"),
        .init(op: "DateGreaterThan", value: "2020-01-01T00:00:00Z", present: "2020-01-02T00:00:00Z", other: "2020-01-01T00:00:00Z"),
        .init(op: "DateGreaterThanEquals", value: "2020-01-01T00:00:00Z", present: "2020-01-01T00:00:00Z", other: "2019-01-01T00:00:00Z"),
        .init(op: "Bool", value: "true", present: "true", other: "false"),
        .init(op: "BinaryEquals", value: "AAEC", present: "AAEC", other: "AAED"),
        .init(op: "IpAddress", value: "10.0.0.0/8", present: "10.1.2.3", other: "11.0.0.1"),
        .init(op: "NotIpAddress", value: "10.0.0.0/8", present: "11.0.0.1", other: "10.1.2.3"),
        .init(op: "ArnEquals", value: "arn:aws:s3:::b/*", present: "arn:aws:s3:::b/k", other: "arn:aws:s3:::c/k"),
        .init(op: "ArnLike", value: "arn:aws:s3:::b/*", present: "arn:aws:s3:::b/k", other: "arn:aws:s3:::c/k"),
        .init(op: "ArnNotEquals", value: "arn:aws:s3:::b/*", present: "arn:aws:s3:::c/k", other: "arn:aws:s3:::b/k"),
        .init(op: "ArnNotLike", value: "arn:aws:s3:::b/*", present: "arn:aws:s3:::c/k", other: "arn:aws:s3:::b/k"),
    ]

    /// Missing key: positive operators fail, negated ones hold ("If the policy condition requires that
    /// the key is not matched, such as StringNotLike or ArnNotLike, and the right key is not present, the
    /// condition is true").
    @Test(arguments: families)
    func missingKey(_ family: FamilyOperand) throws {
        let negated = try #require(ConditionOperator(name: family.op)).base.isNegated
        #expect(try operatorHolds(family.op, [family.value], nil) == negated)
        // Present values behave as the table says.
        #expect(try operatorHolds(family.op, [family.value], .one(family.present)))
        #expect(try !operatorHolds(family.op, [family.value], .one(family.other)))
    }

    /// `…IfExists` on every family: an absent key holds; a present key is compared normally.
    @Test(arguments: families)
    func ifExists(_ family: FamilyOperand) throws {
        let op = family.op + "IfExists"
        #expect(try operatorHolds(op, [family.value], nil), "absent key holds")
        #expect(try operatorHolds(op, [family.value], .one(family.present)), "present and matching")
        #expect(try !operatorHolds(op, [family.value], .one(family.other)), "present and not matching")
    }

    /// `NullIfExists` is not an operator (validation reports it as an error). The evaluator ignores the
    /// suffix and evaluates it as `Null` (code's choice, pinned): an absent key with "false" still fails.
    @Test func nullIfExistsIsEvaluatedAsNull() throws {
        #expect(try !operatorHolds("NullIfExists", ["false"], nil))
        #expect(try operatorHolds("NullIfExists", ["false"], "x"))
        #expect(try operatorHolds("NullIfExists", ["true"], nil))
        #expect(try !operatorHolds("NullIfExists", ["true"], "x"))
        let reported = findings(document(statement(condition: clause("NullIfExists", "aws:TokenIssueTime", ["true"]))))
        #expect(reported.contains { $0.code == ConditionRules.nullWithIfExists && $0.severity == .error })
    }

    /// An operator name IAM does not know never holds (validation reports it), in Allow and Deny alike.
    @Test func unknownOperatorNeverHolds() throws {
        #expect(try !operatorHolds("StringEqualz", ["a"], "a"))
        #expect(try !operatorHolds("stringequals", ["a"], "a"), "operator names are case-sensitive (code's choice; validation suggests the right spelling)")
        let request = try makeRequest(Principals.alice, context: ["k": "a"])
        #expect(try decide(request, identity: [Policies.allowAll, Policies.deny(condition: clause("StringEqualz", "k", ["a"]))]) == .allow)
    }

    static let compositions: [(String, String, [String: ContextValue], Bool)] = [
        ("several values, positive: OR", clause("StringEquals", "k", ["a", "b"]), ["k": "b"], true),
        ("several values, positive: none matches", clause("StringEquals", "k", ["a", "b"]), ["k": "c"], false),
        ("several values, negated: NOR fails when one matches", clause("StringNotEquals", "k", ["a", "b"]), ["k": "b"], false),
        ("several values, negated: NOR holds when none matches", clause("StringNotEquals", "k", ["a", "b"]), ["k": "c"], true),
        ("several values, StringNotLike: NOR", clause("StringNotLike", "k", ["a*", "b*"]), ["k": "bx"], false),
        ("empty value list, positive: false", clause("StringEquals", "k", []), ["k": "a"], false),
        ("empty value list, negated: true", clause("StringNotEquals", "k", []), ["k": "a"], true),
        ("two keys under one operator: AND, both hold", #"{"StringEquals": {"a": "1", "b": "2"}}"#, ["a": "1", "b": "2"], true),
        ("two keys under one operator: AND, one fails", #"{"StringEquals": {"a": "1", "b": "2"}}"#, ["a": "1", "b": "3"], false),
        ("two keys under one operator: AND, one absent", #"{"StringEquals": {"a": "1", "b": "2"}}"#, ["a": "1"], false),
        ("two operators: AND, both hold", #"{"StringEquals": {"a": "1"}, "NumericLessThan": {"n": "5"}}"#, ["a": "1", "n": "4"], true),
        ("two operators: AND, one fails", #"{"StringEquals": {"a": "1"}, "NumericLessThan": {"n": "5"}}"#, ["a": "1", "n": "5"], false),
        ("empty condition block holds", "{}", [:], true),
        ("operator with no keys holds", #"{"StringEquals": {}}"#, [:], true),
        ("key names are case-insensitive", clause("StringEquals", "AWS:SourceVpc", ["vpc-1"]), ["aws:sourcevpc": "vpc-1"], true),
        ("tag keys in key names are case-insensitive", clause("StringEquals", "aws:PrincipalTag/Team", ["Blue"]), ["aws:principaltag/team": "Blue"], true),
        ("tag keys case-insensitive, reversed", clause("StringEquals", "aws:resourcetag/project", ["x"]), ["aws:ResourceTag/Project": "x"], true),
        ("values stay case-sensitive under a case-folded key", clause("StringEquals", "aws:PrincipalTag/Team", ["Blue"]), ["aws:principaltag/team": "blue"], false),
    ]

    @Test(arguments: compositions)
    func composition(_ rule: String, _ condition: String, _ context: [String: ContextValue], _ holds: Bool) throws {
        #expect(try conditionHolds(condition, context) == holds, "\(rule)")
    }

    /// "If you are using an "Effect": "Deny" element with a negated condition operator like
    /// StringNotEqualsIfExists, the request is still denied even if the tag is missing."
    @Test func denyWithNegatedIfExistsAndMissingKeyStillDenies() throws {
        let deny = Policies.deny(condition: clause("StringNotEqualsIfExists", "aws:ResourceTag/team", ["blue"]))
        let missing = try makeRequest(Principals.alice)
        let other = try makeRequest(Principals.alice, context: ["aws:ResourceTag/team": "red"])
        let same = try makeRequest(Principals.alice, context: ["aws:ResourceTag/team": "blue"])
        #expect(try decide(missing, identity: [Policies.allowAll, deny]) == .explicitDeny)
        #expect(try decide(other, identity: [Policies.allowAll, deny]) == .explicitDeny)
        #expect(try decide(same, identity: [Policies.allowAll, deny]) == .allow)
    }

    /// AWS's IfExists example: StringLike on ec2:InstanceType fails on resources without the key;
    /// StringLikeIfExists lets them through.
    @Test func instanceTypeIfExistsExample() throws {
        let types = ["t1.*", "t2.*", "m3.*"]
        let plain = Policies.allow("ec2:RunInstances", condition: clause("StringLike", "ec2:InstanceType", types))
        let ifExists = Policies.allow("ec2:RunInstances", condition: clause("StringLikeIfExists", "ec2:InstanceType", types))
        let image = try makeRequest(Principals.alice, "ec2:RunInstances", "arn:aws:ec2:us-east-1::image/ami-1")
        let instance = try makeRequest(Principals.alice, "ec2:RunInstances", "arn:aws:ec2:us-east-1:111122223333:instance/i-0123",
                                       context: ["ec2:InstanceType": "t2.micro"])
        let large = try makeRequest(Principals.alice, "ec2:RunInstances", "arn:aws:ec2:us-east-1:111122223333:instance/i-0123",
                                    context: ["ec2:InstanceType": "c5.large"])
        #expect(try decide(image, identity: [plain]) == .implicitDeny)
        #expect(try decide(image, identity: [ifExists]) == .allow)
        #expect(try decide(instance, identity: [ifExists]) == .allow)
        #expect(try decide(large, identity: [ifExists]) == .implicitDeny)
    }

    /// The trace stops at the first failing clause, and reports the key as absent.
    @Test func outcomesStopAtFirstFailure() throws {
        let policy = try evaluablePolicy(document(statement(condition: #"{"StringEquals": {"a": "1"}, "Bool": {"b": "true"}}"#)))
        let result = ConditionEvaluation.evaluate(policy.statements[0].condition, context: requestContext(["b": "true"]))
        #expect(!result.holds)
        #expect(result.outcomes.count == 1)
        #expect(result.outcomes.first?.reason == "a is absent")
    }
}
