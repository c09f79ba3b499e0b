import PolicyExplorer
import PolicyLanguage
import PolicyVerifier
import Testing

/// Fixes keep the shape the policy type needs: a role's trust policy gets no Resource, and a Deny
/// covers the granting statement's resources before the one resource of the request.
@Suite struct FixShapeTests {
    @Test func aTrustPolicyDenyHasNoResource() throws {
        let trust = ExploredPolicy.resource(#"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:*"}}}"#)
        var driver = ExplorerDriver(trust, property: .noPublicAccess(resourceType: nil))
        driver.start()
        driver.press("f")
        guard case .fix(let outcome) = driver.state.panel else {
            Issue.record("no fix: \(driver.state.status)")
            return
        }
        #expect(outcome.fix.kind == .addDeny)
        #expect(outcome.fix.policy.statements.last?.resource == nil)
        #expect(outcome.fix.policy.statements.last?.effect?.value == .deny)
        guard case .exhausted(let proof) = outcome.reproof else {
            Issue.record("the re-proof is \(outcome.reproof)")
            return
        }
        #expect(proof.propertyHolds)
    }

    @Test func aDenyCoversTheStatementsGrantFirst() throws {
        let bucket = ExploredPolicy.resource(Fixture.publicRead)
        var driver = ExplorerDriver(bucket, property: .noPublicAccess(resourceType: nil))
        driver.start()
        driver.press("f")
        guard case .fix(let outcome) = driver.state.panel else {
            Issue.record("no fix: \(driver.state.status)")
            return
        }
        // Not the one object of the request: the statement's whole pattern, so the property holds again.
        #expect(outcome.fix.policy.statements.last?.resource?.patterns.map(\.text) == ["arn:aws:s3:::example-bucket/*"])
        guard case .exhausted(let proof) = outcome.reproof else {
            Issue.record("the re-proof is \(outcome.reproof)")
            return
        }
        #expect(proof.propertyHolds)
    }
}
