import Foundation
import SMT
import Testing

@Suite("Solver")
struct SolverTests {
    @Test("push/pop changes the answer")
    func pushPop() throws {
        let context = try SMTContext()
        let x = try context.intConstant("x")
        let solver = try Solver(context: context)
        try solver.add(x.gt(context.int(5)))
        #expect(try solver.check().isSat)
        try solver.push()
        #expect(solver.scopeDepth == 1)
        try solver.add(x.lt(context.int(3)))
        #expect(try solver.check().isUnsat)
        try solver.pop()
        #expect(solver.scopeDepth == 0)
        let model = try #require(try solver.check().model)
        #expect(try #require(try model.int(x)) > 5)

        let error = #expect(throws: SMTError.self) { try solver.pop() }
        #expect(error?.isInvalidArgument == true)
        try solver.push()
        try solver.push()
        try solver.add(context.bool(false))
        try solver.pop(2)
        #expect(try solver.check().isSat)
        try solver.reset()
        try solver.add(x.lt(context.int(0)))
        #expect(try solver.check().model?.int(x).map { $0 < 0 } == true)
    }

    @Test("assumptions hold for one check only")
    func assumptions() throws {
        let context = try SMTContext()
        let p = try context.boolConstant("p")
        let q = try context.boolConstant("q")
        let solver = try Solver(context: context)
        try solver.add(context.and([p, q]).not())
        #expect(try solver.check(assumptions: [p]).model?.bool(q) == false)
        #expect(try solver.check(assumptions: [p, q]).isUnsat)
        #expect(try solver.check(assumptions: [q]).model?.bool(p) == false)
        #expect(try solver.check().isSat)
        #expect(throws: SMTError.self) { try solver.check(assumptions: [context.int(1)]) }
    }

    /// Factoring a 64-bit semiprime (two 32-bit primes): takes Z3 seconds.
    static func hardProblem(_ context: SMTContext) throws -> [Term] {
        let x = try context.bitVectorConstant("x", width: 64)
        let y = try context.bitVectorConstant("y", width: 64)
        let limit = try context.bitVector(1 << 32, width: 64)
        let one = try context.bitVector(1, width: 64)
        let n = try context.bitVector(4_294_967_291 * 4_294_967_279, width: 64)
        return [try x.bvULT(limit), try y.bvULT(limit), try x.bvUGT(one), try y.bvUGT(one), try x.bvMul(y).eq(n)]
    }

    @Test("a timeout yields unknown(\"timeout\"), repeatedly, and the context stays usable")
    func timeout() throws {
        let context = try SMTContext()
        let solver = try Solver(context: context)
        try solver.add(Self.hardProblem(context))
        for milliseconds in [1, 1, 10, 1] {
            let start = ContinuousClock.now
            let result = try solver.check(timeout: .milliseconds(milliseconds))
            #expect(result.unknownReason == "timeout", "got \(result)")
            #expect(ContinuousClock.now - start < .seconds(2))
        }
        let x = try context.intConstant("x")
        #expect(try check(context, [x.gt(context.int(1))], timeout: .seconds(5)).isSat)
        #expect(throws: SMTError.self) { try solver.check(timeout: .milliseconds(-1)) }
    }

    @Test("after a timeout the solver keeps its assertions and scopes, and later checks are sound")
    func timeoutKeepsAssertionsAndScopes() throws {
        let context = try SMTContext()
        let solver = try Solver(context: context)
        let x = try context.intConstant("x")
        try solver.add(x.gt(context.int(10)))
        try solver.push()
        try solver.add(Self.hardProblem(context))
        #expect(try solver.check(timeout: .milliseconds(5)).unknownReason == "timeout")
        #expect(solver.scopeDepth == 1)
        try solver.add(x.lt(context.int(5)))
        // The outer assertion survived the replacement, the inner scope too.
        #expect(try solver.check(timeout: .seconds(5)).isUnsat)
        try solver.pop()
        #expect(solver.scopeDepth == 0)
        let model = try #require(try solver.check(assumptions: [try x.lt(context.int(12))], timeout: .seconds(5)).model)
        #expect(try model.int(x) == 11)
        #expect(try solver.check(assumptions: [try x.lt(context.int(11))], timeout: .seconds(5)).isUnsat)
    }

    @Test("interrupt from another thread yields unknown with Z3's reason")
    func interruptFromAnotherThread() throws {
        let context = try SMTContext()
        let solver = try Solver(context: context)
        try solver.add(Self.hardProblem(context))

        let done = LockedFlag()
        let handle = context.interruptHandle
        let interrupter = Thread {
            // Z3 drops interrupts that arrive before the check starts: repeat.
            while !done.value {
                handle.interrupt()
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
        interrupter.start()
        let start = ContinuousClock.now
        let result = try solver.check(timeout: .seconds(20))
        done.value = true
        #expect(ContinuousClock.now - start < .seconds(5))
        let reason = try #require(result.unknownReason, "expected unknown, got \(result)")
        #expect(reason != "timeout")
        #expect(reason == "interrupted" || reason == "canceled")

        // A later check is not affected by the earlier interrupts.
        let x = try context.intConstant("x")
        #expect(try check(context, [x.gt(context.int(1))]).isSat)
    }

    @Test("an interrupt delivered while idle does not break later operations")
    func staleInterrupt() throws {
        let context = try SMTContext()
        let x = try context.intConstant("x")
        let solver = try Solver(context: context)
        try solver.add(x.eq(context.int(41).plus(context.int(1))))
        let model = try #require(try solver.check().model)
        // Z3 4.8.12 would fail the next simplify/eval with "canceled".
        context.interruptHandle.interrupt()
        #expect(try model.int(x) == 42)
        context.interrupt()
        #expect(try context.string("abc").length().simplified().description == "3")
        context.interrupt()
        #expect(try context.parseAssertions("(assert true)").count == 1)
        context.interrupt()
        #expect(try solver.check().model?.int(x) == 42)
    }
}

/// A Bool shared between threads.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = false

    var value: Bool {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
