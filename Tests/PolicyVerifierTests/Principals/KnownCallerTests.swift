import Testing
import PolicyLanguage
@testable import PolicyVerifier

@Suite("Questions about one known caller")
struct KnownCallerTests {
    let prover = Prover()

    func identity(_ text: String) -> PolicyUnderTest {
        PolicyUnderTest(PolicyParser.parse(text: text, file: "id.json").policy!, role: .identity)
    }

    @Test func onesOwnAccessKeyIsNoEscalationForAKnownUser() throws {
        // The AWS-documented self-service statement: each user manages only their own keys.
        let policy = identity(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::111122223333:user/${aws:username}"}]}"#)
        let alice = try #require(KnownCaller(arn: "arn:aws:iam::111122223333:user/alice"))
        let method = EscalationMethod.catalogue.filter { $0.id == "4" }
        let pinned = prover.privilegeEscalation([policy], caller: alice, methods: method)
        #expect(pinned.verdict.isPass)
        #expect(pinned.provedAbsent.map(\.id) == ["4"])
        // On every user it is method 4 for her, with a certified request on another user.
        let wide = identity(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::111122223333:user/*"}]}"#)
        let found = prover.privilegeEscalation([wide], caller: alice, methods: method)
        let step = try #require(found.findings.first?.steps.first?.counterexample.request)
        #expect(step.principal == alice.example)
        #expect(step.resource.hasPrefix("arn:aws:iam::111122223333:user/"))
        #expect(step.resource != alice.arn)
    }

    @Test func aPrincipalArnConditionForSomeoneElseIsProvedImpossible() throws {
        let policy = identity(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/bob"}}}]}"#)
        let alice = try #require(KnownCaller(arn: "arn:aws:iam::111122223333:user/alice"))
        let bob = try #require(KnownCaller(arn: "arn:aws:iam::111122223333:user/bob"))
        let method = EscalationMethod.catalogue.filter { $0.id == "7" }
        let forAlice = prover.privilegeEscalation([policy], caller: alice, methods: method)
        #expect(forAlice.verdict.isPass)
        #expect(forAlice.provedAbsent.map(\.id) == ["7"])
        let forBob = prover.privilegeEscalation([policy], caller: bob, methods: method)
        #expect(forBob.found("7"))
        #expect(forBob.findings.first?.steps.first?.counterexample.request.principal == bob.example)
    }

    @Test func aRoleSessionIsTheCallerOfARole() throws {
        let policy = identity(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)
        let role = try #require(KnownCaller(arn: "arn:aws:iam::111122223333:role/deploy"))
        let verdict = prover.adminEquivalence([policy], caller: role)
        guard case .fail(let examples) = verdict else { Issue.record("expected admin, got \(verdict)"); return }
        #expect(examples.allSatisfy { role.matches($0.request.principal) })
    }
}

@Suite("Requests are sent now or later")
struct TimeFloorTests {
    let prover = Prover()

    static func policy(_ condition: String) -> PolicyUnderTest {
        let text = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreatePolicyVersion","Resource":"*","Condition":\#(condition)}]}"#
        return PolicyUnderTest(PolicyParser.parse(text: text, file: "p.json").policy!, role: .identity)
    }

    // BishopFox iam-vulnerable's fp5 (a grant for tokens issued before 2020: no longer usable) and fn3
    // (tokens issued after 2020: usable).
    @Test(arguments: [
        (#"{"DateLessThan":{"aws:TokenIssueTime":"2020-01-01T00:00:01Z"}}"#, false),
        (#"{"DateGreaterThan":{"aws:TokenIssueTime":"2020-01-01T00:00:01Z"}}"#, true),
        (#"{"DateLessThan":{"aws:CurrentTime":"2021-06-30T00:00:00Z"}}"#, false),
        (#"{"DateGreaterThan":{"aws:CurrentTime":"2021-06-30T00:00:00Z"}}"#, true),
        (#"{"NumericLessThan":{"aws:EpochTime":"1600000000"}}"#, false),
    ])
    func aGrantThatExpiredIsNoEscalation(condition: String, found: Bool) throws {
        let method = EscalationMethod.catalogue.filter { $0.id == "1" }
        for caller in [nil, KnownCaller(arn: "arn:aws:iam::111122223333:user/fp5-user")] {
            let report = prover.privilegeEscalation([Self.policy(condition)], caller: caller, methods: method)
            #expect(report.found("1") == found, "\(condition) for \(String(describing: caller)): \(report.verdict)")
            if !found { #expect(report.verdict.isPass, "\(report.unknown.map(\.reason))") }
        }
    }
}
