import Foundation
import Testing
@testable import PolicyLanguage

@Suite("YAMLReader")
struct YAMLReaderTests {
    static let policy = """
        # An S3 read-only policy
        Version: "2012-10-17"
        Statement:
          - Sid: ReadOnly
            Effect: Allow
            Action:
              - s3:GetObject
              - 's3:List*'
            Resource: !Sub "arn:aws:s3:::${Bucket}/*"
            Condition:
              Bool: {aws:SecureTransport: true}
              NumericLessThan:
                s3:max-keys: 10
          - Effect: Deny
            NotAction: iam:*
            Resource: "*"
            Description: |
              Deny everything
              but IAM.

        """

    static func location(_ line: Int, _ column: Int, _ offset: Int) -> PolicyLanguage.SourceLocation {
        PolicyLanguage.SourceLocation(line: line, column: column, offset: offset)
    }

    @Test func readsAMultiLinePolicyWithLocations() throws {
        let root = try ReaderTestSupport.yaml(Self.policy).get()
        #expect(root.members?.map(\.key) == ["Version", "Statement"])
        let version = try #require(ReaderTestSupport.node(root, "Version"))
        #expect(version.kind == .string("2012-10-17"))
        #expect(version.span.start == Self.location(2, 10, 34) && version.span.end == Self.location(2, 22, 46))

        let statements = try #require(ReaderTestSupport.node(root, "Statement"))
        #expect(statements.elements?.count == 2)
        #expect(statements.span.start == Self.location(4, 3, 60))
        let first = try #require(statements.elements?.first)
        #expect(first.span.start == Self.location(4, 5, 62))
        #expect(first.members?.map(\.key) == ["Sid", "Effect", "Action", "Resource", "Condition"])
        #expect(first.members?.first?.keySpan == SourceSpan(file: "test.yaml", start: Self.location(4, 5, 62), end: Self.location(4, 8, 65)))

        let sid = try #require(ReaderTestSupport.node(first, "Sid"))
        #expect(sid.kind == .string("ReadOnly") && sid.span.start == Self.location(4, 10, 67) && sid.span.end == Self.location(4, 18, 75))

        let actions = try #require(ReaderTestSupport.node(first, "Action"))
        #expect(actions.span.start == Self.location(7, 7, 112))
        #expect(actions.elements?.map(\.kind) == [.string("s3:GetObject"), .string("s3:List*")])
        #expect(actions.elements?.map(\.span.start) == [Self.location(7, 9, 114), Self.location(8, 9, 135)])
        #expect(actions.elements?.map(\.span.end) == [Self.location(7, 21, 126), Self.location(8, 19, 145)])

        let resource = try #require(ReaderTestSupport.node(first, "Resource"))
        #expect(resource.kind == .string("arn:aws:s3:::${Bucket}/*"))
        #expect(resource.tag == "!Sub")
        #expect(resource.span.start == Self.location(9, 15, 160) && resource.span.end == Self.location(9, 46, 191))

        let bool = try #require(ReaderTestSupport.node(first, "Condition", "Bool"))
        #expect(bool.span.start == Self.location(11, 13, 219))
        let secureTransport = try #require(bool.members?.first)
        #expect(secureTransport.key == "aws:SecureTransport")
        #expect(secureTransport.keySpan.start == Self.location(11, 14, 220) && secureTransport.keySpan.end == Self.location(11, 33, 239))
        #expect(secureTransport.value.kind == .bool(true))
        #expect(secureTransport.value.span.start == Self.location(11, 35, 241) && secureTransport.value.span.end == Self.location(11, 39, 245))

        let maxKeys = try #require(ReaderTestSupport.node(first, "Condition", "NumericLessThan", "s3:max-keys"))
        #expect(maxKeys.kind == .number("10") && maxKeys.span.start == Self.location(13, 22, 291) && maxKeys.span.end == Self.location(13, 24, 293))

        let second = try #require(statements.elements?.last)
        #expect(second.span.start == Self.location(14, 5, 298))
        #expect(ReaderTestSupport.node(second, "NotAction")?.kind == .string("iam:*"))
        let description = try #require(ReaderTestSupport.node(second, "Description"))
        #expect(description.kind == .string("Deny everything\nbut IAM.\n"))
        #expect(description.span.start == Self.location(17, 18, 367))
    }

