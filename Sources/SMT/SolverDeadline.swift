import CZ3
import Synchronization

/// An end shared by many solver checks, on top of each check's own time limit: a run's global
/// deadline, or "stop now" when the user interrupts. Pass it to ``Solver/check(assumptions:timeout:deadline:)``.
///
/// Guarantees:
/// - Once the deadline has passed, every running check given this deadline is interrupted (within a
///   few milliseconds) and returns ``SatResult/unknown(reason:)`` with the deadline's reason; a check
///   that starts afterwards returns it at once, without calling Z3.
/// - A deadline never turns an answer into another one: it only keeps sat/unsat from being reached.
/// - Safe to use from any thread, but not from a signal handler (use a Dispatch signal source).
public final class SolverDeadline: Sendable {
    /// When the checks end and the reason they then give.
    public struct Stop: Sendable, Equatable {
        public var instant: ContinuousClock.Instant
        public var reason: String
    }

    private struct State {
        var stop: Stop?
        /// The watchdogs of the checks running now, by identity.
        var running: [ObjectIdentifier: CheckWatchdog] = [:]
    }

    private let state: Mutex<State>

    /// A deadline at `instant`, or none yet (`nil`: only ``stopNow(reason:)`` or ``set(_:reason:)`` end the checks).
    public init(_ instant: ContinuousClock.Instant? = nil, reason: String = "the deadline passed") {
        state = Mutex(State(stop: instant.map { Stop(instant: $0, reason: reason) }))
    }

    /// Ends the checks at `instant` (an earlier end set before stays in force).
    public func set(_ instant: ContinuousClock.Instant, reason: String) {
        let running: [CheckWatchdog] = state.withLock { state in
            if let current = state.stop, current.instant <= instant { return [] }
            state.stop = Stop(instant: instant, reason: reason)
            return Array(state.running.values)
        }
        for watchdog in running { watchdog.reschedule(before: instant, reason: reason) }
    }

    /// Stops every check now (an interrupt by the user, a termination request).
    public func stopNow(reason: String) {
        set(.now, reason: reason)
    }

    /// The end when it has passed, else `nil`.
    public var passed: Stop? {
        state.withLock { state in
            guard let stop = state.stop, stop.instant <= .now else { return nil }
            return stop
        }
    }

    /// Registers a starting check; returns the end in force so that its watchdog can fire by then.
    func register(_ watchdog: CheckWatchdog) -> Stop? {
        state.withLock { state in
            state.running[ObjectIdentifier(watchdog)] = watchdog
            return state.stop
        }
    }

    func unregister(_ watchdog: CheckWatchdog) {
        _ = state.withLock { $0.running.removeValue(forKey: ObjectIdentifier(watchdog)) }
    }
}

/// The process-wide cap on the memory Z3 may hold, all contexts together.
///
/// Guarantees: while Z3's own count of its allocations (`Z3_get_estimated_alloc_size`) is above the
/// cap, every running check is interrupted within a few milliseconds and returns
/// ``SatResult/unknown(reason:)`` naming the limit; the process keeps running and the memory is
/// released with the contexts. No cap is the default.
///
/// Why not Z3's `memory_max_size`: it makes Z3 4.8.12 throw from whichever allocation passes the cap,
/// which leaves half-built objects behind; later calls on the same context crash (seen here: a
/// segmentation fault in libz3 auditing the managed policies with a 20 MiB cap). Interrupting a check
/// is the one way to stop Z3 that it is built to survive.
public enum SolverMemory {
    private static let limit = Atomic<UInt64>(0)

    /// Caps Z3's memory at `bytes`; `nil` or 0 lifts the cap.
    public static func setLimit(bytes: Int?) {
        limit.store(UInt64(max(0, bytes ?? 0)), ordering: .relaxed)
    }

    /// The cap in bytes, `nil` when there is none.
    public static var limitBytes: UInt64? {
        let value = limit.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// What Z3 holds now, by its own count, in bytes.
    public static var inUse: UInt64 { Z3_get_estimated_alloc_size() }

    /// The reason a check stopped by the cap gives.
    static func reason(limit: UInt64) -> String {
        "Z3's memory limit of \(limit >> 20) MiB was reached"
    }
}
