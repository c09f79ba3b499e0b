import PolicyLanguage

/// Reads spec files (YAML, or JSON: the format comes from the extension, else from the content).
///
/// The format (DESIGN.md, "Commands"):
/// ```yaml
/// trusted:                                   # optional
///   accounts: ["111122223333"]               # 12-digit account IDs
///   organizations: ["o-a1b2c3d4e5"]          # o-[a-z0-9]{10,32}
///   vpcs: ["vpc-1a2b3c4d"]                   # traffic through these counts as inside
///   vpc-endpoints: ["vpce-1a2b3c4d"]
/// invariants:
///   - name: no-iam-writes
///     never: { actions: ["iam:Create*"], resources: ["*"] }     # a scope, or a list of scopes
///   - name: s3-only-to-our-bucket
///     only: [{ actions: ["s3:*"], resources: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"] }]
///   - name: bucket-not-public
///     no-public-access: true
///   - name: nothing-outside-our-org
///     no-external-access: true
/// duties:
///   - name: payments
///     conflicting:                           # at least two sets, each a scope or a list of scopes
///       - { actions: ["payments:CreatePayment"] }
///       - { actions: ["payments:ApprovePayment"] }
/// ```
/// A *scope* is a mapping with `actions` or `not-actions` (required, a string or a list), `resources`
/// or `not-resources` (optional, default every resource), `conditions` (optional, an IAM `Condition`
/// block) and `principals` (optional, IAM `Principal` syntax: `"*"` or `{AWS: [...]}`). Each scope
/// becomes one `Allow` statement of a synthetic policy, decoded by `PolicyDecoder` and checked by
/// `PolicyValidator` (its `error` findings only), so its spans point into the spec file.
public enum SpecReader {
    /// Whether `text` matches `o-[a-z0-9]{10,32}`.
    public static func isOrganizationID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 12, bytes.count <= 34, bytes[0] == UInt8(ascii: "o"), bytes[1] == UInt8(ascii: "-") else { return false }
        return bytes[2...].allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
    }

    /// Reads and checks the spec file at `path`; `displayName` names it in spans (default: `path`).
    /// Never crashes and never throws: every problem is an `error` finding with a span.
    public static func read(contentsOf path: String, displayName: String? = nil) -> Result<Spec, SpecErrors> {
        let file = displayName ?? path
        return read(SourceReader.read(contentsOf: path, displayName: file), file: file)
    }

    /// Reads and checks a spec held in memory; `file` names it in spans. JSON or YAML by the content.
    public static func read(text: String, file: String) -> Result<Spec, SpecErrors> {
        read(SourceReader.read(bytes: Array(text.utf8), file: file), file: file)
    }

    /// Checks an already-read document tree.
    public static func read(node: SourceNode) -> Result<Spec, SpecErrors> {
        var decoder = SpecDecoder(file: node.span.file)
        let spec = decoder.decodeSpec(node)
        if decoder.findings.isEmpty, let spec { return .success(spec) }
        if decoder.findings.isEmpty {
            // Cannot happen (a missing spec is always reported), but never return an empty error.
            decoder.report(.specWrongType, "the spec could not be read", at: node.span)
        }
        return .failure(SpecErrors(findings: decoder.findings.sorted()))
    }

    private static func read(_ result: Result<SourceNode, SourceError>, file: String) -> Result<Spec, SpecErrors> {
        switch result {
        case .success(let node): return read(node: node)
        case .failure(let error): return .failure(SpecErrors(findings: [Finding(error)]))
        }
    }
}

/// The checks of `SpecReader`, collecting every finding rather than stopping at the first.
struct SpecDecoder {
    let file: String
    private(set) var findings: [Finding] = []
    /// Names of invariants and duties seen so far, with where they were first written.
    private var names: [String: SourceSpan] = [:]

    init(file: String) {
        self.file = file
    }

    mutating func report(_ code: FindingCode, _ message: String, at span: SourceSpan, notes: [Finding.Note] = []) {
        findings.append(Finding(code, .error, message, at: span, notes: notes))
    }

    // MARK: - Known keys

