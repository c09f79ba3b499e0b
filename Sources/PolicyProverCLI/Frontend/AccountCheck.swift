import Foundation
import PolicyAccount
import PolicyLanguage
import PolicyVerifier

/// `check --account`: reads the account and the SCPs, runs the account analysis, prints the report and
/// exits per DESIGN.md (2 when some part of the input could not be read, else 1 on a failed check, 3 on
/// an unknown one).
struct AccountCheck {
    var path: String
    var scps: [String]
    var proved: ProvedInvariants
    var jobs: Int
    var prover: Prover
    var limits: ReadLimits
    var output: OutputOptions
    var failOn: FailOn

    func run() throws {
        guard output.format == .text || output.format == .json else {
            DiagnosticPrinter(useColor: output.usesColor, stream: .standardError).printError("check --account writes text or json")
            throw ExitStatus.invalidInput.exitCode
        }
        var loader = PolicyLoader(limits: limits)
        let scpPolicies = loader.load(scps)
        if let failed = loader.reportFailures(useColor: output.usesColor) { throw failed.exitCode }
        let inventory = AccountReader.read(at: path, limits: limits)
        var status = ExitStatus.passed
        if !inventory.findings.isEmpty {
            var printer = DiagnosticPrinter(useColor: output.usesColor, stream: .standardError)
            printer.print(PolicyFileReport(file: path, policyType: nil, inferenceReason: nil, findings: inventory.findings))
            if inventory.findings.contains(where: { $0.severity == .error }) { status = .invalidInput }
        }
        let spec = Spec(file: "<spec>", trusted: proved.zone, invariants: proved.invariants, duties: proved.duties)
        let report = AccountAnalysis(inventory: inventory, scps: scpPolicies, spec: spec, prover: prover, jobs: jobs).run()
        switch output.format {
        case .json: print(AccountText.json(report).serialized(pretty: true))
        default:
            var text = AccountText(useColor: output.usesColor)
            print(text.text(report))
        }
        if status == .passed {
            if report.count(.fail) > 0 {
                status = .failed
            } else if report.count(.unknown) > 0 {
                status = .unknown
            }
        }
        if let interrupted = RunInterruption.exitCode { throw interrupted }
        if status != .passed && failOn != .never { throw status.exitCode }
    }
}
