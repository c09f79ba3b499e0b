import Foundation

/// Expands the paths a user gives into the policy files to read, in a stable order.
enum InputFiles {
    /// Extensions read when walking a directory; files named explicitly are read whatever their name.
    static let policyExtensions: Set<String> = ["json", "yaml", "yml"]

    /// One entry per input: files as given, directories walked recursively for files with a policy
    /// extension, sorted. Hidden entries are skipped and symbolic links inside a walked directory are
    /// not followed (so link loops cannot hang the walk); a link named on the command line is read.
    /// Paths that do not exist are returned too, so that reading them reports them.
    static func expand(_ paths: [String]) -> [String] {
        var result: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                result.append(path)
                continue
            }
            let root = URL(fileURLWithPath: path)
            guard let enumerator = manager.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else {
                result.append(path)
                continue
            }
            var found: [String] = []
            for case let url as URL in enumerator where policyExtensions.contains(url.pathExtension.lowercased()) {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
                found.append(relativePath(of: url, under: root, as: path))
            }
            result += found.sorted()
        }
        return result
    }

    /// `url` written relative to the directory argument as the user typed it (`Policies/a.json`).
    private static func relativePath(of url: URL, under root: URL, as typed: String) -> String {
        let rootPath = root.standardizedFileURL.path
        let fullPath = url.standardizedFileURL.path
        guard fullPath.hasPrefix(rootPath) else { return url.path }
        var suffix = String(fullPath.dropFirst(rootPath.count))
        if suffix.hasPrefix("/") { suffix.removeFirst() }
        return typed.hasSuffix("/") ? typed + suffix : typed + "/" + suffix
    }
}
