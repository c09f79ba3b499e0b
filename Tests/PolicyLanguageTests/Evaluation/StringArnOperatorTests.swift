import Testing
@testable import PolicyLanguage

/// String and ARN condition operators, positive and negated (SEMANTICS.md §3 "Operators";
/// [UG:reference_policies_elements_condition_operators] "String" and "ARN").
@Suite("Condition operators: String and ARN")
struct StringArnOperatorTests {
    static let strings: [OperatorCase] = [
        // StringEquals: exact, case-sensitive, no wildcards.
        row("StringEquals", ["iamuser-admin"], "iamuser-admin", true, "exact match (AWS example aws:PrincipalTag/job-category)"),
        row("StringEquals", ["iamuser-admin"], "IAMUser-Admin", false, "case-sensitive"),
        row("StringEquals", ["a*"], "abc", false, "* is literal in StringEquals"),
        row("StringEquals", ["a*"], "a*", true, "* matches only a literal *"),
        row("StringEquals", ["a?c"], "abc", false, "? is literal in StringEquals"),
        row("StringEquals", [""], "", true, "empty string equals empty string"),
        row("StringEquals", ["abc"], "abc ", false, "no trimming"),
        // StringNotEquals: negation of StringEquals.
        row("StringNotEquals", ["abc"], "abc", false, "negated: equal value fails"),
        row("StringNotEquals", ["abc"], "ABC", true, "negated: case-sensitive, so a case variant holds"),
        row("StringNotEquals", ["a*"], "abc", true, "negated: * literal"),
        // StringEqualsIgnoreCase.
        row("StringEqualsIgnoreCase", ["Alice"], "aLICE", true, "case folded"),
        row("StringEqualsIgnoreCase", ["alice"], "alicia", false, "still exact apart from case"),
        row("StringEqualsIgnoreCase", ["a*"], "ABC", false, "* literal in IgnoreCase"),
        row("StringEqualsIgnoreCase", ["a*"], "A*", true, "literal * with case folded"),
        row("StringNotEqualsIgnoreCase", ["Alice"], "ALICE", false, "negated IgnoreCase: case variant is equal"),
        row("StringNotEqualsIgnoreCase", ["Alice"], "Bob", true, "negated IgnoreCase: different value holds"),
        // StringLike: * and ? wildcards anywhere, case-sensitive.
        row("StringLike", ["home/*"], "home/alice/notes.txt", true, "* crosses /"),
        row("StringLike", ["home/*"], "home/", true, "* matches the empty string"),
        row("StringLike", ["home/*"], "Home/alice", false, "Like is case-sensitive"),
        row("StringLike", ["t?.*"], "t2.micro", true, "? is exactly one character"),
        row("StringLike", ["t?.*"], "t.micro", false, "? never matches zero characters"),
        row("StringLike", ["t?.*"], "t22.micro", false, "? never matches two characters"),
        row("StringLike", ["*"], "", true, "* alone matches empty"),
        row("StringLike", ["a*b*c"], "aXbYbZc", true, "several stars backtrack"),
        row("StringLike", ["a*b*c"], "aXbYc-", false, "stars still anchor the end"),
        row("StringLike", ["arn:aws:someservice:*:111122223333:finance/*"],
            "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt", true,
            "AWS example: in StringLike the first * matches across colons"),
        // StringNotLike.
        row("StringNotLike", ["home/*"], "home/alice", false, "negated Like: matching value fails"),
        row("StringNotLike", ["home/*"], "other/alice", true, "negated Like: non-matching value holds"),
        row("StringNotLike", ["key1*"], "Key1:x", true, "negated Like: case-sensitive"),
    ]

    @Test(arguments: strings)
    func stringFamily(_ testCase: OperatorCase) throws { try testCase.check() }

