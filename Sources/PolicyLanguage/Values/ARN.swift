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
        let utf8 = text.utf8
        guard utf8.count >= 9, text.hasPrefix("arn:") else { return nil }
        var bounds: [String.Index] = []
        bounds.reserveCapacity(5)
        var index = utf8.startIndex
        while index < utf8.endIndex, bounds.count < 5 {
            if utf8[index] == UInt8(ascii: ":") { bounds.append(index) }
            index = utf8.index(after: index)
        }
        guard bounds.count == 5 else { return nil }
        func after(_ bound: String.Index) -> String.Index { utf8.index(after: bound) }
        partition = text[after(bounds[0])..<bounds[1]]
        service = text[after(bounds[1])..<bounds[2]]
        region = text[after(bounds[2])..<bounds[3]]
        account = text[after(bounds[3])..<bounds[4]]
        resource = text[after(bounds[4])...]
    }

    /// Whether `text` is a 12-digit AWS account ID.
    public static func isAccountID<S: StringProtocol>(_ text: S) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// The fields in order, for field-wise matching.
    public var all: [Substring] { [partition, service, region, account, resource] }

    /// AWS partitions known to PolicyProver.
    public static let knownPartitions: Set<String> = [
        "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc",
    ]
}