    struct ScalarCase: Sendable, CustomTestStringConvertible {
        var source: String
        var kind: SourceNode.Kind
        var tag: String?
        var testDescription: String { "v: \(source)" }
    }

    static let scalars: [ScalarCase] = [
        .init(source: "yes", kind: .string("yes")), .init(source: "no", kind: .string("no")),
        .init(source: "on", kind: .string("on")), .init(source: "off", kind: .string("off")),
        .init(source: "y", kind: .string("y")), .init(source: "True", kind: .string("True")),
        .init(source: "TRUE", kind: .string("TRUE")), .init(source: "False", kind: .string("False")),
        .init(source: "NULL", kind: .string("NULL")), .init(source: "Null", kind: .string("Null")),
        .init(source: "true", kind: .bool(true)), .init(source: "false", kind: .bool(false)),
        .init(source: "null", kind: .null), .init(source: "~", kind: .null), .init(source: "", kind: .null),
        .init(source: "123", kind: .number("123")), .init(source: "-0", kind: .number("-0")),
        .init(source: "1.5e3", kind: .number("1.5e3")), .init(source: "1.5E+3", kind: .number("1.5E+3")),
        .init(source: "0.25", kind: .number("0.25")), .init(source: "123456789012345678901234567890", kind: .number("123456789012345678901234567890")),
        .init(source: "0x1F", kind: .string("0x1F")), .init(source: "0o17", kind: .string("0o17")),
        .init(source: "1_000", kind: .string("1_000")), .init(source: "+1", kind: .string("+1")),
        .init(source: ".5", kind: .string(".5")), .init(source: "1.", kind: .string("1.")),
        .init(source: "0123", kind: .string("0123")), .init(source: ".inf", kind: .string(".inf")),
        .init(source: ".NaN", kind: .string(".NaN")), .init(source: "2024-01-01", kind: .string("2024-01-01")),
        .init(source: "12:30:00", kind: .string("12:30:00")), .init(source: "111122223333", kind: .number("111122223333")),
        .init(source: "arn:aws:s3:::bucket/*", kind: .string("arn:aws:s3:::bucket/*")),
        .init(source: "\"123\"", kind: .string("123")), .init(source: "'true'", kind: .string("true")),
        .init(source: "\"\"", kind: .string("")), .init(source: "'it''s'", kind: .string("it's")),
        .init(source: "\"a\\tb\\u00e9\"", kind: .string("a\tbé")),
        .init(source: "!!str 123", kind: .string("123")), .init(source: "!!int 123", kind: .number("123")),
        .init(source: "!!float 1.5", kind: .number("1.5")), .init(source: "!!bool false", kind: .bool(false)),
        .init(source: "!!null ~", kind: .null), .init(source: "! 12", kind: .string("12")),
        .init(source: "!Ref Bucket", kind: .string("Bucket"), tag: "!Ref"),
        .init(source: "!GetAZs ''", kind: .string(""), tag: "!GetAZs"),
        .init(source: "!Ref", kind: .string(""), tag: "!Ref"),
        .init(source: "!Sub '${AWS::Region}'", kind: .string("${AWS::Region}"), tag: "!Sub"),
    ]

    @Test(arguments: scalars)
    func typesScalarsByJSONRules(_ testCase: ScalarCase) throws {
        let root = try ReaderTestSupport.yaml("v: \(testCase.source)\n").get()
        let value = try #require(root.members?.first?.value)
        #expect(value.kind == testCase.kind)
        #expect(value.tag == testCase.tag)
    }

