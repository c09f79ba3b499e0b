import PolicyLanguage
import PolicyVerifier

/// Carries out the explorer's proof commands with the real prover and evaluator. It holds no state:
/// every command brings the policy and counterexample it is about.
public struct ExplorerEngine: Sendable {
    public var prover: Prover
    public var property: ExplorationProperty
    /// The account that owns the explored resource, for fixes that keep access within it.
    public var ownerAccount: String?

    public init(prover: Prover, property: ExplorationProperty, ownerAccount: String? = nil) {
        self.prover = prover
        self.property = property
        self.ownerAccount = ownerAccount
    }

    /// The answer to `command`; `nil` for the commands the terminal layer carries out (save, export, quit).
    public func run(_ command: ExplorerCommand) -> ExplorerEvent? {
        switch command {
        case .search(let policy, let shown, let exclusions):
            return .answer(prover.nextCounterexample(of: policy, property, after: shown, excluding: exclusions))
        case .generalize(let policy, let counterexample):
            return .generalized(prover.generalize(counterexample, policy: policy))
        case .explain(let policy, let counterexample):
            return .explained(traces(counterexample.request, policy: policy))
        case .suggestFix(let policy, let source, let counterexample, let exclusions):
            return fix(counterexample, policy: policy, source: source, exclusions: exclusions)
        case .save, .export, .quit:
            return nil
        }
    }

    /// The evaluator's trace for each policy the property reads, the explored one first.
    func traces(_ request: Request, policy: PolicyUnderTest) -> [PolicyTrace] {
        let evaluator = PolicyEvaluator(catalog: prover.catalog)
        var policies: [(String, PolicyUnderTest)] = [(property.exploredLabel, policy)]
        switch property {
        case .never(let scope): policies.append(("scope", PolicyUnderTest(scope: scope)))
        case .only(let bound): policies.append(("bound", PolicyUnderTest(scope: bound)))
        case .noNewAccess(let old): policies.append(("old", old))
        case .noPublicAccess, .noExternalAccess: break
        }
        return policies.map { label, policy in
            let (outcome, statements) = evaluator.trace(of: policy.policy, role: policy.role, request: request)
            return PolicyTrace(label: label, file: policy.policy.file, allows: outcome.allows, statements: statements)
        }
    }

    /// The best edit that closes `counterexample`: the first candidate under which the property holds
    /// again, else the first that at least closes this request. Every candidate must decode and
    /// validate, and the evaluator must confirm that the edited policy no longer allows the request.
    func fix(_ counterexample: Counterexample, policy: PolicyUnderTest, source: String, exclusions: [Exclusion]) -> ExplorerEvent {
        guard source.drop(while: \.isWhitespace).first == "{" else {
            return .noFix("fixes are written into JSON policies; this one is not JSON")
        }
        let candidates = FixCandidates(counterexample: counterexample, policy: policy.policy, role: policy.role, source: source, property: property, catalog: prover.catalog, owner: ownerAccount)
        let evaluator = PolicyEvaluator(catalog: prover.catalog)
        let validator = PolicyValidator(catalog: prover.catalog)
        var closing: [(fix: PolicyFix, reproof: ExplorationAnswer)] = []
        for candidate in candidates.all() {
            guard let text = candidate.edits.applied(to: source) else { continue }
            let parsed = PolicyParser.parse(text: text, file: policy.policy.file)
            guard parsed.isEvaluable, let edited = parsed.policy else { continue }
            let report = validator.report(for: ParsedPolicy(file: policy.policy.file, policy: edited, findings: []), as: edited.inferType().type)
            guard !report.findings.contains(where: { $0.severity == .error }) else { continue }
            guard !evaluator.applicableStatements(of: edited, role: policy.role, request: counterexample.request).allows else { continue }
            let fix = PolicyFix(kind: candidate.kind, summary: candidate.summary, text: text, policy: edited, diff: LineDiff.lines(from: source, to: text))
            let reproof = prover.nextCounterexample(of: PolicyUnderTest(edited, role: policy.role), property, excluding: exclusions)
            closing.append((fix, reproof))
            if case .exhausted = reproof { break }
        }
        guard !closing.isEmpty else {
            return .noFix("no edit found that closes this request (tried: a condition on the caller, narrowing a wildcard, a Deny)")
        }
        let chosen = closing.firstIndex { if case .exhausted = $0.reproof { true } else { false } } ?? 0
        let alternatives = closing.indices.filter { $0 != chosen }.map { closing[$0].fix.summary }
        return .fixed(FixOutcome(fix: closing[chosen].fix, reproof: closing[chosen].reproof, alternatives: alternatives))
    }
}
