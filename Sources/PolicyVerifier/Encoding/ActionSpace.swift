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
        classes = partition.classes.map { found in
            ActionClass(signature: found.signature, witness: found.witness, wildcardOnlyWitness: nil)
        }
        guard let catalog else { return }
        chooseWitnesses(CatalogDigest.of(catalog))
    }

    /// Gives each class a catalogue action as witness where it has one, and finds for every class a
    /// member without resource-level permissions if it has one — needed for exactness: those actions
    /// are requested on the literal resource `*`.
    ///
    /// Matching depends on an action's service only through the services the patterns name, so when
    /// no pattern puts a wildcard in the service part (other than `*` itself), every action of a service
    /// no pattern names has one signature, and one such action stands for all of them.
    private mutating func chooseWitnesses(_ digest: CatalogDigest) {
        var named: [String] = []
        var serviceWildcards = false
        for element in atoms {
            for pattern in element.patterns where !pattern.matchesEveryAction {
                guard let service = pattern.service, !service.contains(where: { $0 == "*" || $0 == "?" }) else {
                    serviceWildcards = true
                    continue
                }
                let lowered = service.lowercased()
                if !named.contains(lowered) { named.append(lowered) }
            }
        }
        let namedSet = Set(named)
        let unnamed = digest.services.filter { !namedSet.contains($0) }
        let preferredUnnamed = Self.wellKnownServices.filter { !namedSet.contains($0) } + unnamed
        let unnamedServices = serviceWildcards ? preferredUnnamed : Array(preferredUnnamed.prefix(2))
        let ordered = Self.wellKnownServices.filter(namedSet.contains) + named.filter { !Self.wellKnownServices.contains($0) } + unnamedServices

        var bySignature: [[Bool]: Int] = [:]
        for (index, actionClass) in classes.enumerated() { bySignature[actionClass.signature] = index }
        var hasCatalogWitness = [Bool](repeating: false, count: classes.count)
        // The atoms that may match some action of a service: the others are false for all of them.
        // (A local copy, read through a buffer: element copies cost more than the matching.)
        let atoms = self.atoms
        var relevant: [Substring: [Int]] = [:]
        func consider(_ action: CatalogDigest.Action) {
            let matchable = MatchableAction(action.name)
            guard let service = matchable.service else { return }
            let found = atoms.withUnsafeBufferPointer { atoms in
                let atomsOfService = relevant[service] ?? {
                    let found = atoms.indices.filter { atoms[$0].mayMatch(service: service) }
                    relevant[service] = found
                    return found
                }()
                var found = [Bool](repeating: false, count: atoms.count)
                for atom in atomsOfService { found[atom] = atoms[atom].anyEntryMatches(matchable) }
                return found
            }
            guard let index = bySignature[found] else { return }
            if action.hasResourceLevelPermissions {
                if !hasCatalogWitness[index] {
                    classes[index].witness = action.name
                    hasCatalogWitness[index] = true
                }
            } else if classes[index].wildcardOnlyWitness == nil {
                classes[index].wildcardOnlyWitness = action.name
            }
        }
        for name in Self.wellKnownActions {
            let service = String(name.prefix { $0 != ":" })
            if let action = digest.actionsByService[service]?.first(where: { $0.name == name }) { consider(action) }
        }
        for service in ordered {
            for action in digest.actionsByService[service] ?? [] { consider(action) }
        }
        for index in classes.indices where !hasCatalogWitness[index] {
            if let name = classes[index].wildcardOnlyWitness { classes[index].witness = name }
        }
    }

    static let wellKnownActions = [
        "iam:CreateUser", "iam:AttachUserPolicy", "iam:PassRole", "iam:CreateAccessKey", "sts:AssumeRole",
        "s3:GetObject", "s3:PutObject", "s3:DeleteBucket", "ec2:RunInstances", "ec2:DescribeInstances",
        "kms:Decrypt", "lambda:InvokeFunction", "dynamodb:PutItem", "sqs:SendMessage", "sns:Publish",
        "secretsmanager:GetSecretValue", "s3:ListAllMyBuckets", "iam:ListUsers",
    ]
    static let wellKnownServices = ["iam", "s3", "ec2", "sts", "kms", "lambda", "dynamodb", "sqs", "sns", "secretsmanager", "cloudtrail", "logs"]

    /// The atoms matching `action`, with the evaluator's matcher.
    func signature(of action: String) -> [Bool] {
        let matchable = MatchableAction(action)
        return atoms.map { $0.anyEntryMatches(matchable) }
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
