import Foundation
import Testing
@testable import PolicyAudit

/// A hand-built report that exercises every path of the writers: failing, unknown, error and passing
/// checks; a file error; a file without policies; a policy without checks; related locations in the
/// same file and in another file; a path with a space and `&`; Unicode, XML-special and control
/// characters in messages.
enum FormatsFixture {
    static let adminRole = "accounts/admin-role.json"
    static let broken = "broken/bad.json"
    static let bucket = "buckets/public bucket & co.json"
    static let stack = "cfn/stack.yaml"
    static let legacy = "legacy/no-checks.json"
    static let package = "misc/package.json"
    static let spec = "spec.yaml"

    /// The message with every kind of character the writers must carry or escape.
    static let trickyMessage = "Statement \"Öffentlich\" lets <Principal> '*' & friends read — 日本語 🚀 \u{1B}[31m\u{0}"

    static func at(_ file: String, _ line: Int, _ column: Int, _ endLine: Int, _ endColumn: Int) -> Location {
        Location(file: file, line: line, column: column, endLine: endLine, endColumn: endColumn)
    }

    static var files: [FileRecord] {
        [
            FileRecord(path: adminRole, contentHash: String(repeating: "a1", count: 32), kind: .policy, policies: [
                PolicyRecord(name: "policy", type: "identity", location: at(adminRole, 1, 1, 20, 2), checks: [
                    CheckRecord(id: "validation", outcome: .pass, message: "valid, 1 warning", issues: [
                        Issue(ruleId: "REDUNDANT_ACTION", level: .warning, message: "s3:GetObject is covered by s3:*", location: at(adminRole, 9, 9, 9, 23)),
                    ]),
                    CheckRecord(id: "admin-equivalent", outcome: .fail, message: "the policy allows every action on every resource", issues: [
                        Issue(ruleId: "admin-equivalent", level: .error, message: "Statement \"FullAccess\" allows \"*\" on \"*\"",
                              location: at(adminRole, 5, 7, 12, 8), related: [
                                  RelatedLocation(message: "Action \"*\"", location: at(adminRole, 7, 19, 7, 22)),
                                  RelatedLocation(message: "Resource \"*\"", location: at(adminRole, 8, 21, 8, 24)),
                              ]),
                    ]),
                    CheckRecord(id: "privilege-escalation", outcome: .fail, message: "2 statements allow privilege escalation", issues: [
                        Issue(ruleId: "privilege-escalation", level: .error, message: "iam:PutRolePolicy on * lets the role edit its own policy", location: at(adminRole, 14, 7, 14, 7)),
                        Issue(ruleId: "privilege-escalation", level: .warning, message: "iam:PassRole on * passes any role", location: at(adminRole, 17, 7, 16, 3)),
                    ]),
                    CheckRecord(id: "no-public-access", outcome: .pass, message: "no public access: proved"),
                ]),
            ]),
            FileRecord(path: broken, contentHash: String(repeating: "b2", count: 32), kind: .policy, policies: [], errors: [
                Issue(ruleId: "SYNTAX_ERROR", level: .error, message: "expected ',' or '}' after a value", location: at(broken, 3, 1, 3, 2)),
            ]),
            FileRecord(path: bucket, contentHash: String(repeating: "c3", count: 32), kind: .policy, policies: [
                PolicyRecord(name: "policy", type: "resource", location: at(bucket, 1, 1, 15, 2), checks: [
                    CheckRecord(id: "validation", outcome: .fail, message: "not valid: 1 error, 1 warning", issues: [
                        Issue(ruleId: "MISSING_PRINCIPAL", level: .error, message: trickyMessage, location: at(bucket, 3, 5, 3, 16)),
                        Issue(ruleId: "REDUNDANT_ACTION", level: .warning, message: "s3:GetObject is listed twice", location: at(bucket, 9, 13, 0, 0)),
                    ]),
                    CheckRecord(id: "no-public-access", outcome: .error, message: "not checked: the policy is not valid"),
                ]),
            ]),
            FileRecord(path: stack, contentHash: String(repeating: "d4", count: 32), kind: .cloudFormation, policies: [
                PolicyRecord(name: "Resources.AppRole.AssumeRolePolicyDocument", type: "trust", location: at(stack, 4, 9, 14, 1), checks: [
                    CheckRecord(id: "no-external-access", outcome: .unknown, message: "ForAnyValue:StringLike over aws:PrincipalOrgPaths is not encoded exactly", issues: [
                        Issue(ruleId: "no-external-access", level: .warning, message: "this condition decides who may assume the role", location: at(stack, 11, 13, 11, 40)),
                    ]),
                ]),
                PolicyRecord(name: "Resources.DeployPolicy.PolicyDocument", type: "identity", location: at(stack, 20, 9, 40, 1), checks: [
                    CheckRecord(id: "spec/no-iam-writes", outcome: .fail, message: "the invariant no-iam-writes does not hold", issues: [
                        Issue(ruleId: "spec/no-iam-writes", level: .error, message: "allows iam:CreateUser on arn:aws:iam::111122223333:user/x",
                              location: at(stack, 25, 15, 25, 33), related: [
                                  RelatedLocation(message: "the invariant no-iam-writes", location: at(spec, 4, 5, 5, 60)),
                              ]),
                    ]),
                    CheckRecord(id: "spec/s3-only-to-our-bucket", outcome: .unknown, message: "Z3 gave up after 10 s (timeout)"),
                ]),
            ]),
            FileRecord(path: legacy, contentHash: String(repeating: "e5", count: 32), kind: .policy, policies: [
                PolicyRecord(name: "policy", type: "identity", location: at(legacy, 1, 1, 3, 2), checks: []),
            ]),
            FileRecord(path: package, contentHash: String(repeating: "f6", count: 32), kind: .unrecognized, policies: []),
        ]
    }

