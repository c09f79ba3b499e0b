import Foundation
import PolicyAccount
import PolicyLanguage
import PolicyVerifier
import Testing

/// Every escalation method of the catalogue, each held by one principal whose only policy allows
/// exactly that method's steps, and users whose policies look risky but allow no method. Two
/// analyses serve every test: one of 36 roles, one of the user-specific methods and the controls.
@Suite struct EscalationAccountTests {
    /// The only policy of `privesc-<id>`: the first alternative of each step, on every resource.
    static func grant(_ method: EscalationMethod) -> String {
        var actions: [String] = []
        for step in method.steps where !actions.contains(step.actions[0]) { actions.append(step.actions[0]) }
        return Doc.policy(Doc.statement(actions))
    }

    struct SafeControl: Sendable, CustomTestStringConvertible {
        var name: String
        var document: String
        var testDescription: String { name }
    }

    static let safeControls: [SafeControl] = [
        // AWS's "manage your own credentials" policy: methods 4, 5 and 6 need another user.
        SafeControl(name: "safe-self-service", document: Doc.allow(
            "iam:CreateAccessKey", "iam:UpdateLoginProfile", "iam:CreateLoginProfile",
            on: ["arn:aws:iam::111122223333:user/${aws:username}"])),
        SafeControl(name: "safe-readonly", document: Doc.allow("iam:Get*", "iam:List*")),
        // PassRole to ECS only: method 3 needs the role passed to EC2.
        SafeControl(name: "safe-passrole-narrow", document: Doc.policy(
            Doc.statement(["iam:PassRole"], on: ["arn:aws:iam::111122223333:role/ecs-task"],
                          condition: #"{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}"#),
            Doc.statement(["ec2:RunInstances"]))),
    ]

    /// Every method, each held by a role (`role/privesc-<id>`, trusting EC2 only, so that no
    /// principal reaches another).
    static let roleReport: AccountReport = TestExport(
        roles: EscalationMethod.catalogue.map { TestExport.role("privesc-\($0.id)", trust: Doc.trust(service: "ec2.amazonaws.com"), grant($0)) }
    ).analyze()

    /// The methods about users, and method 3 beside its narrow look-alike, each held by a user
    /// (`user/privesc-<id>`); and the safe controls.
    static let userMethods = ["3", "4", "5", "6", "7", "10", "13"].map { id in EscalationMethod.catalogue.first { $0.id == id }! }
    static let userReport: AccountReport = TestExport(
        users: userMethods.map { TestExport.user("privesc-\($0.id)", grant($0)) } + safeControls.map { TestExport.user($0.name, $0.document) }
    ).analyze()

    /// Every method held by a user, off unless POLICYPROVER_SLOW_ACCOUNT_TESTS=1: 55 to 120 s of Z3,
    /// since questions about a known user are 20 to 70 times slower than about a role (a user with
    /// only `iam:PassRole` + `ec2:AssociateIamInstanceProfile` takes 14 s, the same policy on a role
    /// 0.2 s); on a loaded machine the slowest methods run into the 10 s limit and are UNKNOWN.
    static let slowTestsEnabled = ProcessInfo.processInfo.environment["POLICYPROVER_SLOW_ACCOUNT_TESTS"] == "1"
    static let everyUserReport: AccountReport = TestExport(
        users: EscalationMethod.catalogue.map { TestExport.user("privesc-\($0.id)", grant($0)) }
    ).analyze()

    /// `label`'s privilege-escalation check FAILs with `method` among its holdings, every request of
    /// every holding certified under the principal's one policy and made by that principal.
    static func verify(_ method: EscalationMethod, label: String, in report: AccountReport) throws {
        let principal = try report.principal(label)
        let caller = try #require(KnownCaller(arn: Doc.arn(label)))
        let policy = try Doc.parsed(grant(method))
        let escalation = try principal.check("privilege-escalation")
        #expect(escalation.status == .fail, "\(escalation.brief)")
        let titles = escalation.holdings.map(\.title)
        let holding = try #require(escalation.holdings.first { $0.title.hasPrefix("method \(method.id):") }, "found \(titles); \(escalation.brief)")
        #expect(holding.path.principals == [label])
        #expect(holding.path.hops.isEmpty)
        #expect(holding.requests.count == method.steps.count)
        for (request, step) in zip(holding.requests.map(\.request), method.steps) {
            #expect(step.actions.contains { $0.caseInsensitiveCompare(request.action) == .orderedSame }, "\(request.action) for \(step.actions)")
            if let service = step.passedToService {
                #expect(request.context.entry("iam:PassedToService")?.values == [service], "\(request)")
            }
            if step.otherUserOnly, caller.kind == .user {
                #expect(request.resource.contains(":user/") && request.resource != caller.arn, "\(request.resource)")
            }
        }
        // Every request of every holding, whatever the method, is the principal's and allowed by its policy.
        for other in escalation.holdings {
            for counterexample in other.requests {
                let request = counterexample.request
                #expect(caller.matches(request.principal), "\(other.title): \(request.principal)")
                if caller.kind == .user { #expect(request.principal.description.contains(caller.arn)) }
                #expect(try evaluatorAllows(request, identities: [policy]), "\(other.title): \(request)")
                #expect(counterexample.outcomes.first?.allowing.isEmpty == false, "\(other.title): no granting statement")
            }
        }
        // Only the methods that write a policy on the principal itself make an administrator: it can
        // grant itself any permission.
        let admin = try principal.check("admin-equivalent")
        let selfGranting: Set<String> = caller.kind == .user ? ["7", "10"] : ["9", "12"]
        if selfGranting.contains(method.id) {
            #expect(admin.status == .fail, "\(admin.brief)")
            #expect(admin.holdings.first?.title.hasPrefix("can grant itself any permission") == true, "\(admin.brief)")
            #expect(admin.holdings.first?.requests.first?.request.resource == caller.arn, "\(admin.brief)")
        } else {
            #expect(admin.status == .pass, "\(admin.brief)")
        }
    }

    @Test(arguments: EscalationMethod.catalogue)
    func eachMethodHeldByARole(_ method: EscalationMethod) throws {
        try Self.verify(method, label: "role/privesc-\(method.id)", in: Self.roleReport)
    }

    @Test(arguments: userMethods)
    func methodsHeldByAUser(_ method: EscalationMethod) throws {
        try Self.verify(method, label: "user/privesc-\(method.id)", in: Self.userReport)
    }

    @Test(.enabled(if: slowTestsEnabled), arguments: EscalationMethod.catalogue)
    func eachMethodHeldByAUser(_ method: EscalationMethod) throws {
        try Self.verify(method, label: "user/privesc-\(method.id)", in: Self.everyUserReport)
    }

    @Test(arguments: safeControls)
    func safeControlsPass(_ control: SafeControl) throws {
        let user = try Self.userReport.principal("user/\(control.name)")
        let escalation = try user.check("privilege-escalation")
        #expect(escalation.status == .pass, "\(escalation.brief) \(escalation.holdings.map(\.title))")
        #expect(escalation.holdings.isEmpty)
        #expect(try user.check("admin-equivalent").status == .pass)
        #expect(user.status == .pass)
    }

    @Test func nobodyReachesAnybody() {
        for report in [Self.roleReport, Self.userReport] {
            let problems = report.findings.filter { $0.severity == .error }
            #expect(problems.isEmpty, "\(problems)")
            #expect(report.edges == 0)
            #expect(report.principals.allSatisfy { $0.reachable.isEmpty && $0.undecided.isEmpty })
        }
        #expect(Self.roleReport.principals.count == EscalationMethod.catalogue.count)
        #expect(Self.userReport.principals.count == Self.userMethods.count + Self.safeControls.count)
    }
}
