import Testing
@testable import PolicyLanguage

/// Numeric, Date, Bool, Binary, IP address and Null condition operators (SEMANTICS.md §3 "Operators";
/// [UG:reference_policies_elements_condition_operators]).
@Suite("Condition operators: Numeric, Date, Bool, Binary, IP, Null")
struct ValueOperatorTests {
    static let numeric: [OperatorCase] = [
        row("NumericLessThanEquals", ["10"], "10", true, "AWS example s3:max-keys ≤ 10: equal holds"),
        row("NumericLessThanEquals", ["10"], "11", false, "AWS example s3:max-keys ≤ 10: 11 fails"),
        row("NumericEquals", ["10"], "10.0", true, "integers and decimals compare by value"),
        row("NumericEquals", ["10"], "010", true, "leading zeros do not matter"),
        row("NumericEquals", ["0.1"], "0.10", true, "decimal trailing zeros"),
        row("NumericEquals", ["10"], "10.000000001", false, "decimals are exact, not rounded"),
        row("NumericNotEquals", ["10"], "10", false, "negated: equal fails"),
        row("NumericNotEquals", ["10"], "11", true, "negated: different holds"),
        row("NumericLessThan", ["10"], "9.5", true, "decimal below"),
        row("NumericLessThan", ["10"], "10", false, "strict"),
        row("NumericLessThan", ["-1"], "-2", true, "negative numbers"),
        row("NumericLessThan", ["-1"], "0", false, "negative bound"),
        row("NumericGreaterThan", ["-0.5"], "0", true, "negative decimal bound"),
        row("NumericGreaterThan", ["5"], "5", false, "strict"),
        row("NumericGreaterThanEquals", ["3.14"], "3.14", true, "equal decimal"),
        row("NumericGreaterThanEquals", ["3.14"], "3.13", false, "below"),
        row("NumericLessThan", ["10"], "ten", false, "an unparseable request value never matches"),
        row("NumericLessThan", ["10"], "1e0", false, "exponent notation is not a policy number"),
        row("NumericLessThan", ["ten"], "1", false, "an unparseable policy value never matches"),
        row("NumericNotEquals", ["10"], "ten", true, "negated with an unparseable request value: ¬B holds (code's choice, pinned)"),
        row("NumericEquals", ["1", "2"], "2", true, "several policy values: OR"),
        row("NumericNotEquals", ["1", "2"], "2", false, "negated, several values: NOR"),
    ]

    @Test(arguments: numeric)
    func numericFamily(_ testCase: OperatorCase) throws { try testCase.check() }

    static let dates: [OperatorCase] = [
        row("DateGreaterThan", ["2020-01-01T00:00:01Z"], "2020-06-30T12:00:00Z", true, "AWS example aws:TokenIssueTime issued in 2020"),
        row("DateGreaterThan", ["2020-01-01T00:00:01Z"], "2019-12-31T23:59:59Z", false, "AWS example: issued in 2019"),
        row("DateEquals", ["2020-01-01T00:00:00Z"], "2020-01-01T00:00:00Z", true, "same ISO instant"),
        row("DateEquals", ["2020-01-01T00:00:00Z"], "1577836800", true, "ISO policy vs epoch request"),
        row("DateEquals", ["1577836800"], "2020-01-01T00:00:00Z", true, "epoch policy vs ISO request"),
        row("DateEquals", ["2020-01-01T00:00:00Z"], "2020-01-01T01:00:00+01:00", true, "positive offset"),
        row("DateEquals", ["2020-01-01T05:00:00Z"], "2020-01-01T00:00:00-05:00", true, "negative offset"),
        row("DateEquals", ["2020-01-01T00:00:00Z"], "2020-01-01T00:00:00.000Z", true, "zero fractional seconds"),
        row("DateEquals", ["2020-01-01T00:00:00Z"], "2020-01-01", true, "date only is midnight UTC"),
        row("DateEquals", ["2020-01-01T00:00:00Z"], "2020-01-01T00:00:00.5Z", false, "fractional seconds count"),
        row("DateLessThan", ["2020-01-01T00:00:01Z"], "2020-01-01T00:00:00.999Z", true, "fraction below the next second"),
        row("DateLessThan", ["1577836800"], "2019-12-31T23:59:59Z", true, "mixing epoch and ISO"),
        row("DateLessThanEquals", ["2020-01-01T00:00:00Z"], "2020-01-01T00:00:00Z", true, "≤ holds on equality"),
        row("DateGreaterThanEquals", ["2020-01-01T00:00:00Z"], "2019-12-31T23:59:59+00:00", false, "≥ fails before"),
        row("DateNotEquals", ["2020-01-01T00:00:00Z"], "1577836800", false, "negated: same instant in another form"),
        row("DateNotEquals", ["2020-01-01T00:00:00Z"], "1577836801", true, "negated: different instant"),
        row("DateLessThan", ["2020-01-01T00:00:00Z"], "yesterday", false, "an unparseable request value never matches"),
        row("DateNotEquals", ["2020-01-01T00:00:00Z"], "yesterday", true, "negated with an unparseable request value"),
        row("DateEquals", ["2020-*"], "2020-01-01T00:00:00Z", false, "no wildcards in Date operators"),
    ]

