/// The outcome of ``Solver/check(assumptions:timeout:)``.
///
/// Guarantees: ``unknown(reason:)`` is never collapsed into ``sat(_:)`` or
/// ``unsat``; callers must handle it explicitly.
public enum SatResult: CustomStringConvertible {
    /// The assertions are satisfiable; the model witnesses it.
    case sat(Model)
    /// The assertions (with the assumptions) are unsatisfiable.
    case unsat
    /// Z3 could not decide; `reason` is Z3's explanation
    /// (`Z3_solver_get_reason_unknown`, e.g. "timeout" or "canceled").
    case unknown(reason: String)

    /// The model if the result is ``sat(_:)``, otherwise `nil`.
    public var model: Model? {
        if case let .sat(model) = self { return model }
        return nil
    }

    /// Whether the result is ``sat(_:)``.
    public var isSat: Bool { model != nil }

    /// Whether the result is ``unsat``.
    public var isUnsat: Bool {
        if case .unsat = self { return true }
        return false
    }

    /// The reason if the result is ``unknown(reason:)``, otherwise `nil`.
    public var unknownReason: String? {
        if case let .unknown(reason) = self { return reason }
        return nil
    }

    /// "sat", "unsat" or "unknown (reason)".
    public var description: String {
        switch self {
        case .sat: return "sat"
        case .unsat: return "unsat"
        case let .unknown(reason): return "unknown (\(reason))"
        }
    }
}

@available(*, unavailable, message: "Results hold models, which are confined to their context's thread")
extension SatResult: Sendable {}