    static let rootKeys = ["trusted", "invariants", "duties"]
    static let trustedKeys = ["accounts", "organizations", "vpcs", "vpc-endpoints"]
    static let invariantKinds = ["never", "only", "no-public-access", "no-external-access"]
    static let invariantKeys = ["name"] + invariantKinds
    static let dutyKeys = ["name", "conflicting"]
    static let scopeKeys = ["actions", "not-actions", "resources", "not-resources", "conditions", "principals"]

    /// Reports every member whose key is not in `known`; returns the known members.
    private mutating func knownMembers(_ members: [SourceNode.Member], known: [String], place: String) -> [SourceNode.Member] {
        members.filter { member in
            if known.contains(member.key) { return true }
            var message = "unknown key \"\(member.key)\" in \(place)"
            if let suggestion = Self.closest(to: member.key, among: known) {
                message += "; did you mean \"\(suggestion)\"?"
            } else {
                message += "; expected one of \(known.joined(separator: ", "))"
            }
            report(.specUnknownKey, message, at: member.keySpan)
            return false
        }
    }

    /// The known key that `key` most likely misspells: same letters ignoring case, `-` and `_`; a
    /// prefix of at least three letters; at most a third of the letters (and at least one) edited; or
    /// an abbreviation (at least three letters, the same first letter, the rest in order: `orgs`).
    static func closest(to key: String, among known: [String]) -> String? {
        func normalized(_ text: String) -> [Character] {
            Array(text.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " })
        }
        let written = normalized(key)
        guard !written.isEmpty else { return nil }
        if let match = known.first(where: { normalized($0) == written }) { return match }
        if written.count >= 3, let match = known.first(where: { normalized($0).starts(with: written) }) { return match }
        let limit = max(1, min(3, written.count / 3))
        let scored = known.map { ($0, editDistance(written, normalized($0))) }.filter { $0.1 <= limit }
        if let match = scored.min(by: { $0.1 < $1.1 })?.0 { return match }
        guard written.count >= 3 else { return nil }
        return known.first { candidate in
            let letters = normalized(candidate)
            guard letters.first == written.first else { return false }
            var remaining = letters[...]
            for character in written {
                guard let index = remaining.firstIndex(of: character) else { return false }
                remaining = remaining[remaining.index(after: index)...]
            }
            return true
        }
    }

    /// Levenshtein distance.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    // MARK: - Document

    mutating func decodeSpec(_ root: SourceNode) -> Spec? {
        if case .null = root.kind {
            report(.specEmpty, "the spec is empty: add invariants or duties", at: root.span)
            return nil
        }
        guard let rootMembers = root.members else {
            report(.specWrongType, "a spec must be a mapping with trusted, invariants and duties, found \(root.typeDescription)", at: root.span)
            return nil
        }
        var spec = Spec(file: file)
        var written = 0
        for member in knownMembers(rootMembers, known: Self.rootKeys, place: "the spec") {
            switch member.key {
            case "trusted":
                spec.trusted = trustedZone(member.value)
            case "invariants":
                guard let entries = list(member, of: "invariants") else { break }
                written += entries.count
                spec.invariants = entries.compactMap { invariant($0) }
            case "duties":
                guard let entries = list(member, of: "duties") else { break }
                written += entries.count
                spec.duties = entries.compactMap { duty($0) }
            default:
                break
            }
        }
        // Only when nothing else is wrong: a misspelt or mistyped `invariants` is reported as such.
        if written == 0, findings.isEmpty {
            report(.specEmpty, "the spec states nothing: add invariants or duties", at: root.span)
        }
        return spec
    }

    /// The elements of a member that must be a list (`null`, as left by `key:` alone, counts as empty).
    private mutating func list(_ member: SourceNode.Member, of what: String) -> [SourceNode]? {
        switch member.value.kind {
        case .array(let elements): return elements
        case .null: return []
        default:
            report(.specWrongType, "\(what) must be a list, found \(member.value.typeDescription)", at: member.value.span)
            return nil
        }
    }

    // MARK: - Trusted zone

    private mutating func trustedZone(_ node: SourceNode) -> TrustedZone {
        var zone = TrustedZone()
        if case .null = node.kind { return zone }
        guard let members = node.members else {
            report(.specWrongType, "trusted must be a mapping with accounts, organizations, vpcs and vpc-endpoints, found \(node.typeDescription)", at: node.span)
            return zone
        }
        for member in knownMembers(members, known: Self.trustedKeys, place: "trusted") {
            switch member.key {
            case "accounts":
                // An unquoted 12-digit number is accepted too: its literal text is kept.
                zone.accounts = strings(member.value, element: "trusted.accounts", allowNumbers: true).filter { account in
                    let valid = account.value.utf8.count == 12 && account.value.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
                    if !valid {
                        report(.specInvalidAccount, "\"\(account.value)\" is not an AWS account ID (12 digits)", at: account.span)
                    }
                    return valid
                }
            case "organizations":
                zone.organizations = strings(member.value, element: "trusted.organizations", allowNumbers: false).filter { organization in
                    let valid = SpecReader.isOrganizationID(organization.value)
                    if !valid {
                        report(.specInvalidOrganization, "\"\(organization.value)\" is not an AWS Organizations ID (o- followed by 10 to 32 lowercase letters or digits)", at: organization.span)
                    }
                    return valid
                }
            case "vpcs":
                zone.vpcs = strings(member.value, element: "trusted.vpcs", allowNumbers: false)
            case "vpc-endpoints":
                zone.vpcEndpoints = strings(member.value, element: "trusted.vpc-endpoints", allowNumbers: false)
            default:
                break
            }
        }
        return zone
    }


    /// A string or a list of strings; wrong entries are reported and skipped.
    private mutating func strings(_ node: SourceNode, element: String, allowNumbers: Bool) -> [Located<String>] {
        func scalar(_ node: SourceNode) -> Located<String>? {
            switch node.kind {
            case .string(let text): return Located(text, at: node.span)
            case .number(let text) where allowNumbers: return Located(text, at: node.span)
            default: return nil
            }
        }
        if let single = scalar(node) { return [single] }
        guard let elements = node.elements else {
            report(.specWrongType, "\(element) must be a string or a list of strings, found \(node.typeDescription)", at: node.span)
            return []
        }
        return elements.compactMap { entry in
            guard let value = scalar(entry) else {
                report(.specWrongType, "each entry of \(element) must be a string, found \(entry.typeDescription)", at: entry.span)
                return nil
            }
            return value
        }
    }

    // MARK: - Names

    /// The entry's `name`: a non-empty string, unique among invariants and duties.
    private mutating func name(_ entry: SourceNode, members: [SourceNode.Member], what: String) -> String? {
        guard let member = members.first(where: { $0.key == "name" }) else {
            report(.specMissing, "\(what) has no name", at: entry.span)
            return nil
        }
        guard case .string(let text) = member.value.kind else {
            report(.specWrongType, "the name of \(what) must be a string, found \(member.value.typeDescription)", at: member.value.span)
            return nil
        }
        guard !text.allSatisfy(\.isWhitespace) else {
            report(.specMissing, "the name of \(what) is empty", at: member.value.span)
            return nil
        }
        if let first = names[text] {
            report(.specDuplicateName, "the name \"\(text)\" is already used (names of invariants and duties must be unique)", at: member.value.span, notes: [Finding.Note("first used here", at: first)])
            return nil
        }
        names[text] = member.value.span
        return text
    }

    // MARK: - Invariants

    private mutating func invariant(_ entry: SourceNode) -> Invariant? {
        guard let allMembers = entry.members else {
            report(.specWrongType, "an invariant must be a mapping with a name and one of \(Self.invariantKinds.joined(separator: ", ")), found \(entry.typeDescription)", at: entry.span)
            return nil
        }
        let members = knownMembers(allMembers, known: Self.invariantKeys, place: "an invariant")
        let name = self.name(entry, members: members, what: "an invariant")
        let kindMembers = members.filter { Self.invariantKinds.contains($0.key) }
        if kindMembers.isEmpty {
            report(.specMissing, "\(name.map { "invariant \"\($0)\"" } ?? "the invariant") states nothing: add one of \(Self.invariantKinds.joined(separator: ", "))", at: entry.span)
            return nil
        }
        for extra in kindMembers.dropFirst() {
            report(.specAmbiguousInvariant, "an invariant states exactly one of \(Self.invariantKinds.joined(separator: ", ")); write \"\(extra.key)\" as an invariant of its own", at: extra.keySpan, notes: [Finding.Note("\"\(kindMembers[0].key)\" is written here", at: kindMembers[0].keySpan)])
        }
        // Check every kind written, so that all problems are reported; keep the first.
        let kinds = kindMembers.map { kind($0) }
        guard let name, kindMembers.count == 1, let kind = kinds[0] else { return nil }
        return Invariant(name: name, kind: kind, span: entry.span)
    }

