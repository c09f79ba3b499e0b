import PolicyLanguage
import SMT
@testable import PolicyVerifier
import Testing

/// The requests the escalation search tries with the evaluator alone before asking Z3: the keys the
/// step sends (`iam:PassedToService`), a resource that both a statement's pattern and the step's
/// resource kind match, keys a `Null` or `Bool` condition wants, and a catalogue resource for
/// statements on `*`. Whatever their source, the witnesses must be requests IAM allows.
@Suite struct ConcreteWitnessTests {
    @Test func aStatementPatternAndTheStepsKindShareAResource() throws {
        let policy = identity(#"""
        {"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/ml-*","Condition":{"StringEquals":{"iam:PassedToService":["glue.amazonaws.com","sagemaker.amazonaws.com"]}}},
        {"Effect":"Allow","Action":"sagemaker:CreateTrainingJob","Resource":"arn:aws:sagemaker:*:*:*Canvas*"}
        """#)
        let finding = try #require(prover.privilegeEscalation([policy]).findings.first { $0.method.id == "pmapper-sagemaker-job" })
        let requests = finding.steps.map(\.counterexample.request)
        #expect(requests.map(\.resource) == ["arn:aws:iam::123456789012:role/ml-example", "arn:aws:sagemaker:us-east-1:123456789012:training-job/Canvas"])
        #expect(requests[0].context.entry("iam:PassedToService")?.values == ["sagemaker.amazonaws.com"])
        #expect(requests.allSatisfy { Escalation.allowed($0, identities: [policy.policy]) })
    }

    @Test func emptyNamePartsOfASharedResourceReadAsExample() throws {
        let policy = identity(#"{"Effect":"Allow","Action":"cloudformation:UpdateStack","Resource":"arn:aws:cloudformation:*:*:stack/app-*"}"#)
        let report = prover.privilegeEscalation([policy])
        let finding = try #require(report.findings.first { $0.steps.map(\.action) == ["cloudformation:UpdateStack"] }, "found \(Escalation.found(report))")
        #expect(finding.steps[0].counterexample.request.resource == "arn:aws:cloudformation:us-east-1:123456789012:stack/app-example/example")
    }

    @Test func keysThatNullAndBoolConditionsWantArePresent() throws {
        let policy = identity(#"""
        {"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}},
        {"Effect":"Allow","Action":"ec2:AssociateIamInstanceProfile","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"Null":{"aws:ResourceTag/Team":"false"},"Bool":{"aws:SecureTransport":"true"}}}
        """#)
        let finding = try #require(prover.privilegeEscalation([policy]).findings.first { $0.method.id == "pmapper-ec2-instance-profile" })
        let associate = finding.steps[1].counterexample.request
        #expect(associate.resource == "arn:aws:ec2:us-east-1:123456789012:instance/example-instance-id")
        #expect(associate.context.entry("aws:ResourceTag/Team")?.values == ["example"])
        #expect(associate.context.entry("aws:SecureTransport")?.values == ["true"])
        #expect(Escalation.allowed(associate, identities: [policy.policy]))
    }

    @Test func aConditionedStatementOnEveryResourceGetsACatalogueResource() throws {
        let policy = identity(#"""
        {"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/ops","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}},
        {"Effect":"Allow","Action":"ec2:AssociateIamInstanceProfile","Resource":"*","Condition":{"ArnLike":{"ec2:NewInstanceProfile":"arn:aws:iam::*:instance-profile/ops"}}}
        """#)
        let finding = try #require(prover.privilegeEscalation([policy]).findings.first { $0.method.id == "pmapper-ec2-instance-profile" })
        let associate = finding.steps[1].counterexample.request
        #expect(associate.resource == "arn:aws:ec2:us-east-1:123456789012:instance/example-instance-id")
        #expect(associate.context.entry("ec2:NewInstanceProfile")?.values == ["arn:aws:iam::123456789012:instance-profile/ops"])
        #expect(finding.steps.allSatisfy { Escalation.allowed($0.counterexample.request, identities: [policy.policy]) })
    }

    /// A pattern the step's kind cannot match gives no guess; the step stays impossible, proved.
    @Test func disjointPatternsLeaveTheStepImpossible() {
        let policy = identity(#"""
        {"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"sagemaker.amazonaws.com"}}},
        {"Effect":"Allow","Action":["sagemaker:CreateTrainingJob","sagemaker:CreateProcessingJob"],"Resource":"arn:aws:sagemaker:*:*:model/*"}
        """#)
        let report = prover.privilegeEscalation([policy])
        #expect(report.provedAbsent.contains { $0.id == "pmapper-sagemaker-job" }, "found \(Escalation.found(report)), unknown \(report.unknown.map(\.reason))")
    }

    /// The Z3 session is built only when a question needs it.
    @Test func stepsTheEvaluatorDecidesNeedNoZ3Session() throws {
        let policy = identity(#"{"Effect":"Allow","Action":"iam:CreatePolicyVersion","Resource":"arn:aws:iam::*:policy/app-*"}"#)
        let principal = try PrincipalPolicies([policy], caller: nil, catalog: prover.catalog)
        let solver = try StepSolver(principal: principal, steps: Escalation.method("1").steps.map(\.key), prover: prover)
        guard case .witness(let request) = solver.outcome(0, account: 0) else {
            Issue.record("no witness in the account")
            return
        }
        #expect(request.resource == "arn:aws:iam::123456789012:policy/app-example")
        #expect(!solver.hasSession, "the evaluator certified the witness alone")
        guard case .witness = solver.outcome(0) else {
            Issue.record("the question in any account is Z3's")
            return
        }
        #expect(solver.hasSession)
    }

    /// Past the run's deadline no session is built: a witness the evaluator certifies still makes a
    /// finding, and every method that needed Z3 is UNKNOWN, never absent.
    @Test func pastTheDeadlineCertifiedFindingsStandAndTheRestIsUnknown() throws {
        let stopped = Prover(timeout: .seconds(20), deadline: SolverDeadline(.now - .seconds(1), reason: "the run's deadline passed"))
        let policy = identity(#"""
        {"Effect":"Allow","Action":"iam:CreatePolicyVersion","Resource":"*"},
        {"Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances"],"Resource":"arn:aws:s3:::bucket"}
        """#)
        let report = stopped.privilegeEscalation([policy])
        let finding = try #require(report.findings.first { $0.method.id == "1" })
        #expect(Escalation.allowed(finding.steps[0].counterexample.request, identities: [policy.policy]))
        #expect(!report.provedAbsent.contains { $0.id == "3" })
        let three = try #require(report.unknown.first { $0.method.id == "3" })
        #expect(three.reason == .stopped("the run's deadline passed"))
        // With time, the same method is proved absent.
        #expect(prover.privilegeEscalation([policy]).provedAbsent.contains { $0.id == "3" })
    }
}
