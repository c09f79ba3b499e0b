import PolicyLanguage

/// How a condition key that AWS sets, and the caller cannot choose, is tied to what the caller owns
/// (SEMANTICS.md §5: the keys IAM Access Analyzer considers, and S3's "meaning of public").
///
/// An outsider can send such a key only with values it owns: its own account and organization, ARNs
/// of its own resources, its own VPCs, its own addresses. So an outsider's value is any value except
/// those owned by somebody else that the question excludes (`OwnedValues`). Every other key — tags,
/// `aws:Referer`, `aws:SecureTransport`, `aws:CalledVia`, … — the outsider sets freely.
enum BoundKeyRule: Equatable {
    /// An account ID (`aws:SourceAccount`, `aws:SourceOwner`, `kms:CallerAccount`, …).
    case account
    /// An organization ID.
    case organization
    /// Organization paths `o-…/r-…/ou-…/`, owned by the organization of their first segment.
    case organizationPath
    /// An ARN, owned by the account in its account field; an ARN without one (an S3 bucket) or a
    /// value that is no ARN (a KMS key ID) is owned as a whole.
    case ownedArn
    /// An identifier owned as a whole: a VPC, a VPC endpoint, a web-identity audience or subject.
    case owned
    /// `aws:userid`: a fixed user ID (`AIDA…`) or account ID is owned; a role session's ID
    /// (`AROLEID:session`) is not, since whoever may assume the role picks the session name (S3 counts
    /// only values "outside the pattern AROLEID:*" as fixed).
    case uniqueID
    /// GitHub's OIDC subject `repo:OWNER/REPO:…`, owned by OWNER.
    case gitHubSubject
    /// `aws:SourceIp`: a caller owns only its own addresses.
    case sourceAddress

    /// AWS sends one value of these keys (organization paths are a list).
    var isSingleValued: Bool { self != .organizationPath }

    /// The rule of a key (any case), or `nil` when the caller may set the key freely.
    static func rule(for key: String) -> BoundKeyRule? {
        let name = key.lowercased()
        switch name {
        case "aws:sourceaccount", "aws:sourceowner", "kms:calleraccount", "s3:dataaccesspointaccount": return .account
        case "aws:principalorgid", "aws:sourceorgid": return .organization
        case "aws:principalorgpaths", "aws:sourceorgpaths": return .organizationPath
        case "aws:sourcearn", "s3:dataaccesspointarn", "s3:x-amz-server-side-encryption-aws-kms-key-id": return .ownedArn
        case "aws:sourcevpc", "aws:sourcevpce": return .owned
        case "aws:userid": return .uniqueID
        case "aws:sourceip": return .sourceAddress
        // GitHub issues tokens for any audience the workflow asks for: the audience bounds nothing,
        // the subject does (a deliberate departure from the aud list, toward more findings).
        case "token.actions.githubusercontent.com:aud": return nil
        case "token.actions.githubusercontent.com:sub": return .gitHubSubject
        default:
            return isWebIdentityKey(name) ? .owned : nil
        }
    }

    /// `provider:aud`, `provider:sub`, `provider:app_id`, … of a web identity provider: the audience
    /// (the application) and subject (the user) come from the identity token.
    static func isWebIdentityKey(_ name: String) -> Bool {
        guard let colon = name.lastIndex(of: ":") else { return false }
        let provider = name[..<colon], field = name[name.index(after: colon)...]
        return provider.contains(".") && ["aud", "sub", "app_id", "oaud", "azp", "user_id", "id"].contains(String(field))
    }
}

/// The values of bound keys that an outsider cannot send, because somebody else owns them.
///
/// For the public question that is every value the policy fixes: a fixed account, organization,
/// VPC, ARN or CIDR narrower than the S3 limit bounds who can get in. For the external question it is
/// what the zone of trust owns: an untrusted account the policy names is an outsider.
struct OwnedValues: Sendable {
    var accounts: Set<String> = []
    var organizations: Set<String> = []
    /// Whole values by key (lower-cased): VPCs, endpoints, ARNs without account, audiences, …
    var wholeValues: [String: Set<String>] = [:]
    /// Fixed `aws:userid` values without a session part.
    var uniqueIDs: Set<String> = []
    /// `repo:OWNER` prefixes of GitHub subjects.
    var gitHubOwners: Set<String> = []
    var addressRanges: [IPAddressRange] = []
    /// Values fixed with `StringEqualsIgnoreCase`, by key, with ASCII letters lower-cased: every
    /// spelling of them is owned.
    var caseInsensitiveValues: [String: Set<String>] = [:]

    /// The S3 limits: a CIDR broader than these is public (SEMANTICS.md §5, "CIDR note").
    static let widestFixedPrefix: [IPAddressRange.Family: Int] = [.v4: 8, .v6: 32]

    /// What the zone of trust owns.
    init(zone: TrustedZone) {
        accounts = Set(zone.accounts.map(\.value))
        organizations = Set(zone.organizations.map(\.value))
        if !zone.vpcs.isEmpty { wholeValues["aws:sourcevpc"] = Set(zone.vpcs.map(\.value)) }
        if !zone.vpcEndpoints.isEmpty { wholeValues["aws:sourcevpce"] = Set(zone.vpcEndpoints.map(\.value)) }
    }

