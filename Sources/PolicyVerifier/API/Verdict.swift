import PolicyLanguage

/// Why a property could not be decided. UNKNOWN is never PASS: every reason here makes a command exit 3.
public enum UnknownReason: Error, Sendable, Equatable, CustomStringConvertible {
    /// Z3 did not answer within the time limit.
    case timeout(seconds: Double)
    /// Z3 gave up for another reason (its own words).
    case solver(String)
    /// A construct the encoder cannot represent exactly, where it was written.
    case unsupported(String, at: SourceSpan)
    /// A pattern set too intricate to split into finitely many classes within the budget.
    case tooComplex(String)
    /// The run's shared deadline passed, or the user stopped the run, before an answer (the reason says which).
    case stopped(String)
    /// The solver's counterexample was not confirmed by the concrete evaluator: a bug in PolicyProver,
    /// never reported as a finding.
    case internalError(String)

    public var description: String {
        switch self {
        case .timeout(let seconds): "the solver did not answer within \(seconds) s"
        case .solver(let reason): "the solver gave up: \(reason)"
        case .unsupported(let what, let span): "\(span.file):\(span.start.line):\(span.start.column): not supported by the prover: \(what)"
        case .tooComplex(let what): "too complex to decide: \(what)"
        case .stopped(let why): "stopped before an answer: \(why)"
        case .internalError(let what): "internal error (please report): \(what)"
        }
    }
}

/// The outcome of proving one property.
public enum Verdict: Sendable {
    /// The property holds for every request: Z3 proved it (unsat).
    case pass
    /// The property fails; each counterexample was certified by the concrete evaluator.
    case fail([Counterexample])
    /// Neither proved nor refuted.
    case unknown(UnknownReason)

    public var isPass: Bool { if case .pass = self { true } else { false } }
    public var isFail: Bool { if case .fail = self { true } else { false } }
}

/// A policy as the prover sees it: the document and the part it plays in deciding requests.
public struct PolicyUnderTest: Sendable {
    public var policy: Policy
    /// `resource` for resource-based and trust policies (principals are matched), `identity` for
    /// identity-side policies (identity, boundary, session, SCP).
    public var role: PolicyRole

    public init(_ policy: Policy, role: PolicyRole) {
        self.policy = policy
        self.role = role
    }

    /// The role implied by a policy type.
    public init(_ policy: Policy, type: PolicyType) {
        self.policy = policy
        switch type {
        case .resource, .trust: role = .resource
        case .rcp: role = .rcp
        case .scp: role = .scp
        case .boundary: role = .permissionsBoundary
        case .session: role = .session
        case .identity: role = .identity
        }
    }

    /// The role inferred from the document (principals named → resource policy).
    public init(inferringRoleOf policy: Policy) {
        self.init(policy, type: policy.inferType().type)
    }
}
