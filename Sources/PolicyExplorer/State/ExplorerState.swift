import PolicyLanguage
import PolicyVerifier

/// Everything the explorer shows, and how keys and answers change it. `handle` is a pure function of
/// the state and the event: proofs, files and the terminal are asked for through the returned
/// commands, whose answers come back as events. The terminal layer only draws the state and reads keys.
public struct ExplorerState: Sendable {
    /// The property's name as the user asked for it (`no-public-access`, an invariant's name, …).
    public let title: String
    public let property: ExplorationProperty
    /// The policy being explored: the file's, or the last fix applied to it.
    public private(set) var policy: PolicyUnderTest
    /// The source text of `policy`.
    public private(set) var source: String
    /// The counterexamples found so far, in order; each certified.
    public private(set) var found: [Counterexample] = []
    /// The one shown; `found.count` shows the end of the search.
    public private(set) var position = 0
    /// How the search ended, once it has.
    public private(set) var end: ExplorationEnd?
    public private(set) var exclusions: [Exclusion] = []
    public private(set) var panel: ExplorerPanel = .source
    /// Lines the lower pane is scrolled by.
    public private(set) var scroll = 0
    /// The message of the status line.
    public private(set) var status = ""
    /// What is being computed, while a command runs.
    public private(set) var busy: String?
    /// The fixes applied, last on top (for undo).
    public private(set) var fixes: [AppliedFix] = []
    /// The source as last saved (the file's at the start).
    private var savedSource: String
    /// The policy differs from what was last saved: a fix (or an undo) since.
    public var hasUnsavedFix: Bool { source != savedSource }
    /// `q` was pressed with an unsaved fix: the next `q` quits.
    public private(set) var confirmingQuit = false
    /// The explorer has quit.
    public private(set) var isFinished = false

    /// A fix as applied, with what it replaced.
    public struct AppliedFix: Sendable {
        public var summary: String
        var policy: PolicyUnderTest
        var source: String
        var found: [Counterexample]
        var position: Int
        var end: ExplorationEnd?
    }

    public init(title: String, property: ExplorationProperty, policy: PolicyUnderTest, source: String) {
        self.title = title
        self.property = property
        self.policy = policy
        self.source = source
        savedSource = source
    }

    /// Every counterexample shown in the session, those found before fixes included.
    public var shownCount: Int { fixes.reduce(found.count) { $0 + $1.found.count } }

    /// The counterexample on screen, if the end is not shown.
    public var current: Counterexample? { position < found.count ? found[position] : nil }

    /// The first command: the search for the first counterexample.
    public mutating func start() -> [ExplorerCommand] { search("searching for a counterexample…") }

    /// The state after `event`, and what must be done next.
    public mutating func handle(_ event: ExplorerEvent) -> [ExplorerCommand] {
        busy = nil
        switch event {
        case .key(let key): return press(key)
        case .answer(let answer): take(answer)
        case .generalized(let grants):
            show(.generalization(grants))
            status = grants.isEmpty ? "no statement of the policy grants this request" : "what the granting statement\(grants.count == 1 ? " grants" : "s grant") beyond this request"
        case .explained(let traces):
            show(.why(traces))
            status = "the concrete evaluator's trace of this request"
        case .fixed(let outcome): apply(outcome)
        case .noFix(let reason): status = reason
        case .wrote(let what, let path):
            if what == "policy" { savedSource = source }
            status = "wrote the \(what) to \(path)"
        case .failed(let message): status = message
        }
        return []
    }

    // MARK: Keys

    private mutating func press(_ key: ExplorerKey) -> [ExplorerCommand] {
        let wasConfirming = confirmingQuit
        confirmingQuit = false
        if case .exclude(let options) = panel, case .character(let character) = key {
            return exclude(options, choosing: character)
        }
        switch key {
        case .interrupt:
            return quit()
        case .escape:
            show(.source)
            status = ""
        case .up: scroll = max(0, scroll - 1)
        case .down: scroll += 1
        case .pageUp: scroll = max(0, scroll - 10)
        case .pageDown: scroll += 10
        case .enter: break
        case .character(let character):
            switch character {
            case "n": return next()
            case "p": previous()
            case "g": return ask(busy: "generalizing…", unless: "generalize") { .generalize(policy: $0.policy, $1) }
            case "w": return ask(busy: "tracing the evaluator…", unless: "explain") { .explain(policy: $0.policy, $1) }
            case "x": offerExclusions()
            case "f": return ask(busy: "finding a fix and re-proving the property…", unless: "fix") { .suggestFix(policy: $0.policy, source: $0.source, $1, exclusions: $0.exclusions) }
            case "u": undo()
            case "s":
                guard hasUnsavedFix || !fixes.isEmpty else {
                    status = "nothing to save: no fix has been applied (f suggests one)"
                    return []
                }
                return [.save(source: source)]
            case "e": return [.export(found, end: end, earlier: fixes.map { ($0.summary, $0.found) })]
            case "q":
                if hasUnsavedFix && !wasConfirming {
                    confirmingQuit = true
                    status = "the fix is not saved: q again quits without saving, s saves it"
                    return []
                }
                return quit()
            case "?":
                if case .help = panel { show(.source) } else { show(.help) }
            case "j": scroll += 1
            case "k": scroll = max(0, scroll - 1)
            default:
                status = "no command on \(character): ? shows the keys"
            }
        }
        return []
    }

