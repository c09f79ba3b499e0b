import PolicyAudit
import PolicyLanguage
import PolicyVerifier

/// The results of `validate`, `check` and `diff` as report records, so that every checking command
/// speaks the same SARIF and JUnit as `audit`.
enum CommandRecords {
    /// A file that could not be read or decoded: its findings as file errors.
    static func unreadable(_ report: PolicyFileReport) -> FileRecord {
        FileRecord(path: report.file, contentHash: "", kind: .unrecognized, policies: [], errors: report.findings.map(Issue.init))
    }

    /// One validated file.
    static func validated(_ report: PolicyFileReport) -> FileRecord {
        guard let type = report.policyType else { return unreadable(report) }
        let policy = PolicyRecord(name: "policy", type: type.rawValue, location: Location(.startOfFile(report.file)), checks: [CheckRecords.validation(report.findings)])
        return FileRecord(path: report.file, contentHash: "", kind: .policy, policies: [policy])
    }

    /// One checked file of `check`: a check per invariant.
    static func checked(file: String, role: PolicyRole, checks: [(invariant: Invariant, verdict: Verdict, access: AccessReport?)]) -> FileRecord {
        let location = Location(.startOfFile(file))
        let records = checks.map { check in
            let id = check.invariant.name
            if let access = check.access { return CheckRecords.access(access, id: id, policy: location) }
            return CheckRecords.verdict(check.verdict, id: id, passMessage: "proved for every request", policy: location)
        }
        return FileRecord(path: file, contentHash: "", kind: .policy, policies: [PolicyRecord(name: "policy", type: role.rawValue, location: location, checks: records)])
    }

    /// `diff OLD NEW`: the check `no-new-access` on NEW.
    static func compared(old: String, new: String, comparison: Comparison) -> FileRecord {
        let location = Location(.startOfFile(new))
        let check = CheckRecords.verdict(comparison.newOnly, id: "no-new-access", passMessage: "\(new) allows no request that \(old) denies", failMessage: "grants access that \(old) does not", policy: location)
        return FileRecord(path: new, contentHash: "", kind: .policy, policies: [PolicyRecord(name: "policy", type: "diff", location: location, checks: [check])])
    }
}
