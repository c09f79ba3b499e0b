import PolicyLanguage
@testable import PolicyVerifier
import Testing

/// Compatible resources, linked steps, Deny statements and permissions boundaries.
@Suite struct EscalationResourceTests {
    @Test func passRoleToAnotherServiceDoesNotLaunchInstances() throws {
        let policy = identity(#"""
        {"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}},
        {"Effect":"Allow","Action":["ec2:RunInstances","lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}
        """#)
        let report = prover.privilegeEscalation([policy])
        #expect(report.provedAbsent.contains { $0.id == "3" }, "found \(Escalation.found(report))")
        #expect(!report.found("3") && !report.found("pmapper-ec2-instance-profile"))
        let lambda = try #require(report.findings.first { $0.method.id == "15" })
        #expect(lambda.steps[0].counterexample.request.context.entry("iam:PassedToService")?.values == ["lambda.amazonaws.com"])
    }

    @Test func passRoleOnUsersIsNoPassRole() {
        let policy = identity(#"{"Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances"],"Resource":["arn:aws:iam::*:user/*","arn:aws:ec2:*:*:instance/*"]}"#)
        let report = prover.privilegeEscalation([policy])
        #expect(report.provedAbsent.contains { $0.id == "3" })
        #expect(report.verdict.isPass, "found \(Escalation.found(report)), unknown \(report.unknown.map(\.reason))")
    }

    @Test func passRoleOnARoleOfTheAccount() throws {
        let policy = identity(#"{"Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances"],"Resource":["arn:aws:iam::444455556666:role/app-*","arn:aws:ec2:*:444455556666:*"]}"#)
        let report = prover.privilegeEscalation([policy])
        let finding = try #require(report.findings.first { $0.method.id == "3" }, "unknown \(report.unknown.map(\.reason))")
        // The principal is in the account the policy names, like the role and the instance.
        for witness in finding.steps { #expect(witness.counterexample.request.principal.account == "444455556666") }
        #expect(finding.steps[0].counterexample.request.resource.hasPrefix("arn:aws:iam::444455556666:role/app-"))
    }

    @Test func trustPolicyOfOneRoleAndAssumingAnother() {
        let policy = identity(#"""
        {"Effect":"Allow","Action":"iam:UpdateAssumeRolePolicy","Resource":"arn:aws:iam::123456789012:role/A"},
        {"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/B"}
        """#)
        let report = prover.privilegeEscalation([policy])
        #expect(report.provedAbsent.contains { $0.id == "14" }, "found \(Escalation.found(report)), unknown \(report.unknown.map { "\($0.method.id): \($0.reason)" })")
        #expect(report.verdict.isPass)
    }

    @Test func trustPolicyAndAssumingTheSameRole() throws {
        let policy = identity(#"""
        {"Effect":"Allow","Action":"iam:UpdateAssumeRolePolicy","Resource":["arn:aws:iam::123456789012:role/A","arn:aws:iam::123456789012:role/C"]},
        {"Effect":"Allow","Action":"sts:AssumeRole","Resource":["arn:aws:iam::123456789012:role/B","arn:aws:iam::123456789012:role/C"]}
        """#)
        let report = prover.privilegeEscalation([policy])
        let finding = try #require(report.findings.first { $0.method.id == "14" }, "unknown \(report.unknown.map(\.reason))")
        #expect(finding.steps.map(\.counterexample.request.resource) == ["arn:aws:iam::123456789012:role/C", "arn:aws:iam::123456789012:role/C"])
        #expect(finding.steps.allSatisfy { Escalation.allowed($0.counterexample.request, identities: [policy.policy]) })
    }

    @Test func aDenyOnOneActionRemovesItsMethod() {
        let policy = identity(#"{"Effect":"Allow","Action":"iam:*","Resource":"*"},{"Effect":"Deny","Action":"iam:CreatePolicyVersion","Resource":"*"}"#)
        let report = prover.privilegeEscalation([policy])
        #expect(report.provedAbsent.contains { $0.id == "1" })
        #expect(report.found("2") && report.found("7"))
    }

    @Test func aConditionalDenyLeavesAWayIn() throws {
        // Denied without MFA only: a request with MFA is allowed, and the counterexample says so.
        let policy = identity(#"{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}"#)
        let report = prover.privilegeEscalation([policy])
        let finding = try #require(report.findings.first { $0.method.id == "4" })
        let request = finding.steps[0].counterexample.request
        #expect(request.context.entry("aws:MultiFactorAuthPresent")?.values != ["false"], "\(request)")
        #expect(finding.steps[0].counterexample.outcomes[0].denying.isEmpty)
        #expect(Escalation.allowed(request, identities: [policy.policy]))
    }

    @Test func aBoundaryWithoutIAMCutsTheIAMMethods() {
        let everything = identity(#"{"Effect":"Allow","Action":"*","Resource":"*"}"#)
        let boundary = PolicyUnderTest(policy(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","ec2:*","lambda:*"],"Resource":"*"}]}"#, file: "boundary.json"), role: .permissionsBoundary)
        let report = prover.privilegeEscalation([everything, boundary])
        let iamMethods = ["1", "2"] + (4...14).map(String.init)
        for id in iamMethods + ["3", "15", "pmapper-ec2-instance-profile"] {
            #expect(report.provedAbsent.contains { $0.id == id }, "method \(id)")
        }
        // What the boundary does allow is still found, and each request passes the boundary too.
        #expect(report.found("18") && report.found("26"))
        for finding in report.findings {
            for witness in finding.steps {
                #expect(Escalation.allowed(witness.counterexample.request, identities: [everything.policy], boundary: boundary.policy))
            }
        }
        let without = prover.privilegeEscalation([everything])
        #expect(iamMethods.allSatisfy(without.found), "found \(Escalation.found(without))")
    }

    @Test func anSCPDenyListApplies() {
        let everything = identity(#"{"Effect":"Allow","Action":"*","Resource":"*"}"#)
        let full = PolicyUnderTest(policy(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#, file: "FullAWSAccess.json"), role: .scp)
        let denyIAM = PolicyUnderTest(policy(#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["iam:*","sts:*"],"Resource":"*","Condition":{"StringNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/break-glass"}}}]}"#, file: "deny-iam.json"), role: .scp)
        // Principal ARNs are hard for Z3's string solver: two methods only, and more time than the
        // other tests (under the full suite's load 20 s per question was not always enough).
        let prover = Prover(timeout: .seconds(90))
        let report = prover.privilegeEscalation([everything, full, denyIAM], methods: [Escalation.method("7"), Escalation.method("18"), Escalation.method("24")])
        // The exempt role may still do it: found, as that role; what the SCP does not deny, as anyone.
        let finding = report.findings.first { $0.method.id == "7" }
        #expect(finding?.steps[0].counterexample.request.principal.description.contains("break-glass") == true, "\(String(describing: finding?.steps[0].counterexample.request))")
        #expect(report.found("18"))
        // CodeStar and PassRole by one caller: the one PassRole is open to.
        let codestar = report.findings.first { $0.method.id == "24" }
        #expect(codestar?.steps.allSatisfy { $0.counterexample.request.principal.description.contains("break-glass") } == true, "unknown \(report.unknown.map(\.reason))")
    }

    @Test func anyAlternativeOfAStepWill() throws {
        let policy = identity(#"{"Effect":"Allow","Action":["iam:PassRole","codebuild:UpdateProject","codebuild:StartBuildBatch"],"Resource":"*"}"#)
        let report = prover.privilegeEscalation([policy], methods: [Escalation.method("pmapper-codebuild")])
        let finding = try #require(report.findings.first)
        #expect(finding.steps.map { $0.action.lowercased() } == ["iam:passrole", "codebuild:updateproject", "codebuild:startbuildbatch"])
    }

    @Test func aSessionPolicyLimitsTheSession() {
        let everything = identity(#"{"Effect":"Allow","Action":"*","Resource":"*"}"#)
        let session = PolicyUnderTest(policy(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::*:user/ops/*"}]}"#, file: "session.json"), role: .session)
        let report = prover.privilegeEscalation([everything, session])
        #expect(Escalation.found(report) == ["4"], "unknown \(report.unknown.map(\.reason))")
        #expect(report.findings.first?.steps[0].counterexample.request.resource.contains(":user/ops/") == true)
        #expect(report.verdict.isFail && report.unknown.isEmpty)
    }

    @Test func aResourcePolicyIsNotPartOfTheQuestion() {
        let report = prover.privilegeEscalation([resourcePolicy(#"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}"#)])
        guard case .unknown(.unsupported) = report.verdict else {
            Issue.record("\(report.verdict)")
            return
        }
    }
}
