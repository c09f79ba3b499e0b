/// The six colon-separated fields of an ARN or ARN pattern:
/// `arn:partition:service:region:account:resource`. The resource field is everything after the fifth
/// colon and may itself contain `:` and `/`.
public struct ARNFields: Sendable, Hashable {
    public var partition: Substring
    public var service: Substring
    public var region: Substring
    public var account: Substring
    public var resource: Substring

    /// Splits `text`; `nil` when it does not start with `arn:` or has fewer than six fields.
    public init?(_ text: String) {
        guard text.hasPrefix("arn:") else { return nil }
        let fields = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6 else { return nil }
        partition = fields[1]
        service = fields[2]
        region = fields[3]
        account = fields[4]
        resource = fields[5]
    }

    /// The fields in order, for field-wise matching.
    public var all: [Substring] { [partition, service, region, account, resource] }

    /// AWS partitions known to PolicyProver.
    public static let knownPartitions: Set<String> = [
        "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc",
    ]
}
