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
