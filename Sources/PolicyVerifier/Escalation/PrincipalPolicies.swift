import Foundation
import PolicyLanguage

/// The identity-side policies of one principal, grouped the way IAM combines them (SEMANTICS.md §4):
/// the identity policies together (some Allow, no Deny), and the permissions boundary, the session
/// policy and the SCPs each as a limit that must allow too. All SCPs given are read as policies
/// attached at one organization level, like `simulate --scp`.
///
/// Resource-side policies are not part of the question. The resource side is taken to delegate to the
/// principal's account (a trust policy or key policy naming the account root): the checks are about
/// what the principal's own policies let it do.
struct PrincipalPolicies {
    var identities: [Policy] = []
    var boundary: Policy?
    var session: Policy?
    var scps: [Policy] = []
    /// The one principal the questions are about; `nil` for any user or role session.
    let caller: KnownCaller?
    /// Requests are sent now or later (`TimeFloor`), when some policy reads a time key.
    private(set) var timeFloor: Policy?
    let evaluator: PolicyEvaluator

    init(_ policies: [PolicyUnderTest], caller: KnownCaller? = nil, catalog: ActionCatalog?) throws(UnknownReason) {
        evaluator = PolicyEvaluator(catalog: catalog)
        self.caller = caller
        for entry in policies {
            switch entry.role {
            case .identity: identities.append(entry.policy)
            case .scp: scps.append(entry.policy)
            case .permissionsBoundary:
                guard boundary == nil else { throw .unsupported("a second permissions boundary (a principal has at most one)", at: entry.policy.span) }
                boundary = entry.policy
            case .session:
                guard session == nil else { throw .unsupported("a second session policy (give the session's policies as one document)", at: entry.policy.span) }
                session = entry.policy
            case .resource, .rcp, .vpcEndpoint:
                throw .unsupported("a \(entry.role.rawValue) policy among a principal's identity-side policies", at: entry.policy.span)
            }
        }
        if TimeFloor.isRead(by: policies.map(\.policy)) {
            guard let floor = TimeFloor.policy(now: Date()) else { throw .internalError("the time floor does not parse") }
            timeFloor = floor
        }
    }

    /// The policies of the query, in the order of `labels`: every policy must allow (the identity ones
    /// merged into one document, whose meaning is exactly some Allow and no Deny among them all).
    var groups: [PolicyUnderTest] {
        var groups = [PolicyUnderTest(Self.merged(identities, name: "<identity policies>"), role: .identity)]
        if let boundary { groups.append(PolicyUnderTest(boundary, role: .permissionsBoundary)) }
        if let session { groups.append(PolicyUnderTest(session, role: .session)) }
        if !scps.isEmpty { groups.append(PolicyUnderTest(Self.merged(scps, name: "<service control policies>"), role: .scp)) }
        if let timeFloor { groups.append(PolicyUnderTest(timeFloor, role: .identity)) }
        return groups
    }

    var labels: [String] {
        ["identity"] + (boundary == nil ? [] : ["permissions boundary"]) + (session == nil ? [] : ["session policy"]) + (scps.isEmpty ? [] : ["SCP"])
            + (timeFloor == nil ? [] : ["time"])
    }

    static func merged(_ policies: [Policy], name: String) -> Policy {
        if policies.count == 1 { return policies[0] }
        var statements = policies.flatMap(\.statements)
        // Positions, not the original indices: references into the merged document must resolve.
        for index in statements.indices { statements[index].index = index }
        return Policy(version: policies.first?.version, statements: statements, span: SourceSpan(file: name, start: SourceLocation(line: 1, column: 1)))
    }

    /// IAM's decision under every policy of the principal, the resource side delegating to the
    /// principal's account.
    func allows(_ request: Request) -> Bool {
        guard let account = request.principal.account, caller?.matches(request.principal) ?? true else { return false }
        let set = PolicySet(
            identityPolicies: identities, resourcePolicy: Self.delegation(account), permissionsBoundary: boundary,
            sessionPolicy: session, scpLevels: scps.isEmpty ? [] : [scps])
        guard isSendable(request) else { return false }
        return evaluator.evaluate(request, policies: set, explain: false).kind == .allow
    }

    /// Whether the request can still be sent: its time keys are not in the past (`TimeFloor`).
    func isSendable(_ request: Request) -> Bool {
        guard let timeFloor else { return true }
        return evaluator.applicableStatements(of: timeFloor, role: .identity, request: request).allows
    }

