import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an account written as a folder (the layout is documented on `AccountReader.read(folderAt:)`).
/// Every document is read with `PolicyParser.parse(contentsOf:)`, named `DISPLAY/users/alice/x.json`.
struct AccountFolderReader {
    /// One entry of a folder: its path on disk and its display name.
    private struct Entry {
        enum Kind { case directory, file, other }
        var name: String
        var path: String
        var display: String
        var kind: Kind

        /// The name without its extension and the extension (lowercased), when it has one.
        var stem: (base: String, ext: String)? {
            guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
            return (String(name[..<dot]), name[name.index(after: dot)...].lowercased())
        }

        var isDocument: Bool { kind == .file && stem.map { ["json", "yaml", "yml"].contains($0.ext) } == true }
        var span: SourceSpan { .startOfFile(display) }
    }

    /// What a principal folder holds.
    private struct Contents {
        var policies: [AttachedPolicy] = []
        var special: [String: ParsedPolicy] = [:]
        var groupsFile: Entry?
        var unresolved: [Finding] = []
    }

    let path: String
    let display: String
    let limits: ReadLimits
    private var findings: [Finding] = []

    init(path: String, display: String, limits: ReadLimits) {
        self.path = path
        self.display = display
        self.limits = limits
    }

    mutating func read() -> AccountInventory {
        let root = Entry(name: display, path: path, display: display, kind: .directory)
        guard let top = entries(of: root) else {
            return AccountInventory(source: display, accountID: AccountReader.defaultAccountID, findings: findings)
        }
        var folders: [String: Entry] = [:]
        var accountID: String?
        for entry in top {
            switch (entry.name, entry.kind) {
            case ("account-id", .file):
                accountID = readAccountID(entry)
            case ("users", .directory), ("groups", .directory), ("roles", .directory):
                folders[entry.name] = entry
            case ("users", _), ("groups", _), ("roles", _):
                findings.append(Finding(.invalidPolicyProperty, .error, "\(entry.display) must be a folder", at: entry.span))
            case (_, .directory):
                findings.append(Finding(.ignoredAccountEntry, .warning, "\(entry.display) is not an account folder (users, groups, roles); it is ignored", at: entry.span))
            default:
                break
            }
        }
        if accountID == nil, !top.contains(where: { $0.name == "account-id" && $0.kind == .file }) {
            findings.append(Finding(.accountIDUnknown, .warning, "\(display) has no account-id file; \(AccountReader.defaultAccountID) is used", at: root.span))
        }
        let account = accountID ?? AccountReader.defaultAccountID

        let groups = principalFolders(folders["groups"]).map { folder in
            var contents = read(folder, special: [])
            return IAMGroup(name: folder.name, arn: AccountReader.arn(account: account, kind: "group", name: folder.name), policies: contents.policies, unresolved: finish(&contents), span: folder.span)
        }
        let known = Set(groups.map(\.name))
        let users = principalFolders(folders["users"]).map { folder in
            var contents = read(folder, special: ["permissions-boundary"], readsGroups: true)
            let names = contents.groupsFile.map { readGroups($0, user: folder.name, known: known, unresolved: &contents.unresolved) } ?? []
            let boundary = contents.special["permissions-boundary"].map { AttachedPolicy(origin: .inline(name: "permissions-boundary"), parsed: $0) }
            return IAMUser(name: folder.name, arn: AccountReader.arn(account: account, kind: "user", name: folder.name), groups: names, policies: contents.policies, boundary: boundary, unresolved: finish(&contents), span: folder.span)
        }
        let roles = principalFolders(folders["roles"]).map { folder in
            var contents = read(folder, special: ["permissions-boundary", "trust-policy"])
            let trust = contents.special["trust-policy"]
            if trust == nil {
                let finding = Finding(.missingPolicyProperty, .error, "role/\(folder.name) has no trust policy (trust-policy.json, .yaml or .yml in \(folder.display))", at: folder.span)
                // Who may assume the role is then unknown; what it may do is still known.
                findings.append(finding)
            }
            let boundary = contents.special["permissions-boundary"].map { AttachedPolicy(origin: .inline(name: "permissions-boundary"), parsed: $0) }
            return IAMRole(name: folder.name, arn: AccountReader.arn(account: account, kind: "role", name: folder.name), trust: trust, policies: contents.policies, boundary: boundary, unresolved: finish(&contents), span: folder.span)
        }
        return AccountReader.inventory(source: display, accountID: account, users: users, groups: groups, roles: roles, findings: findings)
    }

    private func finish(_ contents: inout Contents) -> [Finding] {
        AccountReader.uniqued(contents.unresolved)
    }

    // MARK: - Folders

    /// The principal folders in `users/`, `groups/` or `roles/`, by name; files there are warned about.
    private mutating func principalFolders(_ folder: Entry?) -> [Entry] {
        guard let folder, let children = entries(of: folder) else { return [] }
        return children.filter { child in
            if child.kind == .directory { return true }
            findings.append(Finding(.ignoredAccountEntry, .warning, "\(child.display) is not a folder; \(folder.name)/ holds one folder per principal, so it is ignored", at: child.span))
            return false
        }
    }

