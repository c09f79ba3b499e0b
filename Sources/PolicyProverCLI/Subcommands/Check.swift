import ArgumentParser
import Foundation
import PolicyLanguage
import PolicyVerifier

/// `policyprover check FILE... --spec SPEC.yaml`: proves the spec's invariants for each policy.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prove invariants (never / only) of policies, with certified counterexamples.",
        discussion: """
            The spec file (YAML or JSON) states what must hold; see Policies/specs/ and the README. \
            `never` fails when the policy allows some request of the scope; `only` fails when the \
            policy allows some request outside the bound. Every FAIL shows a concrete request that the \
            concrete evaluator re-checked, and the statements that grant it.

            Exit status: 0 every check passed; 1 a check failed; 2 a file or the spec could not be read; \
            3 no failure but some check was UNKNOWN (solver timeout or a construct the prover cannot \
            represent exactly — never a pass).

            Examples:
              policyprover check --spec Policies/specs/no-iam-writes.yaml policy.json
              policyprover check --spec spec.yaml --format json --timeout 30 policies/*.json
              policyprover check --report-redundant policy.json
            """
    )

    @Argument(help: "Policy files (JSON or YAML).")
    var files: [String]

    @Option(help: "The spec file with the invariants to prove.")
    var spec: String?

    @Flag(name: .customLong("report-redundant"), help: "Also prove which statements change nothing (redundant, or an Allow shadowed by a Deny).")
    var reportRedundant = false

    @OptionGroup var proof: ProofOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one policy file") }
        guard spec != nil || reportRedundant else { throw ValidationError("nothing to check: give --spec SPEC.yaml or --report-redundant") }
    }

    func run() throws {
        var invariants: [Invariant] = []
        if let spec {
            switch SpecReader.read(contentsOf: spec) {
            case .success(let read): invariants = read.invariants
            case .failure(let errors):
                var printer = DiagnosticPrinter(useColor: output.usesColor, stream: .standardError)
                printer.print(PolicyFileReport(file: spec, policyType: nil, inferenceReason: nil, findings: errors.findings))
                throw ExitStatus.invalidInput.exitCode
            }
        }
        let prover = proof.prover
        var status = ExitStatus.passed
        var results: [FileResult] = []
        var loader = PolicyLoader()
        let started = ContinuousClock.now
        for file in files {
            guard let policy = loader.load(file) else {
                status = .invalidInput
                continue
            }
            let underTest = proof.underTest(policy)
            var result = FileResult(file: file, role: underTest.role, checks: [], redundant: nil)
            for invariant in invariants {
                let checkStarted = ContinuousClock.now
                let verdict: Verdict
                switch invariant.kind {
                case .never(let scope):
                    verdict = prover.neverAllows(underTest, scope: PolicyUnderTest(scope: scope), counterexamples: proof.counterexamples)
                case .only(let bound):
                    verdict = prover.onlyAllows(underTest, bound: PolicyUnderTest(scope: bound), counterexamples: proof.counterexamples)
                case .noPublicAccess, .noExternalAccess:
                    verdict = .unknown(.unsupported("\(invariant.kind.keyword) is not proved by this version of policyprover", at: invariant.span))
                }
                status = status.combined(with: verdict.exitStatus)
                result.checks.append((invariant, verdict, (ContinuousClock.now - checkStarted).seconds))
            }
            if reportRedundant { result.redundant = prover.redundantStatements(underTest) }
            results.append(result)
        }
        _ = loader.reportFailures(useColor: output.usesColor)
        let elapsed = ContinuousClock.now - started
        switch output.format {
        case .json: print(json(results, elapsed: elapsed))
        case .text: print(text(results, elapsed: elapsed))
        }
        if status != .passed { throw status.exitCode }
    }

    struct FileResult {
        var file: String
        var role: PolicyRole
        var checks: [(Invariant, Verdict, Double)]
        var redundant: RedundancyReport?
    }

    private func text(_ results: [FileResult], elapsed: Duration) -> String {
        var report = ProofReport(useColor: output.usesColor)
        var lines: [String] = []
        var counts = (pass: 0, fail: 0, unknown: 0)
        for result in results {
            lines.append(report.paint(result.file, "1") + " (read as \(result.role == .resource ? "a resource-based policy" : "an identity-side policy"))")
            for (invariant, verdict, _) in result.checks {
                switch verdict {
                case .pass: counts.pass += 1
                case .fail: counts.fail += 1
                case .unknown: counts.unknown += 1
                }
                var line = "  \(report.label(verdict)) \(invariant.name) (\(invariant.kind.keyword))"
                if case .unknown(let reason) = verdict { line += ": \(reason)" }
                if case .pass = verdict { line += ": proved for every request" }
                lines.append(line)
                if case .fail(let found) = verdict {
                    for (index, counterexample) in found.enumerated() { lines += report.text(counterexample, number: index + 1, indent: "    ") }
                }
            }
            if let redundant = result.redundant {
                for finding in redundant.redundant {
                    let why = finding.kind == .shadowedByDeny ? "is shadowed: a Deny denies everything it allows" : "is redundant: removing it changes nothing"
                    lines += report.excerpt(finding.statement, verb: "note:", indent: "  ").enumerated().map { $0 == 0 ? $1 + " " + why : $1 }
                }
                for (statement, reason) in redundant.unknown {
                    lines.append("  note: statement #\(statement.statementIndex + 1) could not be checked for redundancy: \(reason)")
                }
            }
        }
        lines.append("")
        lines.append(String(format: "%d file(s), %d check(s): %d passed, %d failed, %d unknown (%.3f s)", results.count, counts.pass + counts.fail + counts.unknown, counts.pass, counts.fail, counts.unknown, elapsed.seconds))
        return lines.joined(separator: "\n")
    }

    private func json(_ results: [FileResult], elapsed: Duration) -> String {
        let files: [JSONValue] = results.map { result in
            var members: [(String, JSONValue)] = [("file", .string(result.file)), ("role", .string(result.role.rawValue))]
            members.append(("checks", .array(result.checks.map { invariant, verdict, seconds in
                var check: [(String, JSONValue)] = [("name", .string(invariant.name)), ("kind", .string(invariant.kind.keyword))]
                if case .object(let fields) = ProofReport.json(verdict) { check += fields }
                check.append(("seconds", .string(String(format: "%.4f", seconds))))
                return .object(check)
            })))
            if let redundant = result.redundant {
                members.append(("redundantStatements", .array(redundant.redundant.map { finding in
                    .object([("statement", DecisionReport.statement(finding.statement)), ("kind", .string(finding.kind == .shadowedByDeny ? "shadowed" : "redundant"))])
                })))
            }
            return .object(members)
        }
        return JSONValue.object([("command", .string("check")), ("files", .array(files)), ("seconds", .string(String(format: "%.3f", elapsed.seconds)))]).serialized(pretty: true)
    }
}
