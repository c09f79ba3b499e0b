/// Glob matching as IAM uses it in `Action`, `NotAction`, `Resource` and the `*Like` condition operators.
///
/// A pattern matches a text as a whole. `*` matches any sequence of characters, including the empty one;
/// `?` matches exactly one Unicode scalar; every other character matches itself. There is no escape
/// character, so a literal `*` or `?` cannot be expressed (IAM has none either, outside policy variables,
/// which callers resolve before matching).
public enum Wildcard {
    /// Whether `text` as a whole matches `pattern`.
    ///
    /// - Parameters:
    ///   - pattern: the glob; only `*` and `?` are special.
    ///   - text: the text to match, for example an action name or an ARN.
    ///   - caseInsensitive: when `true`, ASCII letters compare without regard to case (action names and
    ///     condition key names are ASCII); all other characters, including non-ASCII letters, compare exactly.
    ///     Use `false` for resources, which IAM matches case-sensitively.
    /// - Returns: `true` exactly when some assignment of text to the wildcards makes the pattern equal the text.
    ///
    /// The matcher is greedy and backtracks only to the most recent `*`, so it needs no memory beyond a few
    /// indices and takes O(|pattern| × |text|) steps in the worst case, linear in typical cases. It does not
    /// allocate for native strings and substrings.
    public static func matches<Pattern: StringProtocol, Text: StringProtocol>(
        _ pattern: Pattern, _ text: Text, caseInsensitive: Bool
    ) -> Bool {
        let result = pattern.utf8.withContiguousStorageIfAvailable { patternBytes in
            text.utf8.withContiguousStorageIfAvailable { textBytes in
                matches(pattern: patternBytes, text: textBytes, caseInsensitive: caseInsensitive)
            }
        }
        if case let matched?? = result { return matched }
        let patternBytes = Array(pattern.utf8)
        let textBytes = Array(text.utf8)
        return patternBytes.withUnsafeBufferPointer { patternBuffer in
            textBytes.withUnsafeBufferPointer { textBuffer in
                matches(pattern: patternBuffer, text: textBuffer, caseInsensitive: caseInsensitive)
            }
        }
    }

    /// Whether `text` contains a `*` or `?`, the characters `matches(_:_:caseInsensitive:)` treats specially.
    public static func containsWildcard<Text: StringProtocol>(_ text: Text) -> Bool {
        text.utf8.contains { $0 == asterisk || $0 == questionMark }
    }

    static let asterisk = UInt8(ascii: "*")
    static let questionMark = UInt8(ascii: "?")

    /// The matcher over UTF-8 bytes. Both buffers must hold valid UTF-8 for `?` to count Unicode scalars;
    /// on invalid input it still terminates and never reads out of bounds.
    static func matches(
        pattern: UnsafeBufferPointer<UInt8>, text: UnsafeBufferPointer<UInt8>, caseInsensitive: Bool
    ) -> Bool {
        let patternCount = pattern.count
        let textCount = text.count
        var p = 0
        var t = 0
        // Position in the pattern just after the last `*` seen, and where in the text that star's
        // match currently ends; -1 when no star has been seen.
        var starNext = -1
        var starText = 0
        while t < textCount {
            if p < patternCount {
                let c = pattern[p]
                if c == asterisk {
                    p += 1
                    starNext = p
                    starText = t
                    continue
                }
                if c == questionMark {
                    p += 1
                    t = min(t + scalarLength(leadByte: text[t]), textCount)
                    continue
                }
                let b = text[t]
                if c == b || (caseInsensitive && asciiLowercase(c) == asciiLowercase(b)) {
                    p += 1
                    t += 1
                    continue
                }
            }
            guard starNext >= 0 else { return false }
            // Let the last star swallow one more scalar and retry the rest of the pattern after it.
            starText = min(starText + scalarLength(leadByte: text[starText]), textCount)
            t = starText
            p = starNext
        }
        while p < patternCount, pattern[p] == asterisk { p += 1 }
        return p == patternCount
    }

    /// The number of bytes of the UTF-8 sequence that starts with `byte` (1 for a stray continuation byte).
    @inline(__always)
    static func scalarLength(leadByte byte: UInt8) -> Int {
        if byte < 0xC0 { return 1 }
        if byte < 0xE0 { return 2 }
        if byte < 0xF0 { return 3 }
        return 4
    }

    /// `byte` with ASCII `A`–`Z` mapped to `a`–`z`; every other byte unchanged.
    @inline(__always)
    static func asciiLowercase(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }
}
