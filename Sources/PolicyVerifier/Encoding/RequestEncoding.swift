import PolicyLanguage
import SMT

/// The symbolic request of one query and the meaning of each policy over it, as Z3 terms.
///
/// The request is: a principal class, an action class, a resource (the literal `*` or an ARN of field
/// classes, with a string resource part when policy variables need one), and for each condition key the
/// query reads a presence flag, a count and typed values. Every policy gets `allows` = some applicable
/// Allow and no applicable Deny (SEMANTICS.md §4, statement level), with applicability exactly as the
/// concrete evaluator decides it.
final class RequestEncoding {
    let context: SMTContext
    let policies: [PolicyUnderTest]
    let catalog: ActionCatalog?

    var actions = ActionSpace()
    var resources = ResourceSpace()
    var principals = PrincipalSpace()
    var contextKeys = ContextSpace()

    // Request variables.
    var actionClass: Term!
    var principalClass: Term!
    var resourceIsStar: Term!
    var fieldClasses: [Term] = []
    /// The resource part as a string, when `resources.lastFieldIsString`.
    var resourcePart: Term?
    var keyVariables: [KeyVariables] = []
    /// Account, path and name of a caller nobody names.
    var identity: PrincipalIdentity?

    /// Any character (`re.allchar`): what `?` matches, and `*` repeats.
    var alphabet: Term!
    var colonFreeAlphabet: Term!
    /// Which variables a domain constraint restricts: a question asserts only the groups its formula
    /// uses, since Z3's string solver slows down with every string variable it must also satisfy.
    enum DomainGroup: Hashable {
        case base
        case key(Int)
        case identity
    }

    /// Constraints on the request variables (domains, derived keys), by group.
    private(set) var domains: [DomainGroup: [Term]] = [:]

    /// Every domain constraint.
    var domain: [Term] { domains.keys.sorted { "\($0)" < "\($1)" }.flatMap { domains[$0]! } }

    func appendDomain(_ term: Term, to group: DomainGroup = .base) { domains[group, default: []].append(term) }

    /// The keys statements read (positions by policy).
    func keys(readBy statements: [[Int]]) -> Set<Int> {
        var keys: Set<Int> = []
        for (policy, positions) in statements.enumerated() {
            for position in positions { keys.formUnion(statementKeys[policy][position]) }
        }
        return keys
    }

    /// The domain constraints, beyond the base ones, that a formula reading `keys` needs: theirs, and
    /// the caller's identity when one of them is derived from it.
    func domain(forKeys keys: Set<Int>) -> [Term] {
        var terms: [Term] = []
        for key in keys.sorted() { terms += domains[.key(key)] ?? [] }
        if readsIdentity(keys) {
            terms += domains[.identity] ?? []
        }
        return terms
    }

    /// The keys each statement reads, by policy then position.
    private(set) var statementKeys: [[Set<Int>]] = []
    /// `allows` of each policy, in `policies` order.
    private(set) var allows: [Term] = []
    /// The applicability term of each statement, by policy then statement position.
    private(set) var applies: [[Term]] = []

    // Registered atoms of each statement, by policy then statement position.
    private var actionAtoms: [[Int?]] = []
    private var resourceEntries: [[[Int]]] = []
    private var principalSlots: [[Int]] = []
    /// Each statement's applicability without its action part (`nil`: never applies), and the action
    /// classes it applies to.
    private var bodies: [[Term?]] = []
    private var actionSets: [[Set<Int>]] = []

    /// Encodes `policies` over one shared request. Throws an `EncodingError` for constructs it cannot
    /// represent exactly.
    /// `knownCaller`: the one caller the question is about, if any (see `PrincipalSpace.knownCaller`).
    init(policies: [PolicyUnderTest], catalog: ActionCatalog?, namedAccounts: [String] = [], knownCaller: RequestPrincipal? = nil) throws(EncodingError) {
        self.policies = policies
        principals.extraAccounts = namedAccounts
        principals.knownCaller = knownCaller
        self.catalog = catalog
        do {
            context = try SMTContext()
        } catch {
            throw .solver(error)
        }
        try register()
        do throws(GlobPartitionError) {
            try actions.partition(catalog: catalog)
            principals.partition(identityOnly: !policies.contains { $0.role.matchesPrincipals })
            try resources.partition(candidates: resourceCandidates())
        } catch {
            throw .tooComplex("the patterns need more automaton states than the budget allows to split into classes (\(error))")
        }
        do {
            try declareVariables()
            for (policyIndex, entry) in policies.enumerated() {
                bodies.append([])
                actionSets.append([])
                var terms: [Term] = []
                for (statementIndex, statement) in entry.policy.statements.enumerated() {
                    terms.append(try statementTerm(statement, policy: policyIndex, position: statementIndex))
                }
                applies.append(terms)
                allows.append(try allowsTerm(Array(zip(entry.policy.statements, terms))))
            }
        } catch let error as EncodingError {
            throw error
        } catch {
            throw .solver(error)
        }
    }

