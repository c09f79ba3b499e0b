// swift-tools-version: 6.1
// Benchmarks live in their own package so that the main build and CI never compile package-benchmark.
import PackageDescription

let package = Package(
    name: "PolicyProverBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "PolicyProver", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "PolicyLanguageBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "PolicyLanguage", package: "PolicyProver"),
            ],
            path: "Benchmarks/PolicyLanguageBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
