/// Strings, numbers and literals of the JSON grammar (RFC 8259 §3, §6, §7).
extension JSONParser {
    // MARK: - Strings

    /// Reads a string at the opening quote; returns its decoded text and its span (quotes included).
    mutating func parseString() throws(SourceError) -> (String, SourceSpan) {
        let start = here()
        position += 1
        let maxBytes = limits.maxStringBytes
        var decoded: [UInt8] = []
        var usesBuffer = false
        var segmentStart = position
        while true {
            // Plain characters up to a quote, a backslash or a control character, scanning no further
            // than the length limit allows.
            let scanEnd = min(end, segmentStart + (maxBytes - decoded.count) + 1)
            while position < scanEnd {
                let byte = input[position]
                if byte == 0x22 || byte == 0x5C || byte < 0x20 { break }
                if byte & 0xC0 == 0x80 { lineContinuationBytes += 1 }
                position += 1
            }
            if position == scanEnd {
                if scanEnd == end {
                    throw SourceError(.syntax, "unterminated string: the file ends before its closing '\"'", at: span(start))
                }
                throw tooLong(start)
            }
            let byte = input[position]
            if byte == 0x22 {
                let text: String
                if usesBuffer {
                    decoded.append(contentsOf: UnsafeBufferPointer(rebasing: input[segmentStart..<position]))
                    text = String(decoding: decoded, as: UTF8.self)
                } else {
                    text = String(decoding: UnsafeBufferPointer(rebasing: input[segmentStart..<position]), as: UTF8.self)
                }
                position += 1
                return (text, span(start, here()))
            }
            if byte < 0x20 {
                var message = "control character \(SourceEncoding.codePoint(UInt32(byte))) in string"
                switch byte {
                case 0x0A, 0x0D: message += " (a string must end on the line it starts; write a line break as \\n)"
                case 0x09: message += " (write a tab as \\t)"
                case 0x00: message = "NUL byte in string"
                default: message += " (write it as a \\u escape)"
                }
                throw SourceError(.syntax, message, at: span(here()))
            }
            // A backslash.
            usesBuffer = true
            decoded.append(contentsOf: UnsafeBufferPointer(rebasing: input[segmentStart..<position]))
            try parseEscape(into: &decoded)
            if decoded.count > maxBytes { throw tooLong(start) }
            segmentStart = position
        }
    }

    func tooLong(_ start: SourceLocation) -> SourceError {
        SourceError(.limitExceeded, "string longer than \(limits.maxStringBytes) bytes", at: span(start))
    }

