import Foundation
import Testing
@testable import PolicyLanguage

@Suite("Policies embedded in strings")
struct EmbeddedJSONStringTests {
    /// Reads the JSON document held in the string at `key` of the JSON (or YAML) `outer` text.
    func embedded(_ outer: String, key: String = "p", format: SourceFormat = .json) throws -> Result<SourceNode, SourceError> {
        let bytes = Array(outer.utf8)
        let root = try SourceReader.read(bytes: bytes, file: "outer", format: format).get()
        let node = try #require(InputTree.value(root, key))
        guard case .string(let text) = node.kind else { throw SourceError(.syntax, "not a string", at: node.span) }
        return EmbeddedJSONString.read(node, text: text, in: OriginalFile(name: "outer", bytes: bytes, format: format), limits: .default)
    }

    struct EscapeCase: Sendable, CustomTestStringConvertible {
        var name: String
        /// The outer file: `p` holds a document whose `k` member's value is checked.
        var outer: String
        /// Where the `k` value must start in the outer file, found by text search.
        var needle: String
        var value: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        EscapeCase(name: "plain", outer: #"{"p": "{\"k\": \"v\"}"}"#, needle: #"\"v"#, value: "v"),
        EscapeCase(name: "after \\n escapes", outer: #"{"p": "{\n  \"a\": 1,\n  \"k\": \"v\"}"}"#, needle: #"\"v"#, value: "v"),
        EscapeCase(name: "after \\u escapes", outer: #"{"p": "{\"x\": \"\u00e9\u4e2d\", \"k\": \"v\"}"}"#, needle: #"\"v"#, value: "v"),
        EscapeCase(name: "surrogate pair", outer: #"{"p": "{\"x\": \"\ud83d\ude00\", \"k\": \"w\"}"}"#, needle: #"\"w"#, value: "w"),
        EscapeCase(name: "raw non-ASCII before", outer: "{\"p\": \"{\\\"x\\\": \\\"éé\\\", \\\"k\\\": \\\"v\\\"}\"}", needle: #"\"v"#, value: "v"),
        EscapeCase(name: "escaped backslash", outer: #"{"p": "{\"x\": \"a\\\\b\", \"k\": \"v\"}"}"#, needle: #"\"v"#, value: "v"),
        EscapeCase(name: "second line of the file", outer: "{\n  \"q\": 1,\n  \"p\": \"{\\\"k\\\": \\\"v\\\"}\"\n}", needle: #"\"v"#, value: "v"),
    ])
    func spansMapToTheSourceCharacters(_ testCase: EscapeCase) throws {
        let inner = try embedded(testCase.outer).get()
        let value = try #require(InputTree.value(inner, "k"))
        #expect(value.scalarText == testCase.value)
        #expect(start(value.span) == pair(InputFixtures.location(of: testCase.needle, inText: testCase.outer)))
        #expect(value.span.file == "outer")
        let key = try #require(inner.members?.first { $0.key == "k" })
        #expect(start(key.keySpan) == pair(InputFixtures.location(of: #"\"k"#, inText: testCase.outer)))
    }

    @Test func syntaxErrorInsideTheStringIsLocatedInTheOuterFile() throws {
        let outer = "{\n  \"p\": \"{\\\"Version\\\": \\\"2012-10-17\\\" \\\"Statement\\\": []}\"\n}"
        let error = try #require(try embedded(outer).readError)
        #expect(error.kind == .syntax)
        #expect(start(error.span) == pair(InputFixtures.location(of: #"\"Statement"#, inText: outer)))
    }

    @Test func yamlLiteralBlockIsLocatedLineByLine() throws {
        let outer = """
        other: 1
        p: |
          {
            "Version": "2012-10-17",
            "k": "v"
          }
        """
        let inner = try embedded(outer, format: .yaml).get()
        let value = try #require(InputTree.value(inner, "k"))
        #expect(start(value.span) == [5, 10])
        #expect(start(InputTree.value(inner, "Version")?.span) == [4, 16])
    }

    @Test func yamlSingleQuotedScalarIsLocated() throws {
        let outer = #"p: '{"k": "v"}'"#
        let inner = try embedded(outer, format: .yaml).get()
        #expect(start(InputTree.value(inner, "k")?.span) == [1, 11])
    }

    @Test func yamlFoldedScalarFallsBackToTheScalarSpan() throws {
        let outer = "p: >\n  {\"k\":\n  \"v\"}\n"
        let inner = try embedded(outer, format: .yaml).get()
        #expect(InputTree.value(inner, "k")?.scalarText == "v")
        #expect(start(InputTree.value(inner, "k")?.span) == [1, 4])
    }

    @Test func urlEncodedDocumentIsDecoded() throws {
        let outer = #"{"p": "%7B%22Statement%22%3A%5B%5D%2C%22Version%22%3A%222012-10-17%22%7D"}"#
        let inner = try embedded(outer).get()
        #expect(InputTree.string(inner, "Version") == "2012-10-17")
        #expect(start(inner.span) == [1, 7])
        #expect(start(InputTree.value(inner, "Version")?.span) == [1, 7])
        #expect(EmbeddedJSONString.percentDecoded(Array("a%2".utf8)) == nil)
        #expect(EmbeddedJSONString.percentDecoded(Array("a+b%20c".utf8)) == Array("a+b c".utf8))
    }

    @Test func nonJSONTextIsASyntaxErrorAtTheString() throws {
        let error = try #require(try embedded(#"{"x": 1, "p": "not a policy"}"#).readError)
        #expect(error.kind == .syntax)
        #expect(start(error.span) == [1, 15])
    }
}
