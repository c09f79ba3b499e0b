import PolicyLanguage
@testable import PolicyVerifier
import Testing

/// Builders and independent re-checks shared by the escalation suites.
enum Escalation {
    /// An identity policy allowing exactly the first alternative of each step, on every resource
    /// (plus an unrelated read, so that the policy is never empty).
    static func granting(_ steps: [EscalationStep], extra: String = "") -> PolicyUnderTest {
        let actions = ["s3:ListAllMyBuckets"] + steps.map { $0.actions[0] }
        let list = actions.map { "\"\($0)\"" }.joined(separator: ",")
        return identity(#"{"Effect":"Allow","Action":[\#(list)],"Resource":"*"}"# + (extra.isEmpty ? "" : "," + extra))
    }

    /// IAM's decision for `request` under `policies`, decided here by the evaluator alone, with the
    /// resource side (trust and key policies) delegating to the caller's account.
    static func allowed(_ request: Request, identities: [Policy], boundary: Policy? = nil) -> Bool {
        let account = request.principal.account ?? "123456789012"
        let trust = policy(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\#(account):root"},"Action":"*","Resource":"*"}]}"#)
        let set = PolicySet(identityPolicies: identities, resourcePolicy: trust, permissionsBoundary: boundary)
        return PolicyEvaluator().evaluate(request, policies: set).kind == .allow
    }

    static func method(_ id: String) -> EscalationMethod {
        EscalationMethod.catalogue.first { $0.id == id }!
    }

    /// Every id of the methods in `report` found, for failure messages.
    static func found(_ report: EscalationReport) -> [String] { report.findings.map(\.method.id) }
}

extension EscalationMethod: CustomTestStringConvertible {
    public var testDescription: String { "\(id): \(name)" }
}
