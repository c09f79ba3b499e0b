import Foundation
import Synchronization

/// Runs independent pieces of work on several threads and returns their results in order.
///
/// Each piece builds its own Z3 contexts (every prover query makes one), so nothing Z3 is shared
/// between threads.
enum ParallelWork {
    static func map<Result: Sendable>(_ count: Int, jobs: Int, _ body: @escaping @Sendable (Int) -> Result) -> [Result] {
        guard count > 0 else { return [] }
        let state = Mutex((next: 0, results: [Result?](repeating: nil, count: count)))
        let workers = min(max(1, jobs), count)
        let finished = DispatchSemaphore(value: 0)
        for _ in 0..<workers {
            let thread = Thread {
                while let index = state.withLock({ state -> Int? in
                    guard state.next < count else { return nil }
                    defer { state.next += 1 }
                    return state.next
                }) {
                    let result = body(index)
                    state.withLock { $0.results[index] = result }
                }
                finished.signal()
            }
            // Deep policies recurse in the encoder; give workers the main thread's stack size.
            thread.stackSize = 8 << 20
            thread.start()
        }
        for _ in 0..<workers { finished.wait() }
        return state.withLock { $0.results.map { $0! } }
    }
}
