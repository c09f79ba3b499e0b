import Foundation
import Testing
import PolicyLanguage
@testable import PolicyAccount

private let catalog = ActionCatalog.bundled

/// Parses an inline policy; traps on a malformed test input (the test is wrong, not the code).
private func parsePolicy(_ text: String, file: String = "policy.json") -> Policy {
    let parsed = PolicyParser.parse(text: text, file: file)
    guard let policy = parsed.policy, parsed.isWellFormed else { fatalError("test policy does not parse: \(parsed.findings)") }
    return policy
}

/// A policy of one statement per entry, each written on its own line (statement `i` is on line `i + 2`).
private func policyText(_ statements: [String]) -> String {
    "{\"Version\": \"2012-10-17\", \"Statement\": [\n" + statements.joined(separator: ",\n") + "\n]}"
}

private func grants(_ statements: String...) -> [OverbroadGrant] {
    OverbroadGrants.find(in: parsePolicy(policyText(statements)), catalog: catalog)
}

private func position(_ span: SourceSpan) -> String { "\(span.start.line):\(span.start.column)" }

/// The actions of `service` whose name starts with `prefix` (case-insensitive), counted from the service's list.
private func countOf(_ service: String, namesStartingWith prefix: String) -> Int {
    catalog.service(service)!.actions.filter { $0.name.lowercased().hasPrefix(prefix.lowercased()) }.count
}

private func allActions() -> [ActionInfo] { catalog.servicePrefixes.flatMap { catalog.service($0)!.actions } }

@Suite("OverbroadGrants")
struct OverbroadGrantsTests {
    @Test func catalogueIsLoaded() {
        #expect(catalog.loadError == nil)
        #expect(catalog.actionCount > 10_000)
    }

