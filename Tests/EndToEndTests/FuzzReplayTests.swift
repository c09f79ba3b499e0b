import Foundation
import Testing

/// Every input in `Fixtures/fuzz-regressions/` through the fuzz target's replayer (the same code that
/// `scripts/fuzz.sh` fuzzes: reading, extraction, validation, evaluation): none may trap.
@Suite("Fuzz regressions replay (real binary)")
struct FuzzReplayTests {
    static let folder = PolicyProverBinary.fixtures.appendingPathComponent("fuzz-regressions")

    static var inputs: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0 != "README.md" }.sorted()
    }

    static var replayer: URL { PolicyProverBinary.url.deletingLastPathComponent().appendingPathComponent("policyprover-fuzz") }

    @Test func thereAreRegressionInputs() {
        #expect(Self.inputs.count >= 6)
    }

    @Test(arguments: inputs)
    func replaysWithoutATrap(_ name: String) throws {
        let process = Process()
        process.executableURL = Self.replayer
        let path = Self.folder.appendingPathComponent(name).path
        process.arguments = [path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(name): status \(process.terminationStatus)")
        #expect(text.contains("ok \(path)"))
    }
}
