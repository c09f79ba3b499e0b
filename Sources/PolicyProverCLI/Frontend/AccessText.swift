import PolicyLanguage
import PolicyVerifier

/// Renders the findings of the no-public-access and no-external-access questions.
enum AccessText {
    static func passSummary(_ report: AccessReport) -> String {
        guard !report.namesNoCallers else { return ": an identity-based policy grants nothing to principals outside its account by itself" }
        let who = report.question == .publicAccess ? "no unbounded set of principals" : "no principal outside the zone of trust"
        return ": proved: \(who) can get in" + typeNote(report)
    }

    static func failSummary(_ report: AccessReport) -> String {
        let count = report.findings.count
        let publicCount = report.findings.filter(\.isPublic).count
        var text = ": \(count) way\(count == 1 ? "" : "s") in"
        if publicCount > 0 { text += " (\(publicCount) public)" }
        text += report.findingsAreComplete ? ", covering all outside access" : ", enumeration stopped (limit or time): there may be more"
        return text + typeNote(report)
    }

    private static func typeNote(_ report: AccessReport) -> String {
        report.resourceType.map { " [\($0.rawValue)]" } ?? ""
    }

    static func findings(_ report: AccessReport, report printer: inout ProofReport, indent: String) -> [String] {
        var lines: [String] = []
        for (index, finding) in report.findings.enumerated() {
            let kind = finding.isPublic ? printer.paint("public", "1;31") : printer.paint("external", "1;33")
            lines.append("\(indent)Finding \(index + 1) (\(kind)): principal \(finding.principal)")
            lines.append("\(indent)  \(finding.actionsAreExcluded ? "all actions except" : "actions    ") \(finding.actions.joined(separator: ", "))")
            if !finding.resources.isEmpty {
                lines.append("\(indent)  \(finding.resourcesAreExcluded ? "all resources except" : "resources  ") \(finding.resources.joined(separator: ", "))")
            }
            if finding.conditions.isEmpty {
                lines.append("\(indent)  conditions none")
            }
            for (position, condition) in finding.conditions.enumerated() {
                let values = condition.values.map(ProofReport.quoted).joined(separator: ", ")
                lines.append("\(indent)  \(position == 0 ? "conditions" : "          ") \(condition.operatorName) \(condition.key) [\(values)]")
            }
            if let addresses = finding.publicSourceAddresses {
                var line = "\(indent)  source IPs \(grouped(addresses.ipv4)) public IPv4 address\(addresses.ipv4 == 1 ? "" : "es")" + (addresses.ipv6 > 0 ? ", \(addresses.ipv6 == .max ? "more than 2^64" : grouped(addresses.ipv6)) public IPv6" : "")
                if finding.isPublic && addresses.ipv4 == 0 && addresses.ipv6 == 0 {
                    // The verdict follows S3's rule (a range broader than /8 or /32 is public) even where
                    // the range holds only reserved or private addresses.
                    line += " (the ranges are broader than S3's /8 (IPv4) or /32 (IPv6) limit, so S3 counts them as public)"
                }
                lines.append(line)
            }
            lines += printer.excerpt(finding.statement, verb: "granted by", indent: indent + "  ")
            lines.append("\(indent)  example request (certified by the concrete evaluator):")
            lines += printer.requestLines(finding.example.request, indent: indent + "    ")
            let others = (finding.example.outcomes.first?.allowing ?? []).dropFirst()
            for statement in others { lines += printer.excerpt(statement, verb: "also granted by", indent: indent + "    ") }
        }
        return lines
    }

    static func json(_ report: AccessReport) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = []
        if case .object(let fields) = ProofReport.json(report.verdict) {
            members += fields.filter { $0.0 != "counterexamples" }
        }
        members.append(("resourceType", report.resourceType.map { .string($0.rawValue) } ?? .null))
        members.append(("isPublic", .bool(report.findings.contains(where: \.isPublic))))
        members.append(("findingsComplete", .bool(report.findingsAreComplete)))
        members.append(("findings", .array(report.findings.map(json))))
        return members
    }

    private static func json(_ finding: AccessFinding) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("isPublic", .bool(finding.isPublic)),
            ("principal", .string(finding.principal)),
            (finding.actionsAreExcluded ? "notActions" : "actions", .array(finding.actions.map(JSONValue.string))),
            (finding.resourcesAreExcluded ? "notResources" : "resources", .array(finding.resources.map(JSONValue.string))),
            ("conditions", .array(finding.conditions.map { condition in
                .object([("operator", .string(condition.operatorName)), ("key", .string(condition.key)), ("values", .array(condition.values.map(JSONValue.string)))])
            })),
            ("statements", .array([DecisionReport.statement(finding.statement)])),
        ]
        if let addresses = finding.publicSourceAddresses {
            members.append(("publicSourceAddresses", .object([("ipv4", .string(String(addresses.ipv4))), ("ipv6", .string(String(addresses.ipv6)))])))
        }
        members.append(("example", ProofReport.json(finding.example)))
        return .object(members)
    }

    /// 2147483648 → 2,147,483,648.
    static func grouped(_ number: UInt64) -> String {
        let digits = Array(String(number))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }
}