    /// The evidence shown for a request: what each of the principal's own documents says about it.
    func counterexample(_ request: Request) -> Counterexample {
        let hasBoundary = boundary != nil
        var entries: [(String, Policy, PolicyRole)] = identities.map { ("identity", $0, .identity) }
        if let boundary { entries.append(("permissions boundary", boundary, .permissionsBoundary)) }
        if let session { entries.append(("session policy", session, .session)) }
        entries += scps.map { ("SCP", $0, .scp) }
        let summaries = entries.map { label, policy, role in
            let outcome = evaluator.applicableStatements(of: policy, role: role, request: request, principalHasBoundary: hasBoundary)
            return PolicyOutcomeSummary(label: label, file: policy.file, allows: outcome.allows, allowing: outcome.allowing, denying: outcome.denying)
        }
        return Counterexample(request: request, outcomes: summaries)
    }

    /// A resource policy naming only the account: delegation to the account's own policies, as the
    /// default key policy and a trust policy that trusts the account do. For every other request it
    /// changes nothing.
    static func delegation(_ account: String) -> Policy? {
        let text = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\#(account):root"},"Action":"*","Resource":"*"}]}"#
        return PolicyParser.parse(text: text, file: "<resource side delegating to \(account)>").policy
    }

    /// Whether some request for `action` may be allowed, read from the statements' action elements
    /// alone. Exact when it says no: then no identity Allow applies, a limit allows nothing for the
    /// action, or an unconditional Deny on every resource applies to it — whatever the request.
    func mayAllow(_ action: String) -> Bool {
        func applies(_ statement: Statement) -> Bool { statement.effect != nil && statement.covers(action: action) }
        func grants(_ policies: [Policy]) -> Bool {
            policies.contains { $0.statements.contains { $0.effect?.value == .allow && applies($0) } }
        }
        let all = identities + [boundary, session].compactMap { $0 } + scps
        let deniedEverywhere = all.contains { policy in
            policy.statements.contains { statement in
                guard statement.effect?.value == .deny, applies(statement), statement.condition?.clauses.isEmpty ?? true,
                      let resource = statement.resource, !resource.isNot else { return false }
                return resource.patterns.contains(where: \.matchesEveryResource)
            }
        }
        return grants(identities) && (boundary.map { grants([$0]) } ?? true) && (session.map { grants([$0]) } ?? true)
            && (scps.isEmpty || grants(scps)) && !deniedEverywhere
    }

    /// Requests that the identity policies' Allow statements for `action` describe, made concrete in
    /// `account`: a resource they name (`nil` when they name every resource) and a value for each key
    /// a positive string or ARN condition asks for, wildcards filled in. Likely requests to try first;
    /// nothing is concluded from them. `patterns`: the statement's resource patterns that name
    /// something, with an ARN's partition, region and account filled in where they are `*`.
    /// `presence`: also a value for each key a `Null` condition wants present, the value of each
    /// `Bool` condition, and `${aws:PrincipalAccount}` read as the account (for requests the evaluator
    /// alone decides; Z3 pins only string keys, where a made-up tag value could only get in the way).
    func guesses(for action: String, account: String, presence: Bool = false) -> [(resource: String?, context: RequestContext, patterns: [String])] {
        var guesses: [(resource: String?, context: RequestContext, patterns: [String])] = []
        for policy in identities {
            for statement in policy.statements where statement.effect?.value == .allow {
                guard statement.covers(action: action) else { continue }
                var context = RequestContext()
                var present: [(key: String, value: String)] = []
                for clause in statement.condition?.clauses ?? [] {
                    let key = clause.key.value
                    // Keys the caller or the step fix: tied already.
                    guard let op = clause.conditionOperator, !PrincipalSpace.derivedKeyNames.contains(key.lowercased()),
                          key.lowercased() != "iam:passedtoservice", var value = clause.values.first?.text else { continue }
                    if presence {
                        if op.base == .null, value.lowercased() == "false", op.qualifier == nil { present.append((key, "example")) }
                        if op.base == .bool, op.qualifier == nil { present.append((key, value)) }
                        value = value.replacingOccurrences(of: "${aws:PrincipalAccount}", with: account)
                    }
                    guard op.base.family == .string || op.base.family == .arn, !op.base.isNegated,
                          op.qualifier != .forAllValues, !value.contains("${") else { continue }
                    context.set(Self.concrete(value, account: account), for: key)
                }
                for (key, value) in present { context.setDefault(value, for: key) }
                let patterns = statement.resource.flatMap { $0.isNot ? nil : $0.patterns } ?? []
                let named = patterns.first { !$0.matchesEveryResource && !$0.text.contains("${") && $0.text.hasPrefix("arn:") }
                guard named != nil || !context.isEmpty else { continue }
                let naming = patterns.filter { !$0.matchesEveryResource && !$0.text.contains("${") }.map { Self.fieldsFilled($0.text, account: account) }
                guesses.append((named.map { Self.concrete($0.text, account: account) }, context, naming))
            }
        }
        return guesses
    }

