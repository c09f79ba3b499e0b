/// Reads a `get-account-authorization-details` export into an `AccountInventory` (see
/// `AccountReader.read(exportAt:)` for what is read). Documents are decoded as
/// `AccountAuthorizationDetailsExtractor` decodes them: objects with `PolicyParser.parse(node:)`,
/// strings (URL-encoded or JSON) with `EmbeddedJSONString`, so spans are in the export file.
struct AccountExportReader {
    /// A managed policy of `Policies`: its default version's document.
    private struct Managed {
        var parsed: ParsedPolicy
        var problems: [Finding]
    }

    private let root: SourceNode
    private let original: OriginalFile
    private let limits: ReadLimits
    private var findings: [Finding] = []
    private var accountID = AccountReader.defaultAccountID
    private var managed: [String: Managed] = [:]

    private init(root: SourceNode, original: OriginalFile, limits: ReadLimits) {
        self.root = root
        self.original = original
        self.limits = limits
    }

    static func read(bytes: [UInt8], file: String, format: SourceFormat, limits: ReadLimits) -> AccountInventory {
        switch SourceReader.read(bytes: bytes, file: file, format: format, limits: limits) {
        case .failure(let error):
            return AccountInventory(source: file, accountID: AccountReader.defaultAccountID, findings: [Finding(error)])
        case .success(let root):
            guard root.members != nil else {
                let finding = Finding(.invalidPolicyProperty, .error, "an account authorization details export must be an object, found \(root.typeDescription)", at: root.span)
                return AccountInventory(source: file, accountID: AccountReader.defaultAccountID, findings: [finding])
            }
            var reader = AccountExportReader(root: root, original: OriginalFile(name: file, bytes: bytes, format: format), limits: limits)
            return reader.read()
        }
    }

    private mutating func read() -> AccountInventory {
        var ignored: [Finding] = []
        let userEntries = entries(root, "UserDetailList", unresolved: &ignored)
        let groupEntries = entries(root, "GroupDetailList", unresolved: &ignored)
        let roleEntries = entries(root, "RoleDetailList", unresolved: &ignored)
        let policyEntries = entries(root, "Policies", unresolved: &ignored)

        var arns: [Located<String>] = []
        for entry in userEntries + roleEntries + groupEntries {
            if case .string(let arn)? = InputTree.value(entry, "Arn")?.kind { arns.append(Located(arn, at: InputTree.value(entry, "Arn")!.span)) }
        }
        accountID = AccountReader.accountID(from: arns, noneAt: root.span, findings: &findings)

        for entry in policyEntries { readManaged(entry) }
        let groups = groupEntries.compactMap { readGroup($0) }
        let names = Set(groups.map(\.name))
        let users = userEntries.compactMap { readUser($0, groups: names) }
        let roles = roleEntries.compactMap { readRole($0) }
        return AccountReader.inventory(source: original.name, accountID: accountID, users: users, groups: groups, roles: roles, findings: findings)
    }

    // MARK: - Principals

    private mutating func readGroup(_ entry: SourceNode) -> IAMGroup? {
        guard let name = name(of: entry, key: "GroupName") else { return nil }
        var unresolved: [Finding] = []
        let label = "group/\(name)"
        let policies = identityPolicies(entry, inlineKey: "GroupPolicyList", label: label, unresolved: &unresolved)
        return IAMGroup(name: name, arn: arn(of: entry, kind: "group", name: name), policies: policies, unresolved: unresolved, span: entry.span)
    }

    private mutating func readUser(_ entry: SourceNode, groups known: Set<String>) -> IAMUser? {
        guard let name = name(of: entry, key: "UserName") else { return nil }
        var unresolved: [Finding] = []
        let label = "user/\(name)"
        var groups: [String] = []
        for element in entries(entry, "GroupList", label: label, unresolved: &unresolved) {
            guard case .string(let group) = element.kind else {
                error(.invalidPolicyProperty, "each GroupList entry of \(label) must be a string, found \(element.typeDescription)", at: element.span, unresolved: &unresolved)
                continue
            }
            groups.append(group)
            if !known.contains(group) {
                let finding = AccountReader.unknownGroup(group, user: name, at: element.span)
                findings.append(finding)
                unresolved.append(finding)
            }
        }
        let policies = identityPolicies(entry, inlineKey: "UserPolicyList", label: label, unresolved: &unresolved)
        let boundary = boundary(of: entry, label: label, unresolved: &unresolved)
        return IAMUser(name: name, arn: arn(of: entry, kind: "user", name: name), groups: groups, policies: policies, boundary: boundary, unresolved: unresolved, span: entry.span)
    }

