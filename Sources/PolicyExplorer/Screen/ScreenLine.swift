/// How a piece of the screen is drawn; the terminal layer maps styles to colours (none with `NO_COLOR`).
public enum ScreenStyle: Sendable, Equatable {
    case plain, title, heading, dim, key
    case pass, fail, unknown
    /// A statement that grants the counterexample, and its conditions.
    case grant, condition
    /// A statement that denies it.
    case deny
    case added, removed
    case status
}

/// A run of text in one style.
public struct ScreenSpan: Sendable, Equatable {
    public var text: String
    public var style: ScreenStyle

    public init(_ text: String, _ style: ScreenStyle = .plain) {
        self.text = text
        self.style = style
    }
}

/// One row of the screen.
public struct ScreenLine: Sendable, Equatable {
    public var spans: [ScreenSpan]
    /// Where a wrapped continuation starts, when not where the caller says (a column of prose).
    public var hangingIndent: Int?

    public init(_ spans: [ScreenSpan]) { self.spans = spans }
    public init(_ text: String, _ style: ScreenStyle = .plain) { spans = [ScreenSpan(text, style)] }

    /// The row's text without styles.
    public var text: String { spans.map(\.text).joined() }

    /// The row cut to `width` characters.
    func clipped(to width: Int) -> ScreenLine {
        var left = width
        var kept: [ScreenSpan] = []
        for span in spans where left > 0 {
            let text = String(span.text.prefix(left))
            left -= text.count
            kept.append(ScreenSpan(text, span.style))
        }
        return ScreenLine(kept)
    }
}

extension ScreenLine {
    /// The row broken into rows of at most `width` characters, at spaces where it can be, each
    /// continuation indented by `indent` spaces.
    func wrapped(to width: Int, indent: Int) -> [ScreenLine] {
        let characters = spans.flatMap { span in span.text.map { ($0, span.style) } }
        let indent = hangingIndent ?? indent
        guard characters.count > width, width > indent + 8 else { return [self] }
        var rows: [[(Character, ScreenStyle)]] = []
        var row: [(Character, ScreenStyle)] = []
        for character in characters {
            if row.count == width {
                // Break after the last space of the row, if there is one past the indentation.
                let floor = rows.isEmpty ? 0 : indent
                if let space = row.lastIndex(where: { $0.0 == " " }), space > floor {
                    rows.append(Array(row[...space]))
                    row = Array(repeating: (" ", .plain), count: indent) + row[(space + 1)...]
                } else {
                    rows.append(row)
                    row = Array(repeating: (" ", .plain), count: indent)
                }
            }
            row.append(character)
        }
        rows.append(row)
        return rows.map { characters in
            var spans: [ScreenSpan] = []
            for (character, style) in characters {
                if spans.last?.style == style { spans[spans.count - 1].text.append(character) } else { spans.append(ScreenSpan(String(character), style)) }
            }
            return ScreenLine(spans)
        }
    }
}
