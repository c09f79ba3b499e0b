import Foundation
import PolicyLanguage
import PolicyVerifier
import Testing

/// The explorer asks the same questions as the checks: with nothing shown or excluded, its first
/// answer is a counterexample exactly when the check FAILs, and "none left" exactly when it PASSes.
/// Walking on, every counterexample is new (not in the classes of those before) and still breaks
/// the property.
@Suite struct ExplorationAgreesWithChecksTests {
    static let root = VerifierPaths.repositoryRoot

    static let samples: [String] = {
        let folders = ["Policies/samples", "Policies/access", "Policies/examples", "Policies/diff"]
        return folders.flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? [])
                .filter { $0.hasSuffix(".json") }.sorted().map { "\(folder)/\($0)" }
        }.filter { load($0) != nil }  // the SCP samples with <placeholder> values are not evaluable
    }()

    static func load(_ path: String) -> PolicyUnderTest? {
        let parsed = PolicyParser.parse(contentsOf: root.appendingPathComponent(path).path)
        guard parsed.isEvaluable, let policy = parsed.policy else { return nil }
        return PolicyUnderTest(inferringRoleOf: policy)
    }

    @Test(arguments: samples)
    func noPublicAccessAgrees(path: String) throws {
        let policy = try #require(Self.load(path), "\(path) does not load")
        let check = prover.noPublicAccess(policy).verdict
        let answer = prover.nextCounterexample(of: policy, .noPublicAccess(resourceType: nil))
        switch (check, answer) {
        case (.pass, .exhausted(let proof)): #expect(proof.propertyHolds)
        case (.fail, .counterexample(let example)): #expect(example.outcomes.first?.allows == true)
        case (.unknown, _), (_, .unknown): break  // a timeout on either side decides nothing
        default: Issue.record("\(path): check says \(check), the explorer \(answer)")
        }
    }

    @Test(arguments: samples)
    func neverIAMAgreesAndWalksDistinctCounterexamples(path: String) throws {
        let policy = try #require(Self.load(path), "\(path) does not load")
        let scope = ScopePolicy.make(actions: ["iam:*", "s3:Put*"], resources: ["*"])
        let check = prover.neverAllows(policy, scope: PolicyUnderTest(scope: scope))
        var shown: [Request] = []
        for step in 0..<4 {
            let answer = prover.nextCounterexample(of: policy, .never(scope: scope), after: shown)
            switch (step, check, answer) {
            case (_, _, .unknown): return
            case (0, .pass, .exhausted(let proof)):
                #expect(proof.propertyHolds)
                return
            case (0, .fail, .counterexample), (1..., .fail, .counterexample):
                guard case .counterexample(let example) = answer else { return }
                let request = example.request
                #expect(!shown.contains { $0.action.lowercased() == request.action.lowercased() && $0.resource == request.resource && $0.principal == request.principal }, "\(path): \(request) came back")
                let evaluator = PolicyEvaluator()
                #expect(evaluator.applicableStatements(of: policy.policy, role: policy.role, request: request).allows)
                #expect(evaluator.applicableStatements(of: scope, role: .identity, request: request).allows)
                shown.append(request)
            case (1..., .fail, .exhausted(let proof)):
                #expect(!proof.propertyHolds && proof.blocked == shown.count)
                return
            default:
                Issue.record("\(path) step \(step): check says \(check), the explorer \(answer)")
                return
            }
        }
    }

    @Test func exclusionsAreExact() throws {
        // Excluding one action of a wildcard leaves the others: the next answer is another iam action,
        // and excluding the whole service leaves none (proved).
        let policy = identity(#"{"Effect":"Allow","Action":["iam:CreateUser","iam:CreateRole"],"Resource":"*"}"#)
        let scope = ScopePolicy.make(actions: ["iam:*"], resources: ["*"])
        guard case .counterexample(let first) = prover.nextCounterexample(of: policy, .never(scope: scope)) else {
            Issue.record("expected a counterexample")
            return
        }
        guard case .counterexample(let second) = prover.nextCounterexample(of: policy, .never(scope: scope), excluding: [.action(first.request.action)]) else {
            Issue.record("expected a second counterexample after excluding \(first.request.action)")
            return
        }
        #expect(Set([first.request.action, second.request.action]) == ["iam:CreateUser", "iam:CreateRole"])
        guard case .exhausted(let proof) = prover.nextCounterexample(of: policy, .never(scope: scope), excluding: [.service("iam")]) else {
            Issue.record("excluding the service leaves nothing")
            return
        }
        #expect(!proof.propertyHolds && proof.exclusions == [.service("iam")])
    }
}

extension ExplorationAgreesWithChecksTests {
    @Test func excludingARoleExcludesItsSessionsAndNothingElse() throws {
        // Two callers named: a role (a Principal naming a role names its sessions too) and a user.
        let policy = resourcePolicy(#"{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:role/Reader","arn:aws:iam::111122223333:user/alice"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}"#)
        let scope = ScopePolicy.make(actions: ["s3:GetObject"], resources: ["*"])
        let role = RequestPrincipal("arn:aws:iam::111122223333:role/Reader")!
        #expect(Exclusion.principal(role).description == "not the role arn:aws:iam::111122223333:role/Reader (nor its sessions)")
        #expect(!Exclusion.principal(.root(account: "111122223333")).isExact, "a root ARN names the whole account")
        var shown: [Request] = []
        while case .counterexample(let example) = prover.nextCounterexample(of: policy, .never(scope: scope), after: shown, excluding: [.principal(role)]) {
            let caller = example.request.principal
            #expect(caller == RequestPrincipal("arn:aws:iam::111122223333:user/alice")!, "only alice is left, not \(caller)")
            shown.append(example.request)
            if shown.count > 5 { break }
        }
        #expect(shown.count == 1)
    }
}
