import Foundation

/// Why shard results could not be combined, in one sentence for people (for example
/// `shard 2 is not a SARIF 2.1.0 log: …` or `shards 1 and 3 both hold a.json; shards must not overlap`).
public struct MergeError: Error, CustomStringConvertible, Equatable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Combines the results of `audit --shard K/N` runs into the result of one unsharded run.
public enum ReportMerge {
    /// One report equal (`==`) to the report of an unsharded run over the union of the shards' files.
    ///
    /// Guarantees: files are unioned and kept in path order, each exactly as its shard recorded it; the
    /// summary is recomputed from them; `seconds` is the longest shard's. Throws when there are no
    /// reports, when two shards hold the same path, or when tool, version or command differ.
    public static func merge(_ reports: [AuditReport]) throws(MergeError) -> AuditReport {
        guard let first = reports.first else { throw MergeError("there are no shard reports to merge") }
        var owner: [String: Int] = [:]
        var files: [FileRecord] = []
        for (index, report) in reports.enumerated() {
            let shard = index + 1
            try agree("tool", report.tool, first.tool, shard: shard)
            try agree("version", report.version, first.version, shard: shard)
            try agree("command", report.command, first.command, shard: shard)
            for file in report.files {
                if let other = owner[file.path] { throw overlap(file.path, other, shard) }
                owner[file.path] = shard
                files.append(file)
            }
        }
        let seconds = reports.dropFirst().reduce(first.seconds) { max($0, $1.seconds) }
        return AuditReport(tool: first.tool, version: first.version, command: first.command, files: files, seconds: seconds)
    }

    /// One SARIF 2.1.0 log with one run that holds the results of every shard's log.
    ///
    /// Guarantees: results are concatenated in the order of their audited file's path (shard order within
    /// a path); rules and artifacts are unioned, sorted as `SARIFWriter` sorts them, and every `ruleIndex`
    /// and artifact `index` is fixed up; `executionSuccessful` holds when it held in every shard, and the
    /// summary counts are summed. For shards rendered from parts of one report, the text is byte-identical
    /// to `SARIFWriter.render` of the whole report.
    ///
    /// Throws when a text is not a SARIF 2.1.0 log with exactly one run of the form `SARIFWriter` writes,
    /// when the shards' tool, version or command differ, or when two shards audited the same file.
    public static func mergeSARIF(_ logs: [String]) throws(MergeError) -> String {
        guard !logs.isEmpty else { throw MergeError("there are no shard SARIF logs to merge") }
        var runs: [SARIFRun] = []
        for (index, text) in logs.enumerated() {
            let shard = index + 1
            let log: SARIFLog
            do {
                log = try JSONDecoder().decode(SARIFLog.self, from: Data(text.utf8))
            } catch {
                throw MergeError("shard \(shard) is not a SARIF 2.1.0 log: \(readableDescription(of: error))")
            }
            guard log.version == "2.1.0" else {
                throw MergeError("shard \(shard) is not a SARIF 2.1.0 log: its version is \(log.version)")
            }
            guard log.runs.count == 1 else {
                throw MergeError("shard \(shard) holds \(log.runs.count) runs; a shard's SARIF log holds exactly one")
            }
            runs.append(log.runs[0])
        }

        let first = runs[0]
        var artifacts: [String: SARIFArtifact] = [:]
        var auditedBy: [String: Int] = [:]
        var results: [(path: String, shard: Int, position: Int, result: SARIFResult)] = []
        var successful = true
        var summary: AuditSummary? = AuditSummary([])
        for (index, run) in runs.enumerated() {
            let shard = index + 1
            try agree("tool", run.tool.driver.name, first.tool.driver.name, shard: shard)
            try agree("version", run.tool.driver.version ?? "", first.tool.driver.version ?? "", shard: shard)
            try agree("command", run.properties?.command ?? "", first.properties?.command ?? "", shard: shard)
            for artifact in run.artifacts ?? [] {
                let key = artifact.location.key
                if artifact.roles?.contains("analysisTarget") == true {
                    if let other = auditedBy[key] { throw overlap(artifact.location.path, other, shard) }
                    auditedBy[key] = shard
                    artifacts[key] = artifact
                } else if artifacts[key] == nil {
                    artifacts[key] = artifact
                }
            }
            let rules = run.tool.driver.rules ?? []
            for (position, result) in (run.results ?? []).enumerated() {
                var result = result
                if result.ruleId == nil, let ruleIndex = result.ruleIndex, rules.indices.contains(ruleIndex) {
                    result.ruleId = rules[ruleIndex].id
                }
                let path = result.analysisTarget?.path ?? result.locations?.first?.physicalLocation?.artifactLocation.path ?? ""
                results.append((path, shard, position, result))
            }
            successful = successful && (run.invocations ?? []).allSatisfy(\.executionSuccessful)
            if let sum = summary, let shardSummary = run.properties?.summary {
                summary = add(sum, shardSummary)
            } else {
                summary = nil
            }
        }
        results.sort { ($0.path, $0.shard, $0.position) < ($1.path, $1.shard, $1.position) }

        // A rule's descriptor comes from the shard of its first result, as the unsharded run takes it from
        // its first use; rules that no result uses come from the first shard that lists them.
        var rules: [String: SARIFRule] = [:]
        for entry in results {
            guard let id = entry.result.ruleId, rules[id] == nil else { continue }
            rules[id] = runs[entry.shard - 1].tool.driver.rules?.first { $0.id == id }
        }
        for run in runs {
            for rule in run.tool.driver.rules ?? [] where rules[rule.id] == nil { rules[rule.id] = rule }
        }

        var merged = first
        merged.tool.driver.rules = Array(rules.values)
        merged.artifacts = Array(artifacts.values)
        merged.results = results.map(\.result)
        merged.invocations = [SARIFInvocation(executionSuccessful: successful)]
        merged.properties = SARIFRunProperties(command: first.properties?.command, summary: summary)
        merged.reindex()
        return SARIFWriter.encode(SARIFLog(schema: SARIFWriter.schemaURI, version: "2.1.0", runs: [merged]))
    }

    private static func agree(_ what: String, _ value: String, _ expected: String, shard: Int) throws(MergeError) {
        guard value != expected else { return }
        throw MergeError("shard \(shard) has \(what) '\(value)' but shard 1 has '\(expected)'; only shards of one run can be merged")
    }

    private static func overlap(_ path: String, _ first: Int, _ second: Int) -> MergeError {
        first == second
            ? MergeError("shard \(first) holds \(path) twice")
            : MergeError("shards \(first) and \(second) both hold \(path); shards must not overlap")
    }

    private static func add(_ lhs: AuditSummary, _ rhs: AuditSummary) -> AuditSummary {
        var sum = lhs
        sum.files += rhs.files
        sum.policies += rhs.policies
        sum.passed += rhs.passed
        sum.failed += rhs.failed
        sum.unknown += rhs.unknown
        sum.errors += rhs.errors
        sum.skipped += rhs.skipped
        return sum
    }
}