    /// Decodes the escape at the cursor (a backslash) and appends its UTF-8 bytes.
    mutating func parseEscape(into decoded: inout [UInt8]) throws(SourceError) {
        let escape = here()
        let escapeStart = position
        position += 1
        guard position < end else {
            throw SourceError(.syntax, "unterminated string: the file ends inside an escape sequence", at: span(escape))
        }
        let byte = input[position]
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(byte)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            position += 1
            var value = try hexQuad(escape: escape)
            if (0xDC00...0xDFFF).contains(value) {
                throw unpairedSurrogate(from: escapeStart, at: escape)
            }
            if (0xD800...0xDBFF).contains(value) {
                guard position + 1 < end, input[position] == UInt8(ascii: "\\"), input[position + 1] == UInt8(ascii: "u") else {
                    throw unpairedSurrogate(from: escapeStart, at: escape)
                }
                position += 2
                let low = try hexQuad(escape: escape)
                guard (0xDC00...0xDFFF).contains(low) else { throw unpairedSurrogate(from: escapeStart, at: escape) }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            }
            appendUTF8(value, to: &decoded)
            return
        default:
            throw SourceError(.syntax, "invalid escape sequence '\\\(describeEscaped(byte))' in string (JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", at: span(escape))
        }
        position += 1
    }

    /// Four hexadecimal digits at the cursor.
    mutating func hexQuad(escape: SourceLocation) throws(SourceError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < end else {
                throw SourceError(.syntax, "unterminated string: the file ends inside a \\u escape", at: span(escape))
            }
            let byte = input[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw SourceError(.syntax, "invalid \\u escape: expected four hexadecimal digits, found \(describeCharacter(at: position))", at: span(escape))
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    func unpairedSurrogate(from escapeStart: Int, at escape: SourceLocation) -> SourceError {
        let text = String(decoding: UnsafeBufferPointer(rebasing: input[escapeStart..<min(end, escapeStart + 6)]), as: UTF8.self)
        return SourceError(.syntax, "unpaired surrogate '\(text)' in string (a \\uD800-\\uDBFF escape must be followed by a \\uDC00-\\uDFFF one)", at: span(escape))
    }

    func describeEscaped(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? String(Character(Unicode.Scalar(byte))) : describeCharacter(at: position)
    }

    func appendUTF8(_ value: UInt32, to bytes: inout [UInt8]) {
        switch value {
        case 0..<0x80:
            bytes.append(UInt8(value))
        case 0x80..<0x800:
            bytes.append(UInt8(0xC0 | value >> 6))
            bytes.append(UInt8(0x80 | value & 0x3F))
        case 0x800..<0x10000:
            bytes.append(UInt8(0xE0 | value >> 12))
            bytes.append(UInt8(0x80 | (value >> 6) & 0x3F))
            bytes.append(UInt8(0x80 | value & 0x3F))
        default:
            bytes.append(UInt8(0xF0 | value >> 18))
            bytes.append(UInt8(0x80 | (value >> 12) & 0x3F))
            bytes.append(UInt8(0x80 | (value >> 6) & 0x3F))
            bytes.append(UInt8(0x80 | value & 0x3F))
        }
    }

    // MARK: - Numbers

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, kept as text.
    mutating func parseNumber() throws(SourceError) -> SourceNode {
        let start = here()
        let startIndex = position
        if input[position] == UInt8(ascii: "-") {
            position += 1
            guard position < end, isDigit(input[position]) else {
                if position < end, isWordByte(input[position]) {
                    let word = self.word(from: position)
                    throw SourceError(.syntax, "'-\(word)' is not a JSON value", at: span(start))
                }
                throw unexpected("expected a digit after '-'")
            }
        }
        if input[position] == UInt8(ascii: "0") {
            position += 1
            if position < end, isDigit(input[position]) {
                throw SourceError(.syntax, "leading zeros are not allowed in numbers ('\(numberText(from: startIndex))')", at: span(start))
            }
        } else {
            skipDigits()
        }
        if position < end, input[position] == UInt8(ascii: ".") {
            position += 1
            guard position < end, isDigit(input[position]) else { throw unexpected("expected a digit after the decimal point") }
            skipDigits()
        }
        if position < end, input[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < end, input[position] == UInt8(ascii: "+") || input[position] == UInt8(ascii: "-") { position += 1 }
            guard position < end, isDigit(input[position]) else { throw unexpected("expected a digit in the exponent") }
            skipDigits()
        }
        if position < end, isWordByte(input[position]) || input[position] == UInt8(ascii: ".") {
            throw SourceError(.syntax, "invalid number '\(numberText(from: startIndex))'", at: span(start))
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: input[startIndex..<position]), as: UTF8.self)
        return SourceNode(.number(text), span: span(start, here()))
    }

    @inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    @inline(__always) mutating func skipDigits() {
        while position < end, isDigit(input[position]) { position += 1 }
    }

    /// The number-like run at `index` (digits, letters, `.`, `+`, `-`), for messages.
    func numberText(from index: Int) -> String {
        var last = index
        while last < end, last - index < 40, isWordByte(input[last]) || input[last] == UInt8(ascii: ".")
            || input[last] == UInt8(ascii: "+") || input[last] == UInt8(ascii: "-") { last += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: input[index..<last]), as: UTF8.self)
    }

    // MARK: - Literals and other value starts

    /// `true`, `false` or `null`; anything else that cannot start a value is an error naming it.
    mutating func parseLiteral() throws(SourceError) -> SourceNode {
        let start = here()
        let byte = input[position]
        guard isWordByte(byte) else {
            switch byte {
            case UInt8(ascii: "'"):
                throw SourceError(.syntax, "single-quoted strings are not allowed in JSON; use double quotes", at: span(start))
            case UInt8(ascii: "/"):
                throw SourceError(.syntax, "comments are not allowed in JSON", at: span(start))
            case UInt8(ascii: "+"):
                throw SourceError(.syntax, "a JSON number cannot start with '+'", at: span(start))
            case UInt8(ascii: "."):
                throw SourceError(.syntax, "a JSON number must have a digit before the decimal point", at: span(start))
            default:
                throw unexpected("expected a value")
            }
        }
        let word = self.word(from: position)
        let kind: SourceNode.Kind
        switch word {
        case "true": kind = .bool(true)
        case "false": kind = .bool(false)
        case "null": kind = .null
        default:
            let message: String
            switch word.lowercased() {
            case "true", "false", "null":
                message = "'\(word)' is not a JSON literal; JSON literals are lowercase ('\(word.lowercased())')"
            case "nan", "infinity", "undefined", "none", "nil":
                message = "'\(word)' is not a JSON value"
            default:
                message = "unexpected '\(word)'; JSON strings must be in double quotes"
            }
            throw SourceError(.syntax, message, at: span(start))
        }
        position += word.utf8.count
        return SourceNode(kind, span: span(start, here()))
    }

    @inline(__always) func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    /// The run of letters, digits and underscores at `index` (at most 40 bytes, for messages).
    func word(from index: Int) -> String {
        var last = index
        while last < end, last - index < 40, isWordByte(input[last]) { last += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: input[index..<last]), as: UTF8.self)
    }
}
