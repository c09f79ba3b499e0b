import Benchmark
import BenchmarkCorpus
import Foundation
import PolicyAudit
import PolicyLanguage
import PolicyVerifier

// Per-policy benchmarks on the AWS managed corpus: each iteration takes the next policy of the corpus,
// so the percentiles are those of the per-policy latency (p50 = the median policy, p99 = the slowest
// 1 %). Every check benchmark visits each policy once (maxIterations = the corpus size) unless the
// duration (60 s) runs out first, as for the public-access question, where it covers the policies in
// name order until then. `audit` is whole-corpus throughput: one iteration audits every file on 2 workers.
//
// POLICYPROVER_CORPUS=DIR points at another folder; POLICYPROVER_BENCH_LIMIT=N uses the first N files.

let benchmarks: @Sendable () -> Void = {
    let limit = ProcessInfo.processInfo.environment["POLICYPROVER_BENCH_LIMIT"].flatMap { Int($0) }
    guard let corpus = ManagedCorpus.load(limit: limit), !corpus.entries.isEmpty else { return }
    let entries = corpus.entries
    let count = entries.count
    let prover = Prover(timeout: .seconds(10))
    let validator = PolicyValidator(catalog: .bundled)
    let passRole = PolicyUnderTest(ScopePolicy.make(actions: ["iam:PassRole"], resources: ["*"]), role: .identity)
    let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .instructions, .mallocCountTotal, .peakMemoryResident]

    /// One benchmark over the corpus: iteration `i` runs `body` on policy `i` (cycling). The closure
    /// runs once per sample, so the position is kept outside it.
    func perPolicy(_ name: String, maxDuration: Duration = .seconds(60), _ body: @escaping @Sendable (ManagedCorpus.Entry) -> Void) {
        let cursor = Cursor()
        Benchmark(name, configuration: .init(metrics: metrics, timeUnits: .microseconds, warmupIterations: 0, maxDuration: maxDuration, maxIterations: count)) { benchmark in
            for _ in benchmark.scaledIterations {
                body(entries[cursor.next % count])
                cursor.next += 1
            }
        }
    }

    perPolicy("parse") { entry in blackHole(PolicyExtractor.extract(bytes: entry.bytes, file: entry.path)) }
    perPolicy("validate") { entry in blackHole(validator.validate(entry.policy, as: entry.type)) }
    perPolicy("encode") { entry in blackHole(prover.encodingSize(of: [PolicyUnderTest(entry.policy, type: entry.type)])) }
    perPolicy("check.diff (itself)") { entry in
        let policy = PolicyUnderTest(entry.policy, type: entry.type)
        blackHole(prover.compare(policy, policy))
    }
    perPolicy("check.never (iam:PassRole)") { entry in blackHole(prover.neverAllows(PolicyUnderTest(entry.policy, type: entry.type), scope: passRole)) }
    perPolicy("check.noPublicAccess (opened to everyone)") { entry in blackHole(prover.noPublicAccess(ManagedCorpus.openedToEveryone(entry.policy))) }
    perPolicy("check.escalation") { entry in blackHole(prover.privilegeEscalation([PolicyUnderTest(entry.policy, type: entry.type)])) }
    perPolicy("audit.file (all default checks)") { entry in
        blackHole(AuditChecks(prover: prover).check(path: entry.path))
    }

    Benchmark("audit (whole corpus, 2 jobs)", configuration: .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .throughput], timeUnits: .milliseconds, warmupIterations: 0, maxDuration: .seconds(120), maxIterations: 3)) { benchmark in
        let checks = AuditChecks(prover: prover)
        for _ in benchmark.scaledIterations {
            blackHole(AuditRun(paths: entries.map(\.path), checks: checks, cache: nil, jobs: 2).run())
        }
    }
}

/// The next policy of a per-policy benchmark (samples run one after another on one thread).
final class Cursor: @unchecked Sendable {
    var next = 0
}
