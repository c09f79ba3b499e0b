/// Finds the policy documents of a CloudFormation template (JSON or YAML) and decodes each one with
/// its intrinsics resolved (see `IntrinsicResolver` for the rules).
///
/// Policy properties, by resource type:
/// - identity: `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy`, `AWS::IAM::RolePolicy`,
///   `AWS::IAM::UserPolicy`, `AWS::IAM::GroupPolicy` → `PolicyDocument`; `AWS::IAM::Role`,
///   `AWS::IAM::User`, `AWS::IAM::Group` → each `Policies[i].PolicyDocument`;
///   `AWS::SSO::PermissionSet` → `InlinePolicy`;
/// - trust: `AWS::IAM::Role` → `AssumeRolePolicyDocument`;
/// - resource: `AWS::S3::BucketPolicy`, `AWS::SQS::QueuePolicy`, `AWS::SNS::TopicPolicy`,
///   `AWS::Logs::ResourcePolicy` → `PolicyDocument`; `AWS::KMS::Key` → `KeyPolicy`;
///   `AWS::SecretsManager::ResourcePolicy` → `ResourcePolicy`; `AWS::ECR::Repository` →
///   `RepositoryPolicyText`; `AWS::S3::AccessPoint` → `Policy`; `AWS::OpenSearchService::Domain`,
///   `AWS::Elasticsearch::Domain` → `AccessPolicies`; `AWS::Lambda::Permission` → the statement it
///   adds to the function's policy (see `LambdaPermissionStatement`).
///
/// A document written as a JSON string is read with `EmbeddedJSONString`. A document (or a `Policies`
/// list or entry) that is an `Fn::If` of documents gives one policy per branch, named `(if C)` and
/// `(unless C)`. A property of a type that cannot hold a document, or a required one that is missing,
/// is an `.error` file finding.
struct CloudFormationExtractor {
    struct PolicyProperty {
        var key: String
        var type: PolicyType
        /// `Policies`: a list of `{PolicyName, PolicyDocument}`.
        var isInlineList = false
        var isRequired = false
    }

    static let properties: [String: [PolicyProperty]] = {
        let identity = PolicyProperty(key: "PolicyDocument", type: .identity, isRequired: true)
        let inline = PolicyProperty(key: "Policies", type: .identity, isInlineList: true)
        let resource = PolicyProperty(key: "PolicyDocument", type: .resource, isRequired: true)
        return [
            "AWS::IAM::Policy": [identity], "AWS::IAM::ManagedPolicy": [identity], "AWS::IAM::RolePolicy": [identity],
            "AWS::IAM::UserPolicy": [identity], "AWS::IAM::GroupPolicy": [identity],
            "AWS::IAM::Role": [PolicyProperty(key: "AssumeRolePolicyDocument", type: .trust, isRequired: true), inline],
            "AWS::IAM::User": [inline], "AWS::IAM::Group": [inline],
            "AWS::SSO::PermissionSet": [PolicyProperty(key: "InlinePolicy", type: .identity)],
            "AWS::S3::BucketPolicy": [resource], "AWS::SQS::QueuePolicy": [resource], "AWS::SNS::TopicPolicy": [resource],
            "AWS::Logs::ResourcePolicy": [resource],
            "AWS::KMS::Key": [PolicyProperty(key: "KeyPolicy", type: .resource)],
            "AWS::SecretsManager::ResourcePolicy": [PolicyProperty(key: "ResourcePolicy", type: .resource, isRequired: true)],
            "AWS::ECR::Repository": [PolicyProperty(key: "RepositoryPolicyText", type: .resource)],
            "AWS::S3::AccessPoint": [PolicyProperty(key: "Policy", type: .resource)],
            "AWS::OpenSearchService::Domain": [PolicyProperty(key: "AccessPolicies", type: .resource)],
            "AWS::Elasticsearch::Domain": [PolicyProperty(key: "AccessPolicies", type: .resource)],
        ]
    }()

    let template: CloudFormationTemplate
    let original: OriginalFile
    let limits: ReadLimits
    var policies: [EmbeddedPolicy] = []
    var findings: [Finding] = []

    init(root: SourceNode, original: OriginalFile, limits: ReadLimits) {
        template = CloudFormationTemplate(root)
        self.original = original
        self.limits = limits
    }