    static var report: AuditReport {
        AuditReport(version: "0.9.0-test", command: "audit", files: files.reversed(), seconds: 12.5)
    }

    /// The report split into two shards by file, interleaved in path order.
    static var shards: (AuditReport, AuditReport) {
        let first: Set = [adminRole, bucket, package]
        return (
            AuditReport(version: "0.9.0-test", command: "audit", files: files.filter { first.contains($0.path) }, seconds: 7.25),
            AuditReport(version: "0.9.0-test", command: "audit", files: files.filter { !first.contains($0.path) }, seconds: 9.0)
        )
    }

    static var schemaPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/sarif-schema-2.1.0.json").path
    }

    static func decodeSARIF(_ text: String) throws -> SARIFLog {
        try JSONDecoder().decode(SARIFLog.self, from: Data(text.utf8))
    }
}

/// `/usr/bin/python3` as an independent checker (the jsonschema module; Debian `python3-jsonschema`).
enum Python {
    static let path = "/usr/bin/python3"
    static let missingJSONSchema: Comment =
        "needs /usr/bin/python3 with the jsonschema module: apt-get install python3-jsonschema"

    static let hasJSONSchema: Bool = run(["-c", "import jsonschema"]).status == 0

    static func run(_ arguments: [String], input: String? = nil) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            return (-1, "could not run \(path): \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Validates `json` against the SARIF schema; status 0 when valid, else the errors, one a line.
    static func validateSARIF(_ json: String) throws -> (status: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("policyprover-sarif-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1], encoding="utf-8"))
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            assert cls is jsonschema.Draft7Validator, cls
            validator = cls(schema, format_checker=jsonschema.FormatChecker())
            errors = sorted(validator.iter_errors(json.load(open(sys.argv[2], encoding="utf-8"))), key=lambda e: list(map(str, e.absolute_path)))
            for e in errors:
                print("/".join(map(str, e.absolute_path)) + ": " + e.message)
            sys.exit(1 if errors else 0)
            """
        return run(["-c", script, FormatsFixture.schemaPath, file.path])
    }
}
