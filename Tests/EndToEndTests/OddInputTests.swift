import Foundation
import Testing

/// Odd but readable inputs (`Fixtures/odd/`, expectations in `EXPECTED.tsv`) through `check`: each
/// gets exactly its verdicts, and a policy AWS would refuse shows its error where it is written and
/// exits 2, whatever the proofs say (never a silent pass).
@Suite("Odd inputs through check (real binary)")
struct OddInputTests {
    struct Expectation: Sendable, CustomTestStringConvertible {
        var file: String
        var status: Int32
        var verdicts: [String: String]
        var error: (code: String, place: String)?
        var testDescription: String { file }
    }

    static let folder = PolicyProverBinary.fixtures.appendingPathComponent("odd")

    static var expectations: [Expectation] {
        let text = (try? String(contentsOf: folder.appendingPathComponent("EXPECTED.tsv"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 4, let status = Int32(fields[1]) else { return nil }
            var verdicts: [String: String] = [:]
            for pair in fields[2].split(separator: ",") where pair.contains("=") {
                let parts = pair.split(separator: "=").map(String.init)
                verdicts[parts[0]] = parts[1]
            }
            let error = fields[3] == "-" ? nil : fields[3].split(separator: "@").map(String.init)
            return Expectation(file: fields[0], status: status, verdicts: verdicts, error: error.map { ($0[0], $0[1]) })
        }
    }

    @Test func everyFileHasAnExpectation() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".json") }
        #expect(Set(files) == Set(Self.expectations.map(\.file)))
    }

    @Test(arguments: expectations)
    func checksToItsExpectation(_ expected: Expectation) throws {
        let file = "Tests/EndToEndTests/Fixtures/odd/\(expected.file)"
        let output = try PolicyProverBinary.run(["check", "--spec", "Tests/EndToEndTests/Fixtures/odd/spec.yaml", file])
        #expect(output.status == expected.status, "\(output.stdout)\(output.stderr)")
        for (name, verdict) in expected.verdicts {
            #expect(output.stdout.contains("\(verdict) \(name)"), "\(name): \(output.stdout)")
        }
        if let error = expected.error {
            #expect(output.stderr.contains("\(file):\(error.place): error[\(error.code)]"), "\(output.stderr)")
        } else {
            #expect(!output.stderr.contains("error["), "\(output.stderr)")
        }
    }
}