    mutating func extract() {
        for resource in template.resources {
            guard let type = resource.type else { continue }
            if type == "AWS::Lambda::Permission" {
                var resolver = IntrinsicResolver(template: template)
                if let node = LambdaPermissionStatement.policy(for: resource, resolver: &resolver) {
                    policies.append(EmbeddedPolicy(
                        name: "Resources.\(resource.logicalId)", type: .resource, sourceType: type,
                        parsed: PolicyParser.parse(node: node, limits: limits.document), substitutions: resolver.substitutions, blockers: resolver.blockers))
                }
                continue
            }
            for property in Self.properties[type] ?? [] {
                extract(property, of: resource, type: type)
            }
        }
    }

    private mutating func extract(_ property: PolicyProperty, of resource: CloudFormationTemplate.Resource, type: String) {
        let base = "Resources.\(resource.logicalId).\(property.key)"
        guard let member = InputTree.member(resource.properties, property.key) else {
            if property.isRequired {
                findings.append(Finding(.missingPolicyProperty, .error, "\(resource.logicalId) (\(type)) has no \(property.key)", at: resource.keySpan))
            }
            return
        }
        guard property.isInlineList else {
            for (branch, suffix) in branches(member.value) {
                document(branch, name: base + suffix, type: property.type, sourceType: type)
            }
            return
        }
        for (list, listSuffix) in branches(member.value) {
            guard let entries = list.elements else {
                findings.append(Finding(.invalidPolicyProperty, .error, "\(base) must be a list of policies ({PolicyName, PolicyDocument}), found \(list.typeDescription)", at: list.span))
                continue
            }
            for (index, entry) in entries.enumerated() {
                for (inline, suffix) in branches(entry) {
                    let entryName = "Resources.\(resource.logicalId).Policies[\(index)]"
                    guard inline.members != nil, let document = InputTree.value(inline, "PolicyDocument") else {
                        findings.append(Finding(.invalidPolicyProperty, .error, "\(entryName) must be an object with a PolicyDocument, found \(inline.members == nil ? inline.typeDescription : "none")", at: inline.span))
                        continue
                    }
                    var nameResolver = IntrinsicResolver(template: template)
                    let policyName = InputTree.value(inline, "PolicyName").flatMap { nameResolver.resolve($0)?.scalarText }
                    let label = entryName + (policyName.map { " (\($0))" } ?? "") + listSuffix + suffix
                    self.document(document, name: label, type: property.type, sourceType: type)
                }
            }
        }
    }

    /// The alternatives a value stands for: the non-empty branches of an `Fn::If`, or the value itself.
    private func branches(_ node: SourceNode) -> [(SourceNode, String)] {
        guard let call = CloudFormationCall(node), call.function == "Fn::If", let arguments = call.argument.elements,
              arguments.count == 3, let condition = arguments[0].scalarText else { return [(node, "")] }
        return [(arguments[1], " (if \(condition))"), (arguments[2], " (unless \(condition))")].filter { branch, _ in
            guard let inner = CloudFormationCall(branch) else { return true }
            return !(inner.function == "Ref" && inner.argument.scalarText == "AWS::NoValue")
        }
    }

    /// Decodes one policy document property value.
    private mutating func document(_ node: SourceNode, name: String, type: PolicyType, sourceType: String) {
        var resolver = IntrinsicResolver(template: template)
        guard let resolved = resolver.resolve(node) else { return }
        let parsed: ParsedPolicy
        switch resolved.kind {
        case .object:
            parsed = PolicyParser.parse(node: resolved, limits: limits.document)
        case .string(let text):
            // A literal string is located exactly in the file; a computed one (Fn::Sub) at its expression.
            let source = CloudFormationCall(node) == nil ? original : nil
            switch EmbeddedJSONString.read(resolved, text: text, in: source, limits: limits) {
            case .success(let inner): parsed = PolicyParser.parse(node: inner, limits: limits.document)
            case .failure(let error): parsed = ParsedPolicy(file: original.name, policy: nil, findings: [Finding(error)])
            }
        default:
            findings.append(Finding(.invalidPolicyProperty, .error, "\(name) must be a policy document (an object, or a JSON string), found \(resolved.typeDescription)", at: resolved.span))
            return
        }
        policies.append(EmbeddedPolicy(name: name, type: type, sourceType: sourceType, parsed: parsed,
                                       substitutions: resolver.substitutions, blockers: resolver.blockers))
    }
}