    // MARK: - Kinds, counts and spans

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var statement: String
        /// Expected findings as `kind pattern count line:column`.
        var expected: [String]
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(
            label: "Action * on Resource *",
            statement: #"  {"Effect": "Allow", "Action": "*", "Resource": "*"}"#,
            expected: ["everyAction * \(catalog.actionCount) 2:33", "everyResource * \(allActions().filter(\.supportsResourceLevelPermissions).count) 2:50"]),
        Case(
            label: "Action *:* on a bucket",
            statement: #"  {"Effect": "Allow", "Action": "*:*", "Resource": "arn:aws:s3:::b"}"#,
            expected: ["everyAction *:* \(catalog.actionCount) 2:33"]),
        Case(
            label: "iam:* is service-wide",
            statement: #"  {"Effect": "Allow", "Action": ["iam:*"], "Resource": "arn:aws:iam::111122223333:user/a"}"#,
            expected: ["serviceWide iam:* \(catalog.service("iam")!.actions.count) 2:34"]),
        Case(
            label: "service prefix case is ignored",
            statement: #"  {"Effect": "Allow", "Action": "S3:*", "Resource": "arn:aws:s3:::b"}"#,
            expected: ["serviceWide S3:* \(catalog.service("s3")!.actions.count) 2:33"]),
        Case(
            label: "s3:Get* is a partial wildcard",
            statement: #"  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:Get*"], "Resource": "arn:aws:s3:::b/*"}"#,
            expected: ["actionWildcard s3:Get* \(countOf("s3", namesStartingWith: "Get")) 2:50"]),
        Case(
            label: "question mark is a wildcard",
            statement: #"  {"Effect": "Allow", "Action": "s3:GetObjec?", "Resource": "arn:aws:s3:::b/*"}"#,
            expected: ["actionWildcard s3:GetObjec? 1 2:33"]),
        Case(
            label: "literal action on a specific resource",
            statement: #"  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#,
            expected: []),
        Case(
            label: "literal action on Resource *",
            statement: #"  {"Effect": "Allow", "Action": "s3:getobject", "Resource": ["arn:aws:s3:::b/*", "*"]}"#,
            expected: ["everyResource * 1 2:82"]),
        Case(
            label: "only actions without resource-level permissions on *",
            statement: #"  {"Effect": "Allow", "Action": ["s3:ListAllMyBuckets", "ec2:DescribeInstances", "sts:GetCallerIdentity"], "Resource": "*"}"#,
            expected: []),
        Case(
            label: "Deny never produces a finding",
            statement: #"  {"Effect": "Deny", "Action": ["*", "s3:*", "iam:Get*"], "Resource": "*"}"#,
            expected: []),
        Case(
            label: "Deny with NotAction never produces a finding",
            statement: #"  {"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}"#,
            expected: []),
        Case(
            label: "unknown service wildcard counts 0",
            statement: #"  {"Effect": "Allow", "Action": ["nosuchservice:*", "nosuchservice:Get*", "nosuchservice:GetThing"], "Resource": "*"}"#,
            expected: ["serviceWide nosuchservice:* 0 2:34", "actionWildcard nosuchservice:Get* 0 2:53"]),
        Case(
            label: "NotAction on Resource *",
            statement: #"  {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}"#,
            expected: [
                "notAction iam:*, organizations:* \(catalog.actionCount - catalog.service("iam")!.actions.count - catalog.service("organizations")!.actions.count) 2:23",
                "everyResource * \(allActions().filter { $0.service != "iam" && $0.service != "organizations" && $0.supportsResourceLevelPermissions }.count) 2:78",
            ]),
        Case(
            label: "NotResource",
            statement: #"  {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"}"#,
            expected: ["everyResource arn:aws:s3:::secret/* 1 2:49"]),
    ]

    @Test(arguments: cases)
    func findsKindCountAndSpan(_ testCase: Case) {
        let found = grants(testCase.statement)
        #expect(found.map { "\($0.kind) \($0.pattern) \($0.actionCount) \(position($0.span))" } == testCase.expected)
        #expect(found.allSatisfy { $0.statementIndex == 0 && $0.sid == nil && !$0.conditional })
        #expect(found.allSatisfy { $0.span.file == "policy.json" })
    }

    // MARK: - Examples and messages

    @Test func serviceWideMessageNamesTheService() throws {
        let grant = try #require(grants(#"{"Effect": "Allow", "Action": "iam:*", "Resource": "arn:aws:iam::111122223333:role/r"}"#).first)
        let iam = try #require(catalog.service("iam"))
        #expect(grant.message == "iam:* grants all \(iam.actions.count) actions of \(iam.name)")
        #expect(grant.examples.count == 5)
        #expect(grant.examples == Array(iam.actions.map(\.fullName).sorted { $0.lowercased() < $1.lowercased() }.prefix(5)))
    }

    @Test func wildcardExamplesAreSortedMatchingActions() throws {
        let grant = try #require(grants(#"{"Effect": "Allow", "Action": "kms:Generate*", "Resource": "arn:aws:kms:*:111122223333:key/*"}"#).first)
        #expect(grant.kind == .actionWildcard)
        #expect(grant.actionCount == countOf("kms", namesStartingWith: "Generate"))
        #expect(grant.examples == ["kms:GenerateDataKey", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext", "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateMac"])
        #expect(grant.message.hasPrefix("kms:Generate* grants \(grant.actionCount) actions of AWS Key Management Service (kms:GenerateDataKey, "))
        #expect(grant.message.hasSuffix(", …)"))
    }

    @Test func everyResourceCountsEachGrantedActionOnce() throws {
        // s3:GetObject is also matched by s3:Get*; ListAllMyBuckets has no resource-level permissions.
        let found = grants(#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:Get*", "s3:ListAllMyBuckets"], "Resource": "*"}"#)
        #expect(found.map(\.kind) == [.actionWildcard, .everyResource])
        let resource = try #require(found.last)
        let expected = try #require(catalog.service("s3")).actions.filter { $0.name.hasPrefix("Get") && $0.supportsResourceLevelPermissions }
        #expect(resource.actionCount == expected.count)
        #expect(!resource.examples.contains("s3:ListAllMyBuckets"))
        #expect(resource.examples.count == 5)
        #expect(resource.message.hasPrefix("Resource \"*\" on \(expected.count) actions that support resource-level permissions (s3:GetAccelerateConfiguration, "))
    }

    @Test func onlyResourceLevelActionsAreExamplesOfEveryResource() throws {
        let grant = try #require(grants(#"{"Effect": "Allow", "Action": ["ec2:DescribeInstances", "s3:GetObject"], "Resource": "*"}"#).first)
        #expect(grant.kind == .everyResource)
        #expect(grant.actionCount == 1)
        #expect(grant.examples == ["s3:GetObject"])
        #expect(grant.message == "Resource \"*\" on 1 actions that support resource-level permissions (s3:GetObject)")
    }

    @Test func notActionCountsEverythingNotExcluded() throws {
        let grant = try #require(grants(#"{"Effect": "Allow", "NotAction": "s3:*", "Resource": "arn:aws:s3:::b"}"#).first)
        #expect(grant.kind == .notAction)
        #expect(grant.actionCount == catalog.actionCount - catalog.service("s3")!.actions.count)
        #expect(grant.examples.count == 5)
        #expect(!grant.examples.contains { $0.lowercased().hasPrefix("s3:") })
        #expect(grant.message.hasPrefix("NotAction grants \(grant.actionCount) actions: every action except s3:* ("))
    }

    // MARK: - Statements

    @Test func conditionalStatementsAreFlaggedAndSidIsKept() throws {
        let found = grants(
            #"  {"Sid": "Plain", "Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::b/*"}"#,
            #"  {"Effect": "Deny", "Action": "*", "Resource": "*"}"#,
            #"  {"Sid": "WithMFA", "Effect": "Allow", "Action": "ec2:*", "Resource": "arn:aws:ec2:*:*:instance/*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}"#)
        #expect(found.map(\.statementIndex) == [0, 2])
        #expect(found.map(\.sid) == ["Plain", "WithMFA"])
        #expect(found.map(\.conditional) == [false, true])
        #expect(found.map(\.kind) == [.actionWildcard, .serviceWide])
        #expect(found.map { position($0.span) } == ["2:49", "4:51"])
        #expect(found.last?.message.hasSuffix(", when its Condition holds") == true)
    }

    @Test func findingsFollowStatementThenPatternOrder() {
        let found = grants(
            #"  {"Effect": "Allow", "Action": ["s3:List*", "s3:GetObject", "iam:*", "*"], "Resource": "*"}"#,
            #"  {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}"#)
        #expect(found.map(\.kind) == [.actionWildcard, .serviceWide, .everyAction, .everyResource, .actionWildcard, .everyResource])
        #expect(found.map(\.pattern) == ["s3:List*", "iam:*", "*", "*", "ec2:Describe*", "*"])
        #expect(found.map(\.statementIndex) == [0, 0, 0, 0, 1, 1])
    }

    @Test(arguments: OverbroadGrant.Kind.allCases)
    func everyKindIsFoundSomewhere(_ kind: OverbroadGrant.Kind) {
        let found = grants(
            #"  {"Effect": "Allow", "Action": ["*", "s3:*", "s3:Get*"], "Resource": "*"}"#,
            #"  {"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::b"}"#)
        #expect(found.filter { $0.kind == kind }.count == 1)
    }

    // MARK: - AWS managed policies

    static let managed = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus/aws-managed")
    static var managedIsPresent: Bool { FileManager.default.fileExists(atPath: managed.appendingPathComponent("AdministratorAccess.json").path) }

    static let managedNames = [
        "AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess", "IAMFullAccess", "AmazonS3ReadOnlyAccess",
        "AmazonEC2ReadOnlyAccess", "AWSCompromisedKeyQuarantineV2", "AmazonDynamoDBFullAccess", "AmazonDynamoDBReadOnlyAccess",
        "AWSLambdaBasicExecutionRole", "AWSLambdaExecute", "AWSLambda_ReadOnlyAccess", "AWSCloudTrail_ReadOnlyAccess",
        "AmazonEC2FullAccess", "AmazonEC2ContainerRegistryReadOnly", "AWSCertificateManagerPrivateCAUser",
        "IAMCreateRootUserPassword", "AmazonDataZoneProjectRolePermissionsBoundary", "AWSLambdaRole", "AmazonEC2ContainerServiceRole",
    ]

    private func managedGrants(_ name: String) throws -> (Policy, [OverbroadGrant]) {
        let parsed = PolicyParser.parse(contentsOf: Self.managed.appendingPathComponent(name + ".json").path)
        let policy = try #require(parsed.policy, "\(name) does not parse")
        return (policy, OverbroadGrants.find(in: policy, catalog: catalog))
    }

    @Test(.enabled(if: managedIsPresent, "needs ../shared/corpus/aws-managed"))
    func administratorAccessGrantsEveryAction() throws {
        let (_, found) = try managedGrants("AdministratorAccess")
        #expect(found.map(\.kind) == [.everyAction, .everyResource])
        #expect(found.first?.actionCount == catalog.actionCount)
        #expect(found.first?.message == "* grants all \(catalog.actionCount) actions of every service")
    }

    @Test(.enabled(if: managedIsPresent, "needs ../shared/corpus/aws-managed"))
    func readOnlyAccessGrantsServiceWideAndWildcards() throws {
        let (_, found) = try managedGrants("ReadOnlyAccess")
        let kinds = Set(found.map(\.kind))
        #expect(kinds.contains(.actionWildcard))
        #expect(!kinds.contains(.everyAction))
        #expect(!kinds.contains(.notAction))
        #expect(found.contains { $0.kind == .actionWildcard && $0.pattern == "a4b:Get*" })
        #expect(found.filter { $0.kind == .actionWildcard }.count > 100)
        #expect(found.contains { $0.kind == .everyResource && $0.actionCount > 1_000 })
    }

    @Test(.enabled(if: managedIsPresent, "needs ../shared/corpus/aws-managed"))
    func s3ReadOnlyAccessHasThreeS3Wildcards() throws {
        let (_, found) = try managedGrants("AmazonS3ReadOnlyAccess")
        #expect(found.map(\.pattern) == ["s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*", "s3-object-lambda:List*", "*"])
        #expect(found.first?.actionCount == countOf("s3", namesStartingWith: "Get"))
        #expect(found.map { position($0.span) }.first == "6:9")
    }

    @Test(.enabled(if: managedIsPresent, "needs ../shared/corpus/aws-managed"))
    func powerUserAccessIsNotAction() throws {
        let (_, found) = try managedGrants("PowerUserAccess")
        let notAction = try #require(found.first)
        #expect(notAction.kind == .notAction)
        let excluded = ["iam", "organizations", "account"].map { catalog.service($0)!.actions.count }.reduce(0, +)
        #expect(notAction.actionCount == catalog.actionCount - excluded)
        #expect(found.filter { $0.kind == .notAction }.count == 1)
    }

    @Test(.enabled(if: managedIsPresent, "needs ../shared/corpus/aws-managed"), arguments: managedNames)
    func managedPolicyFindingsAreConsistent(_ name: String) throws {
        let (policy, found) = try managedGrants(name)
        for grant in found {
            let statement = policy.statements[grant.statementIndex]
            #expect(statement.effect?.value == .allow, "\(name): finding on a statement that is not Allow")
            #expect(grant.conditional == (statement.condition != nil))
            #expect(grant.examples.count == min(5, grant.actionCount))
            #expect(grant.examples == grant.examples.sorted { $0.lowercased() < $1.lowercased() })
            switch grant.kind {
            case .everyAction:
                #expect(grant.actionCount == catalog.actionCount)
            case .serviceWide:
                let service = String(grant.pattern.prefix { $0 != ":" })
                #expect(grant.actionCount == (catalog.service(service)?.actions.count ?? 0))
            case .actionWildcard:
                #expect(grant.pattern.contains("*") || grant.pattern.contains("?"))
                #expect(catalog.action(grant.pattern) == nil)
            case .notAction:
                #expect(statement.action?.isNot == true)
            case .everyResource:
                #expect(grant.actionCount > 0)
                #expect(grant.examples.allSatisfy { catalog.action($0)?.supportsResourceLevelPermissions == true })
            }
        }
        #expect(found.map(\.statementIndex) == found.map(\.statementIndex).sorted())
    }
}
