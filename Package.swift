// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "PolicyProver",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "policyprover", targets: ["PolicyProverCLI"]),
        .executable(name: "policyprover-fuzz", targets: ["PolicyFuzz"]),
        .library(name: "SMT", targets: ["SMT"]),
        .library(name: "PolicyLanguage", targets: ["PolicyLanguage"]),
        .library(name: "PolicyVerifier", targets: ["PolicyVerifier"]),
        .library(name: "PolicyAudit", targets: ["PolicyAudit"]),
        .library(name: "PolicyAccount", targets: ["PolicyAccount"]),
        .library(name: "PolicyExplorer", targets: ["PolicyExplorer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CZ3",
            pkgConfig: "z3",
            providers: [.apt(["libz3-dev"])]
        ),
        .target(name: "SMT", dependencies: ["CZ3"]),
        .target(
            name: "PolicyLanguage",
            dependencies: [.product(name: "Yams", package: "Yams")],
            exclude: ["Catalog/Resources/README.md"],
            resources: [.copy("Catalog/Resources/action-catalog.tsv")]
        ),
        .target(name: "PolicyVerifier", dependencies: ["SMT", "PolicyLanguage"]),
        .target(name: "PolicyAudit", dependencies: ["PolicyLanguage", "PolicyVerifier"]),
        .target(name: "PolicyAccount", dependencies: ["PolicyLanguage", "PolicyVerifier"]),
        .target(name: "PolicyExplorer", dependencies: ["PolicyLanguage", "PolicyVerifier"]),
        .executableTarget(
            name: "PolicyProverCLI",
            dependencies: [
                "PolicyLanguage",
                "PolicyVerifier",
                "PolicyAudit",
                "PolicyAccount",
                "PolicyExplorer",
                "SMT",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The parser fuzz target (scripts/fuzz.sh builds it with libFuzzer; normally a replayer).
        .executableTarget(name: "PolicyFuzz", dependencies: ["PolicyLanguage"]),
        .testTarget(name: "SMTTests", dependencies: ["SMT"]),
        .testTarget(
            name: "PolicyLanguageTests",
            dependencies: ["PolicyLanguage", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "PolicyVerifierTests",
            dependencies: ["PolicyVerifier", "PolicyLanguage", "SMT", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "PolicyAuditTests", dependencies: ["PolicyAudit", "PolicyLanguage", "PolicyVerifier"], exclude: ["Fixtures"]),
        .testTarget(name: "PolicyAccountTests", dependencies: ["PolicyAccount", "PolicyLanguage", "PolicyVerifier"], exclude: ["Fixtures"]),
        .testTarget(name: "PolicyExplorerTests", dependencies: ["PolicyExplorer", "PolicyLanguage", "PolicyVerifier"]),
        .testTarget(name: "EndToEndTests", dependencies: ["PolicyProverCLI", "PolicyFuzz"], exclude: ["Fixtures"]),
    ]
)
