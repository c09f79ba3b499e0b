import Benchmark
import Foundation
import PolicyLanguage

/// The AWS managed policies beside the repository (`../shared/corpus/aws-managed`), read into memory once.
private let corpus: [(name: String, text: String)] = {
    let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/corpus/aws-managed")
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    return names.compactMap { name in
        (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)).map { (name, $0) }
    }
}()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .instructions, .mallocCountTotal], maxDuration: .seconds(5))

    Benchmark("parse managed corpus (\(corpus.count) policies)") { benchmark in
        for policy in corpus {
            blackHole(PolicyParser.parse(text: policy.text, file: policy.name, format: .json))
        }
    }

    Benchmark("parse + validate managed corpus") { benchmark in
        let validator = PolicyValidator(catalog: try ActionCatalog.load())
        benchmark.startMeasurement()
        for policy in corpus {
            blackHole(validator.report(for: PolicyParser.parse(text: policy.text, file: policy.name, format: .json), as: .identity))
        }
    }

    Benchmark("evaluate 10,000 requests against ReadOnlyAccess", configuration: .init(scalingFactor: .kilo)) { benchmark in
        guard let text = corpus.first(where: { $0.name == "ReadOnlyAccess.json" })?.text,
            let policy = PolicyParser.parse(text: text, file: "ReadOnlyAccess.json").policy
        else { return }
        let policies = PolicySet(identityPolicies: [policy])
        let evaluator = PolicyEvaluator()
        let actions = ["s3:GetObject", "s3:PutObject", "ec2:DescribeInstances", "iam:CreateUser", "dynamodb:GetItem"]
        let requests = (0..<10_000).map { index in
            Request(principal: .user(account: "111122223333", arn: "arn:aws:iam::111122223333:user/u\(index % 100)", name: "u\(index % 100)"),
                    action: actions[index % actions.count], resource: "arn:aws:s3:::bucket-\(index % 50)/key-\(index)")
        }
        benchmark.startMeasurement()
        for request in requests {
            blackHole(evaluator.evaluate(request, policies: policies, explain: false))
        }
    }

    Benchmark("load action catalogue") { benchmark in
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/PolicyLanguage/Catalog/Resources/action-catalog.tsv")
        benchmark.startMeasurement()
        blackHole(try ActionCatalog(contentsOf: url))
    }
}
