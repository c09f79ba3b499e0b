import PolicyLanguage

/// Readable example ARNs for an action, from the ARN formats of its resource types in the catalogue:
/// `arn:${Partition}:iam::${Account}:user/${UserNameWithPath}` becomes
/// `arn:aws:iam::123456789012:user/example-user-name-with-path`.
enum ResourceExamples {
    static func arns(for action: String, account: String?, catalog: ActionCatalog?) -> [String] {
        guard let info = catalog?.action(action), let service = catalog?.service(info.service) else { return [] }
        return info.resourceTypes.compactMap { type in
            service.resourceType(type.name).map { instantiate($0.arnFormat, account: account ?? "123456789012") }
        }
    }

    static func instantiate(_ format: String, account: String) -> String {
        var result = ""
        var rest = Substring(format)
        while let open = rest.range(of: "${") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                result += rest[open.lowerBound...]
                return result
            }
            let name = String(rest[open.upperBound..<close])
            switch name {
            case "Partition": result += "aws"
            case "Region": result += "us-east-1"
            case "Account", "AccountId", "AccountID": result += account
            default: result += "example-" + kebab(name)
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    private static func kebab(_ name: String) -> String {
        var output = ""
        for character in name {
            if character.isUppercase, !output.isEmpty, output.last != "-" { output += "-" }
            output += character.lowercased()
        }
        return output
    }
}
