import Foundation
import PolicyLanguage

/// Paths of the repository and of `../shared`, found from this file's location.
enum TestPaths {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let shared: URL = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")

    static var sharedIsPresent: Bool {
        FileManager.default.fileExists(atPath: shared.appendingPathComponent("corpus/aws-managed").path)
    }

    static let fixtures: URL = repositoryRoot.appendingPathComponent("Tests/PolicyLanguageTests/Fixtures")
}

/// Parses `text` as the file `file` and fails the caller loudly when it has no policy.
func parsePolicy(_ text: String, file: String = "test.json") -> ParsedPolicy {
    PolicyParser.parse(text: text, file: file)
}

/// Validates `text` as a policy of `type` and returns every finding (reading, decoding and rules).
func findings(_ text: String, as type: PolicyType? = nil, catalog: ActionCatalog? = nil) -> [Finding] {
    PolicyValidator(catalog: catalog).report(for: parsePolicy(text), as: type).findings
}

/// The bundled catalogue, loaded once for all tests.
let testCatalog: ActionCatalog = ActionCatalog.bundled
