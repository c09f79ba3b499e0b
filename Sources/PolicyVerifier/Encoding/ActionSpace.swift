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
            ActionClass(signature: found.signature, witness: found.witness, wildcardOnlyWitness: nil)
        }
        guard let catalog else { return }
        // Readable witnesses: well-known actions first, then the class's own service, then the
        // services people know best, then any; within a service, actions that change more first.
        // Bounded, since it only chooses names.
        let levels: [AccessLevel] = [.permissionsManagement, .write, .tagging, .read, .list]
        func ordered(_ service: String) -> [ActionInfo] {
            actions(of: service).sorted { (levels.firstIndex(of: $0.accessLevel) ?? 9, $0.name) < (levels.firstIndex(of: $1.accessLevel) ?? 9, $1.name) }
        }
        let wellKnown = Self.wellKnownActions.compactMap { catalog.action($0) }
        for index in classes.indices {
            let service = String(classes[index].witness.prefix { $0 != ":" })
            var budget = 3_000
            var resourceLevel: String?
            let sources = [wellKnown, ordered(service)] + (Self.wellKnownServices + catalog.servicePrefixes).lazy.filter { $0 != service }.map { ordered($0) }
            search: for source in sources {
                for action in source {
                    budget -= 1
                    if budget < 0 { break search }
                    guard signature(of: action.fullName) == classes[index].signature else { continue }
                    if action.supportsResourceLevelPermissions {
                        resourceLevel = action.fullName
                        break search
                    }
                }
            }
            if let name = resourceLevel { classes[index].witness = name }
        }
        // Every class holding a catalogue action without resource-level permissions must know one:
        // the literal resource `*` is requested with those (an exact part of the request space).
        var wildcardOnlyBySignature: [[Bool]: String] = [:]
        for name in CatalogDigest.of(catalog).wildcardOnlyActions {
            let signature = signature(of: name)
            if wildcardOnlyBySignature[signature] == nil { wildcardOnlyBySignature[signature] = name }
        }
        for index in classes.indices {
            classes[index].wildcardOnlyWitness = wildcardOnlyBySignature[classes[index].signature]
            if catalog.action(classes[index].witness) == nil, let name = classes[index].wildcardOnlyWitness {
                classes[index].witness = name
            }
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
