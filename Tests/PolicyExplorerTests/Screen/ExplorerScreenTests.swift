import PolicyLanguage
@testable import PolicyExplorer
@testable import PolicyVerifier
import Testing

/// The layout of the explorer's screen, from states built by hand.
@Suite struct ExplorerScreenTests {
    static let multiline = ExploredPolicy(source: Fixture.multilineBucket, role: .resource)

    /// A state on the multi-line bucket policy, started and fed `events`.
    static func state(_ events: [ExplorerEvent], _ explored: ExploredPolicy = multiline) -> ExplorerState {
        var state = ExplorerState(title: "no-public-access", property: .noPublicAccess(resourceType: nil), policy: explored.policy, source: explored.source)
        _ = state.start()
        for event in events { _ = state.handle(event) }
        return state
    }

    static var policy: Policy { multiline.policy.policy }
    static var read: Counterexample { counterexample("s3:GetObject", policy: policy) }

    /// The states worth drawing: each panel, each end, and a crowded header.
    enum Scenario: String, CaseIterable, Sendable {
        case searching, counterexample, denied, pass, done, namesNoCallers, unknown, help, exclude, why, generalization, fix, crowded

        var state: ExplorerState {
            let read = ExplorerScreenTests.read
            let policy = ExplorerScreenTests.policy
            switch self {
            case .searching: return ExplorerScreenTests.state([])
            case .counterexample: return ExplorerScreenTests.state([.answer(.counterexample(read))])
            case .denied:
                return ExplorerScreenTests.state([.answer(.counterexample(PolicyExplorerTests.counterexample(policy: policy, allowing: [0], denying: [1])))])
            case .pass: return ExplorerScreenTests.state([.answer(.exhausted(exhaustion()))])
            case .done: return ExplorerScreenTests.state([.answer(.counterexample(read)), .answer(.exhausted(exhaustion(blocked: 1)))])
            case .namesNoCallers: return ExplorerScreenTests.state([.answer(.exhausted(exhaustion(namesNoCallers: true)))])
            case .unknown: return ExplorerScreenTests.state([.answer(.unknown(.timeout(seconds: 10)))])
            case .help: return ExplorerScreenTests.state([.answer(.counterexample(read)), .key(.character("?"))])
            case .exclude: return ExplorerScreenTests.state([.answer(.counterexample(read)), .key(.character("x"))])
            case .why:
                let evaluator = PolicyEvaluator()
                let (outcome, statements) = evaluator.trace(of: policy, role: .resource, request: read.request)
                return ExplorerScreenTests.state([.answer(.counterexample(read)), .explained([PolicyTrace(label: "policy", file: policy.file, allows: outcome.allows, statements: statements)])])
            case .generalization:
                let grant = StatementGrant(
                    statement: statementReference(0, of: policy), principals: ["*"], principalsAreExcluded: false, actions: ["s3:Get*"],
                    actionsAreExcluded: false, grantedActionCount: 40, sampleActions: (1...10).map { "s3:GetThing\($0)" }, catalogActionCount: 18000,
                    resources: ["arn:aws:s3:::example-bucket/*"], resourcesAreExcluded: false,
                    conditions: [ConditionSummary(operatorName: "StringEquals", key: "aws:PrincipalAccount", values: ["111122223333"])],
                    denies: [statementReference(1, of: policy, effect: .deny)])
                return ExplorerScreenTests.state([.answer(.counterexample(read)), .generalized([grant])])
            case .fix: return ExplorerScreenTests.state([.answer(.counterexample(read)), .fixed(ExplorerScreenTests.fix(reproof: .exhausted(exhaustion())))])
            case .crowded:
                // Exclusions and a fix lengthen the header; a context lengthens the request.
                var example = read
                example.request.context = RequestContext(["aws:PrincipalTag/team": ["a", "b"], "s3:prefix": ["x"]])
                example.request.context.set("10.0.0.1", for: "aws:SourceIp")
                return ExplorerScreenTests.state([
                    .answer(.counterexample(read)), .key(.character("x")), .key(.character("s")),
                    .answer(.counterexample(example)), .key(.character("x")), .key(.character("a")),
                    .fixed(ExplorerScreenTests.fix(reproof: .counterexample(example))),
                ])
            }
        }
    }

