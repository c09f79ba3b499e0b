import Foundation
import Testing

/// The `--max-…` flags through the real binary: below what a file holds, each is a `LIMIT_EXCEEDED`
/// error at the place the limit is passed and exit 2, on every command that reads policies; at its
/// default the same file is read.
@Suite("Limits from the command line (real binary)")
struct LimitFlagTests {
    static let policy = "Tests/EndToEndTests/Fixtures/limits/three-statements.json"

    struct Case: CustomTestStringConvertible, Sendable {
        var flag: String
        var value: String
        /// `line:column` of the error.
        var location: String
        var message: String
        var testDescription: String { "\(flag) \(value)" }
    }

    static let cases = [
        Case(flag: "--max-statements", value: "2", location: "6:5", message: "the policy has 3 statements; at most 2 are read"),
        Case(flag: "--max-values", value: "2", location: "4:82", message: "Action has 3 entries; at most 2 are read"),
        Case(flag: "--max-wildcards", value: "2", location: "5:49", message: "this Action pattern has 3 wildcards; at most 2 are accepted"),
        Case(flag: "--max-depth", value: "4", location: "6:116", message: "nesting deeper than 4 levels"),
        Case(flag: "--max-string-length", value: "30", location: "6:142", message: "string longer than 30 bytes"),
        Case(flag: "--max-file-size", value: "100", location: "1:1", message: "the file is 481 bytes long, more than the limit of 100 bytes"),
    ]

    @Test(arguments: cases)
    func validateStopsAtTheLimit(_ testCase: Case) throws {
        let output = try PolicyProverBinary.run(["validate", testCase.flag, testCase.value, Self.policy])
        #expect(output.status == 2, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("\(Self.policy):\(testCase.location): error[LIMIT_EXCEEDED]: \(testCase.message)"), "\(output.stdout)")
    }

    @Test func theDefaultsReadTheFile() throws {
        let output = try PolicyProverBinary.run(["validate", Self.policy])
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
    }

    /// Each command that reads policies honours the flags (one flag per command is enough: they share
    /// one option group).
    @Test(arguments: [
        ["check", "--no-public", "--max-statements", "2", policy],
        ["diff", "--max-values", "2", policy, policy],
        ["simulate", "--max-wildcards", "2", "--identity-policy", policy, "--request", "Policies/requests/alice-reads-her-home-folder.json"],
        ["audit", "--no-cache", "--max-statements", "2", policy],
        ["check", "--account", "Policies/accounts/example-export.json", "--max-file-size", "100"],
    ])
    func everyCommandHonoursTheLimits(_ arguments: [String]) throws {
        let output = try PolicyProverBinary.run(arguments)
        #expect(output.status == 2, "\(output.stdout)\(output.stderr)")
        #expect((output.stdout + output.stderr).contains(try Regex(":[0-9]+:[0-9]+: error\\[LIMIT_EXCEEDED\\]")), "\(output.stdout)\(output.stderr)")
    }

    @Test(arguments: [
        (["--max-file-size", "10Q"], "--max-file-size"),
        (["--max-file-size", "0"], "--max-file-size must be at least 1 byte"),
        (["--max-depth", "0"], "--max-depth must be between 1 and 512"),
        (["--max-statements", "-1"], "--max-statements"),
        (["--memory-limit", "1M"], "--memory-limit must be 0 (no limit) or at least 16M"),
        (["--deadline", "0"], "--deadline must be between 0 and 604800 seconds"),
    ])
    func badValuesAreRefusedBeforeAnythingRuns(_ flags: [String], _ message: String) throws {
        let output = try PolicyProverBinary.run(["check", "--no-public"] + flags + [Self.policy])
        #expect(output.status == 2, "\(output.stdout)\(output.stderr)")
        #expect(output.stderr.contains(message), "\(output.stderr)")
    }
}
