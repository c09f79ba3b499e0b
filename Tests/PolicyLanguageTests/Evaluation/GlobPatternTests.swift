import Testing
@testable import PolicyLanguage

/// The glob matcher behind StringLike, the ARN operators and Resource matching (SEMANTICS.md §2:
/// `*` any sequence, possibly empty; `?` exactly one character; everything else literal).
@Suite("Glob patterns")
struct GlobPatternTests {
    @Test(arguments: [
        ("", "", true), ("", "a", false), ("*", "", true), ("?", "", false), ("?", "é", true), ("??", "é", false),
        ("a*", "a", true), ("*a", "ba", true), ("*a", "ab", false), ("a*b", "a-b-b", true), ("a*b?", "a-b-bc", true),
        ("*?*", "", false), ("*?*", "x", true), ("**", "anything", true), ("a?c", "a/c", true), ("a?c", "a:c", true),
        ("x*y*z", "xyz", true), ("x*y*z", "xzy", false), ("ab*", "Ab", false),
    ])
    func wildcardMatching(_ pattern: String, _ text: String, _ matches: Bool) {
        #expect(GlobPattern(wildcardText: Substring(pattern)).matches(text) == matches, "\(pattern) vs \(text)")
    }

    @Test func literalAndCaseFolding() {
        #expect(GlobPattern(literal: "a*").matches("a*"))
        #expect(!GlobPattern(literal: "a*").matches("ab"))
        #expect(GlobPattern(wildcardText: "S3:Get*").matches("s3:getobject", caseInsensitive: true))
        #expect(!GlobPattern(wildcardText: "S3:Get*").matches("s3:getobject"))
    }

    @Test func fieldsSplitAtTheFirstColons() {
        let fields = GlobPattern(wildcardText: "arn:aws:logs:*:1:log-group:x:*").fields(max: 6)
        #expect(fields.count == 6)
        #expect(fields[3] == GlobPattern(tokens: [.star]))
        #expect(fields[5] == GlobPattern(wildcardText: "log-group:x:*"), "the sixth field keeps its colons")
        #expect(GlobPattern(wildcardText: "a:b").fields(max: 6).count == 2)
    }

    /// Templates: text keeps its wildcards, escapes and substituted values are literal.
    @Test func templatesBecomeGlobs() throws {
        let policy = try evaluablePolicy(document(statement(condition: clause("StringLike", "k", ["a*${?}${aws:username}"]))))
        let template = try #require(policy.statements.first?.condition?.clauses.first?.values.first?.template)
        let glob = try #require(template.glob(in: requestContext(["aws:username": "b*"]), wildcards: true))
        #expect(glob.matches("axyz?b*"))
        #expect(!glob.matches("axyz?bc"), "the substituted * is literal")
        #expect(!glob.matches("axyzXb*"), "${?} is literal")
        #expect(template.glob(in: RequestContext(), wildcards: true) == nil, "unresolved variable")
        #expect(template.resolvedText(in: requestContext(["aws:username": "b"])) == "a*?b")
    }

    /// The linear matcher agrees with a plain recursive definition on random patterns and texts over a
    /// small alphabet (deterministic seed).
    @Test func agreesWithReferenceMatcher() {
        var random = SeededGenerator(seed: 0x5EED_1A11)  // ReaderTestSupport.swift
        let alphabet: [Character] = ["a", "b", ":", "/"]
        for _ in 0..<4000 {
            let pattern = String((0..<Int(random.next() % 7)).map { _ in (alphabet + ["*", "?"])[Int(random.next() % 6)] })
            let text = String((0..<Int(random.next() % 8)).map { _ in alphabet[Int(random.next() % 4)] })
            let expected = Self.reference(Array(pattern), Array(text))
            #expect(GlobPattern(wildcardText: Substring(pattern)).matches(text) == expected, "\(pattern) vs \(text)")
        }
    }

    static func reference(_ p: [Character], _ t: [Character]) -> Bool {
        guard let first = p.first else { return t.isEmpty }
        switch first {
        case "*": return reference(Array(p.dropFirst()), t) || (!t.isEmpty && reference(p, Array(t.dropFirst())))
        case "?": return !t.isEmpty && reference(Array(p.dropFirst()), Array(t.dropFirst()))
        default: return t.first == first && reference(Array(p.dropFirst()), Array(t.dropFirst()))
        }
    }
}
