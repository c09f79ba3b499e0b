/// The file being extracted: its name, bytes and syntax, so that text inside its strings can be located.
struct OriginalFile: Sendable {
    let name: String
    let bytes: [UInt8]
    let format: SourceFormat
}

/// Reads a policy document given as a string inside another file (a Terraform attribute, a
/// CloudFormation property written as a JSON string, an account export's URL-encoded document), and
/// locates the resulting tree in the ORIGINAL file.
///
/// Guarantees:
/// - JSON text in a JSON string literal: every span of the inner tree (and of an inner syntax error)
///   is the exact `line:column` (and byte offset) of the source character, or escape sequence, that
///   produced it. The literal is decoded again from the file bytes (`\"`, `\\`, `\n`, `\uXXXX`, …),
///   keeping for each decoded UTF-8 byte the offset of its source character; a JSON literal never
///   spans lines, so columns are counted in Unicode scalars from the literal's own location (what
///   `LineTable` would compute, without rescanning a one-line `terraform show -json` file per node).
/// - JSON text in a YAML scalar: exact when the text can be found verbatim in the file (a single-line
///   scalar without escapes, or a `|` literal block); otherwise every span is the scalar's span.
/// - A URL-encoded document (`%7B%22Version…`, the raw IAM API) is percent-decoded first; its spans are
///   all the string's own span.
/// - Anything else (text produced by `Fn::Sub`, say) is located at the string's span.
enum EmbeddedJSONString {
    /// Reads the document held in the string node `node`. `file` is the file the node was read from,
    /// `nil` when the string was computed (then spans are the node's span).
    static func read(_ node: SourceNode, text: String, in file: OriginalFile?, limits: ReadLimits) -> Result<SourceNode, SourceError> {
        let decoded = Array(text.utf8)
        let first = decoded.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            let result = JSONReader.read(decoded, file: node.span.file, limits: limits)
            if let file, node.tag == nil, let mapping = SourceMapping.locate(decoded, of: node, in: file) {
                return remap(result) { mapping.span($0) }
            }
            return remap(result) { _ in node.span }
        }
        if decoded.contains(UInt8(ascii: "%")), let unescaped = percentDecoded(decoded) {
            return remap(JSONReader.read(unescaped, file: node.span.file, limits: limits)) { _ in node.span }
        }
        return remap(JSONReader.read(decoded, file: node.span.file, limits: limits)) { _ in node.span }
    }

    /// RFC 3986 percent-decoding (`+` stays `+`); `nil` when an escape is malformed.
    static func percentDecoded(_ bytes: [UInt8]) -> [UInt8]? {
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) else { return nil }
                result.append(high << 4 | low)
                index += 3
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }

    /// The result with every span (of nodes, keys, errors and their related spans) replaced by `map`.
    static func remap(_ result: Result<SourceNode, SourceError>, _ map: (SourceSpan) -> SourceSpan) -> Result<SourceNode, SourceError> {
        switch result {
        case .success(let node):
            return .success(remap(node, map))
        case .failure(var error):
            error.span = map(error.span)
            error.related = error.related.map(map)
            return .failure(error)
        }
    }

    static func remap(_ node: SourceNode, _ map: (SourceSpan) -> SourceSpan) -> SourceNode {
        var copy = node
        copy.span = map(node.span)
        switch node.kind {
        case .object(let members):
            copy.kind = .object(members.map { SourceNode.Member(key: $0.key, keySpan: map($0.keySpan), value: remap($0.value, map)) })
        case .array(let elements):
            copy.kind = .array(elements.map { remap($0, map) })
        default:
            break
        }
        return copy
    }
}

/// For each byte of a decoded string, the offset in the original file of the character that produced
/// it, and the line and column of every offset of the region the string occupies.
struct SourceMapping {
    /// Source offset of each decoded byte.
    var origins: [Int]
    /// Source offset that stands for the end of the decoded text.
    var endOrigin: Int
    /// First source offset of the region.
    var regionStart: Int
    /// Line and column of `regionStart + i`.
    var positions: [(line: Int, column: Int)]

    /// The span in the original file of a span of the decoded text (whose offsets index `origins`).
    func span(_ inner: SourceSpan) -> SourceSpan {
        SourceSpan(file: inner.file, start: location(inner.start), end: location(inner.end))
    }

