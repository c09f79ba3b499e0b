/// The result of validating one file: the findings and the policy type they were judged against.
public struct PolicyFileReport: Sendable {
    public var file: String
    /// The policy type used, given or inferred; `nil` when the file could not be read as a policy.
    public var policyType: PolicyType?
    /// Why the type was inferred, or `nil` when the user gave it.
    public var inferenceReason: String?
    /// All findings, sorted by position.
    public var findings: [Finding]

    public init(file: String, policyType: PolicyType?, inferenceReason: String?, findings: [Finding]) {
        self.file = file
        self.policyType = policyType
        self.inferenceReason = inferenceReason
        self.findings = findings
    }

    /// The most serious severity among the findings.
    public var worstSeverity: Severity? { findings.map(\.severity).min() }
}

extension PolicyValidator {
    /// Reads, decodes and validates the policy file at `path`. `type` `nil` means inferring it from
    /// the document (see `Policy.inferType()`). Never throws: unreadable files give an error finding.
    public func validateFile(atPath path: String, displayName: String? = nil, as type: PolicyType? = nil, limits: ReadLimits = .default) -> PolicyFileReport {
        report(for: PolicyParser.parse(contentsOf: path, displayName: displayName, limits: limits), as: type)
    }

    /// Validates an already parsed document.
    public func report(for parsed: ParsedPolicy, as type: PolicyType? = nil) -> PolicyFileReport {
        guard let policy = parsed.policy else {
            return PolicyFileReport(file: parsed.file, policyType: nil, inferenceReason: nil, findings: parsed.findings.sorted())
        }
        let inferred = type == nil ? policy.inferType() : nil
        let effectiveType = type ?? inferred!.type
        let findings = (parsed.findings + validate(policy, as: effectiveType)).sorted()
        return PolicyFileReport(file: parsed.file, policyType: effectiveType, inferenceReason: inferred?.reason, findings: findings)
    }
}
