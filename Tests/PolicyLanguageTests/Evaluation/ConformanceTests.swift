import Foundation
import Testing
@testable import PolicyLanguage

/// The evaluator against the development share of an independent conformance corpus
/// (`../shared/conformance/evaluator-dev.jsonl`, read in place; its licence forbids copying it here).
@Suite("Evaluator conformance corpus", .enabled(if: ConformanceCorpus.isPresent, "../shared/conformance is absent: conformance tests skipped"))
struct ConformanceTests {
    @Test func agreesWithEveryCase() throws {
        let cases = try ConformanceCorpus.load()
        #expect(cases.count == 126)
        var disagreements: [String] = []
        for testCase in cases {
            let decision = PolicyEvaluator().evaluate(testCase.request, policies: testCase.policies)
            if decision.kind != testCase.expected {
                disagreements.append("\(testCase.id) \"\(testCase.name)\": expected \(testCase.expected.rawValue), got \(decision.kind.rawValue) (\(decision.reason))")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) of \(cases.count) disagree:\n\(disagreements.joined(separator: "\n"))")
    }
}

/// Reads the conformance cases with PolicyProver's own readers.
enum ConformanceCorpus {
    struct Case {
        var id: String
        var name: String
        var request: Request
        var policies: PolicySet
        var expected: DecisionKind
    }

    static let file = TestPaths.shared.appendingPathComponent("conformance/evaluator-dev.jsonl")
    static var isPresent: Bool { FileManager.default.fileExists(atPath: file.path) }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func load() throws -> [Case] {
        let data = try Data(contentsOf: file)
        var cases: [Case] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.isEmpty {
            let node = try JSONReader.read(Array(line), file: "evaluator-dev.jsonl:\(index + 1)").get()
            cases.append(try decodeCase(node))
        }
        return cases
    }

    private static func decodeCase(_ node: SourceNode) throws -> Case {
        func member(_ name: String) -> SourceNode? { node.members?.first { $0.key == name }?.value }
        func policy(_ node: SourceNode?) throws -> Policy? {
            guard let node, node.kind != .null else { return nil }
            let parsed = PolicyParser.parse(node: node)
            guard parsed.isEvaluable, let policy = parsed.policy else {
                throw Malformed(description: "unreadable policy: \(parsed.findings)")
            }
            return policy
        }
        func levels(_ node: SourceNode?) throws -> [[Policy]] {
            try (node?.elements ?? []).map { level in try (level.elements ?? []).compactMap { try policy($0) } }
        }
        guard case .string(let id)? = member("id")?.kind, case .string(let name)? = member("name")?.kind,
            let requestNode = member("request"), case .string(let expectedText)? = member("expected")?.kind,
            let expected = DecisionKind(rawValue: expectedText)
        else { throw Malformed(description: "case without id, name, request or expected") }
        let request = try RequestDecoder.decode(requestNode).get()
        let policies = PolicySet(
            identityPolicies: try (member("identityPolicies")?.elements ?? []).compactMap { try policy($0) },
            resourcePolicy: try policy(member("resourcePolicy")),
            permissionsBoundary: try policy(member("permissionsBoundary")),
            sessionPolicy: try policy(member("sessionPolicy")),
            scpLevels: try levels(member("scps")),
            rcpLevels: try levels(member("rcps")),
            vpcEndpointPolicy: try policy(member("vpcEndpointPolicy")))
        return Case(id: id, name: name, request: request, policies: policies, expected: expected)
    }
}
