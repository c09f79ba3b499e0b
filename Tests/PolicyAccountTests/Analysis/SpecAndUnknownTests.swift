import Foundation
import PolicyAccount
import PolicyLanguage
import PolicyVerifier
import Testing

/// Specs over an account (segregation of duties, `never`), limits on what principals hold
/// (permissions boundaries, SCPs, groups), and inputs that leave answers open (never a PASS).
@Suite struct SpecAndUnknownTests {
    // MARK: - Specs

    static let shippedDutyPath = AccountTestPaths.repositoryRoot.appendingPathComponent("Policies/duties/create-user-vs-attach-policy.yaml").path
    static let shippedDutyExists = FileManager.default.fileExists(atPath: shippedDutyPath)

    /// The duty of `Policies/duties/create-user-vs-attach-policy.yaml` as written there; used when
    /// this checkout does not have the file yet (`shippedDutyIsTheCopy` compares them when it does).
    static let dutyCopy = """
        duties:
          - name: create-user-vs-attach-policy
            conflicting:
              - actions:
                  - "iam:CreateUser"
                  - "iam:CreateLoginProfile"
                  - "iam:CreateAccessKey"
              - actions:
                  - "iam:Attach*Policy"
                  - "iam:Put*Policy"
                  - "iam:AddUserToGroup"
        """

    static let writtenSpec = """
        invariants:
          - name: no-bucket-deletion
            never:
              actions: ["s3:DeleteBucket"]
        duties:
          - name: write-vs-delete-vs-policy
            conflicting:
              - actions: ["s3:PutObject"]
              - actions: ["s3:DeleteObject"]
              - actions: ["s3:PutBucketPolicy"]
        """

    static let shippedDuty = shippedDutyExists ? SpecReader.read(contentsOf: shippedDutyPath) : SpecReader.read(text: dutyCopy, file: "create-user-vs-attach-policy.yaml")
    static let written = SpecReader.read(text: writtenSpec, file: "written.yaml")

    /// The shipped duty (or its copy) and the written spec, as one spec (empty if either does not
    /// read: `bothSpecsRead` says why).
    static let spec: Spec = {
        let shipped = (try? shippedDuty.get())?.duties ?? [], written = try? Self.written.get()
        return Spec(file: "combined", invariants: written?.invariants ?? [], duties: shipped + (written?.duties ?? []))
    }()

    @Test func bothSpecsRead() throws {
        let shipped = try Self.shippedDuty.get(), written = try Self.written.get()
        #expect(shipped.duties.map(\.name) == ["create-user-vs-attach-policy"])
        #expect(shipped.duties.first?.conflicting.count == 2)
        #expect(written.invariants.map(\.name) == ["no-bucket-deletion"])
        #expect(written.duties.map { $0.conflicting.count } == [3])
    }

    static let boundaryARN = Doc.arn("policy/s3-only")

    static let specReport: AccountReport = TestExport(
        users: [
            TestExport.user("both", Doc.allow("iam:CreateUser", "iam:AttachUserPolicy")),
            TestExport.user("split", Doc.policy(
                Doc.statement(["iam:CreateAccessKey"]),
                Doc.statement(["sts:AssumeRole"], on: [Doc.arn("role/attacher")]))),
            TestExport.user("one-side", Doc.allow("iam:CreateLoginProfile")),
            TestExport.user("s3-admin", Doc.allow("s3:*")),
            TestExport.user("s3-via-role", Doc.allow("sts:AssumeRole", on: [Doc.arn("role/storage")])),
            TestExport.user("bounded", Doc.allow("iam:*"), boundary: boundaryARN),
            TestExport.user("unbounded", Doc.allow("iam:*")),
            TestExport.user("missing", Doc.allow("s3:GetObject"), managed: [Doc.arn("policy/not-exported")]),
        ],
        roles: [
            TestExport.role("attacher", trust: Doc.trustAccount, Doc.allow("iam:PutUserPolicy")),
            TestExport.role("storage", trust: Doc.trustAccount, Doc.allow("s3:*")),
        ],
        managed: [(boundaryARN, Doc.allow("s3:*"))]
    ).analyze(spec: spec)

