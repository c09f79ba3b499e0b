/// The `partialFingerprints` value of a SARIF result: SHA-256 (hex) of the rule id, the audited file's
/// path, the policy's name and the message, so that code scanning recognises the same finding across
/// runs even when lines move. It depends on nothing else (not on line numbers, run time or order).
enum SARIFFingerprint {
    /// The `partialFingerprints` key; the version changes if the recipe ever does.
    static let key = "policyFinding/v1"

    static func value(ruleId: String, file: String, policy: String, message: String) -> String {
        let fields = [ruleId, file, policy, message]
        return SHA256.hex(Array(fields.joined(separator: "\u{0}").utf8))
    }
}
