/// One IAM action, such as `s3:GetObject`.
public struct ActionInfo: Sendable, Hashable {
    /// A resource type an action can be authorised against.
    public struct ResourceType: Sendable, Hashable {
        /// The resource type's name, one of the service's `ResourceTypeInfo.name`s.
        public let name: String
        /// Whether AWS marks the type as required (`*` in the Service Authorization Reference).
        public let isRequired: Bool
        /// Condition keys that come with this resource type for this action.
        public let conditionKeys: [String]
        /// Actions that also need permission when this resource type is used.
        public let dependentActions: [String]

        public init(name: String, isRequired: Bool, conditionKeys: [String] = [], dependentActions: [String] = []) {
            self.name = name
            self.isRequired = isRequired
            self.conditionKeys = conditionKeys
            self.dependentActions = dependentActions
        }
    }

    /// The service prefix, for example `s3`.
    public let service: String
    /// The action name in AWS's casing, for example `GetObject`.
    public let name: String
    public let accessLevel: AccessLevel
    /// The resource types the action can be scoped to; empty when it only supports `"Resource": "*"`.
    public let resourceTypes: [ResourceType]
    /// Every condition key the action supports: those that apply whatever the resource, together with
    /// those of each resource type, without duplicates, sorted case-insensitively. Templated keys such as
    /// `aws:ResourceTag/${TagKey}` appear in template form; see `supportsConditionKey(_:)`.
    public let conditionKeys: [String]
    /// Every dependent action, from the action itself and from its resource types, sorted, without duplicates.
    public let dependentActions: [String]

    public init(
        service: String, name: String, accessLevel: AccessLevel, resourceTypes: [ResourceType],
        conditionKeys: [String], dependentActions: [String]
    ) {
        self.service = service
        self.name = name
        self.accessLevel = accessLevel
        self.resourceTypes = resourceTypes
        self.conditionKeys = conditionKeys
        self.dependentActions = dependentActions
    }

    /// `service:Name`, for example `s3:GetObject`.
    public var fullName: String { service + ":" + name }

    /// Whether a policy can name specific resources for this action, that is, whether it has any resource type.
    /// When `false`, only `"Resource": "*"` covers it.
    public var supportsResourceLevelPermissions: Bool { !resourceTypes.isEmpty }

    /// Whether `key` is one of `conditionKeys`, ignoring ASCII case, where a template part (`${…}` or `<…>`)
    /// of a listed key stands for one or more characters: `s3:ExistingObjectTag/env` is supported by an
    /// action listing `s3:ExistingObjectTag/<key>`. Global `aws:` keys that apply to every action are only
    /// found when the action lists them; use `ActionCatalog.globalConditionKey(_:)` for those.
    public func supportsConditionKey(_ key: String) -> Bool {
        conditionKeys.contains { ConditionKeyInfo.Template.matches(template: $0, key: key) }
    }
}
