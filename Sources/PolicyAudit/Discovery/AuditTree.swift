import Foundation

/// The files an audit reads: every JSON/YAML/template file under the given paths, in a stable order.
///
/// Guarantees: paths are named as the user typed the directory (`infra/iam/app.yaml`), sorted, with
/// no duplicates; hidden entries (`.git`, `.terraform`, `.policyprover-cache`) are skipped; a symbolic
/// link to a directory is not walked, so a link loop cannot hang the walk; a link with a policy file's
/// extension is kept (reading it reads its target, and a dangling or looping link is an error where
/// it is); a directory that cannot be listed is kept as an entry, so that reading it reports why
/// rather than its files passing unseen; a file named on the command line is read whatever its
/// extension; paths that do not exist are kept so that reading them reports the error.
public enum AuditTree {
    /// Extensions read when walking a directory.
    public static let extensions: Set<String> = ["json", "yaml", "yml", "template"]

    public struct Entry: Sendable, Equatable {
        /// The name used in reports and in the shard hash.
        public var path: String
        /// Whether the entry was found by walking a directory (as opposed to named explicitly).
        public var walked: Bool
    }

    /// `extensions`: the file extensions kept while walking (default: the audit's).
    public static func files(under paths: [String], excluding patterns: [ExcludePattern] = [], extensions: Set<String> = extensions) -> [Entry] {
        var result: [Entry] = []
        var seen = Set<String>()
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                if seen.insert(path).inserted { result.append(Entry(path: path, walked: false)) }
                continue
            }
            guard (try? manager.contentsOfDirectory(atPath: path)) != nil else {
                if seen.insert(path).inserted { result.append(Entry(path: path, walked: false)) }
                continue
            }
            var found: [String] = []
            walk(directory: path, relative: "", patterns: patterns, extensions: extensions, into: &found)
            for relative in found.sorted() {
                let full = path.hasSuffix("/") ? path + relative : path + "/" + relative
                if seen.insert(full).inserted { result.append(Entry(path: full, walked: true)) }
            }
        }
        return result
    }

    private static func walk(directory: String, relative: String, patterns: [ExcludePattern], extensions: Set<String>, into found: inout [String]) {
        let absolute = relative.isEmpty ? directory : directory + "/" + relative
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: absolute) else {
            // Kept, so that reading it reports why it cannot be listed.
            if !relative.isEmpty { found.append(relative) }
            return
        }
        for name in names.sorted() where !name.hasPrefix(".") {
            let entryRelative = relative.isEmpty ? name : relative + "/" + name
            var status = stat()
            guard lstat(absolute + "/" + name, &status) == 0 else {
                // Unreadable entries are kept so that reading them reports why.
                found.append(entryRelative)
                continue
            }
            let type = status.st_mode & S_IFMT
            if type == S_IFDIR {
                if patterns.contains(where: { $0.matches(entryRelative, isDirectory: true) }) { continue }
                walk(directory: directory, relative: entryRelative, patterns: patterns, extensions: extensions, into: &found)
            } else if type == S_IFREG || type == S_IFLNK, extensions.contains((name as NSString).pathExtension.lowercased()) {
                if patterns.contains(where: { $0.matches(entryRelative, isDirectory: false) }) { continue }
                found.append(entryRelative)
            }
        }
    }
}
