import SMT
import Testing

@Suite("Strings")
struct StringTests {
    @Test("a string cannot have both prefix \"a\" and prefix \"b\"")
    func conflictingPrefixes() throws {
        let context = try SMTContext()
        let s = try context.stringConstant("s")
        let result = try check(context, [
            s.hasPrefix(context.string("a")),
            s.hasPrefix(context.string("b")),
        ])
        #expect(result.isUnsat, "\(result)")
    }

    @Test("literals round-trip exactly through a model", arguments: [
        "plain ascii",
        "",
        "back\\slash",
        "\\u{41} is not an escape",
        "\\x41 and \\n stay literal",
        "héllo wörld",
        "日本語のテキスト",
        "emoji 😀 and flag 🇩🇪",
        "quote \" tab \t newline \n nul \u{0} del \u{7F}",
        "e\u{301} (combining) vs é",
        "\\",
        "\\\\u{5c}",
    ])
    func literalRoundTrip(value: String) throws {
        let context = try SMTContext()
        let s = try context.stringConstant("s")
        let literal = try context.string(value)
        #expect(try literal.length().simplified().description == "\(value.unicodeScalars.count)")
        let result = try check(context, [s.eq(literal)])
        let model = try #require(result.model, "\(result)")
        let readBack = try #require(try model.string(s))
        #expect(Array(readBack.unicodeScalars) == Array(value.unicodeScalars))
        #expect(try model.stringCodes(s) == value.unicodeScalars.map(\.value))
    }

    @Test("values invented by Z3 that contain a backslash are decoded exactly")
    func backslashInventedByZ3() throws {
        let context = try SMTContext()
        let s = try context.stringConstant("s")
        // The only solution prints as \u{41} in Z3 4.8.12, which is also how
        // Z3 would print the single character "A".
        let result = try check(context, [
            s.hasPrefix(context.string("\\")),
            s.hasSuffix(context.string("u{41}")),
            s.length().eq(context.int(6)),
        ])
        let value = try #require(try result.model?.string(s))
        #expect(value == "\\u{41}")
    }

    @Test("non-ASCII values invented by Z3 are decoded to the real characters")
    func nonASCIIInventedByZ3() throws {
        let context = try SMTContext()
        let s = try context.stringConstant("s")
        let cjk = try context.regex.plus(context.regex.range("\u{4E00}", "\u{9FFF}"))
        let result = try check(context, [s.inRegex(cjk), s.length().ge(context.int(4))])
        let value = try #require(try result.model?.string(s))
        #expect(value.unicodeScalars.count >= 4)
        #expect(value.unicodeScalars.allSatisfy { (0x4E00...0x9FFF).contains($0.value) })
    }

    @Test("characters beyond U+2FFFF are rejected, not mangled")
    func beyondMaximumCharacter() throws {
        let context = try SMTContext()
        let error = #expect(throws: SMTError.self) { try context.string("ok \u{30000}") }
        #expect(error?.isInvalidArgument == true)
        #expect(throws: SMTError.self) { try context.string(codes: [0x110000]) }
        #expect(throws: SMTError.self) { try context.regex.range("a", "\u{10FFFF}") }
    }

    @Test("a lone surrogate is readable as codes but not as a Swift String")
    func surrogateValue() throws {
        let context = try SMTContext()
        let s = try context.stringConstant("s")
        let result = try check(context, [s.eq(context.string(codes: [0x61, 0xD800]))])
        let model = try #require(result.model)
        #expect(try model.stringCodes(s) == [0x61, 0xD800])
        let error = #expect(throws: SMTError.self) { try model.string(s) }
        if case .unrepresentableValue = error {} else { Issue.record("unexpected \(String(describing: error))") }
    }

    @Test("concatenation, suffix, contains and lexicographic order")
    func operations() throws {
        let context = try SMTContext()
        let a = try context.stringConstant("a")
        let b = try context.stringConstant("b")
        let joined = try context.concat([a, context.string("-"), b])
        let result = try check(context, [
            joined.eq(context.string("foo-bar")),
            a.length().eq(context.int(3)),
        ])
        let model = try #require(result.model)
        #expect(try model.string(a) == "foo")
        #expect(try model.string(b) == "bar")
        #expect(try model.string(joined) == "foo-bar")

        let s = try context.stringConstant("s")
        #expect(try check(context, [s.lexLessThan(context.string("b")), s.hasPrefix(context.string("b"))]).isUnsat)
        let ordered = try check(context, [
            s.lexLessOrEqual(context.string("b")),
            s.lexLessThan(context.string("b")).not(),
        ])
        #expect(try ordered.model?.string(s) == "b")
        #expect(try check(context, [s.contains(context.string("needle")), s.hasSuffix(context.string("dle")),
                                    s.length().lt(context.int(6))]).isUnsat)
        #expect(try context.concat([]).simplified().description == "\"\"")
    }
}
