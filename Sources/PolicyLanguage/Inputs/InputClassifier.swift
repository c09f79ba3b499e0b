/// How a file was classified.
public enum InputFormat: String, Sendable, Equatable, CaseIterable {
    /// A plain IAM policy document, JSON or YAML.
    case policy
    /// An AWS CloudFormation template (JSON or YAML, short-form tags included).
    case cloudFormation = "cloudformation"
    /// `terraform show -json` output, of a plan or of a state.
    case terraformPlan = "terraform-plan"
    /// `aws iam get-account-authorization-details` output.
    case accountExport = "account-export"
    /// JSON or YAML holding no policy (package.json, a CI configuration): not an error.
    case unrecognized
}

/// Decides what a document is from the keys of its root object; the first rule that applies wins:
/// 1. a `Statement` → `.policy`;
/// 2. `Resources` (an object) and either `AWSTemplateFormatVersion` or a resource whose `Type` starts
///    with `AWS::` → `.cloudFormation`;
/// 3. `format_version` and any of `planned_values`, `values`, `prior_state`, `resource_changes` →
///    `.terraformPlan`;
/// 4. any of `UserDetailList`, `GroupDetailList`, `RoleDetailList`, or `Policies` as an array →
///    `.accountExport`;
/// 5. a `Version` (with no `Statement`: a broken policy, returned so that validation reports it) →
///    `.policy`;
/// 6. anything else, including a root that is not an object → `.unrecognized`.
enum InputClassifier {
    static func classify(_ root: SourceNode) -> InputFormat {
        guard let members = root.members else { return .unrecognized }
        func has(_ key: String) -> Bool { members.contains { $0.key == key } }
        func value(_ key: String) -> SourceNode? { members.first { $0.key == key }?.value }

        if has("Statement") { return .policy }
        if let resources = value("Resources")?.members {
            let awsTyped = resources.contains { resource in
                resource.value.members?.first { $0.key == "Type" }?.value.scalarText?.hasPrefix("AWS::") == true
            }
            if has("AWSTemplateFormatVersion") || awsTyped { return .cloudFormation }
        }
        if has("format_version"), ["planned_values", "values", "prior_state", "resource_changes"].contains(where: has) {
            return .terraformPlan
        }
        if ["UserDetailList", "GroupDetailList", "RoleDetailList"].contains(where: has) || value("Policies")?.elements != nil {
            return .accountExport
        }
        if has("Version") { return .policy }
        return .unrecognized
    }
}

/// Small lookups over `SourceNode` trees used by the extractors.
enum InputTree {
    /// The value of `key` in an object node.
    static func value(_ node: SourceNode?, _ key: String) -> SourceNode? {
        node?.members?.first { $0.key == key }?.value
    }

    /// The member named `key` of an object node.
    static func member(_ node: SourceNode?, _ key: String) -> SourceNode.Member? {
        node?.members?.first { $0.key == key }
    }

    /// The text of `key` when it is a string.
    static func string(_ node: SourceNode?, _ key: String) -> String? {
        if case .string(let text)? = value(node, key)?.kind { return text }
        return nil
    }
}
