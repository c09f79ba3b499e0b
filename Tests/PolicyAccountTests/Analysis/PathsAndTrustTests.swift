import Foundation
import Synchronization
import PolicyAccount
import PolicyLanguage
import PolicyVerifier
import Testing

/// Who reaches which role: trust policies that must allow (with an identity Allow when they trust
/// the account), role chaining; one account read from an export and from a folder, same answers.
@Suite struct PathsAndTrustTests {
    // MARK: - Trust policies, as an export and as a folder

    /// The account of `Fixtures/accounts/trust-paths`, written as an export: `u` may assume any role;
    /// `ec2-app` trusts EC2 only; `admin2` trusts the account; `direct` trusts the user `trusted`,
    /// which has no sts:AssumeRole of its own; `chainer` may assume `a`, which may assume `admin2`.
    /// (One administrator only: each `*` principal costs Z3 seconds, for its own escalation check.)
    static let trustExport = TestExport(
        users: [
            TestExport.user("u", Doc.allow("sts:AssumeRole")),
            TestExport.user("trusted", Doc.allow("s3:ListAllMyBuckets")),
            TestExport.user("chainer", Doc.allow("sts:AssumeRole", on: [Doc.arn("role/a")])),
        ],
        roles: [
            TestExport.role("ec2-app", trust: Doc.trust(service: "ec2.amazonaws.com"), Doc.allow("sqs:SendMessage")),
            TestExport.role("admin2", trust: Doc.trustAccount, Doc.administrator),
            TestExport.role("direct", trust: Doc.trust(aws: Doc.arn("user/trusted")), Doc.allow("sqs:*")),
            TestExport.role("a", trust: Doc.trust(aws: Doc.arn("user/chainer")), Doc.allow("sts:AssumeRole", on: [Doc.arn("role/admin2")])),
        ])

    enum Source: String, CaseIterable, Sendable { case export, folder }

