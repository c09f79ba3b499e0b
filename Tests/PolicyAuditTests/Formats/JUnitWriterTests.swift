import Foundation
import Testing
@testable import PolicyAudit

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct JUnitWriterTests {
    let text = JUnitWriter.render(FormatsFixture.report)

    private func root(_ text: String) throws -> XMLElement {
        try #require(XMLDocument(data: Data(text.utf8), options: []).rootElement())
    }

    private func attributes(_ element: XMLElement, _ names: String...) -> [String] {
        names.map { element.attribute(forName: $0)?.stringValue ?? "<none>" }
    }

    private func elements(_ node: XMLNode, _ xpath: String) throws -> [XMLElement] {
        try node.nodes(forXPath: xpath).compactMap { $0 as? XMLElement }
    }

    @Test func rootCountsEveryTestcase() throws {
        let top = try root(text)
        #expect(top.name == "testsuites")
        #expect(attributes(top, "name", "tests", "failures", "errors", "skipped", "time") == ["policyprover", "11", "6", "2", "1", "12.500"])
        #expect(try elements(top, "//testcase").count == 11)
        #expect(try elements(top, "//testcase/failure").count == 6)
        #expect(try elements(top, "//testcase/error").count == 2)
        #expect(try elements(top, "//testcase/skipped").count == 1)
    }

    @Test func oneSuitePerFileWithItsOwnCounts() throws {
        let suites = try elements(try root(text), "testsuite")
        try #require(suites.count == 6)
        #expect(suites.map { attributes($0, "name", "tests", "failures", "errors", "skipped") } == [
            [FormatsFixture.adminRole, "4", "2", "0", "0"],
            [FormatsFixture.broken, "1", "0", "1", "0"],
            [FormatsFixture.bucket, "2", "1", "1", "0"],
            [FormatsFixture.stack, "3", "3", "0", "0"],
            [FormatsFixture.legacy, "1", "0", "0", "1"],
            [FormatsFixture.package, "0", "0", "0", "0"],
        ])
        #expect(suites[5].childCount == 0)
    }

    @Test func testcasesAreNamedByPolicyAndCheck() throws {
        let cases = try elements(try root(text), "//testcase")
        try #require(cases.count == 11)
        #expect(cases.map { attributes($0, "classname", "name") } == [
            ["accounts/admin-role.json.policy", "validation"],
            ["accounts/admin-role.json.policy", "admin-equivalent"],
            ["accounts/admin-role.json.policy", "privilege-escalation"],
            ["accounts/admin-role.json.policy", "no-public-access"],
            ["broken/bad.json", "read"],
            ["buckets/public bucket & co.json.policy", "validation"],
            ["buckets/public bucket & co.json.policy", "no-public-access"],
            ["cfn/stack.yaml.Resources.AppRole.AssumeRolePolicyDocument", "no-external-access"],
            ["cfn/stack.yaml.Resources.DeployPolicy.PolicyDocument", "spec/no-iam-writes"],
            ["cfn/stack.yaml.Resources.DeployPolicy.PolicyDocument", "spec/s3-only-to-our-bucket"],
            ["legacy/no-checks.json.policy", "(no checks)"],
        ])
        #expect(cases[0].childCount == 0)
        #expect(cases[3].childCount == 0)
    }

    @Test func failuresAndErrorsCarryTypeMessageAndIssues() throws {
        let top = try root(text)
        let failures = try elements(top, "//failure")
        try #require(failures.count == 6)
        #expect(failures.map { attributes($0, "type") } == [
            ["admin-equivalent"], ["privilege-escalation"], ["validation"], ["unknown"], ["spec/no-iam-writes"], ["unknown"],
        ])
        #expect(failures[0].stringValue == """
            accounts/admin-role.json:5:7: Statement "FullAccess" allows "*" on "*"
                accounts/admin-role.json:7:19: Action "*"
                accounts/admin-role.json:8:21: Resource "*"
            """)
        #expect(attributes(failures[1], "message") == ["2 statements allow privilege escalation"])
        #expect(attributes(failures[5], "message") == ["UNKNOWN: Z3 gave up after 10 s (timeout)"])
        #expect(failures[4].stringValue?.contains("spec.yaml:4:5: the invariant no-iam-writes") == true)

        let errors = try elements(top, "//error")
        try #require(errors.count == 2)
        #expect(errors.map { attributes($0, "type", "message") } == [
            ["SYNTAX_ERROR", "expected ',' or '}' after a value"],
            ["no-public-access", "not checked: the policy is not valid"],
        ])
        #expect(errors[0].stringValue == "broken/bad.json:3:1: expected ',' or '}' after a value")
    }

    @Test func specialAndForbiddenCharactersAreEscaped() throws {
        let validation = try #require(elements(try root(text), "//failure[@type='validation']").first)
        let expected = FormatsFixture.trickyMessage.replacingOccurrences(of: "\u{1B}", with: "\u{FFFD}")
            .replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
        #expect(validation.stringValue?.hasPrefix("buckets/public bucket & co.json:3:5: " + expected + "\n") == true)
        #expect(!text.contains("\u{1B}") && !text.contains("\u{0}"))
        #expect(JUnitWriter.escape("<a b='c'>&\"d\"\n") == "&lt;a b=&apos;c&apos;&gt;&amp;&quot;d&quot;&#10;")
        #expect(JUnitWriter.escape("x\ny\u{1}", inAttribute: false) == "x\ny\u{FFFD}")

        var file = FormatsFixture.files[0]
        file.policies[0].checks[1].message = "a\tb\nc\r<d> & 'e' \"f\" \u{FFFE}\u{7}"
        let parsed = try root(JUnitWriter.render(AuditReport(version: "1", command: "check", files: [file], seconds: .nan)))
        let failure = try #require(elements(parsed, "//failure").first)
        #expect(attributes(failure, "message") == ["a\tb\nc\r<d> & 'e' \"f\" \u{FFFD}\u{FFFD}"])
        #expect(attributes(parsed, "time") == ["0.000"])
    }

    @Test func outputIsDeterministic() {
        #expect(JUnitWriter.render(FormatsFixture.report) == text)
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "))
    }
}
