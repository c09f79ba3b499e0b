import Foundation
import Testing
@testable import PolicyAudit

@Suite struct SARIFWriterTests {
    let text = SARIFWriter.render(FormatsFixture.report)

    private var run: SARIFRun {
        get throws { try #require(FormatsFixture.decodeSARIF(text).runs.first) }
    }

    /// The results of failed, unknown and error checks, required to be the 10 that the fixture implies
    /// so that tests can index them (the lint warnings of passing validations come on top).
    private var results: [SARIFResult] {
        get throws {
            let results = try #require(run.results).filter { $0.properties?.outcome != "pass" }
            try #require(results.count == 10)
            return results
        }
    }

    @Test(.enabled(if: Python.hasJSONSchema, Python.missingJSONSchema))
    func renderedLogValidatesAgainstTheOASISSchema() throws {
        let validation = try Python.validateSARIF(text)
        #expect(validation.status == 0, "\(validation.output)")
    }

    @Test(.enabled(if: Python.hasJSONSchema, Python.missingJSONSchema))
    func theSchemaCheckRejectsAnInvalidLog() throws {
        let broken = text.replacingOccurrences(of: "\"level\" : \"warning\"", with: "\"level\" : \"fatal\"")
            .replacingOccurrences(of: "\"startLine\" : 3\n", with: "\"startLine\" : 0\n")
        #expect(broken != text)
        let validation = try Python.validateSARIF(broken)
        #expect(validation.status == 1, "\(validation.output)")
        #expect(validation.output.contains("'fatal' is not one of"))
        #expect(validation.output.contains("0 is less than the minimum of 1"))
    }

    @Test func oneResultPerIssueOfEveryFailedUnknownOrErrorCheckAndPerFileError() throws {
        let results = try results
        #expect(results.count == 10)
        #expect(results.map { $0.ruleId ?? "" } == [
            "admin-equivalent", "privilege-escalation", "privilege-escalation",
            "SYNTAX_ERROR",
            "MISSING_PRINCIPAL", "REDUNDANT_ACTION", "no-public-access",
            "no-external-access", "spec/no-iam-writes", "spec/s3-only-to-our-bucket",
        ])
        #expect(results.map { $0.level ?? "" } == [
            "error", "error", "warning", "error", "error", "warning", "error", "warning", "error", "warning",
        ])
        #expect(results.map { $0.analysisTarget?.path ?? "" } == [
            FormatsFixture.adminRole, FormatsFixture.adminRole, FormatsFixture.adminRole, FormatsFixture.broken,
            FormatsFixture.bucket, FormatsFixture.bucket, FormatsFixture.bucket,
            FormatsFixture.stack, FormatsFixture.stack, FormatsFixture.stack,
        ])
        #expect(results.map { $0.properties?.outcome ?? "" } == [
            "fail", "fail", "fail", "error", "fail", "fail", "error", "unknown", "fail", "unknown",
        ])
        #expect(results[4].message.text == FormatsFixture.trickyMessage)
    }

    @Test func passingProofsGiveNoResultButLintWarningsDo() throws {
        let all = try #require(try run.results)
        // The one passing check with issues is admin-role.json's validation: its warning annotates too.
        #expect(all.filter { $0.properties?.outcome == "pass" }.map { "\($0.ruleId ?? "") \($0.analysisTarget?.path ?? "")" } == ["REDUNDANT_ACTION \(FormatsFixture.adminRole)"])
        #expect(all.count == 11)
        #expect(all.filter { $0.ruleId == "REDUNDANT_ACTION" }.map { $0.analysisTarget?.path } == [FormatsFixture.adminRole, FormatsFixture.bucket])
        #expect(!all.contains { [FormatsFixture.legacy, FormatsFixture.package].contains($0.analysisTarget?.path) })
        let allPass = AuditReport(version: "1", command: "check", files: [FormatsFixture.files[0]].map { file in
            var file = file
            file.policies[0].checks = file.policies[0].checks.filter { $0.outcome == .pass }
            return file
        }, seconds: 0)
        let log = try FormatsFixture.decodeSARIF(SARIFWriter.render(allPass))
        #expect(log.runs[0].results?.map(\.ruleId) == ["REDUNDANT_ACTION"])
        var noIssues = allPass
        noIssues.files[0].policies[0].checks = noIssues.files[0].policies[0].checks.map { var check = $0; check.issues = []; return check }
        let empty = try FormatsFixture.decodeSARIF(SARIFWriter.render(noIssues))
        #expect(empty.runs[0].results == [])
        #expect(empty.runs[0].tool.driver.rules == [])
    }

    @Test func resultsPointAtTheIssuesLinesAndColumns() throws {
        let results = try results
        let regions = results.map { $0.locations?.first?.physicalLocation?.region }
        #expect(regions[0] == SARIFRegion(startLine: 5, startColumn: 7, endLine: 12, endColumn: 8))
        // A point location and an end before the start keep only the start.
        #expect(regions[1] == SARIFRegion(startLine: 14, startColumn: 7))
        #expect(regions[2] == SARIFRegion(startLine: 17, startColumn: 7))
        #expect(regions[3] == SARIFRegion(startLine: 3, startColumn: 1, endLine: 3, endColumn: 2))
        // End values of 0 are left out.
        #expect(regions[5] == SARIFRegion(startLine: 9, startColumn: 13))
        // A check without issues points at its policy.
        #expect(regions[6] == SARIFRegion(startLine: 1, startColumn: 1, endLine: 15, endColumn: 2))
        #expect(regions[9] == SARIFRegion(startLine: 20, startColumn: 9, endLine: 40, endColumn: 1))

        let bucket = try #require(results[4].locations?.first?.physicalLocation?.artifactLocation)
        #expect(bucket.uri == "buckets/public%20bucket%20%26%20co.json")
        #expect(bucket.uriBaseId == "%SRCROOT%")
        #expect(try run.columnKind == "unicodeCodePoints")
    }

    @Test func relatedLocationsHaveIdsMessagesAndRegions() throws {
        let results = try results
        let related = try #require(results[0].relatedLocations)
        #expect(related.map(\.id) == [1, 2])
        #expect(related.map { $0.message?.text } == ["Action \"*\"", "Resource \"*\""])
        #expect(related[1].physicalLocation?.region == SARIFRegion(startLine: 8, startColumn: 21, endLine: 8, endColumn: 24))
        let spec = try #require(results[8].relatedLocations?.first?.physicalLocation?.artifactLocation)
        #expect(spec.uri == "spec.yaml")
        #expect(results[1].relatedLocations == nil)
    }

    @Test func indicesPointAtTheirRulesAndArtifacts() throws {
        let run = try run
        let rules = try #require(run.tool.driver.rules)
        let artifacts = try #require(run.artifacts)
        #expect(artifacts.map(\.location.path) == [
            FormatsFixture.adminRole, FormatsFixture.broken, FormatsFixture.bucket, FormatsFixture.stack,
            FormatsFixture.legacy, FormatsFixture.package, FormatsFixture.spec,
        ])
        #expect(artifacts.map { $0.roles != nil } == [true, true, true, true, true, true, false])
        #expect(artifacts[0].hashes == ["sha-256": String(repeating: "a1", count: 32)])
        for result in try #require(run.results) {
            let ruleIndex = try #require(result.ruleIndex)
            #expect(rules[ruleIndex].id == result.ruleId)
            for location in (result.locations ?? []) + (result.relatedLocations ?? []) {
                let artifactLocation = try #require(location.physicalLocation?.artifactLocation)
                #expect(artifacts[try #require(artifactLocation.index)].location.uri == artifactLocation.uri)
            }
            #expect(artifacts[try #require(result.analysisTarget?.index)].location.uri == result.analysisTarget?.uri)
        }
    }

    @Test func unknownChecksAreWarningsThatGiveTheReason() throws {
        let results = try results
        #expect(results[7].message.text == "this condition decides who may assume the role (UNKNOWN: ForAnyValue:StringLike over aws:PrincipalOrgPaths is not encoded exactly)")
        #expect(results[9].message.text == "UNKNOWN: Z3 gave up after 10 s (timeout)")
        #expect(results[9].level == "warning")
        #expect(results[9].properties == SARIFResultProperties(policy: "Resources.DeployPolicy.PolicyDocument", check: "spec/s3-only-to-our-bucket", outcome: "unknown"))
    }

    @Test func rulesDescribeEveryRuleIdUsed() throws {
        let run = try run
        let rules = try #require(run.tool.driver.rules)
        #expect(rules.map(\.id) == [
            "MISSING_PRINCIPAL", "REDUNDANT_ACTION", "SYNTAX_ERROR", "admin-equivalent", "no-external-access",
            "no-public-access", "privilege-escalation", "spec/no-iam-writes", "spec/s3-only-to-our-bucket",
        ])
        let byId = Dictionary(uniqueKeysWithValues: rules.map { ($0.id, $0) })
        #expect(byId["SYNTAX_ERROR"]?.shortDescription?.text == "SYNTAX_ERROR: expected ',' or '}' after a value")
        #expect(byId["REDUNDANT_ACTION"]?.defaultConfiguration?.level == "warning")
        #expect(byId["no-public-access"]?.shortDescription?.text == "The policy does not grant public access")
        #expect(byId["spec/no-iam-writes"]?.shortDescription?.text == "The spec invariant 'no-iam-writes' holds")
        #expect(rules.allSatisfy { $0.fullDescription != nil && $0.defaultConfiguration != nil })
        #expect(run.tool.driver.name == "policyprover")
        #expect(run.tool.driver.version == "0.9.0-test")
        #expect(run.tool.driver.informationUri == "https://github.com/policyprover/policyprover")
    }

    @Test func outputIsDeterministicWithSortedKeys() throws {
        #expect(SARIFWriter.render(FormatsFixture.report) == text)
        let shuffled = AuditReport(version: "0.9.0-test", command: "audit", files: FormatsFixture.files.shuffled(), seconds: 99)
        #expect(SARIFWriter.render(shuffled) == text)
        let keys = ["\"$schema\"", "\"runs\"", "\"version\" : \"2.1.0\""].map { text.range(of: $0)?.lowerBound }
        #expect(keys.allSatisfy { $0 != nil } && keys == keys.sorted { $0! < $1! })
        #expect(text.contains("\n  \"runs\" : ["))
    }

    @Test func fingerprintsAreStableAcrossRunsAndLineMoves() throws {
        let fingerprints = try results.map { $0.partialFingerprints?[SARIFFingerprint.key] ?? "" }
        #expect(fingerprints.allSatisfy { $0.count == 64 })
        #expect(Set(fingerprints).count == fingerprints.count)

        var moved = FormatsFixture.files
        moved[0].policies[0].checks[1].issues[0].location = FormatsFixture.at(FormatsFixture.adminRole, 50, 1, 60, 2)
        moved[2].policies[0].checks[0].issues[1].message = "s3:GetObject is listed three times"
        let movedResults = try #require(FormatsFixture.decodeSARIF(SARIFWriter.render(
            AuditReport(version: "0.9.0-test", command: "audit", files: moved, seconds: 1))).runs[0].results).filter { $0.properties?.outcome != "pass" }
        try #require(movedResults.count == fingerprints.count)
        let movedFingerprints = movedResults.map { $0.partialFingerprints?[SARIFFingerprint.key] ?? "" }
        #expect(movedFingerprints[0] == fingerprints[0])
        #expect(movedFingerprints[5] != fingerprints[5])
        #expect(Array(movedFingerprints[6...]) == Array(fingerprints[6...]))
    }

    @Test func fingerprintsIgnoreTheExampleRequest() throws {
        func fingerprint(example: String?) throws -> (String, String) {
            var files = [FormatsFixture.files[0]]
            files[0].policies[0].checks[1].issues[0].example = example
            let result = try #require(FormatsFixture.decodeSARIF(SARIFWriter.render(AuditReport(version: "1", command: "audit", files: files, seconds: 0))).runs[0].results?.first { $0.ruleId == "admin-equivalent" })
            return (result.partialFingerprints?[SARIFFingerprint.key] ?? "", result.message.text ?? "")
        }
        let one = try fingerprint(example: "iam:CreateUser on arn:aws:iam::1:user/a")
        let other = try fingerprint(example: "iam:CreateUser on arn:aws:iam::1:user/b")
        #expect(one.0 == other.0)
        #expect(one.1.hasSuffix("; e.g. iam:CreateUser on arn:aws:iam::1:user/a"))
        #expect(one.1 != other.1)
    }

    @Test func executionIsSuccessfulUnlessAFileCouldNotBeRead() throws {
        #expect(try run.invocations == [SARIFInvocation(executionSuccessful: false)])
        let readable = AuditReport(version: "1", command: "audit", files: FormatsFixture.files.filter(\.errors.isEmpty), seconds: 0)
        #expect(try FormatsFixture.decodeSARIF(SARIFWriter.render(readable)).runs[0].invocations == [SARIFInvocation(executionSuccessful: true)])
    }

    @Test func absolutePathsBecomeFileURIs() {
        #expect(SARIFWriter.artifactLocation("/srv/policies/a b.json") == SARIFArtifactLocation(uri: "file:///srv/policies/a%20b.json"))
        #expect(SARIFArtifactLocation(uri: "file:///srv/policies/a%20b.json").path == "/srv/policies/a b.json")
        #expect(SARIFWriter.artifactLocation("dir/ü:1.json").uri == "dir/%C3%BC%3A1.json")
    }
}
