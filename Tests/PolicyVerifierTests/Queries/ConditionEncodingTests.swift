import PolicyLanguage
import PolicyVerifier
import Testing

/// Conditions through the prover: for each operator family, a statement that allows only under a
/// condition; `neverAllows` must fail with a request meeting the condition (certified), and pass when
/// a Deny closes exactly that case.
@Suite struct ConditionEncodingTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var condition: String
        var key: String
        /// Whether the counterexample's value for `key` is right (nil values: key absent).
        var check: @Sendable ([String]?) -> Bool
        var testDescription: String { condition }
    }

    static let cases: [Case] = [
        Case(condition: #"{"StringEquals":{"aws:PrincipalTag/team":"blue"}}"#, key: "aws:PrincipalTag/team", check: { $0 == ["blue"] }),
        Case(condition: #"{"StringNotEquals":{"aws:PrincipalTag/team":"blue"}}"#, key: "aws:PrincipalTag/team", check: { $0 == nil || !$0!.contains("blue") }),
        Case(condition: #"{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"Blue"}}"#, key: "aws:PrincipalTag/team", check: { $0?.first?.lowercased() == "blue" }),
        Case(condition: #"{"StringLike":{"s3:prefix":"home/*/docs?"}}"#, key: "s3:prefix", check: { Wildcard.matches("home/*/docs?", $0?.first ?? "", caseInsensitive: false) }),
        Case(condition: #"{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}"#, key: "s3:prefix", check: { $0?.first?.hasPrefix("home/") ?? false }),
        Case(condition: #"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:topic-*"}}"#, key: "aws:SourceArn", check: { ($0?.first ?? "").hasPrefix("arn:aws:sns:") && ($0?.first ?? "").contains(":111122223333:topic-") }),
        Case(condition: #"{"NumericLessThan":{"s3:max-keys":"10.5"}}"#, key: "s3:max-keys", check: { (PolicyNumber($0?.first ?? "x").map { $0 < PolicyNumber("10.5")! }) ?? false }),
        Case(condition: #"{"NumericGreaterThanEquals":{"s3:max-keys":"-3"}}"#, key: "s3:max-keys", check: { (PolicyNumber($0?.first ?? "x").map { $0 >= PolicyNumber("-3")! }) ?? false }),
        Case(condition: #"{"DateGreaterThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}"#, key: "aws:CurrentTime", check: { (PolicyDate($0?.first ?? "x").map { $0 > PolicyDate("2030-01-01T00:00:00Z")! }) ?? false }),
        Case(condition: #"{"Bool":{"aws:SecureTransport":"false"}}"#, key: "aws:SecureTransport", check: { $0?.first?.lowercased() == "false" }),
        Case(condition: #"{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}}"#, key: "aws:SourceIp", check: { value in
            guard let bytes = IPAddressRange.parseAddress(value?.first ?? "") else { return false }
            return IPAddressRange("203.0.113.0/24")!.contains(bytes) || IPAddressRange("2001:db8::/32")!.contains(bytes)
        }),
        Case(condition: #"{"NotIpAddress":{"aws:SourceIp":"0.0.0.0/1"}}"#, key: "aws:SourceIp", check: { value in
            guard let text = value?.first, let bytes = IPAddressRange.parseAddress(text) else { return true }
            return !IPAddressRange("0.0.0.0/1")!.contains(bytes)
        }),
        Case(condition: #"{"Null":{"aws:TokenIssueTime":"true"}}"#, key: "aws:TokenIssueTime", check: { $0 == nil || $0!.allSatisfy(\.isEmpty) }),
        Case(condition: #"{"Null":{"aws:TokenIssueTime":"false"}}"#, key: "aws:TokenIssueTime", check: { $0 != nil && !$0!.allSatisfy(\.isEmpty) }),
        Case(condition: #"{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}"#, key: "aws:TagKeys", check: { $0 == nil || $0!.allSatisfy { ["a", "b", ""].contains($0) } }),
        Case(condition: #"{"ForAnyValue:StringLike":{"aws:TagKeys":"team-*"}}"#, key: "aws:TagKeys", check: { $0?.contains { $0.hasPrefix("team-") } ?? false }),
        Case(condition: #"{"StringEqualsIfExists":{"ec2:InstanceType":"t3.micro"}}"#, key: "ec2:InstanceType", check: { $0 == nil || $0 == ["t3.micro"] || $0!.count != 1 && false }),
    ]

    @Test(arguments: cases)
    func allowedOnlyUnderTheCondition(_ example: Case) throws {
        let policy = identity(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":"# + example.condition + "}")
        guard case .fail(let found) = prover.neverAllows(policy, actions: ["s3:GetObject"]) else {
            Issue.record("expected a counterexample")
            return
        }
        let request = try #require(found.first).request
        #expect(example.check(request.context.entry(example.key)?.values), "\(request.context.allEntries)")
        // The same condition as a Deny closes every request the Allow opens.
        let closed = identity(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":"# + example.condition + #"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":"# + example.condition + "}")
        #expect(prover.neverAllows(closed, actions: ["s3:GetObject"]).isPass)
    }

    @Test func numericBoundsAreExact() throws {
        // Numbers are decimals with nine digits after the point (more are not numbers to IAM's reader):
        // 10 < n < 10.000000002 holds for 10.000000001 only; 10 < n < 10.000000001 for nothing.
        let policy = identity(#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericGreaterThan":{"s3:max-keys":"10"},"NumericLessThan":{"s3:max-keys":"10.000000002"}}}"#)
        guard case .fail(let found) = prover.neverAllows(policy, actions: ["s3:ListBucket"]) else {
            Issue.record("expected a counterexample")
            return
        }
        #expect(found.first?.request.context.entry("s3:max-keys")?.values == ["10.000000001"])
        let empty = identity(#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericGreaterThan":{"s3:max-keys":"10"},"NumericLessThan":{"s3:max-keys":"10.000000001"}}}"#)
        #expect(prover.neverAllows(empty, actions: ["s3:ListBucket"]).isPass)
    }

    @Test func disjointCIDRsCannotBothHold() {
        let policy = identity(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}},{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.1.0.0/16"}}}"#)
        // Allowed only from 10.1.0.0/16.
        guard case .fail(let found) = prover.neverAllows(policy, actions: ["s3:GetObject"]) else {
            Issue.record("expected a counterexample")
            return
        }
        let address = found.first?.request.context.entry("aws:SourceIp")?.values.first ?? ""
        #expect(address.hasPrefix("10.1."))
    }

    @Test func binaryEqualsIsUnknownWithItsLocation() {
        let policy = identity(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"BinaryEquals":{"s3:x":"QUJD"}}}"#)
        guard case .unknown(.unsupported(let what, let span)) = prover.neverAllows(policy, actions: ["s3:GetObject"]) else {
            Issue.record("expected UNKNOWN")
            return
        }
        #expect(what.contains("BinaryEquals"))
        #expect(span.start.line == 1)
    }

    @Test func oneKeyComparedAsTwoTypesIsUnknown() {
        let policy = identity(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"s3:max-keys":"5"},"NumericLessThan":{"s3:max-keys":"7"}}}"#)
        guard case .unknown(.unsupported) = prover.neverAllows(policy, actions: ["s3:GetObject"]) else {
            Issue.record("expected UNKNOWN")
            return
        }
    }

    @Test func aTinyTimeoutIsUnknownNeverPass() {
        let hurried = Prover(timeout: .nanoseconds(1))
        let policy = identity(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a*b*c*d*e*f*/${aws:username}/*","Condition":{"StringLike":{"s3:prefix":"*x*y*z*"}}}"#)
        let verdict = hurried.neverAllows(policy, actions: ["s3:GetObject"], resources: ["arn:aws:s3:::*q*"])
        #expect(!verdict.isPass)
    }
}

/// ARN operators with a policy variable before the resource part (the AWS SCP examples write
/// `arn:aws:iam::${Account}:role/…`): exact as string equality when the value has no wildcards.
@Suite struct ArnVariableTests {
    static let protected = identity(#"""
        {"Effect":"Allow","Action":"iam:DeleteRole","Resource":"*"},
        {"Effect":"Deny","Action":"iam:DeleteRole","Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::${aws:PrincipalAccount}:role/Admin"}}}
        """#)

    @Test func onlyTheAdminRoleOfTheCallersOwnAccountGetsThrough() throws {
        guard case .fail(let found) = prover.neverAllows(Self.protected, actions: ["iam:DeleteRole"], counterexamples: 5) else {
            Issue.record("expected a counterexample")
            return
        }
        for counterexample in found {
            let principal = counterexample.request.principal
            #expect(principal.principalArn == "arn:aws:iam::\(principal.account ?? "?"):role/Admin", "\(principal)")
        }
    }

    @Test func aPlaceholderVariableIsAKeyLikeAnyOther() {
        // `${Account}` (a placeholder in AWS's examples) reads the context key `Account`: a request that
        // sets it to the caller's account gets past the Deny, which the prover must find.
        let placeholder = identity(#"""
            {"Effect":"Allow","Action":"iam:DeleteRole","Resource":"*"},
            {"Effect":"Deny","Action":"iam:DeleteRole","Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::${Account}:role/Admin"}}}
            """#)
        guard case .fail(let found) = prover.neverAllows(placeholder, actions: ["iam:DeleteRole"]) else {
            Issue.record("a request that sets the key Account can still get through")
            return
        }
        #expect(found.first?.request.context.entry("Account")?.values.count == 1)
    }
}
