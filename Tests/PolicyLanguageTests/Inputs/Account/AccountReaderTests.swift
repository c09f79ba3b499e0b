import Foundation
import Testing
@testable import PolicyLanguage

/// The account fixtures: `Tests/PolicyAccountTests/Fixtures/accounts/` (excluded from its target),
/// found from the repository root.
enum AccountReaderFixtures {
    static let directory: URL = TestPaths.repositoryRoot.appendingPathComponent("Tests/PolicyAccountTests/Fixtures/accounts")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func text(_ name: String) -> String {
        (try? String(contentsOfFile: path(name), encoding: .utf8)) ?? ""
    }

    /// `[line, column]` of the `occurrence`-th `needle` in the fixture, by plain text search.
    static func location(of needle: String, occurrence: Int = 1, in name: String) -> [Int]? {
        pair(InputFixtures.location(of: needle, occurrence: occurrence, inText: text(name)))
    }

    static let export = AccountReader.read(exportAt: path("small-export.json"), displayName: "small-export.json")
    static let folder = AccountReader.read(folderAt: path("small-folder"), displayName: "small-folder")

    static let corpus = TestPaths.shared.appendingPathComponent("corpus/aws-managed")
}

/// A fresh temporary folder, removed by the caller with `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("account-reader-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ relative: String, _ text: String) throws {
        let file = URL(fileURLWithPath: path).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

extension AccountInventory {
    func principal(_ label: String) -> AccountPrincipal? { principals.first { $0.label == label } }
    func user(_ name: String) -> IAMUser? { users.first { $0.name == name } }
    func role(_ name: String) -> IAMRole? { roles.first { $0.name == name } }
    func group(_ name: String) -> IAMGroup? { groups.first { $0.name == name } }
    /// Findings as `file:line:column CODE severity`.
    var findingTexts: [String] { findings.map { "\($0.span) \($0.code) \($0.severity.rawValue)" } }
}

extension AccountPrincipal {
    var provenances: [String] { identityPolicies.map(\.provenance) }
}

extension AttachedPolicy {
    var actionTexts: [[String]] { parsed.policy?.statements.map(\.actionTexts) ?? [] }
}

/// `file:line:column` for a `[line, column]` pair.
private func at(_ file: String, _ location: [Int]?) -> String {
    "\(file):\(location?[0] ?? -1):\(location?[1] ?? -1)"
}

@Suite("AccountReader: export")
struct AccountReaderExportTests {
    static let file = "small-export.json"
    let inventory = AccountReaderFixtures.export

    func location(_ needle: String, occurrence: Int = 1) -> [Int]? {
        AccountReaderFixtures.location(of: needle, occurrence: occurrence, in: Self.file)
    }

    @Test func principalsAreUsersThenRolesInInputOrder() {
        #expect(inventory.accountID == "111122223333")
        #expect(inventory.principals.map(\.label) == ["user/alice", "user/bob", "user/carol", "role/app-role", "role/ec2-reader", "role/deployer"])
        #expect(inventory.groups.map(\.name) == ["developers", "auditors"])
        #expect(inventory.user("carol")?.arn == "arn:aws:iam::111122223333:user/carol", "an entry without Arn gets one built")
        #expect(inventory.principal("role/deployer")?.arn == "arn:aws:iam::111122223333:role/deployer")
        #expect(inventory.principals.allSatisfy { $0.accountID == "111122223333" })
    }