    @Test(.enabled(if: shippedDutyExists))
    func shippedDutyIsTheCopy() throws {
        let shipped = try SpecReader.read(contentsOf: Self.shippedDutyPath).get()
        let copy = try SpecReader.read(text: Self.dutyCopy, file: "copy.yaml").get()
        func sets(_ spec: Spec) -> [[String: [String]]] {
            spec.duties.map { [$0.name: $0.conflicting.map { $0.statements.flatMap { $0.action?.patterns.map(\.text) ?? [] }.joined(separator: ",") }] }
        }
        #expect(sets(shipped) == sets(copy))
    }

    /// Whether `request` is in a set of a spec: the set's synthetic policy allows it (the resource
    /// side delegating to the caller's account, as the analysis takes it: some witnesses name a
    /// resource of another account).
    static func inSet(_ request: Request, _ set: Policy) throws -> Bool {
        try evaluatorAllows(request, identities: [set])
    }

    struct DutyCase: Sendable, CustomTestStringConvertible {
        var user: String
        var duty: String
        /// Per conflicting set held: the path and the action of its request; empty for a PASS.
        var held: [(path: [String], action: String)]
        var testDescription: String { "\(user) / \(duty)" }
    }

    static let dutyCases: [DutyCase] = [
        DutyCase(user: "both", duty: "create-user-vs-attach-policy", held: [(["user/both"], "iam:CreateUser"), (["user/both"], "iam:AttachUserPolicy")]),
        DutyCase(user: "split", duty: "create-user-vs-attach-policy", held: [(["user/split"], "iam:CreateAccessKey"), (["user/split", "role/attacher"], "iam:PutUserPolicy")]),
        DutyCase(user: "one-side", duty: "create-user-vs-attach-policy", held: []),
        DutyCase(user: "bounded", duty: "create-user-vs-attach-policy", held: []),
        DutyCase(user: "s3-admin", duty: "write-vs-delete-vs-policy", held: [(["user/s3-admin"], "s3:PutObject"), (["user/s3-admin"], "s3:DeleteObject"), (["user/s3-admin"], "s3:PutBucketPolicy")]),
        DutyCase(user: "s3-via-role", duty: "write-vs-delete-vs-policy", held: [(["user/s3-via-role", "role/storage"], "s3:PutObject"), (["user/s3-via-role", "role/storage"], "s3:DeleteObject"), (["user/s3-via-role", "role/storage"], "s3:PutBucketPolicy")]),
        DutyCase(user: "both", duty: "write-vs-delete-vs-policy", held: []),
    ]

    @Test(arguments: dutyCases)
    func segregationOfDuties(_ example: DutyCase) throws {
        let rule = try #require(Self.spec.duties.first { $0.name == example.duty })
        let check = try Self.specReport.principal("user/\(example.user)").check("duty/\(example.duty)")
        guard !example.held.isEmpty else {
            #expect(check.status == .pass, "\(check.brief)")
            #expect(check.holdings.isEmpty)
            return
        }
        #expect(check.status == .fail, "\(check.brief)")
        #expect(check.holdings.map(\.path.principals) == example.held.map(\.path))
        for (side, (holding, expected)) in zip(check.holdings, example.held).enumerated() {
            #expect(holding.title.hasPrefix("set \(side + 1):"), "\(holding.title)")
            let request = try #require(holding.requests.first?.request)
            #expect(holding.requests.count == 1)
            #expect(request.action == expected.action)
            #expect(try Self.inSet(request, rule.conflicting[side]), "\(request) is not in set \(side + 1)")
            try Evidence.expectCertified(holding, in: Self.specReport)
        }
    }

    struct NeverCase: Sendable, CustomTestStringConvertible {
        var user: String
        /// The path of the holding; `nil` for a PASS.
        var path: [String]?
        var testDescription: String { user }
    }

