import Foundation
import Testing
@testable import PolicyLanguage

@Suite("SourceReader")
struct SourceReaderTests {
    /// A fresh directory for one test's files.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("readers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test(arguments: [
        ("json", SourceFormat.json), ("JSON", .json), ("yaml", .yaml), ("yml", .yaml), ("YML", .yaml),
    ] as [(String, SourceFormat)])
    func knownExtensionsChooseTheFormat(_ pathExtension: String, _ format: SourceFormat) {
        #expect(SourceFormat(pathExtension: pathExtension) == format)
        #expect(SourceFormat.detect(path: "dir.v2/policy.\(pathExtension)", bytes: Array("[1]".utf8)) == format)
    }

    @Test(arguments: [
        ("{\"a\": 1}", SourceFormat.json), ("[1]", .json), ("\u{FEFF} \n\t{}", .json), ("\r\n  [", .json),
        ("a: 1", .yaml), ("- 1", .yaml), ("", .yaml), ("   ", .yaml), ("# {", .yaml), ("\"a\"", .yaml), ("---\n{}", .yaml),
    ] as [(String, SourceFormat)])
    func otherFilesAreSniffed(_ text: String, _ format: SourceFormat) {
        #expect(SourceFormat.sniff(Array(text.utf8)) == format)
        #expect(SourceFormat.detect(path: "stack.template", bytes: Array(text.utf8)) == format)
        #expect(SourceFormat.detect(path: "no-extension", bytes: Array(text.utf8)) == format)
        #expect(SourceFormat.detect(path: ".json", bytes: Array(text.utf8)) == format)
    }

    @Test func readsFilesInEitherFormat() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files: [(String, String)] = [
            ("p.json", "{\"Version\": \"2012-10-17\"}"),
            ("p.yaml", "Version: \"2012-10-17\"\n"),
            ("p.yml", "{Version: \"2012-10-17\"}"),
            ("p.template", "\n  {\"Version\": \"2012-10-17\"}"),
            ("p.txt", "Version: '2012-10-17'"),
        ]
        for (name, text) in files {
            let path = directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let root = try SourceReader.read(contentsOf: path, displayName: name).get()
            #expect(root.members?.first?.value.kind == .string("2012-10-17"), "\(name)")
            #expect(root.span.file == name)
        }
        // Without a display name, spans carry the path as given.
        let path = directory.appendingPathComponent("p.json").path
        #expect(try SourceReader.read(contentsOf: path).get().span.file == path)
        // A .json file that is not JSON is read as JSON and refused as such.
        try "a: 1".write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(SourceReader.read(contentsOf: path, displayName: "p.json").readError)
        #expect(error.kind == .syntax && error.description == "p.json:1:1: SYNTAX_ERROR: unexpected 'a'; JSON strings must be in double quotes")
    }

    @Test func missingFilesAndDirectoriesAreUnreadable() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = try #require(SourceReader.read(contentsOf: directory.appendingPathComponent("none.json").path, displayName: "none.json").readError)
        #expect(missing.kind == .unreadable)
        #expect(missing.span == .startOfFile("none.json"))
        #expect(missing.message.hasSuffix("No such file or directory"))
        let folder = try #require(SourceReader.read(contentsOf: directory.path, displayName: "dir").readError)
        #expect(folder.kind == .unreadable)
        #expect(folder.message.hasSuffix("it is a directory"))
    }

    @Test func filesOverTheSizeLimitAreRefusedBeforeBeingRead() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("big.json").path
        try "[\"\(String(repeating: "x", count: 100))\"]".write(toFile: path, atomically: true, encoding: .utf8)
        let limits = ReadLimits(maxFileBytes: 64)
        let error = try #require(SourceReader.read(contentsOf: path, displayName: "big.json", limits: limits).readError)
        #expect(error.kind == .limitExceeded)
        #expect(error.span.start == SourceLocation(line: 1, column: 1, offset: 0))
        #expect(error.message == "the file is 104 bytes long, more than the limit of 64 bytes")
        #expect(SourceReader.read(bytes: Array(repeating: 0x20, count: 65), file: "m", limits: limits).readError?.kind == .limitExceeded)
        #expect(throws: Never.self) { try SourceReader.read(contentsOf: path, limits: ReadLimits(maxFileBytes: 104)).get() }
        // A device that never ends is cut at the limit.
        #if os(Linux)
        let endless = try #require(SourceReader.read(contentsOf: "/dev/zero", limits: limits).readError)
        #expect(endless.kind == .limitExceeded)
        #endif
    }

    @Test func wideEncodingsAreRefusedWhateverTheFormat() throws {
        let utf16: [UInt8] = [0xFF, 0xFE] + Array("a: 1".utf8).flatMap { [$0, 0] }
        for format in [SourceFormat.json, .yaml, nil] {
            let error = try #require(SourceReader.read(bytes: utf16, file: "wide", format: format).readError)
            #expect(error.kind == .invalidEncoding)
            #expect(error.message.contains("save it as UTF-8"))
        }
        // Without a byte order mark, UTF-16 shows as NUL bytes, located.
        let error = try #require(SourceReader.read(bytes: Array("a: 1".utf8).flatMap { [$0, 0] }, file: "wide").readError)
        #expect(error.kind == .syntax && error.span.start.column == 2 && error.message.contains("NUL"))
    }

    @Test func invalidUTF8IsLocatedInYAMLToo() throws {
        let error = try #require(SourceReader.read(bytes: Array("a: 1\nb: é".utf8) + [0xFF], file: "bad.yaml").readError)
        #expect(error.kind == .invalidEncoding)
        #expect(error.span.start == SourceLocation(line: 2, column: 5, offset: 10))
    }

    @Test(arguments: [SourceFormat.json, .yaml])
    func tenMegabyteStringsAreRefusedForTheirLength(_ format: SourceFormat) throws {
        let bytes = Array(#"{"a":""#.utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 10_000_000) + Array(#""}"#.utf8)
        let clock = ContinuousClock()
        var result: Result<SourceNode, SourceError>?
        let elapsed = clock.measure { result = SourceReader.read(bytes: bytes, file: "big", format: format) }
        let error = try #require(result?.readError)
        #expect(error.kind == .limitExceeded)
        #expect(error.message == "string longer than 1048576 bytes")
        #expect(error.span.start.line == 1 && error.span.start.column == 6)
        print("\(format): a 10 MB string refused in \(elapsed)")
    }

    @Test(arguments: [SourceFormat.json, .yaml])
    func tenThousandLevelsAreRefusedCleanly(_ format: SourceFormat) throws {
        for opener in ["[", "{\"a\": "] {
            let error = try #require(SourceReader.read(bytes: Array(String(repeating: opener, count: 10_000).utf8), file: "deep", format: format).readError)
            #expect(error.kind == .limitExceeded)
            #expect(error.span.start.column == 64 * opener.count + 1)
        }
    }

    @Test func everyTruncationOfAPolicyIsALocatedError() throws {
        let bytes = Array(JSONReaderTests.policy.utf8)
        for length in 0..<bytes.count {
            let prefix = Array(bytes[..<length])
            let error = try #require(SourceReader.read(bytes: prefix, file: "cut.json").readError, "\(length) bytes")
            #expect(error.kind == .syntax || error.kind == .empty)
            #expect((error.span.start.offset ?? -1) <= length)
            // The same prefix read as YAML may succeed or fail, but never traps.
            _ = SourceReader.read(bytes: prefix, file: "cut.yaml", format: .yaml)
        }
        #expect(throws: Never.self) { try SourceReader.read(bytes: bytes, file: "whole.json").get() }
        let yaml = Array(YAMLReaderTests.policy.utf8)
        for length in 0..<yaml.count {
            _ = SourceReader.read(bytes: Array(yaml[..<length]), file: "cut.yaml")
        }
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func randomBytesNeverCrashAndAreLocated(_ seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let bytes = (0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for format in [SourceFormat.json, .yaml, nil] {
            let error = try #require(SourceReader.read(bytes: bytes, file: "junk", format: format).readError)
            #expect([.invalidEncoding, .syntax].contains(error.kind))
            #expect(error.span.start.line >= 1 && error.span.start.column >= 1)
            #expect((error.span.start.offset ?? 0) < bytes.count)
        }
        // Printable junk goes past the encoding checks, deep into both readers.
        let alphabet = Array("{}[]:,\"'\\-?#&*!|> \n\t aAbB01.eE+_u~%@`".utf8)
        let text = (0..<65_536).map { _ in alphabet.randomElement(using: &generator)! }
        for format in [SourceFormat.json, .yaml] {
            if let error = SourceReader.read(bytes: text, file: "junk", format: format).readError {
                #expect(error.span.start.line >= 1 && error.span.start.column >= 1)
            }
        }
    }

    /// Many small YAML-like inputs: no input may trap, and every error must be located inside the text.
    @Test func yamlShapedJunkNeverCrashes() throws {
        var generator = SeededGenerator(seed: 42)
        let pieces = ["a", "b", "1", ": ", ":", "- ", "? ", "\n", "\n  ", "\n    ", "[", "]", "{", "}", ", ", "\"x\"", "'y'",
                      "&k ", "*k", "!Ref ", "!!str ", "|\n", ">-\n", "# c", "---\n", "...\n", "~", "\t", "\"", "'", "\\", "é"]
        var counts: [SourceError.Kind: Int] = [:]
        var accepted = 0
        for _ in 0..<3_000 {
            let length = Int.random(in: 1...40, using: &generator)
            let text = (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined()
            switch SourceReader.read(bytes: Array(text.utf8), file: "fuzz.yaml", format: .yaml) {
            case .success:
                accepted += 1
            case .failure(let error):
                counts[error.kind, default: 0] += 1
                let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.count
                #expect(error.span.start.line >= 1 && error.span.start.line <= lines + 1, "\(text.debugDescription): \(error)")
                #expect((error.span.start.offset ?? 0) <= text.utf8.count, "\(text.debugDescription): \(error)")
                for related in error.related { #expect(related.start.line <= lines + 1) }
            }
        }
        print("YAML-shaped junk: \(accepted) accepted, errors \(counts)")
        #expect(accepted > 0)
    }
}
