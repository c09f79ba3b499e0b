import PolicyLanguage

/// Loads the policy files a command is given. A file that cannot be read or decoded is reported with
/// its findings and stops the command with exit 2: evaluating half a policy would give a wrong answer.
struct PolicyLoader {
    private(set) var failures: [PolicyFileReport] = []
    /// What each file may hold (`--max-…`).
    var limits: ReadLimits = .default

    init(limits: ReadLimits = .default) {
        self.limits = limits
    }

    mutating func load(_ path: String) -> Policy? {
        let parsed = PolicyParser.parse(contentsOf: path, limits: limits)
        guard parsed.isEvaluable, let policy = parsed.policy else {
            failures.append(PolicyFileReport(file: path, policyType: nil, inferenceReason: nil, findings: parsed.findings.sorted()))
            return nil
        }
        return policy
    }

    mutating func load(_ paths: [String]) -> [Policy] { paths.compactMap { load($0) } }

    /// Prints the failures and returns the exit status to stop with, or `nil` when every file loaded.
    func reportFailures(useColor: Bool) -> ExitStatus? {
        guard !failures.isEmpty else { return nil }
        var printer = DiagnosticPrinter(useColor: useColor, stream: .standardError)
        failures.forEach { printer.print($0) }
        return .invalidInput
    }
}

/// A finding carried as an error through `Result`.
struct FindingError: Error {
    var finding: Finding
    init(_ finding: Finding) { self.finding = finding }
}

extension FindingCode {
    /// A request document that is not valid.
    static let invalidRequest = FindingCode("INVALID_REQUEST")
}