    private mutating func readRole(_ entry: SourceNode) -> IAMRole? {
        guard let name = name(of: entry, key: "RoleName") else { return nil }
        var unresolved: [Finding] = []
        let label = "role/\(name)"
        var trust: ParsedPolicy?
        // A trust policy's problems decide who may assume the role, not what it may do: they are
        // findings, not the role's unresolved parts.
        var trustProblems: [Finding] = []
        if let document = InputTree.value(entry, "AssumeRolePolicyDocument"), document.kind != .null {
            trust = decode(document, what: "\(label) AssumeRolePolicyDocument", unresolved: &trustProblems)
        } else {
            error(.missingPolicyProperty, "\(label) has no AssumeRolePolicyDocument (trust policy)", at: entry.span, unresolved: &trustProblems)
        }
        let policies = identityPolicies(entry, inlineKey: "RolePolicyList", label: label, unresolved: &unresolved)
        let boundary = boundary(of: entry, label: label, unresolved: &unresolved)
        return IAMRole(name: name, arn: arn(of: entry, kind: "role", name: name), trust: trust, policies: policies, boundary: boundary, unresolved: unresolved, span: entry.span)
    }

    /// The inline policies (`inlineKey`) then the attached managed policies of a principal.
    private mutating func identityPolicies(_ entry: SourceNode, inlineKey: String, label: String, unresolved: inout [Finding]) -> [AttachedPolicy] {
        var policies: [AttachedPolicy] = []
        for inline in entries(entry, inlineKey, label: label, unresolved: &unresolved) {
            let before = unresolved.count
            guard let name = string(inline, "PolicyName", label: label, unresolved: &unresolved) else {
                if unresolved.count == before { error(.invalidPolicyProperty, "an entry of \(label) \(inlineKey) has no PolicyName", at: inline.span, unresolved: &unresolved) }
                continue
            }
            guard let document = InputTree.value(inline, "PolicyDocument"), document.kind != .null else {
                error(.missingPolicyProperty, "the inline policy \(name) of \(label) has no PolicyDocument", at: inline.span, unresolved: &unresolved)
                continue
            }
            let parsed = decode(document, what: "\(label) inline \(name)", unresolved: &unresolved)
            policies.append(AttachedPolicy(origin: .inline(name: name), parsed: parsed))
        }
        for attachment in entries(entry, "AttachedManagedPolicies", label: label, unresolved: &unresolved) {
            guard let arn = InputTree.value(attachment, "PolicyArn") else {
                error(.invalidPolicyProperty, "an entry of \(label) AttachedManagedPolicies has no PolicyArn", at: attachment.span, unresolved: &unresolved)
                continue
            }
            if let policy = resolve(arn, label: label, unresolved: &unresolved) { policies.append(policy) }
        }
        return policies
    }

    private mutating func boundary(of entry: SourceNode, label: String, unresolved: inout [Finding]) -> AttachedPolicy? {
        guard let boundary = InputTree.value(entry, "PermissionsBoundary"), boundary.kind != .null else { return nil }
        guard boundary.members != nil else {
            error(.invalidPolicyProperty, "PermissionsBoundary of \(label) must be an object, found \(boundary.typeDescription)", at: boundary.span, unresolved: &unresolved)
            return nil
        }
        guard let arn = InputTree.value(boundary, "PermissionsBoundaryArn") else {
            error(.invalidPolicyProperty, "PermissionsBoundary of \(label) has no PermissionsBoundaryArn", at: boundary.span, unresolved: &unresolved)
            return nil
        }
        return resolve(arn, label: label, unresolved: &unresolved)
    }

    /// The managed policy whose ARN `node` holds, from `Policies`; an error when it is not there.
    private mutating func resolve(_ node: SourceNode, label: String, unresolved: inout [Finding]) -> AttachedPolicy? {
        guard case .string(let arn) = node.kind else {
            error(.invalidPolicyProperty, "a managed policy ARN of \(label) must be a string, found \(node.typeDescription)", at: node.span, unresolved: &unresolved)
            return nil
        }
        guard let policy = managed[arn] else {
            error(.unresolvedAccountReference, "the managed policy \(arn) attached to \(label) is not in the export's Policies", at: node.span, unresolved: &unresolved)
            return nil
        }
        unresolved += policy.problems
        return AttachedPolicy(origin: .managed(arn: arn), parsed: policy.parsed)
    }

    // MARK: - Managed policies