    @Test func entrySpansAreTheEntryObjects() {
        // The object holding `"UserName": "bob"` starts on the line of its `{`, two lines above.
        let bob = location(#""UserName": "bob""#)
        #expect(inventory.user("bob")?.span.start.line == bob.map { $0[0] - 2 })
        #expect(inventory.user("bob")?.span.file == Self.file)
        let role = location(#""RoleName": "ec2-reader""#)
        #expect(inventory.role("ec2-reader")?.span.start.line == role.map { $0[0] - 2 })
    }

    @Test func onlyTheExpectedFindingsAreReported() {
        #expect(inventory.findingTexts == [
            at(Self.file, location(#""ghosts""#)) + " UNRESOLVED_ACCOUNT_REFERENCE error",
            at(Self.file, location(#""arn:aws:iam::111122223333:policy/missing""#)) + " UNRESOLVED_ACCOUNT_REFERENCE error",
            at(Self.file, location(#""arn:aws:iam::aws:policy/SecurityAudit""#)) + " UNRESOLVED_ACCOUNT_REFERENCE error",
        ])
    }

    @Test(arguments: [
        ("user/alice", ["inline send-jobs", "managed arn:aws:iam::111122223333:policy/deploy",
                        "group/developers → inline ec2-describe", "group/developers → managed arn:aws:iam::111122223333:policy/deploy"]),
        ("user/bob", ["managed arn:aws:iam::aws:policy/ReadOnlyAccess"]),
        ("user/carol", ["group/developers → inline ec2-describe", "group/developers → managed arn:aws:iam::111122223333:policy/deploy"]),
        ("role/app-role", ["inline logs"]),
        ("role/ec2-reader", ["managed arn:aws:iam::aws:policy/ReadOnlyAccess"]),
        ("role/deployer", ["managed arn:aws:iam::111122223333:policy/deploy"]),
    ])
    func effectivePoliciesComeWithTheirProvenance(label: String, expected: [String]) throws {
        let principal = try #require(inventory.principal(label))
        #expect(principal.provenances == expected)
        #expect(principal.identityPolicies.allSatisfy { $0.attached.parsed.isWellFormed })
    }

    @Test func viaGroupNamesTheGroup() throws {
        let carol = try #require(inventory.principal("user/carol"))
        #expect(carol.identityPolicies.map(\.viaGroup) == ["developers", "developers"])
        let alice = try #require(inventory.principal("user/alice"))
        #expect(alice.identityPolicies.map(\.viaGroup) == [nil, nil, "developers", "developers"])
    }

    @Test func theDefaultVersionOfAManagedPolicyIsUsed() throws {
        let deployer = try #require(inventory.principal("role/deployer"))
        let deploy = try #require(deployer.identityPolicies.first?.attached)
        #expect(deploy.actionTexts == [["s3:PutObject"]], "v2 is the default; v1 (s3:*) must not be used")
        #expect(start(deploy.parsed.policy?.statements.first?.action?.patterns.first?.span) == location(#""s3:PutObject""#))
    }

    @Test func permissionsBoundariesAreResolved() throws {
        let alice = try #require(inventory.principal("user/alice"))
        let boundary = try #require(alice.boundary)
        #expect(boundary.origin == .managed(arn: "arn:aws:iam::111122223333:policy/boundary"))
        #expect(boundary.actionTexts == [["s3:*", "sqs:*", "logs:*"]])
        #expect(inventory.principal("role/app-role")?.boundary?.origin == .managed(arn: "arn:aws:iam::111122223333:policy/boundary"))
        #expect(inventory.principal("user/bob")?.boundary == nil)
    }

    @Test func trustPoliciesAreRead() throws {
        let trust = try #require(inventory.principal("role/ec2-reader")?.trust)
        #expect(trust.policy?.statements.first?.principalTexts == ["Service:ec2.amazonaws.com"])
        #expect(inventory.principal("user/alice")?.trust == nil)
    }

    @Test func aURLEncodedDocumentIsDecodedAndLocatedAtItsString() throws {
        let alice = try #require(inventory.user("alice"))
        let inline = try #require(alice.policies.first)
        #expect(inline.origin == .inline(name: "send-jobs"))
        #expect(inline.actionTexts == [["sqs:SendMessage"]])
        #expect(inline.parsed.policy?.statements.first?.resourceTexts == ["arn:aws:sqs:us-east-1:111122223333:jobs"])
        let string = location(#""%7B%22Version"#)
        #expect(string != nil)
        #expect(start(inline.parsed.policy?.statements.first?.span) == string)
        #expect(inline.parsed.policy?.span.file == Self.file)
    }

    @Test func aMissingManagedPolicyIsLocatedAtItsARNAndUnresolved() throws {
        let arn = location(#""arn:aws:iam::111122223333:policy/missing""#)
        let bob = try #require(inventory.user("bob"))
        #expect(bob.unresolved.map { start($0.span) } == [arn])
        #expect(bob.unresolved.first?.code == .unresolvedAccountReference)
        #expect(bob.unresolved.first?.message.contains("arn:aws:iam::111122223333:policy/missing") == true)
        #expect(bob.policies.map(\.origin.description) == ["managed arn:aws:iam::aws:policy/ReadOnlyAccess"], "the missing attachment is omitted")
    }

    @Test func aGroupsUnresolvedPartsReachEveryMember() throws {
        let audit = location(#""arn:aws:iam::aws:policy/SecurityAudit""#)
        #expect(inventory.group("auditors")?.unresolved.map { start($0.span) } == [audit])
        let bob = try #require(inventory.principal("user/bob"))
        #expect(bob.unresolved.map { start($0.span) } == [location(#""arn:aws:iam::111122223333:policy/missing""#), audit])
        let carol = try #require(inventory.principal("user/carol"))
        #expect(carol.unresolved.map { start($0.span) } == [audit])
        #expect(inventory.principal("role/deployer")?.unresolved.isEmpty == true)
    }

    @Test func aNonexistentGroupIsAnErrorAtItsName() throws {
        let ghosts = location(#""ghosts""#)
        let alice = try #require(inventory.principal("user/alice"))
        #expect(alice.unresolved.map { start($0.span) } == [ghosts])
        #expect(alice.unresolved.first?.code == .unresolvedAccountReference)
        #expect(alice.unresolved.first?.message.contains("ghosts") == true)
        #expect(inventory.user("alice")?.groups == ["developers", "ghosts"])
        #expect(inventory.findings.contains { $0.code == .unresolvedAccountReference && start($0.span) == ghosts })
    }

    @Test func readAtAFileReadsTheExport() {
        let read = AccountReader.read(at: AccountReaderFixtures.path(Self.file), displayName: Self.file)
        #expect(read.principals.map(\.label) == inventory.principals.map(\.label))
        #expect(read.findingTexts == inventory.findingTexts)
    }
}

@Suite("AccountReader: export errors")
struct AccountReaderExportErrorTests {
    @Test(arguments: [
        ("{\n  \"UserDetailList\": [\n    {\"UserName\": \"a\",,}\n  ]\n}\n", 3),
        ("{\n  \"UserDetailList\": [\n", 3),
        ("{\"Policies\": [}\n", 1),
        ("\n\n{\"UserDetailList\": [], \"UserDetailList\": []}", 3),
    ])
    func malformedJSONIsOneLocatedFinding(text: String, line: Int) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("broken.json", text)
        let inventory = AccountReader.read(exportAt: folder.path + "/broken.json", displayName: "broken.json")
        #expect(inventory.findings.count == 1)
        let finding = try #require(inventory.findings.first)
        #expect(finding.severity == .error)
        #expect(finding.span.file == "broken.json")
        #expect(finding.span.start.line == line)
        #expect(finding.span.start.column >= 1)
        #expect(inventory.users.isEmpty && inventory.groups.isEmpty && inventory.roles.isEmpty)
        #expect(AccountReader.read(exportText: text, file: "broken.json").findingTexts == inventory.findingTexts)
    }

    @Test func anUnreadableExportIsAFinding() {
        let inventory = AccountReader.read(exportAt: "/nonexistent/account.json")
        #expect(inventory.findings.map(\.code) == [.unreadableFile])
        #expect(inventory.principals.isEmpty)
    }

    @Test(arguments: ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"])
    func aTopLevelListOfTheWrongTypeIsAnError(key: String) throws {
        let text = "{\n  \"\(key)\": {}\n}\n"
        let inventory = AccountReader.read(exportText: text, file: "wrong.json")
        let errors = inventory.findings.filter { $0.severity == .error }
        #expect(errors.count == 1)
        #expect(errors.first.map { "\($0.span)" } == at("wrong.json", pair(InputFixtures.location(of: "{}", inText: text))))
        #expect(errors.first?.message.contains(key) == true)
    }

    /// A member of a user entry, and the text that the error must be located at (its start plus `offset`).
    @Test(arguments: [
        (#""UserPolicyList": "nope""#, #""nope""#, 0),
        (#""AttachedManagedPolicies": 3"#, ": 3}", 2),
        (#""GroupList": [7]"#, "[7]", 1),
        (#""PermissionsBoundary": []"#, ": []", 2),
        (#""PermissionsBoundary": {"PermissionsBoundaryArn": false}"#, "false", 0),
        (#""UserPolicyList": [{"PolicyName": "p", "PolicyDocument": 12}]"#, ": 12}", 2),
        (#""UserPolicyList": [{"PolicyName": "p", "PolicyDocument": "not a document"}]"#, #""not a document""#, 0),
    ])
    func aNestedValueOfTheWrongTypeIsAnErrorAndUnresolved(member: String, needle: String, offset: Int) throws {
        let text = "{\"UserDetailList\": [\n  {\"UserName\": \"u\", \"Arn\": \"arn:aws:iam::111122223333:user/u\",\n   \(member)}\n]}\n"
        let inventory = AccountReader.read(exportText: text, file: "nested.json")
        let user = try #require(inventory.principal("user/u"))
        let found = try #require(InputFixtures.location(of: needle, inText: text))
        let errors = inventory.findings.filter { $0.severity == .error }
        #expect(errors.count == 1, "\(inventory.findingTexts)")
        #expect(start(errors.first?.span) == [found.line, found.column + offset])
        #expect(user.unresolved == errors)
    }

    @Test func aDocumentThatDoesNotParseIsKeptWithItsFindings() throws {
        let text = #"{"UserDetailList": [{"UserName": "u", "UserPolicyList": [{"PolicyName": "bad", "PolicyDocument": "{\"Version\": \"2012-10-17\", \"Statement\": [}"}]}]}"#
        let inventory = AccountReader.read(exportText: text, file: "bad.json")
        let user = try #require(inventory.user("u"))
        let bad = try #require(user.policies.first)
        #expect(bad.origin == .inline(name: "bad"))
        #expect(bad.parsed.policy == nil)
        #expect(!bad.parsed.findings.isEmpty)
        #expect(user.unresolved == bad.parsed.findings)
        #expect(inventory.findings.contains(bad.parsed.findings[0]))
        #expect(inventory.principal("user/u")?.unresolved == bad.parsed.findings)
    }

    @Test func aManagedPolicyWithoutDefaultVersionIsAnError() throws {
        let text = """
        {"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::111122223333:user/u",
          "AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::111122223333:policy/p"}]}],
         "Policies": [{"Arn": "arn:aws:iam::111122223333:policy/p", "DefaultVersionId": "v9",
          "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": false, "Document": {"Version": "2012-10-17", "Statement": []}}]}]}
        """
        let inventory = AccountReader.read(exportText: text, file: "nodefault.json")
        let user = try #require(inventory.user("u"))
        #expect(user.policies.first?.parsed.policy == nil)
        #expect(user.unresolved.map(\.code) == [.missingPolicyProperty])
        #expect(inventory.findings.map(\.code) == [.missingPolicyProperty])
    }

    @Test func theDefaultVersionIdIsUsedWhenNoVersionIsFlagged() throws {
        let text = """
        {"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r",
          "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
          "AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::111122223333:policy/p"}]}],
         "Policies": [{"Arn": "arn:aws:iam::111122223333:policy/p", "DefaultVersionId": "v2",
          "PolicyVersionList": [
            {"VersionId": "v1", "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}},
            {"VersionId": "v2", "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]}}]}]}
        """
        let inventory = AccountReader.read(exportText: text, file: "versionid.json")
        #expect(inventory.findings.isEmpty, "\(inventory.findingTexts)")
        #expect(inventory.role("r")?.policies.first?.actionTexts == [["sqs:SendMessage"]])
    }

    @Test func entriesWithoutANameAreSkippedAndReported() throws {
        let text = "{\"UserDetailList\": [\n  {\"Arn\": \"arn:aws:iam::111122223333:user/x\"},\n  {\"UserName\": \"y\"}\n],\n \"RoleDetailList\": [{\"RoleName\": 5}]}"
        let inventory = AccountReader.read(exportText: text, file: "names.json")
        #expect(inventory.principals.map(\.label) == ["user/y"])
        #expect(inventory.user("y")?.arn == "arn:aws:iam::111122223333:user/y")
        let errors = inventory.findings.filter { $0.severity == .error }
        #expect(errors.map { start($0.span) } == [[2, 3], pair(InputFixtures.location(of: "5", inText: text))])
    }

    @Test func aRoleWithoutTrustPolicyIsReportedButItsPermissionsAreKnown() throws {
        let inventory = AccountReader.read(exportText: #"{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r"}]}"#, file: "notrust.json")
        let role = try #require(inventory.principal("role/r"))
        #expect(role.trust == nil)
        // Who may assume it is open (the account analysis says so); what it may do is not.
        #expect(role.unresolved.isEmpty)
        #expect(inventory.findings.map(\.code) == [.missingPolicyProperty])
        #expect(inventory.findings.first?.span == inventory.role("r")?.span)
    }

    @Test func accountIDWarnings() {
        let none = AccountReader.read(exportText: #"{"UserDetailList": [{"UserName": "a"}]}"#, file: "none.json")
        #expect(none.accountID == "123456789012")
        #expect(none.findings.map(\.code) == [.accountIDUnknown])
        #expect(none.findings.first?.severity == .warning)
        #expect(none.user("a")?.arn == "arn:aws:iam::123456789012:user/a")

        let text = "{\"UserDetailList\": [{\"UserName\": \"a\", \"Arn\": \"arn:aws:iam::111122223333:user/a\"}],\n \"RoleDetailList\": [{\"RoleName\": \"r\", \"Arn\": \"arn:aws:iam::999988887777:role/r\", \"AssumeRolePolicyDocument\": {\"Version\": \"2012-10-17\", \"Statement\": []}}]}"
        let mixed = AccountReader.read(exportText: text, file: "mixed.json")
        #expect(mixed.accountID == "111122223333")
        #expect(mixed.findings.map { "\($0.code) \($0.severity.rawValue)" } == ["ACCOUNT_ID_UNKNOWN warning"])
        #expect(start(mixed.findings.first?.span) == pair(InputFixtures.location(of: "\"arn:aws:iam::9999", inText: text)))
        #expect(mixed.principal("role/r")?.accountID == "999988887777")
    }

    @Test(arguments: [
        "", "null", "[]", "\"text\"", "42", "{}", "{\"Policies\": [1, null, {}, {\"Arn\": 3}]}",
        "{\"UserDetailList\": [null, [], {\"UserName\": {}}]}",
        "{\"Policies\": [{\"Arn\": \"a\", \"PolicyVersionList\": {}}]}",
        "{\"GroupDetailList\": [{\"GroupName\": \"g\", \"GroupPolicyList\": [{\"PolicyName\": \"p\"}], \"AttachedManagedPolicies\": [{}, {\"PolicyArn\": null}]}]}",
        String(repeating: "[", count: 10_000),
        "{\"UserDetailList\": [{\"UserName\": \"u\", \"UserPolicyList\": [{\"PolicyName\": \"p\", \"PolicyDocument\": \"%ZZ%7B\"}]}]}",
    ])
    func hostileExportsNeverCrashAndAreReported(text: String) {
        let inventory = AccountReader.read(exportText: text, file: "hostile.json")
        if text != "{}" {
            #expect(inventory.findings.contains { $0.severity == .error })
        }
        #expect(inventory.findings.allSatisfy { $0.span.file == "hostile.json" })
        _ = inventory.principals
    }
}

@Suite("AccountReader: folder")
struct AccountReaderFolderTests {
    let inventory = AccountReaderFixtures.folder

    static func file(_ relative: String) -> String { "small-folder/" + relative }

    func location(_ needle: String, in relative: String) -> [Int]? {
        AccountReaderFixtures.location(of: needle, in: "small-folder/" + relative)
    }

    @Test func principalsAreSortedByNameWithBuiltARNs() {
        #expect(inventory.accountID == "444455556666")
        #expect(inventory.principals.map(\.label) == ["user/alice", "user/bob", "role/app-role", "role/ci", "role/orphan"])
        #expect(inventory.principals.map(\.arn) == [
            "arn:aws:iam::444455556666:user/alice", "arn:aws:iam::444455556666:user/bob",
            "arn:aws:iam::444455556666:role/app-role", "arn:aws:iam::444455556666:role/ci", "arn:aws:iam::444455556666:role/orphan",
        ])
        #expect(inventory.groups.map(\.arn) == ["arn:aws:iam::444455556666:group/developers", "arn:aws:iam::444455556666:group/readers"])
        #expect(inventory.principal("user/bob")?.span.description == "small-folder/users/bob:1:1")
    }

    @Test func onlyTheExpectedFindingsAreReported() {
        #expect(inventory.findingTexts == [
            "small-folder/notes:1:1 IGNORED_ACCOUNT_ENTRY warning",
            "small-folder/roles/orphan:1:1 MISSING_POLICY_PROPERTY error",
            "small-folder/users/alice/groups.txt:4:3 UNRESOLVED_ACCOUNT_REFERENCE error",
        ])
    }

    @Test(arguments: [
        ("user/alice", ["inline s3-read", "group/developers → inline describe", "group/developers → inline logs"]),
        ("user/bob", ["inline ec2", "group/developers → inline describe", "group/developers → inline logs", "group/readers → inline read"]),
        ("role/app-role", ["inline queue"]),
        ("role/ci", ["inline deploy"]),
        ("role/orphan", ["inline dynamo"]),
    ])
    func effectivePoliciesComeWithTheirProvenance(label: String, expected: [String]) throws {
        let principal = try #require(inventory.principal(label))
        #expect(principal.provenances == expected)
        #expect(principal.identityPolicies.allSatisfy { $0.attached.parsed.isWellFormed })
    }

    @Test func documentsAreLocatedInTheirOwnFiles() throws {
        let alice = try #require(inventory.user("alice"))
        let s3 = try #require(alice.policies.first?.parsed.policy?.statements.first)
        #expect(s3.action?.patterns.first?.span.file == Self.file("users/alice/s3-read.json"))
        #expect(start(s3.action?.patterns.first?.span) == location(#""s3:GetObject""#, in: "users/alice/s3-read.json"))
        let bob = try #require(inventory.user("bob"))
        let ec2 = try #require(bob.policies.first?.parsed.policy?.statements.first)
        #expect(ec2.actionTexts == ["ec2:StartInstances"])
        #expect(ec2.action?.patterns.first?.span.description == at(Self.file("users/bob/ec2.yaml"), location("ec2:StartInstances", in: "users/bob/ec2.yaml")))
    }

    @Test func boundariesAndTrustPoliciesAreRead() throws {
        let alice = try #require(inventory.principal("user/alice"))
        #expect(alice.boundary?.origin == .inline(name: "permissions-boundary"))
        #expect(alice.boundary?.actionTexts == [["s3:*", "ec2:Describe*"]])
        #expect(alice.boundary?.parsed.file == Self.file("users/alice/permissions-boundary.json"))
        #expect(inventory.principal("user/bob")?.boundary == nil)
        let ci = try #require(inventory.principal("role/ci"))
        #expect(ci.boundary?.actionTexts == [["cloudformation:*"]])
        #expect(ci.trust?.policy?.statements.first?.principalTexts == ["AWS:arn:aws:iam::444455556666:root"])
        #expect(ci.trust?.file == Self.file("roles/ci/trust-policy.yaml"))
        #expect(inventory.principal("role/app-role")?.trust?.policy?.statements.first?.principalTexts == ["Service:lambda.amazonaws.com"])
        #expect(!ci.identityPolicies.contains { $0.attached.origin == .inline(name: "trust-policy") })
    }

    @Test func aRoleWithoutTrustPolicyIsUnresolved() throws {
        let orphan = try #require(inventory.principal("role/orphan"))
        #expect(orphan.trust == nil)
        #expect(orphan.unresolved.isEmpty)
        #expect(inventory.findings.contains { "\($0.span) \($0.code)" == "small-folder/roles/orphan:1:1 MISSING_POLICY_PROPERTY" })
        #expect(inventory.principal("role/ci")?.unresolved.isEmpty == true)
    }

    @Test func groupsTxtIsReadAndAnUnknownGroupIsLocatedAtItsLine() throws {
        #expect(inventory.user("alice")?.groups == ["developers", "ghosts"])
        let alice = try #require(inventory.principal("user/alice"))
        let ghosts = location("ghosts", in: "users/alice/groups.txt")
        #expect(alice.unresolved.map { "\($0.span) \($0.code)" } == [at(Self.file("users/alice/groups.txt"), ghosts) + " UNRESOLVED_ACCOUNT_REFERENCE"])
        #expect(inventory.principal("user/bob")?.unresolved.isEmpty == true)
    }

    @Test func readAtAFolderReadsTheFolder() {
        let read = AccountReader.read(at: AccountReaderFixtures.path("small-folder"), displayName: "small-folder")
        #expect(read.principals.map(\.label) == inventory.principals.map(\.label))
        #expect(read.findingTexts == inventory.findingTexts)
    }

    @Test func linksHiddenFilesBadDocumentsAndAMissingAccountID() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("users/dan/good.json", #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#)
        try folder.write("users/dan/broken.json", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n}\n")
        try folder.write("users/dan/.hidden.json", "not even json")
        try folder.write("users/dan/readme.md", "ignored")
        try folder.write(".git/config", "ignored")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/users/dan/linked.json", withDestinationPath: folder.path + "/users/dan/good.json")
        let inventory = AccountReader.read(folderAt: folder.path, displayName: "acct")
        #expect(inventory.accountID == "123456789012")
        let dan = try #require(inventory.principal("user/dan"))
        #expect(dan.provenances == ["inline broken", "inline good"])
        let broken = try #require(dan.identityPolicies.first?.attached.parsed)
        #expect(broken.policy == nil)
        #expect(dan.unresolved == broken.findings)
        #expect(dan.unresolved.first?.span.file == "acct/users/dan/broken.json")
        #expect(dan.unresolved.first?.span.start.line == 4)
        #expect(inventory.findings.map { "\($0.span.file) \($0.code) \($0.severity.rawValue)" } == [
            "acct ACCOUNT_ID_UNKNOWN warning",
            "acct/users/dan/broken.json SYNTAX_ERROR error",
            "acct/users/dan/linked.json IGNORED_ACCOUNT_ENTRY warning",
        ])
    }

    @Test func aMalformedAccountIDAndAFileForAFolderAreErrors() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("account-id", "12345\n")
        try folder.write("roles", "not a folder")
        let inventory = AccountReader.read(folderAt: folder.path, displayName: "acct")
        #expect(inventory.accountID == "123456789012")
        #expect(inventory.findingTexts == ["acct/account-id:1:1 INVALID_POLICY_PROPERTY error", "acct/roles:1:1 INVALID_POLICY_PROPERTY error"])
    }

    @Test func aMissingFolderIsAFinding() {
        let inventory = AccountReader.read(folderAt: "/nonexistent/account")
        #expect(inventory.findings.map(\.code) == [.unreadableFile])
        #expect(inventory.principals.isEmpty)
    }
}

@Suite("AccountReader: principals and the managed-policy corpus")
struct AccountReaderPrincipalsTests {
    @Test func aHandBuiltInventoryStillReportsAnUnknownGroup() {
        let span = SourceSpan(file: "hand", start: SourceLocation(line: 2, column: 1))
        let inventory = AccountInventory(source: "hand", accountID: "111122223333", users: [
            IAMUser(name: "u", arn: "arn:aws:iam::111122223333:user/u", groups: ["nowhere"], span: span),
        ])
        let user = inventory.principals.first
        #expect(user?.unresolved.map { "\($0.span) \($0.code)" } == ["hand:2:1 UNRESOLVED_ACCOUNT_REFERENCE"])
    }

    static let corpusNames = ["AmazonS3ReadOnlyAccess", "SecurityAudit", "PowerUserAccess"]

    @Test(.enabled(if: FileManager.default.fileExists(atPath: AccountReaderFixtures.corpus.path), "../shared/corpus/aws-managed is absent"))
    func managedPoliciesFromTheCorpusAttachedToAUser() throws {
        var policies: [String] = []
        var attachments: [String] = []
        var documents: [String: String] = [:]
        for name in Self.corpusNames {
            let text = try String(contentsOf: AccountReaderFixtures.corpus.appendingPathComponent("\(name).json"), encoding: .utf8)
            documents[name] = text
            let arn = "arn:aws:iam::aws:policy/\(name)"
            attachments.append(#"{"PolicyName": "\#(name)", "PolicyArn": "\#(arn)"}"#)
            policies.append(#"{"PolicyName": "\#(name)", "Arn": "\#(arn)", "DefaultVersionId": "v1", "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "Document": \#(text)}]}"#)
        }
        let export = """
        {"UserDetailList": [{"UserName": "reader", "Arn": "arn:aws:iam::111122223333:user/reader",
          "AttachedManagedPolicies": [\(attachments.joined(separator: ",\n"))]}],
         "Policies": [\(policies.joined(separator: ",\n"))]}
        """
        let inventory = AccountReader.read(exportText: export, file: "corpus-export.json")
        #expect(inventory.findings.isEmpty, "\(inventory.findingTexts)")
        let reader = try #require(inventory.principal("user/reader"))
        #expect(reader.provenances == Self.corpusNames.map { "managed arn:aws:iam::aws:policy/\($0)" })
        #expect(reader.unresolved.isEmpty)
        for (name, effective) in zip(Self.corpusNames, reader.identityPolicies) {
            let text = try #require(documents[name])
            // Independent count of the statements, from Foundation's JSON reader.
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            let statements = (object?["Statement"] as? [Any])?.count ?? 1
            #expect(effective.attached.parsed.isWellFormed, "\(name)")
            #expect(effective.attached.parsed.policy?.statements.count == statements, "\(name)")
            // The first action is located where it is written in the export.
            let first = try #require(effective.attached.parsed.policy?.statements.first?.action?.patterns.first)
            let needle = "\"\(first.text)\""
            let offsetInDocument = try #require(InputFixtures.location(of: needle, inText: text))
            let documentStart = try #require(InputFixtures.location(of: "{\"PolicyName\": \"\(name)\", \"Arn\"", inText: export))
            #expect(first.span.start.line == documentStart.line + offsetInDocument.line - 1, "\(name)")
        }
    }
}
