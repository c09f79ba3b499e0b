import PolicyAudit

/// Expands the paths a user gives into the policy files to read, in a stable order.
enum InputFiles {
    /// Extensions read when walking a directory; files named explicitly are read whatever their name.
    static let policyExtensions: Set<String> = ["json", "yaml", "yml"]

    /// One entry per input, walked as an audit walks its tree (`AuditTree`) but for policy files only:
    /// files as given, directories recursively, sorted; hidden entries skipped; links to directories
    /// not walked (so link loops cannot hang the walk); a directory that cannot be listed, a path that
    /// does not exist and a dangling link are returned too, so that reading them reports them.
    static func expand(_ paths: [String]) -> [String] {
        AuditTree.files(under: paths, extensions: policyExtensions).map(\.path)
    }
}