    private mutating func readManaged(_ entry: SourceNode) {
        var ignored: [Finding] = []
        guard let arn = string(entry, "Arn", label: "a managed policy", unresolved: &ignored) else {
            if ignored.isEmpty { error(.invalidPolicyProperty, "a Policies entry has no Arn", at: entry.span, unresolved: &ignored) }
            return
        }
        guard managed[arn] == nil else { return }
        let label = "policy/\(arn)"
        var problems: [Finding] = []
        let versions = entries(entry, "PolicyVersionList", label: label, unresolved: &problems)
        let flagged = versions.first { InputTree.value($0, "IsDefaultVersion")?.kind == .bool(true) }
        let defaultID = string(entry, "DefaultVersionId", label: label, unresolved: &problems)
        let chosen = flagged ?? defaultID.flatMap { id in versions.first { InputTree.string($0, "VersionId") == id } }
        let parsed: ParsedPolicy
        if let chosen, let document = InputTree.value(chosen, "Document"), document.kind != .null {
            parsed = decode(document, what: "\(label) (\(InputTree.string(chosen, "VersionId") ?? "default"))", unresolved: &problems)
        } else {
            let message = chosen == nil
                ? "\(label) has no default version in PolicyVersionList (none has IsDefaultVersion true, none has the VersionId \(defaultID ?? "DefaultVersionId"))"
                : "the default version of \(label) has no Document"
            let finding = Finding(.missingPolicyProperty, .error, message, at: (chosen ?? entry).span)
            findings.append(finding)
            problems.append(finding)
            parsed = ParsedPolicy(file: original.name, policy: nil, findings: [finding])
        }
        managed[arn] = Managed(parsed: parsed, problems: AccountReader.uniqued(problems))
    }

    // MARK: - Reading values

    /// A document: an object, or a string holding URL-encoded or plain JSON. Its findings go to
    /// `findings`, and the errors that keep it from being evaluated to `unresolved`.
    private mutating func decode(_ node: SourceNode, what: String, unresolved: inout [Finding]) -> ParsedPolicy {
        let parsed = EmbeddedDocument.decode(node, what: what, in: original, limits: limits)
        findings += parsed.findings
        unresolved += AccountReader.problems(of: parsed)
        return parsed
    }

    /// The elements of the list `key` of `node`: absent or null is empty; another type than an
    /// array is an error, read as empty.
    private mutating func entries(_ node: SourceNode, _ key: String, label: String? = nil, unresolved: inout [Finding]) -> [SourceNode] {
        let name = label.map { "\($0) \(key)" } ?? key
        guard let value = InputTree.value(node, key), value.kind != .null else { return [] }
        guard let elements = value.elements else {
            error(.invalidPolicyProperty, "\(name) must be an array, found \(value.typeDescription)", at: value.span, unresolved: &unresolved)
            return []
        }
        if key == "GroupList" { return elements }
        return elements.filter { element in
            if element.members != nil { return true }
            error(.invalidPolicyProperty, "each entry of \(name) must be an object, found \(element.typeDescription)", at: element.span, unresolved: &unresolved)
            return false
        }
    }

    /// The string `key` of `node`; `nil` when absent, and an error when of another type.
    private mutating func string(_ node: SourceNode, _ key: String, label: String, unresolved: inout [Finding]) -> String? {
        guard let value = InputTree.value(node, key), value.kind != .null else { return nil }
        guard case .string(let text) = value.kind else {
            error(.invalidPolicyProperty, "\(key) of \(label) must be a string, found \(value.typeDescription)", at: value.span, unresolved: &unresolved)
            return nil
        }
        return text
    }

    /// The principal's name; `nil`, with an error at the entry, when it has none.
    private mutating func name(of entry: SourceNode, key: String) -> String? {
        var ignored: [Finding] = []
        guard let name = string(entry, key, label: "the entry", unresolved: &ignored), !name.isEmpty else {
            if ignored.isEmpty { error(.invalidPolicyProperty, "the entry has no \(key); it is skipped", at: entry.span, unresolved: &ignored) }
            return nil
        }
        return name
    }

    /// The principal's `Arn`, or one built from the account ID and the name.
    private mutating func arn(of entry: SourceNode, kind: String, name: String) -> String {
        var ignored: [Finding] = []
        return string(entry, "Arn", label: "\(kind)/\(name)", unresolved: &ignored)
            ?? AccountReader.arn(account: accountID, kind: kind, name: name)
    }

    private mutating func error(_ code: FindingCode, _ message: String, at span: SourceSpan, unresolved: inout [Finding]) {
        let finding = Finding(code, .error, message, at: span)
        findings.append(finding)
        unresolved.append(finding)
    }
}
