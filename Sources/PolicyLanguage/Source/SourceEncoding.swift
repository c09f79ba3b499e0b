/// The encoding checks shared by the JSON and YAML readers: a byte order mark and UTF-8 well-formedness.
///
/// Both readers accept UTF-8 only (RFC 8259 §8.1 requires it for JSON exchanged between systems, and
/// IAM rejects anything else). A UTF-8 byte order mark is accepted and skipped; a UTF-16 or UTF-32 one
/// is reported with advice to save the file as UTF-8, and the first ill-formed byte sequence is reported
/// at its exact line, column and byte offset.
enum SourceEncoding {
    /// A byte order mark at the start of a file.
    enum ByteOrderMark: Equatable {
        case utf8, utf16BigEndian, utf16LittleEndian, utf32BigEndian, utf32LittleEndian

        /// The mark found at the start of `bytes`, if any. UTF-32 LE (`FF FE 00 00`) is tested before
        /// UTF-16 LE (`FF FE`), whose mark it starts with.
        static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> ByteOrderMark? {
            let count = bytes.count
            func at(_ index: Int) -> UInt8? { index < count ? bytes[index] : nil }
            if at(0) == 0xEF, at(1) == 0xBB, at(2) == 0xBF { return .utf8 }
            if at(0) == 0x00, at(1) == 0x00, at(2) == 0xFE, at(3) == 0xFF { return .utf32BigEndian }
            if at(0) == 0xFF, at(1) == 0xFE, at(2) == 0x00, at(3) == 0x00 { return .utf32LittleEndian }
            if at(0) == 0xFE, at(1) == 0xFF { return .utf16BigEndian }
            if at(0) == 0xFF, at(1) == 0xFE { return .utf16LittleEndian }
            return nil
        }

        var name: String {
            switch self {
            case .utf8: return "UTF-8"
            case .utf16BigEndian: return "UTF-16 (big-endian)"
            case .utf16LittleEndian: return "UTF-16 (little-endian)"
            case .utf32BigEndian: return "UTF-32 (big-endian)"
            case .utf32LittleEndian: return "UTF-32 (little-endian)"
            }
        }
    }

    /// Checks the encoding of a whole file and returns the length of its UTF-8 byte order mark (0 or 3).
    ///
    /// Fails with `.invalidEncoding` at 1:1 for a UTF-16/32 byte order mark, and at the first byte of
    /// the first ill-formed UTF-8 sequence otherwise (overlong forms, surrogates and code points above
    /// U+10FFFF are ill-formed, as in the Unicode standard).
    /// The checks every reader makes before parsing: the size limit, then `check(_:file:lineBreaks:)`.
    /// Returns the length of the UTF-8 byte order mark to skip.
    static func prepare(_ bytes: UnsafeBufferPointer<UInt8>, file: String, limits: ReadLimits, lineBreaks: LineTable.Breaks) -> Result<Int, SourceError> {
        if bytes.count > limits.maxFileBytes {
            return .failure(SourceError(.limitExceeded, "the file is \(bytes.count) bytes long, more than the limit of \(limits.maxFileBytes) bytes", at: .startOfFile(file)))
        }
        return check(bytes, file: file, lineBreaks: lineBreaks)
    }

    static func check(_ bytes: UnsafeBufferPointer<UInt8>, file: String, lineBreaks: LineTable.Breaks) -> Result<Int, SourceError> {
        let bomLength: Int
        switch ByteOrderMark.detect(bytes) {
        case .utf8?:
            bomLength = 3
        case let mark?:
            return .failure(SourceError(
                .invalidEncoding,
                "the file is encoded as \(mark.name), as its byte order mark shows; save it as UTF-8",
                at: .startOfFile(file)))
        case nil:
            bomLength = 0
        }
        guard let failure = firstIllFormedSequence(in: bytes, from: bomLength) else { return .success(bomLength) }
        let table = LineTable(bytes, bomLength: bomLength, breaks: lineBreaks)
        let location = table.location(ofOffset: failure.offset)
        return .failure(SourceError(.invalidEncoding, "invalid UTF-8: \(failure.message)", at: SourceSpan(file: file, start: location)))
    }

    /// Where and why UTF-8 decoding fails.
    struct IllFormedSequence: Equatable {
        var offset: Int
        var message: String
    }

    /// The first ill-formed UTF-8 sequence in `bytes[start...]`, or `nil` when all of it is well formed.
    /// Runs at memory speed on ASCII (eight bytes per step).
    static func firstIllFormedSequence(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> IllFormedSequence? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var index = start
        while index < count {
            // Fast path: eight ASCII bytes at a time.
            while index + 8 <= count,
                  UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
            }
            guard index < count else { break }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            case 0x80...0xBF:
                return IllFormedSequence(offset: index, message: "unexpected continuation byte \(hex(lead))")
            default:
                return IllFormedSequence(offset: index, message: "byte \(hex(lead)) never appears in UTF-8")
            }
            for position in 1..<length {
                guard index + position < count else {
                    return IllFormedSequence(offset: index, message: "truncated sequence at the end of the file, starting with \(hex(lead))")
                }
                let byte = bytes[index + position]
                let (low, high) = position == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
                guard byte >= low, byte <= high else {
                    let seen = (0...position).map { hex(bytes[index + $0]) }.joined(separator: " ")
                    let reason: String
                    if position == 1, lead == 0xED, byte >= 0xA0, byte <= 0xBF {
                        reason = "a UTF-16 surrogate encoded in UTF-8"
                    } else if position == 1, (lead == 0xE0 || lead == 0xF0), byte >= 0x80, byte < lower {
                        reason = "an overlong encoding"
                    } else if position == 1, lead == 0xF4, byte > 0x8F, byte <= 0xBF {
                        reason = "a code point above U+10FFFF"
                    } else {
                        reason = "an incomplete sequence"
                    }
                    return IllFormedSequence(offset: index, message: "\(reason) (\(seen))")
                }
            }
            index += length
        }
        return nil
    }

    /// `0xAB`, for messages.
    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }

    /// `U+00E9`, for messages.
    static func codePoint(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
