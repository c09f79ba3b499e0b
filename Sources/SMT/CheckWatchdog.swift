import CZ3
import Dispatch

/// Enforces a per-check time limit by interrupting the context.
///
/// Why not Z3's own "timeout" parameter: in Z3 4.8.12 it is implemented by
/// `scoped_timer`, whose worker-thread pool is racy (a global used as the
/// compare-exchange "expected" value gets overwritten; a worker can be queued
/// twice). Repeated timed checks deadlock inside `Z3_solver_check` or hang
/// the process at exit (fixed upstream after 4.8.12, Z3Prover/z3#5371). So
/// this module never sets "timeout" and uses `Z3_interrupt` instead.
///
/// Guarantees: after ``finish()`` returns, this watchdog never touches the
/// context again. Z3 drops an interrupt that arrives while no check runs, so
/// once the deadline has passed the interrupt is repeated every few
/// milliseconds until the check returns.
final class CheckWatchdog {
    /// Serializes all watchdog state; shared by every watchdog.
    private static let queue = DispatchQueue(label: "PolicyProver.SMT.CheckWatchdog")

    /// State touched only on ``queue``.
    private final class State: @unchecked Sendable {
        let box: Z3ContextBox
        var active = true
        var fired = false

        init(box: Z3ContextBox) {
            self.box = box
        }
    }

    private let state: State
    private let timer: DispatchSourceTimer

    /// Starts watching: from `timeout` from now, the context is interrupted
    /// until ``finish()`` is called.
    init(box: Z3ContextBox, timeout: Duration) {
        let state = State(box: box)
        self.state = state
        timer = DispatchSource.makeTimerSource(queue: Self.queue)
        timer.schedule(
            deadline: .now() + Self.interval(timeout),
            repeating: .milliseconds(2),
            leeway: .microseconds(200))
        timer.setEventHandler {
            guard state.active else { return }
            state.fired = true
            Z3_interrupt(state.box.raw)
        }
        timer.resume()
    }

    /// Stops the watchdog and reports whether it interrupted the check.
    func finish() -> Bool {
        Self.queue.sync {
            state.active = false
            timer.cancel()
            return state.fired
        }
    }

    /// `timeout` as a Dispatch interval, saturating at `Int.max` ns.
    private static func interval(_ timeout: Duration) -> DispatchTimeInterval {
        let (seconds, attoseconds) = timeout.components
        let (wholeNanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow, seconds >= 0 else { return .nanoseconds(Int.max) }
        let (total, overflow2) = wholeNanos.addingReportingOverflow(attoseconds / 1_000_000_000)
        guard !overflow2 else { return .nanoseconds(Int.max) }
        return .nanoseconds(Int(clamping: max(total, 0)))
    }
}
