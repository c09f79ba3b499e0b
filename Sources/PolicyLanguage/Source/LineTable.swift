/// The start of every line of a UTF-8 file, to turn byte offsets into line:column and back.
///
/// Columns count Unicode scalars from 1 (a tab is one column), as `SourceLocation` requires. A UTF-8
/// byte order mark is not a column: line 1 starts after it, while offsets still count its three bytes.
/// The bytes must be well-formed UTF-8 (checked first by `SourceEncoding`), and must outlive the table.
struct LineTable {
    /// Which characters end a line.
    enum Breaks {
        /// LF, CR and CR LF: the line ends of JSON (RFC 8259 whitespace).
        case json
        /// Also NEL (U+0085), LS (U+2028) and PS (U+2029), which libyaml counts as line breaks in its marks.
        case yaml
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let breaks: Breaks
    /// Byte offset of the first character of each line; `starts[0]` is the end of the byte order mark.
    private(set) var starts: [Int]
    /// The last position that `location(line:column:)` computed: it resumes from there, so that reading
    /// the nodes of a long line in order costs time linear in its length.
    private var cursor = (line: 0, column: 0, offset: 0)

    init(_ bytes: UnsafeBufferPointer<UInt8>, bomLength: Int, breaks: Breaks) {
        self.bytes = bytes
        self.breaks = breaks
        var starts = [bomLength]
        var index = bomLength
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            switch byte {
            case 0x0A:
                index += 1
                starts.append(index)
            case 0x0D:
                index += (index + 1 < count && bytes[index + 1] == 0x0A) ? 2 : 1
                starts.append(index)
            case 0xC2 where breaks == .yaml && index + 1 < count && bytes[index + 1] == 0x85:
                index += 2
                starts.append(index)
            case 0xE2 where breaks == .yaml && index + 2 < count && bytes[index + 1] == 0x80
                && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                index += 3
                starts.append(index)
            default:
                index += 1
            }
        }
        self.starts = starts
        cursor = (1, 1, bomLength)
    }

    /// The line and column of a byte offset (clamped to the file).
    func location(ofOffset rawOffset: Int) -> SourceLocation {
        let offset = min(max(rawOffset, starts[0]), bytes.count)
        // The last line start at or before `offset`.
        var low = 0, high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        var column = 1
        var index = starts[low]
        while index < offset {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return SourceLocation(line: low + 1, column: column, offset: rawOffset < starts[0] ? rawOffset : offset)
    }

    /// The location of a 1-based line and column (as libyaml reports them), with its byte offset filled in.
    /// A column past the end of its line is placed at the line's end; a line past the end at the end of file.
    mutating func location(line: Int, column: Int) -> SourceLocation {
        guard line >= 1, line <= starts.count else {
            return SourceLocation(line: line, column: column, offset: line < 1 ? starts[0] : bytes.count)
        }
        var index: Int, current: Int
        if cursor.line == line, cursor.column <= column {
            (index, current) = (cursor.offset, cursor.column)
        } else {
            (index, current) = (starts[line - 1], 1)
        }
        let lineEnd = line < starts.count ? starts[line] : bytes.count
        while current < column, index < lineEnd, !isBreak(at: index) {
            let lead = bytes[index]
            index += lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            current += 1
        }
        cursor = (line, current, index)
        return SourceLocation(line: line, column: column, offset: index)
    }

    private func isBreak(at index: Int) -> Bool {
        switch bytes[index] {
        case 0x0A, 0x0D: return true
        case 0xC2 where breaks == .yaml: return index + 1 < bytes.count && bytes[index + 1] == 0x85
        case 0xE2 where breaks == .yaml: return index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9)
        default: return false
        }
    }
}
