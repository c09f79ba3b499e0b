/// Finds the policy documents in `aws iam get-account-authorization-details` output.
///
/// - `UserDetailList[].UserPolicyList[]` → `user/<name> inline <PolicyName>` (identity);
/// - `GroupDetailList[].GroupPolicyList[]` → `group/<name> inline <PolicyName>` (identity);
/// - `RoleDetailList[].AssumeRolePolicyDocument` → `role/<name> (trust)` (trust), and
///   `RoleDetailList[].RolePolicyList[]` → `role/<name> inline <PolicyName>` (identity);
/// - `Policies[].PolicyVersionList[]` whose `IsDefaultVersion` is true (only the default version:
///   the others grant nothing) → `policy/<Arn> (<VersionId>)` (identity, also when the policy is used
///   as a permissions boundary: the document follows identity rules).
/// A document is an object (the AWS CLI decodes it) or a string: URL-encoded JSON (the raw API), or
/// JSON; strings are read with `EmbeddedJSONString`. An export names no resource types, so
/// `sourceType` is `nil` (the name says whether a user, group, role or managed policy holds it).
struct AccountAuthorizationDetailsExtractor {
    let root: SourceNode
    let original: OriginalFile
    let limits: ReadLimits
    var policies: [EmbeddedPolicy] = []
    var findings: [Finding] = []

    init(root: SourceNode, original: OriginalFile, limits: ReadLimits) {
        self.root = root
        self.original = original
        self.limits = limits
    }

    /// The elements of a list the export must hold as an array. Absent or null is an empty list; any
    /// other value is reported (a wrong type must not pass silently) and read as empty.
    private mutating func elements(_ value: SourceNode?, named name: String) -> [SourceNode] {
        guard let value, value.kind != .null else { return [] }
        guard let elements = value.elements else {
            findings.append(Finding(.invalidPolicyProperty, .error, "\(name) must be an array, found \(value.typeDescription)", at: value.span))
            return []
        }
        return elements
    }

    mutating func extract() {
        for (list, kind, nameKey, inlineKey) in [
            ("UserDetailList", "user", "UserName", "UserPolicyList"),
            ("GroupDetailList", "group", "GroupName", "GroupPolicyList"),
            ("RoleDetailList", "role", "RoleName", "RolePolicyList"),
        ] {
            for principal in elements(InputTree.value(root, list), named: list) {
                let label = "\(kind)/\(InputTree.string(principal, nameKey) ?? "?")"
                if kind == "role", let trust = InputTree.value(principal, "AssumeRolePolicyDocument") {
                    document(trust, name: "\(label) (trust)", type: .trust)
                }
                for inline in elements(InputTree.value(principal, inlineKey), named: "\(label) \(inlineKey)") {
                    guard let policy = InputTree.value(inline, "PolicyDocument") else { continue }
                    document(policy, name: "\(label) inline \(InputTree.string(inline, "PolicyName") ?? "?")", type: .identity)
                }
            }
        }
        for managed in elements(InputTree.value(root, "Policies"), named: "Policies") {
            let arn = InputTree.string(managed, "Arn") ?? InputTree.string(managed, "PolicyName") ?? "?"
            for version in elements(InputTree.value(managed, "PolicyVersionList"), named: "policy/\(arn) PolicyVersionList") {
                guard InputTree.value(version, "IsDefaultVersion")?.kind == .bool(true),
                      let policy = InputTree.value(version, "Document") else { continue }
                let versionId = InputTree.string(version, "VersionId") ?? InputTree.string(managed, "DefaultVersionId") ?? "default"
                document(policy, name: "policy/\(arn) (\(versionId))", type: .identity)
            }
        }
    }

    private mutating func document(_ node: SourceNode, name: String, type: PolicyType) {
        let parsed = EmbeddedDocument.decode(node, what: name, in: original, limits: limits)
        // A value that is no document at all is the file's error, not a policy's.
        switch node.kind {
        case .object, .string: policies.append(EmbeddedPolicy(name: name, type: type, sourceType: nil, parsed: parsed))
        default: findings += parsed.findings
        }
    }
}
