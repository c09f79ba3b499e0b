import PolicyLanguage
@testable import PolicyExplorer
@testable import PolicyVerifier
import Testing

/// The explorer's state machine on its own: every event is built by hand, and the tests read the
/// commands it returns and the fields it changes.
@Suite struct ExplorerStateTests {
    let bucket = Fixture.publicBucket
    var policy: Policy { bucket.policy.policy }
    /// The public read, by the anonymous caller.
    var first: Counterexample { counterexample("s3:GetObject", policy: policy) }
    /// The public write, granted by the second statement, by an IAM user of another account.
    var second: Counterexample {
        counterexample("s3:PutObject", resource: "arn:aws:s3:::example-bucket/upload",
                       principal: .user(account: "444455556666", arn: "arn:aws:iam::444455556666:user/alice", name: "alice"),
                       policy: policy, allowing: [1])
    }

    /// A state after `start`, then fed `answers` in order.
    func state(answering answers: [ExplorationAnswer] = [], _ explored: ExploredPolicy? = nil) -> ExplorerState {
        let explored = explored ?? bucket
        var state = ExplorerState(title: "no-public-access", property: .noPublicAccess(resourceType: nil), policy: explored.policy, source: explored.source)
        _ = state.start()
        for answer in answers { _ = state.handle(.answer(answer)) }
        return state
    }

    /// A fix of the bucket policy: a Deny of the public read, with `reproof` as the engine's re-proof.
    func fix(reproof: ExplorationAnswer, summary: String = "add a Deny of s3:GetObject") -> FixOutcome {
        let deny = #"{"Sid":"ExplorerDeny1","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/key"}"#
        let text = policyText(Fixture.publicRead + "," + Fixture.publicWrite + "," + deny)
        let fixed = PolicyFix(kind: .addDeny, summary: summary, text: text, policy: parsedPolicy(text), diff: LineDiff.lines(from: bucket.source, to: text))
        return FixOutcome(fix: fixed, reproof: reproof, alternatives: [])
    }

    /// Presses `characters` in order and returns the commands of the last press.
    @discardableResult
    func press(_ characters: String, on state: inout ExplorerState) -> [ExplorerCommand] {
        var commands: [ExplorerCommand] = []
        for character in characters { commands = state.handle(.key(.character(character))) }
        return commands
    }

    // MARK: Answers

    @Test func startSearchesWithNothingShownOrExcluded() throws {
        var state = ExplorerState(title: "no-public-access", property: .noPublicAccess(resourceType: nil), policy: bucket.policy, source: bucket.source)
        let commands = state.start()
        #expect(commands.count == 1)
        let search = try #require(commands.first?.search)
        #expect(search.shown.isEmpty)
        #expect(search.exclusions.isEmpty)
        #expect(state.busy != nil)
        #expect(state.found.isEmpty)
        #expect(state.end == nil)
    }

    @Test func counterexampleAnswerIsShown() throws {
        var state = state()
        let commands = state.handle(.answer(.counterexample(first)))
        #expect(commands.isEmpty)
        #expect(state.found.count == 1)
        #expect(state.position == 0)
        #expect(try #require(state.current).request == first.request)
        #expect(state.panel.name == "source")
        #expect(state.status.contains("counterexample 1"))
        #expect(state.busy == nil)
        #expect(state.end == nil)
    }

    @Test(arguments: [(0, "PASS: the property holds"), (1, "no counterexample left (proved)"), (2, "no counterexample left (proved)")])
    func exhaustedAnswerEndsTheSearch(blocked: Int, status: String) throws {
        let found = [first, second].prefix(blocked).map { ExplorationAnswer.counterexample($0) }
        var state = state(answering: found)
        let commands = state.handle(.answer(.exhausted(exhaustion(blocked: blocked))))
        #expect(commands.isEmpty)
        #expect(state.found.count == blocked)
        #expect(state.position == blocked)
        #expect(state.current == nil)
        #expect(try #require(state.end?.proof).blocked == blocked)
        #expect(state.status.hasPrefix(status))
        #expect(state.busy == nil)
    }

    @Test func unknownAnswerEndsTheSearchWithoutAProof() throws {
        var state = state(answering: [.counterexample(first)])
        _ = state.handle(.answer(.unknown(.timeout(seconds: 10))))
        let end = try #require(state.end)
        #expect(end.proof == nil)
        #expect(state.position == 1)
        #expect(state.current == nil)
        #expect(state.status.hasPrefix("UNKNOWN: "))
    }

