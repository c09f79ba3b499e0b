import Foundation
import PolicyLanguage

// Structure-aware mutations of valid policies for the mutation fuzzer (MutationFuzzTests.swift). A
// mutant is a seed's JSON tree with one to four small edits stacked: effects, the Not forms of the
// elements, actions and resources (catalogue names, wildcards, cut prefixes, case, ARN segments, policy
// variables), condition operators, keys and values (from DiffAlphabet and around the values already
// there), statements duplicated, removed or spliced from another seed, principals, scalar ↔ one-element
// list, and at a low rate shapes the language rejects (wrong JSON types, unknown elements, empty lists)
// so that validation is exercised too. Everything is drawn from a `DiffRNG`: a mutant replays from its seed.

/// What seeds offer to other seeds' mutants: their entries, clauses and statements.
struct MutationDonors: Sendable {
    var actions: [String] = []
    var resources: [String] = []
    var principals: [FuzzJSON] = []
    /// (operator, key, values) of every condition clause.
    var clauses: [(op: String, key: String, values: [String])] = []
    var statements: [FuzzJSON] = []
    /// Catalogue actions (a sample, for replacing names).
    var catalogActions: [String] = []

    init() {}

    init(trees: [FuzzJSON], catalog: ActionCatalog?) {
        var actions: Set<String> = [], resources: Set<String> = []
        for tree in trees {
            for statement in PolicyMutator.statements(of: tree) {
                for key in ["Action", "NotAction"] { actions.formUnion(statement[key]?.strings ?? []) }
                for key in ["Resource", "NotResource"] { resources.formUnion(statement[key]?.strings ?? []) }
                for key in ["Principal", "NotPrincipal"] { if let value = statement[key] { principals.append(value) } }
                for block in statement["Condition"]?.members ?? [] {
                    for clause in block.value.members ?? [] {
                        if let values = clause.value.strings { clauses.append((block.key, clause.key, values)) }
                    }
                }
                // Small statements only: a spliced statement should not dominate the mutant.
                if statement.text.utf8.count < 1_500 { statements.append(statement) }
            }
        }
        self.actions = actions.sorted()
        self.resources = resources.sorted()
        if let catalog {
            // Every 40th action of every service: about 500 names, deterministic.
            for prefix in catalog.servicePrefixes {
                let all = catalog.actions(matching: prefix + ":*")
                catalogActions += stride(from: 0, to: all.count, by: 40).map { all[$0].fullName }
            }
        }
    }
}

struct PolicyMutator: Sendable {
    var donors: MutationDonors

    /// The kinds of edit, with weights.
    enum Kind: String, CaseIterable, Sendable {
        case flipEffect, toggleNotAction, toggleNotResource, toggleNotPrincipal
        case replaceAction, addAction, wildcardAction, removeEntry
        case editResource, addResource, insertVariable
        case addClause, removeClause, removeOperator, changeOperator, changeKey, addValue, removeValue, changeValue
        case duplicateStatement, removeStatement, spliceStatement, reorderStatements
        case setPrincipal, addPrincipalValue, removePrincipal
        case scalarOrArray, changeVersion
        case invalidShape

        var weight: Int {
            switch self {
            case .flipEffect, .replaceAction, .wildcardAction, .editResource, .addClause, .changeValue, .changeOperator: 6
            case .toggleNotAction, .toggleNotResource, .addAction, .removeEntry, .addResource, .insertVariable, .removeClause,
                .addValue, .setPrincipal, .spliceStatement, .scalarOrArray, .changeKey: 4
            case .toggleNotPrincipal, .removeOperator, .removeValue, .duplicateStatement, .removeStatement, .addPrincipalValue: 2
            case .reorderStatements, .removePrincipal, .changeVersion: 1
            case .invalidShape: 2
            }
        }
    }

    static let weighted: [Kind] = Kind.allCases.flatMap { Array(repeating: $0, count: $0.weight) }

    /// `seed` with one to four edits; the names of the edits applied (an edit that finds nothing to
    /// change is replaced by another).
    func mutate(_ seed: FuzzJSON, _ rng: inout DiffRNG) -> (FuzzJSON, [String]) {
        var tree = seed
        var applied: [String] = []
        let count = rng.pick([1, 1, 1, 2, 2, 3, 4])
        var attempts = 0
        while applied.count < count, attempts < 40 {
            attempts += 1
            let kind = rng.pick(Self.weighted)
            if let what = apply(kind, to: &tree, &rng) { applied.append(what) }
        }
        return (tree, applied)
    }

    // MARK: Statements

    static func statements(of tree: FuzzJSON) -> [FuzzJSON] {
        switch tree["Statement"] {
        case .array(let elements)?: return elements.filter { $0.members != nil }
        case .object(let members)?: return [.object(members)]
        default: return []
        }
    }

