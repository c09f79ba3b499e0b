import Foundation
import PolicyLanguage
@testable import PolicyVerifier

// Concrete requests near a policy, for the mutation fuzzer (MutationFuzzTests.swift): a statement is
// picked and its action (wildcards instantiated with catalogue names or literal text), resource (the
// pattern instantiated, variables resolved, now and then edited), principal (from its Principal values)
// and condition keys (values taken from the clause and moved around it) make up the request. A fifth of
// the requests are the differential tests' random ones (DiffGen), so that far-away requests occur too.

enum NearRequests {
    static let home = DiffAlphabet.home, foreign = DiffAlphabet.foreign

    /// IAM callers, for identity-side policies and for `*`.
    static let iamCallers = [
        "arn:aws:iam::\(home):user/alice", "arn:aws:iam::\(home):user/bob", "arn:aws:iam::\(home):role/R",
        "arn:aws:sts::\(home):assumed-role/R/s1", "arn:aws:iam::\(home):root", "arn:aws:iam::\(foreign):user/alice",
        "arn:aws:sts::\(foreign):assumed-role/R/s1", "arn:aws:iam::\(home):user/path/alice", "arn:aws:sts::\(home):federated-user/fed",
    ]

    /// The request resources of DiffAlphabet that are ARNs without wildcards.
    static let arnResources = DiffAlphabet.requestResources.filter { ARNFields($0) != nil && !$0.contains("*") && !$0.contains("?") }

    /// `count` requests near `policy` (playing `role`).
    static func make(_ policy: Policy, role: PolicyRole, count: Int, catalog: ActionCatalog?, _ rng: inout DiffRNG) -> [DiffRequest] {
        (0..<count).map { _ in request(policy, role: role, catalog: catalog, &rng) }
    }

    static func request(_ policy: Policy, role: PolicyRole, catalog: ActionCatalog?, _ rng: inout DiffRNG) -> DiffRequest {
        var request = DiffGen.request(&rng)
        if !role.matchesPrincipals, RequestPrincipal(request.principal)?.account == nil || rng.chance(0.5) {
            request.principal = rng.pick(iamCallers)
        }
        guard !policy.statements.isEmpty, rng.chance(0.8) else { return request }
        let statement = rng.pick(policy.statements)
        request.context = []
        request.resourceAccount = nil

        // The principal.
        if role.matchesPrincipals, let element = statement.principal, !element.isNot || rng.chance(0.4) {
            switch element.value {
            case .everyone: request.principal = rng.pick(iamCallers + [nil, nil, "s3.amazonaws.com"])
            case .specific(let values) where !values.isEmpty: request.principal = principal(for: rng.pick(values), &rng)
            default: break
            }
        } else if !role.matchesPrincipals || rng.chance(0.5) {
            request.principal = rng.pick(iamCallers)
        }
        let caller = RequestPrincipal(request.principal)

        // The action: an entry instantiated, or (NotAction, `*`) some other action.
        var wildcardOnly = false
        if let element = statement.action, !element.isNot, !element.patterns.isEmpty, rng.chance(0.9) {
            let entry = rng.pick(element.patterns).text
            request.action = action(matching: entry, catalog: catalog, &rng)
        } else if let catalog, rng.chance(0.6) {
            let prefix = rng.pick(catalog.servicePrefixes)
            let actions = catalog.actions(matching: prefix + ":*")
            if !actions.isEmpty { request.action = rng.pick(actions).fullName }
        }
        if let info = catalog?.action(request.action), !info.supportsResourceLevelPermissions { wildcardOnly = true }

        // The resource.
        if wildcardOnly, rng.chance(0.7) {
            request.resource = "*"
        } else if let element = statement.resource, !element.isNot, !element.patterns.isEmpty, rng.chance(0.85) {
            request.resource = resource(from: rng.pick(element.patterns).text, caller: caller, context: &request.context, &rng)
        } else if rng.chance(0.5) {
            request.resource = rng.pick(rng.chance(0.9) ? arnResources : DiffAlphabet.requestResources)
        }
        if rng.chance(0.1), request.resource != "*" {
            // Just off the pattern: one character more or less, or the case changed.
            var fields = request.resource.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
            let last = fields.count - 1
            fields[last] = rng.chance(0.4) ? fields[last] + rng.pick(["x", "/", ":"]) : rng.chance(0.5) ? String(fields[last].dropLast()) : DiffText.flipCase(fields[last], &rng)
            request.resource = fields.joined(separator: ":")
        }

        // Condition keys: the statement's clauses, a few of other statements', and now and then a random key.
        var clauses = statement.condition?.clauses ?? []
        for other in policy.statements where rng.chance(0.15) { clauses += other.condition?.clauses ?? [] }
        for clause in clauses where rng.chance(0.75) {
            let key = clause.key.value
            let lowered = key.lowercased()
            // A key AWS derives from the caller, given another value, is outside the request space.
            if Differential.derivedKeys.contains(lowered), lowered != "aws:resourceaccount", rng.chance(0.9) { continue }
            request.context.removeAll { $0.key.lowercased() == lowered }
            let op = clause.operatorName.value
            if op.hasPrefix("Null") || op.hasSuffix(":Null") {
                // Present or absent: present with a value of the key's pool.
                if rng.chance(0.5) { request.context.append(DiffContextEntry(key: key, values: [poolValue(key, &rng)], isSet: false)) }
                continue
            }
            let sources = clause.values.map(\.text)
            func value() -> String {
                guard !sources.isEmpty, rng.chance(0.8) else { return poolValue(key, &rng) }
                return near(rng.pick(sources), op: op, caller: caller, &rng)
            }
            let written = rng.chance(0.1) ? DiffText.flipCase(key, &rng) : key
            let multivalued = clause.conditionOperator?.qualifier != nil || catalog?.conditionKey(key)?.isMultivalued == true
            if multivalued ? rng.chance(0.9) : rng.chance(0.1) {
                request.context.append(DiffContextEntry(key: written, values: (0..<Int.random(in: 0...3, using: &rng)).map { _ in value() }, isSet: true))
            } else {
                request.context.append(DiffContextEntry(key: written, values: [value()], isSet: false))
            }
        }
        if rng.chance(0.15) {
            let key = rng.pick(DiffAlphabet.requestKeys)
            if !Differential.derivedKeys.contains(key.lowercased()), !request.context.contains(where: { $0.key.lowercased() == key.lowercased() }) {
                request.context.append(DiffGen.contextEntry(&rng, key: key))
            }
        }
        // aws:ResourceAccount: the evaluator cannot derive it for every resource; give it when read.
        let reads = policy.statements.contains { ($0.condition?.clauses ?? []).contains { $0.key.value.lowercased() == "aws:resourceaccount" } }
        if let entry = request.context.first(where: { $0.key.lowercased() == "aws:resourceaccount" }) {
            request.context.removeAll { $0.key.lowercased() == "aws:resourceaccount" }
            request.resourceAccount = entry.values.first ?? home
        } else if reads || rng.chance(0.1) {
            let fields = request.resource.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            request.resourceAccount = fields.count == 6 && fields[4].count == 12 && rng.chance(0.8) ? String(fields[4]) : rng.pick([home, foreign])
        }
        return request
    }