    // MARK: n and p

    @Test func nextSearchesWithTheShownBlocked() throws {
        var state = state(answering: [.counterexample(first)])
        let commands = press("n", on: &state)
        #expect(commands.count == 1)
        let search = try #require(commands.first?.search)
        #expect(search.shown == [first.request])
        #expect(search.exclusions.isEmpty)
        #expect(state.busy != nil)
        #expect(state.position == 0)
    }

    @Test func nextAndPreviousStepThroughTheFound() {
        var state = state(answering: [.counterexample(first), .counterexample(second)])
        #expect(state.position == 1)
        #expect(press("p", on: &state).isEmpty)
        #expect(state.position == 0)
        #expect(state.current?.request == first.request)
        #expect(state.status == "counterexample 1 of 2")
        #expect(press("p", on: &state).isEmpty)
        #expect(state.position == 0)
        #expect(state.status == "this is the first counterexample")
        #expect(press("n", on: &state).isEmpty)
        #expect(state.position == 1)
        #expect(state.current?.request == second.request)
        #expect(state.status == "counterexample 2 of 2")
    }

    @Test func nextAfterTheEndShowsTheEndWithoutSearching() {
        var state = state(answering: [.counterexample(first), .exhausted(exhaustion(blocked: 1))])
        #expect(press("n", on: &state).isEmpty)
        #expect(state.status == "this is the end of the search: p goes back")
        press("p", on: &state)
        #expect(state.position == 0)
        #expect(state.current != nil)
        #expect(press("n", on: &state).isEmpty)
        #expect(state.position == 1)
        #expect(state.current == nil)
        #expect(state.status.hasPrefix("no counterexample left"))
    }

    // MARK: g, w, f

    @Test(arguments: [("g", "generalize"), ("w", "explain"), ("f", "suggestFix")])
    func proofKeyAsksAboutTheCounterexampleOnScreen(key: Character, command: String) throws {
        var state = state(answering: [.counterexample(first), .counterexample(second)])
        press("p", on: &state)
        let commands = press(String(key), on: &state)
        #expect(commands.count == 1)
        let asked = try #require(commands.first)
        #expect(asked.name == command)
        #expect(asked.subject?.request == first.request)
        #expect(state.busy != nil)
        if case .suggestFix(_, let source, _, let exclusions) = asked {
            #expect(source == bucket.source)
            #expect(exclusions == state.exclusions)
        }
    }

    @Test(arguments: [("g", "generalize"), ("w", "explain"), ("f", "fix"), ("x", "exclude from")])
    func keyNeedsACounterexampleOnScreen(key: Character, verb: String) {
        var state = state(answering: [.exhausted(exhaustion())])
        #expect(press(String(key), on: &state).isEmpty)
        #expect(state.status == "no counterexample on screen to \(verb)")
        #expect(state.busy == nil)
        #expect(state.panel.name == "source")
    }

    @Test func generalizedAndExplainedOpenTheirPanels() throws {
        var state = state(answering: [.counterexample(first)])
        press("g", on: &state)
        _ = state.handle(.generalized([]))
        #expect(state.panel.name == "generalization")
        #expect(state.status == "no statement of the policy grants this request")
        #expect(state.busy == nil)
        let grant = StatementGrant(
            statement: statementReference(0, of: policy), principals: ["*"], principalsAreExcluded: false, actions: ["s3:GetObject"],
            actionsAreExcluded: false, grantedActionCount: 1, sampleActions: ["s3:GetObject"], catalogActionCount: nil,
            resources: ["arn:aws:s3:::example-bucket/*"], resourcesAreExcluded: false, conditions: [], denies: [])
        _ = state.handle(.generalized([grant]))
        #expect(state.status == "what the granting statement grants beyond this request")
        press("w", on: &state)
        let trace = PolicyTrace(label: "policy", file: policy.file, allows: true, statements: [])
        _ = state.handle(.explained([trace]))
        let panel = state.panel
        guard case .why(let traces) = panel else {
            Issue.record("expected the why panel, got \(panel.name)")
            return
        }
        #expect(traces.map(\.label) == ["policy"])
        #expect(state.busy == nil)
    }

    // MARK: x

