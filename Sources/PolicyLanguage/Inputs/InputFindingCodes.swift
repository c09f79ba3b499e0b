/// Codes of the findings that input discovery reports (file level, or as blockers of a policy).
extension FindingCode {
    /// A policy property of a template holds a value that cannot be a policy document (`.error`).
    public static let invalidPolicyProperty = FindingCode("INVALID_POLICY_PROPERTY")
    /// A resource that must hold a policy document has none (`.error`).
    public static let missingPolicyProperty = FindingCode("MISSING_POLICY_PROPERTY")
    /// A Terraform policy attribute is known only after `terraform apply` (`.warning`).
    public static let unknownUntilApply = FindingCode("UNKNOWN_UNTIL_APPLY")
    /// A principal comes from a value the deployer chooses (a parameter, `Fn::If`, …): blocker.
    public static let unresolvedPrincipal = FindingCode("UNRESOLVED_PRINCIPAL")
    /// An action comes from a value the deployer chooses: blocker.
    public static let unresolvedAction = FindingCode("UNRESOLVED_ACTION")
    /// Part of a document (a statement, a condition) exists only under a template condition: blocker.
    public static let conditionalPolicyPart = FindingCode("CONDITIONAL_POLICY_PART")

    /// The codes above, for documentation and tests.
    static let inputCodes: [FindingCode] = [
        .invalidPolicyProperty, .missingPolicyProperty, .unknownUntilApply, .unresolvedPrincipal,
        .unresolvedAction, .conditionalPolicyPart,
    ]
}
