import Testing
@testable import PolicyLanguage

/// A string two glob patterns both match: the escalation search's concrete guesses use it to find a
/// resource that a statement's pattern and a step's resource kind share.
@Suite("Glob intersection")
struct GlobIntersectionTests {
    @Test(arguments: [
        ("arn:aws:sagemaker:us-east-1:1:*Canvas*", "arn:aws:sagemaker:us-east-1:1:training-job/*", "arn:aws:sagemaker:us-east-1:1:training-job/Canvas"),
        ("role/team-*", "role/*", "role/team-"),
        ("a?c", "*b*", "abc"),
        ("*", "", ""),
        ("a*", "*b", "ab"),
        ("**x", "x**", "x"),
    ])
    func sharedStrings(_ left: String, _ right: String, _ expected: String) {
        #expect(glob(left).commonMatch(with: glob(right)) == expected)
    }

    @Test(arguments: [("a*", "b*"), ("*a", "*b"), ("??", "?"), ("role/*", "user/*"), ("arn:aws:s3:::x", "arn:aws:s3:::y")])
    func disjointPatternsShareNothing(_ left: String, _ right: String) {
        #expect(glob(left).commonMatch(with: glob(right)) == nil)
    }

    @Test func emptyPartsAreFilledWhereBothStillMatch() {
        let stack = glob("arn:aws:cloudformation:us-east-1:1:stack/awseb-*")
        let kind = glob("arn:aws:cloudformation:us-east-1:1:stack/*/*")
        #expect(stack.commonMatch(with: kind) == "arn:aws:cloudformation:us-east-1:1:stack/awseb-/")
        #expect(stack.commonMatch(with: kind, filler: "example") == "arn:aws:cloudformation:us-east-1:1:stack/awseb-example/example")
        // IAM ARNs have an empty region; the filler must not go there.
        #expect(glob("arn:aws:iam::1:role/*").commonMatch(with: glob("arn:*:iam::*:role/x-*"), filler: "example") == "arn:aws:iam::1:role/x-example")
    }

    /// Every pair of short patterns over `a`, `b`, `*`, `?`: the answer is a shortest string both match,
    /// and `nil` exactly when no string of the alphabet (with `x` for free positions) up to the longest
    /// possible shortest length does.
    @Test func agreesWithBruteForceOnAllShortPatterns() {
        let patterns = Self.words(over: ["a", "b", "*", "?"], upTo: 3)
        let texts = Self.words(over: ["a", "b", "x"], upTo: 6).sorted { $0.count < $1.count }
        var checked = 0
        for left in patterns {
            for right in patterns {
                let a = glob(left), b = glob(right)
                let shortest = texts.first { a.matches($0) && b.matches($0) }
                let found = a.commonMatch(with: b)
                #expect(found?.count == shortest?.count, "\(left) ∩ \(right): \(found ?? "nil") vs \(shortest ?? "nil")")
                if let found { #expect(a.matches(found) && b.matches(found), "\(left) ∩ \(right): \(found)") }
                checked += 1
            }
        }
        #expect(checked == patterns.count * patterns.count)
    }

    private static func words(over alphabet: [String], upTo length: Int) -> [String] {
        var all = [""]
        var layer = [""]
        for _ in 0..<length {
            layer = layer.flatMap { word in alphabet.map { word + $0 } }
            all += layer
        }
        return all
    }

    private func glob(_ text: String) -> GlobPattern { GlobPattern(wildcardText: Substring(text)) }
}