    @Test func keepsCloudFormationTagsOnCollectionsAndScalars() throws {
        let text = """
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: !Join ['-', [!Ref Prefix, role]]
                  Arn: !GetAtt Bucket.Arn
                  Other: !GetAtt [Bucket, Arn]
                  Condition: !If
                    - IsProd
                    - !Ref AWS::NoValue
                    - {Key: !Sub "${AWS::StackName}"}
                  Plain: !!map {a: 1}
            """
        let properties = try #require(ReaderTestSupport.node(try ReaderTestSupport.yaml(text).get(), "Resources", "Role", "Properties"))
        let join = try #require(ReaderTestSupport.node(properties, "RoleName"))
        #expect(join.tag == "!Join")
        #expect(join.elements?.first?.kind == .string("-"))
        #expect(ReaderTestSupport.node(join, 1, 0)?.tag == "!Ref")
        #expect(ReaderTestSupport.node(join, 1, 0)?.kind == .string("Prefix"))
        #expect(ReaderTestSupport.node(join, 1, 1)?.tag == nil)
        #expect(ReaderTestSupport.node(properties, "Arn")?.tag == "!GetAtt")
        #expect(ReaderTestSupport.node(properties, "Other")?.tag == "!GetAtt")
        #expect(ReaderTestSupport.node(properties, "Other")?.elements?.count == 2)
        let condition = try #require(ReaderTestSupport.node(properties, "Condition"))
        #expect(condition.tag == "!If")
        #expect(condition.span.start.line == 8 && condition.span.start.column == 18)
        #expect(ReaderTestSupport.node(condition, 1)?.tag == "!Ref")
        #expect(ReaderTestSupport.node(condition, 2, "Key")?.tag == "!Sub")
        #expect(ReaderTestSupport.node(properties, "Plain")?.tag == nil)
    }

    @Test func aliasesAreExpandedAndLocatedAtTheirAnchor() throws {
        let root = try ReaderTestSupport.yaml("a: &x [1, {b: c}]\nd: *x\n").get()
        let a = try #require(ReaderTestSupport.node(root, "a"))
        let d = try #require(ReaderTestSupport.node(root, "d"))
        #expect(ReaderTestSupport.sameShape(a, d))
        #expect(d.span.start == a.span.start)
        #expect(d.span.start.line == 1 && d.span.start.column == 4)
    }

    @Test func lineBreaksAreTheOnesLibyamlCounts() throws {
        // CR LF, CR, NEL (U+0085) and LS (U+2028) each end a line, as in libyaml's marks.
        let root = try ReaderTestSupport.yaml("a: 1\r\nb: 2\rc: 3\u{85}d: é\u{2028}e: 5\n").get()
        let keys = try #require(root.members)
        #expect(keys.map(\.key) == ["a", "b", "c", "d", "e"])
        #expect(keys.map(\.keySpan.start.line) == [1, 2, 3, 4, 5])
        #expect(keys.map(\.keySpan.start.offset) == [0, 6, 11, 17, 25])
        #expect(keys[3].value.span.end == Self.location(4, 5, 22))
    }

    @Test func aUTF8ByteOrderMarkIsSkippedWithoutShiftingColumns() throws {
        let root = try YAMLReader.read([0xEF, 0xBB, 0xBF] + Array("a: 1\nb: [x]\n".utf8), file: "bom.yaml").get()
        #expect(root.members?.map(\.keySpan.start) == [Self.location(1, 1, 3), Self.location(2, 1, 8)])
        #expect(ReaderTestSupport.node(root, "b", 0)?.span.start == Self.location(2, 5, 12))
    }

    // MARK: - Duplicate keys

    struct DuplicateCase: Sendable, CustomTestStringConvertible {
        var name: String
        var source: String
        var key: String
        var first: (Int, Int)
        var second: (Int, Int)
        var testDescription: String { name }
    }

