import Foundation
import Testing
import PolicyLanguage
@testable import PolicyVerifier

/// Reads `text` as the spec file `spec.yaml` and fails the test when it has errors.
private func readValidSpec(_ text: String, file: String = "spec.yaml", sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Spec {
    switch SpecReader.read(text: text, file: file) {
    case .success(let spec):
        return spec
    case .failure(let errors):
        Issue.record("unexpected spec errors:\n\(errors)", sourceLocation: sourceLocation)
        throw errors
    }
}

/// The findings of a spec that must not read, as `CODE@line:column`, in order.
private func specErrorCodes(_ text: String, file: String = "spec.yaml") -> [String] {
    switch SpecReader.read(text: text, file: file) {
    case .success:
        return []
    case .failure(let errors):
        return errors.findings.map { "\($0.code)@\($0.span.start.line):\($0.span.start.column)" }
    }
}

/// The findings themselves, for message checks.
private func specFindings(_ text: String) -> [Finding] {
    if case .failure(let errors) = SpecReader.read(text: text, file: "spec.yaml") { return errors.findings }
    return []
}

private func specPosition(_ span: SourceSpan?) -> String {
    guard let span else { return "nil" }
    return "\(span.start.line):\(span.start.column)"
}

private let specTestsRepositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite("SpecReader")
struct SpecReaderTests {
    // The example of the brief (DESIGN.md "Commands" plus a conditions scope and a resources entry).
    static let example = """
        trusted:
          accounts: ["111122223333"]
          organizations: ["o-a1b2c3d4e5"]
        invariants:
          - name: no-iam-writes
            never: { actions: ["iam:Create*", "iam:Put*", "iam:Attach*"], resources: ["*"] }
          - name: s3-only-to-our-bucket
            only: { actions: ["s3:*"], resources: ["arn:aws:s3:::our-bucket", "arn:aws:s3:::our-bucket/*"] }
          - name: no-unencrypted-transport
            never: { actions: ["s3:*"], conditions: { Bool: { "aws:SecureTransport": "false" } } }
          - name: bucket-not-public
            no-public-access: true
          - name: nothing-outside-our-org
            no-external-access: true
        duties:
          - name: payments
            conflicting:
              - { actions: ["payments:CreatePayment"] }
              - { actions: ["payments:ApprovePayment"], resources: ["*"] }
        """

    // MARK: - Reading

    @Test func readsTheExample() throws {
        let spec = try readValidSpec(Self.example)
        #expect(spec.file == "spec.yaml")
        #expect(spec.trusted.accounts.map(\.value) == ["111122223333"])
        #expect(spec.trusted.accounts.map { specPosition($0.span) } == ["2:14"])
        #expect(spec.trusted.organizations.map(\.value) == ["o-a1b2c3d4e5"])
        #expect(spec.trusted.organizations.map { specPosition($0.span) } == ["3:19"])
        #expect(spec.invariants.map(\.name) == ["no-iam-writes", "s3-only-to-our-bucket", "no-unencrypted-transport", "bucket-not-public", "nothing-outside-our-org"])
        #expect(spec.invariants.map(\.kind.keyword) == ["never", "only", "never", "no-public-access", "no-external-access"])
        #expect(spec.invariants.map { specPosition($0.span) } == ["5:5", "7:5", "9:5", "11:5", "13:5"])
        #expect(spec.duties.map(\.name) == ["payments"])
        #expect(specPosition(spec.duties.first?.span) == "16:5")
    }

    @Test func neverScopeIsADecodedAllowStatement() throws {
        let spec = try readValidSpec(Self.example)
        guard case .never(let policy) = spec.invariants[0].kind else {
            Issue.record("expected a never invariant, found \(spec.invariants[0].kind.keyword)")
            return
        }
        #expect(policy.version?.value == "2012-10-17")
        #expect(policy.languageVersion == .v2012_10_17)
        #expect(policy.file == "spec.yaml")
        // The policy is located at the scopes, its Version and Statement at the `never` key.
        #expect(specPosition(policy.span) == "6:12")
        #expect(specPosition(policy.version?.span) == "6:5")
        #expect(specPosition(policy.statementKeySpan) == "6:5")
        #expect(policy.statements.count == 1)
        let statement = try #require(policy.statements.first)
        #expect(statement.effect?.value == .allow)
        #expect(statement.principal == nil)
        #expect(statement.condition == nil)
        let action = try #require(statement.action)
        #expect(!action.isNot)
        #expect(action.patterns.map(\.text) == ["iam:Create*", "iam:Put*", "iam:Attach*"])
        // Spans point into the spec: the key, each pattern, and the statement at the scope's `{`.
        #expect(specPosition(action.keySpan) == "6:14")
        #expect(action.patterns.map { specPosition($0.span) } == ["6:24", "6:39", "6:51"])
        #expect(specPosition(statement.span) == "6:12")
        #expect(specPosition(statement.effect?.span) == "6:12")
        let resource = try #require(statement.resource)
        #expect(!resource.isNot)
        #expect(resource.patterns.map(\.text) == ["*"])
        #expect(specPosition(resource.patterns.first?.span) == "6:79")
        #expect(specPosition(resource.keySpan) == "6:67")
    }

    @Test func onlyScopeKeepsItsResources() throws {
        let spec = try readValidSpec(Self.example)
        let policy = try #require(spec.invariants[1].kind.policy)
        guard case .only = spec.invariants[1].kind else {
            Issue.record("expected an only invariant")
            return
        }
        let statement = try #require(policy.statements.first)
        #expect(statement.action?.patterns.map(\.text) == ["s3:*"])
        #expect(statement.resource?.patterns.map(\.text) == ["arn:aws:s3:::our-bucket", "arn:aws:s3:::our-bucket/*"])
        #expect(statement.resource?.patterns.map { specPosition($0.span) } == ["8:44", "8:71"])
    }

    @Test func conditionsAreDecodedAsAnIAMConditionBlock() throws {
        let spec = try readValidSpec(Self.example)
        let statement = try #require(spec.invariants[2].kind.policy?.statements.first)
        #expect(statement.resource?.patterns.map(\.text) == ["*"], "resources default to every resource")
        // The default resource is located at the scope.
        #expect(specPosition(statement.resource?.patterns.first?.span) == "10:12")
        let block = try #require(statement.condition)
        #expect(block.clauses.count == 1)
        let clause = try #require(block.clauses.first)
        #expect(clause.conditionOperator == ConditionOperator(base: .bool))
        #expect(clause.operatorName.value == "Bool")
        #expect(specPosition(clause.operatorName.span) == "10:47")
        #expect(clause.key.value == "aws:SecureTransport")
        #expect(specPosition(clause.key.span) == "10:55")
        #expect(clause.values.map(\.text) == ["false"])
        #expect(clause.values.map(\.literal) == [.string])
    }

    @Test func dutiesHoldOnePolicyPerConflictingSet() throws {
        let spec = try readValidSpec(Self.example)
        let duty = try #require(spec.duties.first)
        #expect(duty.conflicting.count == 2)
        #expect(duty.conflicting.map { $0.statements.count } == [1, 1])
        #expect(duty.conflicting.map { $0.statements[0].action?.patterns.map(\.text) ?? [] } == [["payments:CreatePayment"], ["payments:ApprovePayment"]])
        #expect(duty.conflicting.map { $0.statements[0].resource?.patterns.map(\.text) ?? [] } == [["*"], ["*"]])
        #expect(duty.conflicting.map { specPosition($0.statements[0].span) } == ["18:9", "19:9"])
    }

    @Test func aListOfScopesIsAUnionOfStatements() throws {
        let spec = try readValidSpec("""
            invariants:
              - name: no-writes
                never:
                  - actions: ["iam:Create*"]
                  - not-actions: ["s3:Get*", "s3:List*"]
                    not-resources: "arn:aws:s3:::public/*"
                  - actions: "sts:AssumeRole"
                    resources: ["arn:aws:iam::*:role/admin"]
            """)
        let policy = try #require(spec.invariants.first?.kind.policy)
        #expect(policy.statements.count == 3)
        #expect(policy.statements.map(\.index) == [0, 1, 2])
        #expect(policy.statements.map { $0.effect?.value } == [.allow, .allow, .allow])
        #expect(policy.statements.map { $0.action?.isNot } == [false, true, false])
        #expect(policy.statements.map { $0.action?.patterns.map(\.text) ?? [] } == [["iam:Create*"], ["s3:Get*", "s3:List*"], ["sts:AssumeRole"]])
        #expect(policy.statements.map { $0.resource?.isNot } == [false, true, false])
        #expect(policy.statements.map { $0.resource?.patterns.map(\.text) ?? [] } == [["*"], ["arn:aws:s3:::public/*"], ["arn:aws:iam::*:role/admin"]])
        #expect(policy.statements.map { specPosition($0.span) } == ["4:9", "5:9", "7:9"])
        #expect(specPosition(policy.statements[1].resource?.keySpan) == "6:9")
    }

    @Test func aListOfScopesInAConflictingSet() throws {
        let spec = try readValidSpec("""
            duties:
              - name: deploy
                conflicting:
                  - [{ actions: "codecommit:GitPush" }, { actions: "codecommit:MergePullRequestBy*" }]
                  - { actions: "codepipeline:PutApprovalResult" }
                  - { actions: "codedeploy:CreateDeployment" }
            """)
        let duty = try #require(spec.duties.first)
        #expect(duty.conflicting.map { $0.statements.count } == [2, 1, 1])
        #expect(duty.conflicting[0].statements.map { $0.action?.patterns.first?.text } == ["codecommit:GitPush", "codecommit:MergePullRequestBy*"])
    }

    @Test func principalsUseIAMPrincipalSyntax() throws {
        let spec = try readValidSpec("""
            invariants:
              - name: no-anonymous-reads
                never: { actions: ["s3:GetObject"], principals: "*" }
              - name: no-partner-writes
                never:
                  actions: ["s3:PutObject"]
                  principals: { AWS: ["444455556666", "arn:aws:iam::444455556666:role/R"], Service: cloudfront.amazonaws.com }
            """)
        let everyone = try #require(spec.invariants[0].kind.policy?.statements.first?.principal)
        guard case .everyone = everyone.value else {
            Issue.record("expected Principal \"*\"")
            return
        }
        #expect(!everyone.isNot)
        let specific = try #require(spec.invariants[1].kind.policy?.statements.first?.principal)
        guard case .specific(let values) = specific.value else {
            Issue.record("expected specific principals")
            return
        }
        #expect(values.map(\.type) == [.aws, .aws, .service])
        #expect(values.map(\.text) == ["444455556666", "arn:aws:iam::444455556666:role/R", "cloudfront.amazonaws.com"])
        #expect(specPosition(values[0].span) == "7:27")
    }

    @Test func resourcesAreTemplatesOfVersion2012() throws {
        let spec = try readValidSpec("""
            invariants:
              - name: home-only
                only: { actions: "s3:*", resources: "arn:aws:s3:::home/${aws:username}/*" }
            """)
        let pattern = try #require(spec.invariants.first?.kind.policy?.statements.first?.resource?.patterns.first)
        #expect(pattern.template.hasVariables)
        #expect(pattern.template.variables.map(\.key) == ["aws:username"])
    }

    @Test func conditionsWithManyOperatorsAndUnquotedValues() throws {
        let spec = try readValidSpec("""
            invariants:
              - name: c
                never:
                  actions: "ec2:RunInstances"
                  conditions:
                    StringNotEquals: { "aws:RequestedRegion": ["eu-west-1", "eu-central-1"] }
                    NumericGreaterThan: { "ec2:VolumeSize": 100 }
                    ForAnyValue:StringLike: { "aws:TagKeys": "secret-*" }
                    BoolIfExists: { "aws:MultiFactorAuthPresent": false }
            """)
        let clauses = try #require(spec.invariants.first?.kind.policy?.statements.first?.condition?.clauses)
        #expect(clauses.map(\.operatorName.value) == ["StringNotEquals", "NumericGreaterThan", "ForAnyValue:StringLike", "BoolIfExists"])
        #expect(clauses.map { $0.conditionOperator?.description } == ["StringNotEquals", "NumericGreaterThan", "ForAnyValue:StringLike", "BoolIfExists"])
        #expect(clauses.map { $0.values.map(\.text) } == [["eu-west-1", "eu-central-1"], ["100"], ["secret-*"], ["false"]])
        #expect(clauses.map { $0.values.first?.literal } == [.string, .number, .string, .bool])
        #expect(clauses[2].conditionOperator?.qualifier == .forAnyValue)
        #expect(clauses[3].conditionOperator?.ifExists == true)
    }

    @Test func readsJSONByContent() throws {
        let spec = try readValidSpec("""
            {
              "trusted": {"accounts": ["111122223333", "444455556666"]},
              "invariants": [
                {"name": "n", "never": {"actions": ["iam:*"], "conditions": {"Bool": {"aws:SecureTransport": false}}}}
              ]
            }
            """, file: "spec.json")
        #expect(spec.file == "spec.json")
        #expect(spec.trusted.accounts.map(\.value) == ["111122223333", "444455556666"])
        #expect(spec.trusted.accounts.map { specPosition($0.span) } == ["2:28", "2:44"])
        let statement = try #require(spec.invariants.first?.kind.policy?.statements.first)
        #expect(statement.action?.patterns.map(\.text) == ["iam:*"])
        #expect(specPosition(statement.action?.patterns.first?.span) == "4:41")
        #expect(statement.condition?.clauses.first?.values.map(\.literal) == [.bool])
        #expect(statement.span.file == "spec.json")
    }

    @Test func trustedAccountsMayBeUnquotedOrSingle() throws {
        let spec = try readValidSpec("""
            trusted:
              accounts: 111122223333
              organizations: o-abcdefghij0123456789
            invariants: [{ name: x, no-external-access: true }]
            """)
        #expect(spec.trusted.accounts.map(\.value) == ["111122223333"])
        #expect(spec.trusted.organizations.map(\.value) == ["o-abcdefghij0123456789"])
    }

    @Test func dutiesAloneOrTrustedAloneWithAnInvariant() throws {
        let spec = try readValidSpec("""
            duties:
              - name: d
                conflicting: [{ actions: "a:B" }, { actions: "c:D" }]
            """)
        #expect(spec.invariants.isEmpty)
        #expect(spec.trusted.isEmpty)
        #expect(spec.duties.count == 1)
    }

    // MARK: - Example files

    @Test(arguments: ["no-iam-writes.yaml", "s3-only-our-bucket.yaml"])
    func exampleSpecFilesRead(name: String) throws {
        let path = specTestsRepositoryRoot.appendingPathComponent("Policies/specs/\(name)").path
        let result = SpecReader.read(contentsOf: path, displayName: "Policies/specs/\(name)")
        guard case .success(let spec) = result else {
            if case .failure(let errors) = result { Issue.record("\(name):\n\(errors)") }
            return
        }
        #expect(spec.file == "Policies/specs/\(name)")
        #expect(!spec.invariants.isEmpty)
        for invariant in spec.invariants {
            #expect(invariant.span.file == "Policies/specs/\(name)")
            if let policy = invariant.kind.policy {
                #expect(!policy.statements.isEmpty)
                #expect(policy.statements.allSatisfy { $0.action != nil && $0.resource != nil && $0.effect?.value == .allow })
            }
        }
    }

    @Test func noIAMWritesExampleContent() throws {
        let path = specTestsRepositoryRoot.appendingPathComponent("Policies/specs/no-iam-writes.yaml").path
        guard case .success(let spec) = SpecReader.read(contentsOf: path) else {
            Issue.record("no-iam-writes.yaml does not read")
            return
        }
        let first = try #require(spec.invariants.first)
        guard case .never(let policy) = first.kind else {
            Issue.record("expected a never invariant")
            return
        }
        #expect(policy.statements.first?.action?.patterns.map(\.text) == ["iam:Create*", "iam:Put*", "iam:Attach*", "iam:PassRole"])
    }

    @Test func s3OnlyOurBucketExampleContent() throws {
        let path = specTestsRepositoryRoot.appendingPathComponent("Policies/specs/s3-only-our-bucket.yaml").path
        guard case .success(let spec) = SpecReader.read(contentsOf: path) else {
            Issue.record("s3-only-our-bucket.yaml does not read")
            return
        }
        guard case .only(let policy) = spec.invariants.first?.kind else {
            Issue.record("expected an only invariant first")
            return
        }
        #expect(policy.statements.first?.resource?.patterns.map(\.text) == ["arn:aws:s3:::our-bucket", "arn:aws:s3:::our-bucket/*"])
        #expect(spec.trusted.accounts.map(\.value) == ["111122223333"])
        #expect(spec.trusted.organizations.map(\.value) == ["o-a1b2c3d4e5"])
    }

    // MARK: - Errors

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var label: String
        var text: String
        /// `CODE@line:column`, sorted by position.
        var expected: [String]
        var testDescription: String { label }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(label: "root is a list", text: "- a\n- b\n", expected: ["SPEC_WRONG_TYPE@1:1"]),
        ErrorCase(label: "root is a string", text: "hello\n", expected: ["SPEC_WRONG_TYPE@1:1"]),
        ErrorCase(label: "empty spec", text: "trusted: { accounts: [\"111122223333\"] }\n", expected: ["SPEC_EMPTY@1:1"]),
        ErrorCase(label: "empty lists", text: "invariants: []\nduties: []\n", expected: ["SPEC_EMPTY@1:1"]),
        ErrorCase(label: "comments only", text: "# nothing\n", expected: ["EMPTY_DOCUMENT@1:1"]),
        ErrorCase(label: "unknown root key", text: "invariant:\n  - name: a\n", expected: ["SPEC_UNKNOWN_KEY@1:1"]),
        ErrorCase(label: "invariants not a list", text: "invariants: { name: a }\n", expected: ["SPEC_WRONG_TYPE@1:13"]),
        ErrorCase(label: "invariant not a mapping", text: "invariants:\n  - no-iam-writes\n", expected: ["SPEC_WRONG_TYPE@2:5"]),
        ErrorCase(label: "missing name", text: "invariants:\n  - never: { actions: a:B }\n", expected: ["SPEC_MISSING@2:5"]),
        ErrorCase(label: "name not a string", text: "invariants:\n  - name: [a]\n    no-public-access: true\n", expected: ["SPEC_WRONG_TYPE@2:11"]),
        ErrorCase(label: "empty name", text: "invariants:\n  - name: \"\"\n    no-public-access: true\n", expected: ["SPEC_MISSING@2:11"]),
        ErrorCase(label: "no kind", text: "invariants:\n  - name: a\n", expected: ["SPEC_MISSING@2:5"]),
        ErrorCase(label: "two kinds", text: "invariants:\n  - name: a\n    never: { actions: a:B }\n    only: { actions: a:B }\n", expected: ["SPEC_AMBIGUOUS_INVARIANT@4:5"]),
        ErrorCase(label: "three kinds", text: "invariants:\n  - name: a\n    no-public-access: true\n    never: { actions: a:B }\n    no-external-access: true\n", expected: ["SPEC_AMBIGUOUS_INVARIANT@4:5", "SPEC_AMBIGUOUS_INVARIANT@5:5"]),
        ErrorCase(label: "duplicate names", text: "invariants:\n  - name: a\n    no-public-access: true\n  - name: a\n    no-external-access: true\n", expected: ["SPEC_DUPLICATE_NAME@4:11"]),
        ErrorCase(label: "duty named as an invariant", text: "invariants:\n  - name: a\n    no-public-access: true\nduties:\n  - name: a\n    conflicting: [{ actions: a:B }, { actions: c:D }]\n", expected: ["SPEC_DUPLICATE_NAME@5:11"]),
        ErrorCase(label: "no-public-access false", text: "invariants:\n  - name: a\n    no-public-access: false\n", expected: ["SPEC_FALSE_FLAG@3:23"]),
        ErrorCase(label: "no-external-access false", text: "invariants:\n  - name: a\n    no-external-access: false\n", expected: ["SPEC_FALSE_FLAG@3:25"]),
        ErrorCase(label: "flag as a string", text: "invariants:\n  - name: a\n    no-public-access: \"true\"\n", expected: ["SPEC_WRONG_TYPE@3:23"]),
        ErrorCase(label: "flag as yes", text: "invariants:\n  - name: a\n    no-public-access: yes\n", expected: ["SPEC_WRONG_TYPE@3:23"]),
        ErrorCase(label: "scope without actions", text: "invariants:\n  - name: a\n    never: { resources: [\"*\"] }\n", expected: ["SPEC_INVALID_SCOPE@3:12"]),
        ErrorCase(label: "empty scope", text: "invariants:\n  - name: a\n    never: {}\n", expected: ["SPEC_INVALID_SCOPE@3:12"]),
        ErrorCase(label: "empty actions list", text: "invariants:\n  - name: a\n    never: { actions: [] }\n", expected: ["SPEC_INVALID_SCOPE@3:23"]),
        ErrorCase(label: "empty resources list", text: "invariants:\n  - name: a\n    never: { actions: a:B, resources: [] }\n", expected: ["SPEC_INVALID_SCOPE@3:39"]),
        ErrorCase(label: "empty list of scopes", text: "invariants:\n  - name: a\n    only: []\n", expected: ["SPEC_INVALID_SCOPE@3:11"]),
        ErrorCase(label: "actions and not-actions", text: "invariants:\n  - name: a\n    never: { actions: a:B, not-actions: c:D }\n", expected: ["SPEC_INVALID_SCOPE@3:28"]),
        ErrorCase(label: "resources and not-resources", text: "invariants:\n  - name: a\n    never: { actions: a:B, not-resources: \"*\", resources: \"*\" }\n", expected: ["SPEC_INVALID_SCOPE@3:48"]),
        ErrorCase(label: "actions a number", text: "invariants:\n  - name: a\n    never: { actions: 42 }\n", expected: ["SPEC_WRONG_TYPE@3:23"]),
        ErrorCase(label: "action entry a mapping", text: "invariants:\n  - name: a\n    never: { actions: [a:B, { c: d }] }\n", expected: ["SPEC_WRONG_TYPE@3:29"]),
        ErrorCase(label: "never a string", text: "invariants:\n  - name: a\n    never: \"iam:*\"\n", expected: ["SPEC_WRONG_TYPE@3:12"]),
        ErrorCase(label: "scope in list not a mapping", text: "invariants:\n  - name: a\n    never: [\"iam:*\"]\n", expected: ["SPEC_WRONG_TYPE@3:13"]),
        ErrorCase(label: "conditions a list", text: "invariants:\n  - name: a\n    never: { actions: a:B, conditions: [x] }\n", expected: ["SPEC_WRONG_TYPE@3:40"]),
        ErrorCase(label: "principals an ARN string", text: "invariants:\n  - name: a\n    never: { actions: a:B, principals: \"arn:aws:iam::111122223333:root\" }\n", expected: ["SPEC_WRONG_TYPE@3:40"]),
        ErrorCase(label: "unknown scope key", text: "invariants:\n  - name: a\n    never: { actions: a:B, resource: \"*\" }\n", expected: ["SPEC_UNKNOWN_KEY@3:28"]),
        ErrorCase(label: "unknown invariant key", text: "invariants:\n  - name: a\n    no-public-access: true\n    description: x\n", expected: ["SPEC_UNKNOWN_KEY@4:5"]),
        ErrorCase(label: "unknown trusted key", text: "trusted: { account: [\"111122223333\"] }\ninvariants: [{ name: a, no-public-access: true }]\n", expected: ["SPEC_UNKNOWN_KEY@1:12"]),
        ErrorCase(label: "unknown duty key", text: "duties:\n  - name: d\n    conflicts: [{ actions: a:B }, { actions: c:D }]\n", expected: ["SPEC_MISSING@2:5", "SPEC_UNKNOWN_KEY@3:5"]),
        ErrorCase(label: "account too short", text: "trusted: { accounts: [\"11112222333\"] }\ninvariants: [{ name: a, no-public-access: true }]\n", expected: ["SPEC_INVALID_ACCOUNT@1:23"]),
        ErrorCase(label: "account with letters", text: "trusted: { accounts: [\"11112222333x\", \"111122223333\"] }\ninvariants: [{ name: a, no-public-access: true }]\n", expected: ["SPEC_INVALID_ACCOUNT@1:23"]),
        ErrorCase(label: "account an ARN", text: "trusted:\n  accounts:\n    - arn:aws:iam::111122223333:root\ninvariants: [{ name: a, no-public-access: true }]\n", expected: ["SPEC_INVALID_ACCOUNT@3:7"]),
        ErrorCase(label: "accounts a mapping", text: "trusted: { accounts: { a: b } }\ninvariants: [{ name: a, no-public-access: true }]\n", expected: ["SPEC_WRONG_TYPE@1:22"]),
        ErrorCase(label: "organization too short", text: "trusted: { organizations: [\"o-abc\"] }\ninvariants: [{ name: a, no-public-access: true }]\n", expected: ["SPEC_INVALID_ORGANIZATION@1:28"]),
        ErrorCase(label: "organization upper case", text: "trusted: { organizations: [\"o-A1B2C3D4E5\"] }\ninvariants: [{ name: a, no-public-access: true }]\n", expected: ["SPEC_INVALID_ORGANIZATION@1:28"]),
        ErrorCase(label: "organization a root id", text: "trusted: { organizations: [\"r-a1b2\"] }\ninvariants: [{ name: a, no-public-access: true }]\n", expected: ["SPEC_INVALID_ORGANIZATION@1:28"]),
        ErrorCase(label: "organization too long", text: "trusted: { organizations: [\"o-\(String(repeating: "a", count: 33))\"] }\ninvariants: [{ name: a, no-public-access: true }]\n", expected: ["SPEC_INVALID_ORGANIZATION@1:28"]),
        ErrorCase(label: "trusted a list", text: "trusted: [\"111122223333\"]\ninvariants: [{ name: a, no-public-access: true }]\n", expected: ["SPEC_WRONG_TYPE@1:10"]),
        ErrorCase(label: "one conflicting set", text: "duties:\n  - name: d\n    conflicting:\n      - { actions: a:B }\n", expected: ["SPEC_TOO_FEW_CONFLICTING@4:7"]),
        ErrorCase(label: "no conflicting sets", text: "duties:\n  - name: d\n    conflicting: []\n", expected: ["SPEC_TOO_FEW_CONFLICTING@3:18"]),
        ErrorCase(label: "conflicting a mapping", text: "duties:\n  - name: d\n    conflicting: { actions: a:B }\n", expected: ["SPEC_WRONG_TYPE@3:18"]),
        ErrorCase(label: "duty without name", text: "duties:\n  - conflicting: [{ actions: a:B }, { actions: c:D }]\n", expected: ["SPEC_MISSING@2:5"]),
        ErrorCase(label: "bad scope in a duty", text: "duties:\n  - name: d\n    conflicting: [{ actions: a:B }, { resources: \"*\" }]\n", expected: ["SPEC_INVALID_SCOPE@3:37"]),
        // Problems inside scopes keep the policy decoder's and validator's codes.
        ErrorCase(label: "unknown condition operator", text: "invariants:\n  - name: a\n    never: { actions: a:B, conditions: { StringEqual: { \"aws:username\": x } } }\n", expected: ["UNKNOWN_CONDITION_OPERATOR@3:42"]),
        ErrorCase(label: "condition operator value not a mapping", text: "invariants:\n  - name: a\n    never: { actions: a:B, conditions: { Bool: true } }\n", expected: ["WRONG_TYPE@3:48"]),
        ErrorCase(label: "condition value a mapping", text: "invariants:\n  - name: a\n    never: { actions: a:B, conditions: { Bool: { \"aws:SecureTransport\": { x: y } } } }\n", expected: ["WRONG_TYPE@3:73"]),
        ErrorCase(label: "bad Bool value", text: "invariants:\n  - name: a\n    never: { actions: a:B, conditions: { Bool: { \"aws:SecureTransport\": maybe } } }\n", expected: ["INVALID_BOOL_VALUE@3:73"]),
        ErrorCase(label: "unterminated variable", text: "invariants:\n  - name: a\n    only: { actions: \"s3:*\", resources: \"arn:aws:s3:::b/${aws:username/*\" }\n", expected: ["UNTERMINATED_VARIABLE@3:57"]),
        ErrorCase(label: "invalid action", text: "invariants:\n  - name: a\n    never: { actions: [\"iam\"] }\n", expected: ["INVALID_ACTION@3:24"]),
        ErrorCase(label: "resource not an ARN", text: "invariants:\n  - name: a\n    never: { actions: a:B, resources: my-bucket }\n", expected: ["RESOURCE_NOT_ARN@3:39"]),
        ErrorCase(label: "unknown principal type", text: "invariants:\n  - name: a\n    never: { actions: a:B, principals: { Aws: \"*\" } }\n", expected: ["UNKNOWN_PRINCIPAL_TYPE@3:42"]),
        ErrorCase(label: "malformed YAML", text: "invariants:\n  - name: a\n    never: { actions: [a:B }\n", expected: ["SYNTAX_ERROR@3:28"]),
        ErrorCase(label: "duplicate key", text: "invariants:\n  - name: a\n    name: b\n    no-public-access: true\n", expected: ["DUPLICATE_KEY@3:5"]),
        ErrorCase(label: "empty file", text: "", expected: ["EMPTY_DOCUMENT@1:1"]),
        ErrorCase(label: "malformed JSON", text: "{\"invariants\": [}\n", expected: ["SYNTAX_ERROR@1:17"]),
    ]

    @Test(arguments: errorCases)
    func reportsErrorWithCodeAndLocation(_ errorCase: ErrorCase) {
        #expect(specErrorCodes(errorCase.text) == errorCase.expected)
    }

    @Test func errorsAreAllErrorsInTheSpecFile() {
        for errorCase in Self.errorCases {
            let findings = specFindings(errorCase.text)
            #expect(!findings.isEmpty, "\(errorCase.label)")
            #expect(findings.allSatisfy { $0.severity == .error && $0.span.file == "spec.yaml" }, "\(errorCase.label)")
        }
    }

    @Test func collectsEveryError() {
        let text = """
            trusted:
              accounts: ["123", "111122223333"]
              organizations: ["o-bad"]
            invariants:
              - name: a
                never: { actions: [] }
              - name: a
                no-public-access: false
              - never: { actions: a:B, not-actions: c:D, resorces: "*" }
              - name: b
                only:
                  - { actions: a:B }
                  - { actions: a:B, conditions: { Foo: { k: v } } }
            duties:
              - name: d
                conflicting: [{ actions: a:B }]
            """
        #expect(specErrorCodes(text) == [
            "SPEC_INVALID_ACCOUNT@2:14",
            "SPEC_INVALID_ORGANIZATION@3:19",
            "SPEC_INVALID_SCOPE@6:23",
            "SPEC_DUPLICATE_NAME@7:11",
            "SPEC_FALSE_FLAG@8:23",
            "SPEC_MISSING@9:5",
            "SPEC_INVALID_SCOPE@9:28",
            "SPEC_UNKNOWN_KEY@9:46",
            "UNKNOWN_CONDITION_OPERATOR@13:39",
            "SPEC_TOO_FEW_CONFLICTING@16:18",
        ])
    }

    @Test func wellFormedScopesBesideABadOneAreStillChecked() {
        let text = """
            invariants:
              - name: a
                never:
                  - { resources: "*" }
                  - { actions: a:B, conditions: { NumericLessThan: { "s3:max-keys": ten } } }
            """
        #expect(specErrorCodes(text) == ["SPEC_INVALID_SCOPE@4:9", "INVALID_NUMERIC_VALUE@5:73"])
    }

    // MARK: - Messages

    @Test(arguments: [
        ("invariants:\n  - name: a\n    never: { action: a:B }\n", "did you mean \"actions\"?"),
        ("invariants:\n  - name: a\n    never: { actions: a:B, Condition: {} }\n", "did you mean \"conditions\"?"),
        ("invariants:\n  - name: a\n    never: { NotAction: a:B }\n", "did you mean \"not-actions\"?"),
        ("invariants:\n  - name: a\n    no_public_access: true\n", "did you mean \"no-public-access\"?"),
        ("invariants:\n  - name: a\n    no-public: true\n", "did you mean \"no-public-access\"?"),
        ("invariants:\n  - name: a\n    nevr: { actions: a:B }\n", "did you mean \"never\"?"),
        ("invariant:\n  - name: a\n", "did you mean \"invariants\"?"),
        ("trusted: { orgs: [o-a1b2c3d4e5] }\ninvariants: [{ name: a, no-public-access: true }]\n", "did you mean \"organizations\"?"),
        ("invariants:\n  - name: a\n    no-public-access: true\n    zzz: 1\n", "expected one of name, never, only, no-public-access, no-external-access"),
    ])
    func unknownKeysSuggestTheClosestKnownKey(text: String, expected: String) {
        let unknown = specFindings(text).filter { $0.code == .specUnknownKey }
        #expect(unknown.count == 1)
        #expect(unknown.first?.message.contains(expected) == true, "\(unknown.first?.message ?? "no finding")")
    }

    @Test func falseFlagSaysToRemoveIt() {
        let finding = specFindings("invariants:\n  - name: a\n    no-public-access: false\n").first
        #expect(finding?.code == .specFalseFlag)
        #expect(finding?.message.contains("remove") == true)
    }

    @Test func ambiguousInvariantPointsAtTheFirstKind() {
        let finding = specFindings("invariants:\n  - name: a\n    never: { actions: a:B }\n    only: { actions: a:B }\n").first
        #expect(finding?.code == .specAmbiguousInvariant)
        #expect(finding?.notes.map { specPosition($0.span) } == ["3:5"])
    }

    @Test func duplicateNamePointsAtTheFirstUse() {
        let finding = specFindings("invariants:\n  - name: a\n    no-public-access: true\n  - name: a\n    no-external-access: true\n").first
        #expect(finding?.notes.map { specPosition($0.span) } == ["2:11"])
    }

    @Test func unreadableFileIsAnError() {
        let result = SpecReader.read(contentsOf: "/nonexistent/spec.yaml")
        guard case .failure(let errors) = result else {
            Issue.record("expected an error")
            return
        }
        #expect(errors.findings.map(\.code) == [.unreadableFile])
        #expect(errors.findings.first?.span.file == "/nonexistent/spec.yaml")
    }

    @Test func errorsDescribeThemselvesWithFileLineColumn() {
        guard case .failure(let errors) = SpecReader.read(text: "invariants:\n  - name: a\n", file: "ci/spec.yaml") else {
            Issue.record("expected an error")
            return
        }
        #expect(errors.description.hasPrefix("ci/spec.yaml:2:5: SPEC_MISSING: "))
    }

    @Test func specCodesAreDistinct() {
        #expect(Set(FindingCode.specCodes).count == FindingCode.specCodes.count)
        #expect(FindingCode.specCodes.allSatisfy { $0.rawValue.hasPrefix("SPEC_") })
    }

    @Test(arguments: [
        ("o-a1b2c3d4e5", true), ("o-abcdefghij", true), ("o-" + String(repeating: "z", count: 32), true),
        ("o-abcdefghi", false), ("o-" + String(repeating: "z", count: 33), false), ("O-a1b2c3d4e5", false),
        ("o-a1b2c3d4e_", false), ("oa1b2c3d4e5xx", false), ("", false),
    ])
    func organizationIDs(text: String, valid: Bool) {
        #expect(SpecReader.isOrganizationID(text) == valid)
    }
}
