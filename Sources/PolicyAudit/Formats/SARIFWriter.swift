import Foundation

/// Renders an `AuditReport` as a SARIF 2.1.0 log, the format that code scanning (GitHub, Azure DevOps)
/// and SARIF viewers read.
public enum SARIFWriter {
    /// A SARIF 2.1.0 log with one run of `policyprover`.
    ///
    /// Guarantees:
    /// - The text validates against the OASIS SARIF 2.1.0 schema; it is pretty-printed JSON with sorted
    ///   keys and no trailing newline, and the same report always gives byte-identical text.
    /// - Every issue is one result (including the warnings and notes of a passing validation, so that
    ///   lint findings annotate the pull request too), and so is every file error; a failed, unknown or
    ///   error check without issues is one result at its policy's location. A passing proof has no
    ///   issues and gives no result.
    /// - A result's level is its issue's level; a check without issues gives `error` when it failed or
    ///   could not run, and `warning` when it is UNKNOWN. The message of an UNKNOWN result carries the
    ///   reason (the check's message).
    /// - `ruleId` is the issue's rule id (the check id when it has none); `tool.driver.rules` describes
    ///   every rule id used, sorted by id, and `ruleIndex` points into it.
    /// - Locations name the file relative to `%SRCROOT%` (absolute paths become `file://` URIs), with a
    ///   region from the issue's line and column; end values are left out when they are 0, before the
    ///   start, or equal to it. Columns count Unicode code points (`columnKind`).
    /// - `analysisTarget` is the audited file the result belongs to; results are in the report's file
    ///   order, and `artifacts` lists every audited or referenced file, sorted by path.
    /// - `partialFingerprints["policyFinding/v1"]` hashes rule id, audited file, policy name and message.
    /// - `invocations[0].executionSuccessful` is false exactly when some file could not be read or parsed.
    public static func render(_ report: AuditReport) -> String {
        encode(log(for: report))
    }

    static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json"
    static let informationURI = "https://github.com/policyprover/policyprover"
    static let sourceRoot = "%SRCROOT%"

