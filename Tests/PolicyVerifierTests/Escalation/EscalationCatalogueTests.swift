import PolicyLanguage
@testable import PolicyVerifier
import Testing

/// Every method of the catalogue against the smallest policy that grants it, and the same policy with
/// one step taken away (left out, or denied in a way only Z3 can see).
@Suite struct EscalationCatalogueTests {
    @Test func catalogueIsComplete() {
        let ids = EscalationMethod.catalogue.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect((1...28).allSatisfy { ids.contains(String($0)) })
        for id in ["pmapper-codebuild", "pmapper-sagemaker-job", "pmapper-ec2-instance-profile", "pmapper-autoscaling",
                   "pmapper-cloudformation-update-stack", "pmapper-cloudformation-change-set", "pmapper-ssm-send-command", "pmapper-ssm-start-session"] {
            #expect(ids.contains(id))
        }
        // Pacu: the role methods need the role to be assumed, on the same role.
        for id in ["9", "12", "14"] {
            let steps = Escalation.method(id).steps
            #expect(steps.count == 2 && steps[1].actions == ["sts:AssumeRole"] && steps[1].sameResourceAs == 0)
        }
    }

    @Test(arguments: EscalationMethod.catalogue)
    func foundWithExactlyItsSteps(_ method: EscalationMethod) throws {
        let granted = Escalation.granting(method.steps)
        let report = prover.privilegeEscalation([granted])
        let finding = try #require(report.findings.first { $0.method.id == method.id }, "found: \(Escalation.found(report)), unknown: \(report.unknown.map { "\($0.method.id): \($0.reason)" })")
        #expect(report.verdict.isFail)
        #expect(finding.steps.count == method.steps.count)
        for (position, (witness, step)) in zip(finding.steps, method.steps).enumerated() {
            let request = witness.counterexample.request
            #expect(witness.step == position)
            #expect(witness.action == request.action)
            #expect(step.actions.contains { $0.lowercased() == request.action.lowercased() }, "\(request.action) for \(step.actions)")
            #expect(Escalation.allowed(request, identities: [granted.policy]), "\(request)")
            #expect(witness.counterexample.outcomes.first?.allowing.isEmpty == false)
            if let service = step.passedToService {
                #expect(request.context.entry("iam:PassedToService")?.values == [service])
            }
            if case .iamRole = step.resource {
                #expect(request.resource.hasPrefix("arn:aws:iam::") && request.resource.contains(":role/"), "\(request.resource)")
            }
            if let partner = step.sameResourceAs {
                #expect(request.resource == finding.steps[partner].counterexample.request.resource)
            }
            // One principal does every step.
            #expect(request.principal == finding.steps[0].counterexample.request.principal)
        }
    }

    @Test(arguments: EscalationMethod.catalogue)
    func absentWithoutAnyOneStep(_ method: EscalationMethod) {
        for removed in method.steps.indices {
            var steps = method.steps
            steps.remove(at: removed)
            let report = prover.privilegeEscalation([Escalation.granting(steps)], methods: [method])
            if method.steps[removed].waivedForOwnRole {
                // Methods 9 and 12: a session of the role may change its own role and need not assume it.
                let finding = report.findings.first { $0.method.id == method.id }
                let request = finding?.steps.first?.counterexample.request
                #expect(finding?.steps.count == 1, "without step \(removed): found \(Escalation.found(report)), unknown \(report.unknown.map(\.reason))")
                if case .assumedRole(_, let role, _)? = request?.principal {
                    #expect(request?.resource.hasSuffix(":role/\(role)") == true, "\(String(describing: request))")
                } else {
                    Issue.record("the caller is not a session of the role: \(String(describing: request))")
                }
                continue
            }
            #expect(report.provedAbsent.map(\.id) == [method.id], "without step \(removed): found \(Escalation.found(report)), unknown \(report.unknown.map(\.reason))")
            #expect(report.verdict.isPass)
        }
    }

    /// A Deny of every resource but one bucket: only Z3 sees that it closes the step.
    @Test(arguments: EscalationMethod.catalogue)
    func absentWhenADenyClosesAStep(_ method: EscalationMethod) {
        let closed = method.steps[0].actions.map { "\"\($0)\"" }.joined(separator: ",")
        let deny = #"{"Effect":"Deny","Action":[\#(closed)],"NotResource":"arn:aws:s3:::unrelated-bucket"}"#
        let report = prover.privilegeEscalation([Escalation.granting(method.steps, extra: deny)], methods: [method])
        #expect(report.provedAbsent.map(\.id) == [method.id], "found \(Escalation.found(report)), unknown \(report.unknown.map(\.reason))")
    }
}