    /// Role ARNs that the identity policies' Allow statements for `action` name as the caller (values
    /// of `aws:PrincipalArn` conditions), made concrete in `account`: likely callers to try.
    func callerRoles(for action: String, account: String) -> [String] {
        var roles: [String] = []
        for policy in identities {
            for statement in policy.statements where statement.effect?.value == .allow {
                guard statement.covers(action: action) else { continue }
                for clause in statement.condition?.clauses ?? [] where clause.key.value.lowercased() == "aws:principalarn" {
                    guard let op = clause.conditionOperator, !op.base.isNegated else { continue }
                    for value in clause.values where value.text.contains(":role/") && !value.text.contains("${") {
                        let role = Self.concrete(value.text, account: account)
                        if !roles.contains(role) { roles.append(role) }
                    }
                }
            }
        }
        return roles
    }

    /// A pattern with its wildcards filled in: an ARN's partition, region and account by `aws`,
    /// `us-east-1` and `account`, every other `*` or `?` by `x`.
    static func concrete(_ pattern: String, account: String) -> String {
        // `*` reads as "example" (as the catalogue's example ARNs), `?` as one letter.
        func filled(_ text: String) -> String { text.map { $0 == "*" ? "example" : $0 == "?" ? "x" : String($0) }.joined() }
        var fields = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6, fields[0] == "arn" else { return filled(pattern) }
        func isWild(_ field: String) -> Bool { field.contains("*") || field.contains("?") }
        if isWild(fields[1]) { fields[1] = "aws" }
        if isWild(fields[3]) { fields[3] = "us-east-1" }
        if isWild(fields[4]) { fields[4] = account }
        return fields.map(filled).joined(separator: ":")
    }

    /// An ARN pattern with a partition, region or account that is exactly `*` read as `aws`,
    /// `us-east-1` and `account`; every other wildcard kept.
    static func fieldsFilled(_ pattern: String, account: String) -> String {
        var fields = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6, fields[0] == "arn" else { return pattern }
        if fields[1] == "*" { fields[1] = "aws" }
        if fields[3] == "*" { fields[3] = "us-east-1" }
        if fields[4] == "*" { fields[4] = account }
        return fields.joined(separator: ":")
    }

    /// Accounts the principal is tried in: a stand-in first, then the accounts the policies name (in
    /// resource ARNs and condition values), a few at most.
    var accounts: [String] {
        // A known caller's requests come from its own account only.
        if let caller { return [caller.account] }
        var named: Set<String> = []
        for policy in identities + [boundary, session].compactMap({ $0 }) + scps {
            for statement in policy.statements {
                for pattern in statement.resource?.patterns ?? [] {
                    let fields = pattern.text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
                    if fields.count == 6, ARNFields.isAccountID(String(fields[4])) { named.insert(String(fields[4])) }
                }
                for clause in statement.condition?.clauses ?? [] {
                    for value in clause.values where ARNFields.isAccountID(value.text) { named.insert(value.text) }
                }
            }
        }
        let standIn = "123456789012"
        return [standIn] + named.subtracting([standIn]).sorted().prefix(3)
    }

    /// Whether a condition reads `aws:ResourceAccount`, which the encoding leaves free and which the
    /// questions therefore tie to the principal's account.
    var readsResourceAccount: Bool {
        (identities + [boundary, session].compactMap { $0 } + scps).contains { policy in
            policy.statements.contains { ($0.condition?.clauses ?? []).contains { $0.key.value.lowercased() == "aws:resourceaccount" } }
        }
    }
}
