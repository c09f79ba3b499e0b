/// Why a file could not be read into a `SourceNode` tree. Every case is located.
public struct SourceError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The bytes are not valid UTF-8 (or UTF-16/32 with a BOM).
        case invalidEncoding = "INVALID_ENCODING"
        /// Malformed JSON or YAML.
        case syntax = "SYNTAX_ERROR"
        /// The same key twice in one object; `related` holds the first occurrence.
        case duplicateKey = "DUPLICATE_KEY"
        /// Nesting, size or length beyond `ReadLimits`.
        case limitExceeded = "LIMIT_EXCEEDED"
        /// The file could not be opened or read.
        case unreadable = "UNREADABLE_FILE"
        /// An empty document.
        case empty = "EMPTY_DOCUMENT"
    }

    public var kind: Kind
    public var message: String
    public var span: SourceSpan
    /// Other places the message refers to (e.g. the first occurrence of a duplicate key).
    public var related: [SourceSpan]

    public init(_ kind: Kind, _ message: String, at span: SourceSpan, related: [SourceSpan] = []) {
        self.kind = kind
        self.message = message
        self.span = span
        self.related = related
    }

    public var description: String { "\(span): \(kind.rawValue): \(message)" }
}

/// Bounds that keep hostile input from exhausting the stack, memory or time.
public struct ReadLimits: Sendable, Equatable {
    /// Largest file accepted, in bytes.
    public var maxFileBytes: Int
    /// Deepest nesting of objects and arrays.
    public var maxDepth: Int
    /// Longest single string, in bytes.
    public var maxStringBytes: Int
    /// What one policy document read from the file may hold.
    public var document: PolicyLimits

    public init(maxFileBytes: Int = 10 * 1024 * 1024, maxDepth: Int = 64, maxStringBytes: Int = 1024 * 1024, document: PolicyLimits = .default) {
        self.maxFileBytes = maxFileBytes
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.document = document
    }

    public static let `default` = ReadLimits()
}
