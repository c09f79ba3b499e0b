import PolicyLanguage

/// The actions of a query split into finitely many classes: two actions are in one class exactly when
/// every `Action`/`NotAction` element of the query matches both or neither. Over all strings of the
/// form `service:name`, not only the catalogue's, so that a proof also covers actions AWS adds later.
///
/// Witnesses are real actions from the catalogue whenever the class holds one.
struct ActionSpace {
    /// One class of actions.
    struct ActionClass {
        /// Which atoms (distinct action elements) match the class.
        var signature: [Bool]
        /// A member to show: a catalogue action when there is one.
        var witness: String
        /// A catalogue member without resource-level permissions (requested on resource `*`), if any.
        var wildcardOnlyWitness: String?
    }

    /// The distinct action elements, by their entries (lower-cased, sorted).
    private(set) var atoms: [ActionElement] = []
    private var atomIndex: [[String]: Int] = [:]
    private(set) var classes: [ActionClass] = []

    /// Registers an element; returns its atom number.
    mutating func atom(for element: ActionElement) -> Int {
        let key = element.patterns.map { $0.text.lowercased() }.sorted()
        if let index = atomIndex[key] { return index }
        atoms.append(element)
        atomIndex[key] = atoms.count - 1
        return atoms.count - 1
    }

    /// Splits the action space. Throws `tooComplex` when the patterns are beyond the budget.
    mutating func partition(catalog: ActionCatalog?) throws(GlobPartitionError) {
        let globs = atoms.map { element in element.patterns.map { GlobPattern(wildcardText: Substring($0.text)) } }
        let partition = try GlobPartition(atoms: globs, shape: .action, caseInsensitive: true)
        var services: [String: [ActionInfo]] = [:]
        func actions(of service: String) -> [ActionInfo] {
            if let known = services[service] { return known }
            let list = catalog?.service(service)?.actions ?? []
            services[service] = list
            return list
        }
        classes = partition.classes.map { found in
            var actionClass = ActionClass(signature: found.signature, witness: found.witness, wildcardOnlyWitness: nil)
            let service = String(found.witness.prefix { $0 != ":" })
            var preferred: String?
            for action in actions(of: service) where signature(of: action.fullName) == found.signature {
                if action.supportsResourceLevelPermissions {
                    if preferred == nil { preferred = action.fullName }
                } else if actionClass.wildcardOnlyWitness == nil {
                    actionClass.wildcardOnlyWitness = action.fullName
                }
                if preferred != nil, actionClass.wildcardOnlyWitness != nil { break }
            }
            if let name = preferred ?? actionClass.wildcardOnlyWitness { actionClass.witness = name }
            return actionClass
        }
        // Classes whose witness is made up ("x:x") get a real action from another service if one has the
        // same signature; bounded, since it is only for readability.
        var budget = 4_000
        for index in classes.indices where catalog?.action(classes[index].witness) == nil {
            guard let catalog else { break }
            search: for prefix in catalog.servicePrefixes {
                for action in actions(of: prefix) {
                    budget -= 1
                    if budget < 0 { break search }
                    if signature(of: action.fullName) == classes[index].signature {
                        classes[index].witness = action.fullName
                        if !action.supportsResourceLevelPermissions { classes[index].wildcardOnlyWitness = action.fullName }
                        break search
                    }
                }
            }
        }
    }

    /// The atoms matching `action`, with the evaluator's matcher.
    func signature(of action: String) -> [Bool] {
        atoms.map { $0.anyEntryMatches(action) }
    }

    /// The class of a concrete action, `nil` when it has none (not of the form `service:name`).
    func classIndex(of action: String) -> Int? {
        let wanted = signature(of: action)
        return classes.firstIndex { $0.signature == wanted }
    }

    /// The classes in which an element applies (`NotAction` negated).
    func classes(where element: ActionElement, atom: Int) -> [Int] {
        classes.indices.filter { classes[$0].signature[atom] != element.isNot }
    }
}