    static func log(for report: AuditReport) -> SARIFLog {
        var results: [SARIFResult] = []
        var firstUse: [String: (level: IssueLevel, message: String)] = [:]
        var referenced: Set<String> = []

        // `stable` is what the fingerprint hashes: the message without the example request.
        func add(rule: String, level: IssueLevel, message: String, stable: String? = nil, at location: Location, related: [RelatedLocation],
                 file: FileRecord, policy: PolicyRecord?, check: CheckRecord?, outcome: Outcome) {
            let path = location.file.isEmpty ? file.path : location.file
            referenced.insert(path)
            if firstUse[rule] == nil { firstUse[rule] = (level, message) }
            let relatedLocations = related.enumerated().map { index, item in
                let relatedPath = item.location.file.isEmpty ? file.path : item.location.file
                referenced.insert(relatedPath)
                return SARIFLocation(
                    id: index + 1, physicalLocation: physicalLocation(relatedPath, item.location),
                    message: item.message.isEmpty ? nil : SARIFText(text: item.message))
            }
            results.append(SARIFResult(
                ruleId: rule, level: level.rawValue, message: SARIFText(text: message),
                analysisTarget: artifactLocation(file.path),
                locations: [SARIFLocation(physicalLocation: physicalLocation(path, location))],
                relatedLocations: relatedLocations.isEmpty ? nil : relatedLocations,
                partialFingerprints: [
                    SARIFFingerprint.key: SARIFFingerprint.value(
                        ruleId: rule, file: file.path, policy: policy?.name ?? "", message: stable ?? message),
                ],
                properties: SARIFResultProperties(policy: policy?.name, check: check?.id, outcome: outcome.rawValue)))
        }

        for file in report.files {
            for issue in file.errors {
                add(rule: issue.ruleId.isEmpty ? "file-error" : issue.ruleId, level: issue.level, message: issue.text, stable: issue.message,
                    at: issue.location, related: issue.related, file: file, policy: nil, check: nil, outcome: .error)
            }
            for policy in file.policies {
                for check in policy.checks where check.outcome != .pass || !check.issues.isEmpty {
                    guard !check.issues.isEmpty else {
                        add(rule: check.id, level: check.outcome == .unknown ? .warning : .error, message: summary(of: check),
                            at: policy.location, related: [], file: file, policy: policy, check: check, outcome: check.outcome)
                        continue
                    }
                    for issue in check.issues {
                        let message = check.outcome == .unknown ? unknownMessage(issue.text, reason: check.message) : issue.text
                        add(rule: issue.ruleId.isEmpty ? check.id : issue.ruleId, level: issue.level, message: message, stable: issue.message,
                            at: issue.location, related: issue.related, file: file, policy: policy, check: check,
                            outcome: check.outcome)
                    }
                }
            }
        }

        let rules = firstUse.map { id, use in rule(id, firstLevel: use.level, firstMessage: use.message) }
        let audited = Dictionary(report.files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let artifacts = Set(audited.keys).union(referenced).map { path in
            let file = audited[path]
            return SARIFArtifact(
                location: artifactLocation(path), roles: file == nil ? nil : ["analysisTarget"],
                hashes: (file?.contentHash).flatMap { $0.isEmpty ? nil : ["sha-256": $0] })
        }
        var run = SARIFRun(
            tool: SARIFTool(driver: SARIFDriver(name: report.tool, version: report.version, informationUri: informationURI, rules: rules)),
            invocations: [SARIFInvocation(executionSuccessful: report.files.allSatisfy(\.errors.isEmpty))],
            artifacts: artifacts, results: results, columnKind: "unicodeCodePoints",
            properties: SARIFRunProperties(command: report.command, summary: report.summary))
        run.reindex()
        return SARIFLog(schema: schemaURI, version: "2.1.0", runs: [run])
    }

    static func encode(_ log: SARIFLog) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(log), as: UTF8.self)
        } catch {
            preconditionFailure("a SARIF log holds only strings, integers and Booleans and always encodes: \(error)")
        }
    }

    // MARK: - Locations

    /// A relative path names a file under `%SRCROOT%`; an absolute one becomes a `file://` URI.
    static func artifactLocation(_ path: String) -> SARIFArtifactLocation {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")
        let encoded = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
        return path.hasPrefix("/")
            ? SARIFArtifactLocation(uri: "file://" + encoded)
            : SARIFArtifactLocation(uri: encoded, uriBaseId: sourceRoot)
    }

    static func physicalLocation(_ path: String, _ location: Location) -> SARIFPhysicalLocation {
        SARIFPhysicalLocation(artifactLocation: artifactLocation(path), region: region(location))
    }

    /// The region of a location, or nil when it has no line. End values that are 0, before the start or
    /// equal to it (a point) are left out, so that a viewer marks the rest of the line instead.
    static func region(_ location: Location) -> SARIFRegion? {
        guard location.line >= 1 else { return nil }
        var region = SARIFRegion(startLine: location.line, startColumn: location.column >= 1 ? location.column : nil)
        let endLineValid = location.endLine >= location.line
        let endColumnValid = endLineValid && location.endColumn >= 1
            && (location.endLine > location.line || location.endColumn > max(location.column, 1))
        if endColumnValid {
            region.endLine = location.endLine
            region.endColumn = location.endColumn
        } else if location.endLine > location.line {
            region.endLine = location.endLine
        }
        return region
    }

    // MARK: - Messages and rules

    static func summary(of check: CheckRecord) -> String {
        switch check.outcome {
        case .unknown: check.message.isEmpty ? "UNKNOWN" : "UNKNOWN: \(check.message)"
        case .fail: check.message.isEmpty ? "\(check.id) failed" : check.message
        case .error, .pass: check.message.isEmpty ? "\(check.id) could not run" : check.message
        }
    }

    static func unknownMessage(_ message: String, reason: String) -> String {
        if reason.isEmpty || message.contains(reason) { return message + " (UNKNOWN)" }
        return "\(message) (UNKNOWN: \(reason))"
    }

    /// The descriptor of a rule id: from the table of known checks, else the id itself with the first
    /// message seen for it (a validation code or a file error code).
    static func rule(_ id: String, firstLevel: IssueLevel, firstMessage: String) -> SARIFRule {
        let security = ["security", "iam"]
        let known: (short: String, full: String, tags: [String])? =
            switch id {
            case "validation":
                ("The policy follows the IAM policy grammar and passes the lint rules",
                 "The policy document is well formed, uses only elements, actions, condition operators and keys that IAM accepts, and passes PolicyProver's lint rules. A policy that is not valid cannot be checked further.",
                 ["iam", "validation"])
            case "no-public-access":
                ("The policy does not grant public access",
                 "No request from an unbounded set of principals (anyone, or any AWS account) is allowed by the policy. A failure shows a request from outside any bounded set of principals that the policy allows.",
                 security)
            case "no-external-access":
                ("The policy does not grant access outside the zone of trust",
                 "Every principal the policy allows belongs to a trusted account or organization. A failure shows an allowed request from a principal outside the zone of trust.",
                 security)
            case "admin-equivalent":
                ("The policy does not grant administrator-equivalent access",
                 "The policy does not allow every action on every resource, nor a set of actions that is as powerful (for example iam:* on *). A failure shows why the allowed access is equivalent to an administrator's.",
                 security)
            case "privilege-escalation":
                ("The policy does not allow privilege escalation",
                 "The policy does not allow a principal to give itself more permissions than it has, for example by attaching or editing policies, passing a more powerful role, or creating credentials for another principal.",
                 security)
            default:
                id.hasPrefix("spec/")
                    ? ("The spec invariant '\(id.dropFirst("spec/".count))' holds",
                       "The policy satisfies the invariant '\(id.dropFirst("spec/".count))' of the spec file. A failure shows a request that breaks the invariant.",
                       security)
                    : nil
            }
        guard let known else {
            let short = firstMessage.isEmpty ? id : "\(id): \(firstMessage)"
            return SARIFRule(id: id, shortDescription: SARIFText(text: short), fullDescription: SARIFText(text: short),
                             defaultConfiguration: SARIFConfiguration(level: firstLevel.rawValue))
        }
        return SARIFRule(id: id, shortDescription: SARIFText(text: known.short), fullDescription: SARIFText(text: known.full),
                         defaultConfiguration: SARIFConfiguration(level: "error"), properties: SARIFRuleProperties(tags: known.tags))
    }
}

