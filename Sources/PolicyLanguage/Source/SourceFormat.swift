/// The syntax a policy file is written in.
public enum SourceFormat: String, Sendable, Hashable, CaseIterable {
    case json
    case yaml

    /// The format named by a file extension (without the dot, any case): `json` → JSON; `yaml`, `yml` →
    /// YAML; anything else (`template`, `txt`, none) → `nil`, meaning "look at the content".
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "json": self = .json
        case "yaml", "yml": self = .yaml
        default: return nil
        }
    }

    /// The format of a file's content: JSON when its first character other than whitespace (space, tab,
    /// CR, LF) and a UTF-8 byte order mark is `{` or `[`, YAML otherwise. (JSON is also YAML, but the
    /// JSON reader is stricter, faster and locates more precisely.)
    public static func sniff<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> SourceFormat {
        var remaining = bytes[...]
        if remaining.starts(with: [0xEF, 0xBB, 0xBF]) { remaining = remaining.dropFirst(3) }
        let first = remaining.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[") ? .json : .yaml
    }

    /// The format of the file at `path`: by extension when it has a known one, else by `sniff(_:)`.
    public static func detect<Bytes: Collection<UInt8>>(path: String, bytes: Bytes) -> SourceFormat {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        if let dot = name.lastIndex(of: "."), dot != name.startIndex,
           let format = SourceFormat(pathExtension: String(name[name.index(after: dot)...])) {
            return format
        }
        return sniff(bytes)
    }
}
