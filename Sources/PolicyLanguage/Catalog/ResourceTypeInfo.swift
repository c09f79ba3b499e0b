/// A resource type a service defines, such as `object` for S3.
public struct ResourceTypeInfo: Sendable, Hashable {
    /// The name AWS gives the type; it may contain spaces or slashes (`bot alias`, `loadbalancer/app/`).
    public let name: String
    /// The ARN format with `${…}` placeholders, for example `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.
    public let arnFormat: String
    /// Condition keys that apply to resources of this type, as the catalogue spells them.
    public let conditionKeys: [String]

    public init(name: String, arnFormat: String, conditionKeys: [String]) {
        self.name = name
        self.arnFormat = arnFormat
        self.conditionKeys = conditionKeys
    }
}
