/// A strict RFC 8259 JSON reader that keeps the location of every node.
///
/// Guarantees:
/// - Accepts exactly the JSON grammar: no comments, no trailing commas, no single quotes, no unquoted
///   keys, no `NaN`/`Infinity`, no leading zeros, `+` signs or bare `.5`. Strings must be closed on their
///   line (raw control characters are refused) and every escape is checked; a `\u` surrogate must be
///   paired. Numbers are kept as their literal text, so no precision is lost.
/// - Every node has a span from its first character to just after its last, with 1-based line, column
///   (Unicode scalars; a tab is one column) and byte offset. Lines end at LF, CR or CR LF.
/// - Every error is a `SourceError` located at the offending character, or for an early end of file
///   at the end with the unclosed opener in `related`.
/// - A key repeated in one object (compared after escapes are decoded) is a `.duplicateKey` error at
///   the second occurrence, with the first in `related`.
/// - Never recurses: nesting is tracked on an explicit stack and refused beyond `ReadLimits.maxDepth`
///   at the opening bracket, so any input, however deep, ends in a result rather than a crash. Strings
///   longer than `maxStringBytes` are refused without scanning past the limit.
/// - Encoding: UTF-8 only. A UTF-8 byte order mark is skipped (columns do not count it, offsets do);
///   UTF-16/32 byte order marks and ill-formed UTF-8 are `.invalidEncoding` errors located at the byte.
///   An empty or whitespace-only file is an `.empty` error.
public enum JSONReader {
    /// Reads one JSON document from `bytes`; `file` names it in spans and errors.
    public static func read(_ bytes: [UInt8], file: String, limits: ReadLimits = .default) -> Result<SourceNode, SourceError> {
        bytes.withUnsafeBufferPointer { read($0, file: file, limits: limits) }
    }

    /// Reads one JSON document from a buffer, which is only borrowed for the duration of the call.
    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, file: String, limits: ReadLimits = .default) -> Result<SourceNode, SourceError> {
        let bomLength: Int
        switch SourceEncoding.prepare(bytes, file: file, limits: limits, lineBreaks: .json) {
        case .success(let length): bomLength = length
        case .failure(let error): return .failure(error)
        }
        var parser = JSONParser(input: bytes, start: bomLength, file: file, limits: limits)
        do {
            return .success(try parser.parseDocument())
        } catch {
            return .failure(error)
        }
    }
}

/// The state of one read: a cursor over well-formed UTF-8 with its line and column.
struct JSONParser {
    let input: UnsafeBufferPointer<UInt8>
    let file: String
    let limits: ReadLimits
    let end: Int
    var position: Int
    var line = 1
    /// Byte offset where the current line starts.
    var lineStart: Int
    /// UTF-8 continuation bytes met on the current line before `position`: the column is the byte
    /// distance from the line start minus these. Only strings hold non-ASCII characters, and the string
    /// scanner counts them as it goes, so the column of the current position is always exact.
    var lineContinuationBytes = 0

    init(input: UnsafeBufferPointer<UInt8>, start: Int, file: String, limits: ReadLimits) {
        self.input = input
        self.file = file
        self.limits = limits
        self.end = input.count
        self.position = start
        self.lineStart = start
    }

    /// An object or array still open, innermost last on the stack.
    struct Frame {
        var isObject: Bool
        var start: SourceLocation
        var elements: [SourceNode] = []
        var members: [SourceNode.Member] = []
        /// Key → span of its first occurrence, built once an object grows past a few members.
        var keyIndex: [String: SourceSpan]?
        /// The key whose value is being read.
        var key = ""
        var keySpan: SourceSpan?
    }

    // MARK: - Document

