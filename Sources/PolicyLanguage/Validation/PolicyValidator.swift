/// Applies IAM's grammar rules and IAM Access Analyzer-style policy checks to a decoded policy.
///
/// Guarantees: every finding is located; the result is sorted and deterministic; the same input always
/// gives the same findings. Checks that need the action catalogue (unknown actions, condition keys,
/// resource types) are skipped when no catalogue is given.
public struct PolicyValidator: Sendable {
    public var catalog: ActionCatalog?

    public init(catalog: ActionCatalog? = nil) {
        self.catalog = catalog
    }

    /// All findings for `policy` read as a policy of `type`.
    public func validate(_ policy: Policy, as type: PolicyType) -> [Finding] {
        var context = ValidationContext(policy: policy, type: type, catalog: catalog)
        DocumentRules.check(&context)
        for statement in policy.statements {
            ElementRules.check(statement, &context)
            ActionRules.check(statement, &context)
            ResourceRules.check(statement, &context)
            PrincipalRules.check(statement, &context)
            ConditionRules.check(statement, &context)
            SecurityRules.check(statement, &context)
        }
        return context.findings.sorted()
    }

    /// Every code that validation (including reading and decoding) can report.
    public static var allCodes: [FindingCode] {
        FindingCode.decodingCodes + DocumentRules.codes + ElementRules.codes + ActionRules.codes
            + ResourceRules.codes + PrincipalRules.codes + ConditionRules.codes + SecurityRules.codes
    }
}

/// What the rules share while checking one policy.
struct ValidationContext {
    let policy: Policy
    let type: PolicyType
    let catalog: ActionCatalog?
    private(set) var findings: [Finding] = []
    /// Per service prefix, the ARN service names of its resource types (`nil` inside: unknown service).
    var arnServicesByPrefix: [String: Set<String>?] = [:]

    init(policy: Policy, type: PolicyType, catalog: ActionCatalog?) {
        self.policy = policy
        self.type = type
        self.catalog = catalog
    }

    mutating func report(_ code: FindingCode, _ severity: Severity, _ message: String, at span: SourceSpan, notes: [Finding.Note] = []) {
        findings.append(Finding(code, severity, message, at: span, notes: notes))
    }

    /// The type name used in messages ("an identity policy").
    var typeDescription: String {
        switch type {
        case .identity: "an identity policy"
        case .resource: "a resource-based policy"
        case .trust: "a role trust policy"
        case .scp: "a service control policy"
        case .rcp: "a resource control policy"
        case .boundary: "a permissions boundary"
        case .session: "a session policy"
        }
    }
}
