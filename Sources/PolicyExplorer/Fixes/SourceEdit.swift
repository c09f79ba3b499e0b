/// A replacement of a range of a policy's source text, in UTF-8 byte offsets: fixes are written into
/// the user's own text, so that everything else (order, spacing, comments in YAML) stays as it was.
public struct SourceEdit: Sendable, Equatable {
    public var range: Range<Int>
    public var replacement: String

    public init(range: Range<Int>, replacement: String) {
        self.range = range
        self.replacement = replacement
    }

    /// An insertion at `offset`.
    public static func insert(_ text: String, at offset: Int) -> SourceEdit {
        SourceEdit(range: offset..<offset, replacement: text)
    }
}

extension [SourceEdit] {
    /// `text` with every edit made, each range read in the original text; edits must not overlap.
    /// An insertion at the offset where a replacement starts goes before the replacement. `nil` when
    /// an edit lies outside the text.
    public func applied(to text: String) -> String? {
        var bytes = [UInt8](text.utf8)
        guard allSatisfy({ $0.range.lowerBound >= 0 && $0.range.upperBound <= bytes.count }) else { return nil }
        // From the end, so that earlier offsets stay valid; at one offset the longer range first.
        for edit in sorted(by: { ($0.range.lowerBound, $0.range.upperBound) > ($1.range.lowerBound, $1.range.upperBound) }) {
            bytes.replaceSubrange(edit.range, with: [UInt8](edit.replacement.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The lines an edit changed, for showing a fix as a diff.
public struct DiffLine: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case removed, added, context }
    public var kind: Kind
    public var text: String
}

/// Lines of a source text, whatever its line ends (in a Swift string `"\r\n"` is one character).
enum SourceLines {
    static func split(_ text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
    }

    /// The text's line end, to write new lines the way the file does.
    static func newline(of text: String) -> String { text.contains("\r\n") ? "\r\n" : "\n" }
}

enum LineDiff {
    /// The changed region between `old` and `new` (one hunk: common prefix and suffix lines dropped,
    /// `context` lines kept around it).
    static func lines(from old: String, to new: String, context: Int = 1) -> [DiffLine] {
        let a = SourceLines.split(old).map(String.init)
        let b = SourceLines.split(new).map(String.init)
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let before = a[max(0, prefix - context)..<prefix].map { DiffLine(kind: .context, text: $0) }
        let removed = a[prefix..<(a.count - suffix)].map { DiffLine(kind: .removed, text: $0) }
        let added = b[prefix..<(b.count - suffix)].map { DiffLine(kind: .added, text: $0) }
        let after = a[(a.count - suffix)..<min(a.count, a.count - suffix + context)].map { DiffLine(kind: .context, text: $0) }
        return before + removed + added + after
    }
}