    private mutating func kind(_ member: SourceNode.Member) -> InvariantKind? {
        switch member.key {
        case "never": return scopes(member.value, keySpan: member.keySpan, what: "never").map { .never($0) }
        case "only": return scopes(member.value, keySpan: member.keySpan, what: "only").map { .only($0) }
        case "no-public-access": return flag(member) ? .noPublicAccess : nil
        case "no-external-access": return flag(member) ? .noExternalAccess : nil
        default: return nil
        }
    }

    /// `key: true`; `false` is refused (it states nothing, so the entry should go).
    private mutating func flag(_ member: SourceNode.Member) -> Bool {
        switch member.value.kind {
        case .bool(true):
            return true
        case .bool(false):
            report(.specFalseFlag, "\(member.key): false states nothing; remove the invariant instead", at: member.value.span)
        default:
            report(.specWrongType, "\(member.key) must be true, found \(member.value.typeDescription)", at: member.value.span)
        }
        return false
    }

    // MARK: - Duties

    private mutating func duty(_ entry: SourceNode) -> DutyRule? {
        guard let allMembers = entry.members else {
            report(.specWrongType, "a duty must be a mapping with a name and conflicting sets, found \(entry.typeDescription)", at: entry.span)
            return nil
        }
        let members = knownMembers(allMembers, known: Self.dutyKeys, place: "a duty")
        let name = self.name(entry, members: members, what: "a duty")
        guard let member = members.first(where: { $0.key == "conflicting" }) else {
            report(.specMissing, "\(name.map { "duty \"\($0)\"" } ?? "the duty") has no conflicting sets: add conflicting with at least two scopes", at: entry.span)
            return nil
        }
        guard let sets = member.value.elements else {
            report(.specWrongType, "conflicting must be a list of at least two sets (each a scope or a list of scopes), found \(member.value.typeDescription)", at: member.value.span)
            return nil
        }
        if sets.count < 2 {
            report(.specTooFewConflicting, "conflicting lists \(sets.count) set\(sets.count == 1 ? "" : "s"); segregation of duties needs at least two", at: member.value.span)
        }
        let policies = sets.map { scopes($0, keySpan: member.keySpan, what: "each conflicting set") }
        guard let name, sets.count >= 2, policies.allSatisfy({ $0 != nil }) else { return nil }
        return DutyRule(name: name, conflicting: policies.compactMap { $0 }, span: entry.span)
    }

    // MARK: - Scopes

    /// One scope or a list of scopes, as a synthetic policy with one `Allow` statement per scope;
    /// `nil` when anything in them is wrong. `keySpan` (the key the scopes are written under) locates
    /// the policy's `Version` and `Statement`.
    private mutating func scopes(_ node: SourceNode, keySpan: SourceSpan, what: String) -> Policy? {
        let scopeNodes: [SourceNode]
        switch node.kind {
        case .object:
            scopeNodes = [node]
        case .array(let elements):
            if elements.isEmpty {
                report(.specInvalidScope, "\(what) lists no scopes; write at least one scope such as { actions: [\"s3:GetObject\"] }", at: node.span)
                return nil
            }
            scopeNodes = elements
        default:
            report(.specWrongType, "\(what) must be a scope (a mapping with actions, resources, conditions, principals) or a list of scopes, found \(node.typeDescription)", at: node.span)
            return nil
        }
        let before = findings.count
        // Scopes that are well formed are decoded even when others are not, so that their problems
        // are reported too.
        let statements = scopeNodes.compactMap { statementNode(forScope: $0) }
        guard !statements.isEmpty else { return nil }
        let document = SourceNode(.object([
            SourceNode.Member(key: "Version", keySpan: keySpan, value: SourceNode(.string(PolicyLanguageVersion.v2012_10_17.rawValue), span: keySpan)),
            SourceNode.Member(key: "Statement", keySpan: keySpan, value: SourceNode(.array(statements), span: node.span)),
        ]), span: node.span)
        let (decoded, decodingFindings) = PolicyDecoder.decode(document)
        findings += decodingFindings
        guard let policy = decoded else { return nil }
        // The validator's grammar errors (unknown condition operators, malformed actions, ARNs or
        // values); a statement with principals is judged as a resource policy, others as identity.
        let validator = PolicyValidator()
        for statement in policy.statements {
            let single = Policy(version: policy.version, statements: [statement], statementKeySpan: policy.statementKeySpan, span: policy.span)
            let type: PolicyType = statement.principal == nil ? .identity : .resource
            findings += validator.validate(single, as: type).filter { $0.severity == .error }
        }
        guard findings.count == before else { return nil }
        return policy
    }

    /// The policy statement node for one scope: its spec nodes under IAM element names, `Effect: Allow`
    /// and a default `Resource: "*"` located at the scope. `nil` after reporting when it is malformed.
    private mutating func statementNode(forScope scope: SourceNode) -> SourceNode? {
        guard let allMembers = scope.members else {
            report(.specWrongType, "a scope must be a mapping with actions, resources, conditions, principals, found \(scope.typeDescription)", at: scope.span)
            return nil
        }
        let before = findings.count
        let members = knownMembers(allMembers, known: Self.scopeKeys, place: "a scope")
        var statement = [SourceNode.Member(key: "Effect", keySpan: scope.span, value: SourceNode(.string("Allow"), span: scope.span))]

        func pair(_ positive: String, _ negative: String, element: String) -> SourceNode.Member? {
            let written = members.filter { $0.key == positive || $0.key == negative }
            if written.count > 1 {
                report(.specInvalidScope, "a scope cannot have both \(positive) and \(negative)", at: written[1].keySpan, notes: [Finding.Note("\"\(written[0].key)\" is written here", at: written[0].keySpan)])
                return nil
            }
            guard let member = written.first else { return nil }
            switch member.value.kind {
            case .string:
                break
            case .array(let elements):
                if elements.isEmpty {
                    let hint = positive == "actions" ? "list at least one action" : "omit it to mean every resource"
                    report(.specInvalidScope, "\(member.key) is an empty list, so the scope matches no request; \(hint)", at: member.value.span)
                    return nil
                }
                let wrong = elements.filter { if case .string = $0.kind { false } else { true } }
                for entry in wrong {
                    report(.specWrongType, "each entry of \(member.key) must be a string, found \(entry.typeDescription)", at: entry.span)
                }
                if !wrong.isEmpty { return nil }
            default:
                report(.specWrongType, "\(member.key) must be a string or a list of strings, found \(member.value.typeDescription)", at: member.value.span)
                return nil
            }
            let name = member.key == positive ? element : "Not" + element
            return SourceNode.Member(key: name, keySpan: member.keySpan, value: member.value)
        }

        let hasActions = members.contains { $0.key == "actions" || $0.key == "not-actions" }
        if !hasActions {
            report(.specInvalidScope, "the scope names no actions: add actions (or not-actions)", at: scope.span)
        } else if let action = pair("actions", "not-actions", element: "Action") {
            statement.append(action)
        }
        let hasResources = members.contains { $0.key == "resources" || $0.key == "not-resources" }
        if !hasResources {
            statement.append(SourceNode.Member(key: "Resource", keySpan: scope.span, value: SourceNode(.string("*"), span: scope.span)))
        } else if let resource = pair("resources", "not-resources", element: "Resource") {
            statement.append(resource)
        }
        if let member = members.first(where: { $0.key == "conditions" }) {
            if member.value.members == nil {
                report(.specWrongType, "conditions must be a mapping of condition operators (IAM Condition syntax), found \(member.value.typeDescription)", at: member.value.span)
            } else {
                statement.append(SourceNode.Member(key: "Condition", keySpan: member.keySpan, value: member.value))
            }
        }
        if let member = members.first(where: { $0.key == "principals" }) {
            switch member.value.kind {
            case .string("*"), .object:
                statement.append(SourceNode.Member(key: "Principal", keySpan: member.keySpan, value: member.value))
            default:
                report(.specWrongType, "principals must be \"*\" or a mapping such as { AWS: [\"111122223333\"] } (IAM Principal syntax), found \(member.value.scalarText.map { "\"\($0)\"" } ?? member.value.typeDescription)", at: member.value.span)
            }
        }
        guard findings.count == before else { return nil }
        return SourceNode(.object(statement), span: scope.span)
    }
}
