import Foundation
import Testing

/// Inputs built to break a parser: each must give a located error and exit 2, never a crash or a hang.
@Suite("Hostile inputs (real binary)")
struct HostileInputTests {
    static let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("policyprover-hostile-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    static func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let code: String
        let bytes: @Sendable () -> [UInt8]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "deep-array.json", code: "LIMIT_EXCEEDED") { Array(repeating: UInt8(ascii: "["), count: 10_000) + Array(repeating: UInt8(ascii: "]"), count: 10_000) },
        Case(name: "deep-object.json", code: "LIMIT_EXCEEDED") { Array(String(repeating: #"{"a":"#, count: 10_000).utf8) + [UInt8(ascii: "1")] + Array(repeating: UInt8(ascii: "}"), count: 10_000) },
        Case(name: "deep-flow.yaml", code: "LIMIT_EXCEEDED") { Array(("a: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n").utf8) },
        Case(name: "deep-block.yaml", code: "LIMIT_EXCEEDED") { Array((0..<10_000).map { String(repeating: " ", count: $0) + "k\($0):\n" }.joined().utf8) },
        Case(name: "deep-dashes.yaml", code: "LIMIT_EXCEEDED") { Array((String(repeating: "- ", count: 10_000) + "x\n").utf8) },
        Case(name: "huge-string.json", code: "LIMIT_EXCEEDED") { Array(#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: 10 * 1000 * 1000) + Array(#"", "Resource": "*"}]}"#.utf8) },
        Case(name: "too-large.json", code: "LIMIT_EXCEEDED") { Array(repeating: UInt8(ascii: " "), count: 11 * 1024 * 1024) + Array("{}".utf8) },
        Case(name: "junk.json", code: "SYNTAX_ERROR") {
            var generator = SplitMix64(seed: 42)
            return (0..<65_536).map { _ in UInt8(truncatingIfNeeded: generator.next()) | 0x01 }.map { $0 == UInt8(ascii: "{") ? 0x20 : $0 }
        },
        Case(name: "nul.json", code: "SYNTAX_ERROR") { Array("{\"Version\": \"2012-10-17\",\u{0} \"Statement\": []}".utf8) },
    ]

    @Test(arguments: cases)
    func isRefusedWithALocatedError(_ testCase: Case) throws {
        let path = try Self.write(testCase.name, testCase.bytes())
        let output = try PolicyProverBinary.run(["validate", path])
        #expect(output.status == 2, "\(output.stdout.prefix(2000))\(output.stderr.prefix(2000))")
        let pattern = try Regex("\(NSRegularExpression.escapedPattern(for: path)):[0-9]+:[0-9]+: error\\[[A-Z_]+\\]")
        #expect(output.stdout.contains(pattern), "\(output.stdout.prefix(2000))")
        #expect(output.stdout.contains("[\(testCase.code)]") || testCase.code == "SYNTAX_ERROR" && output.stdout.contains("[INVALID_ENCODING]"), "\(output.stdout.prefix(2000))")
    }
}

/// A small deterministic generator so that the junk input is the same on every run.
struct SplitMix64 {
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