    /// What the zone owns, plus every value `policies` fix for a bound key, every account they name
    /// (in principals, conditions and ARNs), and every account a policy names in a principal.
    init(fixedBy policies: [Policy], zone: TrustedZone) {
        self.init(zone: zone)
        for policy in policies {
            for statement in policy.statements {
                if case .specific(let values)? = statement.principal?.value {
                    for value in values where value.type == .aws || value.type == .federated {
                        if ARNFields.isAccountID(value.text) { accounts.insert(value.text) }
                        // Whatever the account field holds (`cloudfront` for an origin access identity).
                        if let account = ARNFields(value.text)?.account, !account.isEmpty { accounts.insert(String(account)) }
                    }
                }
                for clause in statement.condition?.clauses ?? [] { collect(clause) }
            }
        }
    }

    private mutating func collect(_ clause: ConditionClause) {
        let isLike = clause.conditionOperator.map { [.stringLike, .stringNotLike, .arnLike, .arnNotLike].contains($0.base) } ?? true
        let name = clause.key.value.lowercased()
        let rule = BoundKeyRule.rule(for: name)
        let ignoresCase = clause.conditionOperator.map { [.stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase].contains($0.base) } ?? false
        for value in clause.values where value.template.variables.isEmpty {
            let text = value.text
            if ignoresCase, rule != nil, rule != .organizationPath, rule != .gitHubSubject {
                caseInsensitiveValues[name, default: []].insert(Self.asciiLowercased(text))
            }
            let fixed = !isLike || !(text.contains("*") || text.contains("?"))
            // Accounts named anywhere are somebody's: a fresh caller is in none of them.
            if ARNFields.isAccountID(text) { accounts.insert(text) }
            if let account = Self.fixedAccountField(text) { accounts.insert(account) }
            switch rule {
            case .account?:
                if fixed { accounts.insert(text) }
            case .organization?:
                if fixed { organizations.insert(text) }
            case .organizationPath?:
                if let segment = Self.fixedSegment(text, before: "/", wildcards: isLike) { organizations.insert(segment) }
            case .ownedArn?, .owned?:
                if fixed { wholeValues[name, default: []].insert(text) }
            case .uniqueID?:
                if fixed && !text.contains(":") { uniqueIDs.insert(text) }
            case .gitHubSubject?:
                if text.hasPrefix("repo:"), let owner = Self.fixedSegment(text, before: "/", wildcards: isLike) { gitHubOwners.insert(owner) }
            case .sourceAddress?:
                if let range = IPAddressRange(text), range.prefixLength >= Self.widestFixedPrefix[range.family]! { addressRanges.append(range) }
            case nil:
                break
            }
        }
    }

    /// `text` with the ASCII letters lower-cased, as IAM's IgnoreCase operators compare.
    static func asciiLowercased(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }))
    }

    /// The text before the first `separator`, when it holds no wildcard.
    static func fixedSegment(_ text: String, before separator: Character, wildcards: Bool) -> String? {
        guard let end = text.firstIndex(of: separator) else { return nil }
        let segment = String(text[..<end])
        if wildcards && (segment.contains("*") || segment.contains("?")) { return nil }
        return segment
    }

    /// The account field of an ARN-shaped text, when it is a wildcard-free account ID.
    static func fixedAccountField(_ text: String) -> String? {
        accountField(text).flatMap { ARNFields.isAccountID($0) ? $0 : nil }
    }

    /// Whether an outsider may send `value` for a key with `rule` (`key` lower-cased). The SMT
    /// encoding states the same predicate (`RequestEncoding.outsiderValue`).
    func admits(_ value: String, key: String, rule: BoundKeyRule) -> Bool {
        if caseInsensitiveValues[key]?.contains(Self.asciiLowercased(value)) ?? false { return false }
        switch rule {
        case .account: return !accounts.contains(value)
        case .organization: return !organizations.contains(value)
        case .organizationPath: return organizations.allSatisfy { value != $0 && !value.hasPrefix($0 + "/") }
        case .ownedArn:
            if let account = Self.accountField(value), accounts.contains(account) { return false }
            return !(wholeValues[key]?.contains(value) ?? false)
        case .owned: return !(wholeValues[key]?.contains(value) ?? false)
        case .uniqueID: return !uniqueIDs.contains(value)
        case .gitHubSubject: return gitHubOwners.allSatisfy { !value.hasPrefix($0 + "/") }
        case .sourceAddress:
            guard let address = IPAddressRange(value) else { return !(wholeValues[key]?.contains(value) ?? false) }
            return !addressRanges.contains { $0.family == address.family && $0.contains(address) }
        }
    }

    /// The text of the fifth `:`-separated field of `arn:…`, whatever it holds.
    static func accountField(_ text: String) -> String? {
        let fields = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0] == "arn" else { return nil }
        return String(fields[4])
    }
}
