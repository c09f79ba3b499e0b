import Testing
@testable import PolicyLanguage

/// What one document may hold (`PolicyLimits`): beyond a limit, a `LIMIT_EXCEEDED` error where it is
/// passed, and the policy is not evaluable.
@Suite struct PolicyLimitsTests {
    static func decode(_ text: String, limits: PolicyLimits = .default) throws -> (policy: Policy?, findings: [Finding]) {
        let node = try SourceReader.read(bytes: Array(text.utf8), file: "limits.json").get()
        return PolicyDecoder.decode(node, limits: limits)
    }

    @Test func tooManyStatementsAreReportedAtTheFirstOneNotRead() throws {
        let statement = #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#
        let text = #"{"Version":"2012-10-17","Statement":[\#n"# + Array(repeating: statement, count: 4).joined(separator: ",\n") + "]}"
        let (policy, findings) = try Self.decode(text, limits: PolicyLimits(maxStatements: 3))
        #expect(policy?.statements.count == 3)
        let finding = try #require(findings.first { $0.code == .limitExceeded })
        #expect(finding.span.start.line == 5 && finding.span.start.column == 1, "\(finding.span)")
        #expect(finding.message.contains("4 statements"))
    }

    @Test func tooManyValuesAreReportedAtTheFirstOneNotRead() throws {
        let text = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:A","s3:B","s3:C","s3:D"],"Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":["v1","v2","v3","v4","v5"]}}}]}"#
        let (policy, findings) = try Self.decode(text, limits: PolicyLimits(maxValues: 3))
        #expect(policy?.statements.first?.action?.patterns.map(\.text) == ["s3:A", "s3:B", "s3:C"])
        let limits = findings.filter { $0.code == .limitExceeded }
        #expect(limits.count == 2)
        #expect(limits.map(\.span.start.column).sorted() == [87, 171], "\(limits.map(\.span))")
        #expect(limits.contains { $0.message.contains("Action has 4 entries") })
        #expect(limits.contains { $0.message.contains("aws:SourceVpc has 5 values") })
    }

    @Test(arguments: [(64, false), (65, true)])
    func wildcardsPerPattern(count: Int, reported: Bool) throws {
        let pattern = "s3:" + String(repeating: "*", count: count)
        let text = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"\#(pattern)","Resource":"*"}]}"#
        let (_, findings) = try Self.decode(text)
        let finding = findings.first { $0.code == .limitExceeded }
        #expect((finding != nil) == reported)
        if let finding { #expect(finding.span.start.column == 65, "\(finding.span)") }
    }

    @Test func theDefaultsAcceptEveryManagedPolicyShape() {
        // 2,000 CIDRs and 40 wildcards (Tests/EndToEndTests/Fixtures/odd) are well inside the defaults.
        #expect(PolicyLimits.default.maxValues >= 2_000 && PolicyLimits.default.maxWildcards >= 40 && PolicyLimits.default.maxStatements >= 1_000)
    }
}