    /// Runs `command` on the current counterexample, or says there is none.
    private mutating func ask(busy message: String, unless verb: String, _ command: (ExplorerState, Counterexample) -> ExplorerCommand) -> [ExplorerCommand] {
        guard let current else {
            status = "no counterexample on screen to \(verb)"
            return []
        }
        busy = message
        return [command(self, current)]
    }

    private mutating func next() -> [ExplorerCommand] {
        if position + 1 < found.count {
            position += 1
            show(.source)
            status = "counterexample \(position + 1) of \(found.count)"
            return []
        }
        if position >= found.count, end != nil {
            status = "this is the end of the search: p goes back"
            return []
        }
        if let end {
            position = found.count
            show(.source)
            status = endStatus(end)
            return []
        }
        return search("searching for the next counterexample…")
    }

    private mutating func previous() {
        guard position > 0 else {
            status = found.isEmpty ? "no counterexample to go back to" : "this is the first counterexample"
            return
        }
        position -= 1
        show(.source)
        status = "counterexample \(position + 1) of \(found.count)"
    }

    private mutating func search(_ message: String) -> [ExplorerCommand] {
        busy = message
        return [.search(policy: policy, shown: found.map(\.request), exclusions: exclusions)]
    }

    private mutating func take(_ answer: ExplorationAnswer) {
        show(.source)
        switch answer {
        case .counterexample(let counterexample):
            found.append(counterexample)
            position = found.count - 1
            status = "counterexample \(found.count), certified by the concrete evaluator"
        case .exhausted(let proof):
            end = .exhausted(proof)
            position = found.count
            status = endStatus(.exhausted(proof))
        case .unknown(let reason):
            end = .unknown(reason)
            position = found.count
            status = endStatus(.unknown(reason))
        }
    }

    private func endStatus(_ end: ExplorationEnd) -> String {
        switch end {
        case .exhausted(let proof) where proof.propertyHolds: "PASS: the property holds for every request (proved)"
        case .exhausted: "no counterexample left (proved): every other request meets the property"
        case .unknown(let reason): "UNKNOWN: \(reason)"
        }
    }

    // MARK: Exclusions

    private mutating func offerExclusions() {
        guard let request = current?.request else {
            status = "no counterexample on screen to exclude from"
            return
        }
        var options: [ExclusionOption] = []
        func offer(_ key: Character, _ exclusion: Exclusion) {
            options.append(ExclusionOption(key: key, exclusion: exclusion, isExact: exclusion.isExact && !exclusions.contains(exclusion)))
        }
        offer("a", .action(request.action))
        if let service = request.action.split(separator: ":").first { offer("s", .service(String(service))) }
        if request.resource != "*" { offer("r", .resource(request.resource)) }
        // Callers are part of the question only where the policy names them.
        if policy.role.matchesPrincipals {
            offer("c", .principal(request.principal))
            if let account = request.principal.account { offer("o", .account(account)) }
        }
        show(.exclude(options))
        status = "exclude what? press its key (Esc cancels)"
    }

    private mutating func exclude(_ options: [ExclusionOption], choosing key: Character) -> [ExplorerCommand] {
        show(.source)
        guard let option = options.first(where: { $0.key == key }) else {
            status = "nothing excluded"
            return []
        }
        guard option.isExact else {
            status = exclusions.contains(option.exclusion) ? "already excluded" : "cannot exclude \(option.exclusion.description.dropFirst(4)) exactly; nothing excluded"
            return []
        }
        exclusions.append(option.exclusion)
        end = nil
        return search("searching, \(option.exclusion)…")
    }

    // MARK: Fixes

    private mutating func apply(_ outcome: FixOutcome) {
        fixes.append(AppliedFix(summary: outcome.fix.summary, policy: policy, source: source, found: found, position: position, end: end))
        policy = PolicyUnderTest(outcome.fix.policy, role: policy.role)
        source = outcome.fix.text
        found = []
        position = 0
        end = nil
        switch outcome.reproof {
        case .counterexample(let counterexample): found = [counterexample]
        case .exhausted(let proof): end = .exhausted(proof)
        case .unknown(let reason): end = .unknown(reason)
        }
        show(.fix(outcome))
        status = "fix applied (\(fixes.count)): u undoes it, s saves the edited policy"
    }

    private mutating func undo() {
        guard let last = fixes.popLast() else {
            status = "nothing to undo"
            return
        }
        (policy, source, found, position, end) = (last.policy, last.source, last.found, last.position, last.end)
        show(.source)
        status = "undid: \(last.summary)"
    }

    private mutating func quit() -> [ExplorerCommand] {
        isFinished = true
        return [.quit]
    }

    private mutating func show(_ panel: ExplorerPanel) {
        self.panel = panel
        scroll = 0
    }
}
