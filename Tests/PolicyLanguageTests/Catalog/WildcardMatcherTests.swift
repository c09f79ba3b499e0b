import Testing

@testable import PolicyLanguage

@Suite("Wildcard matcher")
struct WildcardMatcherTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let pattern: String
        let text: String
        let caseInsensitive: Bool
        let expected: Bool
        var testDescription: String { "\"\(pattern)\" ~ \"\(text)\" (ci: \(caseInsensitive)) == \(expected)" }
    }

    static let cases: [Case] = [
        // Empty pattern and text.
        Case(pattern: "", text: "", caseInsensitive: false, expected: true),
        Case(pattern: "", text: "a", caseInsensitive: false, expected: false),
        Case(pattern: "a", text: "", caseInsensitive: false, expected: false),
        // `*` alone and repeated.
        Case(pattern: "*", text: "", caseInsensitive: false, expected: true),
        Case(pattern: "*", text: "s3:GetObject", caseInsensitive: false, expected: true),
        Case(pattern: "**", text: "", caseInsensitive: false, expected: true),
        Case(pattern: "**", text: "abc", caseInsensitive: false, expected: true),
        Case(pattern: "a**c", text: "abbbc", caseInsensitive: false, expected: true),
        // `?` needs exactly one character.
        Case(pattern: "?", text: "", caseInsensitive: false, expected: false),
        Case(pattern: "?", text: "a", caseInsensitive: false, expected: true),
        Case(pattern: "?", text: "ab", caseInsensitive: false, expected: false),
        Case(pattern: "*?", text: "", caseInsensitive: false, expected: false),
        Case(pattern: "?*", text: "x", caseInsensitive: false, expected: true),
        // `?` is one Unicode scalar, whatever its UTF-8 length (2, 3 and 4 bytes).
        Case(pattern: "?", text: "é", caseInsensitive: false, expected: true),
        Case(pattern: "??", text: "é", caseInsensitive: false, expected: false),
        Case(pattern: "?", text: "€", caseInsensitive: false, expected: true),
        Case(pattern: "?", text: "👍", caseInsensitive: false, expected: true),
        Case(pattern: "a?c", text: "aéc", caseInsensitive: false, expected: true),
        Case(pattern: "a??c", text: "aéc", caseInsensitive: false, expected: false),
        Case(pattern: "*?👍", text: "é€👍", caseInsensitive: false, expected: true),
        Case(pattern: "*é", text: "aé", caseInsensitive: false, expected: true),
        Case(pattern: "*?", text: "👍", caseInsensitive: false, expected: true),
        // Literal text and backtracking.
        Case(pattern: "abc", text: "abc", caseInsensitive: false, expected: true),
        Case(pattern: "abc", text: "abd", caseInsensitive: false, expected: false),
        Case(pattern: "a*b*c", text: "axxbyyc", caseInsensitive: false, expected: true),
        Case(pattern: "a*b*c", text: "axxbyy", caseInsensitive: false, expected: false),
        Case(pattern: "*ab", text: "aab", caseInsensitive: false, expected: true),
        Case(pattern: "*a", text: "bbba", caseInsensitive: false, expected: true),
        Case(pattern: "*a", text: "bbbab", caseInsensitive: false, expected: false),
        Case(pattern: "a*a*a*a*b", text: String(repeating: "a", count: 200), caseInsensitive: false, expected: false),
        // Case handling: ASCII folding only when asked; non-ASCII letters always exact.
        Case(pattern: "S3:GET*", text: "s3:GetObject", caseInsensitive: true, expected: true),
        Case(pattern: "S3:GET*", text: "s3:GetObject", caseInsensitive: false, expected: false),
        Case(pattern: "s3:get?bject", text: "S3:GetObject", caseInsensitive: true, expected: true),
        Case(pattern: "É", text: "é", caseInsensitive: true, expected: false),
        // Resources: case-sensitive, `*` crosses `/` and `:`.
        Case(pattern: "arn:aws:s3:::bucket/*", text: "arn:aws:s3:::bucket/a/b", caseInsensitive: false, expected: true),
        Case(pattern: "arn:aws:s3:::Bucket/*", text: "arn:aws:s3:::bucket/x", caseInsensitive: false, expected: false),
        Case(pattern: "bucket/*/test/*", text: "bucket//test/object.jpg", caseInsensitive: false, expected: true),
        Case(pattern: "arn:aws:iam::*", text: "arn:aws:iam::123456789012:role/x", caseInsensitive: false, expected: true),
    ]

    @Test("matches(_:_:caseInsensitive:)", arguments: cases)
    func matches(_ example: Case) {
        #expect(Wildcard.matches(example.pattern, example.text, caseInsensitive: example.caseInsensitive) == example.expected)
    }

    @Test("Substring patterns and texts match like strings")
    func substrings() {
        let policyText = "[s3:Get*]"
        let pattern = policyText.dropFirst().dropLast()
        #expect(Wildcard.matches(pattern, "s3:GetObject", caseInsensitive: true))
        #expect(!Wildcard.matches(pattern, "s3:PutObject", caseInsensitive: true))
        #expect(Wildcard.matches("s3:*", "xs3:GetObjectx".dropFirst().dropLast(), caseInsensitive: false))
    }

    @Test("containsWildcard")
    func containsWildcard() {
        #expect(Wildcard.containsWildcard("s3:Get*"))
        #expect(Wildcard.containsWildcard("s3:Get?bject"))
        #expect(!Wildcard.containsWildcard("s3:GetObject"))
        #expect(!Wildcard.containsWildcard(""))
    }

    /// The greedy matcher agrees with a plain recursive matcher over Unicode scalars on random inputs.
    @Test("Agrees with a reference matcher on 20,000 random cases")
    func agreesWithReference() {
        var random = SeededGenerator(seed: 0x5EED)
        let alphabet: [Unicode.Scalar] = ["a", "b", "A", "é", "👍"]
        let patternAlphabet: [Unicode.Scalar] = alphabet + ["*", "?", "*"]
        var disagreements: [String] = []
        for _ in 0..<20_000 {
            let pattern = (0..<Int(random.next() % 7)).map { _ in patternAlphabet[Int(random.next() % UInt64(patternAlphabet.count))] }
            let text = (0..<Int(random.next() % 8)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            for caseInsensitive in [false, true] {
                let expected = Self.reference(pattern[...], text[...], caseInsensitive: caseInsensitive)
                let actual = Wildcard.matches(
                    String(String.UnicodeScalarView(pattern)), String(String.UnicodeScalarView(text)),
                    caseInsensitive: caseInsensitive)
                if actual != expected {
                    disagreements.append("\(String(String.UnicodeScalarView(pattern))) ~ \(String(String.UnicodeScalarView(text))) ci=\(caseInsensitive)")
                }
            }
        }
        #expect(disagreements.count == 0, "first disagreements: \(disagreements.prefix(5))")
    }

    /// Exponential but obviously correct: `*` tries every split, `?` takes one scalar.
    static func reference(_ pattern: ArraySlice<Unicode.Scalar>, _ text: ArraySlice<Unicode.Scalar>, caseInsensitive: Bool) -> Bool {
        guard let first = pattern.first else { return text.isEmpty }
        let rest = pattern.dropFirst()
        if first == "*" {
            return (0...text.count).contains { reference(rest, text.dropFirst($0), caseInsensitive: caseInsensitive) }
        }
        guard let head = text.first else { return false }
        if first == "?" { return reference(rest, text.dropFirst(), caseInsensitive: caseInsensitive) }
        let fold: (Unicode.Scalar) -> Unicode.Scalar = { scalar in
            caseInsensitive && ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar
        }
        return fold(first) == fold(head) && reference(rest, text.dropFirst(), caseInsensitive: caseInsensitive)
    }
}
