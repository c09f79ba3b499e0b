import CZ3

/// An incremental Z3 solver (`Z3_mk_solver`).
///
/// Guarantees:
/// - Owns exactly one Z3 reference to the solver and keeps its context alive.
/// - Only Bool terms of the same context can be asserted or assumed.
/// - ``check(assumptions:timeout:)`` never turns "unknown" into sat or
///   unsat, and a timeout applies to that one check only.
/// - Not `Sendable`; interrupt a running check with
///   ``SMTContext/interruptHandle``.
/// - A check that ran out of time never harms later checks: Z3 4.8.12 can
///   leave an interrupted solver in a state in which a later check crashes,
///   so after a timeout the solver is replaced by a fresh one holding the same
///   assertions in the same scopes.
public final class Solver: CustomStringConvertible {
    /// The context the solver works in.
    public let context: SMTContext
    private(set) var raw: Z3_solver
    /// The number of open ``push()`` scopes.
    public var scopeDepth: Int { scopes.count - 1 }
    /// The assertions of each scope, outermost first: what a replacement solver replays.
    private var scopes: [[Term]] = [[]]

    /// Creates an empty general-purpose solver in `context`.
    public init(context: SMTContext) throws(SMTError) {
        self.context = context
        self.raw = try Self.makeSolver(context)
    }

    private static func makeSolver(_ context: SMTContext) throws(SMTError) -> Z3_solver {
        let solver = Z3_mk_solver(context.raw)
        try context.checkError()
        guard let solver else { throw .z3(code: -1, message: "Z3_mk_solver returned no solver") }
        Z3_solver_inc_ref(context.raw, solver)
        // Z3 would otherwise install a process-wide SIGINT handler during
        // every check, which is not safe with several workers.
        do {
            try setParameter("ctrl_c", false, solver: solver, context: context)
        } catch {
            Z3_solver_dec_ref(context.raw, solver)
            throw error
        }
        return solver
    }

    /// Replaces the Z3 solver by a fresh one with the same scopes and assertions.
    private func replaceAfterInterruption() throws(SMTError) {
        let fresh = try Self.makeSolver(context)
        Z3_solver_dec_ref(context.raw, raw)
        raw = fresh
        for (depth, assertions) in scopes.enumerated() {
            if depth > 0 {
                Z3_solver_push(context.raw, raw)
                try context.checkError()
            }
            for assertion in assertions {
                Z3_solver_assert(context.raw, raw, assertion.raw)
                try context.checkError()
            }
        }
    }

    deinit {
        Z3_solver_dec_ref(context.raw, raw)
    }

    /// Asserts `assertion` (a Bool term) in the current scope.
    public func add(_ assertion: Term) throws(SMTError) {
        try context.require([assertion], are: .bool, "Solver.add")
        Z3_solver_assert(context.raw, raw, assertion.raw)
        try context.checkError()
        scopes[scopes.count - 1].append(assertion)
    }

    /// Asserts every term of `assertions` (all Bool) in the current scope.
    public func add(_ assertions: [Term]) throws(SMTError) {
        try context.require(assertions, are: .bool, "Solver.add")
        for assertion in assertions {
            try add(assertion)
        }
    }

    /// Opens a backtracking scope; assertions added afterwards are removed by
    /// the matching ``pop(_:)``.
    public func push() throws(SMTError) {
        Z3_solver_push(context.raw, raw)
        try context.checkError()
        scopes.append([])
    }

    /// Closes the `count` innermost scopes, removing their assertions.
    /// Throws ``SMTError/invalidArgument(_:)`` if fewer scopes are open.
    public func pop(_ count: Int = 1) throws(SMTError) {
        guard count >= 0, count <= scopeDepth else {
            throw .invalidArgument("cannot pop \(count) scope(s); \(scopeDepth) open")
        }
        guard count > 0 else { return }
        Z3_solver_pop(context.raw, raw, UInt32(count))
        try context.checkError()
        scopes.removeLast(count)
    }