    /// A fix adding a Deny statement to the multi-line policy.
    static func fix(reproof: ExplorationAnswer) -> FixOutcome {
        let text = Fixture.multilineBucket.replacingOccurrences(of: "    }\n  ]", with: "    },\n    {\n      \"Sid\": \"ExplorerDeny1\",\n      \"Effect\": \"Deny\",\n      \"Principal\": \"*\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"arn:aws:s3:::example-bucket/key\"\n    }\n  ]")
        let fixed = PolicyFix(kind: .addDeny, summary: "add a Deny statement \"ExplorerDeny1\"", text: text, policy: parsedPolicy(text),
                              diff: LineDiff.lines(from: Fixture.multilineBucket, to: text))
        return FixOutcome(fix: fixed, reproof: reproof, alternatives: ["allow statement \"PublicRead\" only to callers with aws:PrincipalAccount 111122223333"])
    }

    static let sizes = [(20, 8), (24, 9), (40, 10), (80, 24), (132, 50), (300, 12), (60, 100)]

    func rows(_ state: ExplorerState, width: Int = 100, height: Int = 60) -> [ScreenLine] {
        ExplorerScreen.render(state, width: width, height: height)
    }

    /// The rows of the source pane showing `text`.
    func sourceRows(_ rows: [ScreenLine], containing text: String) -> [ScreenLine] {
        rows.filter { $0.text.contains(" │ ") && $0.text.contains(text) }
    }

    // MARK: Size