    /// Applies `change` to the statements (as a list; a single-object Statement stays one when it
    /// still holds exactly one statement). `nil` when there are none or `change` declines.
    func withStatements(_ tree: inout FuzzJSON, _ change: (inout [FuzzJSON]) -> String?) -> String? {
        let wasObject = tree["Statement"]?.members != nil
        guard var list = tree["Statement"]?.elements ?? (wasObject ? [tree["Statement"]!] : nil) else { return nil }
        guard let what = change(&list) else { return nil }
        tree["Statement"] = wasObject && list.count == 1 ? list[0] : .array(list)
        return what
    }

    /// Applies `change` to one random statement object.
    func withStatement(_ tree: inout FuzzJSON, _ rng: inout DiffRNG, where filter: (FuzzJSON) -> Bool = { _ in true },
                               _ change: (inout FuzzJSON, inout DiffRNG) -> String?) -> String? {
        withStatements(&tree) { list in
            let candidates = list.indices.filter { list[$0].members != nil && filter(list[$0]) }
            guard !candidates.isEmpty else { return nil }
            let index = rng.pick(candidates)
            guard let what = change(&list[index], &rng) else { return nil }
            return "statement \(index): \(what)"
        }
    }

    /// Renames member `from` to `to` in place.
    static func rename(_ statement: inout FuzzJSON, _ from: String, _ to: String) {
        guard case .object(var members) = statement, let index = members.firstIndex(where: { $0.key == from }) else { return }
        members[index].key = to
        statement = .object(members)
    }

    /// The key of the first member of `names` the statement has.
    static func present(_ statement: FuzzJSON, _ names: [String]) -> String? { names.first { statement[$0] != nil } }

    /// Replaces the list `key` of a statement with `change` applied (kept as a scalar when it was one).
    static func editList(_ statement: inout FuzzJSON, _ key: String, _ change: (inout [String]) -> String?) -> String? {
        guard let value = statement[key], var list = value.strings else { return nil }
        let wasScalar = value.elements == nil
        guard let what = change(&list) else { return nil }
        statement[key] = FuzzJSON.strings(list, scalar: wasScalar)
        return what
    }

    // MARK: Applying one edit