    /// Collects the atoms, entries and keys of every statement.
    private func register() throws(EncodingError) {
        for entry in policies {
            var actionRow: [Int?] = [], resourceRow: [[Int]] = [], principalRow: [Int] = []
            var keyNameRow: [Set<String>] = []
            for statement in entry.policy.statements {
                actionRow.append(statement.action.map { actions.atom(for: $0) })
                var entries: [Int] = []
                for pattern in statement.resource?.patterns ?? [] {
                    entries.append(try resources.entry(for: pattern, isResourcePolicy: entry.role == .resource))
                }
                resourceRow.append(entries)
                principalRow.append(principals.register(statement, role: entry.role))
                try registerConditions(statement)
                var names = Set((statement.condition?.clauses ?? []).map { $0.key.value.lowercased() })
                for clause in statement.condition?.clauses ?? [] where clause.conditionOperator?.base.allowsPolicyVariables ?? false {
                    for value in clause.values { names.formUnion(value.template.variables.map { $0.key.lowercased() }) }
                }
                for pattern in statement.resource?.patterns ?? [] { names.formUnion(pattern.template.variables.map { $0.key.lowercased() }) }
                keyNameRow.append(names)
                for pattern in statement.resource?.patterns ?? [] {
                    for variable in pattern.template.variables {
                        try contextKeys.use(variable.key, kind: .string, span: variable.span)
                    }
                }
            }
            statementKeys.append(keyNameRow.map { Set($0.compactMap { contextKeys.key($0) }) })
            actionAtoms.append(actionRow)
            resourceEntries.append(resourceRow)
            principalSlots.append(principalRow)
        }
    }

    private func resourceCandidates() -> [[String]] {
        let services = actions.classes.map { String($0.witness.prefix { $0 != ":" }) }
        return [["aws"], services + ["s3", "iam"], ["us-east-1", ""], ["123456789012", "111122223333", ""], ["example", "example/object"]]
    }

    private func declareVariables() throws {
        let builder = context.regex
        // Request strings range over every character Z3 has: restricting them (say, to printable
        // text) made the string solver many times slower, and readable values are preferred when
        // counterexamples are chosen instead (QuerySession.readable).
        alphabet = try builder.allChar()
        colonFreeAlphabet = try builder.union([builder.range(codes: 0, 0x39), builder.range(codes: 0x3B, 0x2FFFF)])

        actionClass = try context.intConstant("action")
        appendDomain(try bounded(actionClass, actions.classes.count))
        principalClass = try context.intConstant("principal")
        appendDomain(try bounded(principalClass, principals.classes.count))
        resourceIsStar = try context.boolConstant("resource_is_star")
        // The literal resource `*` is requested only with actions that have no resource-level permissions.
        let wildcardOnly = actions.classes.indices.filter { actions.classes[$0].wildcardOnlyWitness != nil }
        appendDomain(try resourceIsStar.implies(member(actionClass, wildcardOnly, of: actions.classes.count)))
        fieldClasses = []
        for field in 0..<5 where !(field == 4 && resources.lastFieldIsString) {
            let variable = try context.intConstant("resource_\(ResourceSpace.fieldNames[field])")
            appendDomain(try bounded(variable, resources.partitions[field].classes.count))
            fieldClasses.append(variable)
        }
        if resources.lastFieldIsString {
            let part = try context.stringConstant("resource_part")
            // No `*` or `?`: the evaluator would read the resource as a set of resources.
            appendDomain(try context.and([part.contains(context.string("*")).not(), part.contains(context.string("?")).not()]))
            resourcePart = part
        }
        try declareKeys()
        try declarePrincipalIdentity()
        try tieDerivedKeys()
    }

    func bounded(_ variable: Term, _ count: Int) throws -> Term {
        try context.and([variable.ge(context.int(0)), variable.lt(context.int(count))])
    }

