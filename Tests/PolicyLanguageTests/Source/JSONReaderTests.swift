import Foundation
import Testing
@testable import PolicyLanguage

@Suite("JSONReader")
struct JSONReaderTests {
    static let policy = """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Action": "s3:GetObject",
              "Resource": "*"
            },
            {
              "Effect": "Deny",
              "Action": ["iam:*", "sts:AssumeRole"],
              "Resource": "*"
            }
          ]
        }
        """

    @Test func readsEveryKindOfValue() throws {
        let root = try ReaderTestSupport.json(#"{"s": "x", "n": -1.5e+3, "t": true, "f": false, "z": null, "a": [], "o": {}}"#).get()
        let members = try #require(root.members)
        #expect(members.map(\.key) == ["s", "n", "t", "f", "z", "a", "o"])
        #expect(members.map(\.value.kind) == [.string("x"), .number("-1.5e+3"), .bool(true), .bool(false), .null, .array([]), .object([])])
        #expect(root.tag == nil)
    }

    @Test func locatesNestedNodesInAPrettyPrintedPolicy() throws {
        let root = try ReaderTestSupport.json(Self.policy).get()
        #expect(root.span.start == SourceLocation(line: 1, column: 1, offset: 0))
        #expect(root.span.end == SourceLocation(line: 15, column: 2, offset: 246))

        let statement = try #require(ReaderTestSupport.node(root, "Statement", 1))
        #expect(statement.span.start == SourceLocation(line: 9, column: 5, offset: 142))
        #expect(statement.span.end == SourceLocation(line: 13, column: 6, offset: 240))

        let action = try #require(statement.members?.first { $0.key == "Action" })
        #expect(action.keySpan.start == SourceLocation(line: 11, column: 7, offset: 174))
        #expect(action.keySpan.end == SourceLocation(line: 11, column: 15, offset: 182))
        #expect(action.value.span.start == SourceLocation(line: 11, column: 17, offset: 184))
        #expect(action.value.span.end == SourceLocation(line: 11, column: 44, offset: 211))
        #expect(action.value.span.file == "test.json")
        #expect(action.value.span.description == "test.json:11:17")

        let second = try #require(action.value.elements?[1])
        #expect(second.kind == .string("sts:AssumeRole"))
        #expect(second.span.start == SourceLocation(line: 11, column: 27, offset: 194))
        #expect(second.span.end == SourceLocation(line: 11, column: 43, offset: 210))
    }

    @Test func columnsCountUnicodeScalarsAndTabsAsOne() throws {
        let root = try ReaderTestSupport.json("{\"a\": \"é😀\", \"b\":\t1}").get()
        let members = try #require(root.members)
        #expect(members[0].value.span.end == SourceLocation(line: 1, column: 11, offset: 14))
        #expect(members[1].keySpan.start == SourceLocation(line: 1, column: 13, offset: 16))
        #expect(members[1].value.span.start == SourceLocation(line: 1, column: 18, offset: 21))
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func countsLinesForEveryLineEnding(_ newline: String) throws {
        let root = try ReaderTestSupport.json(["{", "  \"a\":", "    1", "}"].joined(separator: newline)).get()
        let member = try #require(root.members?.first)
        #expect(member.keySpan.start.line == 2 && member.keySpan.start.column == 3)
        #expect(member.value.span.start.line == 3 && member.value.span.start.column == 5)
        #expect(root.span.end.line == 4 && root.span.end.column == 2)
    }

    @Test func decodesEveryEscape() throws {
        let root = try ReaderTestSupport.json(#"["\"\\\/\b\f\n\r\t", "\u00e9\u20AC", "\ud83d\ude00", "a\u0000b"]"#).get()
        #expect(root.elements?.map(\.kind) == [.string("\"\\/\u{8}\u{C}\n\r\t"), .string("é€"), .string("😀"), .string("a\u{0}b")])
    }

    @Test(arguments: ["0", "-0", "7", "-12", "10", "0.5", "-0.0", "1e5", "1E+5", "2.5e-10", "123456789012345678901234567890"])
    func keepsNumbersAsTheirLiteralText(_ literal: String) throws {
        let root = try ReaderTestSupport.json("[\(literal)]").get()
        #expect(root.elements == [SourceNode(.number(literal), span: SourceSpan(file: "test.json",
            start: SourceLocation(line: 1, column: 2, offset: 1), end: SourceLocation(line: 1, column: 2 + literal.count, offset: 1 + literal.count)))])
    }

    static let malformed: [MalformedCase] = [
        .init("missing comma in object", #"{"a": 1 "b": 2}"#, .syntax, 1, 9, "expected ',' or '}' after object member"),
        .init("missing comma in array", "[1 2]", .syntax, 1, 4, "expected ',' or ']' after array element"),
        .init("trailing comma in object", #"{"a": 1,}"#, .syntax, 1, 8, "trailing comma before '}'"),
        .init("trailing comma in array", "[\n  1,\n  2,\n]", .syntax, 3, 4, "trailing comma before ']'"),
        .init("unterminated string", #"{"a": "abc"#, .syntax, 1, 7, "unterminated string"),
        .init("unterminated object", "{\n  \"a\": 1", .syntax, 2, 9, "unexpected end of file (an object opened at 1:1 is not closed)"),
        .init("unterminated array", #"{"a": [1, 2"#, .syntax, 1, 12, "unexpected end of file (an array opened at 1:7 is not closed)"),
        .init("unterminated nested object", "[\n  [\n    {", .syntax, 3, 6, "(an object opened at 3:5 is not closed)"),
        .init("end of file after a key", #"{"a""#, .syntax, 1, 5, "an object opened at 1:1 is not closed"),
        .init("bad escape", #"["a\qb"]"#, .syntax, 1, 4, "invalid escape sequence '\\q'"),
        .init("bad unicode escape", #"["\u12G4"]"#, .syntax, 1, 3, "invalid \\u escape"),
        .init("lone high surrogate", #"["\uD800"]"#, .syntax, 1, 3, "unpaired surrogate '\\uD800'"),
        .init("lone low surrogate", #"["x\uDC00"]"#, .syntax, 1, 4, "unpaired surrogate '\\uDC00'"),
        .init("high surrogate before a non-surrogate", #"["\uD800\u0041"]"#, .syntax, 1, 3, "unpaired surrogate"),
        .init("leading zero", "[01]", .syntax, 1, 2, "leading zeros are not allowed"),
        .init("negative leading zero", "[-01]", .syntax, 1, 2, "leading zeros are not allowed"),
        .init("plus sign", "[+1]", .syntax, 1, 2, "cannot start with '+'"),
        .init("bare fraction", "[.5]", .syntax, 1, 2, "digit before the decimal point"),
        .init("no fraction digits", "[1.]", .syntax, 1, 4, "expected a digit after the decimal point"),
        .init("no exponent digits", "[1e]", .syntax, 1, 4, "expected a digit in the exponent"),
        .init("lone minus", "[-]", .syntax, 1, 3, "expected a digit after '-'"),
        .init("hexadecimal", "[0x1F]", .syntax, 1, 2, "invalid number '0x1F'"),
        .init("two decimal points", "[1.5.3]", .syntax, 1, 2, "invalid number '1.5.3'"),
        .init("NaN", "[NaN]", .syntax, 1, 2, "'NaN' is not a JSON value"),
        .init("Infinity", "[Infinity]", .syntax, 1, 2, "'Infinity' is not a JSON value"),
        .init("negative Infinity", "[-Infinity]", .syntax, 1, 2, "'-Infinity' is not a JSON value"),
        .init("capitalised literal", "[True]", .syntax, 1, 2, "JSON literals are lowercase"),
        .init("misspelled literal", "[nul]", .syntax, 1, 2, "unexpected 'nul'"),
        .init("literal with a suffix", "[truex]", .syntax, 1, 2, "unexpected 'truex'"),
        .init("line break in string", "{\"a\": \"x\ny\"}", .syntax, 1, 9, "control character U+000A in string"),
        .init("tab in string", "[\"a\tb\"]", .syntax, 1, 4, "control character U+0009 in string"),
        .init("tab after non-ASCII characters", "[\"é😀\t\"]", .syntax, 1, 5, "control character U+0009 in string"),
        .init("extra value", "{} {}", .syntax, 1, 4, "extra data after the JSON value"),
        .init("extra bracket", "{}}", .syntax, 1, 3, "extra data after the JSON value"),
        .init("two numbers", "1 2", .syntax, 1, 3, "extra data after the JSON value"),
        .init("empty file", "", .empty, 1, 1, "the file is empty"),
        .init("whitespace only", " \n\t\r\n ", .empty, 1, 1, "only whitespace"),
        .init("NUL byte between tokens", "{\"a\":\u{0} 1}", .syntax, 1, 6, "found a NUL byte"),
        .init("NUL byte in string", "[\"a\u{0}\"]", .syntax, 1, 4, "NUL byte in string"),
        .init("comment", "// policy\n{}", .syntax, 1, 1, "comments are not allowed"),
        .init("single-quoted key", "{'a': 1}", .syntax, 1, 2, "expected a string key or '}', found '''"),
        .init("single-quoted value", "[\"a\", 'b']", .syntax, 1, 7, "single-quoted strings are not allowed"),
        .init("unquoted key", "{a: 1}", .syntax, 1, 2, "expected a string key or '}', found 'a'"),
        .init("missing colon", "{\"a\" 1}", .syntax, 1, 6, "expected ':' after object key"),
        .init("missing value", "[1,,2]", .syntax, 1, 4, "expected a value, found ','"),
        .init("missing member value", "{\"a\":}", .syntax, 1, 6, "expected a value, found '}'"),
        .init("non-ASCII outside strings", "[é]", .syntax, 1, 2, "found 'é' (U+00E9)"),
        .init("control character outside strings", "[\u{7}]", .syntax, 1, 2, "found control character U+0007"),
        .init("key after a comma that is not a string", "{\"a\": 1, 2: 3}", .syntax, 1, 10, "expected a string key after ','"),
    ]

    @Test(arguments: malformed)
    func refusesMalformedInput(_ testCase: MalformedCase) {
        testCase.verify(ReaderTestSupport.json(testCase.input))
    }

    @Test func endOfFileNamesTheOpenerInRelated() throws {
        let error = try #require(ReaderTestSupport.json("[\n  [\n    {").readError)
        #expect(error.related == [SourceSpan(file: "test.json", start: SourceLocation(line: 3, column: 5, offset: 10))])
        #expect(error.span.start.offset == 11)
    }

    @Test func duplicateKeyIsReportedAtTheSecondWithTheFirstRelated() throws {
        let error = try #require(ReaderTestSupport.json(Self.policy.replacingOccurrences(of: "\"Resource\": \"*\"\n    }\n  ]", with: "\"Resource\": \"*\",\n      \"Effect\": \"Allow\"\n    }\n  ]")).readError)
        #expect(error.kind == .duplicateKey)
        #expect(error.message == "duplicate key \"Effect\" (first defined at 10:7)")
        #expect(error.span.start == SourceLocation(line: 13, column: 7, offset: 242))
        #expect(error.span.end.column == 15)
        #expect(error.related.map(\.start) == [SourceLocation(line: 10, column: 7, offset: 150)])
    }

    @Test func duplicateKeysAreComparedAfterDecodingEscapes() throws {
        let error = try #require(ReaderTestSupport.json(#"{"ab": 1, "\u0061b": 2}"#).readError)
        #expect(error.kind == .duplicateKey)
        #expect(error.span.start.column == 11)
        #expect(error.related.first?.start.column == 2)
    }

    @Test func duplicateKeysInLargeObjectsUseTheIndex() throws {
        let members = (0..<100).map { "\"k\($0)\": \($0)" } + ["\"k42\": 0"]
        let error = try #require(ReaderTestSupport.json("{" + members.joined(separator: ",\n") + "}").readError)
        #expect(error.kind == .duplicateKey)
        #expect(error.span.start.line == 101 && error.span.start.column == 1)
        #expect(error.related.first?.start.line == 43)
        // Same keys in different objects are fine.
        #expect(throws: Never.self) { try ReaderTestSupport.json(#"[{"a": 1}, {"a": 2}, {"b": {"a": 3}}]"#).get() }
    }

    @Test func nestingUpToTheLimitIsRead() throws {
        let limit = ReadLimits.default.maxDepth
        let text = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        var node = try ReaderTestSupport.json(text).get()
        var depth = 1
        while let inner = node.elements?.first { node = inner; depth += 1 }
        #expect(depth == limit)
    }

    @Test(arguments: ["[", "{\"a\":"])
    func nestingBeyondTheLimitIsRefusedAtTheOpeningBracket(_ opener: String) throws {
        let deep = String(repeating: opener, count: 10_000)
        let error = try #require(ReaderTestSupport.json(deep).readError)
        #expect(error.kind == .limitExceeded)
        #expect(error.message == "nesting deeper than 64 levels")
        #expect(error.span.start.line == 1 && error.span.start.column == 64 * opener.count + 1)

        let custom = try #require(ReaderTestSupport.json(deep, limits: ReadLimits(maxDepth: 3)).readError)
        #expect(custom.span.start.column == 3 * opener.count + 1)
        #expect(custom.message == "nesting deeper than 3 levels")
    }

    @Test func stringsUpToTheLimitAreReadAndLongerOnesRefused() throws {
        let limits = ReadLimits(maxStringBytes: 8)
        #expect(try ReaderTestSupport.json(#"["12345678"]"#, limits: limits).get().elements?.first?.kind == .string("12345678"))
        #expect(try ReaderTestSupport.json(#"["1234567\u00e9"]"#, limits: ReadLimits(maxStringBytes: 9)).get().elements?.first?.kind == .string("1234567é"))
        let plain = try #require(ReaderTestSupport.json(#"["123456789"]"#, limits: limits).readError)
        #expect(plain.kind == .limitExceeded && plain.span.start.column == 2)
        #expect(plain.message == "string longer than 8 bytes")
        let escaped = try #require(ReaderTestSupport.json(#"[{"k": "1234\n\n\n\n\n"}]"#, limits: limits).readError)
        #expect(escaped.kind == .limitExceeded && escaped.span.start.column == 8)
        let key = try #require(ReaderTestSupport.json(#"{"123456789": 1}"#, limits: limits).readError)
        #expect(key.kind == .limitExceeded && key.span.start.column == 2)
    }

    @Test func aUTF8ByteOrderMarkIsSkippedWithoutShiftingColumns() throws {
        let root = try JSONReader.read([0xEF, 0xBB, 0xBF] + Array(#"{"a": 1}"#.utf8), file: "bom.json").get()
        #expect(root.span.start == SourceLocation(line: 1, column: 1, offset: 3))
        #expect(root.members?.first?.keySpan.start == SourceLocation(line: 1, column: 2, offset: 4))
        let empty = try #require(JSONReader.read([0xEF, 0xBB, 0xBF], file: "bom.json").readError)
        #expect(empty.kind == .empty)
    }

    @Test(arguments: [
        ([0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00], "UTF-16 (little-endian)"),
        ([0xFE, 0xFF, 0x00, 0x7B, 0x00, 0x7D], "UTF-16 (big-endian)"),
        ([0xFF, 0xFE, 0x00, 0x00, 0x7B, 0x00, 0x00, 0x00], "UTF-32 (little-endian)"),
        ([0x00, 0x00, 0xFE, 0xFF, 0x00, 0x00, 0x00, 0x7B], "UTF-32 (big-endian)"),
    ] as [([UInt8], String)])
    func otherUnicodeEncodingsAreRefusedWithAdvice(_ bytes: [UInt8], _ name: String) throws {
        let error = try #require(JSONReader.read(bytes, file: "wide.json").readError)
        #expect(error.kind == .invalidEncoding)
        #expect(error.span.start == SourceLocation(line: 1, column: 1, offset: 0))
        #expect(error.message == "the file is encoded as \(name), as its byte order mark shows; save it as UTF-8")
    }

    @Test(arguments: [
        ([0xFF], "byte 0xFF never appears in UTF-8"),
        ([0x80], "unexpected continuation byte 0x80"),
        ([0xC3, 0x28], "an incomplete sequence (0xC3 0x28)"),
        ([0xC0, 0xAF], "byte 0xC0 never appears in UTF-8"),
        ([0xE0, 0x80, 0xAF], "an overlong encoding (0xE0 0x80)"),
        ([0xED, 0xA0, 0x80], "a UTF-16 surrogate encoded in UTF-8 (0xED 0xA0)"),
        ([0xF4, 0x90, 0x80, 0x80], "a code point above U+10FFFF (0xF4 0x90)"),
        ([0xE2, 0x82], "an incomplete sequence (0xE2 0x82 0x22)"),
    ] as [([UInt8], String)])
    func invalidUTF8IsLocatedAtTheByte(_ bad: [UInt8], _ message: String) throws {
        // Line 2 holds `  "é€": "` before the bad bytes: 9 columns, 12 bytes.
        let bytes = Array("{\n  \"é€\": \"".utf8) + bad + Array("\"}".utf8)
        let error = try #require(JSONReader.read(bytes, file: "bad.json").readError)
        #expect(error.kind == .invalidEncoding)
        #expect(error.span.start == SourceLocation(line: 2, column: 10, offset: 14))
        #expect(error.message == "invalid UTF-8: \(message)")
    }

    @Test func aSequenceCutByTheEndOfFileIsLocated() throws {
        let error = try #require(JSONReader.read(Array("[\"a\"]\n".utf8) + [0xF0, 0x9F, 0x98], file: "cut.json").readError)
        #expect(error.kind == .invalidEncoding)
        #expect(error.span.start == SourceLocation(line: 2, column: 1, offset: 6))
        #expect(error.message == "invalid UTF-8: truncated sequence at the end of the file, starting with 0xF0")
    }

    @Test func aTenMegabyteStringIsRefusedQuicklyForItsLength() throws {
        let bytes = Array(#"{"a":""#.utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 10_000_000) + Array(#""}"#.utf8)
        let clock = ContinuousClock()
        var result: Result<SourceNode, SourceError>?
        let elapsed = clock.measure { result = JSONReader.read(bytes, file: "big.json") }
        let error = try #require(result?.readError)
        #expect(error.kind == .limitExceeded)
        #expect(error.span.start == SourceLocation(line: 1, column: 6, offset: 5))
        print("JSONReader refused a 10 MB string in \(elapsed)")
    }
}