    func apply(_ kind: Kind, to tree: inout FuzzJSON, _ rng: inout DiffRNG) -> String? {
        switch kind {
        case .flipEffect:
            return withStatement(&tree, &rng) { statement, _ in
                let flipped = statement["Effect"]?.stringValue == "Allow" ? "Deny" : "Allow"
                statement["Effect"] = .string(flipped)
                return "Effect \(flipped)"
            }
        case .toggleNotAction: return toggle(&tree, &rng, "Action", "NotAction")
        case .toggleNotResource: return toggle(&tree, &rng, "Resource", "NotResource")
        case .toggleNotPrincipal: return toggle(&tree, &rng, "Principal", "NotPrincipal")
        case .replaceAction, .addAction, .wildcardAction:
            return withStatement(&tree, &rng, where: { Self.present($0, ["Action", "NotAction"]) != nil }) { statement, rng in
                let key = Self.present(statement, ["Action", "NotAction"])!
                return Self.editList(&statement, key) { list in
                    if kind == .addAction || list.isEmpty {
                        let action = newAction(&rng)
                        list.append(action)
                        return "\(key) + \(action)"
                    }
                    let index = Int.random(in: 0..<list.count, using: &rng)
                    let old = list[index]
                    list[index] = kind == .replaceAction ? newAction(&rng) : Self.wildcardEdit(old, &rng)
                    return "\(key) \(old) → \(list[index])"
                }
            }
        case .removeEntry:
            return withStatement(&tree, &rng) { statement, rng in
                let keys = ["Action", "NotAction", "Resource", "NotResource"].filter { (statement[$0]?.strings?.count ?? 0) > 0 }
                guard !keys.isEmpty else { return nil }
                let key = rng.pick(keys)
                return Self.editList(&statement, key) { list in
                    // An empty list only now and then (the statement then affects nothing).
                    guard list.count > 1 || rng.chance(0.1) else { return nil }
                    let removed = list.remove(at: Int.random(in: 0..<list.count, using: &rng))
                    return "\(key) − \(removed)"
                }
            }
        case .editResource, .addResource, .insertVariable:
            return withStatement(&tree, &rng) { statement, rng in
                let key = Self.present(statement, ["Resource", "NotResource"]) ?? "Resource"
                if statement[key] == nil { statement[key] = .string("*") }
                return Self.editList(&statement, key) { list in
                    if kind == .addResource || list.isEmpty {
                        let resource = rng.chance(0.6) && !donors.resources.isEmpty ? rng.pick(donors.resources) : rng.pick(DiffAlphabet.resourceEntries)
                        list.append(resource)
                        return "\(key) + \(resource)"
                    }
                    let index = Int.random(in: 0..<list.count, using: &rng)
                    let old = list[index]
                    list[index] = kind == .insertVariable ? Self.withVariable(old, &rng) : resourceEdit(old, &rng)
                    return "\(key) \(old) → \(list[index])"
                }
            }
        case .addClause:
            return withStatement(&tree, &rng) { statement, rng in
                let (op, key, values) = newClause(&rng)
                var block = statement["Condition"] ?? .object([])
                if block.members == nil { block = .object([]) }
                var inner = block[op] ?? .object([])
                if inner.members == nil { inner = .object([]) }
                inner[key] = FuzzJSON.strings(values, scalar: rng.chance(0.4))
                block[op] = inner
                statement["Condition"] = block
                return "Condition + \(op) \(key) \(values)"
            }
        case .removeClause, .removeOperator, .changeOperator, .changeKey, .addValue, .removeValue, .changeValue:
            return withStatement(&tree, &rng, where: { !($0["Condition"]?.members ?? []).isEmpty }) { statement, rng in
                conditionEdit(kind, &statement, &rng)
            }
        case .duplicateStatement, .removeStatement, .spliceStatement, .reorderStatements:
            return withStatements(&tree) { list in
                switch kind {
                case .duplicateStatement:
                    guard !list.isEmpty else { return nil }
                    var copy = rng.pick(list)
                    // Mostly without its Sid (a duplicate Sid is an error, kept now and then).
                    if rng.chance(0.8) { copy["Sid"] = nil }
                    list.insert(copy, at: Int.random(in: 0...list.count, using: &rng))
                    return "duplicate a statement"
                case .removeStatement:
                    guard list.count > 1 else { return nil }
                    list.remove(at: Int.random(in: 0..<list.count, using: &rng))
                    return "remove a statement"
                case .spliceStatement:
                    guard !donors.statements.isEmpty else { return nil }
                    var statement = rng.pick(donors.statements)
                    statement["Sid"] = nil
                    list.insert(statement, at: Int.random(in: 0...list.count, using: &rng))
                    return "splice a statement"
                default:
                    guard list.count > 1 else { return nil }
                    list.shuffle(using: &rng)
                    return "reorder the statements"
                }
            }
        case .setPrincipal:
            return withStatement(&tree, &rng) { statement, rng in
                // Mostly where a principal is written; now and then into an identity-side statement.
                guard let key = Self.present(statement, ["Principal", "NotPrincipal"]) ?? (rng.chance(0.15) ? "Principal" : nil) else { return nil }
                let value = newPrincipal(&rng)
                statement[key] = value
                return "\(key) = \(value.text.trimmingCharacters(in: .whitespacesAndNewlines))"
            }
        case .addPrincipalValue:
            return withStatement(&tree, &rng, where: { Self.present($0, ["Principal", "NotPrincipal"]) != nil }) { statement, rng in
                let key = Self.present(statement, ["Principal", "NotPrincipal"])!
                var value = statement[key]!
                guard value.members != nil else { return nil }
                let type = rng.pick(["AWS", "AWS", "Service", "Federated"])
                let added = Self.principalValue(type: type, &rng)
                var list = value[type]?.strings ?? []
                list.append(added)
                value[type] = FuzzJSON.strings(list, scalar: false)
                statement[key] = value
                return "\(key).\(type) + \(added)"
            }
        case .removePrincipal:
            return withStatement(&tree, &rng, where: { Self.present($0, ["Principal", "NotPrincipal"]) != nil }) { statement, _ in
                let key = Self.present(statement, ["Principal", "NotPrincipal"])!
                statement[key] = nil
                return "− \(key)"
            }
        case .scalarOrArray:
            return scalarOrArray(&tree, &rng)
        case .changeVersion:
            let version = rng.pick(["2008-10-17", "2012-10-17", "none"])
            tree["Version"] = version == "none" ? nil : .string(version)
            return "Version \(version)"
        case .invalidShape:
            return invalidShape(&tree, &rng)
        }
    }

    func toggle(_ tree: inout FuzzJSON, _ rng: inout DiffRNG, _ plain: String, _ negated: String) -> String? {
        withStatement(&tree, &rng, where: { Self.present($0, [plain, negated]) != nil }) { statement, _ in
            let from = Self.present(statement, [plain, negated])!
            let to = from == plain ? negated : plain
            Self.rename(&statement, from, to)
            return "\(from) → \(to)"
        }
    }