    @Test func excludeOffersWhatTheRequestNames() throws {
        var state = state(answering: [.counterexample(second)])
        #expect(press("x", on: &state).isEmpty)
        let options = try #require(state.panel.exclusionOptions)
        #expect(options.map(\.key) == ["a", "s", "r", "c", "o"])
        #expect(options.map(\.exclusion) == [
            .action("s3:PutObject"), .service("s3"), .resource("arn:aws:s3:::example-bucket/upload"),
            .principal(second.request.principal), .account("444455556666"),
        ])
        #expect(options.allSatisfy { $0.isExact })
        #expect(state.status.hasPrefix("exclude what?"))
    }

    @Test func excludeOffersNoCallersForAnIdentityPolicy() throws {
        let identity = ExploredPolicy.identity(#"{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}"#)
        let example = counterexample("iam:ListUsers", resource: "*", principal: .root(account: "444455556666"), policy: identity.policy.policy)
        var state = state(answering: [.counterexample(example)], identity)
        press("x", on: &state)
        let options = try #require(state.panel.exclusionOptions)
        // No resource for `*`, and no callers: an identity policy does not name them.
        #expect(options.map(\.exclusion) == [.action("iam:ListUsers"), .service("iam")])
    }

    @Test(arguments: [
        ("a", Exclusion.action("s3:PutObject")), ("s", .service("s3")), ("r", .resource("arn:aws:s3:::example-bucket/upload")),
        ("c", .principal(.user(account: "444455556666", arn: "arn:aws:iam::444455556666:user/alice", name: "alice"))),
        ("o", .account("444455556666")),
    ])
    func choosingAnExclusionSearchesAgainWithoutIt(key: String, exclusion: Exclusion) throws {
        // The search had ended; stepping back and excluding reopens it.
        var state = state(answering: [.counterexample(second), .exhausted(exhaustion(blocked: 1))])
        press("px", on: &state)
        let commands = press(key, on: &state)
        #expect(commands.count == 1)
        let search = try #require(commands.first?.search)
        #expect(search.exclusions == [exclusion])
        #expect(search.shown == [second.request])
        #expect(state.exclusions == [exclusion])
        #expect(state.end == nil)
        #expect(state.panel.name == "source")
        #expect(state.busy != nil)
    }

    @Test func escapeClosesTheExclusionMenu() {
        var state = state(answering: [.counterexample(first)])
        press("x", on: &state)
        #expect(state.handle(.key(.escape)).isEmpty)
        #expect(state.panel.name == "source")
        #expect(state.exclusions.isEmpty)
        #expect(state.status == "")
    }

    /// Menu choices that exclude nothing: the anonymous caller (no principal value names it), a key
    /// not in the menu, and a service already excluded.
    enum UnavailableChoice: String, CaseIterable, Sendable {
        case anonymousCaller, keyNotInMenu, alreadyExcluded
    }

    @Test(arguments: UnavailableChoice.allCases)
    func unavailableOptionExcludesNothing(choice: UnavailableChoice) throws {
        var state = state(answering: [.counterexample(first)])
        var before: [Exclusion] = []
        let key: Character, status: String
        switch choice {
        case .anonymousCaller:
            (key, status) = ("c", "cannot exclude the caller anonymous exactly; nothing excluded")
        case .keyNotInMenu:
            (key, status) = ("z", "nothing excluded")
        case .alreadyExcluded:
            press("xs", on: &state)
            _ = state.handle(.answer(.counterexample(second)))
            before = [.service("s3")]
            (key, status) = ("s", "already excluded")
        }
        press("x", on: &state)
        let offered = try #require(state.panel.exclusionOptions).first { $0.key == key }
        if choice != .keyNotInMenu { #expect(offered?.isExact == false) }
        #expect(press(String(key), on: &state).isEmpty)
        #expect(state.status == status)
        #expect(state.exclusions == before)
        #expect(state.panel.name == "source")
        #expect(state.busy == nil)
    }

    // MARK: f (the fix as it comes back) and u

    @Test(arguments: [true, false])
    func fixReplacesThePolicyAndShowsTheReproof(reproofHolds: Bool) throws {
        var state = state(answering: [.counterexample(first)])
        press("f", on: &state)
        let reproof: ExplorationAnswer = reproofHolds ? .exhausted(exhaustion()) : .counterexample(second)
        let outcome = fix(reproof: reproof)
        #expect(state.handle(.fixed(outcome)).isEmpty)
        #expect(state.fixes.map(\.summary) == [outcome.fix.summary])
        #expect(state.hasUnsavedFix)
        #expect(state.source == outcome.fix.text)
        #expect(state.policy.policy.statements.count == 3)
        #expect(state.policy.role == .resource)
        #expect(state.panel.name == "fix")
        #expect(state.status.hasPrefix("fix applied (1)"))
        #expect(state.busy == nil)
        #expect(state.position == 0)
        if reproofHolds {
            #expect(state.found.isEmpty)
            #expect(try #require(state.end?.proof).propertyHolds)
        } else {
            #expect(state.found.map(\.request) == [second.request])
            #expect(state.end == nil)
        }
    }

    @Test func undoRestoresWhatTheFixReplaced() throws {
        var state = state(answering: [.counterexample(first), .counterexample(second)])
        press("p", on: &state)
        _ = state.handle(.fixed(fix(reproof: .exhausted(exhaustion()), summary: "the first fix")))
        _ = state.handle(.fixed(fix(reproof: .exhausted(exhaustion()), summary: "the second fix")))
        #expect(state.fixes.count == 2)

        #expect(press("u", on: &state).isEmpty)
        #expect(state.fixes.map(\.summary) == ["the first fix"])
        #expect(state.hasUnsavedFix)
        #expect(state.status == "undid: the second fix")

        press("u", on: &state)
        #expect(state.fixes.isEmpty)
        #expect(!state.hasUnsavedFix)
        #expect(state.source == bucket.source)
        #expect(state.policy.policy.statements.count == 2)
        #expect(state.found.map(\.request) == [first.request, second.request])
        #expect(state.position == 0)
        #expect(state.end == nil)
        #expect(state.panel.name == "source")
        #expect(state.status == "undid: the first fix")

        press("u", on: &state)
        #expect(state.status == "nothing to undo")
        #expect(state.source == bucket.source)
    }

    // MARK: s, e and what the terminal layer answers

    @Test func saveNeedsAFix() throws {
        var state = state(answering: [.counterexample(first)])
        #expect(press("s", on: &state).isEmpty)
        #expect(state.status.hasPrefix("nothing to save"))
        let outcome = fix(reproof: .exhausted(exhaustion()))
        _ = state.handle(.fixed(outcome))
        let commands = press("s", on: &state)
        #expect(commands.count == 1)
        guard case .save(let source)? = commands.first else {
            Issue.record("expected a save command, got \(commands.map(\.name))")
            return
        }
        #expect(source == outcome.fix.text)
    }

    @Test(arguments: [("policy", false), ("counterexamples", true)])
    func wroteSavesThePolicyOnlyWhenThePolicyWasWritten(what: String, stillUnsaved: Bool) {
        var state = state(answering: [.counterexample(first)])
        _ = state.handle(.fixed(fix(reproof: .exhausted(exhaustion()))))
        #expect(state.handle(.wrote(what: what, path: "/tmp/out.json")).isEmpty)
        #expect(state.hasUnsavedFix == stillUnsaved)
        #expect(state.status == "wrote the \(what) to /tmp/out.json")
    }

    @Test(arguments: [false, true])
    func exportCarriesTheFoundAndTheEnd(ended: Bool) throws {
        var answers: [ExplorationAnswer] = [.counterexample(first), .counterexample(second)]
        if ended { answers.append(.exhausted(exhaustion(blocked: 2))) }
        var state = state(answering: answers)
        let commands = press("e", on: &state)
        #expect(commands.count == 1)
        guard case .export(let found, let end, _)? = commands.first else {
            Issue.record("expected an export command, got \(commands.map(\.name))")
            return
        }
        #expect(found.map(\.request) == [first.request, second.request])
        #expect((end?.proof?.blocked) == (ended ? 2 : nil))
    }

    @Test(arguments: [ExplorerEvent.failed("cannot write /read-only/out.json"), .noFix("no edit found that closes this request")])
    func failureIsReported(event: ExplorerEvent) {
        var state = state(answering: [.counterexample(first)])
        press("f", on: &state)
        #expect(state.busy != nil)
        #expect(state.handle(event).isEmpty)
        switch event {
        case .failed(let message), .noFix(let message): #expect(state.status == message)
        default: Issue.record("unexpected argument")
        }
        #expect(state.busy == nil)
        #expect(state.fixes.isEmpty)
        #expect(state.source == bucket.source)
        #expect(state.found.count == 1)
    }

    // MARK: q and Ctrl-C

    @Test func quitWithoutAnUnsavedFixQuits() {
        var state = state(answering: [.counterexample(first)])
        let commands = press("q", on: &state)
        #expect(commands.map(\.name) == ["quit"])
        #expect(state.isFinished)
    }

    @Test func quitWithAnUnsavedFixAsksFirst() {
        var state = state(answering: [.counterexample(first)])
        _ = state.handle(.fixed(fix(reproof: .exhausted(exhaustion()))))
        #expect(press("q", on: &state).isEmpty)
        #expect(!state.isFinished)
        #expect(state.confirmingQuit)
        #expect(state.status.contains("not saved"))
        #expect(press("q", on: &state).map(\.name) == ["quit"])
        #expect(state.isFinished)
    }

    @Test func anotherKeyCancelsTheQuitConfirmation() {
        var state = state(answering: [.counterexample(first)])
        _ = state.handle(.fixed(fix(reproof: .exhausted(exhaustion()))))
        press("q", on: &state)
        _ = state.handle(.key(.down))
        #expect(!state.confirmingQuit)
        #expect(press("q", on: &state).isEmpty)
        #expect(!state.isFinished)
    }

    @Test func savedFixQuitsAtOnce() {
        var state = state(answering: [.counterexample(first)])
        _ = state.handle(.fixed(fix(reproof: .exhausted(exhaustion()))))
        press("s", on: &state)
        _ = state.handle(.wrote(what: "policy", path: "/tmp/out.json"))
        #expect(press("q", on: &state).map(\.name) == ["quit"])
        #expect(state.isFinished)
    }

    @Test(arguments: [false, true])
    func interruptQuitsAtOnce(withUnsavedFixInTheExclusionMenu: Bool) {
        var state = state(answering: [.counterexample(first)])
        if withUnsavedFixInTheExclusionMenu {
            _ = state.handle(.fixed(fix(reproof: .counterexample(second))))
            press("x", on: &state)
            #expect(state.panel.name == "exclude")
        }
        #expect(state.handle(.key(.interrupt)).map(\.name) == ["quit"])
        #expect(state.isFinished)
    }

    // MARK: ?, Esc, scrolling, other keys

    @Test func helpToggles() {
        var state = state(answering: [.counterexample(first)])
        #expect(press("?", on: &state).isEmpty)
        #expect(state.panel.name == "help")
        press("?", on: &state)
        #expect(state.panel.name == "source")
    }

    @Test(arguments: ["help", "why", "generalization", "fix"])
    func escapeReturnsToTheSource(panel: String) {
        var state = state(answering: [.counterexample(first)])
        switch panel {
        case "help": press("?", on: &state)
        case "why": _ = state.handle(.explained([]))
        case "generalization": _ = state.handle(.generalized([]))
        default: _ = state.handle(.fixed(fix(reproof: .counterexample(second))))
        }
        #expect(state.panel.name == panel)
        press("jj", on: &state)
        #expect(state.scroll == 2)
        #expect(state.handle(.key(.escape)).isEmpty)
        #expect(state.panel.name == "source")
        #expect(state.scroll == 0)
        #expect(state.status == "")
    }

    @Test(arguments: [
        ([ExplorerKey.down], 1), ([.down, .down, .up], 1), ([.up], 0), ([.pageDown], 10), ([.pageDown, .down, .pageUp], 1),
        ([.down, .pageUp], 0), ([.character("j"), .character("j"), .character("k")], 1), ([.character("k")], 0),
    ])
    func arrowsAndJKScrollTheLowerPane(keys: [ExplorerKey], scroll: Int) {
        var state = state(answering: [.counterexample(first)])
        for key in keys { #expect(state.handle(.key(key)).isEmpty) }
        #expect(state.scroll == scroll)
        #expect(state.position == 0)
        #expect(state.panel.name == "source")
    }

    @Test func unknownKeySaysSo() {
        var state = state(answering: [.counterexample(first)])
        #expect(press("z", on: &state).isEmpty)
        #expect(state.status == "no command on z: ? shows the keys")
        #expect(!state.isFinished)
        #expect(state.position == 0)
    }

    @Test func enterChangesNothing() {
        var state = state(answering: [.counterexample(first)])
        let status = state.status
        #expect(state.handle(.key(.enter)).isEmpty)
        #expect(state.status == status)
        #expect(state.panel.name == "source")
        #expect(state.found.count == 1)
    }
}
