import PolicyLanguage
import PolicyVerifier
import Testing

@Suite struct OnlyAllowsTests {
    static let bound = PolicyUnderTest(ScopePolicy.make(actions: ["s3:*"], resources: ["arn:aws:s3:::our-bucket", "arn:aws:s3:::our-bucket/*"]), role: .identity)

    @Test func insideTheBoundPasses() {
        let policy = identity(#"{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::our-bucket/*"},{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::our-bucket"}"#)
        #expect(prover.onlyAllows(policy, bound: Self.bound).isPass)
    }

    @Test func aWiderResourceFailsWithARequestOutside() throws {
        let policy = identity(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::our-bucket*"}"#)
        guard case .fail(let found) = prover.onlyAllows(policy, bound: Self.bound) else {
            Issue.record("expected a counterexample")
            return
        }
        let request = try #require(found.first).request
        #expect(request.resource.hasPrefix("arn:aws:s3:::our-bucket"))
        #expect(request.resource != "arn:aws:s3:::our-bucket")
        #expect(!request.resource.hasPrefix("arn:aws:s3:::our-bucket/"))
        #expect(found.first?.outcomes.map(\.allows) == [true, false])
    }

    @Test func anotherServiceFails() throws {
        let policy = identity(#"{"Effect":"Allow","Action":["s3:GetObject","sqs:SendMessage"],"Resource":"*"}"#)
        guard case .fail(let found) = prover.onlyAllows(policy, bound: Self.bound) else {
            Issue.record("expected a counterexample")
            return
        }
        let request = try #require(found.first).request
        #expect(request.action == "sqs:SendMessage" || !request.resource.hasPrefix("arn:aws:s3:::our-bucket"))
    }
}

@Suite struct RedundantStatementsTests {
    @Test func findsShadowedAndRedundantStatements() {
        let policy = identity(#"""
            {"Sid":"Wide","Effect":"Allow","Action":"s3:*","Resource":"*"},
            {"Sid":"Narrow","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
            {"Sid":"Shadowed","Effect":"Allow","Action":"iam:GetRole","Resource":"*"},
            {"Sid":"NoIam","Effect":"Deny","Action":"iam:*","Resource":"*"},
            {"Sid":"DenyDelete","Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}
            """#)
        let report = prover.redundantStatements(policy)
        #expect(report.unknown.isEmpty)
        let found = Dictionary(uniqueKeysWithValues: report.redundant.map { ($0.statement.sid ?? "?", $0.kind) })
        #expect(found["Narrow"] == .redundant)
        #expect(found["Shadowed"] == .shadowedByDeny)
        // NoIam is not redundant on its own terms? It denies iam:* that only "Shadowed" allows; without
        // it, iam:GetRole would be allowed, so it matters.
        #expect(found["NoIam"] == nil)
        #expect(found["Wide"] == nil)
        #expect(found["DenyDelete"] == nil)
    }

    @Test func aDenyNothingAllowsIsRedundant() {
        let policy = identity(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"Useless","Effect":"Deny","Action":"ec2:*","Resource":"*"}"#)
        let report = prover.redundantStatements(policy)
        #expect(report.redundant.map(\.statement.sid) == ["Useless"])
    }
}

@Suite struct ResourcePolicyTests {
    static let bucket = resourcePolicy(#"""
        {"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Reader"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"},
        {"Sid":"Account","Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::shared"}
        """#)

    @Test func onlyTheNamedRoleAndItsSessionsCanRead() throws {
        guard case .fail(let found) = prover.neverAllows(Self.bucket, actions: ["s3:GetObject"], counterexamples: 10) else {
            Issue.record("expected counterexamples")
            return
        }
        for counterexample in found {
            switch counterexample.request.principal {
            case .role(let account, _, let name), .assumedRole(let account, let name, _):
                #expect(account == "111122223333" && name == "Reader")
            default:
                Issue.record("unexpected caller \(counterexample.request.principal)")
            }
        }
    }

    @Test func widenedPrincipalIsMoreAccess() throws {
        let widened = resourcePolicy(#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"},{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::shared"}"#)
        let comparison = prover.compare(Self.bucket, widened)
        #expect(comparison.relation == .more)
        guard case .fail(let found) = comparison.newOnly else { return }
        let principal = try #require(found.first).request.principal
        #expect(principal.account == "111122223333")
        #expect(principal.principalArn != "arn:aws:iam::111122223333:role/Reader")
    }

    @Test func anonymousNeedsAStarPrincipal() {
        let open = resourcePolicy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"}"#)
        let anonymousScope = PolicyUnderTest(scope: policy(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"Null":{"aws:PrincipalArn":"true"}}}]}"#))
        #expect(prover.neverAllows(open, scope: anonymousScope).isFail)
        #expect(prover.neverAllows(Self.bucket, scope: anonymousScope).isPass)
    }
}
