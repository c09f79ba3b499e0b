import Foundation
import PolicyLanguage
import PolicyVerifier

/// Paths of the repository and of `../shared`.
enum VerifierPaths {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared: URL = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let managed: URL = shared.appendingPathComponent("corpus/aws-managed")
    static var managedIsPresent: Bool { FileManager.default.fileExists(atPath: managed.path) }
    static let samples: URL = repositoryRoot.appendingPathComponent("Policies/samples")
}

/// Parses a policy written inline; traps on a malformed test input (the test is wrong, not the code).
func policy(_ text: String, file: String = "test.json") -> Policy {
    let parsed = PolicyParser.parse(text: text, file: file)
    guard parsed.isEvaluable, let policy = parsed.policy else { fatalError("test policy does not parse: \(parsed.findings)") }
    return policy
}

/// An identity policy from statements written as JSON.
func identity(_ statements: String, file: String = "test.json") -> PolicyUnderTest {
    PolicyUnderTest(policy("{\"Version\":\"2012-10-17\",\"Statement\":[\(statements)]}", file: file), role: .identity)
}

/// A resource policy from statements written as JSON.
func resourcePolicy(_ statements: String, file: String = "test.json") -> PolicyUnderTest {
    PolicyUnderTest(policy("{\"Version\":\"2012-10-17\",\"Statement\":[\(statements)]}", file: file), role: .resource)
}

func managedPolicy(_ name: String) -> PolicyUnderTest? {
    let url = VerifierPaths.managed.appendingPathComponent(name + ".json")
    let parsed = PolicyParser.parse(contentsOf: url.path)
    guard let policy = parsed.policy, parsed.isEvaluable else { return nil }
    return PolicyUnderTest(policy, role: .identity)
}

let prover = Prover(timeout: .seconds(20))