    static let duplicates: [DuplicateCase] = [
        .init(name: "block mapping", source: "a: 1\nb: 2\na: 3\n", key: "a", first: (1, 1), second: (3, 1)),
        .init(name: "nested mapping", source: "x:\n  y: 1\n  z: 2\n  y: 3\n", key: "y", first: (2, 3), second: (4, 3)),
        .init(name: "flow mapping", source: "x: {a: 1, b: 2, a: 3}\n", key: "a", first: (1, 5), second: (1, 17)),
        .init(name: "quoted and plain", source: "x:\n  \"a\": 1\n  a: 2\n", key: "a", first: (2, 3), second: (3, 3)),
        .init(name: "number and string", source: "1: a\n'1': b\n", key: "1", first: (1, 1), second: (2, 1)),
        .init(name: "three times", source: "a: 1\na: 2\na: 3\n", key: "a", first: (1, 1), second: (2, 1)),
        .init(name: "two repeated keys", source: "b: 1\na: 2\nb: 1\na: 3\n", key: "b", first: (1, 1), second: (3, 1)),
        .init(name: "in a list of mappings", source: "- a: 1\n  b: 2\n- a: 1\n  a: 2\n", key: "a", first: (3, 3), second: (4, 3)),
        .init(name: "empty keys", source: "{'': 1, \"\": 2}\n", key: "", first: (1, 2), second: (1, 9)),
        .init(name: "escaped quote", source: "'''a': 1\n\"'a\": 2\n", key: "'a", first: (1, 1), second: (2, 1)),
        .init(name: "non-ASCII", source: "é: 1\nx: é\né: 2\n", key: "é", first: (1, 1), second: (3, 1)),
        .init(name: "anchored key", source: "&k a: 1\na: 2\n", key: "a", first: (1, 1), second: (2, 1)),
        .init(name: "standard tags that Yams tells apart", source: "!!int 1: a\n1: b\n", key: "1", first: (1, 1), second: (2, 1)),
        .init(name: "in a policy statement", source: policy.replacingOccurrences(of: "    Resource: \"*\"\n", with: "    Resource: \"*\"\n    NotAction: s3:*\n"),
              key: "NotAction", first: (15, 5), second: (17, 5)),
    ]

    @Test(arguments: duplicates)
    func duplicateKeysAreReportedWithBothLocations(_ testCase: DuplicateCase) throws {
        let error = try #require(ReaderTestSupport.yaml(testCase.source).readError)
        #expect(error.kind == .duplicateKey)
        #expect(error.message.hasPrefix("duplicate key \"\(testCase.key)\""), "\(error.message)")
        #expect(error.span.start.line == testCase.second.0 && error.span.start.column == testCase.second.1, "\(error)")
        #expect(error.related.map { [$0.start.line, $0.start.column] } == [[testCase.first.0, testCase.first.1]])
        #expect(error.span.start.offset != nil)
    }

    // MARK: - Errors