    static let arns: [OperatorCase] = {
        var rows: [OperatorCase] = []
        // ArnEquals ≡ ArnLike and ArnNotEquals ≡ ArnNotLike: each table row runs under both names.
        let positive: [(String, String, Bool, String)] = [
            ("arn:aws:sns:us-east-1:123456789012:topic", "arn:aws:sns:us-east-1:123456789012:topic", true, "exact ARN"),
            ("arn:aws:sns:*:123456789012:topic", "arn:aws:sns:eu-west-1:123456789012:topic", true, "* within the region field"),
            ("arn:aws:sns:us-east-?:123456789012:topic", "arn:aws:sns:us-east-2:123456789012:topic", true, "? within a field"),
            ("arn:aws:someservice:*:111122223333:finance/*",
             "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt", false,
             "AWS example: * in the region field never crosses a colon"),
            ("arn:aws:logs:us-east-1:123456789012:log-group:*", "arn:aws:logs:us-east-1:123456789012:log-group:app:log-stream:s1", true,
             "the resource field (after the 5th colon) may contain : and * crosses it"),
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c", true, "* in the resource field crosses / and :"),
            ("arn:aws:iam::123456789012:role/Admin", "arn:aws:iam::123456789012:role/admin", false, "case-sensitive"),
            ("arn:aws:iam::*:role/Admin", "arn:aws:iam::123456789012:role/Admin", true, "* in the account field"),
            ("arn:aws:iam::*:role/Admin", "arn:aws:iam::123456789012:user/Admin", false, "resource field still compared"),
            ("arn:aws:s3:::bucket", "not-an-arn", false, "a request value that is not an ARN never matches"),
            ("*", "arn:aws:sqs:us-east-1:123456789012:q", true, "a lone * matches any value (code's choice)"),
            ("arn:aws:sns:*", "arn:aws:sns:us-east-1:123456789012:topic", false,
             "a pattern with fewer than six fields matches nothing (undocumented; code's choice)"),
        ]
        for (pattern, value, holds, rule) in positive {
            rows.append(row("ArnEquals", [pattern], .one(value), holds, rule))
            rows.append(row("ArnLike", [pattern], .one(value), holds, "ArnLike ≡ ArnEquals: " + rule))
            rows.append(row("ArnNotEquals", [pattern], .one(value), !holds, "negated: " + rule))
            rows.append(row("ArnNotLike", [pattern], .one(value), !holds, "ArnNotLike ≡ ArnNotEquals: " + rule))
        }
        // AWS example policy: SQS queue policy with ArnEquals aws:SourceArn on the SNS topic.
        rows.append(row("ArnEquals", ["arn:aws:sns:us-east-1:123456789012:TOPIC-ID"], "arn:aws:sns:us-east-1:123456789012:TOPIC-ID", true,
                        "AWS example: ArnEquals aws:SourceArn"))
        rows.append(row("ArnNotEquals", ["arn:aws:s3:::a", "arn:aws:s3:::b"], "arn:aws:s3:::b", false, "negated with several values: NOR"))
        rows.append(row("ArnNotEquals", ["arn:aws:s3:::a", "arn:aws:s3:::b"], "arn:aws:s3:::c", true, "negated with several values: none matches"))
        return rows
    }()

    @Test(arguments: arns)
    func arnFamily(_ testCase: OperatorCase) throws { try testCase.check() }

    /// The AWS documentation's example of an ARN that StringLike matches and ArnLike does not, as whole
    /// decisions.
    @Test func stringLikeVersusArnLikeDecisions() throws {
        let value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
        let pattern = "arn:aws:someservice:*:111122223333:finance/*"
        let request = try makeRequest(Principals.alice, context: ["aws:SourceArn": .one(value)])
        #expect(try decide(request, identity: [Policies.allow(condition: clause("StringLike", "aws:SourceArn", [pattern]))]) == .allow)
        #expect(try decide(request, identity: [Policies.allow(condition: clause("ArnLike", "aws:SourceArn", [pattern]))]) == .implicitDeny)
    }
}
