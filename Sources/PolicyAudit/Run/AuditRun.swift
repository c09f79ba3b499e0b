import Foundation
import Synchronization

/// Checks many files on several workers, reusing cached results.
///
/// Guarantees: the records come back in the order of `paths` whatever `jobs` is; each worker builds
/// its own Z3 contexts (the prover makes one per query), so no context is shared between threads;
/// every record is stored in the cache as soon as it is complete, so an interrupted run keeps what it
/// finished and the next run resumes there. Once the prover's deadline has passed (a global deadline,
/// or a stop by the user) the files not yet started are not checked: each is UNKNOWN, or its cached record.
public struct AuditRun: Sendable {
    public var paths: [String]
    public var checks: AuditChecks
    public var cache: ResultCache?
    public var jobs: Int

    public init(paths: [String], checks: AuditChecks, cache: ResultCache?, jobs: Int) {
        self.paths = paths
        self.checks = checks
        self.cache = cache
        self.jobs = max(1, jobs)
    }

    /// What has happened so far, reported after every file.
    public struct Progress: Sendable {
        public var done: Int
        public var total: Int
        public var cached: Int
        public var elapsed: Duration
        /// The record just finished.
        public var latest: FileRecord
    }

    /// Runs every file; `progress` is called once per finished file, never concurrently. `cached`
    /// counts the records that came from the cache.
    public func run(progress: @escaping @Sendable (Progress) -> Void = { _ in }) -> (records: [FileRecord], cached: Int) {
        let state = Mutex(State(results: Array(repeating: nil, count: paths.count)))
        let started = ContinuousClock.now
        let workers = min(jobs, max(1, paths.count))
        let finished = DispatchSemaphore(value: 0)
        // Larger files first: the slowest proofs are of the largest policies, and one of them started
        // last would leave the other workers idle at the end.
        let order = workers > 1 ? Self.largestFirst(paths) : Array(paths.indices)
        for _ in 0..<workers {
            let thread = Thread { [self] in
                while true {
                    let index: Int? = state.withLock { state in
                        guard state.next < paths.count else { return nil }
                        defer { state.next += 1 }
                        return order[state.next]
                    }
                    guard let index else { break }
                    // Past the run's deadline (or after a stop) a file is not started: it keeps its
                    // cached record or is UNKNOWN, so the run ends soon and never passes what it skipped.
                    let (record, wasCached) = checks.prover.deadline?.passed.map { checks.unchecked(path: paths[index], cache: cache, reason: $0.reason) }
                        ?? checks.check(path: paths[index], cache: cache)
                    state.withLock { state in
                        state.results[index] = record
                        state.done += 1
                        if wasCached { state.cached += 1 }
                        progress(Progress(done: state.done, total: paths.count, cached: state.cached, elapsed: ContinuousClock.now - started, latest: record))
                    }
                }
                finished.signal()
            }
            // Deep policies recurse in the encoder; give workers the main thread's stack size.
            thread.stackSize = 8 << 20
            thread.start()
        }
        for _ in 0..<workers { finished.wait() }
        return state.withLock { ($0.results.map { $0! }, $0.cached) }
    }

    /// The indices of `paths` by file size, largest first (ties and unreadable files in path order).
    static func largestFirst(_ paths: [String]) -> [Int] {
        let sizes = paths.map { path -> Int in
            var status = stat()
            return stat(path, &status) == 0 ? Int(status.st_size) : 0
        }
        return paths.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
    }

    private struct State {
        var results: [FileRecord?]
        var next = 0
        var done = 0
        var cached = 0
    }
}
