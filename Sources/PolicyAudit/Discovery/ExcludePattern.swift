import PolicyLanguage

/// A `.gitignore`-style pattern given with `--exclude`.
///
/// Guarantees the gitignore meanings people rely on: `*` and `?` never cross `/`; `**` crosses
/// directories (`**/fixtures`, `docs/**`, `a/**/b`); a pattern without `/` (other than a trailing
/// one) matches a name at any depth (`node_modules`, `*.tf.json`); a pattern with a `/` is anchored at
/// the audited directory; a trailing `/` matches directories only; a directory that matches excludes
/// everything below it.
public struct ExcludePattern: Sendable, Equatable, CustomStringConvertible {
    public let text: String
    private let segments: [String]
    private let anchored: Bool
    private let directoryOnly: Bool

    public init(_ text: String) {
        self.text = text
        var body = text
        directoryOnly = body.hasSuffix("/")
        while body.hasSuffix("/") { body.removeLast() }
        anchored = body.contains("/")
        if body.hasPrefix("/") { body.removeFirst() }
        segments = body.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// Whether the entry at `relativePath` (components separated by `/`, relative to the audited
    /// directory) is excluded; `isDirectory` tells whether the entry itself is a directory.
    public func matches(_ relativePath: String, isDirectory: Bool) -> Bool {
        let components = relativePath.split(separator: "/").map(String.init)
        guard !components.isEmpty, !segments.isEmpty else { return false }
        // Any leading directory that matches excludes the entry too.
        for end in 1...components.count {
            let prefix = Array(components[0..<end])
            let prefixIsDirectory = end < components.count || isDirectory
            if directoryOnly && !prefixIsDirectory { continue }
            // Unanchored patterns are one segment: they match a component at any depth.
            let candidate = anchored ? prefix[...] : prefix[(prefix.count - 1)...]
            if Self.match(segments[...], candidate) { return true }
        }
        return false
    }

    /// Segment-wise match where `**` stands for any number of path components.
    private static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            let rest = pattern.dropFirst()
            for skip in 0...path.count where match(rest, path.dropFirst(skip)) { return true }
            return false
        }
        guard let component = path.first else { return false }
        return GlobPattern(wildcardText: Substring(first)).matches(component) && match(pattern.dropFirst(), path.dropFirst())
    }

    public var description: String { text }
}
