import SMT
import Testing

@Suite("Glob patterns as Z3 regexes")
struct GlobRegexTests {
    @Test("a string constrained by a glob regex gets a model that matches the glob", arguments: [
        "arn:aws:s3:::my-*-bucket/*",
        "*é*/?\\*",
    ])
    func globQuery(glob: String) throws {
        let context = try SMTContext()
        let resource = try context.stringConstant("resource")
        let result = try check(context, [
            resource.inRegex(Glob.regex(glob, in: context)),
            resource.length().gt(context.int(30)),
            resource.contains(context.string("x")),
        ])
        let model = try #require(result.model, "expected sat, got \(result)")
        let value = try #require(try model.string(resource))
        #expect(Glob.matches(glob, value), "\(value.debugDescription) does not match \(glob)")
        #expect(value.unicodeScalars.count > 30)
        #expect(value.contains("x"))
        #expect(try model.int(resource.length()) == value.unicodeScalars.count)
    }

    @Test("regex membership of literals agrees with the Swift glob matcher", arguments: [
        ("my-*-bucket", "my--bucket"),
        ("my-*-bucket", "my-bucket"),
        ("my-*-bucket", "my-a-b-bucket"),
        ("a?c", "abc"),
        ("a?c", "ac"),
        ("a?c", "abbc"),
        ("a?c", "a😀c"),
        ("*", ""),
        ("?", ""),
        ("a\\*", "a\\zz"),
        ("a\\*", "azz"),
        ("é*", "e"),
        ("é*", "élan"),
    ])
    func literalMembership(glob: String, text: String) throws {
        let context = try SMTContext()
        let member = try context.string(text).inRegex(Glob.regex(glob, in: context))
        let result = try check(context, [member])
        if Glob.matches(glob, text) {
            #expect(result.isSat, "\(text) should match \(glob): \(result)")
        } else {
            #expect(result.isUnsat, "\(text) should not match \(glob): \(result)")
        }
    }

    @Test("allChar is exactly one character of any code point up to U+2FFFF")
    func allCharIsOneCharacter() throws {
        let context = try SMTContext()
        let any = try context.regex.allChar()
        for text in ["a", "😀", "\u{0}", "\\"] {
            #expect(try check(context, [context.string(text).inRegex(any)]).isSat, "\(text.debugDescription)")
        }
        #expect(try check(context, [context.string(codes: [0x2FFFF]).inRegex(any)]).isSat)
        for text in ["", "ab", "😀😀"] {
            #expect(try check(context, [context.string(text).inRegex(any)]).isUnsat, "\(text.debugDescription)")
        }
    }

    @Test("regex combinators: union, intersection, complement, option, plus, loop, empty, full")
    func combinators() throws {
        let context = try SMTContext()
        let re = context.regex
        let s = try context.stringConstant("s")
        let digits = try re.plus(re.range("0", "9"))
        let letters = try re.plus(re.range("a", "z"))

        func decide(_ regex: Term, _ extra: [Term] = []) throws -> SatResult {
            try check(context, [s.inRegex(regex)] + extra)
        }
        #expect(try decide(re.intersect([digits, letters])).isUnsat)
        #expect(try decide(re.empty()).isUnsat)
        #expect(try decide(re.full(), [s.eq(context.string("anything ✓"))]).isSat)
        #expect(try decide(re.union([]), []).isUnsat)
        #expect(try decide(re.intersect([]), [s.eq(context.string("x"))]).isSat)
        #expect(try decide(re.concat([]), [s.length().gt(context.int(0))]).isUnsat)
        #expect(try decide(re.complement(digits), [s.eq(context.string("123"))]).isUnsat)
        #expect(try decide(re.complement(digits), [s.eq(context.string("12a"))]).isSat)
        #expect(try decide(re.option(re.literal("ab")), [s.length().eq(context.int(1))]).isUnsat)
        #expect(try decide(re.loop(letters, min: 2, max: 2), [s.length().eq(context.int(1))]).isUnsat)

        let union = try re.union([digits, letters])
        let result = try decide(union, [s.length().eq(context.int(3)), s.hasPrefix(context.string("a"))])
        let value = try #require(try result.model?.string(s))
        #expect(value.count == 3 && value.allSatisfy { $0.isLowercase && $0.isASCII })
        #expect(throws: SMTError.self) { try re.loop(letters, min: 3, max: 2) }
    }
}