    @Test(arguments: dates)
    func dateFamily(_ testCase: OperatorCase) throws { try testCase.check() }

    static let bools: [OperatorCase] = [
        row("Bool", ["false"], "false", true, "AWS example aws:SecureTransport false"),
        row("Bool", ["false"], "true", false, "true is not false"),
        row("Bool", ["true"], "true", true, "true"),
        row("Bool", ["true"], "TRUE", true, "case-insensitive (code's choice, pinned)"),
        row("Bool", ["True"], "true", true, "policy value case-insensitive too"),
        row("Bool", ["true"], "yes", false, "only true/false are booleans"),
        row("Bool", ["yes"], "yes", false, "a non-boolean policy value never matches"),
        row("Bool", ["true", "false"], "false", true, "several values: OR"),
    ]

    @Test(arguments: bools)
    func boolFamily(_ testCase: OperatorCase) throws { try testCase.check() }

    @Test func unquotedBooleanAndNumberValues() throws {
        // JSON booleans and numbers in the policy are read as their text.
        #expect(try conditionHolds(#"{"Bool": {"aws:SecureTransport": true}}"#, ["aws:SecureTransport": "true"]))
        #expect(try conditionHolds(#"{"NumericLessThanEquals": {"s3:max-keys": 10}}"#, ["s3:max-keys": "10"]))
        #expect(try !conditionHolds(#"{"NumericLessThanEquals": {"s3:max-keys": 10}}"#, ["s3:max-keys": "11"]))
    }

    static let binaries: [OperatorCase] = [
        row("BinaryEquals", ["QmluYXJ5VmFsdWVJbkJhc2U2NA=="], "QmluYXJ5VmFsdWVJbkJhc2U2NA==", true, "AWS example value, byte for byte"),
        row("BinaryEquals", ["QmluYXJ5VmFsdWVJbkJhc2U2NA=="], "QmluYXJ5VmFsdWVJbkJhc2U2NQ==", false, "one byte differs"),
        row("BinaryEquals", ["AAEC"], "AAEC", true, "bytes 00 01 02"),
        row("BinaryEquals", ["AAEC"], "not base64!", false, "an undecodable request value never matches"),
        row("BinaryEquals", ["###"], "###", false, "an undecodable policy value never matches, even if the text is equal"),
    ]

    @Test(arguments: binaries)
    func binaryFamily(_ testCase: OperatorCase) throws { try testCase.check() }