extension SARIFRun {
    /// Sorts `artifacts` by path and `rules` by id, and sets every `ruleIndex` and artifact `index` to
    /// match. Rendering and merging both end here, so a merged log is indexed like a rendered one.
    mutating func reindex() {
        var artifacts = self.artifacts ?? []
        artifacts.sort { ($0.location.path, $0.location.key) < ($1.location.path, $1.location.key) }
        for position in artifacts.indices { artifacts[position].location.index = nil }
        let artifactIndex = Dictionary(artifacts.enumerated().map { ($1.location.key, $0) }, uniquingKeysWith: { first, _ in first })
        self.artifacts = artifacts

        var rules = tool.driver.rules ?? []
        rules.sort { $0.id < $1.id }
        tool.driver.rules = rules
        let ruleIndex = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })

        func fix(_ location: inout SARIFArtifactLocation) { location.index = artifactIndex[location.key] }
        func fix(_ locations: inout [SARIFLocation]?) {
            guard var list = locations else { return }
            for position in list.indices where list[position].physicalLocation != nil {
                fix(&list[position].physicalLocation!.artifactLocation)
            }
            locations = list
        }
        guard var results else { return }
        for position in results.indices {
            results[position].ruleIndex = results[position].ruleId.flatMap { ruleIndex[$0] }
            if results[position].analysisTarget != nil { fix(&results[position].analysisTarget!) }
            fix(&results[position].locations)
            fix(&results[position].relatedLocations)
        }
        self.results = results
    }
}
