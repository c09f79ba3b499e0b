import Foundation

/// Codes of the findings that `AccountReader` reports.
extension FindingCode {
    /// Something a principal refers to is not in the input: a managed policy or permissions boundary
    /// attached but not in the export's `Policies`, a group that does not exist (`.error`).
    public static let unresolvedAccountReference = FindingCode("UNRESOLVED_ACCOUNT_REFERENCE")
    /// The account ID is not known for sure: no principal ARN or `account-id` file gives it (then
    /// `123456789012` is used), or the principals' ARNs name different accounts (`.warning`).
    public static let accountIDUnknown = FindingCode("ACCOUNT_ID_UNKNOWN")
    /// An entry of an account folder that is not read: a symbolic link (never followed), an unknown
    /// folder (`.warning`).
    public static let ignoredAccountEntry = FindingCode("IGNORED_ACCOUNT_ENTRY")
}

/// Reads the IAM principals of one account, and the policies attached to them, into an
/// `AccountInventory`: from an `aws iam get-account-authorization-details` export or from a folder
/// layout.
///
/// Guarantees: never throws and never traps, whatever the input; every document is decoded with
/// `PolicyParser` with its spans in the file it is written in; every problem is a located finding,
/// and a problem that leaves a principal's permissions not fully known is also in its `unresolved`
/// (see `AccountInventory`).
public enum AccountReader {
    /// The account ID used when the input gives none (with an `ACCOUNT_ID_UNKNOWN` warning).
    static let defaultAccountID = "123456789012"

    /// Reads a `aws iam get-account-authorization-details` export (JSON, as the CLI writes it, with
    /// documents as objects or URL-encoded JSON strings). `displayName` names the file in spans
    /// (default: `path`).
    ///
    /// - `UserDetailList[]`: `UserName`, `Arn`, `GroupList`, `UserPolicyList[]` (`PolicyName`,
    ///   `PolicyDocument`), `AttachedManagedPolicies[]` (`PolicyArn`), `PermissionsBoundary`
    ///   (`PermissionsBoundaryArn`);
    /// - `GroupDetailList[]`: `GroupName`, `Arn`, `GroupPolicyList[]`, `AttachedManagedPolicies[]`;
    /// - `RoleDetailList[]`: `RoleName`, `Arn`, `AssumeRolePolicyDocument`, `RolePolicyList[]`,
    ///   `AttachedManagedPolicies[]`, `PermissionsBoundary`;
    /// - `Policies[]`: `Arn`, `DefaultVersionId`, `PolicyVersionList[]` (`Document`, `VersionId`,
    ///   `IsDefaultVersion`); a managed policy's document is the version flagged `IsDefaultVersion`,
    ///   else the one whose `VersionId` is `DefaultVersionId`.
    ///
    /// Other keys are ignored; a key read here that holds the wrong type is an `error`. A principal
    /// without a name is reported and skipped; one without an `Arn` gets
    /// `arn:aws:iam::ACCOUNT:user/NAME` (`role/`, `group/`). The account ID is the fifth field of the
    /// first user's, role's or group's ARN.
    public static func read(exportAt path: String, displayName: String? = nil, limits: ReadLimits = .default) -> AccountInventory {
        let file = displayName ?? path
        switch SourceReader.readFile(path, file: file, limits: limits) {
        case .success(let bytes):
            return AccountExportReader.read(bytes: bytes, file: file, format: SourceFormat.detect(path: path, bytes: bytes), limits: limits)
        case .failure(let error):
            return AccountInventory(source: file, accountID: defaultAccountID, findings: [Finding(error)])
        }
    }

    /// Reads an export held in memory; `file` names it in spans (its extension, if any, decides JSON
    /// or YAML; else the content does).
    public static func read(exportText: String, file: String, limits: ReadLimits = .default) -> AccountInventory {
        let bytes = Array(exportText.utf8)
        return AccountExportReader.read(bytes: bytes, file: file, format: SourceFormat.detect(path: file, bytes: bytes), limits: limits)
    }