    /// Both analyses, side by side.
    static let trustReports: [Source: AccountReport] = {
        let folder = AccountReader.read(folderAt: AccountTestPaths.fixture("trust-paths").path, displayName: "trust-paths")
        let reports = Mutex([Source: AccountReport]())
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let report = index == 0 ? trustExport.analyze() : AccountAnalysis(inventory: folder, jobs: 2).run()
            reports.withLock { $0[index == 0 ? .export : .folder] = report }
        }
        return reports.withLock { $0 }
    }()

    @Test(arguments: Source.allCases)
    func bothSourcesReadTheSameAccount(_ source: Source) throws {
        let report = try #require(Self.trustReports[source])
        let problems = report.findings.filter { $0.severity == .error }
        #expect(problems.isEmpty, "\(problems)")
        #expect(report.accountID == Doc.account)
        #expect(Set(report.principals.map(\.principal.label)) == ["user/u", "user/trusted", "user/chainer", "role/ec2-app", "role/admin2", "role/direct", "role/a"])
    }

    @Test func bothSourcesGiveTheSameAnswers() throws {
        let export = try #require(Self.trustReports[.export]), folder = try #require(Self.trustReports[.folder])
        #expect(export.edges == folder.edges)
        for principal in export.principals {
            let other = try folder.principal(principal.principal.label)
            #expect(other.reachablePaths == principal.reachablePaths, "\(principal.principal.label)")
            #expect(other.checks.map { "\($0.name) \($0.status)" } == principal.checks.map { "\($0.name) \($0.status)" }, "\(principal.principal.label)")
        }
    }

    @Test(arguments: Source.allCases)
    func aTrustOfTheAccountNeedsAnIdentityAllow(_ source: Source) throws {
        let report = try #require(Self.trustReports[source])
        let u = try report.principal("user/u")
        // ec2-app trusts EC2 only: never reached; admin2 trusts the account and u's policy allows.
        #expect(u.reachablePaths == [["user/u", "role/admin2"]])
        #expect(u.undecided.isEmpty)
        let admin = try u.check("admin-equivalent")
        #expect(admin.status == .fail, "\(admin.brief)")
        let holding = try #require(admin.holdings.first)
        #expect(admin.holdings.count == 1)
        #expect(holding.path.principals == ["user/u", "role/admin2"])
        let hop = try #require(holding.path.hops.first)
        #expect(holding.path.hops.count == 1)
        #expect(hop.request.action == "sts:AssumeRole")
        #expect(hop.request.resource == Doc.arn("role/admin2"))
        #expect(hop.request.principal.description == Doc.arn("user/u"))
        try Evidence.expectCertified(holding, in: report)
        // The trust of admin2 alone is not enough: a user without sts:AssumeRole does not reach it.
        let trusted = try report.principal("user/trusted")
        #expect(!trusted.reachablePaths.contains { $0.contains("role/admin2") })
    }

    @Test(arguments: Source.allCases)
    func aTrustNamingTheUserNeedsNoIdentityAllow(_ source: Source) throws {
        let report = try #require(Self.trustReports[source])
        let trusted = try report.principal("user/trusted")
        #expect(trusted.reachablePaths == [["user/trusted", "role/direct"]])
        let path = try #require(trusted.reachable.first)
        try Evidence.expectCertified(path, in: report)
        // Its identity policy alone would not allow the request: the trust naming the user does.
        let request = try #require(path.hops.first?.request)
        let own = try Evidence.policies(of: "user/trusted", in: report)
        #expect(try !evaluatorAllows(request, identities: own.identities))
        #expect(try trusted.check("admin-equivalent").status == .pass)
        // Nobody else is named by that trust.
        for other in ["user/u", "user/chainer", "role/admin2"] {
            #expect(try !report.principal(other).reachablePaths.contains { $0.contains("role/direct") }, "\(other)")
        }
    }

    @Test(arguments: Source.allCases)
    func roleChainingReachesTheAdministrator(_ source: Source) throws {
        let report = try #require(Self.trustReports[source])
        let chainer = try report.principal("user/chainer")
        #expect(chainer.reachablePaths == [["user/chainer", "role/a"], ["user/chainer", "role/a", "role/admin2"]])
        let admin = try chainer.check("admin-equivalent")
        #expect(admin.status == .fail, "\(admin.brief)")
        let holding = try #require(admin.holdings.first { $0.path.holder == "role/admin2" })
        #expect(holding.path.principals == ["user/chainer", "role/a", "role/admin2"])
        #expect(holding.path.hops.count == 2)
        #expect(holding.path.hops.map(\.request.resource) == [Doc.arn("role/a"), Doc.arn("role/admin2")])
        try Evidence.expectCertified(holding, in: report)
        // The second hop is made by a session of role a, not by the user.
        let second = try #require(holding.path.hops.last?.request.principal)
        #expect(try #require(KnownCaller(arn: Doc.arn("role/a"))).matches(second))
    }

    @Test(arguments: Source.allCases)
    func nobodyReachesTheRoleTrustingEC2(_ source: Source) throws {
        let report = try #require(Self.trustReports[source])
        for principal in report.principals {
            #expect(!principal.reachablePaths.contains { $0.contains("role/ec2-app") }, "\(principal.principal.label) reaches role/ec2-app")
            #expect(principal.undecided.isEmpty, "\(principal.principal.label): \(principal.undecided)")
        }
        // u → admin2, trusted → direct, chainer → a, a → admin2; admin2 may call sts:AssumeRole but
        // no other trust names it or its account.
        #expect(report.edges == 4, "\(report.principals.map { ($0.principal.label, $0.reachablePaths) })")
    }

    /// With only the role that trusts EC2, a user allowed every sts:AssumeRole reaches nothing.
    @Test func aServiceTrustBlocksEveryUser() throws {
        let report = TestExport(
            users: [TestExport.user("u", Doc.allow("sts:AssumeRole"))],
            roles: [TestExport.role("admin", trust: Doc.trust(service: "ec2.amazonaws.com"), Doc.administrator)]
        ).analyze()
        let u = try report.principal("user/u")
        #expect(u.reachable.isEmpty)
        #expect(u.undecided.isEmpty)
        #expect(report.edges == 0)
        let admin = try u.check("admin-equivalent")
        #expect(admin.status == .pass, "\(admin.brief)")
        #expect(admin.holdings.isEmpty)
        #expect(try u.check("privilege-escalation").status == .pass)
        // The role itself is an administrator: the PASS is the trust policy's doing.
        #expect(try report.principal("role/admin").check("admin-equivalent").status == .fail)
    }
}
