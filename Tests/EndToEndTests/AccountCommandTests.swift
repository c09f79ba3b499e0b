import Foundation
import Testing

/// `policyprover check --account` through the real binary, on the example account in
/// `Policies/accounts/`: verdicts per principal, paths, certified requests, SCPs, JSON and exit codes.
@Suite("policyprover check --account (real binary)")
struct AccountCommandTests {
    static let export = "Policies/accounts/example-export.json"
    static let spec = "Policies/accounts/spec.yaml"
    static let scp = "Policies/accounts/scp-deny-iam-writes.json"

    /// The JSON report, one entry per principal label.
    static func principals(_ arguments: [String]) throws -> (status: Int32, principals: [String: [String: Any]]) {
        let output = try PolicyProverBinary.run(["check", "--account", export, "--format", "json"] + arguments)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], "\(output.stderr)")
        let list = try #require((object["account"] as? [String: Any])?["principals"] as? [[String: Any]])
        return (output.status, Dictionary(uniqueKeysWithValues: list.map { ($0["principal"] as! String, $0) }))
    }

    static func check(_ principal: [String: Any]?, _ name: String) -> [String: Any]? {
        (principal?["checks"] as? [[String: Any]])?.first { $0["name"] as? String == name }
    }

    @Test func eachPrincipalThroughEveryPath() throws {
        let (status, principals) = try Self.principals(["--spec", Self.spec])
        #expect(status == 1)
        #expect(principals.keys.sorted() == ["role/app-server", "role/break-glass", "role/deploy", "user/alice", "user/bob", "user/carol", "user/dave"])
        // alice is an administrator through two certified assumptions.
        let admin = try #require(Self.check(principals["user/alice"], "admin-equivalent"))
        #expect(admin["status"] as? String == "fail")
        let holding = try #require((admin["holdings"] as? [[String: Any]])?.first)
        let path = try #require(holding["path"] as? [String: Any])
        #expect(path["principals"] as? [String] == ["user/alice", "role/deploy", "role/break-glass"])
        let hops = try #require(path["hops"] as? [[String: Any]])
        #expect(hops.compactMap { ($0["request"] as? [String: Any])?["resource"] as? String } == ["arn:aws:iam::111122223333:role/deploy", "arn:aws:iam::111122223333:role/break-glass"])
        #expect(hops.allSatisfy { $0["certified"] as? Bool == true })
        // bob can attach policies to users (method 7) and holds both sides of a duty, himself.
        let escalation = try #require(Self.check(principals["user/bob"], "privilege-escalation"))
        #expect(escalation["status"] as? String == "fail")
        #expect((escalation["holdings"] as? [[String: Any]])?.map { $0["title"] as? String } == ["method 7: iam:AttachUserPolicy"])
        let duty = try #require(Self.check(principals["user/bob"], "duty/create-user-vs-attach-policy"))
        #expect(duty["status"] as? String == "fail")
        let sides = try #require(duty["holdings"] as? [[String: Any]])
        #expect(sides.count == 2)
        let actions = sides.compactMap { (($0["requests"] as? [[String: Any]])?.first?["request"] as? [String: Any])?["action"] as? String }
        #expect(actions == ["iam:CreateUser", "iam:AttachUserPolicy"])
        // Own access keys are no escalation; a boundary cuts dave's iam:*; carol and the EC2 role pass.
        for name in ["user/carol", "user/dave", "role/app-server"] {
            #expect(principals[name]?["status"] as? String == "pass", "\(name): \(String(describing: principals[name]?["checks"]))")
        }
        // alice holds one side of the audit-trail duty herself, the other through the break-glass role.
        let trail = try #require((Self.check(principals["user/alice"], "duty/iam-admin-vs-log-deletion")?["holdings"] as? [[String: Any]]))
        #expect(trail.compactMap { ($0["path"] as? [String: Any])?["principals"] as? [String] } == [["user/alice", "role/deploy", "role/break-glass"], ["user/alice"]])
        // dave's over-broad iam:* is reported as a warning with its location.
        let broad = try #require(Self.check(principals["user/dave"], "over-broad"))
        #expect(broad["status"] as? String == "warning")
        let grant = try #require((broad["grants"] as? [[String: Any]])?.first)
        #expect(grant["pattern"] as? String == "iam:*")
        #expect((grant["location"] as? [String: Any])?["line"] as? Int == 32)
        #expect((grant["location"] as? [String: Any])?["column"] as? Int == 41)
    }

    @Test func anSCPClosesWhatItDenies() throws {
        let (status, principals) = try Self.principals(["--spec", Self.spec, "--scp", Self.scp])
        #expect(status == 1)
        #expect(principals["user/bob"]?["status"] as? String == "pass")
        // The exempt break-glass role keeps its power, and so does everyone who reaches it.
        #expect(Self.check(principals["user/alice"], "admin-equivalent")?["status"] as? String == "fail")
    }

    @Test func textNamesPathsMethodsAndGrantingLines() throws {
        let output = try PolicyProverBinary.run(["check", "--account", Self.export])
        #expect(output.status == 1)
        #expect(output.stdout.contains("account 111122223333 (Policies/accounts/example-export.json): 4 user(s), 3 role(s)"))
        #expect(output.stdout.contains("FAIL admin-equivalent: administrator through user/alice → role/deploy → role/break-glass"))
        #expect(output.stdout.contains("assumption 1: arn:aws:iam::111122223333:user/alice sts:AssumeRole arn:aws:iam::111122223333:role/deploy (certified, trust statement at Policies/accounts/example-export.json:62:9)"))
        #expect(output.stdout.contains("FAIL privilege-escalation: 1 escalation method (7)"))
        #expect(output.stdout.contains("granted by Policies/accounts/example-export.json:17:11 statement \"CreateUsers\" (Allow)"))
        #expect(output.stdout.contains("7 principal(s): 4 failed, 0 unknown, 3 passed"))
    }

    @Test func theFolderLayoutReadsLikeAnExport() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policyprover-account-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ path: String, _ text: String) throws {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try write("account-id", "111122223333\n")
        try write("users/erin/assume.json", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#)
        try write("roles/admin/trust-policy.json", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}"#)
        try write("roles/admin/all.yaml", "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Action: '*'\n    Resource: '*'\n")
        try write("roles/ec2-only/trust-policy.json", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#)
        try write("roles/ec2-only/all.json", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)
        let output = try PolicyProverBinary.run(["check", "--account", folder.path, "--format", "json"])
        #expect(output.status == 1, "\(output.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let erin = try #require(((object["account"] as? [String: Any])?["principals"] as? [[String: Any]])?.first { $0["principal"] as? String == "user/erin" })
        let reach = (erin["canAssume"] as? [[String: Any]])?.compactMap { $0["principals"] as? [String] }
        #expect(reach == [["user/erin", "role/admin"]])
        #expect(Self.check(erin, "admin-equivalent")?["status"] as? String == "fail")
    }

    @Test(arguments: [
        (["check", "--account", "Policies/accounts/example-export.json", "Policies/samples/README.md"], "give policy files or --account, not both"),
        (["check", "--account", "Policies/accounts/example-export.json", "--no-public"], "--account checks principals"),
        (["check", "--scp", "Policies/accounts/scp-deny-iam-writes.json", "--spec", "Policies/accounts/spec.yaml", "Policies/examples/ci-deployer.json"], "--scp is for --account"),
        (["check", "--account", "Policies/accounts/example-export.json", "--format", "sarif"], "check --account writes text or json"),
    ])
    func usageErrorsExit2(arguments: [String], message: String) throws {
        let output = try PolicyProverBinary.run(arguments)
        #expect(output.status == 2)
        #expect(output.stderr.contains(message), "\(output.stderr)")
    }

    @Test func anExportThatDoesNotParseExits2WithItsLocation() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("broken-export-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try "{\"UserDetailList\": [\n  {\"UserName\": \"x\",,}\n]}".write(to: file, atomically: true, encoding: .utf8)
        let output = try PolicyProverBinary.run(["check", "--account", file.path])
        #expect(output.status == 2)
        #expect(output.stderr.contains("\(file.path):2:"), "\(output.stderr)")
    }

    @Test func aMissingManagedPolicyIsUnknownNeverPass() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("partial-export-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try #"{"UserDetailList": [{"UserName": "x", "Arn": "arn:aws:iam::111122223333:user/x", "AttachedManagedPolicies": [{"PolicyName": "p", "PolicyArn": "arn:aws:iam::aws:policy/Gone"}]}]}"#.write(to: file, atomically: true, encoding: .utf8)
        let output = try PolicyProverBinary.run(["check", "--account", file.path])
        #expect(output.status == 2)
        #expect(output.stdout.contains("user/x UNKNOWN"))
        #expect(output.stdout.contains("UNKNOWN privilege-escalation: not proved"))
        #expect(output.stderr.contains("UNRESOLVED_ACCOUNT_REFERENCE"))
    }
}
