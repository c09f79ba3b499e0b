import Testing
@testable import PolicyAudit

@Suite struct AuditReportTests {
    private func policy(_ outcomes: [Outcome]) -> PolicyRecord {
        PolicyRecord(name: "p", type: "identity", location: Location(file: "f", line: 1, column: 1, endLine: 1, endColumn: 2),
                     checks: outcomes.enumerated().map { CheckRecord(id: "c\($0)", outcome: $1, message: "") })
    }

    @Test func summaryCountsEachPolicyByItsWorstCheck() {
        let files = [
            FileRecord(path: "b.json", contentHash: "1", kind: .policy, policies: [policy([.pass, .fail]), policy([.pass])]),
            FileRecord(path: "a.json", contentHash: "2", kind: .cloudFormation, policies: [policy([.unknown, .pass]), policy([.error, .fail])]),
            FileRecord(path: "c.json", contentHash: "3", kind: .unrecognized, policies: []),
            FileRecord(path: "d.json", contentHash: "4", kind: .unrecognized, policies: [], errors: [Issue(ruleId: "PARSE", level: .error, message: "bad", location: Location(file: "d.json", line: 1, column: 1, endLine: 1, endColumn: 1))]),
        ]
        let report = AuditReport(version: "t", command: "audit", files: files, seconds: 1)
        #expect(report.files.map(\.path) == ["a.json", "b.json", "c.json", "d.json"])
        #expect(report.summary == AuditSummary(files))
        #expect((report.summary.files, report.summary.policies) == (4, 4))
        #expect((report.summary.passed, report.summary.failed, report.summary.unknown, report.summary.errors, report.summary.skipped) == (1, 1, 1, 2, 1))
    }
}
