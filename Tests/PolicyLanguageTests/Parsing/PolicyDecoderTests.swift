import Testing
@testable import PolicyLanguage

@Suite("PolicyDecoder")
struct PolicyDecoderTests {
    static let fullPolicy = """
        {
          "Version": "2012-10-17",
          "Id": "example",
          "Statement": [
            {
              "Sid": "One",
              "Effect": "Allow",
              "Principal": {"AWS": ["111122223333", "arn:aws:iam::111122223333:role/R"], "Service": "ec2.amazonaws.com"},
              "Action": ["s3:GetObject", "s3:List*"],
              "Resource": "arn:aws:s3:::bucket/${aws:username}/*",
              "Condition": {
                "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*", "b"]},
                "NumericLessThan": {"s3:max-keys": 10},
                "Bool": {"aws:SecureTransport": true}
              }
            },
            {"Effect": "Deny", "NotPrincipal": "*", "NotAction": "iam:*", "NotResource": ["arn:aws:iam::*:role/x"]}
          ]
        }
        """

    @Test func decodesEveryElementWithLocations() throws {
        let parsed = parsePolicy(Self.fullPolicy)
        #expect(parsed.findings.isEmpty)
        let policy = try #require(parsed.policy)
        #expect(policy.version?.value == "2012-10-17")
        #expect(policy.languageVersion == .v2012_10_17)
        #expect(policy.id?.value == "example")
        #expect(policy.statements.count == 2)
        let first = policy.statements[0]
        #expect(first.sid?.value == "One")
        #expect(first.effect?.value == .allow)
        #expect(first.effect?.span.start.line == 7)
        #expect(first.effect?.span.start.column == 17)
        guard case .specific(let principals) = first.principal?.value else {
            Issue.record("expected specific principals")
            return
        }
        #expect(principals.map(\.type) == [.aws, .aws, .service])
        #expect(principals[1].text == "arn:aws:iam::111122223333:role/R")
        #expect(first.action?.patterns.map(\.text) == ["s3:GetObject", "s3:List*"])
        #expect(first.action?.patterns[1].span.start == SourceLocation(line: 9, column: 34, offset: first.action?.patterns[1].span.start.offset))
        let resource = try #require(first.resource?.patterns.first)
        #expect(resource.template.parts.count == 3)
        #expect(resource.template.variables.map(\.key) == ["aws:username"])
        let clauses = try #require(first.condition?.clauses)
        #expect(clauses.count == 3)
        #expect(clauses[0].conditionOperator == ConditionOperator(qualifier: .forAnyValue, base: .stringLike, ifExists: true))
        #expect(clauses[0].values.map(\.text) == ["a*", "b"])
        #expect(clauses[1].values.first?.literal == .number)
        #expect(clauses[1].values.first?.text == "10")
        #expect(clauses[2].values.first?.literal == .bool)
        #expect(clauses[2].values.first?.text == "true")
        let second = policy.statements[1]
        #expect(second.principal?.isNot == true)
        #expect(second.action?.isNot == true)
        #expect(second.resource?.isNot == true)
        if case .everyone = second.principal?.value {} else { Issue.record("NotPrincipal \"*\" should be everyone") }
    }

