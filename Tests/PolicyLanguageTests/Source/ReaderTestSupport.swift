import Foundation
import Testing
@testable import PolicyLanguage

/// Helpers for the JSON/YAML reader tests.
enum ReaderTestSupport {
    /// `../shared/corpus/aws-managed` beside the repository holding this file (found from `#filePath`:
    /// Tests/PolicyLanguageTests/Source/ is three levels below the root), or `$POLICYPROVER_SHARED`.
    static let corpusDirectory: URL = {
        if let shared = ProcessInfo.processInfo.environment["POLICYPROVER_SHARED"], !shared.isEmpty {
            return URL(fileURLWithPath: shared).appendingPathComponent("corpus/aws-managed")
        }
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.deletingLastPathComponent().appendingPathComponent("shared/corpus/aws-managed")
    }()

    static var corpusIsPresent: Bool {
        FileManager.default.fileExists(atPath: corpusDirectory.path)
    }

    static func json(_ text: String, limits: ReadLimits = .default) -> Result<SourceNode, SourceError> {
        JSONReader.read(Array(text.utf8), file: "test.json", limits: limits)
    }

    static func yaml(_ text: String, limits: ReadLimits = .default) -> Result<SourceNode, SourceError> {
        YAMLReader.read(Array(text.utf8), file: "test.yaml", limits: limits)
    }

    /// Whether two trees are equal except for spans (kinds, keys, order, values and tags).
    static func sameShape(_ left: SourceNode, _ right: SourceNode) -> Bool {
        guard left.tag == right.tag else { return false }
        switch (left.kind, right.kind) {
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && sameShape($0.value, $1.value) }
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { sameShape($0, $1) }
        default:
            return left.kind == right.kind
        }
    }

    /// The node at a path of object keys and array indices.
    static func node(_ root: SourceNode, _ path: Any...) -> SourceNode? {
        var current = root
        for step in path {
            if let key = step as? String, let member = current.members?.first(where: { $0.key == key }) {
                current = member.value
            } else if let index = step as? Int, let elements = current.elements, elements.indices.contains(index) {
                current = elements[index]
            } else {
                return nil
            }
        }
        return current
    }
}

/// A malformed input and the error it must give.
struct MalformedCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: String
    var kind: SourceError.Kind
    var line: Int
    var column: Int
    /// Text the message must contain.
    var message: String

    init(_ name: String, _ input: String, _ kind: SourceError.Kind, _ line: Int, _ column: Int, _ message: String) {
        (self.name, self.input, self.kind, self.line, self.column, self.message) = (name, input, kind, line, column, message)
    }

    var testDescription: String { name }

    /// Checks `result` against the expectation.
    func verify(_ result: Result<SourceNode, SourceError>, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard case .failure(let error) = result else {
            Issue.record("\(name): expected \(kind) at \(line):\(column), but the input was accepted", sourceLocation: sourceLocation)
            return
        }
        #expect(error.kind == kind, "\(name): \(error)", sourceLocation: sourceLocation)
        #expect(error.span.start.line == line && error.span.start.column == column,
                "\(name): expected \(line):\(column), got \(error.span.start): \(error.message)", sourceLocation: sourceLocation)
        #expect(error.message.contains(message), "\(name): message \"\(error.message)\" lacks \"\(message)\"", sourceLocation: sourceLocation)
    }
}

/// A small deterministic generator (SplitMix64), so that "random" inputs are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Result where Failure == SourceError {
    /// The error, or `nil` on success.
    var readError: SourceError? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
