import PolicyLanguage
import PolicyVerifier
import Testing

@Suite struct CompareTests {
    @Test func readOnlyAgainstAdministratorIsMore() throws {
        guard let readOnly = managedPolicy("ReadOnlyAccess"), let admin = managedPolicy("AdministratorAccess") else {
            print("skipped: ../shared/corpus/aws-managed is absent")
            return
        }
        let comparison = prover.compare(readOnly, admin)
        #expect(comparison.relation == .more)
        guard case .fail(let found) = comparison.newOnly else {
            Issue.record("expected new-only access, got \(comparison.newOnly)")
            return
        }
        let request = try #require(found.first).request
        #expect(!readOnly.policy.statements.isEmpty)
        #expect(PolicyEvaluator().applicableStatements(of: admin.policy, role: .identity, request: request).allows)
        #expect(!PolicyEvaluator().applicableStatements(of: readOnly.policy, role: .identity, request: request).allows)
        #expect(comparison.oldOnly.isPass)
    }

    @Test func policyAgainstItselfIsEquivalent() {
        let p = identity(#"{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"arn:aws:s3:::bucket/*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#)
        #expect(prover.compare(p, p).relation == .equivalent)
    }

    @Test func conditionNarrowingIsLess() throws {
        let old = identity(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#)
        let new = identity(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}"#)
        let comparison = prover.compare(old, new)
        #expect(comparison.relation == .less)
        guard case .fail(let found) = comparison.oldOnly else { Issue.record("\(comparison.oldOnly)"); return }
        let request = try #require(found.first).request
        #expect(request.action == "s3:GetObject")
    }
}
