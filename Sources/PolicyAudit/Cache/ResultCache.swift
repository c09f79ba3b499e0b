import Foundation

/// Results of earlier runs, one file per (content, configuration) pair, so that a re-run re-checks
/// only the files that changed.
///
/// Guarantees: the key covers the file's bytes (SHA-256), the configuration fingerprint (the spec's
/// bytes, the checks and their options) and the tool version, so a stale entry is never used; each
/// entry is written to a temporary name and renamed into place, so a run killed mid-write leaves no
/// torn entry (an unreadable entry is treated as missing and rewritten); entries are independent, so
/// whatever finished before an interruption is kept and the next run resumes from it.
public struct ResultCache: Sendable {
    public let directory: String
    /// Fingerprint of everything besides the file's content that decides its result.
    public let configuration: String

    public init(directory: String, configuration: String) {
        self.directory = directory
        self.configuration = SHA256.hex(Array(configuration.utf8))
    }

    /// The key of a file with these contents; also its record's `contentHash` prefix.
    func key(contentHash: String, path: String) -> String {
        // The path is part of the key because every location in a record names the file.
        SHA256.hex(Array("\(contentHash)\n\(configuration)\n\(path)".utf8))
    }

    private func entryPath(_ key: String) -> String {
        "\(directory)/\(key.prefix(2))/\(key).json"
    }

    /// The stored record, when one exists for exactly this content, configuration and path.
    public func lookup(contentHash: String, path: String) -> FileRecord? {
        let file = entryPath(key(contentHash: contentHash, path: path))
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        guard let record = try? JSONDecoder().decode(FileRecord.self, from: data), record.contentHash == contentHash, record.path == path else {
            return nil
        }
        return record
    }

    /// Stores a record; failures to write are ignored (the cache only saves time).
    public func store(_ record: FileRecord) {
        let file = entryPath(key(contentHash: record.contentHash, path: record.path))
        let folder = (file as NSString).deletingLastPathComponent
        let manager = FileManager.default
        try? manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(record) else { return }
        let temporary = file + ".\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        guard manager.createFile(atPath: temporary, contents: data) else { return }
        if rename(temporary, file) != 0 { unlink(temporary) }
    }
}
