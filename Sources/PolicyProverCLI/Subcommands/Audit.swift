import ArgumentParser
import Foundation
import PolicyAudit
import PolicyLanguage
import PolicyVerifier

/// `policyprover audit DIR...`: every policy in a tree, default checks plus the spec.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find every policy in a tree (plain, CloudFormation, Terraform plan, account export) and prove the default checks and a spec.",
        discussion: """
            Reads .json, .yaml, .yml and .template files: plain IAM policies, CloudFormation templates \
            (with !Sub, !Ref, !GetAtt, !Join), Terraform plans (terraform show -json) and \
            get-account-authorization-details exports. Other JSON/YAML files are skipped.

            Default checks: validation of every policy; no public access for resource-based and trust \
            policies; admin-equivalent and privilege-escalation grants for identity policies. --spec adds \
            the spec's invariants to every policy.

            Results are cached by file content, spec and options (--cache, default \
            .policyprover-cache/): a re-run re-checks only what changed, and an interrupted run resumes.

            Exit status (--fail-on error): 2 a file could not be read or a policy is not valid; 1 a \
            check failed; 3 no failure but some check was UNKNOWN; 0 otherwise. --fail-on warning also \
            fails on validation warnings; --fail-on never always exits 0.

            Examples:
              policyprover audit infra/
              policyprover audit --spec Policies/specs/no-iam-writes.yaml --format sarif --output results.sarif .
              policyprover audit --shard 2/4 --format json --output shard-2.json .
              policyprover merge shard-*.json --format sarif --output results.sarif
            """
    )

    @Argument(help: "Directories or files to audit.", completion: .file())
    var paths: [String]

    @Option(help: "A spec file whose invariants every policy must meet.")
    var spec: String?

    @Option(help: "Worker threads (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Audit only part K of N of the files (stable by path), e.g. 2/4; combine the parts with `policyprover merge`.")
    var shard: String?

    @Option(help: "The cache directory.")
    var cache: String = ".policyprover-cache"

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the cache.")
    var noCache = false

    @Option(help: "A .gitignore-style pattern of paths to skip (repeatable), e.g. 'node_modules/', '**/test/**', '*.tf.json'.")
    var exclude: [String] = []

    @Flag(name: .customLong("no-default-checks"), help: "Run only validation and the spec's invariants.")
    var noDefaultChecks = false

    @Option(name: .customLong("fail-on"), help: "What makes the exit status non-zero: error (failed, unknown or invalid), warning (also validation warnings), never.")
    var failOn: FailOn = .error

    @Option(help: "Write the report to this file instead of standard output.")
    var output: String?

    @Flag(help: "Also list the policies and checks that passed (text format).")
    var verbose = false

    @Option(help: "Seconds Z3 may spend on each proof before the answer is UNKNOWN.")
    var timeout: Double = 10

    @OptionGroup var access: AccessOptions
    @OptionGroup var inputLimits: InputLimitOptions
    @OptionGroup var solverLimits: SolverLimitOptions
    @OptionGroup var format: OutputOptions

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give a directory or file to audit") }
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 256") }
        if let shard, Shard(shard) == nil { throw ValidationError("--shard must be K/N with 1 ≤ K ≤ N, e.g. 2/4 (got \(shard))") }
        guard timeout > 0, timeout <= 86_400 else { throw ValidationError("--timeout must be between 0 and 86400 seconds") }
    }

    func run() throws {
        let started = ContinuousClock.now
        let proved = try ProvedInvariants.load(spec: spec, access: access, useColor: format.usesColor)
        let deadline = solverLimits.start()
        let prover = Prover(timeout: .milliseconds(Int(timeout * 1000)), deadline: deadline)
        let checks = AuditChecks(prover: prover, invariants: proved.invariants, zone: proved.zone, defaultChecks: !noDefaultChecks, findingLimit: access.findings, specDigest: proved.specDigest, limits: inputLimits.readLimits)
        var entries = AuditTree.files(under: paths, excluding: exclude.map(ExcludePattern.init))
        if let shard = shard.flatMap(Shard.init) { entries = entries.filter { shard.contains($0.path) } }
        let resultCache = noCache ? nil : ResultCache(directory: cache, configuration: PolicyProverVersion.current + "\n" + checks.fingerprint)

        // Every finished file is already in the cache (each entry is written whole when its file is
        // done), so after a stop the same command resumes where this one stopped.
        let kept = resultCache == nil
            ? "interrupted: nothing was kept (--no-cache)"
            : "interrupted: the files already checked are kept in the cache; run the same command again to resume"
        RunInterruption.install(deadline: deadline, stopping: "stopping: the solver is interrupted and no file is started (press Ctrl-C again to quit at once)", lastWords: kept)
        let bar = ProgressBar.isWanted ? ProgressBar() : nil
        let (records, cached) = AuditRun(paths: entries.map(\.path), checks: checks, cache: resultCache, jobs: jobs).run { progress in
            bar?.update(done: progress.done, total: progress.total, cached: progress.cached, elapsed: progress.elapsed)
        }
        bar?.clear()
        // A stopped run prints no report: half a report read as a whole one would hide what was not checked.
        if let interrupted = RunInterruption.exitCode {
            FileHandleOutput.standardError(kept + "\n")
            throw interrupted
        }
        let unchecked = records.filter { $0.kind == .unchecked }.count
        if unchecked > 0, let stop = deadline.passed {
            FileHandleOutput.standardError("deadline: \(unchecked) of \(records.count) file(s) not checked (UNKNOWN): \(stop.reason)\n")
        }
        let report = AuditReport(version: PolicyProverVersion.current, command: "audit", files: records, seconds: (ContinuousClock.now - started).seconds)
        let cacheLine = resultCache == nil ? "" : "\n\(cached) of \(records.count) file(s) from the cache (\(cache))"
        if let machine = report.rendered(format.format) {
            try ReportDestination.write(machine, to: output)
            // The table goes to standard error, so it never mixes with the machine-readable report.
            FileHandleOutput.standardError(AuditText(useColor: false).summaryTable(report.summary, seconds: report.seconds).joined(separator: "\n") + cacheLine + "\n")
        } else {
            try ReportDestination.write(AuditText(useColor: output == nil && format.usesColor, verbose: verbose).render(report) + cacheLine, to: output)
        }
        let status = report.exitStatus(failOn: failOn)
        if status != .passed { throw status.exitCode }
    }
}
