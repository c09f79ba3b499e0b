import ArgumentParser
import PolicyAudit
import PolicyLanguage

/// `policyprover validate FILE|DIR...`: grammar and lint findings with locations.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check policy files for grammar errors and risky constructs.",
        discussion: """
            Reads JSON or YAML policy documents (directories are searched for .json, .yaml and .yml \
            files) and reports findings as file:line:column: severity[CODE]: message.

            The policy type decides which rules apply. Without --policy-type it is inferred per file: \
            no Principal → identity; principals, no Resource and only sts:AssumeRole* actions → trust; \
            otherwise → resource. SCPs, RCPs, boundaries and session policies must be named.

            Exit status: 2 when a file cannot be read or has an error finding; otherwise 1 when a \
            finding is at least as severe as --fail-on; otherwise 0.

            Examples:
              policyprover validate policy.json
              policyprover validate --policy-type scp --format json scps/
              policyprover validate --fail-on warning Policies/
            """
    )

    @Argument(help: "Policy files or directories.", completion: .file())
    var paths: [String]

    @Option(help: "Policy type: \(PolicyType.allCases.map(\.rawValue).joined(separator: ", ")). Default: inferred per file.")
    var policyType: PolicyType?

    @Option(help: "Lowest severity that makes the command fail (exit 1): security-warning, warning or suggestion; error: only errors fail (exit 2); never: always exit 0.")
    var failOn: ValidationThreshold = .securityWarning

    @OptionGroup var limits: InputLimitOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let files = InputFiles.expand(paths)
        guard !files.isEmpty else {
            throw ValidationError("no policy files (.json, .yaml, .yml) found in \(paths.joined(separator: ", "))")
        }
        let catalog = CatalogLoader.load()
        let validator = PolicyValidator(catalog: catalog.catalog)
        let reports = files.map { validator.validateFile(atPath: $0, as: policyType, limits: limits.readLimits) }

        switch output.format {
        case .text:
            var printer = DiagnosticPrinter(useColor: output.usesColor)
            if let warning = catalog.warning { printer.printWarning(warning) }
            reports.forEach { printer.print($0) }
            printer.printSummary(reports)
        case .json:
            print(JSONReport.render(reports, catalogWarning: catalog.warning))
        case .sarif, .junit:
            let report = AuditReport(version: PolicyProverVersion.current, command: "validate", files: reports.map(CommandRecords.validated), seconds: 0)
            print(report.rendered(output.format)!)
        }
        throw exitStatus(reports).exitCode
    }

    private func exitStatus(_ reports: [PolicyFileReport]) -> ExitStatus {
        let worst = reports.compactMap(\.worstSeverity).min()
        guard let worst, let threshold = failOn.severity else { return .passed }
        if worst == .error { return .invalidInput }
        return threshold != .error && worst <= threshold ? .failed : .passed
    }
}

/// `validate --fail-on`: a severity, or `never`.
enum ValidationThreshold: String, ExpressibleByArgument, CaseIterable {
    case error
    case securityWarning = "security-warning"
    case warning, suggestion, never

    /// The lowest severity that fails the run; `nil` for `never`.
    var severity: Severity? { Severity(rawValue: rawValue) }
}

/// Loads the bundled action catalogue once; a failure disables the catalogue checks loudly.
enum CatalogLoader {
    static func load() -> (catalog: ActionCatalog?, warning: String?) {
        do {
            return (try ActionCatalog.load(), nil)
        } catch {
            return (nil, "the action catalogue could not be loaded (\(error)); unknown action and condition key checks were skipped")
        }
    }
}
