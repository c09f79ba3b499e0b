import PolicyExplorer
import PolicyVerifier

/// The explorer's export: the counterexamples in the JSON form `check --format json` uses (each
/// request can be replayed with `simulate --request`), and how the search ended.
enum ExplorerExport {
    /// `found`: the counterexamples of the policy as it is now; `earlier`: those of each version
    /// before a fix, with the fix.
    static func json(file: String, title: String, found: [Counterexample], end: ExplorationEnd?, exclusions: [Exclusion], earlier: [(fix: String, found: [Counterexample])] = []) -> String {
        var members: [(String, JSONValue)] = [
            ("command", .string("explore")), ("file", .string(file)), ("property", .string(title)),
            ("exclusions", .array(exclusions.map { .string($0.description) })),
            ("counterexamples", .array(found.map(ProofReport.json))),
        ]
        if !earlier.isEmpty {
            members.append(("beforeFixes", .array(earlier.map { version in
                .object([("fixedBy", .string(version.fix)), ("counterexamples", .array(version.found.map(ProofReport.json)))])
            })))
        }
        switch end {
        case nil:
            members.append(("end", .object([("verdict", .string(found.isEmpty ? "open" : "fail")), ("complete", .bool(false))])))
        case .exhausted(let proof):
            members.append(("end", .object([
                ("verdict", .string(proof.propertyHolds ? "pass" : found.isEmpty ? "pass-with-exclusions" : "fail")),
                ("complete", .bool(true)),
                ("proved", .string("unsat")),
                ("question", .array(proof.question.map(JSONValue.string))),
            ])))
        case .unknown(let reason):
            members.append(("end", .object([("verdict", .string("unknown")), ("complete", .bool(false)), ("reason", .string(reason.description))])))
        }
        return JSONValue.object(members).serialized(pretty: true) + "\n"
    }
}
