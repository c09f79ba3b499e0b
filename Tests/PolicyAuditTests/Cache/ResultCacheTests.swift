import Foundation
import Testing
@testable import PolicyAudit

@Suite struct ResultCacheTests {
    private func record(_ path: String, hash: String) -> FileRecord {
        FileRecord(path: path, contentHash: hash, kind: .policy, policies: [
            PolicyRecord(name: "policy", type: "identity", location: Location(file: path, line: 1, column: 1, endLine: 3, endColumn: 2),
                         checks: [CheckRecord(id: "validation", outcome: .pass, message: "ok")]),
        ])
    }

    @Test func aRecordIsFoundOnlyForTheSameContentPathAndConfiguration() {
        let directory = NSTemporaryDirectory() + "cache-\(UUID().uuidString)"
        let cache = ResultCache(directory: directory, configuration: "spec-a")
        cache.store(record("p.json", hash: "h1"))
        #expect(cache.lookup(contentHash: "h1", path: "p.json") == record("p.json", hash: "h1"))
        #expect(cache.lookup(contentHash: "h2", path: "p.json") == nil)
        #expect(cache.lookup(contentHash: "h1", path: "q.json") == nil)
        #expect(ResultCache(directory: directory, configuration: "spec-b").lookup(contentHash: "h1", path: "p.json") == nil)
    }

    @Test func aTornEntryIsIgnored() throws {
        let directory = NSTemporaryDirectory() + "cache-\(UUID().uuidString)"
        let cache = ResultCache(directory: directory, configuration: "c")
        cache.store(record("p.json", hash: "h1"))
        let enumerator = try #require(FileManager.default.enumerator(atPath: directory))
        var entries: [String] = []
        while let entry = enumerator.nextObject() as? String {
            if entry.hasSuffix(".json") { entries.append(entry) }
        }
        #expect(entries.count == 1)
        try "{\"path\": \"p.js".write(toFile: "\(directory)/\(entries[0])", atomically: false, encoding: .utf8)
        #expect(cache.lookup(contentHash: "h1", path: "p.json") == nil)
    }
}