    /// Removes all assertions and scopes.
    public func reset() throws(SMTError) {
        Z3_solver_reset(context.raw, raw)
        try context.checkError()
        scopes = [[]]
    }

    /// Decides the current assertions together with `assumptions` (Bool
    /// terms that hold for this check only).
    ///
    /// `timeout` bounds this check; `nil` means no limit. When it expires the
    /// result is ``SatResult/unknown(reason:)`` with reason "timeout". A
    /// check stopped through ``SMTContext/interruptHandle`` returns
    /// ``SatResult/unknown(reason:)`` with Z3's reason ("interrupted" in Z3
    /// 4.8.12; "canceled" in later versions). Once `deadline` (shared by many
    /// checks) has passed, the result is ``SatResult/unknown(reason:)`` with its reason. Throws
    /// ``SMTError/invalidArgument(_:)`` for a negative timeout and
    /// ``SMTError`` for Z3 failures.
    ///
    /// The limit is enforced with `Z3_interrupt` from a watchdog, never
    /// with Z3's "timeout" parameter (racy in 4.8.12; see `CheckWatchdog`).
    public func check(assumptions: [Term] = [], timeout: Duration? = nil, deadline: SolverDeadline? = nil) throws(SMTError) -> SatResult {
        try context.require(assumptions, are: .bool, "Solver.check")
        if let timeout, timeout < .zero {
            throw .invalidArgument("negative timeout \(timeout)")
        }

        if let stop = deadline?.passed { return .unknown(reason: stop.reason) }
        let handles: [Z3_ast?] = assumptions.map { $0.raw }
        let watchdog = CheckWatchdog(box: context.box, timeout: timeout, deadline: deadline)
        let outcome = withExtendedLifetime(assumptions) {
            handles.withUnsafeBufferPointer { buffer in
                buffer.isEmpty
                    ? Z3_solver_check(context.raw, raw)
                    : Z3_solver_check_assumptions(context.raw, raw, UInt32(buffer.count), buffer.baseAddress)
            }
        }
        let interruption = watchdog.finish()
        try context.checkError()
        if interruption != nil {
            // The watchdog may have fired just after the check returned,
            // which would make later evaluations fail with "canceled".
            try context.clearInterruption()
            if outcome != Z3_L_TRUE && outcome != Z3_L_FALSE { try replaceAfterInterruption() }
        }

        switch outcome {
        case Z3_L_TRUE:
            let model = Z3_solver_get_model(context.raw, raw)
            try context.checkError()
            guard let model else { throw .z3(code: -1, message: "Z3_solver_get_model returned no model") }
            return .sat(Model(context: context, raw: model))
        case Z3_L_FALSE:
            return .unsat
        default:
            let reason = try context.string(
                "Z3_solver_get_reason_unknown", Z3_solver_get_reason_unknown(context.raw, raw))
            switch interruption {
            case .timeout: return .unknown(reason: "timeout")
            case .deadline(let why), .memory(let why): return .unknown(reason: why)
            case nil: return .unknown(reason: reason)
            }
        }
    }

    /// The solver's assertions in SMT-LIB form (debugging only).
    public var description: String {
        (try? context.string("Z3_solver_to_string", Z3_solver_to_string(context.raw, raw))) ?? "<solver>"
    }

    /// Sets one Boolean solver parameter.
    private static func setParameter(_ name: String, _ value: Bool, solver raw: Z3_solver, context: SMTContext) throws(SMTError) {
        let params = Z3_mk_params(context.raw)
        try context.checkError()
        guard let params else { throw .z3(code: -1, message: "Z3_mk_params returned no parameter set") }
        Z3_params_inc_ref(context.raw, params)
        defer { Z3_params_dec_ref(context.raw, params) }
        let symbol = try context.symbol(name)
        Z3_params_set_bool(context.raw, params, symbol, value)
        try context.checkError()
        Z3_solver_set_params(context.raw, raw, params)
        try context.checkError()
    }
}

@available(*, unavailable, message: "Solvers are confined to their context's thread")
extension Solver: Sendable {}