    static let malformed: [MalformedCase] = [
        .init("unclosed flow mapping", "{a: 1\n", .syntax, 2, 1, "did not find expected ',' or '}' (while parsing a flow mapping at 1:1)"),
        .init("unclosed flow sequence", "a: [1, 2\nb: 3\n", .syntax, 2, 2, "did not find expected ',' or ']'"),
        .init("unterminated quoted string", "a: \"abc\n", .syntax, 2, 1, "found unexpected end of stream (while scanning a quoted scalar at 1:4)"),
        .init("mapping in a plain scalar", "a: b: c\n", .syntax, 1, 5, "mapping values are not allowed in this context"),
        .init("bad indentation", "a:\n  b: 1\n c: 2\n", .syntax, 3, 2, "did not find expected key"),
        .init("tab indentation", "a:\n\tb: 1\n", .syntax, 2, 1, "found character that cannot start any token"),
        .init("sequence after a mapping", "a: 1\n- b\n", .syntax, 2, 1, "did not find expected key"),
        .init("bad escape", "a: \"x\\qy\"\n", .syntax, 1, 6, "found unknown escape character"),
        .init("lone surrogate escape", "a: \"\\ud800\"\n", .syntax, 1, 7, "found invalid Unicode character escape code"),
        .init("reserved indicator", "a: @x\n", .syntax, 1, 4, "found character that cannot start any token"),
        .init("second document", "a: 1\n---\nb: 2\n", .syntax, 2, 1, "a second document starts here"),
        .init("undefined alias", "a: *x\n", .syntax, 1, 4, "found undefined alias"),
        .init("NUL byte", "a: b\u{0}c\n", .syntax, 1, 5, "NUL byte is not allowed in YAML"),
        .init("control character", "a: \u{7}\n", .syntax, 1, 4, "control character U+0007"),
        .init("C1 control character", "a:\n  - \u{80}\n", .syntax, 2, 5, "control character U+0080"),
        .init("noncharacter", "a: x\u{FFFE}\n", .syntax, 1, 5, "noncharacter U+FFFE"),
        .init("collection key", "? [a]\n: 1\n", .syntax, 1, 3, "a mapping key must be a scalar, not a sequence"),
        .init("flow collection key", "[a]: 1\n", .syntax, 1, 1, "a mapping key must be a scalar, not a collection"),
        .init("nested flow collection key", "x: {[a]: 1}\n", .syntax, 1, 5, "a mapping key must be a scalar, not a collection"),
        .init("tagged key", "!Ref a: 1\n", .syntax, 1, 1, "a tag on a mapping key is not supported (!Ref)"),
        .init("invalid !!int", "v: !!int abc\n", .syntax, 1, 4, "'abc' is not a valid !!int"),
        .init("invalid !!bool", "v: !!bool yes\n", .syntax, 1, 4, "'yes' is not a valid !!bool"),
        .init("unsupported scalar tag", "v: !!timestamp 2001-12-14\n", .syntax, 1, 4, "!!timestamp is not supported on a scalar"),
        .init("unsupported collection tag", "v: !!set {a: null}\n", .syntax, 1, 4, "!!set is not supported on a mapping"),
        .init("empty file", "", .empty, 1, 1, "the file is empty"),
        .init("blank lines", "\n \n\t\n", .empty, 1, 1, "only whitespace"),
        .init("comments only", "# nothing\n  # here\n", .empty, 1, 1, "holds only comments"),
        .init("document marker only", "---\n", .empty, 1, 1, "the YAML document is empty"),
        .init("alias as a key", "a: &x k\n*x : 1\n", .limitExceeded, 2, 1, "an alias cannot be used as a mapping key"),
        .init("alias as a flow key", "a: &x k\nb: {*x : 1}\n", .limitExceeded, 2, 5, "an alias cannot be used as a mapping key"),
        .init("explicit collection key in a file with aliases", "a: &x [1]\n? - b\n: *x\n", .limitExceeded, 2, 1, "explicit '?' mapping key"),
        .init("explicit key on later lines in a file with aliases", "a: &x [1]\n?\n  b: c\n: *x\n", .limitExceeded, 2, 1, "explicit '?' mapping key"),
        .init("explicit mapping key in a file with aliases", "? b: c\n: 1\nd: &x [1]\ne: *x\n", .limitExceeded, 1, 1, "explicit '?' mapping key"),
        .init("string too long", "a: \"\(String(repeating: "x", count: 1_048_577))\"\n", .limitExceeded, 1, 4, "string longer than 1048576 bytes"),
    ]

    @Test(arguments: malformed)
    func refusesMalformedInput(_ testCase: MalformedCase) {
        testCase.verify(ReaderTestSupport.yaml(testCase.input))
    }

    @Test(arguments: ["---\na: 1\n", "--- {a: 1}\n", "a: 1\n...\n", "%YAML 1.1\n---\na: 1\n", "# c\n---\na: 1 # c\n...\n# end\n"])
    func documentMarkersAroundOneDocumentAreAccepted(_ text: String) throws {
        #expect(try ReaderTestSupport.yaml(text).get().members?.first?.value.kind == .number("1"))
    }

    @Test func explicitScalarKeysWithoutAliasesAreRead() throws {
        let root = try ReaderTestSupport.yaml("? a\n: 1\n? b\n: [2]\n").get()
        #expect(root.members?.map(\.key) == ["a", "b"])
        // One-line scalar keys are fine in files that use aliases too.
        let aliased = try ReaderTestSupport.yaml("x: &x [1]\n? 'a long key'\n: *x\n? |\n  block key\n: *x\n").get()
        #expect(aliased.members?.map(\.key) == ["x", "a long key", "block key\n"])
        #expect(ReaderTestSupport.node(aliased, "block key\n")?.elements?.count == 1)
    }

    @Test func syntaxErrorsKeepTheirContextInRelated() throws {
        let error = try #require(ReaderTestSupport.yaml("x: 1\ny: {a: 1\n").readError)
        #expect(error.span.start == Self.location(3, 1, 14))
        #expect(error.related == [SourceSpan(file: "test.yaml", start: Self.location(2, 4, 8))])
    }
}