    func location(_ inner: SourceLocation) -> SourceLocation {
        let decodedOffset = inner.offset ?? 0
        let source = decodedOffset >= 0 && decodedOffset < origins.count ? origins[decodedOffset] : endOrigin
        let index = min(max(source - regionStart, 0), positions.count - 1)
        let position = positions[index]
        return SourceLocation(line: position.line, column: position.column, offset: source)
    }

    /// The mapping of the decoded text of `node` in `file`, or `nil` when the text cannot be matched
    /// to the file's bytes exactly.
    static func locate(_ decoded: [UInt8], of node: SourceNode, in file: OriginalFile) -> SourceMapping? {
        guard let start = node.span.start.offset, start >= 0, start < file.bytes.count else { return nil }
        let found: (origins: [Int], end: Int)?
        switch file.format {
        case .json: found = decodeJSONLiteral(file.bytes, at: start)
        case .yaml: found = YAMLScalarText.origins(of: decoded, in: file.bytes, at: start)
        }
        guard let found, found.origins.count == decoded.count else { return nil }
        if file.format == .json {
            // The literal must decode to exactly the text the reader produced.
            guard decodedBytes(file.bytes, found.origins, decoded) else { return nil }
        }
        guard let positions = positions(file.bytes, from: start, to: found.end, startingAt: node.span.start) else { return nil }
        return SourceMapping(origins: found.origins, endOrigin: found.end, regionStart: start, positions: positions)
    }

    /// Whether re-decoding agrees with the reader (a cheap check on the first bytes of each escape).
    private static func decodedBytes(_ bytes: [UInt8], _ origins: [Int], _ decoded: [UInt8]) -> Bool {
        for (index, origin) in origins.enumerated() where bytes[origin] != UInt8(ascii: "\\") {
            if bytes[origin] != decoded[index] { return false }
        }
        return true
    }

    /// Line and column of each offset in `start...end`, counting from the known location of `start`.
    /// Lines end at LF, CR and CR LF; `nil` when the region holds a YAML-only line break (NEL, LS, PS).
    static func positions(_ bytes: [UInt8], from start: Int, to end: Int, startingAt location: SourceLocation) -> [(line: Int, column: Int)]? {
        var positions: [(line: Int, column: Int)] = []
        positions.reserveCapacity(end - start + 1)
        var line = location.line, column = location.column
        var offset = start
        while offset <= end {
            positions.append((line, column))
            guard offset < bytes.count, offset < end else { break }
            let byte = bytes[offset]
            if byte == 0xC2, offset + 1 < bytes.count, bytes[offset + 1] == 0x85 { return nil }
            if byte == 0xE2, offset + 2 < bytes.count, bytes[offset + 1] == 0x80, bytes[offset + 2] == 0xA8 || bytes[offset + 2] == 0xA9 { return nil }
            if byte == 0x0A || (byte == 0x0D && !(offset + 1 < bytes.count && bytes[offset + 1] == 0x0A)) {
                line += 1
                column = 1
            } else if byte != 0x0D, byte & 0xC0 != 0x80 {
                column += 1
            }
            offset += 1
        }
        return positions
    }

    /// Decodes the JSON string literal whose opening quote is at `start`: the offset of the source
    /// character or escape of each decoded byte, and the offset of the closing quote.
    static func decodeJSONLiteral(_ bytes: [UInt8], at start: Int) -> (origins: [Int], end: Int)? {
        guard bytes[start] == UInt8(ascii: "\"") else { return nil }
        var origins: [Int] = []
        var index = start + 1
        func hexQuad(_ at: Int) -> UInt32? {
            guard at + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for byte in bytes[at..<at + 4] {
                guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else { return nil }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { return (origins, index) }
            if byte < 0x20 { return nil }
            guard byte == UInt8(ascii: "\\") else {
                origins.append(index)
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { return nil }
            if bytes[index + 1] != UInt8(ascii: "u") {
                origins.append(index)
                index += 2
                continue
            }
            guard var value = hexQuad(index + 2) else { return nil }
            var length = 6
            if (0xD800...0xDBFF).contains(value), index + 7 < bytes.count, bytes[index + 6] == UInt8(ascii: "\\"),
               bytes[index + 7] == UInt8(ascii: "u"), let low = hexQuad(index + 8), (0xDC00...0xDFFF).contains(low) {
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                length = 12
            }
            let utf8Count = value < 0x80 ? 1 : value < 0x800 ? 2 : value < 0x10000 ? 3 : 4
            origins.append(contentsOf: repeatElement(index, count: utf8Count))
            index += length
        }
        return nil
    }
}
