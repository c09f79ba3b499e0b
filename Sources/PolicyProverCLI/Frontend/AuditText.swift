import Foundation
import PolicyAudit

/// The text form of a report: the files with something to say, then the summary table.
struct AuditText {
    var useColor: Bool
    /// Also list passing policies.
    var verbose = false

    private func paint(_ text: String, _ code: String) -> String { useColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    private func label(_ outcome: Outcome) -> String {
        switch outcome {
        case .pass: paint("PASS", "1;32")
        case .fail: paint("FAIL", "1;31")
        case .unknown: paint("UNKNOWN", "1;33")
        case .error: paint("ERROR", "1;31")
        }
    }

    func render(_ report: AuditReport) -> String {
        var lines: [String] = []
        for file in report.files {
            var fileLines: [String] = []
            for error in file.errors { fileLines.append("  " + issueLine(error)) }
            for policy in file.policies where verbose || policy.outcome != .pass || policy.checks.contains(where: { !$0.issues.isEmpty && $0.outcome != .pass }) {
                fileLines.append("  \(label(policy.outcome)) \(policy.name) (\(policy.type)) at \(policy.location.line):\(policy.location.column)")
                for check in policy.checks where verbose || check.outcome != .pass {
                    fileLines.append("    \(label(check.outcome)) \(check.id): \(check.message)")
                    for issue in check.issues { fileLines.append("      " + issueLine(issue)) }
                }
            }
            if !fileLines.isEmpty {
                lines.append(paint(file.path, "1") + " (\(file.kind.rawValue))")
                lines += fileLines
            }
        }
        if !lines.isEmpty { lines.append("") }
        lines += summaryTable(report.summary, seconds: report.seconds)
        return lines.joined(separator: "\n")
    }

    private func issueLine(_ issue: Issue) -> String {
        let place = "\(issue.location.file):\(issue.location.line):\(issue.location.column)"
        var text = "\(place): \(issue.level.rawValue)[\(issue.ruleId)]: \(issue.text)"
        for related in issue.related { text += "\n        \(related.location.file):\(related.location.line):\(related.location.column): note: \(related.message)" }
        return text
    }

    /// The summary table: files, policies, passed, failed, unknown, errors, skipped, time.
    func summaryTable(_ summary: AuditSummary, seconds: Double) -> [String] {
        let columns: [(String, String)] = [
            ("files", "\(summary.files)"), ("policies", "\(summary.policies)"), ("passed", "\(summary.passed)"),
            ("failed", "\(summary.failed)"), ("unknown", "\(summary.unknown)"), ("errors", "\(summary.errors)"),
            ("skipped", "\(summary.skipped)"), ("time", String(format: "%.2f s", seconds)),
        ]
        let widths = columns.map { max($0.0.count, $0.1.count) }
        func row(_ cells: [String]) -> String {
            zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ")
        }
        return [row(columns.map(\.0)), row(widths.map { String(repeating: "-", count: $0) }), row(columns.map(\.1))]
    }
}

/// A one-line progress bar on standard error: files done of total, rate, ETA. Only on a terminal and
/// never in CI (`CI` set), so logs and pipes stay clean.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private var lastDraw = ContinuousClock.now - .seconds(1)
    private var drawn = false

    static var isWanted: Bool {
        isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["CI"].map(\.isEmpty) ?? true
    }

    func update(done: Int, total: Int, cached: Int, elapsed: Duration) {
        lock.lock()
        defer { lock.unlock() }
        let now = ContinuousClock.now
        guard done == total || now - lastDraw >= .milliseconds(100) else { return }
        lastDraw = now
        let seconds = max(elapsed.seconds, 0.001)
        let rate = Double(done) / seconds
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let width = 30
        let filled = total == 0 ? width : width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = String(format: "\r[%@] %d/%d files  %.1f/s  ETA %.0f s%@", bar, done, total, rate, eta, cached > 0 ? "  (\(cached) cached)" : "")
        FileHandleOutput.standardError(line + "\u{1B}[K")
        drawn = true
    }

    func clear() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandleOutput.standardError("\r\u{1B}[K") }
    }
}
