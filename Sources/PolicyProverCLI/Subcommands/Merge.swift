import ArgumentParser
import Foundation
import PolicyAudit
import PolicyLanguage

/// `policyprover merge SHARD...`: one report from the reports of `audit --shard K/N` runs.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the JSON or SARIF reports of sharded audits into one report.",
        discussion: """
            JSON reports (audit --format json) merge into a report equal to an unsharded run, which can \
            be written in any format; SARIF logs merge into one SARIF log. A file present in two shards, \
            or reports of different tool versions, are errors (exit 2).

            The exit status is that of the merged report under --fail-on, as if one audit had run.

            Examples:
              policyprover merge shard-1.json shard-2.json --format sarif --output results.sarif
              policyprover merge shard-*.sarif --format sarif --output results.sarif
            """
    )

    @Argument(help: "The shards' report files (all JSON or all SARIF).", completion: .file())
    var reports: [String]

    @Option(help: "Output format: text, json, sarif, junit (SARIF inputs: sarif only).")
    var format: OutputFormat = .json

    @Option(name: .customLong("fail-on"), help: "What makes the exit status non-zero: error, warning, never.")
    var failOn: FailOn = .error

    @Option(help: "Write the merged report to this file instead of standard output.")
    var output: String?

    func validate() throws {
        guard !reports.isEmpty else { throw ValidationError("give the report files to merge") }
    }

    func run() throws {
        var texts: [[UInt8]] = []
        for path in reports {
            switch SourceReader.readBytes(contentsOf: path) {
            case .success(let bytes): texts.append(bytes)
            case .failure(let error): fail("\(error)")
            }
        }
        let sarif = texts.map(Self.isSARIF)
        if sarif.allSatisfy({ $0 }) {
            guard format == .sarif else { fail("SARIF inputs can only be merged into SARIF: add --format sarif") }
            do {
                try ReportDestination.write(try ReportMerge.mergeSARIF(texts.map { String(decoding: $0, as: UTF8.self) }), to: output)
            } catch {
                fail("\(error)")
            }
            return
        }
        guard !sarif.contains(true) else { fail("cannot merge SARIF logs with JSON reports: give all of one kind") }
        var parts: [AuditReport] = []
        for (path, bytes) in zip(reports, texts) {
            do {
                parts.append(try AuditReport.read(json: bytes))
            } catch {
                fail("\(path): not a policyprover JSON report: \(error)")
            }
        }
        let merged: AuditReport
        do {
            merged = try ReportMerge.merge(parts)
        } catch {
            fail("\(error)")
        }
        try ReportDestination.write(merged.rendered(format) ?? AuditText(useColor: false).render(merged), to: output)
        let status = merged.exitStatus(failOn: failOn)
        if status != .passed { throw status.exitCode }
    }

    /// A SARIF log names its schema or version at the top level.
    static func isSARIF(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        return head.contains("\"$schema\"") && head.contains("sarif") || head.contains("\"version\": \"2.1.0\"") && head.contains("\"runs\"")
    }

    private func fail(_ message: String) -> Never {
        FileHandleOutput.standardError("error: \(message)\n")
        Foundation.exit(ExitStatus.invalidInput.rawValue)
    }
}