    @Test(arguments: [
        NeverCase(user: "s3-admin", path: ["user/s3-admin"]),
        NeverCase(user: "s3-via-role", path: ["user/s3-via-role", "role/storage"]),
        NeverCase(user: "both", path: nil),
        NeverCase(user: "bounded", path: nil),
    ])
    func neverInvariantThroughEveryPath(_ example: NeverCase) throws {
        let check = try Self.specReport.principal("user/\(example.user)").check("spec/no-bucket-deletion")
        guard let path = example.path else {
            #expect(check.status == .pass, "\(check.brief)")
            return
        }
        #expect(check.status == .fail, "\(check.brief)")
        let holding = try #require(check.holdings.first)
        #expect(check.holdings.map(\.path.principals) == [path])
        #expect(holding.requests.map(\.request.action) == ["s3:DeleteBucket"])
        try Evidence.expectCertified(holding, in: Self.specReport)
    }

    // MARK: - Limits

    struct BoundaryCase: Sendable, CustomTestStringConvertible {
        var user: String
        var escalates: Bool
        var testDescription: String { user }
    }

    @Test(arguments: [BoundaryCase(user: "bounded", escalates: false), BoundaryCase(user: "unbounded", escalates: true)])
    func aBoundaryCutsEscalation(_ example: BoundaryCase) throws {
        let user = try Self.specReport.principal("user/\(example.user)")
        #expect((user.principal.boundary != nil) == !example.escalates)
        // iam:* on * can attach any policy to the user itself: an administrator, unless a boundary caps
        // what it attaches.
        let admin = try user.check("admin-equivalent")
        #expect(admin.status == (example.escalates ? .fail : .pass), "\(admin.brief)")
        let escalation = try user.check("privilege-escalation")
        if example.escalates {
            #expect(escalation.status == .fail, "\(escalation.brief)")
            let methods = escalation.holdings.compactMap { $0.title.split(separator: ":").first.map(String.init) }
            for id in ["1", "2", "4", "7", "8", "10", "11", "13"] { #expect(methods.contains("method \(id)"), "\(methods)") }
            for holding in escalation.holdings { try Evidence.expectCertified(holding, in: Self.specReport) }
        } else {
            #expect(escalation.status == .pass, "\(escalation.brief)")
            #expect(escalation.holdings.isEmpty)
        }
    }

    static let scp = Doc.policy(Doc.statement(["*"]), Doc.statement(["iam:*"], effect: "Deny"))

    @Test func anSCPDenyingIAMClosesIAMMethodsOnly() throws {
        let scp = try Doc.parsed(Self.scp, file: "scp.json")
        let report = TestExport(users: [
            TestExport.user("privesc-7", Doc.allow("iam:AttachUserPolicy")),
            TestExport.user("privesc-18", Doc.allow("lambda:UpdateFunctionCode")),
        ]).analyze(scps: [scp])
        // Without the SCP privesc-7 fails (EscalationAccountTests.methodsHeldByAUser).
        let closed = try report.principal("user/privesc-7").check("privilege-escalation")
        #expect(closed.status == .pass, "\(closed.brief)")
        #expect(closed.holdings.isEmpty)
        let open = try report.principal("user/privesc-18").check("privilege-escalation")
        #expect(open.status == .fail, "\(open.brief)")
        #expect(open.holdings.map(\.title).contains { $0.hasPrefix("method 18:") })
        for holding in open.holdings { try Evidence.expectCertified(holding, in: report, scps: [scp]) }
    }

    // MARK: - Groups and answers left open

    /// `grouped` holds AdministratorAccess through its group only; `hopeful` may assume any role, and
    /// `mystery` (an administrator) has a trust policy that does not parse. (Two administrators in
    /// one account, so that Z3 works on both at once: each costs seconds.)
    static let openReport: AccountReport = TestExport(
        users: [
            TestExport.user("grouped", groups: ["admins"]),
            TestExport.user("hopeful", Doc.allow("sts:AssumeRole")),
        ],
        groups: [TestExport.Group(name: "admins", policies: [TestExport.Inline(name: "administrator-access", document: Doc.administrator)])],
        roles: [unreadable("mystery", Doc.administrator)]
    ).analyze()

    /// A role whose trust policy has an Effect IAM does not know.
    static func unreadable(_ name: String, _ document: String) -> TestExport.Role {
        TestExport.role(name, trust: #"{"Version":"2012-10-17","Statement":[{"Effect":"Perhaps","Principal":{"AWS":"\#(Doc.arn("root"))"},"Action":"sts:AssumeRole"}]}"#, document)
    }

    @Test func powerThroughAGroup() throws {
        let grouped = try Self.openReport.principal("user/grouped")
        #expect(grouped.principal.identityPolicies.map(\.provenance) == ["group/admins → inline administrator-access"])
        #expect(grouped.principal.identityPolicies.map(\.viaGroup) == ["admins"])
        let admin = try grouped.check("admin-equivalent")
        #expect(admin.status == .fail, "\(admin.brief)")
        #expect(admin.holdings.map(\.path.principals) == [["user/grouped"]])
        let holding = try #require(admin.holdings.first)
        try Evidence.expectCertified(holding, in: Self.openReport)
        for counterexample in holding.requests {
            #expect(counterexample.outcomes.first?.allowing.isEmpty == false, "\(counterexample.request)")
        }
    }

    @Test func aMissingManagedPolicyIsNeverAPass() throws {
        // In the spec's account: every check of the spec is open too.
        let missing = try Self.specReport.principal("user/missing")
        #expect(missing.principal.unresolved.contains { $0.code == .unresolvedAccountReference && $0.message.contains("policy/not-exported") })
        let open = missing.checks.filter { $0.name != "over-broad" }
        #expect(Set(open.map(\.name)) == ["admin-equivalent", "privilege-escalation", "spec/no-bucket-deletion", "duty/create-user-vs-attach-policy", "duty/write-vs-delete-vs-policy"])
        for check in open {
            #expect(check.status == .unknown, "\(check.brief)")
            #expect(check.holdings.isEmpty)
            #expect(!check.reasons.isEmpty)
        }
        #expect(missing.status == .unknown)
    }

    struct UnreadableCase: Sendable, CustomTestStringConvertible {
        var roleIsAdministrator: Bool
        var testDescription: String { roleIsAdministrator ? "an administrator behind it" : "a reader behind it" }
    }

    @Test(arguments: [UnreadableCase(roleIsAdministrator: true), UnreadableCase(roleIsAdministrator: false)])
    func anUnreadableTrustPolicy(_ example: UnreadableCase) throws {
        let role = example.roleIsAdministrator ? "mystery" : "mystery-reader"
        let report = example.roleIsAdministrator ? Self.openReport : TestExport(
            users: [TestExport.user("hopeful", Doc.allow("sts:AssumeRole"))],
            roles: [Self.unreadable(role, Doc.allow("s3:GetObject"))]
        ).analyze()
        #expect(report.findings.contains { $0.severity == .error }, "the trust policy should be reported")
        let hopeful = try report.principal("user/hopeful")
        #expect(hopeful.reachable.isEmpty)
        #expect(hopeful.undecided.map(\.role) == ["role/\(role)"])
        let admin = try hopeful.check("admin-equivalent")
        if example.roleIsAdministrator {
            #expect(admin.status == .unknown, "\(admin.brief)")
            #expect(admin.reasons.contains { $0.contains("role/\(role)") }, "\(admin.reasons)")
            // Nothing it may reach through that role is a PASS.
            for check in hopeful.checks where check.name != "over-broad" {
                #expect(check.status == .unknown, "\(check.brief)")
            }
        } else {
            // The role could be assumed, but it holds nothing that makes an administrator.
            #expect(admin.status == .pass, "\(admin.brief)")
        }
    }
}
