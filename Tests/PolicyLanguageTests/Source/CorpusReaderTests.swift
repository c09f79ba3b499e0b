import Foundation
import Testing
@testable import PolicyLanguage

/// Every AWS managed policy in `../shared/corpus/aws-managed/` is valid JSON, hence valid YAML: both
/// readers must accept it and agree on the tree.
@Suite("Readers over the AWS managed policy corpus",
       .enabled(if: ReaderTestSupport.corpusIsPresent, "../shared/corpus/aws-managed is absent: corpus reader tests skipped"))
struct CorpusReaderTests {
    @Test func bothReadersReadEveryFileToTheSameTree() throws {
        let directory = ReaderTestSupport.corpusDirectory
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names.count == 1390)
        var failures: [String] = []
        var nodes = 0
        for name in names {
            let path = directory.appendingPathComponent(name).path
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let json: SourceNode, yaml: SourceNode
            switch (JSONReader.read(bytes, file: name), YAMLReader.read(bytes, file: name)) {
            case (.success(let a), .success(let b)):
                (json, yaml) = (a, b)
            case (let a, let b):
                failures.append("\(name): JSON \(a.readError?.description ?? "ok"), YAML \(b.readError?.description ?? "ok")")
                continue
            }
            if !ReaderTestSupport.sameShape(json, yaml) { failures.append("\(name): the JSON and YAML trees differ") }
            // Spans agree on where each scalar starts.
            var jsonStarts: [PolicyLanguage.SourceLocation] = [], yamlStarts: [PolicyLanguage.SourceLocation] = []
            func collect(_ node: SourceNode, into starts: inout [PolicyLanguage.SourceLocation]) {
                nodes += 1
                if let members = node.members {
                    for member in members { starts.append(member.keySpan.start); collect(member.value, into: &starts) }
                } else if let elements = node.elements {
                    elements.forEach { collect($0, into: &starts) }
                } else {
                    starts.append(node.span.start)
                }
            }
            collect(json, into: &jsonStarts)
            collect(yaml, into: &yamlStarts)
            if jsonStarts != yamlStarts { failures.append("\(name): scalar locations differ") }
            // The reader entry point picks JSON for these files.
            if case .failure(let error) = SourceReader.read(contentsOf: path, displayName: name) { failures.append(error.description) }
        }
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(10).joined(separator: "\n"))")
        #expect(nodes > 100_000)
    }
}
