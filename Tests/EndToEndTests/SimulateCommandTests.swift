import Foundation
import Testing

@Suite("policyprover simulate (real binary)")
struct SimulateCommandTests {
    static let dir = "Tests/EndToEndTests/Fixtures/simulate"

    @Test func allowsWithVariableAndExplainsTheConditions() throws {
        let output = try PolicyProverBinary.run(["simulate", "--request", "\(Self.dir)/alice-own-folder.json", "--identity-policy", "\(Self.dir)/home-folders.json", "--explain"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("Allow: arn:aws:iam::111122223333:user/alice → s3:GetObject"))
        #expect(output.stdout.contains("\(Self.dir)/home-folders.json:4:5 identity statement \"HomeFolder\" (Allow)"))
        #expect(output.stdout.contains("✗ NotIpAddress aws:SourceIp [\"203.0.113.0/24\"]: aws:SourceIp is \"203.0.113.9\""))
    }

    @Test func explainShowsResourceEntriesWithVariablesResolved() throws {
        let output = try PolicyProverBinary.run(["simulate", "--explain", "--request", "Policies/requests/alice-reads-bobs-home-folder.json", "--identity-policy", "Policies/samples/identity-s3-home-directory-username-variable.json"])
        #expect(output.status == 0)
        #expect(output.stdout.hasPrefix("ImplicitDeny:"))
        #expect(output.stdout.contains("resource not matched by [arn:aws:s3:::bucket-name/home/alice, arn:aws:s3:::bucket-name/home/alice/*]"))
    }

    @Test func jsonDecisionNamesTheStatementAndItsLocation() throws {
        let output = try PolicyProverBinary.run(["simulate", "--format", "json", "--request", "\(Self.dir)/alice-own-folder.json", "--identity-policy", "\(Self.dir)/home-folders.json"])
        #expect(output.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(object["decision"] as? String == "Allow")
        let statements = try #require(object["statements"] as? [[String: Any]])
        #expect(statements.count == 1)
        #expect(statements.first?["sid"] as? String == "HomeFolder")
        #expect(statements.first?["line"] as? Int == 4)
    }

    @Test func expectationMismatchExitsOne() throws {
        let output = try PolicyProverBinary.run(["simulate", "--expect", "Deny", "--request", "\(Self.dir)/alice-own-folder.json", "--identity-policy", "\(Self.dir)/home-folders.json"])
        #expect(output.status == 1)
    }

    @Test func batchModeWritesOneDecisionPerLineAndLocatesBadLines() throws {
        let output = try PolicyProverBinary.run(["simulate", "--requests", "\(Self.dir)/requests.jsonl", "--identity-policy", "\(Self.dir)/home-folders.json"])
        #expect(output.status == 2, "a malformed request line makes the run exit 2")
        let lines = output.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == 4, "blank lines are skipped")
        #expect(lines.map { $0?["line"] as? Int } == [1, 2, 4, 5])
        #expect(lines.prefix(3).map { $0?["decision"] as? String } == ["Allow", "ImplicitDeny", "ExplicitDeny"])
        #expect(lines[3]?["location"] as? String == "\(Self.dir)/requests.jsonl:5:65")
    }

    @Test func emptySCPLevelDeniesEverything() throws {
        let output = try PolicyProverBinary.run(["simulate", "--format", "json", "--request", "\(Self.dir)/alice-own-folder.json", "--identity-policy", "\(Self.dir)/allow-all.json", "--scp-level", "\(Self.dir)/allow-all.json", "--scp-level", ""])
        #expect(output.status == 0)
        #expect(output.stdout.contains("\"decision\": \"ImplicitDeny\""))
        #expect(output.stdout.contains("organization level 2"))
    }

    @Test func malformedPolicyIsReportedWithItsLocationAndExitsTwo() throws {
        let output = try PolicyProverBinary.run(["simulate", "--request", "\(Self.dir)/alice-own-folder.json", "--identity-policy", "Tests/EndToEndTests/Fixtures/malformed/effect-case.json"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("effect-case.json:5:17: error[EFFECT_CASE]"))
        #expect(output.stdout.isEmpty, "no decision is printed for a policy that could not be read")
    }

    @Test func requestAndRequestsAreExclusive() throws {
        let output = try PolicyProverBinary.run(["simulate", "--identity-policy", "\(Self.dir)/allow-all.json"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("exactly one of --request and --requests"))
    }
}