    mutating func parseDocument() throws(SourceError) -> SourceNode {
        let contentStart = position
        skipWhitespace()
        if position == end {
            let message = contentStart == end ? "the file is empty" : "the file contains only whitespace"
            throw SourceError(.empty, message, at: .startOfFile(file))
        }
        var stack: [Frame] = []
        var value: SourceNode
        parsing: while true {
            // The cursor is at the first character of a value.
            guard position < end else { throw endOfFile(stack) }
            switch input[position] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = input[position] == UInt8(ascii: "{")
                let start = here()
                if stack.count >= limits.maxDepth {
                    throw SourceError(.limitExceeded, "nesting deeper than \(limits.maxDepth) levels", at: span(start))
                }
                position += 1
                stack.append(Frame(isObject: isObject, start: start))
                skipWhitespace()
                guard position < end else { throw endOfFile(stack) }
                let closer = UInt8(ascii: isObject ? "}" : "]")
                if input[position] == closer {
                    position += 1
                    stack.removeLast()
                    value = SourceNode(isObject ? .object([]) : .array([]), span: span(start, here()))
                } else if isObject {
                    if input[position] != UInt8(ascii: "\"") {
                        throw unexpected("expected a string key or '}'")
                    }
                    try parseKey(into: &stack[stack.count - 1])
                    continue parsing
                } else {
                    continue parsing
                }
            case UInt8(ascii: "\""):
                let (text, span) = try parseString()
                value = SourceNode(.string(text), span: span)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = try parseNumber()
            default:
                value = try parseLiteral()
            }

            // A value is complete: attach it to its container, closing containers as they end.
            while let index = stack.indices.last {
                skipWhitespace()
                if stack[index].isObject {
                    let member = SourceNode.Member(key: stack[index].key, keySpan: stack[index].keySpan!, value: value)
                    stack[index].members.append(member)
                } else {
                    stack[index].elements.append(value)
                }
                guard position < end else { throw endOfFile(stack) }
                let closer = UInt8(ascii: stack[index].isObject ? "}" : "]")
                let byte = input[position]
                if byte == UInt8(ascii: ",") {
                    let comma = here()
                    position += 1
                    skipWhitespace()
                    guard position < end else { throw endOfFile(stack) }
                    if input[position] == closer {
                        throw SourceError(.syntax, "trailing comma before '\(Character(Unicode.Scalar(closer)))'", at: span(comma))
                    }
                    if stack[index].isObject {
                        if input[position] != UInt8(ascii: "\"") {
                            throw unexpected("expected a string key after ','")
                        }
                        try parseKey(into: &stack[index])
                    }
                    continue parsing
                } else if byte == closer {
                    position += 1
                    let frame = stack.removeLast()
                    let kind: SourceNode.Kind = frame.isObject ? .object(frame.members) : .array(frame.elements)
                    value = SourceNode(kind, span: span(frame.start, here()))
                } else if stack[index].isObject {
                    throw unexpected("expected ',' or '}' after object member")
                } else {
                    throw unexpected("expected ',' or ']' after array element")
                }
            }
            break parsing
        }
        skipWhitespace()
        if position < end {
            throw SourceError(.syntax, "extra data after the JSON value", at: span(here()))
        }
        return value
    }

    /// Reads `"key"` and its `:`, checking that the key is new in `frame`.
    mutating func parseKey(into frame: inout Frame) throws(SourceError) {
        let (key, keySpan) = try parseString()
        if let first = firstOccurrence(of: key, at: keySpan, in: &frame) {
            throw SourceError(.duplicateKey, "duplicate key \"\(key)\" (first defined at \(first.start))", at: keySpan, related: [first])
        }
        frame.key = key
        frame.keySpan = keySpan
        skipWhitespace()
        guard position < end else { throw endOfFile(inside: frame) }
        guard input[position] == UInt8(ascii: ":") else { throw unexpected("expected ':' after object key") }
        position += 1
        skipWhitespace()
    }

    /// The span of an earlier member named `key`, recording `key` as seen. Small objects are scanned;
    /// larger ones get a hash index, so that a huge object costs linear time.
    func firstOccurrence(of key: String, at keySpan: SourceSpan, in frame: inout Frame) -> SourceSpan? {
        if frame.keyIndex == nil {
            if frame.members.count < 16 {
                return frame.members.first { $0.key == key }?.keySpan
            }
            var index: [String: SourceSpan] = [:]
            index.reserveCapacity(frame.members.count * 2)
            for member in frame.members where index[member.key] == nil { index[member.key] = member.keySpan }
            frame.keyIndex = index
        }
        if let first = frame.keyIndex?[key] { return first }
        frame.keyIndex?[key] = keySpan
        return nil
    }

    // MARK: - Positions and errors

    /// The location of the cursor.
    @inline(__always) func here() -> SourceLocation {
        SourceLocation(line: line, column: position - lineStart - lineContinuationBytes + 1, offset: position)
    }

    @inline(__always) func span(_ start: SourceLocation, _ end: SourceLocation? = nil) -> SourceSpan {
        SourceSpan(file: file, start: start, end: end)
    }

    mutating func skipWhitespace() {
        while position < end {
            switch input[position] {
            case 0x20, 0x09:
                position += 1
            case 0x0A:
                position += 1
                startLine()
            case 0x0D:
                position += 1
                if position < end, input[position] == 0x0A { position += 1 }
                startLine()
            default:
                return
            }
        }
    }

    @inline(__always) mutating func startLine() {
        line += 1
        lineStart = position
        lineContinuationBytes = 0
    }

    /// The end of file reached inside `stack`'s innermost container.
    func endOfFile(_ stack: [Frame]) -> SourceError {
        endOfFile(inside: stack.last)
    }

    func endOfFile(inside frame: Frame?) -> SourceError {
        guard let frame else {
            return SourceError(.syntax, "unexpected end of file", at: span(here()))
        }
        let what = frame.isObject ? "an object" : "an array"
        return SourceError(.syntax, "unexpected end of file (\(what) opened at \(frame.start) is not closed)",
                           at: span(here()), related: [span(frame.start)])
    }

    /// `expectation, found X` at the cursor.
    func unexpected(_ expectation: String) -> SourceError {
        SourceError(.syntax, "\(expectation), found \(describeCharacter(at: position))", at: span(here()))
    }

    /// A character for messages: `'x'`, `'é' (U+00E9)`, `control character U+0007`, `a NUL byte`.
    func describeCharacter(at index: Int) -> String {
        guard index < end else { return "the end of the file" }
        let byte = input[index]
        switch byte {
        case 0x00: return "a NUL byte"
        case 0x01..<0x20, 0x7F: return "control character \(SourceEncoding.codePoint(UInt32(byte)))"
        case 0x20..<0x7F: return "'\(Character(Unicode.Scalar(byte)))'"
        default:
            let length = byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
            let slice = UnsafeBufferPointer(rebasing: input[index..<min(end, index + length)])
            let text = String(decoding: slice, as: UTF8.self)
            let value = text.unicodeScalars.first.map { $0.value } ?? 0xFFFD
            return "'\(text)' (\(SourceEncoding.codePoint(value)))"
        }
    }
}
