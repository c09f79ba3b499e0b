import PolicyLanguage
import PolicyVerifier

/// A key the explorer reacts to, decoded from the terminal's bytes.
public enum ExplorerKey: Sendable, Equatable {
    case character(Character)
    case escape
    case enter
    case up, down, pageUp, pageDown
    /// Ctrl-C: quit at once (the terminal is restored by the terminal layer).
    case interrupt
}

/// Something the explorer asks for and cannot do itself: the engine (proofs) or the terminal layer
/// (files, quitting) carries it out and answers with an `ExplorerEvent`.
public enum ExplorerCommand: Sendable {
    /// The next counterexample of the current policy, the shown ones blocked, the exclusions applied.
    case search(policy: PolicyUnderTest, shown: [Request], exclusions: [Exclusion])
    /// What the granting statements of the counterexample grant.
    case generalize(policy: PolicyUnderTest, Counterexample)
    /// The evaluator's trace of the counterexample.
    case explain(policy: PolicyUnderTest, Counterexample)
    /// A fix of the current policy for the counterexample, re-proved with the exclusions.
    case suggestFix(policy: PolicyUnderTest, source: String, Counterexample, exclusions: [Exclusion])
    /// Write the edited policy's source.
    case save(source: String)
    /// Write the counterexamples found so far, and the proof when the search is over; `earlier`: those
    /// found before each fix, with the fix that followed them.
    case export([Counterexample], end: ExplorationEnd?, earlier: [(fix: String, found: [Counterexample])])
    case quit
}

/// What came back from a command, or a key.
public enum ExplorerEvent: Sendable {
    case key(ExplorerKey)
    case answer(ExplorationAnswer)
    case generalized([StatementGrant])
    case explained([PolicyTrace])
    case fixed(FixOutcome)
    /// No fix closes the counterexample (the reason says what was tried).
    case noFix(String)
    /// A file was written (`what`: "policy", "counterexamples").
    case wrote(what: String, path: String)
    case failed(String)
}

/// How the search ended, when it has.
public enum ExplorationEnd: Sendable {
    case exhausted(ExhaustionProof)
    case unknown(UnknownReason)
}

/// One policy's statements as the evaluator matched them against a counterexample.
public struct PolicyTrace: Sendable {
    public var label: String
    public var file: String
    public var allows: Bool
    public var statements: [StatementTrace]
}

/// A fix the engine chose and proved.
public struct FixOutcome: Sendable {
    public var fix: PolicyFix
    /// The property re-proved on the edited policy (exclusions kept, nothing blocked).
    public var reproof: ExplorationAnswer
    /// The other edits that would also close the counterexample.
    public var alternatives: [String]
}

/// What the lower pane shows.
public enum ExplorerPanel: Sendable {
    /// The policy source, granting statements highlighted.
    case source
    case help
    case why([PolicyTrace])
    case generalization([StatementGrant])
    case fix(FixOutcome)
    /// Choosing what to exclude: each option with its key.
    case exclude([ExclusionOption])
}

/// One entry of the exclusion menu.
public struct ExclusionOption: Sendable {
    public var key: Character
    public var exclusion: Exclusion
    /// `false` when the value cannot be excluded exactly (shown, not selectable).
    public var isExact: Bool
}
