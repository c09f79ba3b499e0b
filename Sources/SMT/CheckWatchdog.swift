import CZ3
import Dispatch

/// Enforces a check's time limit, a ``SolverDeadline`` shared with other checks and the
/// ``SolverMemory`` cap, by interrupting the context.
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
final class CheckWatchdog: @unchecked Sendable {
    /// Serializes all watchdog state; shared by every watchdog.
    private static let queue = DispatchQueue(label: "PolicyProver.SMT.CheckWatchdog")

    /// Why a watchdog interrupted its check.
    enum Cause: Equatable {
        /// The check's own time limit.
        case timeout
        /// The shared deadline, with its reason.
        case deadline(String)
        /// Z3's memory passed the ``SolverMemory`` cap, with the reason to give.
        case memory(String)
    }

    /// State touched only on ``queue``.
    private final class State: @unchecked Sendable {
        let box: Z3ContextBox
        var active = true
        var fired: Cause?
        /// The check's own end, if it has a time limit.
        let ownEnd: DispatchTime?
        /// The global deadline's reason and end, once one is known.
        var global: (end: DispatchTime, reason: String)?
        /// The ``SolverMemory`` cap when the check started: polled while the check runs.
        let memoryLimit: UInt64?

        init(box: Z3ContextBox, ownEnd: DispatchTime?, memoryLimit: UInt64?) {
            self.box = box
            self.ownEnd = ownEnd
            self.memoryLimit = memoryLimit
        }
    }

    private let state: State
    private let timer: DispatchSourceTimer
    private let deadline: SolverDeadline?

    /// Starts watching: from `timeout` from now (or the global deadline, if
    /// earlier), the context is interrupted until ``finish()`` is called.
    /// `nil`: no time limit of its own.
    init(box: Z3ContextBox, timeout: Duration?, deadline: SolverDeadline?) {
        let state = State(box: box, ownEnd: timeout.map { .now() + Self.interval($0) }, memoryLimit: SolverMemory.limitBytes)
        self.state = state
        let timer = DispatchSource.makeTimerSource(queue: Self.queue)
        self.timer = timer
        self.deadline = deadline
        // The handler holds the timer until `finish()` cancels it, which releases the handler.
        timer.setEventHandler {
            guard state.active else { return }
            if state.fired == nil {
                let now = DispatchTime.now()
                if let global = state.global, global.end <= now {
                    state.fired = .deadline(global.reason)
                } else if let end = state.ownEnd, end <= now {
                    state.fired = .timeout
                } else if let limit = state.memoryLimit, SolverMemory.inUse > limit {
                    state.fired = .memory(SolverMemory.reason(limit: limit))
                } else {
                    // A memory poll before any end: look again at the next poll or end.
                    Self.schedule(state, timer)
                    return
                }
                Self.schedule(state, timer)
            }
            Z3_interrupt(state.box.raw)
        }
        if let stop = deadline?.register(self) { reschedule(before: stop.instant, reason: stop.reason) }
        Self.queue.sync { Self.schedule(state, timer) }
        timer.resume()
    }

    /// Makes the watchdog fire by `instant` too (the shared deadline moved earlier).
    func reschedule(before instant: ContinuousClock.Instant, reason: String) {
        let remaining = instant - .now
        let end: DispatchTime = remaining <= .zero ? .now() : .now() + Self.interval(remaining)
        Self.queue.async { [state] in
            guard state.active else { return }
            state.global = (end, reason)
            Self.schedule(state, self.timer)
        }
    }

    /// How often Z3's memory is looked at under a cap: most checks end before the first look, and
    /// Z3 cannot allocate much more than the cap in so short a time.
    private static let memoryPoll: DispatchTimeInterval = .milliseconds(20)

    /// Arms the timer (on ``queue``): at the earlier of the two ends, or the next memory poll; once
    /// it has fired, every 2 ms until ``finish()``, since Z3 drops an interrupt that arrives before the
    /// check starts.
    private static func schedule(_ state: State, _ timer: DispatchSourceTimer) {
        if state.fired != nil {
            timer.schedule(deadline: .now(), repeating: .milliseconds(2), leeway: .microseconds(200))
            return
        }
        var ends = [state.ownEnd, state.global?.end].compactMap { $0 }
        if state.memoryLimit != nil { ends.append(.now() + memoryPoll) }
        guard let end = ends.min() else {
            timer.schedule(deadline: .distantFuture)
            return
        }
        timer.schedule(deadline: end, repeating: .never, leeway: .microseconds(200))
    }

    /// Stops the watchdog and reports why it interrupted the check, if it did.
    func finish() -> Cause? {
        deadline?.unregister(self)
        return Self.queue.sync {
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