    @Test func singleStatementObject() throws {
        let parsed = parsePolicy(#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#)
        let policy = try #require(parsed.policy)
        #expect(policy.statementIsSingleObject)
        #expect(policy.statements.count == 1)
        #expect(parsed.findings.isEmpty)
    }

    @Test func yamlPolicyDecodesLikeJSON() throws {
        let yaml = """
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: arn:aws:s3:::b/*
                Condition:
                  NumericLessThan:
                    s3:max-keys: 10
            """
        let parsed = PolicyParser.parse(text: yaml, file: "p.yaml", format: .yaml)
        #expect(parsed.findings.isEmpty)
        let statement = try #require(parsed.policy?.statements.first)
        #expect(statement.action?.patterns.first?.span.start.line == 4)
        #expect(statement.action?.patterns.first?.span.start.column == 13)
        #expect(statement.condition?.clauses.first?.values.first?.literal == .number)
    }

    struct StructuralCase: CustomTestStringConvertible, Sendable {
        let json: String
        let code: String
        let line: Int
        let column: Int
        var testDescription: String { code }
    }

    static let structuralCases: [StructuralCase] = [
        .init(json: #"["not", "an", "object"]"#, code: "POLICY_NOT_OBJECT", line: 1, column: 1),
        .init(json: #"{"Version": "2012-10-17"}"#, code: "MISSING_STATEMENT", line: 1, column: 1),
        .init(json: #"{"Statement": 5}"#, code: "WRONG_TYPE", line: 1, column: 15),
        .init(json: #"{"Statement": ["x"]}"#, code: "STATEMENT_NOT_OBJECT", line: 1, column: 16),
        .init(json: "{\"Statement\": [{\"Effect\": \"Allow\",\n \"Actions\": \"*\", \"Resource\": \"*\"}]}", code: "UNKNOWN_ELEMENT", line: 2, column: 2),
        .init(json: #"{"Statement": [{"Effect": "allow", "Action": "*", "Resource": "*"}]}"#, code: "EFFECT_CASE", line: 1, column: 27),
        .init(json: #"{"Statement": [{"Effect": "Permit", "Action": "*", "Resource": "*"}]}"#, code: "INVALID_EFFECT", line: 1, column: 27),
        .init(json: #"{"Statement": [{"Effect": "Allow", "Action": "*", "NotAction": "s3:*", "Resource": "*"}]}"#, code: "ACTION_AND_NOT_ACTION", line: 1, column: 51),
        .init(json: #"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "NotResource": "*"}]}"#, code: "RESOURCE_AND_NOT_RESOURCE", line: 1, column: 68),
        .init(json: #"{"Statement": [{"Effect": "Allow", "Principal": "*", "NotPrincipal": "*", "Action": "*"}]}"#, code: "PRINCIPAL_AND_NOT_PRINCIPAL", line: 1, column: 54),
        .init(json: #"{"Statement": [{"Effect": "Allow", "Action": [5], "Resource": "*"}]}"#, code: "WRONG_TYPE", line: 1, column: 47),
        .init(json: #"{"Statement": [{"Effect": "Allow", "Principal": "arn:aws:iam::111122223333:root", "Action": "*"}]}"#, code: "INVALID_PRINCIPAL", line: 1, column: 49),
        .init(json: #"{"Statement": [{"Effect": "Allow", "Principal": {"aws": "*"}, "Action": "*"}]}"#, code: "UNKNOWN_PRINCIPAL_TYPE", line: 1, column: 50),
        .init(json: #"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"k": {"a": 1}}}}]}"#, code: "WRONG_TYPE", line: 1, column: 104),
        .init(json: #"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": ["k"]}}]}"#, code: "WRONG_TYPE", line: 1, column: 98),
        .init(json: #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/${aws:username"}]}"#, code: "UNTERMINATED_VARIABLE", line: 1, column: 104),
        .init(json: #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/${aws:username, x}"}]}"#, code: "INVALID_VARIABLE", line: 1, column: 104),
        .init(json: #"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}], "Statement": []}"#, code: "DUPLICATE_KEY", line: 1, column: 70),
    ]

    @Test(arguments: structuralCases)
    func reportsStructuralError(_ testCase: StructuralCase) throws {
        let parsed = parsePolicy(testCase.json)
        let finding = try #require(parsed.findings.first { $0.code.rawValue == testCase.code }, "findings: \(parsed.findings.map(\.code))")
        #expect(finding.severity == .error)
        #expect(finding.span.start.line == testCase.line)
        #expect(finding.span.start.column == testCase.column)
    }

    @Test func duplicateKeyNamesBothLocations() throws {
        let parsed = parsePolicy("{\n  \"Version\": \"2012-10-17\",\n  \"Version\": \"2008-10-17\",\n  \"Statement\": []\n}")
        let finding = try #require(parsed.findings.first)
        #expect(finding.code.rawValue == "DUPLICATE_KEY")
        #expect(finding.span.start.line == 3)
        #expect(finding.notes.first?.span.start.line == 2)
    }
}
