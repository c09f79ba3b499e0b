import CZ3

/// Owns one raw reference-counted Z3 context and deletes it when the last
/// owner (an ``SMTContext`` or an ``SMTInterruptHandle``) is released.
///
/// `@unchecked Sendable` only so that ``SMTInterruptHandle`` can carry it to
/// other threads; the only Z3 call made through it from another thread is
/// `Z3_interrupt`, which Z3 documents as thread-safe. Deletion happens when
/// no ``SMTContext``, sort, term, solver or model can use the context any more.
final class Z3ContextBox: @unchecked Sendable {
    let raw: Z3_context

    init(raw: Z3_context) {
        self.raw = raw
    }

    deinit {
        Z3_del_context(raw)
    }
}

/// One Z3 context: the factory for sorts, terms and solvers.
///
/// Guarantees:
/// - Created with `Z3_mk_context_rc`: every ``Sort``, ``Term``, ``Solver`` and
///   ``Model`` owns exactly one Z3 reference to its object and a strong
///   reference to its context, so `Z3_del_context` runs only after all of
///   them have been released.
/// - Z3 never aborts the process: a no-op error handler is installed and the
///   error code is checked after every Z3 call that can fail; a failure is
///   thrown as ``SMTError`` and the code is reset to `Z3_OK`.
/// - Not `Sendable`: use one context per thread / worker (distinct contexts
///   may run concurrently on different threads). Objects of one
///   context must never be combined with objects of another; doing so throws
///   ``SMTError/contextMismatch(operation:)``.
/// - The only cross-thread operation is interruption, via
///   ``interruptHandle``.
public final class SMTContext {
    let box: Z3ContextBox

    /// The raw Z3 context. Valid as long as `self` is alive.
    var raw: Z3_context { box.raw }

    /// `re.allchar`, built once; holds one Z3 reference released in `deinit`
    /// (a raw AST rather than a ``Term`` to avoid a reference cycle).
    var allCharAST: Z3_ast?

    /// Creates a fresh Z3 context with model generation enabled.
    ///
    /// Throws ``SMTError/z3(code:message:)`` if Z3 cannot allocate it.
    public init() throws(SMTError) {
        guard let config = Z3_mk_config() else {
            throw .z3(code: -1, message: "Z3_mk_config returned no configuration")
        }
        defer { Z3_del_config(config) }
        Z3_set_param_value(config, "model", "true")
        guard let context = Z3_mk_context_rc(config) else {
            throw .z3(code: -1, message: "Z3_mk_context_rc returned no context")
        }
        // A C-convention no-op handler: Z3 records the error code and returns
        // instead of aborting; we inspect the code after each call.
        Z3_set_error_handler(context) { _, _ in }
        box = Z3ContextBox(raw: context)
    }

    deinit {
        // Runs before `box` (and so `Z3_del_context`) is released.
        if let allCharAST {
            Z3_dec_ref(raw, allCharAST)
        }
    }

    /// Asks Z3 to stop the computation currently running in this context as
    /// soon as possible (`Z3_interrupt`). A running ``Solver/check(assumptions:timeout:)``
    /// then returns ``SatResult/unknown(reason:)`` ("interrupted" in Z3
    /// 4.8.12). An interrupt that arrives while no check runs does not affect
    /// the next check; the evaluations it would make fail in Z3 4.8.12
    /// (simplify, model evaluation, parsing) are transparently retried.
    ///
    /// `Z3_interrupt` itself is thread-safe, but `SMTContext` is not
    /// `Sendable`; to interrupt from another thread or task, pass
    /// ``interruptHandle`` there instead.
    public func interrupt() {
        Z3_interrupt(raw)
    }

    /// A `Sendable` handle that can interrupt this context from any thread.
    /// It keeps the underlying Z3 context alive, so it is always safe to use.
    public var interruptHandle: SMTInterruptHandle {
        SMTInterruptHandle(box: box)
    }

    /// The full version string of the linked Z3 library, e.g. "4.8.12.0".
    public static var z3Version: String {
        guard let version = Z3_get_full_version() else { return "unknown" }
        return String(cString: version)
    }
}

@available(*, unavailable, message: "SMTContext is confined to one thread; use interruptHandle to cross threads")
extension SMTContext: Sendable {}

/// A thread-safe handle whose only ability is to interrupt one context.
///
/// Guarantees: calling ``interrupt()`` from any thread at any time is safe;
/// the handle keeps the Z3 context alive until the handle is released.
public struct SMTInterruptHandle: Sendable {
    let box: Z3ContextBox

    /// Calls `Z3_interrupt` on the context: a check running at this moment
    /// returns ``SatResult/unknown(reason:)`` soon after. An interrupt that
    /// arrives while no check runs does not carry over to the next check, so
    /// callers racing a check's start should repeat it.
    public func interrupt() {
        Z3_interrupt(box.raw)
    }
}
