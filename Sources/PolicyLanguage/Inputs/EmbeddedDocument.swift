/// A policy document as inputs hold it: an object, or a string with URL-encoded or plain JSON (the raw
/// IAM API), decoded with its spans in the original file.
enum EmbeddedDocument {
    /// The decoded document; `what` names it in the error of a value that is neither (then the
    /// `ParsedPolicy` has no policy and that one error).
    static func decode(_ node: SourceNode, what: String, in original: OriginalFile, limits: ReadLimits) -> ParsedPolicy {
        switch node.kind {
        case .object:
            return PolicyParser.parse(node: node, limits: limits.document)
        case .string(let text):
            switch EmbeddedJSONString.read(node, text: text, in: original, limits: limits) {
            case .success(let inner): return PolicyParser.parse(node: inner, limits: limits.document)
            case .failure(let error): return ParsedPolicy(file: original.name, policy: nil, findings: [Finding(error)])
            }
        default:
            let finding = Finding(.invalidPolicyProperty, .error, "the document of \(what) must be an object or a string, found \(node.typeDescription)", at: node.span)
            return ParsedPolicy(file: original.name, policy: nil, findings: [finding])
        }
    }
}