    // MARK: Actions

    func newAction(_ rng: inout DiffRNG) -> String {
        let roll = Double.random(in: 0..<1, using: &rng)
        if roll < 0.45, !donors.actions.isEmpty { return rng.pick(donors.actions) }
        if roll < 0.85, !donors.catalogActions.isEmpty { return rng.pick(donors.catalogActions) }
        return rng.pick(DiffAlphabet.actionEntries + DiffAlphabet.requestActions)
    }

    /// `*` or `?` inserted, cut to a prefix and `*`, case flipped, or the service's `*`.
    static func wildcardEdit(_ text: String, _ rng: inout DiffRNG) -> String {
        let characters = Array(text)
        let colon = characters.firstIndex(of: ":").map { $0 + 1 } ?? 0
        switch Int.random(in: 0..<6, using: &rng) {
        case 0:
            let at = Int.random(in: colon...characters.count, using: &rng)
            return String(characters[..<at]) + "*" + String(characters[at...])
        case 1:
            guard characters.count > colon else { return text + "?" }
            var copy = characters
            copy[Int.random(in: colon..<characters.count, using: &rng)] = "?"
            return String(copy)
        case 2:
            let at = Int.random(in: colon...characters.count, using: &rng)
            return String(characters[..<at]) + "*"
        case 3: return DiffText.flipCase(text, &rng)
        case 4: return colon > 0 ? String(characters[..<colon]) + "*" : "*"
        default: return rng.chance(0.5) ? "*" : text.lowercased()
        }
    }

    // MARK: Resources

    static let variables = [
        "${aws:username}", "${aws:PrincipalTag/team}", "${aws:userid}", "${aws:PrincipalAccount}", "${aws:username, 'x'}", "${*}", "${?}",
        "${$}", "${aws:SourceIp}", "${s3:prefix}", "${AWS:UserName}", "${aws:PrincipalTag/team, 'red'}",
    ]

    /// A policy variable inserted into the resource part of an ARN (or anywhere else in other text).
    static func withVariable(_ text: String, _ rng: inout DiffRNG) -> String {
        let variable = rng.pick(variables)
        let characters = Array(text)
        var colons = 0, start = 0
        for (index, character) in characters.enumerated() where character == ":" {
            colons += 1
            if colons == 5 { start = index + 1 }
        }
        if text == "*" { return "arn:aws:s3:::" + rng.pick(["home/", "b/", ""]) + variable + rng.pick(["", "/*"]) }
        let at = Int.random(in: start...characters.count, using: &rng)
        if rng.chance(0.5) { return String(characters[..<at]) + variable }
        return String(characters[..<at]) + variable + String(characters[at...])
    }

    func resourceEdit(_ text: String, _ rng: inout DiffRNG) -> String {
        var fields = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard text != "*", fields.count == 6, rng.chance(0.85) else {
            // Not an ARN (or a whole-entry edit): another entry, or a wildcard edit.
            switch Int.random(in: (text == "*" ? 1 : 0)..<3, using: &rng) {
            case 0: return "*"
            case 1: return rng.chance(0.6) && !donors.resources.isEmpty ? rng.pick(donors.resources) : rng.pick(DiffAlphabet.resourceEntries)
            default: return Self.wildcardEdit(text, &rng)
            }
        }
        let home = DiffAlphabet.home, foreign = DiffAlphabet.foreign
        switch rng.pick([0, 1, 1, 3, 3, 5, 5, 5, 5]) {
        case 0: fields[1] = rng.pick(["aws", "*", "aws-cn", "aw?"])
        case 1: fields[3] = rng.pick(["", "*", "us-east-1", "us-*", "eu-west-1"])
        case 3: fields[4] = rng.pick(["", "*", home, foreign, "1111*", "????????????"])
        default:
            var part = fields[5]
            switch Int.random(in: 0..<7, using: &rng) {
            case 0: part = Self.wildcardEdit(part, &rng)
            case 1: part += rng.pick(["/*", "/x", "*", "?", "/"])
            case 2:
                let cut = Int.random(in: 0...part.count, using: &rng)
                part = String(part.prefix(cut)) + "*"
            case 3: part = DiffText.flipCase(part, &rng)
            case 4: part = rng.pick(["*", "", "b/*", "home/${aws:username}/*", "user/${aws:username}", "role/*"])
            case 5:
                // The resource type kept, the name replaced.
                let type = part.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
                part = type + "/" + rng.pick(["*", "alice", "R", "x?z", "${aws:username}"])
            default: part = String(part.dropLast(Int.random(in: 1...3, using: &rng)))
            }
            fields[5] = part
        }
        return fields.joined(separator: ":")
    }
}
