// swift-tools-version: 6.1
import PackageDescription

// The benchmarks are a package of their own, beside PolicyProver, so that building and testing
// PolicyProver never fetches or builds package-benchmark. Run them from this directory:
//   swift package benchmark                 (see README.md)
let package = Package(
    name: "PolicyProverBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "PolicyProver", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Loads the AWS managed policies from ../../shared/corpus (shared by the benchmarks and the study).
        .target(
            name: "BenchmarkCorpus",
            dependencies: [
                .product(name: "PolicyLanguage", package: "PolicyProver"),
                .product(name: "PolicyVerifier", package: "PolicyProver"),
            ]
        ),
        // Reading, validating and evaluating (no solver): whole-corpus loops and the evaluator's rate.
        .executableTarget(
            name: "PolicyLanguageBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "PolicyLanguage", package: "PolicyProver"),
            ],
            path: "Benchmarks/PolicyLanguageBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Per-policy latency of every check on the managed corpus, and whole-audit throughput.
        .executableTarget(
            name: "PolicyBenchmarks",
            dependencies: [
                "BenchmarkCorpus",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "PolicyLanguage", package: "PolicyProver"),
                .product(name: "PolicyVerifier", package: "PolicyProver"),
                .product(name: "PolicyAudit", package: "PolicyProver"),
            ],
            path: "Benchmarks/PolicyBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The scaling study: generated policies, times and encoding sizes as TSV (scaling-study.sh).
        .executableTarget(
            name: "ScalingStudy",
            dependencies: [
                "BenchmarkCorpus",
                .product(name: "PolicyLanguage", package: "PolicyProver"),
                .product(name: "PolicyVerifier", package: "PolicyProver"),
                .product(name: "PolicyAudit", package: "PolicyProver"),
            ]
        ),
    ]
)
