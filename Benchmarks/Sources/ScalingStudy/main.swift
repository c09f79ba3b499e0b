import BenchmarkCorpus
import Foundation
import PolicyAudit
import PolicyLanguage
import PolicyVerifier

// The scaling study (Benchmarks/RESULTS.md): how the time of each question grows with the statements
// of a policy, the policies of an audit and the condition keys a policy reads. Prints TSV rows:
//   sweep  x  measure  seconds  detail
// `seconds` is the median of REPEAT runs (default 3). Usage:
//   ScalingStudy [statements|audit|keys|all] [REPEAT]

let arguments = CommandLine.arguments.dropFirst()
let sweep = arguments.first ?? "all"
let repeats = arguments.dropFirst().first.flatMap { Int($0) } ?? 3
let prover = Prover(timeout: .seconds(60))
let passRole = PolicyUnderTest(ScopePolicy.make(actions: ["iam:PassRole"], resources: ["*"]), role: .identity)

func seconds(_ body: () -> Void) -> Double {
    var times: [Double] = []
    for _ in 0..<repeats {
        let started = ContinuousClock.now
        body()
        let elapsed = ContinuousClock.now - started
        times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
    return times.sorted()[times.count / 2]
}

func row(_ sweep: String, _ x: Int, _ measure: String, _ value: Double, _ detail: String = "") {
    FileHandle.standardOutput.write(Data(([sweep, String(x), measure, String(format: "%.6f", value), detail].joined(separator: "\t") + "\n").utf8))
}

func verdictName(_ verdict: Verdict) -> String {
    switch verdict {
    case .pass: "pass"
    case .fail: "fail"
    case .unknown(let reason): "unknown: \(reason)"
    }
}

/// Every question on one policy, timed.
func measurePolicy(_ sweep: String, _ x: Int, _ policy: Policy, text: String) {
    let underTest = PolicyUnderTest(policy, role: .identity)
    row(sweep, x, "parse", seconds { _ = PolicyParser.parse(text: text, file: "p.json") })
    var size = ""
    row(sweep, x, "encode", seconds {
        if case .success(let found) = prover.encodingSize(of: [underTest]) {
            size = "actions=\(found.actionClasses) resources=\(found.resourceFieldClasses.map(String.init).joined(separator: "/")) keys=\(found.conditionKeys) profiles=\(found.actionProfiles)"
        }
    }, size)
    var verdict = ""
    row(sweep, x, "never", seconds { verdict = verdictName(prover.neverAllows(underTest, scope: passRole)) }, verdict)
    row(sweep, x, "diff", seconds { verdict = verdictName(prover.compare(underTest, underTest).newOnly) }, verdict)
    row(sweep, x, "noPublicAccess", seconds { verdict = verdictName(prover.noPublicAccess(ManagedCorpus.openedToEveryone(policy)).verdict) }, verdict)
    row(sweep, x, "escalation", seconds { verdict = verdictName(prover.privilegeEscalation([underTest]).verdict) }, verdict)
}

if sweep == "statements" || sweep == "all" {
    for count in [1, 3, 10, 30, 100, 300, 1_000] {
        let text = GeneratedPolicies.policyText(statements: count, seed: 7)
        measurePolicy("statements", count, GeneratedPolicies.policy(statements: count, seed: 7), text: text)
    }
}

if sweep == "keys" || sweep == "all" {
    for keys in [0, 1, 2, 5, 10, 20, 50] {
        let text = GeneratedPolicies.policyText(statements: 10, seed: 11, conditionKeys: keys)
        measurePolicy("keys", keys, GeneratedPolicies.policy(statements: 10, seed: 11, conditionKeys: keys), text: text)
    }
}

if sweep == "audit" || sweep == "all" {
    let root = NSTemporaryDirectory() + "policyprover-scaling-\(ProcessInfo.processInfo.processIdentifier)"
    try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: root) }
    var written = 0
    for count in [10, 100, 1_000, 10_000] {
        while written < count {
            // Policies of 1 to 12 statements, like most managed policies.
            let text = GeneratedPolicies.policyText(statements: 1 + written % 12, seed: UInt64(1_000 + written))
            try! text.write(toFile: "\(root)/policy-\(String(format: "%05d", written)).json", atomically: false, encoding: .utf8)
            written += 1
        }
        let paths = AuditTree.files(under: [root]).map(\.path)
        let checks = AuditChecks(prover: prover)
        var summary = ""
        // One run at 10,000 files: it takes a while, and the per-file time is already a mean over many.
        let runs = count >= 10_000 ? 1 : repeats
        var times: [Double] = []
        for _ in 0..<runs {
            let started = ContinuousClock.now
            let (records, _) = AuditRun(paths: paths, checks: checks, cache: nil, jobs: 2).run()
            let elapsed = ContinuousClock.now - started
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            let report = AuditReport(version: "study", command: "audit", files: records, seconds: 0).summary
            summary = "files=\(paths.count) passed=\(report.passed) failed=\(report.failed) unknown=\(report.unknown)"
        }
        row("audit", count, "audit (2 jobs)", times.sorted()[times.count / 2], summary)
    }
}

// For profiling: encode one generated policy of N statements R times.
if sweep == "encode-only" {
    let count = Int(arguments.dropFirst().dropFirst().first ?? "100") ?? 100
    let policy = PolicyUnderTest(GeneratedPolicies.policy(statements: count, seed: 7), role: .identity)
    row("encode-only", count, "encode", seconds { _ = prover.encodingSize(of: [policy]) })
}

// Per-file audit time on the managed corpus: the distribution and the slowest files.
if sweep == "corpus" {
    guard let corpus = ManagedCorpus.load() else { exit(0) }
    let checks = AuditChecks(prover: prover)
    var times: [(Double, String)] = []
    for entry in corpus.entries {
        let started = ContinuousClock.now
        _ = checks.check(path: entry.path)
        let elapsed = ContinuousClock.now - started
        times.append((Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, entry.name))
    }
    let sorted = times.sorted { $0.0 < $1.0 }
    func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))].0 }
    let total = sorted.reduce(0) { $0 + $1.0 }
    row("corpus", sorted.count, "audit.file total", total)
    for (name, p) in [("p50", 0.5), ("p90", 0.9), ("p99", 0.99)] { row("corpus", sorted.count, "audit.file \(name)", percentile(p)) }
    for (seconds, name) in sorted.suffix(25).reversed() { row("corpus-slowest", 0, name, seconds) }
}

// The parse floor: read and decode every file of a folder (PolicyProver's reader and decoder), nothing else.
if sweep == "parse-floor" {
    let directory = arguments.dropFirst().first ?? ManagedCorpus.directory
    var policies = 0
    for entry in AuditTree.files(under: [directory]) {
        if PolicyExtractor.extract(contentsOf: entry.path).policies.contains(where: { $0.parsed.policy != nil }) { policies += 1 }
    }
    FileHandle.standardError.write(Data("\(policies) policies read\n".utf8))
}

// Prints one generated policy (to inspect what the study audits).
if sweep == "show" {
    print(GeneratedPolicies.policyText(statements: Int(arguments.dropFirst().first ?? "5") ?? 5, seed: 1_003))
}
