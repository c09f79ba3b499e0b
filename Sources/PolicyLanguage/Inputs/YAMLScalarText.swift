/// Finds where the text of a YAML string scalar is written in the file, byte for byte, for the scalar
/// styles where that is possible without re-implementing YAML: a single-line plain, single-quoted or
/// double-quoted scalar whose text appears verbatim (no escapes, no `''`), and a `|` literal block
/// (lines verbatim after the block's indentation). Anything else, a `>` folded block for instance,
/// gives `nil`, and the caller locates the whole text at the scalar's span.
enum YAMLScalarText {
    /// The source offset of each byte of `text`, and the offset standing for its end; `start` is the
    /// offset of the scalar (its quote, its `|` indicator or its first character).
    static func origins(of text: [UInt8], in bytes: [UInt8], at start: Int) -> (origins: [Int], end: Int)? {
        guard start < bytes.count else { return nil }
        let first = bytes[start]
        if first == UInt8(ascii: "|") { return literalBlock(text, in: bytes, at: start) }
        let contentStart = first == UInt8(ascii: "'") || first == UInt8(ascii: "\"") ? start + 1 : start
        let contentEnd = contentStart + text.count
        guard contentEnd <= bytes.count, !text.contains(0x0A), bytes[contentStart..<contentEnd].elementsEqual(text) else { return nil }
        return (Array(contentStart..<contentEnd), contentEnd)
    }

    /// A `|` block: the header line, then one source line per text line, each made of the block's
    /// indentation and the line's text.
    private static func literalBlock(_ text: [UInt8], in bytes: [UInt8], at start: Int) -> (origins: [Int], end: Int)? {
        // The line after the header.
        var lineStart = start
        while lineStart < bytes.count, bytes[lineStart] != 0x0A, bytes[lineStart] != 0x0D { lineStart += 1 }
        lineStart = skipBreak(bytes, lineStart)
        let lines = text.split(separator: 0x0A, omittingEmptySubsequences: false)
        // The indentation: leading spaces of the first line that is not blank.
        var indent: Int?
        var probe = lineStart
        while probe < bytes.count, indent == nil {
            var spaces = 0
            while probe + spaces < bytes.count, bytes[probe + spaces] == 0x20 { spaces += 1 }
            let next = probe + spaces
            if next < bytes.count, bytes[next] != 0x0A, bytes[next] != 0x0D { indent = spaces }
            probe = skipBreak(bytes, lineEnd(bytes, next))
        }
        guard let indent, indent > 0 else { return nil }
        var origins: [Int] = []
        origins.reserveCapacity(text.count)
        var end = lineStart
        for (number, line) in lines.enumerated() {
            let isLast = number == lines.count - 1
            if isLast && line.isEmpty { break }
            guard lineStart <= bytes.count else { return nil }
            let breakAt: Int
            if line.isEmpty {
                breakAt = lineEnd(bytes, lineStart)
                guard bytes[lineStart..<breakAt].allSatisfy({ $0 == 0x20 }) else { return nil }
            } else {
                let contentStart = lineStart + indent
                let contentEnd = contentStart + line.count
                guard contentEnd <= bytes.count, bytes[lineStart..<contentStart].allSatisfy({ $0 == 0x20 }),
                      bytes[contentStart..<contentEnd].elementsEqual(line) else { return nil }
                breakAt = contentEnd
                guard breakAt == bytes.count || bytes[breakAt] == 0x0A || bytes[breakAt] == 0x0D else { return nil }
                origins.append(contentsOf: contentStart..<contentEnd)
            }
            end = breakAt
            if !isLast {
                guard breakAt < bytes.count else { return nil }
                origins.append(breakAt)
                lineStart = skipBreak(bytes, breakAt)
            }
        }
        return (origins, end)
    }

    private static func lineEnd(_ bytes: [UInt8], _ from: Int) -> Int {
        var index = from
        while index < bytes.count, bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
        return index
    }

    private static func skipBreak(_ bytes: [UInt8], _ at: Int) -> Int {
        guard at < bytes.count else { return at }
        if bytes[at] == 0x0D { return at + 1 < bytes.count && bytes[at + 1] == 0x0A ? at + 2 : at + 1 }
        return bytes[at] == 0x0A ? at + 1 : at
    }
}
