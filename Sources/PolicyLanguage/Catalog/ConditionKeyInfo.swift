/// What the catalogue knows about a condition key.
public struct ConditionKeyInfo: Sendable, Hashable {
    /// The key's name as the catalogue spells it. Keys with a variable part keep their template, for example
    /// `aws:ResourceTag/${TagKey}` or `s3:ExistingObjectTag/<key>`; lookups match them against concrete keys.
    public let name: String
    /// The data type of the key's values.
    public let type: ConditionKeyType
    /// `true` when a request can carry several values for the key, so conditions on it need
    /// `ForAnyValue:` or `ForAllValues:`.
    public let isMultivalued: Bool

    public init(name: String, type: ConditionKeyType, isMultivalued: Bool) {
        self.name = name
        self.type = type
        self.isMultivalued = isMultivalued
    }
}
