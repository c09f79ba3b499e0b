import Foundation
import Testing
@testable import PolicyAudit

@Suite struct ReportMergeTests {
    /// A shard as the merge command gets it: its JSON form, read back.
    private func viaJSON(_ report: AuditReport) throws -> AuditReport {
        try AuditReport.read(json: Array(report.jsonText().utf8))
    }

    @Test func shardsMergeIntoTheUnshardedReport() throws {
        let (first, second) = FormatsFixture.shards
        let merged = try ReportMerge.merge([viaJSON(second), viaJSON(first)])
        #expect(merged == FormatsFixture.report)
        #expect(merged.files.map(\.path) == FormatsFixture.report.files.map(\.path))
        #expect(merged.summary == FormatsFixture.report.summary)
        #expect(merged.seconds == 9.0)
        #expect(merged.jsonText() == FormatsFixture.report.jsonText().replacingOccurrences(of: "\"seconds\" : 12.5", with: "\"seconds\" : 9"))
    }

    @Test func overlappingShardsAreAnError() throws {
        let (first, second) = FormatsFixture.shards
        var overlapping = second
        overlapping.files.append(first.files[0])
        #expect(throws: MergeError("shards 1 and 2 both hold accounts/admin-role.json; shards must not overlap")) {
            try ReportMerge.merge([first, overlapping])
        }
        var doubled = first
        doubled.files.append(first.files[0])
        #expect(throws: MergeError("shard 1 holds accounts/admin-role.json twice")) { try ReportMerge.merge([doubled]) }
    }

    @Test func shardsOfDifferentRunsAreAnError() throws {
        let (first, second) = FormatsFixture.shards
        var other = second
        other.version = "1.0.0"
        #expect(throws: MergeError("shard 2 has version '1.0.0' but shard 1 has '0.9.0-test'; only shards of one run can be merged")) {
            try ReportMerge.merge([first, other])
        }
        other = second
        other.command = "check"
        #expect(throws: MergeError.self) { try ReportMerge.merge([first, other]) }
        #expect(throws: MergeError("there are no shard reports to merge")) { try ReportMerge.merge([]) }
    }

    @Test func theJSONFormRoundTrips() throws {
        let report = FormatsFixture.report
        let text = report.jsonText()
        #expect(try AuditReport.read(json: Array(text.utf8)) == report)
        #expect(text.contains("\"path\" : \"accounts/admin-role.json\""))
        #expect(text == report.jsonText())
        let keys = ["\"command\"", "\"files\"", "\"seconds\"", "\"summary\"", "\"tool\"", "\"version\""].map { text.range(of: $0)?.lowerBound }
        #expect(keys.allSatisfy { $0 != nil } && keys == keys.sorted { $0! < $1! })

        var infinite = report
        infinite.seconds = .infinity
        #expect(try AuditReport.read(json: Array(infinite.jsonText().utf8)).seconds == .infinity)
    }

    @Test func readingSomethingElseSaysWhatIsWrong() throws {
        let error = #expect(throws: ReportReadError.self) { try AuditReport.read(json: Array("{\"tool\": 1}".utf8)) }
        #expect(error?.description == "not a PolicyProver audit report: expected String at tool")
        let missing = #expect(throws: ReportReadError.self) {
            try AuditReport.read(json: Array(FormatsFixture.report.jsonText().replacingOccurrences(of: "\"contentHash\"", with: "\"hash\"").utf8))
        }
        #expect(missing?.description == "not a PolicyProver audit report: missing key 'contentHash' at files[0]")
        let garbage = #expect(throws: ReportReadError.self) { try AuditReport.read(json: Array("not json".utf8)) }
        #expect(garbage?.description == "not a PolicyProver audit report: the text is not valid JSON")
    }

    @Test func shardSARIFMergesIntoTheSARIFOfTheWhole() throws {
        let (first, second) = FormatsFixture.shards
        let whole = SARIFWriter.render(FormatsFixture.report)
        let merged = try ReportMerge.mergeSARIF([SARIFWriter.render(second), SARIFWriter.render(first)])

        func keys(_ text: String) throws -> [String] {
            try #require(FormatsFixture.decodeSARIF(text).runs.first?.results).map { result in
                let location = result.locations?.first?.physicalLocation
                return "\(result.ruleId ?? "") \(location?.artifactLocation.uri ?? "") \(location?.region?.startLine ?? 0)"
            }
        }
        #expect(try keys(merged).sorted() == keys(whole).sorted())
        #expect(try keys(merged).count == 11)
        #expect(merged == whole)
    }

    @Test(.enabled(if: Python.hasJSONSchema, Python.missingJSONSchema))
    func mergedSARIFValidatesAgainstTheOASISSchema() throws {
        let (first, second) = FormatsFixture.shards
        let merged = try ReportMerge.mergeSARIF([SARIFWriter.render(first), SARIFWriter.render(second)])
        let validation = try Python.validateSARIF(merged)
        #expect(validation.status == 0, "\(validation.output)")
    }

    @Test func mergingSARIFReindexesRulesAndArtifacts() throws {
        let (first, second) = FormatsFixture.shards
        let merged = try #require(FormatsFixture.decodeSARIF(ReportMerge.mergeSARIF([SARIFWriter.render(first), SARIFWriter.render(second)])).runs.first)
        let shardRules = try #require(FormatsFixture.decodeSARIF(SARIFWriter.render(second)).runs.first?.tool.driver.rules)
        #expect(shardRules.map(\.id) == ["SYNTAX_ERROR", "no-external-access", "spec/no-iam-writes", "spec/s3-only-to-our-bucket"])
        let rules = try #require(merged.tool.driver.rules)
        let artifacts = try #require(merged.artifacts)
        #expect(rules.count == 9 && artifacts.count == 7)
        for result in try #require(merged.results) {
            #expect(rules[try #require(result.ruleIndex)].id == result.ruleId)
            let location = try #require(result.locations?.first?.physicalLocation?.artifactLocation)
            #expect(artifacts[try #require(location.index)].location.uri == location.uri)
        }
        #expect(merged.invocations == [SARIFInvocation(executionSuccessful: false)])
        #expect(merged.properties?.summary == FormatsFixture.report.summary)
    }

    @Test func mergingSomethingOtherThanSARIFIsAnError() throws {
        let (first, second) = FormatsFixture.shards
        let good = SARIFWriter.render(first)
        #expect(throws: MergeError("shard 2 is not a SARIF 2.1.0 log: the text is not valid JSON")) {
            try ReportMerge.mergeSARIF([good, "<xml/>"])
        }
        #expect(throws: MergeError("shard 2 is not a SARIF 2.1.0 log: its version is 2.0.0")) {
            try ReportMerge.mergeSARIF([good, good.replacingOccurrences(of: "\"version\" : \"2.1.0\"", with: "\"version\" : \"2.0.0\"")])
        }
        #expect(throws: MergeError("shard 1 is not a SARIF 2.1.0 log: missing key 'runs' at the top level")) {
            try ReportMerge.mergeSARIF(["{\"version\": \"2.1.0\"}"])
        }
        #expect(throws: MergeError("shards 1 and 2 both hold accounts/admin-role.json; shards must not overlap")) {
            try ReportMerge.mergeSARIF([good, SARIFWriter.render(FormatsFixture.report)])
        }
        var other = second
        other.version = "2.0"
        #expect(throws: MergeError("shard 2 has version '2.0' but shard 1 has '0.9.0-test'; only shards of one run can be merged")) {
            try ReportMerge.mergeSARIF([good, SARIFWriter.render(other)])
        }
    }
}
