/// The outcome of reading one policy file: the policy when the document had the shape of one, and every
/// finding from reading and decoding it.
public struct ParsedPolicy: Sendable {
    /// The file name as given.
    public var file: String
    /// The policy; `nil` when the file could not be read or its root is not an object.
    public var policy: Policy?
    /// Reading and structural findings, all of severity `error`.
    public var findings: [Finding]

    public init(file: String, policy: Policy?, findings: [Finding]) {
        self.file = file
        self.policy = policy
        self.findings = findings
    }

    /// Whether the document was read and decoded without any error.
    public var isWellFormed: Bool { policy != nil && !findings.contains { $0.severity == .error } }

    /// Whether the policy can be evaluated exactly as written: it was read, and decoding lost nothing.
    /// A plain-string principal (`"Principal": "arn:…"`) is reported but keeps its meaning
    /// (`{"AWS": "arn:…"}`), so it does not prevent evaluation.
    public var isEvaluable: Bool {
        policy != nil && !findings.contains { $0.severity == .error && $0.code != .invalidPrincipal }
    }
}

/// Reads policy documents (JSON or YAML) into located `Policy` values.
public enum PolicyParser {
    /// Reads and decodes the file at `path`. `displayName` is used in spans (default: `path`).
    /// Never throws and never crashes: unreadable or malformed files give `error` findings.
    public static func parse(contentsOf path: String, displayName: String? = nil, limits: ReadLimits = .default) -> ParsedPolicy {
        let file = displayName ?? path
        return decode(SourceReader.read(contentsOf: path, displayName: file, limits: limits), file: file, limits: limits.document)
    }

    /// Reads and decodes a document held in memory; `format` `nil` means sniffing JSON vs YAML.
    public static func parse(text: String, file: String, format: SourceFormat? = nil, limits: ReadLimits = .default) -> ParsedPolicy {
        decode(SourceReader.read(bytes: Array(text.utf8), file: file, format: format, limits: limits), file: file, limits: limits.document)
    }

    /// Decodes an already-read document tree (for instance a policy embedded in a template).
    public static func parse(node: SourceNode, limits: PolicyLimits = .default) -> ParsedPolicy {
        let (policy, findings) = PolicyDecoder.decode(node, limits: limits)
        return ParsedPolicy(file: node.span.file, policy: policy, findings: findings)
    }

    private static func decode(_ result: Result<SourceNode, SourceError>, file: String, limits: PolicyLimits) -> ParsedPolicy {
        switch result {
        case .success(let node): return parse(node: node, limits: limits)
        case .failure(let error): return ParsedPolicy(file: file, policy: nil, findings: [Finding(error)])
        }
    }
}
