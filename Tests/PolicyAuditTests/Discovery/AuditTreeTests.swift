import Foundation
import Testing
@testable import PolicyAudit

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
        // A link loop must not hang the walk, and links are not followed.
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

    @Test func namedFilesAreKeptEvenWhenMissingOrOddlyNamed() throws {
        let root = try makeTree()
        let entries = AuditTree.files(under: ["\(root)/a/readme.md", "\(root)/missing.json", root + "/"])
        #expect(entries.first?.path == "\(root)/a/readme.md")
        #expect(entries.first?.walked == false)
        #expect(entries.contains { $0.path == "\(root)/missing.json" })
        #expect(entries.contains { $0.path == "\(root)/b/z.json" && $0.walked })
    }
}
