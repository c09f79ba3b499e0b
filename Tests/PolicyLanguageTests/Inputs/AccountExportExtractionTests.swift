import Foundation
import Testing
@testable import PolicyLanguage

@Suite("Account authorization details extraction")
struct AccountExportExtractionTests {
    static let file = "account-authorization-details.json"
    let extracted = InputFixtures.extract(Self.file)

    @Test func everyPrincipalsPoliciesAreFound() {
        #expect(extracted.format == .accountExport)
        #expect(extracted.findings.isEmpty)
        let found = extracted.policies.map { "\($0.name) | \($0.type)" }
        #expect(found == [
            "user/alice inline s3-read | identity",
            "group/developers inline ec2-describe | identity",
            "role/app-role (trust) | trust",
            "role/app-role inline logs | identity",
            "role/ec2-legacy (trust) | trust",
            "policy/arn:aws:iam::123456789012:policy/deploy (v3) | identity",
            "policy/arn:aws:iam::123456789012:policy/boundary (v1) | identity",
        ])
        for policy in extracted.policies {
            #expect(policy.validationErrors.isEmpty, "\(policy.name): \(policy.validationErrors)")
        }
    }

    @Test func onlyTheDefaultVersionOfAManagedPolicyIsExtracted() throws {
        let deploy = try #require(extracted.policy("policy/arn:aws:iam::123456789012:policy/deploy (v3)"))
        #expect(deploy.statements.map(\.actionTexts) == [["s3:PutObject"]])
        #expect(!extracted.policies.contains { $0.name.contains("(v1)") && $0.name.contains("deploy") })
        #expect(!extracted.policies.contains { $0.name.contains("(v2)") })
        // Located in the file: the v3 document's action.
        let text = InputFixtures.text(Self.file)
        #expect(start(deploy.statements.first?.action?.patterns.first?.span) == pair(InputFixtures.location(of: #""s3:PutObject""#, inText: text)))
    }

    @Test func urlEncodedDocumentIsDecodedAndLocatedAtItsString() throws {
        let legacy = try #require(extracted.policy("role/ec2-legacy (trust)"))
        let statement = try #require(legacy.statements.first)
        #expect(statement.principalTexts == ["Service:ec2.amazonaws.com"])
        #expect(statement.actionTexts == ["sts:AssumeRole"])
        let string = try #require(InputFixtures.location(of: #""%7B%22Version"#, in: Self.file))
        #expect(start(statement.span) == [string.line, string.column])
        #expect(start(legacy.parsed.policy?.span) == [string.line, string.column])
    }

    @Test func objectDocumentsKeepTheirLocations() throws {
        let alice = try #require(extracted.policy("user/alice inline s3-read"))
        #expect(alice.statements.first?.resourceTexts == ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"])
        let group = try #require(extracted.policy("group/developers inline ec2-describe"))
        #expect(group.parsed.policy?.statementIsSingleObject == true)
        #expect(start(group.statements.first?.action?.patterns.first?.span) == pair(InputFixtures.location(of: #""ec2:Describe*""#, in: Self.file)))
    }

    @Test func listsOfTheWrongTypeAreErrorsNotSilence() {
        let export = #"{"UserDetailList": [{"UserName": "u", "UserPolicyList": "oops"}], "Policies": [{"Arn": "arn:aws:iam::1:policy/p", "PolicyVersionList": {"x": 1}}], "GroupDetailList": null, "RoleDetailList": 7}"#
        let extracted = PolicyExtractor.extract(bytes: Array(export.utf8), file: "export.json")
        #expect(extracted.format == .accountExport)
        #expect(extracted.policies.isEmpty)
        #expect(extracted.findings.map(\.message).sorted() == [
            "RoleDetailList must be an array, found a number",
            "policy/arn:aws:iam::1:policy/p PolicyVersionList must be an array, found an object",
            "user/u UserPolicyList must be an array, found a string",
        ])
        #expect(extracted.findings.allSatisfy { $0.code == .invalidPolicyProperty && $0.severity == .error && $0.span.start.line == 1 })
    }
}
