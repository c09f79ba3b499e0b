import PolicyAudit
import PolicyLanguage
import PolicyVerifier

/// What a proving command (`check`, `audit`) must prove: the spec's invariants plus those of the access
/// flags, and the zone of trust from both.
struct ProvedInvariants {
    var invariants: [Invariant]
    var zone: TrustedZone
    /// SHA-256 of the spec file's bytes, `""` without a spec: part of the audit's cache keys.
    var specDigest: String
    /// The spec's segregation-of-duties rules (`check --account`).
    var duties: [DutyRule] = []

    /// Reads the spec. A spec that cannot be read, or a no-external-access invariant without trusted
    /// accounts or organizations, is reported on standard error and exits 2.
    static func load(spec: String?, access: AccessOptions, useColor: Bool) throws -> ProvedInvariants {
        var result = ProvedInvariants(invariants: [], zone: access.zone(adding: TrustedZone()), specDigest: "")
        if let spec {
            switch SpecReader.read(contentsOf: spec) {
            case .success(let read):
                result.invariants = read.invariants
                result.duties = read.duties
                result.zone = access.zone(adding: read.trusted)
                if case .success(let bytes) = SourceReader.readBytes(contentsOf: spec) { result.specDigest = AuditChecks.contentHash(bytes) }
            case .failure(let errors):
                var printer = DiagnosticPrinter(useColor: useColor, stream: .standardError)
                printer.print(PolicyFileReport(file: spec, policyType: nil, inferenceReason: nil, findings: errors.findings))
                throw ExitStatus.invalidInput.exitCode
            }
        }
        result.invariants += access.invariants
        if result.zone.accounts.isEmpty && result.zone.organizations.isEmpty, let external = result.invariants.first(where: { if case .noExternalAccess = $0.kind { true } else { false } }) {
            DiagnosticPrinter(useColor: useColor, stream: .standardError).printError("\(external.span): no-external-access needs a zone of trust: give trusted: accounts or organizations in the spec, or --trusted-account / --trusted-org")
            throw ExitStatus.invalidInput.exitCode
        }
        return result
    }
}
