import Testing
import PolicyLanguage
@testable import PolicyVerifier

@Suite("Who can assume a role")
struct RoleAssumptionTests {
    let prover = Prover()
    static let account = "111122223333"

    static func policy(_ statements: String, file: String) -> Policy {
        PolicyParser.parse(text: #"{"Version":"2012-10-17","Statement":[\#(statements)]}"#, file: file).policy!
    }

    static let assumeDeploy = #"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/deploy"}"#
    static let trustAccount = #"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}"#
    static let trustAlice = #"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}"#
    static let trustCI = #"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci"},"Action":"sts:AssumeRole"}"#
    static let trustEC2 = #"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#
    static let denyAlice = #"{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}"#
    // Conditions make the solver decide (the plain request without context keys is denied).
    static let trustWithMFA = #"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"#
    static let trustOtherAccountOnly = #"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalAccount":"999999999999"}}}"#
    static let noSTS = #"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#
    static let allSTS = #"{"Effect":"Allow","Action":"sts:*","Resource":"*"}"#

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var caller: String
        var identity: String?
        var boundary: String?
        var trust: String
        var reachable: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "identity Allow and a trust delegating to the account", caller: "user/alice", identity: assumeDeploy, trust: trustAccount, reachable: true),
        Case(name: "a trust of a service only", caller: "user/alice", identity: assumeDeploy, trust: trustEC2, reachable: false),
        Case(name: "a trust delegating to the account, no identity Allow", caller: "user/alice", identity: noSTS, trust: trustAccount, reachable: false),
        Case(name: "a trust naming the user needs no identity Allow", caller: "user/alice", identity: nil, trust: trustAlice, reachable: true),
        Case(name: "a trust naming another user", caller: "user/bob", identity: assumeDeploy, trust: trustAlice, reachable: false),
        Case(name: "a boundary cuts a delegated assumption", caller: "user/alice", identity: assumeDeploy, boundary: noSTS, trust: trustAccount, reachable: false),
        Case(name: "a boundary does not limit a trust naming the user", caller: "user/alice", identity: nil, boundary: noSTS, trust: trustAlice, reachable: true),
        Case(name: "a trust Deny on the user", caller: "user/alice", identity: assumeDeploy, trust: trustAccount + "," + denyAlice, reachable: false),
        Case(name: "a role's sessions, named by the trust, within the boundary", caller: "role/ci", identity: nil, boundary: allSTS, trust: trustCI, reachable: true),
        Case(name: "a role's sessions, named by the trust, outside the boundary", caller: "role/ci", identity: nil, boundary: noSTS, trust: trustCI, reachable: false),
        Case(name: "role chaining through the account", caller: "role/ci", identity: assumeDeploy, trust: trustAccount, reachable: true),
        Case(name: "a trust asking for MFA, found by the solver", caller: "user/alice", identity: assumeDeploy, trust: trustWithMFA, reachable: true),
        Case(name: "a trust condition no request of the caller meets, refuted by the solver", caller: "user/alice", identity: assumeDeploy, trust: trustOtherAccountOnly, reachable: false),
    ]

    @Test(arguments: cases)
    func assumption(_ example: Case) throws {
        let caller = try #require(KnownCaller(arn: "arn:aws:iam::\(Self.account):\(example.caller)"))
        let role = try #require(KnownCaller(arn: "arn:aws:iam::\(Self.account):role/deploy"))
        var policies: [PolicyUnderTest] = []
        if let identity = example.identity { policies.append(PolicyUnderTest(Self.policy(identity, file: "identity.json"), role: .identity)) }
        if let boundary = example.boundary { policies.append(PolicyUnderTest(Self.policy(boundary, file: "boundary.json"), role: .permissionsBoundary)) }
        let trust = Self.policy(example.trust, file: "trust.json")
        let answer = prover.canAssume(role, trust: trust, by: caller, callerPolicies: policies)
        switch answer {
        case .reachable(let evidence):
            #expect(example.reachable, "assumed with \(evidence.request)")
            #expect(caller.matches(evidence.request.principal))
            #expect(evidence.request.action == "sts:AssumeRole")
            #expect(evidence.request.resource == role.arn)
            #expect(evidence.outcomes.last?.allows == true)
            #expect(evidence.outcomes.last?.file == "trust.json")
            if example.trust == Self.trustWithMFA { #expect(evidence.request.context.entry("aws:MultiFactorAuthPresent")?.values == ["true"]) }
            // Independently: the evaluator allows it under the whole set.
            let set = PolicySet(
                identityPolicies: policies.filter { $0.role == .identity }.map(\.policy), resourcePolicy: trust,
                permissionsBoundary: policies.first { $0.role == .permissionsBoundary }?.policy)
            #expect(PolicyEvaluator(catalog: .bundled).evaluate(evidence.request, policies: set, explain: false).kind == .allow)
        case .unreachable:
            #expect(!example.reachable)
        case .unknown(let reason):
            Issue.record("unknown: \(reason)")
        }
    }

    @Test func aRoleFromAnotherAccountIsUnknown() throws {
        let caller = try #require(KnownCaller(arn: "arn:aws:iam::111122223333:user/alice"))
        let role = try #require(KnownCaller(arn: "arn:aws:iam::444455556666:role/deploy"))
        guard case .unknown = prover.canAssume(role, trust: Self.policy(Self.trustAccount, file: "t.json"), by: caller, callerPolicies: []) else {
            Issue.record("expected unknown")
            return
        }
    }
}