    /// Reads an account written as a folder. `displayName` names the folder in spans (default:
    /// `path`); the files in it are named `DISPLAY/users/alice/s3-read.json` and so on.
    ///
    /// ```
    /// ACCOUNT/
    ///   account-id                 optional: the 12-digit account ID (text, whitespace trimmed);
    ///                              else 123456789012 and a warning
    ///   users/<name>/              one folder per user
    ///       *.json|*.yaml|*.yml    identity policies, each an inline policy named by its file name
    ///                              without the extension
    ///       permissions-boundary.json (or .yaml/.yml)   optional permissions boundary
    ///       groups.txt             optional: group names, one per line (blank lines and lines
    ///                              starting with # ignored)
    ///   groups/<name>/*.json|yaml  the group's identity policies
    ///   roles/<name>/
    ///       trust-policy.json (or .yaml/.yml)           required trust policy
    ///       permissions-boundary.json (or .yaml/.yml)   optional permissions boundary
    ///       *.json|*.yaml|*.yml    identity policies
    /// ```
    ///
    /// - Documents are read as `PolicyParser.parse(contentsOf:)` reads a policy file (JSON or YAML by
    ///   extension), so their findings are `file:line:column` in the policy file.
    /// - Users, groups and roles are ordered by name; ARNs are `arn:aws:iam::ID:user/NAME`,
    ///   `role/NAME`, `group/NAME`; a principal's span is its folder (line 1, column 1).
    /// - Hidden entries (names starting with `.`) and files with other extensions are ignored; a
    ///   symbolic link is not followed (a warning); an unknown folder at the top level is a warning.
    /// - A role without a trust policy is an error located at its folder: its `trust` is `nil` and
    ///   the error is in its `unresolved`. A group named in `groups.txt` without a folder in `groups/`
    ///   is an error located at the line, in the user's `unresolved`.
    public static func read(folderAt path: String, displayName: String? = nil, limits: ReadLimits = .default) -> AccountInventory {
        var reader = AccountFolderReader(path: path, display: displayName ?? path, limits: limits)
        return reader.read()
    }

    /// A folder is read with `read(folderAt:)`, anything else with `read(exportAt:)`.
    public static func read(at path: String, displayName: String? = nil, limits: ReadLimits = .default) -> AccountInventory {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return read(folderAt: path, displayName: displayName, limits: limits)
        }
        return read(exportAt: path, displayName: displayName, limits: limits)
    }

    // MARK: - Shared by both readers

    /// The 12-digit account of an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:…`), `nil` when it has none.
    static func accountID(ofARN arn: String) -> String? {
        let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0] == "arn" else { return nil }
        return isAccountID(fields[4]) ? String(fields[4]) : nil
    }

    static func isAccountID(_ text: Substring) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// `arn:aws:iam::ACCOUNT:KIND/NAME`.
    static func arn(account: String, kind: String, name: String) -> String {
        "arn:aws:iam::\(account):\(kind)/\(name)"
    }

    static func unknownGroupMessage(_ group: String, user: String) -> String {
        "user/\(user) is a member of group \(group), which is not in the account"
    }

    /// The error for a group that a user names and that does not exist.
    static func unknownGroup(_ group: String, user: String, at span: SourceSpan) -> Finding {
        Finding(.unresolvedAccountReference, .error, unknownGroupMessage(group, user: user), at: span)
    }

    /// The errors that keep a decoded document from being evaluated as written (the ones that go to
    /// its owner's `unresolved`); empty for an evaluable document.
    static func problems(of parsed: ParsedPolicy) -> [Finding] {
        if parsed.isEvaluable { return [] }
        let errors = parsed.findings.filter { $0.severity == .error && $0.code != .invalidPrincipal }
        if !errors.isEmpty { return errors }
        return [Finding(.invalidPolicyProperty, .error, "the document could not be read", at: .startOfFile(parsed.file))]
    }

    /// The account ID the principals' ARNs give, with a warning when none gives one (then the
    /// default is used) and one for every ARN of another account.
    static func accountID(from arns: [Located<String>], noneAt span: SourceSpan, findings: inout [Finding]) -> String {
        var chosen: String?
        for arn in arns {
            guard let account = accountID(ofARN: arn.value) else { continue }
            if let chosen {
                if account != chosen {
                    findings.append(Finding(.accountIDUnknown, .warning, "\(arn.value) is in account \(account), not in \(chosen) (the account of the first principal)", at: arn.span))
                }
            } else {
                chosen = account
            }
        }
        if let chosen { return chosen }
        findings.append(Finding(.accountIDUnknown, .warning, "no principal ARN gives the account ID; \(defaultAccountID) is used", at: span))
        return defaultAccountID
    }

    /// The inventory with its findings deduplicated and sorted by position.
    static func inventory(source: String, accountID: String, users: [IAMUser], groups: [IAMGroup], roles: [IAMRole], findings: [Finding]) -> AccountInventory {
        AccountInventory(source: source, accountID: accountID, users: users, groups: groups, roles: roles, findings: uniqued(findings).sorted())
    }

    /// `findings` without repetitions, in their order.
    static func uniqued(_ findings: [Finding]) -> [Finding] {
        var seen = Set<Finding>()
        return findings.filter { seen.insert($0).inserted }
    }
}
