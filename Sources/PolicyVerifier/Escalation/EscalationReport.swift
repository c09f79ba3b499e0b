/// One step of a found escalation: a request the principal's policies allow, which the concrete
/// evaluator decided (Allow) under all of the principal's policies.
public struct EscalationStepWitness: Sendable {
    /// The position of the step in `EscalationMethod.steps`.
    public var step: Int
    /// The action of the request (one of the step's alternatives).
    public var action: String
    /// The request and, for each of the principal's policies, the statements that apply to it (the
    /// granting statements are the `allowing` ones).
    public var counterexample: Counterexample
}

/// An escalation method the principal's policies allow: every step has a certified request, all by
/// the same principal in one account, on the same resource where the method needs it.
public struct EscalationFinding: Sendable {
    public var method: EscalationMethod
    /// One witness per step, in step order.
    public var steps: [EscalationStepWitness]
}

/// The answer of `Prover.privilegeEscalation`.
public struct EscalationReport: Sendable {
    /// `.pass`: Z3 proved every method of the catalogue impossible; `.fail`: some method was found (the
    /// counterexamples of every finding's steps); `.unknown`: none found, some not decided.
    public var verdict: Verdict
    public var findings: [EscalationFinding]
    /// Methods neither found nor proved impossible, with the reason.
    public var unknown: [(method: EscalationMethod, reason: UnknownReason)]
    /// Methods proved impossible: some step is allowed on no compatible resource (or, for steps on one
    /// resource, on no resource both are allowed on).
    public var provedAbsent: [EscalationMethod]

    public init(verdict: Verdict, findings: [EscalationFinding], unknown: [(method: EscalationMethod, reason: UnknownReason)], provedAbsent: [EscalationMethod]) {
        self.verdict = verdict
        self.findings = findings
        self.unknown = unknown
        self.provedAbsent = provedAbsent
    }

    /// Whether the method with `id` was found.
    public func found(_ id: String) -> Bool { findings.contains { $0.method.id == id } }
}
