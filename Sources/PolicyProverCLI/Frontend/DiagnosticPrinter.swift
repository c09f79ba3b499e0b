import PolicyLanguage

/// Writes findings as `file:line:column: severity[CODE]: message`, followed by the source line and a
/// caret under the column, like a compiler.
struct DiagnosticPrinter {
    enum Stream { case standardOutput, standardError }

    let useColor: Bool
    let stream: Stream
    private var sources = SourceLines()
    /// Source lines longer than this are shown as a window around the column.
    private let maxShownWidth = 160

    init(useColor: Bool, stream: Stream = .standardOutput) {
        self.useColor = useColor
        self.stream = stream
    }

    private func emit(_ line: String) {
        switch stream {
        case .standardOutput: Swift.print(line)
        case .standardError: FileHandleOutput.standardError(line + "\n")
        }
    }

    mutating func print(_ report: PolicyFileReport) {
        for finding in report.findings {
            emit("\(bold(finding.span.description)): \(paint(finding.severity))[\(finding.code.rawValue)]: \(finding.message)")
            printExcerpt(finding.span)
            for note in finding.notes {
                emit("\(bold(note.span.description)): \(colored("note", "36")): \(note.message)")
                printExcerpt(note.span)
            }
        }
    }

    func printError(_ message: String) {
        emit("\(colored("error", "31")): \(message)")
    }

    func printWarning(_ message: String) {
        emit("\(colored("warning", "33")): \(message)")
    }

    func printSummary(_ reports: [PolicyFileReport]) {
        var counts: [Severity: Int] = [:]
        for finding in reports.flatMap(\.findings) { counts[finding.severity, default: 0] += 1 }
        let parts = Severity.allCases.compactMap { severity -> String? in
            guard let count = counts[severity] else { return nil }
            return "\(count) \(severity.rawValue)\(count == 1 ? "" : "s")"
        }
        let fileCount = "\(reports.count) file\(reports.count == 1 ? "" : "s")"
        let clean = reports.filter { $0.findings.isEmpty }.count
        emit("\(fileCount) checked, \(clean) clean: " + (parts.isEmpty ? "no findings" : parts.joined(separator: ", ")))
    }

    private mutating func printExcerpt(_ span: SourceSpan) {
        guard let line = sources.line(span.start.line, of: span.file) else { return }
        let scalars = Array(line.unicodeScalars)
        let caretIndex = min(max(span.start.column - 1, 0), scalars.count)
        var windowStart = 0
        if scalars.count > maxShownWidth {
            windowStart = max(0, min(caretIndex - maxShownWidth / 2, scalars.count - maxShownWidth))
        }
        let windowEnd = min(scalars.count, windowStart + maxShownWidth)
        let shown = String(String.UnicodeScalarView(scalars[windowStart..<windowEnd].map(Self.printable)))
        // Keep tabs as tabs so the caret lines up whatever the terminal's tab width.
        let padding = String(String.UnicodeScalarView(scalars[windowStart..<caretIndex].map { $0 == "\t" ? "\t" : " " }))
        var underline = 1
        if span.end.line == span.start.line, span.end.column > span.start.column {
            underline = min(span.end.column - span.start.column, windowEnd - caretIndex, 80)
        }
        emit("    " + (windowStart > 0 ? "…" : "") + shown + (windowEnd < scalars.count ? "…" : ""))
        emit("    " + (windowStart > 0 ? " " : "") + padding + colored("^" + String(repeating: "~", count: max(0, underline - 1)), "32"))
    }

    /// Control characters and invalid bytes are shown as a replacement so they cannot drive the terminal.
    private static func printable(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar == "\t" { return scalar }
        if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) { return "\u{FFFD}" }
        return scalar
    }

    private func paint(_ severity: Severity) -> String {
        switch severity {
        case .error: colored("error", "1;31")
        case .securityWarning: colored("security-warning", "1;35")
        case .warning: colored("warning", "1;33")
        case .suggestion: colored("suggestion", "1;34")
        }
    }

    private func bold(_ text: String) -> String { colored(text, "1") }

    private func colored(_ text: String, _ code: String) -> String {
        useColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
