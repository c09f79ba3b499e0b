/// Finds the policy documents in `terraform show -json` output, of a plan or of a state.
///
/// Walks `planned_values.root_module` (a plan) or else `values.root_module` (a state), with their
/// `child_modules` recursively, or, when neither is there, the `after` values of `resource_changes`.
/// Managed resources only (a data source such as `aws_iam_policy_document` is an intermediate value
/// that the resources using it repeat). Attributes read:
/// - identity: `aws_iam_policy.policy`, `aws_iam_role.inline_policy[].policy`,
///   `aws_iam_role_policy.policy`, `aws_iam_user_policy.policy`, `aws_iam_group_policy.policy`;
/// - trust: `aws_iam_role.assume_role_policy`;
/// - resource: `aws_s3_bucket_policy.policy`, `aws_sqs_queue_policy.policy`,
///   `aws_sns_topic_policy.policy`, `aws_kms_key.policy`, `aws_ecr_repository_policy.policy`,
///   `aws_secretsmanager_secret_policy.policy`.
/// Each value is a JSON string, read with `EmbeddedJSONString`, so spans point into the plan file.
/// A policy attribute that `resource_changes[].change.after_unknown` marks as unknown until apply is
/// not passed silently: it is a `.warning` file finding `UNKNOWN_UNTIL_APPLY` naming the resource.
/// Policies are named `<address>.<attribute>` (`aws_iam_role.app.assume_role_policy`).
struct TerraformPlanExtractor {
    static let attributes: [String: [(attribute: String, type: PolicyType)]] = [
        "aws_iam_policy": [("policy", .identity)],
        "aws_iam_role": [("assume_role_policy", .trust)],
        "aws_iam_role_policy": [("policy", .identity)],
        "aws_iam_user_policy": [("policy", .identity)],
        "aws_iam_group_policy": [("policy", .identity)],
        "aws_s3_bucket_policy": [("policy", .resource)],
        "aws_sqs_queue_policy": [("policy", .resource)],
        "aws_sns_topic_policy": [("policy", .resource)],
        "aws_kms_key": [("policy", .resource)],
        "aws_ecr_repository_policy": [("policy", .resource)],
        "aws_secretsmanager_secret_policy": [("policy", .resource)],
    ]

    let root: SourceNode
    let original: OriginalFile
    let limits: ReadLimits
    var policies: [EmbeddedPolicy] = []
    var findings: [Finding] = []
    /// `after_unknown` of each resource address, from `resource_changes`.
    private var unknown: [String: SourceNode] = [:]

    init(root: SourceNode, original: OriginalFile, limits: ReadLimits) {
        self.root = root
        self.original = original
        self.limits = limits
        for change in InputTree.value(root, "resource_changes")?.elements ?? [] {
            if let address = InputTree.string(change, "address"), let afterUnknown = InputTree.value(InputTree.value(change, "change"), "after_unknown") {
                unknown[address] = afterUnknown
            }
        }
    }

    mutating func extract() {
        if let module = InputTree.value(InputTree.value(root, "planned_values"), "root_module")
            ?? InputTree.value(InputTree.value(root, "values"), "root_module") {
            walk(module, depth: 0)
            return
        }
        for change in InputTree.value(root, "resource_changes")?.elements ?? [] {
            guard let values = InputTree.value(InputTree.value(change, "change"), "after"), values.members != nil else {
                reportUnknownResource(change)
                continue
            }
            extract(resource: change, values: values)
        }
    }

    private mutating func walk(_ module: SourceNode, depth: Int) {
        for resource in InputTree.value(module, "resources")?.elements ?? [] {
            extract(resource: resource, values: InputTree.value(resource, "values"))
        }
        guard depth < 100 else { return }
        for child in InputTree.value(module, "child_modules")?.elements ?? [] {
            walk(child, depth: depth + 1)
        }
    }

    /// A planned resource whose whole `after` value is unknown.
    private mutating func reportUnknownResource(_ change: SourceNode) {
        guard let type = InputTree.string(change, "type"), Self.attributes[type] != nil,
              InputTree.string(change, "mode") != "data", let address = InputTree.string(change, "address"),
              let afterUnknown = unknown[address], afterUnknown.kind == .bool(true) else { return }
        for (attribute, _) in Self.attributes[type] ?? [] {
            unknownUntilApply("\(address).\(attribute)", at: span(of: change))
        }
    }

    private mutating func extract(resource: SourceNode, values: SourceNode?) {
        guard let type = InputTree.string(resource, "type"), InputTree.string(resource, "mode") != "data",
              let address = InputTree.string(resource, "address") else { return }
        let location = span(of: resource)
        let afterUnknown = unknown[address]
        for (attribute, policyType) in Self.attributes[type] ?? [] {
            policy(InputTree.value(values, attribute), name: "\(address).\(attribute)", type: policyType, sourceType: type,
                   isUnknown: InputTree.value(afterUnknown, attribute)?.kind == .bool(true), location: location)
        }
        guard type == "aws_iam_role" else { return }
        if InputTree.value(afterUnknown, "inline_policy")?.kind == .bool(true) {
            unknownUntilApply("\(address).inline_policy", at: location)
            return
        }
        let unknownInline = InputTree.value(afterUnknown, "inline_policy")?.elements ?? []
        for (index, block) in (InputTree.value(values, "inline_policy")?.elements ?? []).enumerated() {
            let blockName = InputTree.string(block, "name").map { $0.isEmpty ? "" : " (\($0))" } ?? ""
            let isUnknown = index < unknownInline.count && InputTree.value(unknownInline[index], "policy")?.kind == .bool(true)
            policy(InputTree.value(block, "policy"), name: "\(address).inline_policy[\(index)].policy\(blockName)", type: .identity,
                   sourceType: type, isUnknown: isUnknown, location: location)
        }
    }

    private mutating func policy(_ value: SourceNode?, name: String, type: PolicyType, sourceType: String, isUnknown: Bool, location: SourceSpan) {
        guard let value, case .string(let text) = value.kind, !text.isEmpty else {
            if isUnknown {
                unknownUntilApply(name, at: location)
            } else if let value, value.kind != .null, value.scalarText?.isEmpty != true {
                // Absent, null and "" mean "no policy"; any other type cannot be one and must not pass silently.
                findings.append(Finding(.invalidPolicyProperty, .error, "\(name) must be a JSON policy document in a string, found \(value.typeDescription)", at: value.span))
            }
            return
        }
        let parsed: ParsedPolicy
        switch EmbeddedJSONString.read(value, text: text, in: original, limits: limits) {
        case .success(let node): parsed = PolicyParser.parse(node: node, limits: limits.document)
        case .failure(let error): parsed = ParsedPolicy(file: original.name, policy: nil, findings: [Finding(error)])
        }
        policies.append(EmbeddedPolicy(name: name, type: type, sourceType: sourceType, parsed: parsed))
    }

    private mutating func unknownUntilApply(_ name: String, at span: SourceSpan) {
        findings.append(Finding(
            .unknownUntilApply, .warning,
            "\(name) is known only after apply (it depends on values Terraform computes while applying), so this plan does not show the policy and it cannot be checked",
            at: span))
    }

    /// Where a resource is written: its `address` value, else the resource object.
    private func span(of resource: SourceNode) -> SourceSpan {
        InputTree.value(resource, "address")?.span ?? resource.span
    }
}