    // MARK: Parts

    /// A request principal that a `Principal` value names (or one next to it).
    static func principal(for value: PrincipalValue, _ rng: inout DiffRNG) -> String? {
        let text = value.text
        switch value.type {
        case .service: return text == "*" ? "s3.amazonaws.com" : text
        case .federated: return text
        case .canonicalUser: return text.count == 64 ? text : DiffAlphabet.canonical
        case .aws:
            if text == "*" { return rng.pick(iamCallers + [nil]) }
            if ARNFields.isAccountID(text) {
                return rng.pick(["arn:aws:iam::\(text):root", "arn:aws:iam::\(text):user/alice", "arn:aws:iam::\(text):role/R", "arn:aws:sts::\(text):assumed-role/R/s1"])
            }
            guard let named = RequestPrincipal(text) else { return rng.pick(iamCallers) }
            switch named {
            case .root(let account):
                return rng.chance(0.5) ? text : rng.pick(["arn:aws:iam::\(account):user/alice", "arn:aws:sts::\(account):assumed-role/R/s1"])
            case .role(let account, _, let name):
                return rng.chance(0.5) ? text : "arn:aws:sts::\(account):assumed-role/\(name)/\(rng.pick(["s1", "s2"]))"
            case .assumedRole(let account, let role, _):
                return rng.chance(0.7) ? text : rng.pick(["arn:aws:iam::\(account):role/\(role)", "arn:aws:sts::\(account):assumed-role/\(role)/other"])
            default: return text
            }
        }
    }