    @Test(arguments: Scenario.allCases, sizes)
    func screenFillsTheSizeExactly(scenario: Scenario, size: (width: Int, height: Int)) throws {
        let rows = ExplorerScreen.render(scenario.state, width: size.width, height: size.height)
        #expect(rows.count == size.height)
        for row in rows { #expect(row.text.count <= size.width, "\(row.text)") }
        let keys = try #require(rows.last)
        #expect(keys.text == String((" " + ExplorerScreen.keyLine).prefix(size.width)))
        #expect(keys.spans.allSatisfy { $0.style == .key })
        #expect(rows[rows.count - 2].spans.allSatisfy { $0.style == .status })
        #expect(rows.first?.text.hasPrefix(String(" PolicyProver explore".prefix(size.width))) == true)
    }

    @Test(arguments: [(0, 0), (5, 3), (19, 7), (-1, -1)])
    func tooSmallASizeIsDrawnAtTheSmallest(width: Int, height: Int) {
        let rows = ExplorerScreen.render(Scenario.counterexample.state, width: width, height: height)
        #expect(rows.count == 8)
        #expect(rows.allSatisfy { $0.text.count <= 20 })
        #expect(rows.last?.spans.first?.style == .key)
    }

    @Test func sameStateDrawsTheSameScreen() {
        let state = Scenario.crowded.state
        #expect(rows(state, width: 80, height: 24) == rows(state, width: 80, height: 24))
    }

    // MARK: The counterexample

    @Test func requestIsShown() {
        let text = rows(Scenario.counterexample.state).map(\.text)
        #expect(text.contains("   principal  anonymous"))
        #expect(text.contains("   action     s3:GetObject"))
        #expect(text.contains("   resource   arn:aws:s3:::example-bucket/key"))
        #expect(text.contains { $0.contains("FAIL") && $0.contains("Counterexample 1 of 1 found so far") })
        #expect(text.contains { $0.contains("policy (test.json): allows it — granted by statement \"PublicRead\" (line 4)") })
    }

    @Test func contextKeysAreShown() {
        let text = rows(Scenario.crowded.state, width: 120, height: 80).map(\.text)
        #expect(text.contains { $0.hasSuffix("aws:PrincipalTag/team = [\"a\", \"b\"]") })
        #expect(text.contains { $0.hasSuffix("aws:SourceIp = \"10.0.0.1\"") })
        #expect(text.contains { $0.contains("Excluded") && $0.contains("not the service s3; not the action s3:GetObject") })
        #expect(text.contains { $0.contains("1 fix applied, not saved") })
    }

    @Test func grantingLinesAreMarked() throws {
        let rows = rows(Scenario.counterexample.state)
        let granting = try #require(Self.policy.statements.first).span
        let marked = rows.filter { $0.spans.first == ScreenSpan(" ▶ ", .grant) }
        #expect(marked.count == granting.end.line - granting.start.line + 1)
        for row in marked { #expect(row.spans.last?.style == .grant) }
        let sid = try #require(sourceRows(rows, containing: "\"PublicRead\"").first)
        #expect(sid.spans.first?.text == " ▶ ")
        let other = try #require(sourceRows(rows, containing: "\"PublicWrite\"").first)
        #expect(other.spans.first?.text == "   ")
        #expect(other.spans.last?.style == .plain)
        #expect(rows.contains { $0.text.hasPrefix("─ Policy test.json (▶ grants this request") })
    }

    @Test func denyingLinesAreMarked() throws {
        let rows = rows(Scenario.denied.state)
        let denied = try #require(sourceRows(rows, containing: "\"PublicWrite\"").first)
        #expect(denied.spans.first == ScreenSpan(" ✖ ", .deny))
        #expect(denied.spans.last?.style == .deny)
        #expect(rows.contains { $0.text.contains("denies it — statement \"PublicWrite\"") })
    }

    @Test func conditionLinesAreMarkedAsConditions() throws {
        let source = Fixture.multilineBucket.replacingOccurrences(
            of: "\"Principal\": \"*\",\n      \"Action\": \"s3:GetObject\"",
            with: "\"Principal\": \"*\",\n      \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"true\"}},\n      \"Action\": \"s3:GetObject\"")
        let explored = ExploredPolicy(source: source, role: .resource)
        #expect(explored.policy.policy.statements[0].condition != nil)
        let state = Self.state([.answer(.counterexample(counterexample(policy: explored.policy.policy)))], explored)
        let condition = try #require(sourceRows(rows(state), containing: "aws:SecureTransport").first)
        #expect(condition.spans.first == ScreenSpan(" ▶ ", .condition))
        #expect(condition.spans.last?.style == .condition)
    }

    @Test func sourceScrollsAndStopsAtTheEnd() throws {
        var state = Scenario.counterexample.state
        func firstSourceLine() throws -> Int {
            let rows = ExplorerScreen.render(state, width: 80, height: 16)
            let row = try #require(rows.first { $0.text.contains(" │ ") })
            return try #require(Int(row.text.split(separator: "│")[0].dropFirst(3).trimmingCharacters(in: .whitespaces)))
        }
        // The pane opens a little above the granting statement (line 4).
        let opening = try firstSourceLine()
        #expect(opening == 2)
        _ = state.handle(.key(.down))
        #expect(try firstSourceLine() == opening + 1)
        for _ in 0..<100 { _ = state.handle(.key(.pageDown)) }
        let rows = ExplorerScreen.render(state, width: 80, height: 16)
        let last = try #require(rows.last { $0.text.contains(" │ ") })
        #expect(last.text.hasSuffix("19 │ }"))
    }

    // MARK: The end

    @Test func passShowsTheProof() {
        let rows = rows(Scenario.pass.state)
        #expect(rows.contains { $0.spans.contains(ScreenSpan(" PASS ", .pass)) && $0.text.contains("no-public-access holds for every request") })
        #expect(rows.contains { $0.text.contains("Z3 proved unsatisfiable (unsat, 4 ms)") })
        #expect(rows.contains { $0.text.hasSuffix("∧ the caller is one of an unbounded set (public)") })
        #expect(!rows.contains { $0.text.contains("FAIL") })
    }

    @Test func exhaustedAfterCounterexamplesIsDoneNotPass() {
        let text = rows(Scenario.done.state).map(\.text)
        #expect(text.contains { $0.contains("DONE") && $0.contains("no counterexample left beyond the 1 shown") && !$0.contains("exclusions") })
        #expect(text.contains { $0.contains("unsat") })
        #expect(!text.contains { $0.contains("PASS") })
    }

    @Test func policyNamingNoCallersPassesWithoutTheSolver() {
        let text = rows(Scenario.namesNoCallers.state).map(\.text)
        #expect(text.contains { $0.contains("PASS") && $0.contains("the policy names no callers") })
        #expect(!text.contains { $0.contains("unsat") })
    }

    @Test func unknownIsNeverAPass() {
        let rows = rows(Scenario.unknown.state)
        #expect(rows.contains { $0.spans.first == ScreenSpan(" UNKNOWN ", .unknown) })
        #expect(rows.contains { $0.text.contains("This is not a pass") })
        #expect(!rows.contains { $0.text.contains("PASS") })
    }

    // MARK: Panels and the status line

    @Test func helpListsEveryKey() {
        let rows = rows(Scenario.help.state, width: 140)
        let keys = Set(rows.dropLast().flatMap { $0.spans.filter { $0.style == .key }.flatMap { $0.text.split(separator: " ").map(String.init) } })
        for key in ["n", "p", "g", "w", "x", "f", "u", "s", "e", "j", "k", "↑", "↓", "Esc", "q"] {
            #expect(keys.contains(key), "\(key) is missing from the help")
        }
        #expect(rows.contains { $0.text.hasPrefix("─ Keys (Esc or ? closes)") })
        #expect(rows.contains { $0.text.contains("Ctrl-C quits at once") })
    }

    @Test func exclusionMenuShowsTheKeysAndWhatIsUnavailable() {
        let rows = rows(Scenario.exclude.state)
        let text = rows.map(\.text)
        #expect(text.contains("   a  not the action s3:GetObject"))
        #expect(text.contains("   r  not the resource arn:aws:s3:::example-bucket/key"))
        let caller = rows.first { $0.text.hasPrefix("   c  not the caller anonymous") }
        #expect(caller?.text.hasSuffix("(not available: already excluded, or not exact)") == true)
        #expect(caller?.spans.last?.style == .dim)
    }

    @Test func fixPanelShowsTheDiffAndTheReproof() {
        let rows = rows(Scenario.fix.state)
        #expect(rows.contains { $0.text == "   +       \"Sid\": \"ExplorerDeny1\"," && $0.spans.first?.style == .added })
        #expect(rows.contains { $0.spans.contains(ScreenSpan("PASS", .pass)) && $0.text.contains("Re-proved on the edited policy") })
        #expect(rows.contains { $0.text.contains("· allow statement \"PublicRead\" only to callers") })
        #expect(rows.contains { $0.text.contains("1 fix applied, not saved (s saves)") })
    }

    @Test func whyPanelShowsTheTrace() {
        let text = rows(Scenario.why.state).map(\.text)
        #expect(text.contains("   policy (test.json): allows the request"))
        #expect(text.contains("     statement \"PublicRead\" (line 4), Allow: applies"))
        #expect(text.contains("     statement \"PublicWrite\" (line 11), Allow: does not apply"))
    }

    @Test func generalizationPanelShowsTheGrant() {
        let text = rows(Scenario.generalization.state, width: 160).map(\.text)
        #expect(text.contains("     actions     s3:Get* → 40 catalogued actions of 18000"))
        #expect(text.contains { $0.hasSuffix("s3:GetThing10, …") })
        #expect(text.contains("     condition  StringEquals aws:PrincipalAccount \"111122223333\""))
        #expect(text.contains { $0.hasPrefix("     except what statement \"PublicWrite\"") })
    }

    @Test func busyReplacesTheStatus() {
        let rows = rows(Scenario.searching.state)
        #expect(rows[rows.count - 2].text == " searching for a counterexample…")
        let shown = Scenario.counterexample.state
        let after = self.rows(shown)
        #expect(after[after.count - 2].text == " " + shown.status)
    }

    /// A policy saved with Windows line endings is drawn line by line like any other.
    @Test
    func crlfSourceIsDrawnLineByLine() throws {
        let source = Fixture.multilineBucket.replacingOccurrences(of: "\n", with: "\r\n")
        let explored = ExploredPolicy(source: source, role: .resource)
        #expect(explored.policy.policy.statements[0].span.start.line == 4)
        let state = Self.state([.answer(.counterexample(counterexample(policy: explored.policy.policy)))], explored)
        let rows = rows(state)
        #expect(rows.filter { $0.text.contains(" │ ") }.count == 19)
        let sid = try #require(sourceRows(rows, containing: "\"PublicRead\"").first)
        #expect(sid.spans.first == ScreenSpan(" ▶ ", .grant))
    }
}
