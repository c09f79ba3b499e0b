import Yams

/// Turns a tree composed by Yams into a located `SourceNode` tree, with the typing rules of `YAMLReader`.
///
/// Recursive: it must run where `StackGuard` has made room, and stops at `maxDepth`. Aliases were
/// already resolved by Yams (an alias is the anchored node itself); each use is copied here, and the
/// count of nodes produced is bounded by `remainingNodes`, so a "billion laughs" file fails quickly.
struct YAMLTreeBuilder {
    let file: String
    var table: LineTable
    let maxDepth: Int
    let maxStringBytes: Int
    var remainingNodes: Int

    static let standardTagPrefix = "tag:yaml.org,2002:"

    /// Builds the node for `node`, which sits inside `depth` collections.
    mutating func build(_ node: Node, depth: Int) throws(SourceError) -> SourceNode {
        remainingNodes -= 1
        if remainingNodes < 0 {
            throw SourceError(.limitExceeded, "the document has more than \(YAMLReader.maxNodes) nodes, counting every use of an alias as a copy (a guard against alias-expansion attacks)", at: pointSpan(node.mark))
        }
        switch node {
        case .scalar(let scalar):
            let span = scalarSpan(scalar)
            let (kind, tag) = try classify(scalar, at: span)
            return SourceNode(kind, span: span, tag: tag)
        case .mapping(let mapping):
            let span = pointSpan(mapping.mark)
            try checkDepth(depth, at: span)
            let tag = try collectionTag(mapping.tag.rawValue, expected: "map", at: span)
            var members: [SourceNode.Member] = []
            members.reserveCapacity(mapping.count)
            var index: [String: SourceSpan] = [:]
            for (keyNode, valueNode) in mapping {
                let (key, keySpan) = try buildKey(keyNode)
                let first: SourceSpan?
                if members.count < 16 {
                    first = members.first { $0.key == key }?.keySpan
                } else {
                    if index.isEmpty { for member in members where index[member.key] == nil { index[member.key] = member.keySpan } }
                    first = index[key]
                    if first == nil { index[key] = keySpan }
                }
                if let first {
                    throw SourceError(.duplicateKey, "duplicate key \"\(key)\" (first defined at \(first.start))", at: keySpan, related: [first])
                }
                members.append(SourceNode.Member(key: key, keySpan: keySpan, value: try build(valueNode, depth: depth + 1)))
            }
            return SourceNode(.object(members), span: span, tag: tag)
        case .sequence(let sequence):
            let span = pointSpan(sequence.mark)
            try checkDepth(depth, at: span)
            let tag = try collectionTag(sequence.tag.rawValue, expected: "seq", at: span)
            var elements: [SourceNode] = []
            elements.reserveCapacity(sequence.count)
            for element in sequence {
                elements.append(try build(element, depth: depth + 1))
            }
            return SourceNode(.array(elements), span: span, tag: tag)
        case .alias(let alias):
            throw SourceError(.syntax, "unresolved alias *\(alias.anchor.rawValue)", at: pointSpan(alias.mark))
        }
    }

    /// A mapping key: a scalar, untagged or with a standard tag, taken as its text.
    mutating func buildKey(_ node: Node) throws(SourceError) -> (String, SourceSpan) {
        remainingNodes -= 1
        guard case .scalar(let scalar) = node else {
            let what = node.isMapping ? "a mapping" : "a sequence"
            throw SourceError(.syntax, "a mapping key must be a scalar, not \(what)", at: pointSpan(node.mark))
        }
        let span = scalarSpan(scalar)
        let tag = scalar.tag.rawValue
        if !tag.isEmpty, tag != "!", !tag.hasPrefix(Self.standardTagPrefix) {
            throw SourceError(.syntax, "a tag on a mapping key is not supported (\(tag))", at: span)
        }
        if scalar.string.utf8.count > maxStringBytes {
            throw SourceError(.limitExceeded, "string longer than \(maxStringBytes) bytes", at: span)
        }
        return (scalar.string, span)
    }

    func checkDepth(_ depth: Int, at span: SourceSpan) throws(SourceError) {
        if depth >= maxDepth {
            throw SourceError(.limitExceeded, "nesting deeper than \(maxDepth) levels", at: span)
        }
    }

    // MARK: - Typing

    /// The kind of a scalar and the tag to keep. Quoted and block scalars are strings; plain scalars are
    /// typed by the JSON rules only (`null`/`~`/empty, lowercase `true`/`false`, JSON numbers), never
    /// by YAML 1.1 (`yes`, `on`, `0x1F`, dates stay strings). A custom tag (`!Sub`) is kept and makes the
    /// scalar a string; standard tags must agree with the text.
    func classify(_ scalar: Node.Scalar, at span: SourceSpan) throws(SourceError) -> (SourceNode.Kind, String?) {
        let text = scalar.string
        if text.utf8.count > maxStringBytes {
            throw SourceError(.limitExceeded, "string longer than \(maxStringBytes) bytes", at: span)
        }
        let tag = scalar.tag.rawValue
        if tag.isEmpty {
            return (scalar.style == .plain ? Self.plainKind(text) : .string(text), nil)
        }
        if tag == "!" {
            return (.string(text), nil)
        }
        guard tag.hasPrefix(Self.standardTagPrefix) else {
            return (.string(text), tag)
        }
        let name = String(tag.dropFirst(Self.standardTagPrefix.count))
        let typed = Self.plainKind(text)
        switch (name, typed) {
        case ("str", _): return (.string(text), nil)
        case ("null", .null), ("bool", .bool), ("int", .number), ("float", .number): return (typed, nil)
        case ("null", _), ("bool", _), ("int", _), ("float", _):
            throw SourceError(.syntax, "'\(text)' is not a valid !!\(name) (JSON rules apply: \(Self.expectedForm(name)))", at: span)
        default:
            throw SourceError(.syntax, "the YAML tag !!\(name) is not supported on a scalar", at: span)
        }
    }

