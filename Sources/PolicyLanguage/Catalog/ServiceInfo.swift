/// One AWS service of the catalogue and everything it defines.
public struct ServiceInfo: Sendable {
    /// The service prefix used in actions, for example `s3`.
    public let prefix: String
    /// The service's name, for example `Amazon S3`.
    public let name: String
    /// The service's page in the AWS Service Authorization Reference.
    public let authorizationURL: String
    /// The service's actions, sorted case-insensitively by name.
    public let actions: [ActionInfo]
    /// The service's resource types, sorted case-insensitively by name.
    public let resourceTypes: [ResourceTypeInfo]
    /// The condition keys the service defines, sorted case-insensitively. This includes keys of other
    /// prefixes the service documents (`aws:RequestTag/${TagKey}`, `saml:sub` for STS, …) and, with type
    /// `.unknown`, keys its actions use that no service defines.
    public let conditionKeys: [ConditionKeyInfo]

    public init(
        prefix: String, name: String, authorizationURL: String, actions: [ActionInfo],
        resourceTypes: [ResourceTypeInfo], conditionKeys: [ConditionKeyInfo]
    ) {
        self.prefix = prefix
        self.name = name
        self.authorizationURL = authorizationURL
        self.actions = actions
        self.resourceTypes = resourceTypes
        self.conditionKeys = conditionKeys
    }

    /// The resource type called `name` (compared exactly, as AWS's names are), or `nil`.
    public func resourceType(_ name: String) -> ResourceTypeInfo? {
        resourceTypes.first { $0.name == name }
    }
}
