import Foundation
import Testing

@Suite("policyprover validate (real binary)")
struct ValidateCommandTests {
    struct MalformedCase: CustomTestStringConvertible, Sendable {
        let file: String
        let exit: Int32
        let code: String
        let location: String
        var testDescription: String { file }
    }

    static let malformedCases: [MalformedCase] = {
        let manifest = PolicyProverBinary.fixtures.appendingPathComponent("malformed/EXPECTED.tsv")
        let text = (try? String(contentsOf: manifest, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: "\t").map(String.init)
            return MalformedCase(file: fields[0], exit: Int32(fields[1])!, code: fields[2], location: fields[3])
        }
    }()

    @Test func manifestIsComplete() throws {
        let directory = PolicyProverBinary.fixtures.appendingPathComponent("malformed")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 != "EXPECTED.tsv" }
        #expect(Set(files) == Set(Self.malformedCases.map(\.file)))
        #expect(Self.malformedCases.count >= 14)
    }

    @Test(arguments: malformedCases)
    func malformedInputIsLocatedAndExitsTwo(_ testCase: MalformedCase) throws {
        let path = "Tests/EndToEndTests/Fixtures/malformed/\(testCase.file)"
        let output = try PolicyProverBinary.run(["validate", path])
        #expect(output.status == testCase.exit, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("\(path):\(testCase.location): error[\(testCase.code)]"), "\(output.stdout)")
        // The source line and a caret are shown under the first diagnostic.
        #expect(output.stdout.contains("^"))
    }

    @Test func cleanPolicyExitsZero() throws {
        let path = "Policies/samples/identity-ec2-single-region.json"
        let output = try PolicyProverBinary.run(["validate", "--fail-on", "security-warning", path])
        #expect(output.status == 0, "\(output.stdout)")
        #expect(output.stdout.contains("1 file checked, 1 clean"))
    }

    @Test func jsonFormatIsParseable() throws {
        let path = "Tests/EndToEndTests/Fixtures/malformed/effect-case.json"
        let output = try PolicyProverBinary.run(["validate", "--format", "json", path])
        #expect(output.status == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let files = try #require(object["files"] as? [[String: Any]])
        let findings = try #require(files.first?["findings"] as? [[String: Any]])
        let first = try #require(findings.first)
        #expect(first["code"] as? String == "EFFECT_CASE")
        let location = try #require(first["location"] as? [String: Any])
        #expect(location["line"] as? Int == 5)
        #expect(location["column"] as? Int == 17)
    }

    @Test func directoryIsWalkedAndOtherFilesGoOn() throws {
        let output = try PolicyProverBinary.run(["validate", "Tests/EndToEndTests/Fixtures/malformed"])
        #expect(output.status == 2)
        // Every malformed file is reported, not just the first.
        for testCase in Self.malformedCases where testCase.file.hasSuffix(".json") || testCase.file.hasSuffix(".yaml") {
            #expect(output.stdout.contains(testCase.file), "\(testCase.file) missing")
        }
    }

    @Test func missingFileIsUnreadable() throws {
        let output = try PolicyProverBinary.run(["validate", "no/such/file.json"])
        #expect(output.status == 2)
        #expect(output.stdout.contains("no/such/file.json:1:1: error[UNREADABLE_FILE]"))
    }

    @Test func versionAndHelp() throws {
        let version = try PolicyProverBinary.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        let help = try PolicyProverBinary.run(["validate", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Examples:"))
        #expect(help.stdout.contains("--policy-type"))
    }

    @Test func usageErrorExitsTwo() throws {
        let output = try PolicyProverBinary.run(["validate", "--policy-type", "banana", "x.json"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("banana"))
    }
}
