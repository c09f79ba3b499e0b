import Foundation
import Testing
@testable import PolicyLanguage

/// Hostile YAML: deep nesting, alias expansion and small stacks.
@Suite("YAMLReader limits")
struct YAMLReaderLimitTests {
    @Test func aBillionLaughsIsRefusedQuickly() throws {
        var lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1..<9 {
            let previous = String(UnicodeScalar(UInt8(ascii: "a") + UInt8(level - 1)))
            let name = String(UnicodeScalar(UInt8(ascii: "a") + UInt8(level)))
            lines.append("\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]")
        }
        let clock = ContinuousClock()
        var result: Result<SourceNode, SourceError>?
        let elapsed = clock.measure { result = ReaderTestSupport.yaml(lines.joined(separator: "\n")) }
        let error = try #require(result?.readError)
        #expect(error.kind == .limitExceeded)
        #expect(error.message.contains("more than 1000000 nodes"))
        #expect(elapsed < .seconds(30))
        // A modest use of aliases is fine.
        #expect(throws: Never.self) { try ReaderTestSupport.yaml(lines.prefix(3).joined(separator: "\n")).get() }
    }

    // MARK: - Depth

    struct DeepCase: Sendable, CustomTestStringConvertible {
        var name: String
        /// Levels written: 10,000, or fewer where indentation would make the file larger than 10 MiB.
        var depth = 10_000
        var text: @Sendable (Int) -> String
        /// Where the 65th level opens.
        var line: Int
        var column: Int
        var testDescription: String { name }
    }

    static let deep: [DeepCase] = [
        .init(name: "flow sequences", text: { String(repeating: "[", count: $0) + String(repeating: "]", count: $0) }, line: 1, column: 65),
        .init(name: "flow mappings", text: { String(repeating: "{a: ", count: $0) + "1" + String(repeating: "}", count: $0) }, line: 1, column: 257),
        .init(name: "pairs in flow sequences", text: { String(repeating: "[a: ", count: $0) }, line: 1, column: 129),
        .init(name: "compact block sequences", text: { String(repeating: "- ", count: $0) + "x\n" }, line: 1, column: 129),
        .init(name: "indented block mappings", depth: 3_000, text: { depth in
            (0..<depth).map { String(repeating: " ", count: $0) + "k:\n" }.joined() }, line: 65, column: 65),
        .init(name: "mappings with indentless sequences", depth: 1_500, text: { depth in
            (0..<depth).map { String(repeating: " ", count: $0 * 2) + "k:\n" + String(repeating: " ", count: $0 * 2) + "-\n" }.joined() }, line: 65, column: 65),
    ]

    @Test(arguments: deep)
    func thousandsOfLevelsAreRefusedWhereTheLimitIsPassed(_ testCase: DeepCase) throws {
        let error = try #require(ReaderTestSupport.yaml(testCase.text(testCase.depth)).readError)
        #expect(error.kind == .limitExceeded)
        #expect(error.message == "nesting deeper than 64 levels")
        #expect(error.span.start.line == testCase.line && error.span.start.column == testCase.column, "\(error)")
    }

    @Test func theExactDepthIsCheckedOnTheTree() throws {
        // 64 levels are read; the 65th is refused where it opens, by the exact check on the tree.
        #expect(throws: Never.self) { try ReaderTestSupport.yaml(String(repeating: "[", count: 64) + String(repeating: "]", count: 64)).get() }
        let error = try #require(ReaderTestSupport.yaml(String(repeating: "[", count: 65) + String(repeating: "]", count: 65)).readError)
        #expect(error.kind == .limitExceeded && error.span.start.column == 65)
        let indented = try #require(ReaderTestSupport.yaml((0..<65).map { String(repeating: " ", count: $0) + "k:\n" }.joined()).readError)
        #expect(indented.kind == .limitExceeded && indented.span.start.line == 65 && indented.span.start.column == 65)
    }

    @Test func realisticTemplatesAreNotRefused() throws {
        // 30 levels of CloudFormation-like nesting mixing every block and flow form.
        var text = "Resources:\n"
        var indent = "  "
        for level in 0..<9 {
            text += "\(indent)L\(level):\n\(indent)  - Key: !Sub \"v\(level)\"\n\(indent)    List: [a, {b: [c, \"d: e\"]}]\n\(indent)    Next:\n"
            indent += "      "
        }
        text += "\(indent)Leaf: |\n\(indent)  {\"json\": \(String(repeating: "[", count: 60))1\(String(repeating: "]", count: 60))}\n"
        let root = try ReaderTestSupport.yaml(text).get()
        var depth = 0
        func measure(_ node: SourceNode, _ level: Int) {
            depth = max(depth, level)
            node.members?.forEach { measure($0.value, level + 1) }
            node.elements?.forEach { measure($0, level + 1) }
        }
        measure(root, 0)
        #expect(depth >= 28)
    }

    /// libyaml refuses more than 1,000 levels itself; the reader relies on it to bound Yams's recursion.
    @Test func libyamlStillRefusesMoreThanAThousandLevels() throws {
        let text = String(repeating: "[", count: 1_100) + String(repeating: "]", count: 1_100)
        let bytes = Array(text.utf8)
        let result = bytes.withUnsafeBufferPointer { buffer in
            StackGuard.run(requiring: YAMLReader.requiredStack, threadStackSize: YAMLReader.threadStack) {
                YAMLReader.compose(text, table: LineTable(buffer, bomLength: 0, breaks: .yaml), file: "deep.yaml",
                                   maxDepth: 5_000, limits: ReadLimits(maxDepth: 5_000))
            }
        }
        let error = try #require(result?.readError)
        #expect(error.kind == .limitExceeded)
        #expect(error.message == "nesting deeper than 1000 levels (libyaml's limit)")
    }

    /// Yams overflows a 512 KiB stack at about 190 nested mappings; `StackGuard` moves the work to a
    /// thread with a large stack, so reading 600 levels on such a thread neither crashes nor fails.
    @Test(arguments: ["flow", "block"])
    func deepDocumentsAreComposedSafelyOnASmallStack(_ style: String) async throws {
        let depth = 600
        let text = style == "flow"
            ? String(repeating: "{a: ", count: depth) + "1" + String(repeating: "}", count: depth)
            : (0..<depth).map { String(repeating: " ", count: $0) + "a:\n" }.joined() + String(repeating: " ", count: depth) + "1\n"
        let outcome: String = await withCheckedContinuation { continuation in
            let thread = Thread {
                let remaining = StackGuard.remainingStack() ?? -1
                let result = ReaderTestSupport.yaml(text, limits: ReadLimits(maxDepth: 1_000))
                var node = try? result.get()
                var levels = 0
                while let inner = node?.members?.first?.value { node = inner; levels += 1 }
                continuation.resume(returning: "remaining stack \(remaining / 1024) KiB, levels \(levels), error \(String(describing: result.readError))")
            }
            thread.stackSize = 512 * 1024
            thread.start()
        }
        #expect(outcome.hasSuffix("levels \(depth), error nil"), "\(outcome)")
    }
}
