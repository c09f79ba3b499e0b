import ArgumentParser
import Foundation
import PolicyAudit
import PolicyLanguage
import PolicyVerifier

/// `policyprover diff OLD NEW`: does NEW grant any request that OLD does not?
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prove that a new version of a policy grants no new access, or show the new access.",
        discussion: """
            Compares what the two policies allow over every possible request (principal, action, \
            resource, condition keys) and reports equivalent, less (NEW is stricter), more (NEW grants \
            more) or incomparable, with certified counterexample requests for each side that differs.

            Exit status: 0 when NEW grants nothing OLD does not (equivalent or less); 1 when it does \
            (more or incomparable); 2 for unreadable policies; 3 when the solver could not decide.

            Examples:
              policyprover diff old.json new.json
              policyprover diff --counterexamples 3 --format json ReadOnlyAccess.json AdministratorAccess.json
            """
    )

    @Argument(help: "The policy as it is now.")
    var old: String

    @Argument(help: "The policy as it would be after the change.")
    var new: String

    @OptionGroup var proof: ProofOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .customLong("fail-on"), help: "What makes the exit status non-zero: error (a failed, unknown or unreadable check; default), warning (the same: proofs have no warnings), never (always exit 0: report only).")
    var failOn: FailOn = .error

    func run() throws {
        var loader = PolicyLoader(limits: proof.inputLimits.readLimits)
        let oldPolicy = loader.load(old), newPolicy = loader.load(new)
        if let status = loader.reportFailures(useColor: output.usesColor) { throw status.exitCode }
        guard let oldPolicy, let newPolicy else { throw ExitStatus.invalidInput.exitCode }
        let started = ContinuousClock.now
        let comparison = proof.startProver().compare(proof.underTest(oldPolicy), proof.underTest(newPolicy), counterexamples: proof.counterexamples)
        let elapsed = ContinuousClock.now - started
        let status = comparison.newOnly.exitStatus
        switch output.format {
        case .json:
            let members: [(String, JSONValue)] = [
                ("command", .string("diff")), ("old", .string(old)), ("new", .string(new)),
                ("relation", comparison.relation.map { .string($0.rawValue) } ?? .null),
                ("noNewAccess", ProofReport.json(comparison.newOnly)),
                ("removedAccess", ProofReport.json(comparison.oldOnly)),
                ("seconds", .string(String(format: "%.3f", elapsed.seconds))),
            ]
            print(JSONValue.object(members).serialized(pretty: true))
        case .text:
            print(text(comparison, elapsed: elapsed))
        case .sarif, .junit:
            let record = CommandRecords.compared(old: old, new: new, comparison: comparison)
            print(AuditReport(version: PolicyProverVersion.current, command: "diff", files: [record], seconds: elapsed.seconds).rendered(output.format)!)
        }
        if let interrupted = RunInterruption.exitCode { throw interrupted }
        if status != .passed && failOn != .never { throw status.exitCode }
    }

    private func text(_ comparison: Comparison, elapsed: Duration) -> String {
        var report = ProofReport(useColor: output.usesColor)
        let relation: String
        switch comparison.relation {
        case .equivalent?: relation = "equivalent: both allow exactly the same requests"
        case .less?: relation = "less: \(new) allows a strict subset of what \(old) allows"
        case .more?: relation = "more: \(new) allows everything \(old) allows, and more"
        case .incomparable?: relation = "incomparable: each allows requests the other does not"
        case nil: relation = "unknown: \(comparison.unknownReason?.description ?? "not decided")"
        }
        var lines = ["\(old) → \(new): \(report.paint(relation, "1"))", ""]
        lines.append("\(report.label(comparison.newOnly)) no new access: " + summary(comparison.newOnly, gained: true))
        if case .fail(let found) = comparison.newOnly {
            for (index, counterexample) in found.enumerated() { lines += report.text(counterexample, number: index + 1, indent: "  ") }
        }
        lines.append("")
        let removedLabel: String
        switch comparison.oldOnly {
        case .pass: removedLabel = "none"
        case .fail: removedLabel = "some"
        case .unknown: removedLabel = "unknown"
        }
        lines.append("Access removed by the change: \(removedLabel)" + (comparison.oldOnly.isPass ? "" : " — " + summary(comparison.oldOnly, gained: false)))
        if case .fail(let found) = comparison.oldOnly {
            for (index, counterexample) in found.enumerated() { lines += report.text(counterexample, number: index + 1, indent: "  ") }
        }
        lines.append("")
        lines.append(String(format: "Decided in %.3f s.", elapsed.seconds))
        return lines.joined(separator: "\n")
    }

    private func summary(_ verdict: Verdict, gained: Bool) -> String {
        switch verdict {
        case .pass: return gained ? "proved: \(new) allows no request that \(old) denies" : "proved: \(new) still allows every request \(old) allows"
        case .fail(let found): return gained ? "\(new) allows requests that \(old) does not (\(found.count) shown)" : "\(old) allows requests that \(new) does not (\(found.count) shown)"
        case .unknown(let reason): return reason.description
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
