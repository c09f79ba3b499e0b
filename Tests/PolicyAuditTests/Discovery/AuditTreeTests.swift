import Foundation
import Testing
@testable import PolicyAudit
import PolicyVerifier

@Suite struct AuditTreeTests {
    private func makeTree() throws -> String {
        let root = NSTemporaryDirectory() + "audit-tree-\(UUID().uuidString)"
        let manager = FileManager.default
        for directory in ["b", "a/deep", ".git", "node_modules/x"] {
            try manager.createDirectory(atPath: "\(root)/\(directory)", withIntermediateDirectories: true)
        }
        for file in ["b/z.json", "b/a.yaml", "a/deep/t.template", "a/readme.md", ".git/config.json", "node_modules/x/p.json", "top.yml", ".hidden.json"] {
            try "{}".write(toFile: "\(root)/\(file)", atomically: true, encoding: .utf8)
        }
        // A link loop must not hang the walk: links to directories are not walked.
        try manager.createSymbolicLink(atPath: "\(root)/a/loop", withDestinationPath: root)
        return root
    }

    @Test func walksSortedSkipsHiddenAndLinksAndHonoursExcludes() throws {
        let root = try makeTree()
        let all = AuditTree.files(under: [root]).map(\.path)
        #expect(all == ["a/deep/t.template", "b/a.yaml", "b/z.json", "node_modules/x/p.json", "top.yml"].map { "\(root)/\($0)" })
        let excluded = AuditTree.files(under: [root], excluding: [ExcludePattern("node_modules/"), ExcludePattern("*.template")]).map(\.path)
        #expect(excluded == ["b/a.yaml", "b/z.json", "top.yml"].map { "\(root)/\($0)" })
    }

    /// A policy reached through a link is read; a link that dangles or loops is kept so that reading it
    /// reports the error at its path; a directory that cannot be listed is kept in the same way.
    @Test func linkedFilesAndUnlistableDirectoriesAreKept() throws {
        let root = try makeTree()
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: "\(root)/a/linked.json", withDestinationPath: "\(root)/b/z.json")
        try manager.createSymbolicLink(atPath: "\(root)/a/dangling.json", withDestinationPath: "\(root)/nowhere.json")
        try manager.createSymbolicLink(atPath: "\(root)/a/self.json", withDestinationPath: "\(root)/a/self.json")
        try manager.createSymbolicLink(atPath: "\(root)/a/notes.txt", withDestinationPath: "\(root)/b/z.json")
        let all = AuditTree.files(under: [root]).map(\.path)
        #expect(all == ["a/dangling.json", "a/deep/t.template", "a/linked.json", "a/self.json", "b/a.yaml", "b/z.json", "node_modules/x/p.json", "top.yml"].map { "\(root)/\($0)" })
        let checks = AuditChecks(prover: Prover(timeout: .seconds(20)), defaultChecks: false)
        for broken in ["a/dangling.json", "a/self.json"] {
            let record = checks.check(path: "\(root)/\(broken)")
            #expect(record.errors.map(\.ruleId) == ["UNREADABLE_FILE"], "\(broken): \(record.errors)")
            #expect(record.errors.first?.location.line == 1)
        }
        #expect(checks.check(path: "\(root)/a/linked.json").errors.isEmpty)
    }

    @Test func namedFilesAreKeptEvenWhenMissingOrOddlyNamed() throws {
        let root = try makeTree()
        let entries = AuditTree.files(under: ["\(root)/a/readme.md", "\(root)/missing.json", root + "/"])
        #expect(entries.first?.path == "\(root)/a/readme.md")
        #expect(entries.first?.walked == false)
        #expect(entries.contains { $0.path == "\(root)/missing.json" })
        #expect(entries.contains { $0.path == "\(root)/b/z.json" && $0.walked })
    }
}