    /// `variable ∈ members`, for a class variable ranging over `0..<total`.
    func member(_ variable: Term, _ members: [Int], of total: Int) throws -> Term {
        if members.count == total { return try context.bool(true) }
        if members.isEmpty { return try context.bool(false) }
        if members.count * 2 > total {
            let set = Set(members)
            let others = (0..<total).filter { !set.contains($0) }
            return try context.or(others.map { try variable.eq(context.int($0)) }).not()
        }
        return try context.or(members.map { try variable.eq(context.int($0)) })
    }

    /// Some Allow and no Deny among `(statement, applicability)` pairs (SEMANTICS.md §4, one policy).
    private func allowsTerm(_ statements: [(Statement, Term)]) throws -> Term {
        var allowing: [Term] = [], denying: [Term] = []
        for (statement, term) in statements {
            switch statement.effect?.value {
            case .allow?: allowing.append(term)
            case .deny?: denying.append(term)
            case nil: break
            }
        }
        return try context.and([context.or(allowing), context.or(denying).not()])
    }

    private func statementTerm(_ statement: Statement, policy: Int, position: Int) throws -> Term {
        guard statement.effect != nil, let element = statement.action, let atom = actionAtoms[policy][position] else {
            bodies[policy].append(nil)
            actionSets[policy].append([])
            return try context.bool(false)
        }
        let classes = actions.classes(where: element, atom: atom)
        let action = try member(actionClass, classes, of: actions.classes.count)
        let principal = try member(principalClass, principals.classes(namedBy: principalSlots[policy][position]), of: principals.classes.count)
        let resource = try resourceTerm(statement.resource, entries: resourceEntries[policy][position])
        let condition = try conditionTerm(statement.condition)
        let body = try context.and([principal, resource, condition])
        bodies[policy].append(body)
        actionSets[policy].append(Set(classes))
        return try context.and([action, body])
    }

    /// Groups of action classes that the same statements apply to: within a group, a question needs
    /// only those statements, so it is asked once per group over a smaller formula (the split by
    /// action that keeps Z3 away from conditions that cannot matter).
    func actionProfiles() -> [(classes: [Int], statements: [[Int]])] {
        var groups: [[[Int]]: [Int]] = [:]
        var order: [[[Int]]] = []
        for actionClass in actions.classes.indices {
            let profile = actionSets.map { sets in sets.indices.filter { sets[$0].contains(actionClass) } }
            if groups[profile] == nil { order.append(profile) }
            groups[profile, default: []].append(actionClass)
        }
        return order.map { (groups[$0]!, $0) }
    }

    /// `allows` of policy `index` for requests whose action is in a group of `actionProfiles`.
    func allows(_ index: Int, statements: [Int]) throws -> Term {
        let policy = policies[index].policy
        return try allowsTerm(statements.compactMap { position in bodies[index][position].map { (policy.statements[position], $0) } })
    }

    private func resourceTerm(_ element: ResourceElement?, entries: [Int]) throws -> Term {
        guard let element else { return try context.bool(true) }
        let any = try context.or(entries.map { try entryTerm(resources.entries[$0]) })
        return element.isNot ? try any.not() : any
    }

    private func entryTerm(_ entry: ResourceSpace.Entry) throws -> Term {
        if entry.matchesEverything { return try context.bool(true) }
        let star = try context.and([resourceIsStar, context.bool(entry.matchesStar)])
        guard let atoms = entry.fieldAtoms, let last = entry.last else { return star }
        var parts: [Term] = [try resourceIsStar.not()]
        for field in 0..<4 {
            parts.append(try member(fieldClasses[field], resources.classes(field: field, atom: atoms[field]), of: resources.partitions[field].classes.count))
        }
        switch last {
        case .atom(let atom):
            if let resourcePart {
                parts.append(try strings.matches(resourcePart, PatternPieces(resources.fieldGlobs[4][atom]), span: entry.span, variable: resolve))
            } else {
                parts.append(try member(fieldClasses[4], resources.classes(field: 4, atom: atom), of: resources.partitions[4].classes.count))
            }
        case .pattern(let pieces):
            guard let resourcePart else { throw EncodingError.unsupported("a resource part without a string", entry.span) }
            parts.append(try strings.matches(resourcePart, pieces, span: entry.span, variable: resolve))
        }
        return try context.or([star, context.and(parts)])
    }

    var strings: StringMatchEncoder {
        StringMatchEncoder(context: context, alphabet: alphabet, wildcardStar: try? context.regex.full(), wildcardOne: alphabet)
    }
}
