import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `--format sarif` and `--format junit` on every checking command, through the real binary: SARIF
/// that the official 2.1.0 schema accepts and that points at the granting lines, JUnit with one
/// testcase per policy and check.
@Suite("--format sarif / junit (real binary)")
struct ReportFormatTests {
    static let schema = PolicyProverBinary.repositoryRoot.appendingPathComponent("Tests/PolicyAuditTests/Fixtures/sarif-schema-2.1.0.json").path
    static let hasJSONSchema: Bool = (try? python(["-c", "import jsonschema"]).status) == 0

    static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The results as `ruleId level file:line`.
    private func results(_ sarif: String) throws -> [String] {
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        return (run["results"] as? [[String: Any]] ?? []).map { result in
            let physical = ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]) ?? [:]
            let uri = (physical["artifactLocation"] as? [String: Any])?["uri"] as? String ?? "?"
            let line = (physical["region"] as? [String: Any])?["startLine"] as? Int ?? 0
            return "\(result["ruleId"] as? String ?? "?") \(result["level"] as? String ?? "?") \(uri):\(line)"
        }
    }

    @Test(.enabled(if: hasJSONSchema, "needs python3-jsonschema (make test installs it)"), arguments: [
        ["validate", "--format", "sarif", "Policies/samples/"],
        ["check", "--format", "sarif", "--spec", "Policies/specs/no-iam-writes.yaml", "Policies/examples/ci-deployer.json", "Policies/examples/ci-deployer-fixed.json"],
        ["diff", "--format", "sarif", "Policies/diff/bucket-v1.json", "Policies/diff/bucket-v2-whole-account.json"],
        ["audit", "--no-cache", "--format", "sarif", "Tests/EndToEndTests/Fixtures/audit-tree"],
    ])
    func sarifValidatesAgainstTheSchema(arguments: [String]) throws {
        let output = try PolicyProverBinary.run(arguments)
        let file = NSTemporaryDirectory() + "policyprover-\(UUID().uuidString).sarif"
        try output.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let check = try Self.python(["-c", "import json,sys,jsonschema; jsonschema.Draft7Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))", Self.schema, file])
        #expect(check.status == 0, "\(check.output)")
        #expect(try !results(output.stdout).isEmpty)
    }

    @Test func sarifPointsAtTheGrantingLines() throws {
        let diff = try PolicyProverBinary.run(["diff", "--format", "sarif", "Policies/diff/bucket-v1.json", "Policies/diff/bucket-v2-whole-account.json"])
        #expect(diff.status == 1)
        #expect(try results(diff.stdout) == ["no-new-access error Policies/diff/bucket-v2-whole-account.json:4"])
        let check = try PolicyProverBinary.run(["check", "--format", "sarif", "--spec", "Policies/specs/no-iam-writes.yaml", "Policies/examples/ci-deployer.json"])
        #expect(check.status == 1)
        #expect(try results(check.stdout).contains("no-iam-writes error Policies/examples/ci-deployer.json:10"))
        let validate = try PolicyProverBinary.run(["validate", "--format", "sarif", "Tests/EndToEndTests/Fixtures/audit-tree/plain/admin.json"])
        #expect(try results(validate.stdout) == [
            "PASS_ROLE_WILDCARD_RESOURCE warning Tests/EndToEndTests/Fixtures/audit-tree/plain/admin.json:4",
            "FULL_ACCESS warning Tests/EndToEndTests/Fixtures/audit-tree/plain/admin.json:4",
        ])
    }

    @Test func junitHasATestcasePerPolicyAndCheck() throws {
        let output = try PolicyProverBinary.run(["check", "--format", "junit", "--spec", "Policies/specs/no-iam-writes.yaml", "Policies/examples/ci-deployer.json", "Policies/examples/ci-deployer-fixed.json"])
        #expect(output.status == 1)
        let document = try XMLDocument(data: Data(output.stdout.utf8))
        let root = try #require(document.rootElement())
        #expect(root.name == "testsuites")
        #expect(root.attribute(forName: "failures")?.stringValue == "1")
        let cases = try root.nodes(forXPath: "//testcase") as? [XMLElement] ?? []
        #expect(cases.count == 4)
        let failed = try root.nodes(forXPath: "//testcase[failure]") as? [XMLElement] ?? []
        #expect(failed.map { $0.attribute(forName: "classname")?.stringValue ?? "" } == ["Policies/examples/ci-deployer.json.policy"])
        #expect(failed.first?.attribute(forName: "name")?.stringValue == "no-iam-writes")
        #expect((try failed.first?.nodes(forXPath: "failure").first?.stringValue ?? "").contains("Policies/examples/ci-deployer.json:10:5"))
    }

    @Test func simulateRefusesFindingFormats() throws {
        let output = try PolicyProverBinary.run(["simulate", "--format", "sarif", "--request", "Policies/requests/alice-reads-her-home-folder.json", "--identity-policy", "Policies/samples/identity-s3-home-directory-username-variable.json"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("simulate reports a decision, not findings"))
    }
}
