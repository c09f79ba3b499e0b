import Foundation
import PolicyLanguage
import PolicyVerifier

/// The AWS managed policies of `../shared/corpus/aws-managed` (beside the PolicyProver checkout), read
/// once: their bytes, and the parsed policies with the type each one is read as.
public struct ManagedCorpus: Sendable {
    public struct Entry: Sendable {
        public var name: String
        public var path: String
        public var bytes: [UInt8]
        public var policy: Policy
        public var type: PolicyType
    }

    public var entries: [Entry]

    /// The corpus folder: `POLICYPROVER_CORPUS` if set, else `../shared/corpus/aws-managed` beside the
    /// repository this file is in.
    public static var directory: String {
        if let given = ProcessInfo.processInfo.environment["POLICYPROVER_CORPUS"] { return given }
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repository.deletingLastPathComponent().appendingPathComponent("shared/corpus/aws-managed").path
    }

    /// Every `.json` file of the corpus, sorted by name; `nil` (with the reason printed) when absent.
    public static func load(limit: Int? = nil) -> ManagedCorpus? {
        let directory = Self.directory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            FileHandle.standardError.write(Data("skipped: no managed corpus at \(directory) (set POLICYPROVER_CORPUS)\n".utf8))
            return nil
        }
        var entries: [Entry] = []
        for name in names.sorted() where name.hasSuffix(".json") {
            if let limit, entries.count >= limit { break }
            let path = directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let bytes = Array(data)
            let parsed = PolicyParser.parse(text: String(decoding: bytes, as: UTF8.self), file: path)
            guard parsed.isEvaluable, let policy = parsed.policy else { continue }
            entries.append(Entry(name: name, path: path, bytes: bytes, policy: policy, type: policy.inferType().type))
        }
        return ManagedCorpus(entries: entries)
    }

    /// The policy as a resource policy open to everyone (`Principal: "*"` on every statement): the
    /// public-access question on real conditions (as the corpus sweep asks it).
    public static func openedToEveryone(_ policy: Policy) -> PolicyUnderTest {
        var opened = policy
        for index in opened.statements.indices {
            let span = opened.statements[index].span
            opened.statements[index].principal = PrincipalElement(isNot: false, value: .everyone, keySpan: span, valueSpan: span)
        }
        return PolicyUnderTest(opened, role: .resource)
    }
}
