import PolicyLanguage

/// How large the encoding of some policies is: what a question about them costs grows with these
/// numbers (benchmarks and the scaling study report them next to the times).
public struct EncodingSize: Sendable, Equatable {
    /// Classes of actions that every action element treats alike.
    public var actionClasses: Int
    /// Classes of callers that every principal element treats alike.
    public var principalClasses: Int
    /// Classes of each ARN field (partition, service, region, account, resource part).
    public var resourceFieldClasses: [Int]
    /// Condition keys that have variables.
    public var conditionKeys: Int
    /// Groups of actions that the same statements apply to (one question is asked per group).
    public var actionProfiles: Int
}

extension Prover {
    /// Encodes `policies` over one symbolic request, as every question about them starts by doing, and
    /// reports the encoding's size; an encoding the prover refuses gives the reason.
    public func encodingSize(of policies: [PolicyUnderTest]) -> Result<EncodingSize, UnknownReason> {
        session(policies, labels: policies.indices.map { "policy\($0)" }).map { session in
            let encoding = session.encoding
            return EncodingSize(
                actionClasses: encoding.actions.classes.count,
                principalClasses: encoding.principals.classes.count,
                resourceFieldClasses: encoding.resources.partitions.map(\.classes.count),
                conditionKeys: encoding.keyVariables.count,
                actionProfiles: encoding.actionProfiles().count)
        }
    }
}