    static func expectedForm(_ name: String) -> String {
        switch name {
        case "null": return "null, ~ or nothing"
        case "bool": return "true or false"
        default: return "a JSON number"
        }
    }

    /// The JSON-compatible type of a plain scalar's text.
    static func plainKind(_ text: String) -> SourceNode.Kind {
        switch text {
        case "", "null", "~": return .null
        case "true": return .bool(true)
        case "false": return .bool(false)
        default: return isJSONNumber(text) ? .number(text) : .string(text)
        }
    }

    /// Whether `text` matches the JSON number grammar exactly.
    static func isJSONNumber(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        func digits() -> Int {
            let count = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        if bytes.first == UInt8(ascii: "0") {
            bytes = bytes.dropFirst()
        } else if digits() == 0 {
            return false
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            if digits() == 0 { return false }
        }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            if digits() == 0 { return false }
        }
        return bytes.isEmpty
    }

    /// The tag to keep on a collection: custom tags are kept, `!!map`/`!!seq` (as fits) are dropped.
    func collectionTag(_ tag: String, expected: String, at span: SourceSpan) throws(SourceError) -> String? {
        if tag.isEmpty || tag == "!" || tag == Self.standardTagPrefix + expected { return nil }
        if tag.hasPrefix(Self.standardTagPrefix) {
            let what = expected == "map" ? "mapping" : "sequence"
            throw SourceError(.syntax, "the YAML tag !!\(tag.dropFirst(Self.standardTagPrefix.count)) is not supported on a \(what)", at: span)
        }
        return tag
    }

    // MARK: - Spans

    /// A point span at a Yams mark (libyaml gives no end for collections).
    mutating func pointSpan(_ mark: Mark?) -> SourceSpan {
        guard let mark else { return .startOfFile(file) }
        return SourceSpan(file: file, start: table.location(line: mark.line, column: mark.column))
    }

    /// A scalar's span. The end is found for quoted scalars (at the closing quote) and single-line plain
    /// ones (when the source holds exactly the text); block scalars get a point span.
    mutating func scalarSpan(_ scalar: Node.Scalar) -> SourceSpan {
        let start = pointSpan(scalar.mark)
        guard let startOffset = start.start.offset else { return start }
        let bytes = table.bytes
        let count = bytes.count
        var index = startOffset
        // Skip `!tag` and `&anchor` properties written before the content.
        while index < count, bytes[index] == UInt8(ascii: "!") || bytes[index] == UInt8(ascii: "&") {
            while index < count, bytes[index] != 0x20, bytes[index] != 0x09, bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
            while index < count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        }
        guard index < count else { return start }
        var endOffset: Int?
        switch scalar.style {
        case .doubleQuoted where bytes[index] == UInt8(ascii: "\""):
            var cursor = index + 1
            while cursor < count {
                if bytes[cursor] == UInt8(ascii: "\\") { cursor += 2; continue }
                if bytes[cursor] == UInt8(ascii: "\"") { endOffset = cursor + 1; break }
                cursor += 1
            }
        case .singleQuoted where bytes[index] == UInt8(ascii: "'"):
            var cursor = index + 1
            while cursor < count {
                if bytes[cursor] == UInt8(ascii: "'") {
                    if cursor + 1 < count, bytes[cursor + 1] == UInt8(ascii: "'") { cursor += 2; continue }
                    endOffset = cursor + 1
                    break
                }
                cursor += 1
            }
        case .plain:
            let text = scalar.string.utf8
            if !text.isEmpty, index + text.count <= count,
               text.elementsEqual(UnsafeBufferPointer(rebasing: bytes[index..<index + text.count])) {
                endOffset = index + text.count
            }
        default:
            break
        }
        guard let endOffset else { return start }
        // Same line (the usual case): count scalars from the start; otherwise ask the line table.
        var column = start.start.column
        var cursor = startOffset
        while cursor < endOffset {
            let byte = bytes[cursor]
            if byte == 0x0A || byte == 0x0D || byte == 0xC2 || byte == 0xE2 {
                return SourceSpan(file: file, start: start.start, end: table.location(ofOffset: endOffset))
            }
            if byte & 0xC0 != 0x80 { column += 1 }
            cursor += 1
        }
        return SourceSpan(file: file, start: start.start, end: SourceLocation(line: start.start.line, column: column, offset: endOffset))
    }
}

extension Node {
    fileprivate var isMapping: Bool {
        if case .mapping = self { return true }
        return false
    }
}
