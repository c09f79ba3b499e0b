import PolicyLanguage
import PolicyVerifier
import Testing

/// `neverAllows` on small policies, one construct at a time: the verdict, and for a FAIL the certified
/// request's decisive part.
@Suite struct NeverAllowsTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var statements: String
        var actions: [String]
        var resources: [String] = ["*"]
        /// `nil`: PASS expected; otherwise a FAIL whose counterexample satisfies the check.
        var failure: (@Sendable (Request) -> Bool)?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "literal action allowed", statements: #"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}"#,
             actions: ["iam:PassRole"], failure: { $0.action == "iam:PassRole" }),
        Case(name: "case-insensitive action", statements: #"{"Effect":"Allow","Action":"IAM:passrole","Resource":"*"}"#,
             actions: ["iam:PassRole"], failure: { $0.action.lowercased() == "iam:passrole" }),
        Case(name: "wildcard covers it", statements: #"{"Effect":"Allow","Action":"iam:Pass*","Resource":"*"}"#,
             actions: ["iam:PassRole"], failure: { _ in true }),
        Case(name: "other action only", statements: #"{"Effect":"Allow","Action":"iam:GetRole","Resource":"*"}"#,
             actions: ["iam:PassRole"]),
        Case(name: "deny overrides", statements: #"{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}"#,
             actions: ["iam:PassRole"]),
        Case(name: "NotAction allows everything else", statements: #"{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}"#,
             actions: ["iam:PassRole"], failure: { $0.action == "iam:PassRole" }),
        Case(name: "NotAction excludes it", statements: #"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#,
             actions: ["iam:PassRole"]),
        Case(name: "an action nobody lists (not in the catalogue)", statements: #"{"Effect":"Allow","NotAction":["s3:*","iam:*"],"Resource":"*"}"#,
             actions: ["newservice:*"], failure: { $0.action.lowercased().hasPrefix("newservice:") }),
        Case(name: "resource outside the scope", statements: #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::public/*"}"#,
             actions: ["s3:GetObject"], resources: ["arn:aws:s3:::secret/*"]),
        Case(name: "overlapping resource globs", statements: #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data-*/reports/*"}"#,
             actions: ["s3:GetObject"], resources: ["arn:aws:s3:::*-prod/*"],
             failure: { $0.resource.hasPrefix("arn:aws:s3:::data-") && $0.resource.contains("-prod/reports/") }),
        Case(name: "star does not cross the region colon", statements: #"{"Effect":"Allow","Action":"ec2:*","Resource":"arn:aws:ec2:us-*:*:instance/*"}"#,
             actions: ["ec2:TerminateInstances"], resources: ["arn:aws:ec2:eu-west-1:*:*"]),
        Case(name: "NotResource with Deny", statements: #"{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::mine","arn:aws:s3:::mine/*"]}"#,
             actions: ["s3:DeleteObject"], resources: ["arn:aws:s3:::other/*"]),
        Case(name: "wildcard-only action on *", statements: #"{"Effect":"Allow","Action":"s3:ListAllMyBuckets","NotResource":"arn:*"}"#,
             actions: ["s3:ListAllMyBuckets"], failure: { $0.resource == "*" }),
        Case(name: "ARN resource pattern does not cover *", statements: #"{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"arn:aws:s3:::*"}"#,
             actions: ["s3:ListAllMyBuckets"], resources: ["*"], failure: { $0.resource != "*" }),
        Case(name: "policy variable in the resource", statements: #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}"#,
             actions: ["s3:GetObject"], resources: ["arn:aws:s3:::home/alice/*"],
             failure: { if case .user(_, _, "alice") = $0.principal { true } else { false } }),
        Case(name: "unresolved variable matches nothing", statements: #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}"#,
             actions: ["s3:GetObject"], resources: ["arn:aws:s3:::home/*"],
             failure: { if case .user(_, _, let name) = $0.principal { $0.resource.hasPrefix("arn:aws:s3:::home/\(name)/") } else { false } }),
        Case(name: "variable between several stars", statements: #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b-*/logs/*/${aws:PrincipalAccount}/*"}"#,
             actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b-1/logs/x/999988887777/y"],
             failure: { $0.principal.account == "999988887777" }),
    ]

    @Test(arguments: cases)
    func verdict(_ example: Case) throws {
        let policy = identity(example.statements)
        let verdict = prover.neverAllows(policy, actions: example.actions, resources: example.resources)
        switch (verdict, example.failure) {
        case (.pass, nil): break
        case (.fail(let found), let check?):
            let request = try #require(found.first).request
            #expect(check(request), "counterexample \(request)")
            #expect(PolicyEvaluator().applicableStatements(of: policy.policy, role: .identity, request: request).allows)
        default:
            Issue.record("\(example.name): got \(verdict)")
        }
    }

    @Test func severalDistinctCounterexamples() throws {
        let policy = identity(#"{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":["arn:aws:s3:::a/*","arn:aws:s3:::b/*"]}"#)
        guard case .fail(let found) = prover.neverAllows(policy, actions: ["s3:*"], counterexamples: 10) else {
            Issue.record("expected a failure")
            return
        }
        // Distinct means a different behaviour: GetObject and PutObject are one class here (every
        // policy treats them alike), the two buckets are two.
        #expect(found.count == 2)
        #expect(Set(found.map { $0.request.resource.prefix(15) }) == ["arn:aws:s3:::a/", "arn:aws:s3:::b/"])
    }

    @Test func blameNamesTheGrantingStatement() throws {
        let policy = identity(#"{"Sid":"ReadLogs","Effect":"Allow","Action":"logs:Get*","Resource":"*"},{"Sid":"Admin","Effect":"Allow","Action":"iam:*","Resource":"*"}"#)
        guard case .fail(let found) = prover.neverAllows(policy, actions: ["iam:PassRole"]) else {
            Issue.record("expected a failure")
            return
        }
        let blame = try #require(found.first?.outcomes.first?.allowing)
        #expect(blame.map(\.sid) == ["Admin"])
        #expect(blame.first?.span.start.line == 1)
    }
}