    /// The documents of a principal folder: `special` names (without extension) are kept apart, the
    /// others are inline policies; `groups.txt` is noted when `readsGroups` (a user's folder).
    private mutating func read(_ folder: Entry, special: Set<String>, readsGroups: Bool = false) -> Contents {
        var contents = Contents()
        guard let children = entries(of: folder) else {
            contents.unresolved += findings.suffix(1)  // why it cannot be listed
            return contents
        }
        for child in children {
            if child.kind == .directory {
                findings.append(Finding(.ignoredAccountEntry, .warning, "\(child.display) is a folder inside a principal's folder; it is ignored", at: child.span))
                continue
            }
            if child.name == "groups.txt", readsGroups {
                contents.groupsFile = child
                continue
            }
            guard child.isDocument, let base = child.stem?.base else { continue }
            let parsed = PolicyParser.parse(contentsOf: child.path, displayName: child.display, limits: limits)
            findings += parsed.findings
            contents.unresolved += AccountReader.problems(of: parsed)
            if special.contains(base) {
                if contents.special[base] != nil {
                    let finding = Finding(.invalidPolicyProperty, .error, "\(folder.display) has more than one \(base) document; \(child.name) is ignored", at: child.span)
                    findings.append(finding)
                    contents.unresolved.append(finding)
                } else {
                    contents.special[base] = parsed
                }
            } else {
                contents.policies.append(AttachedPolicy(origin: .inline(name: base), parsed: parsed))
            }
        }
        return contents
    }

    /// The non-hidden entries of a folder, by name. Symbolic links are not followed (a warning); a
    /// folder that cannot be listed is an error and gives `nil`.
    private mutating func entries(of folder: Entry) -> [Entry]? {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            findings.append(Finding(SourceError(.unreadable, "cannot read the folder \(folder.path)", at: folder.span)))
            return nil
        }
        var result: [Entry] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = folder.path.hasSuffix("/") ? folder.path + name : folder.path + "/" + name
            let display = folder.display.hasSuffix("/") ? folder.display + name : folder.display + "/" + name
            var status = stat()
            let kind: Entry.Kind
            if lstat(path, &status) != 0 {
                kind = .file  // reading it reports why it cannot be read
            } else {
                switch status.st_mode & S_IFMT {
                case S_IFLNK:
                    findings.append(Finding(.ignoredAccountEntry, .warning, "\(display) is a symbolic link; links are not followed", at: .startOfFile(display)))
                    continue
                case S_IFDIR: kind = .directory
                case S_IFREG: kind = .file
                default: kind = .other
                }
            }
            result.append(Entry(name: name, path: path, display: display, kind: kind))
        }
        return result
    }

    // MARK: - Small files

    /// The lines of a small text file, or `nil` (with an error) when it cannot be read as UTF-8.
    private mutating func lines(of entry: Entry) -> [Substring]? {
        switch SourceReader.readFile(entry.path, file: entry.display, limits: limits) {
        case .success(let bytes):
            guard let text = String(bytes: bytes, encoding: .utf8) else {
                findings.append(Finding(SourceError(.invalidEncoding, "\(entry.display) is not UTF-8 text", at: entry.span)))
                return nil
            }
            return text.split(separator: "\n", omittingEmptySubsequences: false)
        case .failure(let error):
            findings.append(Finding(error))
            return nil
        }
    }

    private mutating func readAccountID(_ entry: Entry) -> String? {
        guard let lines = lines(of: entry) else { return nil }
        let text = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        guard AccountReader.isAccountID(text[...]) else {
            findings.append(Finding(.invalidPolicyProperty, .error, "\(entry.display) must hold a 12-digit account ID, found \"\(text.prefix(40))\"; \(AccountReader.defaultAccountID) is used", at: entry.span))
            return nil
        }
        return text
    }

    /// The group names of `groups.txt`, each located at its line; a group without a folder is an error.
    private mutating func readGroups(_ entry: Entry, user: String, known: Set<String>, unresolved: inout [Finding]) -> [String] {
        guard let lines = lines(of: entry) else {
            unresolved += findings.suffix(1)  // why it cannot be read
            return []
        }
        var names: [String] = []
        for (index, line) in lines.enumerated() {
            let name = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty || name.hasPrefix("#") { continue }
            names.append(name)
            guard !known.contains(name) else { continue }
            let leading = line.unicodeScalars.prefix { $0 == " " || $0 == "\t" }.count
            let start = SourceLocation(line: index + 1, column: leading + 1)
            let end = SourceLocation(line: index + 1, column: leading + 1 + name.unicodeScalars.count)
            let finding = AccountReader.unknownGroup(name, user: user, at: SourceSpan(file: entry.display, start: start, end: end))
            findings.append(finding)
            unresolved.append(finding)
        }
        return names
    }
}