    static let addresses: [OperatorCase] = [
        row("IpAddress", ["203.0.113.0/24"], "203.0.113.7", true, "AWS example 203.0.113.0/24"),
        row("IpAddress", ["203.0.113.0/24"], "203.0.114.1", false, "outside the /24"),
        row("IpAddress", ["203.0.113.7"], "203.0.113.7", true, "bare IPv4 address is /32"),
        row("IpAddress", ["203.0.113.7"], "203.0.113.8", false, "bare IPv4 address is /32, not wider"),
        row("IpAddress", ["10.0.0.1/8"], "10.200.0.1", true, "host bits in the block are ignored"),
        row("IpAddress", ["0.0.0.0/0"], "198.51.100.1", true, "/0 holds every IPv4 address"),
        row("IpAddress", ["2001:DB8:1234:5678::/64"], "2001:db8:1234:5678::1", true, "AWS example IPv6 /64, hex case-insensitive"),
        row("IpAddress", ["2001:DB8:1234:5678::/64"], "2001:db8:1234:5679::1", false, "outside the IPv6 /64"),
        row("IpAddress", ["2001:db8::1"], "2001:db8::1", true, "bare IPv6 address is /128"),
        row("IpAddress", ["2001:db8::1"], "2001:db8::2", false, "bare IPv6 address is /128, not wider"),
        row("IpAddress", ["::/0"], "203.0.113.7", false, "an IPv4 request never lies in an IPv6 block"),
        row("IpAddress", ["0.0.0.0/0"], "2001:db8::1", false, "an IPv6 request never lies in an IPv4 block"),
        row("IpAddress", ["203.0.113.0/24", "2001:DB8:1234:5678::/64"], "2001:db8:1234:5678::9", true, "AWS example mixing IPv4 and IPv6: OR"),
        row("IpAddress", ["203.0.113.0/24"], "not-an-ip", false, "an unparseable request value never matches"),
        row("IpAddress", ["203.0.113.0/33"], "203.0.113.1", false, "an invalid block never matches"),
        row("NotIpAddress", ["203.0.113.0/24"], "198.51.100.1", true, "negated: outside the block holds"),
        row("NotIpAddress", ["203.0.113.0/24"], "203.0.113.5", false, "negated: inside the block fails"),
        row("NotIpAddress", ["203.0.113.0/24", "2001:DB8:1234:5678::/64"], "2001:db8:1234:5678::9", false, "negated, several blocks: NOR"),
        row("NotIpAddress", ["::/0"], "203.0.113.7", true, "negated: an IPv4 request is outside any IPv6 block"),
        row("NotIpAddress", ["203.0.113.0/24"], "not-an-ip", true, "negated with an unparseable request value"),
    ]

    @Test(arguments: addresses)
    func ipAddressFamily(_ testCase: OperatorCase) throws { try testCase.check() }

    static let nulls: [OperatorCase] = [
        row("Null", ["true"], nil, true, "AWS example aws:TokenIssueTime true: absent key holds"),
        row("Null", ["true"], "2020-01-01T00:00:00Z", false, "true: present key fails"),
        row("Null", ["false"], "x", true, "false: present key holds"),
        row("Null", ["false"], nil, false, "false: absent key fails"),
        row("Null", ["TRUE"], nil, true, "the value is read case-insensitively"),
        row("Null", ["true", "false"], "x", true, "both values: OR, always holds"),
        row("Null", ["true", "false"], nil, true, "both values: OR, always holds"),
        row("Null", ["maybe"], nil, false, "neither true nor false never holds"),
        row("Null", ["maybe"], "x", false, "neither true nor false never holds"),
        row("Null", ["false"], ["a", "b"], true, "a multivalued key with values is present"),
    ]

    @Test(arguments: nulls)
    func nullOperator(_ testCase: OperatorCase) throws { try testCase.check() }

    /// AWS's Null example as a decision: EC2 is allowed only with long-term credentials.
    @Test func nullExampleDecision() throws {
        let policy = Policies.allow("ec2:*", condition: #"{"Null": {"aws:TokenIssueTime": "true"}}"#)
        let user = try makeRequest(Principals.alice, "ec2:DescribeInstances", "*")
        let temporary = try makeRequest(Principals.session, "ec2:DescribeInstances", "*", context: ["aws:TokenIssueTime": "2024-05-01T10:00:00Z"])
        #expect(try decide(user, identity: [policy]) == .allow)
        #expect(try decide(temporary, identity: [policy]) == .implicitDeny)
    }

    /// AWS's Bool example: deny S3 unless over TLS.
    @Test func secureTransportDenyExample() throws {
        let deny = document(statement("Deny", action: "s3:*", resource: #"["arn:aws:s3:::DOC-EXAMPLE-BUCKET", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"]"#,
                                      condition: #"{"Bool": {"aws:SecureTransport": "false"}}"#))
        let plain = try makeRequest(Principals.alice, "s3:GetObject", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/x", context: ["aws:SecureTransport": "false"])
        let tls = try makeRequest(Principals.alice, "s3:GetObject", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/x", context: ["aws:SecureTransport": "true"])
        #expect(try decide(plain, identity: [Policies.allowAll, deny]) == .explicitDeny)
        #expect(try decide(tls, identity: [Policies.allowAll, deny]) == .allow)
    }
}
