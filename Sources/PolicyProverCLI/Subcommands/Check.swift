import ArgumentParser
import Foundation
import PolicyAudit
import PolicyLanguage
import PolicyVerifier

/// `policyprover check FILE... --spec SPEC.yaml`: proves the spec's invariants for each policy.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prove invariants (never / only / no public or external access) of policies, with certified counterexamples.",
        discussion: """
            The spec file (YAML or JSON) states what must hold; see Policies/specs/ and the README. \
            `never` fails when the policy allows some request of the scope; `only` fails when the \
            policy allows some request outside the bound. Every FAIL shows a concrete request that the \
            concrete evaluator re-checked, and the statements that grant it.

            --no-public and --no-external ask who outside can get into a resource policy or a role's \
            trust policy (SEMANTICS.md §5). A failure lists the ways in as findings: the principal, \
            actions, resources and conditions of each granting statement, until they cover all of the \
            outside access, each with a certified request.

            Exit status: 0 every check passed; 1 a check failed; 2 a file or the spec could not be read, \
            or a policy has a validation error (shown; AWS would refuse it); \
            3 no failure but some check was UNKNOWN (solver timeout or a construct the prover cannot \
            represent exactly — never a pass).

            --account checks every principal of an account (an `aws iam get-account-authorization-details` \
            export, or a folder: see the README) through every role it can assume: admin-equivalence, \
            privilege escalation, the spec's never/only invariants and duties, and over-broad grants \
            (warnings). --scp adds the organization's SCPs.

            Examples:
              policyprover check --account export.json --spec Policies/accounts/spec.yaml --scp scp.json
              policyprover check --spec Policies/specs/no-iam-writes.yaml policy.json
              policyprover check --spec spec.yaml --format json --timeout 30 policies/*.json
              policyprover check --report-redundant policy.json
              policyprover check --no-public bucket-policy.json
              policyprover check --no-external --trusted-account 111122223333 --trusted-org o-a1b2c3d4e5 key-policy.json
            """
    )

    @Argument(help: "Policy files (JSON or YAML).")
    var files: [String] = []

    @Option(help: "An account to check principal by principal: an `aws iam get-account-authorization-details` export (JSON) or a folder laid out as the README describes.")
    var account: String?

    @Option(name: .customLong("scp"), help: "With --account: an SCP over the account, read as attached at its one organization level (repeatable).")
    var scps: [String] = []

    @Option(help: "With --account: how many principals to check at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "The spec file with the invariants to prove.")
    var spec: String?

    @Flag(name: .customLong("report-redundant"), help: "Also prove which statements change nothing (redundant, or an Allow shadowed by a Deny).")
    var reportRedundant = false

    @OptionGroup var access: AccessOptions
    @OptionGroup var proof: ProofOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .customLong("fail-on"), help: "What makes the exit status non-zero: error (a failed, unknown or unreadable check; default), warning (the same: proofs have no warnings), never (always exit 0: report only).")
    var failOn: FailOn = .error

    func validate() throws {
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 256") }
        if account != nil {
            guard files.isEmpty else { throw ValidationError("give policy files or --account, not both") }
            guard !reportRedundant, !access.noPublic, !access.noExternal else {
                throw ValidationError("--account checks principals; --no-public, --no-external and --report-redundant are for policy files (a spec's no-public-access applies to roles' trust policies)")
            }
            return
        }
        guard scps.isEmpty else { throw ValidationError("--scp is for --account (use simulate --scp for one request)") }
        guard !files.isEmpty else { throw ValidationError("give at least one policy file, or --account EXPORT.json") }
        guard spec != nil || reportRedundant || access.noPublic || access.noExternal else {
            throw ValidationError("nothing to check: give --spec SPEC.yaml, --no-public, --no-external or --report-redundant")
        }
        if access.noExternal && spec == nil && access.trustedAccounts.isEmpty && access.trustedOrganizations.isEmpty {
            throw ValidationError("--no-external needs a zone of trust: give --trusted-account or --trusted-org")
        }
    }

    func run() throws {
        if let account {
            let proved = try ProvedInvariants.load(spec: spec, access: access, useColor: output.usesColor)
            try AccountCheck(path: account, scps: scps, proved: proved, jobs: jobs, prover: proof.startProver(), limits: proof.inputLimits.readLimits, output: output, failOn: failOn).run()
            return
        }
        let proved = try ProvedInvariants.load(spec: spec, access: access, useColor: output.usesColor)
        let (invariants, zone) = (proved.invariants, proved.zone)
        let prover = proof.startProver()
        var status = ExitStatus.passed
        var results: [FileResult] = []
        var loader = PolicyLoader(limits: proof.inputLimits.readLimits)
        let validator = PolicyValidator(catalog: prover.catalog)
        let started = ContinuousClock.now
        for file in files {
            guard let policy = loader.load(file) else {
                status = .invalidInput
                continue
            }
            let underTest = proof.underTest(policy)
            // A policy AWS would refuse (a validation error) must not pass silently: its errors are
            // shown and the exit status is 2, whatever the proofs say (as the audit's validation check).
            let validation = validator.report(for: ParsedPolicy(file: file, policy: policy, findings: []), as: proof.policyType ?? policy.inferType().type)
            let errors = validation.findings.filter { $0.severity == .error }
            if !errors.isEmpty {
                var printer = DiagnosticPrinter(useColor: output.usesColor, stream: .standardError)
                printer.print(PolicyFileReport(file: file, policyType: validation.policyType, inferenceReason: nil, findings: errors))
                status = status.combined(with: .invalidInput)
            }
            var result = FileResult(file: file, role: underTest.role, checks: [], redundant: nil)
            for invariant in invariants {
                let checkStarted = ContinuousClock.now
                let answer = prover.prove(invariant, for: underTest, zone: zone, resourceType: access.resourceType, findingLimit: access.findings, counterexamples: proof.counterexamples)
                let (verdict, report) = (answer.verdict, answer.access)
                status = status.combined(with: verdict.exitStatus)
                result.checks.append(CheckResult(invariant: invariant, verdict: verdict, seconds: (ContinuousClock.now - checkStarted).seconds, access: report))
            }
            if reportRedundant { result.redundant = prover.redundantStatements(underTest) }
            results.append(result)
        }
        _ = loader.reportFailures(useColor: output.usesColor)
        let elapsed = ContinuousClock.now - started
        switch output.format {
        case .json: print(json(results, elapsed: elapsed))
        case .text: print(text(results, elapsed: elapsed))
        case .sarif, .junit:
            let records = loader.failures.map(CommandRecords.unreadable) + results.map { result in
                CommandRecords.checked(file: result.file, role: result.role, checks: result.checks.map { ($0.invariant, $0.verdict, $0.access) })
            }
            print(AuditReport(version: PolicyProverVersion.current, command: "check", files: records, seconds: elapsed.seconds).rendered(output.format)!)
        }
        if let interrupted = RunInterruption.exitCode { throw interrupted }
        if status != .passed && failOn != .never { throw status.exitCode }
    }

    struct FileResult {
        var file: String
        var role: PolicyRole
        var checks: [CheckResult]
        var redundant: RedundancyReport?
    }

    struct CheckResult {
        var invariant: Invariant
        var verdict: Verdict
        var seconds: Double
        /// The findings of a no-access question.
        var access: AccessReport?
    }

    private func text(_ results: [FileResult], elapsed: Duration) -> String {
        var report = ProofReport(useColor: output.usesColor)
        var lines: [String] = []
        var counts = (pass: 0, fail: 0, unknown: 0)
        for result in results {
            lines.append(report.paint(result.file, "1") + " (read as \(result.role == .resource ? "a resource-based policy" : "an identity-side policy"))")
            for check in result.checks {
                let (invariant, verdict) = (check.invariant, check.verdict)
                switch verdict {
                case .pass: counts.pass += 1
                case .fail: counts.fail += 1
                case .unknown: counts.unknown += 1
                }
                var line = "  \(report.label(verdict)) \(invariant.name)" + (invariant.name == invariant.kind.keyword ? "" : " (\(invariant.kind.keyword))")
                if case .unknown(let reason) = verdict { line += ": \(reason)" }
                if case .pass = verdict { line += check.access.map(AccessText.passSummary) ?? ": proved for every request" }
                if let access = check.access, case .fail = verdict { line += AccessText.failSummary(access) }
                lines.append(line)
                if let access = check.access, case .fail = verdict {
                    lines += AccessText.findings(access, report: &report, indent: "    ")
                } else if case .fail(let found) = verdict {
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
            members.append(("checks", .array(result.checks.map { result in
                var check: [(String, JSONValue)] = [("name", .string(result.invariant.name)), ("kind", .string(result.invariant.kind.keyword))]
                if let access = result.access {
                    check += AccessText.json(access)
                } else if case .object(let fields) = ProofReport.json(result.verdict) {
                    check += fields
                }
                check.append(("seconds", .string(String(format: "%.4f", result.seconds))))
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
