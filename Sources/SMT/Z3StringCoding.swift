/// Exact conversion between Swift strings and Z3 4.8.12 string literals.
///
/// Z3 4.8.12 facts this relies on (verified against the library):
/// - Characters are code points 0...0x2FFFF (`unicode` encoding); larger
///   escapes are not understood and `\u{30000}` makes `Z3_mk_string` return
///   NULL without setting an error code.
/// - `Z3_mk_string` reads raw bytes (UTF-8 is *not* decoded: each byte of a
///   multi-byte sequence becomes a bogus character) and interprets the
///   escapes `\u{h}`…`\u{hhhhh}` and `\uhhhh`; any other backslash is literal.
///   `Z3_mk_lstring` also takes raw bytes, so it cannot express non-ASCII.
/// - `Z3_get_string` prints 0x20...0x7F raw (including `\` itself!) and every
///   other character as `\u{hex}`, which is ambiguous when the value
///   contains a backslash. `Z3_get_lstring` returns garbage for escaped
///   characters and must not be used.
enum Z3StringCoding {
    /// The largest character code Z3 4.8.12 strings can hold.
    static let maxCharacter: UInt32 = 0x2FFFF

    /// An argument for `Z3_mk_string` that denotes exactly `scalars`:
    /// printable ASCII except `\` is kept, everything else is `\u{hex}`.
    static func encode<S: Sequence>(_ scalars: S) throws(SMTError) -> String where S.Element == UInt32 {
        var out = ""
        for value in scalars {
            if value >= 0x20, value < 0x7F, value != 0x5C {
                out.unicodeScalars.append(Unicode.Scalar(UInt8(value)))
            } else if value <= maxCharacter {
                out += "\\u{" + String(value, radix: 16) + "}"
            } else {
                throw .invalidArgument(
                    "character U+\(String(value, radix: 16, uppercase: true)) is beyond Z3's maximum U+2FFFF")
            }
        }
        return out
    }

    /// An argument for `Z3_mk_string` that denotes exactly `string`.
    static func encode(_ string: String) throws(SMTError) -> String {
        try encode(string.unicodeScalars.lazy.map(\.value))
    }

    /// Decodes `Z3_get_string` output of a string known to have no
    /// backslash character; returns `nil` if the output contains a backslash
    /// (the caller must then decode character by character).
    static func decodeUnambiguous(_ printed: String) -> [UInt32]? {
        var result: [UInt32] = []
        for scalar in printed.unicodeScalars {
            if scalar == "\\" { return nil }
            result.append(scalar.value)
        }
        return result
    }

    /// Decodes `Z3_get_string` output of a *single-character* string: either
    /// the raw character or a `\u{hex}` escape.
    static func decodeSingle(_ printed: String) -> UInt32? {
        let scalars = Array(printed.unicodeScalars)
        if scalars.count == 1 { return scalars[0].value }
        guard scalars.count >= 5, scalars.starts(with: ["\\", "u", "{"] as [Unicode.Scalar]),
              scalars.last == "}" else { return nil }
        let hex = String(String.UnicodeScalarView(scalars[3..<(scalars.count - 1)]))
        return UInt32(hex, radix: 16)
    }

    /// Converts Z3 character codes to a Swift string. Throws
    /// ``SMTError/unrepresentableValue(_:)`` for codes that are not Unicode
    /// scalars (lone surrogates 0xD800...0xDFFF).
    static func string(from codes: [UInt32]) throws(SMTError) -> String {
        var view = String.UnicodeScalarView()
        for code in codes {
            guard let scalar = Unicode.Scalar(code) else {
                throw .unrepresentableValue(
                    "character code 0x\(String(code, radix: 16)) is not a Unicode scalar")
            }
            view.append(scalar)
        }
        return String(view)
    }
}
