import Foundation
import Testing

/// `policyprover explore` driven in a real terminal (tmux), as a person uses it.
@Suite(.serialized) struct ExploreCommandTests {
    /// A scratch directory holding a copy of the public bucket policy (`Policies/access/`): one
    /// statement open to anyone (s3:GetObject) and one to any VPC (s3:ListBucket).
    private static func workspace() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("explore-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: PolicyProverBinary.repositoryRoot.appendingPathComponent("Policies/access/bucket-public-read.json"), to: directory.appendingPathComponent("bucket.json"))
        return directory
    }

    /// The principal, action and resource rows of the counterexample on screen.
    private static func request(on screen: String) -> [String] {
        screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("principal ") || $0.hasPrefix("action ") || $0.hasPrefix("resource ") }
    }

    @Test(.enabled(if: TmuxSession.executable != nil, "tmux is not installed (apt-get install tmux): the terminal test is skipped"))
    func walkFixSaveAndQuit() throws {
        let directory = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        let terminal = try TmuxSession(width: 100, height: 34, directory: directory, environment: ["NO_COLOR": "1"])
        try terminal.type("stty -a | grep -o -- '-icanon\\|icanon' | head -1; echo before-explore")
        try terminal.wait(for: "before-explore\n")
        try terminal.type("\(PolicyProverBinary.url.path) explore --no-public bucket.json")

        // The hole: the first counterexample, certified, with its granting statement marked.
        let first = try terminal.wait(for: "Counterexample 1 of 1")
        #expect(try terminal.paneValue("alternate_on") == "1")
        #expect(first.contains("certified by the concrete evaluator"))
        #expect(first.contains("action     s3:GetObject"))
        #expect(first.contains("granted by statement \"WebsiteRead\""))
        #expect(first.contains("▶  5 │       \"Sid\": \"WebsiteRead\","))
        #expect(first.contains("n next  p prev  g generalize  w why  x exclude  f fix"))

        // n: a different counterexample (another statement's grant).
        try terminal.press("n")
        let second = try terminal.wait(for: "Counterexample 2 of 2")
        #expect(Self.request(on: second) != Self.request(on: first))
        #expect(second.contains("action     s3:ListBucket"))
        #expect(second.contains("aws:SourceVpc"))

        // The window shrinks: the screen is redrawn to the new width.
        try terminal.resize(width: 72, height: 30)
        try terminal.wait(what: "a redraw at 72 columns") { screen in
            let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return rows.contains { $0.hasPrefix(" n next  p prev") } && rows.allSatisfy { $0.count <= 72 }
        }
        try terminal.resize(width: 100, height: 34)

        // f: the fix for ListBucket is applied and the property re-proved: GetObject is still open.
        try terminal.press("f")
        let fixed = try terminal.wait(for: "Re-proved on the edited policy")
        #expect(fixed.contains("still FAILS"))
        #expect(fixed.contains("\"Action\": \"s3:ListBucket\""))
        #expect(fixed.contains("action     s3:GetObject"))
        // f again: the second fix closes the last way in, and the re-proof is a PASS (unsat).
        try terminal.press("f")
        let passed = try terminal.wait(for: "PASS  no-public-access holds for every request")
        #expect(passed.contains("unsat"))
        #expect(passed.contains("Re-proved on the edited policy: PASS"))

        // s: the edited policy is written beside the original, and check proves it.
        try terminal.press("s")
        try terminal.wait(for: "wrote the policy to bucket.fixed.json")
        let check = try PolicyProverBinary.run(["check", "--no-public", directory.appendingPathComponent("bucket.fixed.json").path])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("PASS no-public-access"))

        // q: the shell prompt is back, the summary printed, and the terminal as it was.
        try terminal.press("q")
        let after = try terminal.wait(timeout: 20, what: "the prompt after the summary") { $0.contains("\nexplore-test$\n") && $0.contains("saved to") }
        // The shell wraps the summary at the window's width.
        #expect(after.replacingOccurrences(of: "\n", with: "").contains("explored bucket.json (no-public-access): 3 counterexamples shown; the property holds (proved); 2 fixes applied; edited policy saved to bucket.fixed.json"), "\(after)")
        #expect(try terminal.paneValue("alternate_on") == "0")
        #expect(after.contains("before-explore"), "the shell's screen is back: \(after)")
        try terminal.type("echo status=$?; stty -a | grep -o -- '-icanon\\|icanon' | head -1; stty -a | grep -o -- '-echo \\|echo ' | head -1; echo checked")
        let restored = try terminal.wait(for: "\nchecked")
        #expect(restored.contains("status=0\nicanon\necho"), "\(restored)")
    }

    @Test(.enabled(if: TmuxSession.executable != nil, "tmux is not installed (apt-get install tmux): the terminal test is skipped"))
    func ctrlCRestoresTheTerminal() throws {
        let directory = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        let terminal = try TmuxSession(width: 90, height: 30, directory: directory, environment: ["NO_COLOR": "1"])
        try terminal.type("\(PolicyProverBinary.url.path) explore --no-public bucket.json")
        try terminal.wait(for: "Counterexample 1 of 1")
        try terminal.press("?")
        let help = try terminal.wait(for: "Keys (Esc or ? closes)")
        for key in ["n ", "p ", "g ", "w ", "x ", "f ", "u ", "s ", "e ", "q "] { #expect(help.contains("   \(key)")) }
        try terminal.press("C-c")
        try terminal.wait(for: "explored bucket.json")
        #expect(try terminal.paneValue("alternate_on") == "0")
        #expect(try terminal.paneValue("cursor_flag") == "1", "the cursor is shown again")
        try terminal.type("echo status=$?; stty -a | grep -o -- '-icanon\\|icanon' | head -1; echo checked")
        let restored = try terminal.wait(for: "\nchecked")
        #expect(restored.contains("status=1\nicanon"), "a counterexample was on screen, so the exit status is 1: \(restored)")
    }

    @Test(.enabled(if: TmuxSession.executable != nil, "tmux is not installed (apt-get install tmux): the terminal test is skipped"))
    func specInvariantFixedToAPass() throws {
        let terminal = try TmuxSession(width: 100, height: 34, directory: PolicyProverBinary.repositoryRoot, environment: ["NO_COLOR": "1"])
        try terminal.type("\(PolicyProverBinary.url.path) explore --spec Policies/specs/no-iam-writes.yaml Policies/examples/ci-deployer.json")
        let first = try terminal.wait(for: "Counterexample 1 of 1")
        #expect(first.contains("no-iam-writes — a counterexample is a request of the scope that the policy allows"))
        #expect(first.contains("action     iam:PassRole"))
        #expect(first.contains("scope (Policies/specs/no-iam-writes.yaml): contains it"))
        try terminal.press("f")
        let fixed = try terminal.wait(for: "Re-proved on the edited policy: PASS")
        #expect(fixed.contains("\"Effect\": \"Deny\","))
        // q asks again (the fix is not saved), the second q quits: proved, so the exit status is 0.
        try terminal.press("q")
        try terminal.wait(for: "the fix is not saved: q again quits without saving")
        try terminal.press("q")
        try terminal.wait(for: "explored Policies/examples/ci-deployer.json")
        try terminal.type("echo status=$?; echo checked")
        #expect(try terminal.wait(for: "\nchecked").contains("status=0"))
    }

    @Test func refusesWithoutATerminal() throws {
        let output = try PolicyProverBinary.run(["explore", "--no-public", "Policies/access/bucket-public-read.json"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("needs a terminal"))
        #expect(output.stderr.contains("policyprover check --format json --no-public Policies/access/bucket-public-read.json"))
        #expect(output.stdout.isEmpty)
    }

    @Test(arguments: [
        (["explore", "Policies/access/bucket-public-read.json"], "say what to explore"),
        (["explore", "--no-public", "--against", "a.json", "b.json"], "one property at a time"),
        (["explore", "--no-external", "b.json"], "needs a zone of trust"),
    ])
    func usageErrors(arguments: [String], message: String) throws {
        let output = try PolicyProverBinary.run(arguments)
        #expect(output.status == 2)
        #expect(output.stderr.contains(message), "\(output.stderr)")
    }
}
