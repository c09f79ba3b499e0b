import Foundation
import PolicyLanguage
@testable import PolicyVerifier
import Testing

/// Admin-equivalence on small policies and AWS managed ones, and both checks over a sample of the
/// managed corpus.
@Suite struct AdminEquivalenceTests {
    @Test func everythingIsAdmin() throws {
        let policy = identity(#"{"Effect":"Allow","Action":"*","Resource":"*"}"#)
        guard case .fail(let found) = prover.adminEquivalence([policy]) else {
            Issue.record("expected admin")
            return
        }
        // One certified request per sentinel, in order, by one principal.
        #expect(found.map { $0.request.action.lowercased() } == Prover.adminSentinels.map { $0.actions[0].lowercased() })
        #expect(Set(found.map(\.request.principal)).count == 1)
        for example in found {
            #expect(Escalation.allowed(example.request, identities: [policy.policy]), "\(example.request)")
            #expect(example.outcomes.first?.allowing.map(\.statementIndex) == [0])
        }
        #expect(found[3].request.resource == "*")
        #expect(found[0].request.resource.hasPrefix("arn:aws:iam::") && found[0].request.resource.hasSuffix(":user/prover-sentinel"))
    }

    @Test(arguments: [
        (#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#, "NotAction iam:*"),
        (#"{"Effect":"Allow","Action":"iam:*","Resource":"*"}"#, "iam:* only"),
        (#"{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"organizations:*","Resource":"*","Condition":{"Null":{"aws:SecureTransport":"true"}}},{"Effect":"Deny","Action":"organizations:*","Resource":"*","Condition":{"Null":{"aws:SecureTransport":"false"}}}"#, "organizations denied with and without the key"),
        (#"{"Effect":"Allow","Action":"*","Resource":"arn:aws:*:*:*:*"}"#, "no literal *"),
        (#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333","aws:ResourceAccount":"444455556666"}}}"#, "only across accounts"),
    ])
    func notAdmin(_ statements: String, _ name: String) {
        let verdict = prover.adminEquivalence([identity(statements)])
        #expect(verdict.isPass, "\(name): \(verdict)")
    }

    @Test func aConditionSomeContextMeetsIsStillAdmin() {
        let policy = identity(#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"},"StringEquals":{"aws:PrincipalAccount":"444455556666"}}}"#)
        guard case .fail(let found) = prover.adminEquivalence([policy]) else {
            Issue.record("expected admin")
            return
        }
        for example in found {
            #expect(example.request.principal.account == "444455556666" && example.request.context.entry("aws:MultiFactorAuthPresent")?.values.map { $0.lowercased() } == ["true"], "\(example.request)")
        }
    }

    @Test func iamStarEscalatesWithoutBeingAdmin() {
        let policy = identity(#"{"Effect":"Allow","Action":"iam:*","Resource":"*"}"#)
        #expect(prover.adminEquivalence([policy]).isPass)
        let report = prover.privilegeEscalation([policy])
        // Every method made of IAM steps alone (9 and 12 by a session of the role it changes); not those
        // that need sts:AssumeRole (14) or another service.
        #expect(Escalation.found(report).sorted() == ["1", "10", "11", "12", "13", "2", "4", "5", "6", "7", "8", "9"], "unknown \(report.unknown.map(\.reason))")
        #expect(report.unknown.isEmpty)
    }

    @Test func managedAdministratorAccess() throws {
        guard let admin = managedPolicy("AdministratorAccess"), let readOnly = managedPolicy("ReadOnlyAccess") else {
            print("skipped: AdministratorAccess/ReadOnlyAccess not in ../shared/corpus/aws-managed")
            return
        }
        #expect(prover.adminEquivalence([admin]).isFail)
        #expect(prover.privilegeEscalation([admin]).findings.count == EscalationMethod.catalogue.count)
        // ReadOnlyAccess grants only Get/List/Describe-like actions: no step of any method, no admin.
        #expect(prover.adminEquivalence([readOnly]).isPass)
        let report = prover.privilegeEscalation([readOnly])
        #expect(report.verdict.isPass && report.provedAbsent.count == EscalationMethod.catalogue.count)
    }

    @Test func managedPowerUserAccess() throws {
        guard let powerUser = managedPolicy("PowerUserAccess") else {
            print("skipped: PowerUserAccess not in ../shared/corpus/aws-managed")
            return
        }
        // NotAction iam:* (with a few IAM reads and service-linked roles): not admin, and no IAM method,
        // but every method made of other services' actions.
        #expect(prover.adminEquivalence([powerUser]).isPass)
        let report = prover.privilegeEscalation([powerUser])
        #expect(report.unknown.isEmpty, "\(report.unknown.map { "\($0.method.id): \($0.reason)" })")
        let found = Set(Escalation.found(report))
        #expect(found == ["18", "20", "23", "25", "26", "28", "pmapper-cloudformation-update-stack", "pmapper-cloudformation-change-set", "pmapper-ssm-send-command", "pmapper-ssm-start-session", "ec2-instance-connect"])
    }

    /// 30 policies spread through the corpus: both checks decide every one (no UNKNOWN) within the
    /// default time limit of each query.
    @Test func managedSampleIsDecided() throws {
        guard VerifierPaths.managedIsPresent else {
            print("skipped: ../shared/corpus/aws-managed is absent")
            return
        }
        let all = try FileManager.default.contentsOfDirectory(at: VerifierPaths.managed, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        let stride = max(1, all.count / 30)
        let sample = all.enumerated().filter { $0.offset % stride == 0 }.map(\.element).prefix(30)
        let defaultProver = Prover()
        var times: [(String, Double)] = []
        for url in sample {
            let parsed = PolicyParser.parse(contentsOf: url.path)
            guard parsed.isEvaluable, let document = parsed.policy else { continue }
            let policies = [PolicyUnderTest(document, role: .identity)]
            let start = ContinuousClock.now
            let admin = defaultProver.adminEquivalence(policies)
            let escalation = defaultProver.privilegeEscalation(policies)
            let elapsed = ContinuousClock.now - start
            times.append((url.lastPathComponent, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
            var reasons = escalation.unknown.map { "\($0.method.id): \($0.reason)" }
            if case .unknown(let reason) = admin { reasons.append("admin: \(reason)") }
            let timeouts = reasons.filter { $0.contains("did not answer") }
            #expect(reasons.count == timeouts.count, "\(url.lastPathComponent): \(reasons)")
            // Z3's incremental solver (sessions use push/pop) can take 10-15 s on an ArnLike condition
            // over a free key that a fresh solver decides in 0.1 s; likely requests tried first avoid
            // it for the corpus, but a loaded machine may still time out.
            withKnownIssue("Z3 incremental mode is slow on ArnLike conditions", isIntermittent: true) {
                #expect(timeouts.isEmpty, "\(url.lastPathComponent): \(timeouts)")
            }
        }
        let sorted = times.map(\.1).sorted()
        let slowest = times.max { $0.1 < $1.1 }
        print(String(format: "escalation sample: %d policies, median %.0f ms, max %.0f ms (%@)", sorted.count, (sorted.isEmpty ? 0 : sorted[sorted.count / 2]) * 1000, (sorted.last ?? 0) * 1000, slowest?.0 ?? "-"))
    }
}
