import Foundation
import Testing
@testable import SMT

@Suite("A deadline shared by many checks")
struct SolverDeadlineTests {
    @Test("stopping now interrupts running checks on other threads with the deadline's reason")
    func stopNowInterruptsRunningChecks() throws {
        let deadline = SolverDeadline()
        let results = LockedResults()
        let threads = (0..<2).map { _ in
            Thread {
                do {
                    let context = try SMTContext()
                    let solver = try Solver(context: context)
                    try solver.add(SolverTests.hardProblem(context))
                    results.append(try solver.check(timeout: .seconds(60), deadline: deadline).unknownReason ?? "decided")
                } catch {
                    results.append("error: \(error)")
                }
            }
        }
        threads.forEach { $0.start() }
        Thread.sleep(forTimeInterval: 0.3)
        let stopped = ContinuousClock.now
        deadline.stopNow(reason: "interrupted by the user")
        while results.count < 2, ContinuousClock.now - stopped < .seconds(20) { Thread.sleep(forTimeInterval: 0.01) }
        #expect(ContinuousClock.now - stopped < .seconds(5))
        #expect(results.values == ["interrupted by the user", "interrupted by the user"])
        #expect(deadline.passed?.reason == "interrupted by the user")
    }

    @Test("a check that starts after the deadline returns its reason without deciding")
    func checksAfterTheDeadlineAreUnknown() throws {
        let deadline = SolverDeadline(.now - .seconds(1), reason: "the run's deadline passed")
        let context = try SMTContext()
        let solver = try Solver(context: context)
        let x = try context.intConstant("x")
        try solver.add(x.gt(context.int(1)))
        #expect(try solver.check(deadline: deadline).unknownReason == "the run's deadline passed")
        // The same solver answers once it is no longer bound by the deadline.
        #expect(try solver.check(timeout: .seconds(5)).isSat)
    }

    @Test("a deadline in the future cuts a long check short and keeps the earlier end")
    func aFutureDeadlineEndsALongCheck() throws {
        let deadline = SolverDeadline(.now + .milliseconds(200), reason: "deadline")
        deadline.set(.now + .seconds(3600), reason: "later")
        let context = try SMTContext()
        let solver = try Solver(context: context)
        try solver.add(SolverTests.hardProblem(context))
        let started = ContinuousClock.now
        #expect(try solver.check(timeout: .seconds(60), deadline: deadline).unknownReason == "deadline")
        #expect(ContinuousClock.now - started < .seconds(5))
        // The check's own time limit still reads as a timeout when it comes first.
        let distant = SolverDeadline(.now + .seconds(3600))
        #expect(try solver.check(timeout: .milliseconds(50), deadline: distant).unknownReason == "timeout")
    }

    @Test("an easy check under a distant deadline is decided")
    func easyChecksAreDecided() throws {
        let deadline = SolverDeadline(.now + .seconds(3600))
        let context = try SMTContext()
        let solver = try Solver(context: context)
        let x = try context.intConstant("x")
        try solver.add(x.gt(context.int(1)))
        for _ in 0..<50 { #expect(try solver.check(timeout: .seconds(5), deadline: deadline).isSat) }
        try solver.add(x.lt(context.int(0)))
        #expect(try solver.check(deadline: deadline).isUnsat)
    }
}

/// Results appended from several threads.
final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ item: String) { lock.withLock { items.append(item) } }
    var values: [String] { lock.withLock { items } }
    var count: Int { lock.withLock { items.count } }
}
