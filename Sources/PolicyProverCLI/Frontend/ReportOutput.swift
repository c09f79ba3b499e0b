import ArgumentParser
import Foundation
import PolicyAudit

/// How the exit status follows from a report (`--fail-on`).
enum FailOn: String, ExpressibleByArgument, CaseIterable {
    /// Invalid input exits 2, a failed check 1, an unknown check 3.
    case error
    /// As `error`, and a warning (a validation security warning or warning) exits 1 too.
    case warning
    /// Always exit 0: report only.
    case never
}

extension AuditReport {
    /// The exit status of DESIGN.md for this report under `failOn`.
    func exitStatus(failOn: FailOn) -> ExitStatus {
        if failOn == .never { return .passed }
        let policies = files.flatMap(\.policies)
        if files.contains(where: { !$0.errors.isEmpty }) || policies.contains(where: { $0.outcome == .error }) { return .invalidInput }
        if policies.contains(where: { $0.outcome == .fail }) { return .failed }
        if failOn == .warning && policies.contains(where: { $0.checks.contains { $0.issues.contains { $0.level <= .warning } } }) { return .failed }
        if policies.contains(where: { $0.outcome == .unknown }) { return .unknown }
        return .passed
    }

    /// The report in a machine format (`json`, `sarif`, `junit`); `nil` for `text`.
    func rendered(_ format: OutputFormat) -> String? {
        switch format {
        case .text: nil
        case .json: jsonText()
        case .sarif: SARIFWriter.render(self)
        case .junit: JUnitWriter.render(self)
        }
    }
}

/// Writes a command's output to standard output or to `--output FILE`.
enum ReportDestination {
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            print(text)
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: Data((text + "\n").utf8)) else {
            FileHandleOutput.standardError("error: cannot write \(path)\n")
            throw ExitStatus.invalidInput.exitCode
        }
    }
}