    /// An action an entry matches: a catalogue name mostly, else the wildcards filled with text.
    static func action(matching entry: String, catalog: ActionCatalog?, _ rng: inout DiffRNG) -> String {
        var action: String
        if entry.contains("*") || entry.contains("?") {
            let known = entry == "*" ? [] : catalog?.actions(matching: entry) ?? []
            if !known.isEmpty, rng.chance(0.75) {
                action = rng.pick(known).fullName
            } else if entry == "*", let catalog, let prefix = catalog.servicePrefixes.randomElement(using: &rng),
                let some = catalog.actions(matching: prefix + ":*").randomElement(using: &rng) {
                action = some.fullName
            } else {
                action = DiffGen.instantiate(entry, &rng, wildcards: ["", "Object", "Get", "x", "Role", "s"])
            }
        } else {
            action = entry
        }
        if rng.chance(0.1) { action = DiffText.flipCase(action, &rng) }
        if rng.chance(0.05) { action += rng.pick(["x", "s"]) }
        return action
    }

    /// The caller's user name (for `${aws:username}`), or a stand-in.
    static func userName(_ caller: RequestPrincipal?) -> String {
        if case .user(_, _, let name)? = caller { return name }
        return "alice"
    }

    /// `text` with its policy variables replaced by values: the caller's name, a tag also put into the
    /// context, the default of `${key, 'default'}`, the literal of `${*}`.
    static func resolve(_ text: String, caller: RequestPrincipal?, context: inout [DiffContextEntry], _ rng: inout DiffRNG) -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                result += rest[start.lowerBound...]
                return result
            }
            let inner = rest[start.upperBound..<end]
            rest = rest[rest.index(after: end)...]
            let parts = inner.split(separator: ",", maxSplits: 1)
            let name = parts.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            switch name.lowercased() {
            case "*", "?", "$": result += name
            case "aws:username": result += userName(caller)
            case "aws:principalaccount": result += caller?.account ?? home
            default:
                if parts.count == 2, rng.chance(0.5) {
                    result += parts[1].trimmingCharacters(in: CharacterSet(charactersIn: " '"))
                } else if name.lowercased().hasPrefix("aws:principaltag/") || name.lowercased().hasPrefix("aws:requesttag/") || name.lowercased() == "s3:prefix" {
                    let value = rng.pick(["red", "alice", "x"])
                    if !context.contains(where: { $0.key.lowercased() == name.lowercased() }) {
                        context.append(DiffContextEntry(key: name, values: [value], isSet: false))
                    }
                    result += value
                } else {
                    result += rng.pick(["v", "alice", ""])
                }
            }
        }
        return result + rest
    }

    /// A concrete resource a `Resource` entry matches (short ARNs filled out), now and then one next to it.
    static func resource(from entry: String, caller: RequestPrincipal?, context: inout [DiffContextEntry], _ rng: inout DiffRNG) -> String {
        if entry == "*" { return rng.pick(rng.chance(0.9) ? arnResources : DiffAlphabet.requestResources) }
        var text = resolve(entry, caller: caller, context: &context, &rng)
        var fields = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        while fields.count < 6 { fields.append("*") }
        for index in 0..<5 where fields[index].contains("*") || fields[index].contains("?") {
            let concrete = [0: "arn", 1: "aws", 2: "s3", 3: "us-east-1", 4: home][index]!
            fields[index] = rng.chance(0.8) ? concrete : DiffGen.instantiate(fields[index], &rng, wildcards: ["", "1"])
        }
        fields[5] = DiffGen.instantiate(fields[5], &rng, wildcards: ["", "x", "b/x", "alice/f", "a:b"])
        text = fields.joined(separator: ":")
        return text
    }

    /// A request value next to a policy value under `op`.
    static func near(_ value: String, op: String, caller: RequestPrincipal?, _ rng: inout DiffRNG) -> String {
        var context: [DiffContextEntry] = []
        var text = value.contains("${") ? resolve(value, caller: caller, context: &context, &rng) : value
        let lowered = op.lowercased()
        if lowered.contains("ipaddress"), rng.chance(0.85) {
            // A request carries an address, not a range: the range's own address or one next to it.
            let address = String(text.prefix { $0 != "/" })
            return rng.chance(0.6) ? address : String(PolicyMutator.nearAddress(address, &rng).prefix { $0 != "/" })
        }
        if lowered.contains("like") || lowered.contains("arn") {
            text = DiffGen.instantiate(text, &rng, wildcards: ["", "x", "alice", "b/x", "1"])
        }
        return rng.chance(0.6) ? text : PolicyMutator.nearValue(text, op: op, &rng)
    }

    /// A value of the key's pool in DiffAlphabet, or a value of some type.
    static func poolValue(_ key: String, _ rng: inout DiffRNG) -> String {
        if let pool = DiffAlphabet.requestValues.first(where: { $0.key.lowercased() == key.lowercased() })?.value { return rng.pick(pool) }
        return rng.pick(["", "x", "true", "10", "2024-01-01T00:00:00Z", "10.1.2.3", "arn:aws:s3:::b", DiffAlphabet.home, "vpc-1"])
    }
}
