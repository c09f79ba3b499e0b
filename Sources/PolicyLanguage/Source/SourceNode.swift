/// A located, format-independent document tree: what the JSON and YAML readers produce and what the
/// policy decoder consumes. Object members keep their order and their key locations.
public struct SourceNode: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case object([Member])
        case array([SourceNode])
        /// A string exactly as written (escapes resolved).
        case string(String)
        /// An unquoted number, kept as its literal text so that no precision is lost.
        case number(String)
        case bool(Bool)
        case null
    }

    /// One `key: value` pair of an object.
    public struct Member: Sendable, Equatable {
        public var key: String
        public var keySpan: SourceSpan
        public var value: SourceNode

        public init(key: String, keySpan: SourceSpan, value: SourceNode) {
            self.key = key
            self.keySpan = keySpan
            self.value = value
        }
    }

    public var kind: Kind
    public var span: SourceSpan
    /// A YAML tag written on the node (e.g. `!Sub`), `nil` for JSON and untagged YAML.
    public var tag: String?

    public init(_ kind: Kind, span: SourceSpan, tag: String? = nil) {
        self.kind = kind
        self.span = span
        self.tag = tag
    }
}

extension SourceNode {
    /// The members when this node is an object.
    public var members: [Member]? {
        if case .object(let members) = kind { return members }
        return nil
    }

    /// The elements when this node is an array.
    public var elements: [SourceNode]? {
        if case .array(let elements) = kind { return elements }
        return nil
    }

    /// The text of a string, number or boolean scalar (IAM treats all of them as strings).
    public var scalarText: String? {
        switch kind {
        case .string(let text), .number(let text): return text
        case .bool(let value): return value ? "true" : "false"
        case .null, .object, .array: return nil
        }
    }

    /// A short name of the node's type for messages ("a string", "an array", ...).
    public var typeDescription: String {
        switch kind {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }
}
