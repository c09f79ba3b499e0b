/// Input discovery: classifies one file and extracts every IAM policy document it holds.
///
/// Guarantees:
/// - Never throws and never traps, whatever the file holds (the readers' guarantees, and extractors
///   that only look up what is there).
/// - A file that cannot be read or parsed (unreadable, too large, malformed JSON or YAML) is REPORTED:
///   format `.unrecognized` with the `.error` finding, located at `file:line:column`.
/// - A JSON or YAML file that holds no policy (package.json, a CI configuration) is `.unrecognized`
///   with no findings: not an error.
/// - Every extracted document is decoded with `PolicyParser.parse(node:)` and its spans are in the
///   ORIGINAL file, including documents embedded as JSON strings (see `EmbeddedJSONString`) and
///   CloudFormation documents whose intrinsics were resolved (see `IntrinsicResolver`).
/// See `InputClassifier` for how the format is decided.
public enum PolicyExtractor {
    /// Reads, classifies and extracts the file at `path`. `displayName` names the file in spans
    /// (default: `path`). The syntax comes from the extension (`.json`; `.yaml`/`.yml`), else from
    /// the content.
    public static func extract(contentsOf path: String, displayName: String? = nil, limits: ReadLimits = .default) -> ExtractedFile {
        let file = displayName ?? path
        switch SourceReader.readFile(path, file: file, limits: limits) {
        case .success(let bytes):
            return extract(bytes: bytes, file: file, format: SourceFormat.detect(path: path, bytes: bytes), limits: limits)
        case .failure(let error):
            return ExtractedFile(file: file, format: .unrecognized, findings: [Finding(error)])
        }
    }

    /// Classifies and extracts a file held in memory; `file` names it in spans, and its extension (if
    /// any) decides JSON or YAML, as for a path.
    public static func extract(bytes: [UInt8], file: String, limits: ReadLimits = .default) -> ExtractedFile {
        extract(bytes: bytes, file: file, format: SourceFormat.detect(path: file, bytes: bytes), limits: limits)
    }

    static func extract(bytes: [UInt8], file: String, format: SourceFormat, limits: ReadLimits) -> ExtractedFile {
        let root: SourceNode
        switch SourceReader.read(bytes: bytes, file: file, format: format, limits: limits) {
        case .success(let node): root = node
        case .failure(let error): return ExtractedFile(file: file, format: .unrecognized, findings: [Finding(error)])
        }
        let original = OriginalFile(name: file, bytes: bytes, format: format)
        let kind = InputClassifier.classify(root)
        switch kind {
        case .policy:
            let parsed = PolicyParser.parse(node: root, limits: limits.document)
            let type = parsed.policy?.inferType().type ?? .identity
            return ExtractedFile(file: file, format: kind, policies: [EmbeddedPolicy(name: "policy", type: type, parsed: parsed)])
        case .cloudFormation:
            var extractor = CloudFormationExtractor(root: root, original: original, limits: limits)
            extractor.extract()
            return ExtractedFile(file: file, format: kind, policies: extractor.policies, findings: extractor.findings)
        case .terraformPlan:
            var extractor = TerraformPlanExtractor(root: root, original: original, limits: limits)
            extractor.extract()
            return ExtractedFile(file: file, format: kind, policies: extractor.policies, findings: extractor.findings)
        case .accountExport:
            var extractor = AccountAuthorizationDetailsExtractor(root: root, original: original, limits: limits)
            extractor.extract()
            return ExtractedFile(file: file, format: kind, policies: extractor.policies, findings: extractor.findings)
        case .unrecognized:
            return ExtractedFile(file: file, format: kind)
        }
    }
}
