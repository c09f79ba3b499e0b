/// One of N stable parts of an audited tree (`--shard K/N`): a file belongs to shard K when the hash of
/// its path, taken modulo N, is K − 1. The hash is FNV-1a over the path's UTF-8 bytes, so the split
/// is the same on every machine and in every run, and adding a file never moves the others.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based.
    public var index: Int
    public var count: Int

    /// Reads `K/N` with 1 ≤ K ≤ N; `nil` for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    public init(index: Int, count: Int) {
        precondition(count >= 1 && (1...count).contains(index))
        self.index = index
        self.count = count
    }

    /// Whether the file at `path` (as the audit names it) is this shard's.
    public func contains(_ path: String) -> Bool {
        Int(Self.pathHash(path) % UInt64(count)) == index - 1
    }

    static func pathHash(_ path: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    public var description: String { "\(index)/\(count)" }
}
