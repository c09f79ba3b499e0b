/// Resources that AWS owns inside a customer's account and that no policy can open to changes: AWS
/// managed policies, roles under the `/aws-reserved/` path (IAM Identity Center), and AWS managed KMS
/// aliases (`alias/aws/…`). Only reading and listing them is possible, whatever the policies say.
enum AWSOwnedResources {
    /// Why the request is refused, or `nil` when the resource is not AWS-owned or the action only reads.
    static func refusal(for request: Request, catalog: ActionCatalog?) -> String? {
        guard let fields = ARNFields(request.resource) else { return nil }
        let kind: String
        if fields.service == "iam", fields.account == "aws", fields.resource.hasPrefix("policy/") {
            kind = "an AWS managed policy"
        } else if fields.service == "iam", fields.resource.hasPrefix("role/aws-reserved/") {
            kind = "a role reserved by AWS (path /aws-reserved/)"
        } else if fields.service == "kms", fields.resource.hasPrefix("alias/aws/") {
            kind = "an AWS managed KMS alias"
        } else {
            return nil
        }
        guard !isReadOnly(request.action, catalog: catalog) else { return nil }
        return "\(request.resource) is \(kind), which AWS does not let anyone change"
    }

    /// Read and List actions, by the catalogue's access level, or by name when the action is unknown.
    static func isReadOnly(_ action: String, catalog: ActionCatalog?) -> Bool {
        if let level = catalog?.action(action)?.accessLevel { return level == .read || level == .list }
        let name = action.split(separator: ":").last.map(String.init) ?? action
        return ["Get", "List", "Describe", "Simulate"].contains { name.hasPrefix($0) }
    }
}
