import Testing
@testable import PolicyLanguage

/// One case per check: a small policy, the type it is read as, the code and severity expected, and
/// where. Policies are written on several lines so that each check's line is distinct.
struct RuleCase: CustomTestStringConvertible, Sendable {
    let code: String
    let severity: Severity
    let type: PolicyType
    let line: Int
    let policy: String
    var testDescription: String { code }

    init(_ code: String, _ severity: Severity, _ type: PolicyType = .identity, line: Int, _ statements: String, version: String? = "2012-10-17", id: String? = nil) {
        self.code = code
        self.severity = severity
        self.type = type
        self.line = line
        let versionLine = (version.map { "\"Version\": \"\($0)\"," } ?? "") + (id.map { "\"Id\": \"\($0)\"," } ?? "")
        self.policy = "{\(versionLine)\n\"Statement\": [\n\(statements)\n]}"
    }
}

@Suite("Validation rules")
struct ValidationRuleTests {
    static let allow = #""Effect": "Allow""#

    static let cases: [RuleCase] = [
        // Document
        RuleCase("MISSING_VERSION", .warning, line: 1, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#, version: nil),
        RuleCase("INVALID_VERSION", .error, line: 1, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#, version: "2012-10-18"),
        RuleCase("OLD_VERSION", .warning, line: 1, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#, version: "2008-10-17"),
        RuleCase("VARIABLE_IN_OLD_VERSION", .error, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}"}"#, version: "2008-10-17"),
        RuleCase("ID_NOT_ALLOWED", .error, line: 1, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#, id: "policy-1"),
        RuleCase("NO_STATEMENTS", .warning, line: 2, ""),
        RuleCase("DUPLICATE_SID", .error, line: 4, "{\"Sid\": \"A\", \(allow), \"Action\": \"s3:GetObject\", \"Resource\": \"*\"},\n{\"Sid\": \"A\", \(allow), \"Action\": \"s3:PutObject\", \"Resource\": \"*\"}"),
        RuleCase("DUPLICATE_SID", .warning, .resource, line: 4, "{\"Sid\": \"A\", \(allow), \"Principal\": {\"AWS\": \"111122223333\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"},\n{\"Sid\": \"A\", \(allow), \"Principal\": {\"AWS\": \"111122223333\"}, \"Action\": \"s3:PutObject\", \"Resource\": \"arn:aws:s3:::b/*\"}"),
        RuleCase("INVALID_SID", .error, line: 3, #"{"Sid": "read-only access", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#),
        // Elements per policy type
        RuleCase("MISSING_EFFECT", .error, line: 3, #"{"Action": "s3:GetObject", "Resource": "*"}"#),
        RuleCase("MISSING_ACTION", .error, line: 3, #"{"Effect": "Allow", "Resource": "*"}"#),
        RuleCase("MISSING_RESOURCE", .error, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject"}"#),
        RuleCase("MISSING_PRINCIPAL", .error, .resource, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#),
        RuleCase("PRINCIPAL_NOT_ALLOWED", .error, .identity, line: 3, #"{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}"#),
        RuleCase("PRINCIPAL_NOT_ALLOWED", .error, .scp, line: 3, #"{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}"#),
        RuleCase("NOT_PRINCIPAL_NOT_ALLOWED", .error, .trust, line: 3, #"{"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"}"#),
        RuleCase("RESOURCE_NOT_ALLOWED", .error, .trust, line: 3, #"{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}"#),
        RuleCase("EMPTY_ACTION", .suggestion, line: 3, #"{"Effect": "Allow", "Action": [], "Resource": "*"}"#),
        RuleCase("EMPTY_RESOURCE", .suggestion, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": []}"#),
        RuleCase("EMPTY_PRINCIPAL", .suggestion, .resource, line: 3, #"{"Effect": "Allow", "Principal": {"AWS": []}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#),
        RuleCase("EMPTY_CONDITION", .suggestion, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {}}"#),
        RuleCase("RCP_ALLOW", .error, .rcp, line: 3, #"{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}"#),
        RuleCase("RCP_PRINCIPAL", .error, .rcp, line: 3, #"{"Effect": "Deny", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "*"}"#),
        // Actions
        RuleCase("INVALID_ACTION", .error, line: 3, #"{"Effect": "Allow", "Action": "s3 GetObject", "Resource": "*"}"#),
        RuleCase("INVALID_ACTION", .error, line: 3, #"{"Effect": "Allow", "Action": "s3:", "Resource": "*"}"#),
        RuleCase("WILDCARD_IN_SERVICE_PREFIX", .error, line: 3, #"{"Effect": "Allow", "Action": "s*:GetObject", "Resource": "*"}"#),
        RuleCase("VARIABLE_IN_ACTION", .error, line: 3, #"{"Effect": "Allow", "Action": "s3:${aws:username}", "Resource": "*"}"#),
        RuleCase("UNKNOWN_SERVICE", .warning, line: 3, #"{"Effect": "Allow", "Action": "notaservice:GetObject", "Resource": "*"}"#),
        RuleCase("UNKNOWN_ACTION", .warning, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}"#),
        RuleCase("ACTION_MATCHES_NOTHING", .warning, line: 3, #"{"Effect": "Allow", "Action": "s3:Fly*", "Resource": "*"}"#),
        RuleCase("REDUNDANT_ACTION", .suggestion, line: 3, #"{"Effect": "Allow", "Action": ["s3:Get*", "s3:GetObject"], "Resource": "*"}"#),
        // Resources
        RuleCase("RESOURCE_NOT_ARN", .error, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "my-bucket/*"}"#),
        RuleCase("INVALID_ARN", .error, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:bucket"}"#),
        RuleCase("WILDCARD_IN_ARN_SERVICE", .error, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s*:::b/*"}"#),
        RuleCase("UNKNOWN_PARTITION", .warning, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:amazon:s3:::b/*"}"#),
        RuleCase("INVALID_ACCOUNT_IN_ARN", .warning, line: 3, #"{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:12345:q"}"#),
        RuleCase("VARIABLE_OUTSIDE_RESOURCE_PART", .error, line: 3, #"{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:${aws:RequestedRegion}:111122223333:q"}"#),
        RuleCase("RESOURCE_ACTION_MISMATCH", .warning, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/T"}"#),
        // Principals
        RuleCase("INVALID_AWS_PRINCIPAL", .error, .resource, line: 3, #"{"Effect": "Allow", "Principal": {"AWS": "alice"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#),
        RuleCase("PARTIAL_WILDCARD_PRINCIPAL", .error, .resource, line: 3, #"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/*"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#),
        RuleCase("VARIABLE_IN_PRINCIPAL", .error, .resource, line: 3, #"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${aws:PrincipalAccount}:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#),
        RuleCase("INVALID_SERVICE_PRINCIPAL", .warning, .trust, line: 3, #"{"Effect": "Allow", "Principal": {"Service": "ec2"}, "Action": "sts:AssumeRole"}"#),
        RuleCase("INVALID_FEDERATED_PRINCIPAL", .warning, .trust, line: 3, #"{"Effect": "Allow", "Principal": {"Federated": "github"}, "Action": "sts:AssumeRoleWithWebIdentity"}"#),
        RuleCase("INVALID_CANONICAL_USER", .warning, .resource, line: 3, #"{"Effect": "Allow", "Principal": {"CanonicalUser": "abc"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#),
        // Conditions
        RuleCase("UNKNOWN_CONDITION_OPERATOR", .error, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"stringequals": {"aws:username": "a"}}}"#),
        RuleCase("NULL_WITH_IF_EXISTS", .error, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"NullIfExists": {"aws:username": "true"}}}"#),
        RuleCase("NULL_WITH_QUALIFIER", .warning, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"ForAllValues:Null": {"aws:TagKeys": "true"}}}"#),
        RuleCase("INVALID_NULL_VALUE", .error, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"Null": {"aws:username": "maybe"}}}"#),
        RuleCase("INVALID_NUMERIC_VALUE", .error, line: 3, #"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"NumericLessThan": {"s3:max-keys": "ten"}}}"#),
        RuleCase("INVALID_DATE_VALUE", .error, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "next week"}}}"#),
        RuleCase("INVALID_BOOL_VALUE", .error, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "yes"}}}"#),
        RuleCase("INVALID_IP_VALUE", .error, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/40"}}}"#),
        RuleCase("INVALID_BINARY_VALUE", .error, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"BinaryEquals": {"aws:userid": "not base64!"}}}"#),
        RuleCase("INVALID_ARN_VALUE", .warning, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"ArnEquals": {"aws:SourceArn": "my-topic"}}}"#),
        RuleCase("VARIABLE_NOT_ALLOWED_IN_OPERATOR", .error, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"NumericLessThan": {"s3:max-keys": "${aws:username}"}}}"#),
        RuleCase("WILDCARD_IN_STRING_EQUALS", .warning, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:username": "admin*"}}}"#),
        RuleCase("EMPTY_CONDITION_VALUES", .suggestion, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:username": []}}}"#),
        RuleCase("UNKNOWN_CONDITION_KEY", .warning, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:usernaem": "a"}}}"#),
        RuleCase("CONDITION_TYPE_MISMATCH", .warning, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceIp": "203.0.113.1"}}}"#),
        RuleCase("MISSING_QUALIFIER", .securityWarning, line: 3, #"{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:TagKeys": "team"}}}"#),
        RuleCase("MISSING_QUALIFIER", .warning, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:TagKeys": "team"}}}"#),
        RuleCase("FOR_ALL_VALUES_SINGLE_VALUED", .securityWarning, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:username": "a"}}}"#),
        RuleCase("FOR_ANY_VALUE_SINGLE_VALUED", .warning, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"aws:username": "a"}}}"#),
        RuleCase("DUPLICATE_CONDITION_KEY", .error, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:username": "a", "AWS:UserName": "b"}}}"#),
        RuleCase("PRIVATE_IP_ONLY", .error, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.1.0/24"]}}}"#),
        // Security
        RuleCase("PASS_ROLE_WILDCARD_RESOURCE", .securityWarning, line: 3, #"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}"#),
        RuleCase("ALLOW_WITH_NOT_PRINCIPAL", .securityWarning, .resource, line: 3, #"{"Effect": "Allow", "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#),
        RuleCase("ALLOW_WITH_NOT_ACTION", .warning, line: 3, #"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::b/*"}"#),
        RuleCase("ALLOW_WITH_NOT_RESOURCE", .warning, line: 3, #"{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"}"#),
        RuleCase("FULL_ACCESS", .securityWarning, line: 3, #"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#),
        RuleCase("WILDCARD_PRINCIPAL", .securityWarning, .resource, line: 3, #"{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#),
    ]

    @Test(arguments: cases)
    func reportsCheck(_ rule: RuleCase) throws {
        let all = findings(rule.policy, as: rule.type, catalog: testCatalog)
        let finding = try #require(all.first { $0.code.rawValue == rule.code }, "got \(all.map { "\($0.code)@\($0.span.start.line)" })")
        #expect(finding.severity == rule.severity)
        #expect(finding.span.start.line == rule.line)
        #expect(finding.span.file == "test.json")
    }

    @Test func everyCodeHasACase() {
        let covered = Set(Self.cases.map(\.code))
        let structural = Set(["SYNTAX_ERROR", "DUPLICATE_KEY", "INVALID_ENCODING", "LIMIT_EXCEEDED", "UNREADABLE_FILE", "EMPTY_DOCUMENT", "POLICY_NOT_OBJECT", "STATEMENT_NOT_OBJECT", "UNKNOWN_ELEMENT", "WRONG_TYPE", "MISSING_STATEMENT", "INVALID_EFFECT", "EFFECT_CASE", "ACTION_AND_NOT_ACTION", "RESOURCE_AND_NOT_RESOURCE", "PRINCIPAL_AND_NOT_PRINCIPAL", "INVALID_PRINCIPAL", "UNKNOWN_PRINCIPAL_TYPE", "UNTERMINATED_VARIABLE", "INVALID_VARIABLE"])
        let all = Set(PolicyValidator.allCodes.map(\.rawValue))
        #expect(all.count == PolicyValidator.allCodes.count, "codes are unique")
        #expect(all.subtracting(covered).subtracting(structural).isEmpty, "untested: \(all.subtracting(covered).subtracting(structural))")
        #expect(all.count >= 40)
    }

    @Test func wildcardPrincipalInTrustPolicyIsAllowedButWarned() {
        // SEMANTICS.md §1 calls "*" forbidden in trust policies; IAM accepts {"AWS": "*"} and AWS
        // recommends restricting it with a Condition, so it is a security warning, not an error.
        let policy = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}"#
        let all = findings(policy, as: .trust, catalog: testCatalog)
        #expect(!all.contains { $0.severity == .error })
        #expect(all.contains { $0.code.rawValue == "WILDCARD_PRINCIPAL" && $0.severity == .securityWarning })
    }

    @Test func cleanPolicyHasNoFindings() {
        let policy = #"{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/${aws:username}/*"], "Condition": {"Bool": {"aws:SecureTransport": "true"}, "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}"#
        #expect(findings(policy, as: .identity, catalog: testCatalog).isEmpty)
    }

    @Test func inferenceOfPolicyType() throws {
        let trust = try #require(parsePolicy(#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#).policy)
        #expect(trust.inferType().type == .trust)
        let resource = try #require(parsePolicy(#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#).policy)
        #expect(resource.inferType().type == .resource)
        let identity = try #require(parsePolicy(#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#).policy)
        #expect(identity.inferType().type == .identity)
    }
}
