import Testing
@testable import PolicyAudit

@Suite struct ShardTests {
    @Test(arguments: ["1/1", "2/4", "4/4", "10/10"])
    func readsValidShards(text: String) throws {
        let shard = try #require(Shard(text))
        #expect(shard.description == text)
    }

    @Test(arguments: ["0/4", "5/4", "1/0", "a/b", "1", "1/2/3", "-1/2", ""])
    func refusesInvalidShards(text: String) {
        #expect(Shard(text) == nil)
    }

    @Test func everyPathIsInExactlyOneShardAndTheSplitIsStable() {
        let paths = (0..<500).map { "infra/policies/p\($0).json" }
        for count in [1, 2, 3, 7] {
            let shards = (1...count).map { Shard(index: $0, count: count) }
            for path in paths {
                #expect(shards.filter { $0.contains(path) }.count == 1)
            }
            // Roughly even: no shard is empty for 500 paths.
            #expect(shards.allSatisfy { shard in paths.contains { shard.contains($0) } })
        }
        // FNV-1a of the UTF-8 bytes: fixed across runs and machines.
        #expect(Shard.pathHash("a") == 0xaf63dc4c8601ec8c)
    }
}
