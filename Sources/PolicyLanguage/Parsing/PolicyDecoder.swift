/// Turns a located document tree into a `Policy`, reporting every structural problem (wrong types,
/// unknown or conflicting elements, malformed values) as an `error` finding with its span.
///
/// Decoding never stops at the first problem: what can be read is kept, so that validation can report
/// the rest of the document too.
public struct PolicyDecoder {
    private var findings: [Finding] = []
    private var version: PolicyLanguageVersion = .v2008_10_17
    private let limits: PolicyLimits

    private init(limits: PolicyLimits) {
        self.limits = limits
    }

    /// Decodes a whole policy document. The policy is `nil` only when the root is not an object. A
    /// document beyond `limits` gets a `LIMIT_EXCEEDED` error where the limit is passed.
    public static func decode(_ root: SourceNode, limits: PolicyLimits = .default) -> (policy: Policy?, findings: [Finding]) {
        var decoder = PolicyDecoder(limits: limits)
        let policy = decoder.decodePolicy(root)
        return (policy, decoder.findings)
    }

    private mutating func report(_ code: FindingCode, _ message: String, at span: SourceSpan, notes: [Finding.Note] = []) {
        findings.append(Finding(code, .error, message, at: span, notes: notes))
    }

    private mutating func decodePolicy(_ root: SourceNode) -> Policy? {
        guard let members = root.members else {
            report(.policyNotObject, "a policy document must be a JSON object, found \(root.typeDescription)", at: root.span)
            return nil
        }
        var policy = Policy(span: root.span)
        // Version first: it decides how `${…}` is read everywhere else.
        if let member = members.first(where: { $0.key == "Version" }) {
            policy.version = string(member, element: "Version")
            if let written = policy.version?.value, written == PolicyLanguageVersion.v2012_10_17.rawValue {
                version = .v2012_10_17
            }
        }
        var statementMember: SourceNode.Member?
        for member in members {
            switch member.key {
            case "Version": break
            case "Id": policy.id = string(member, element: "Id")
            case "Statement": statementMember = member
            default: reportUnknownElement(member, known: ["Version", "Id", "Statement"], place: "policy")
            }
        }
        guard let statementMember else {
            report(.missingStatement, "the policy has no Statement element", at: root.span)
            return policy
        }
        policy.statementKeySpan = statementMember.keySpan
        switch statementMember.value.kind {
        case .object:
            policy.statementIsSingleObject = true
            policy.statements = decodeStatement(statementMember.value, index: 0).map { [$0] } ?? []
        case .array(let elements):
            if elements.count > limits.maxStatements {
                report(.limitExceeded, "the policy has \(elements.count) statements; at most \(limits.maxStatements) are read", at: elements[limits.maxStatements].span)
            }
            policy.statements = elements.prefix(limits.maxStatements).enumerated().compactMap { decodeStatement($1, index: $0) }
        default:
            report(.wrongType, "Statement must be an object or an array of objects, found \(statementMember.value.typeDescription)", at: statementMember.value.span)
        }
        return policy
    }

    private static let statementElements = [
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
    ]

    private mutating func decodeStatement(_ node: SourceNode, index: Int) -> Statement? {
        guard let members = node.members else {
            report(.statementNotObject, "a statement must be an object, found \(node.typeDescription)", at: node.span)
            return nil
        }
        var statement = Statement(index: index, span: node.span)
        var seen: [String: SourceSpan] = [:]
        for member in members {
            seen[member.key] = member.keySpan
            statement.writtenElements.insert(member.key)
            switch member.key {
            case "Sid": statement.sid = string(member, element: "Sid")
            case "Effect": statement.effect = effect(member)
            case "Principal", "NotPrincipal": statement.principal = principal(member)
            case "Action", "NotAction": statement.action = action(member)
            case "Resource", "NotResource": statement.resource = resource(member)
            case "Condition": statement.condition = condition(member)
            default: reportUnknownElement(member, known: Self.statementElements, place: "statement")
            }
        }
        for (positive, code) in [("Action", FindingCode.actionAndNotAction), ("Resource", .resourceAndNotResource), ("Principal", .principalAndNotPrincipal)] {
            if let first = seen[positive], let second = seen["Not" + positive] {
                let (earlier, later) = first.start < second.start ? (first, second) : (second, first)
                report(code, "a statement cannot have both \(positive) and Not\(positive)", at: later, notes: [Finding.Note("the other element is here", at: earlier)])
            }
        }
        return statement
    }

    private mutating func reportUnknownElement(_ member: SourceNode.Member, known: [String], place: String) {
        var message = "unknown \(place) element \"\(member.key)\""
        if let match = known.first(where: { $0.lowercased() == member.key.lowercased() }) {
            message += "; element names are case-sensitive: did you mean \"\(match)\"?"
        } else {
            message += "; expected one of \(known.joined(separator: ", "))"
        }
        report(.unknownElement, message, at: member.keySpan)
    }

    // MARK: Scalars

    private mutating func string(_ member: SourceNode.Member, element: String) -> Located<String>? {
        guard case .string(let text) = member.value.kind else {
            report(.wrongType, "\(element) must be a string, found \(member.value.typeDescription)", at: member.value.span)
            return nil
        }
        return Located(text, at: member.value.span)
    }

    private mutating func effect(_ member: SourceNode.Member) -> Located<Effect>? {
        guard let text = string(member, element: "Effect") else { return nil }
        if let effect = Effect(rawValue: text.value) { return Located(effect, at: text.span) }
        if let effect = Effect.allCases.first(where: { $0.rawValue.lowercased() == text.value.lowercased() }) {
            report(.effectCase, "Effect is case-sensitive: write \"\(effect.rawValue)\", not \"\(text.value)\"", at: text.span)
        } else {
            report(.invalidEffect, "Effect must be \"Allow\" or \"Deny\", found \"\(text.value)\"", at: text.span)
        }
        return nil
    }

    /// The strings of a string-or-array-of-strings element; wrong entries are reported and skipped.
    private mutating func stringList(_ node: SourceNode, element: String) -> [Located<String>] {
        switch node.kind {
        case .string(let text): return [checkedWildcards(Located(text, at: node.span), element: element)]
        case .array(let elements):
            if elements.count > limits.maxValues {
                report(.limitExceeded, "\(element) has \(elements.count) entries; at most \(limits.maxValues) are read", at: elements[limits.maxValues].span)
            }
            return elements.prefix(limits.maxValues).compactMap { entry in
                guard case .string(let text) = entry.kind else {
                    report(.wrongType, "each \(element) entry must be a string, found \(entry.typeDescription)", at: entry.span)
                    return nil
                }
                return checkedWildcards(Located(text, at: entry.span), element: element)
            }
        default:
            report(.wrongType, "\(element) must be a string or an array of strings, found \(node.typeDescription)", at: node.span)
            return []
        }
    }

    // MARK: Elements

    private mutating func action(_ member: SourceNode.Member) -> ActionElement {
        let patterns = stringList(member.value, element: member.key).map { ActionPattern(text: $0.value, span: $0.span) }
        var element = ActionElement(isNot: member.key == "NotAction", patterns: patterns, keySpan: member.keySpan, valueSpan: member.value.span)
        element.isEmptyList = member.value.elements?.isEmpty == true
        return element
    }

    private mutating func resource(_ member: SourceNode.Member) -> ResourceElement {
        let patterns = stringList(member.value, element: member.key).map { entry in
            ResourcePattern(text: entry.value, span: entry.span, template: template(entry.value, at: entry.span))
        }
        var element = ResourceElement(isNot: member.key == "NotResource", patterns: patterns, keySpan: member.keySpan, valueSpan: member.value.span)
        element.isEmptyList = member.value.elements?.isEmpty == true
        return element
    }

    private mutating func principal(_ member: SourceNode.Member) -> PrincipalElement? {
        let node = member.value
        let isNot = member.key == "NotPrincipal"
        switch node.kind {
        case .string("*"):
            return PrincipalElement(isNot: isNot, value: .everyone, keySpan: member.keySpan, valueSpan: node.span)
        case .string(let text):
            // IAM rejects this form; evaluators (and AWS's older services) read it as {"AWS": text}, so
            // keep that meaning for evaluation while validation reports the error.
            report(.invalidPrincipal, "\(member.key) must be \"*\" or an object such as {\"AWS\": \"\(text)\"}", at: node.span)
            return PrincipalElement(isNot: isNot, value: .specific([PrincipalValue(type: .aws, text: text, span: node.span)]), keySpan: member.keySpan, valueSpan: node.span)
        case .object(let entries):
            var values: [PrincipalValue] = []
            for entry in entries {
                guard let type = PrincipalType(rawValue: entry.key) else {
                    var message = "unknown principal type \"\(entry.key)\"; expected AWS, Service, Federated or CanonicalUser"
                    if let match = PrincipalType.allCases.first(where: { $0.rawValue.lowercased() == entry.key.lowercased() }) {
                        message = "principal types are case-sensitive: did you mean \"\(match.rawValue)\"?"
                    }
                    report(.unknownPrincipalType, message, at: entry.keySpan)
                    continue
                }
                values += stringList(entry.value, element: "\(member.key).\(entry.key)").map {
                    PrincipalValue(type: type, text: $0.value, span: $0.span)
                }
            }
            var element = PrincipalElement(isNot: isNot, value: .specific(values), keySpan: member.keySpan, valueSpan: node.span)
            element.isEmptyList = entries.allSatisfy { $0.value.elements?.isEmpty == true }
            return element
        default:
            report(.wrongType, "\(member.key) must be \"*\" or an object, found \(node.typeDescription)", at: node.span)
            return nil
        }
    }

    private mutating func condition(_ member: SourceNode.Member) -> ConditionBlock? {
        guard let operators = member.value.members else {
            report(.wrongType, "Condition must be an object of operators, found \(member.value.typeDescription)", at: member.value.span)
            return nil
        }
        var block = ConditionBlock(clauses: [], keySpan: member.keySpan, valueSpan: member.value.span)
        for entry in operators {
            let name = Located(entry.key, at: entry.keySpan)
            guard let keys = entry.value.members else {
                report(.wrongType, "the value of condition operator \(entry.key) must be an object of condition keys, found \(entry.value.typeDescription)", at: entry.value.span)
                continue
            }
            if keys.isEmpty { block.emptyOperators.append(name) }
            let conditionOperator = ConditionOperator(name: entry.key)
            for key in keys {
                guard let values = conditionValues(key.value, key: key.key) else { continue }
                block.clauses.append(ConditionClause(
                    conditionOperator: conditionOperator, operatorName: name, key: Located(key.key, at: key.keySpan),
                    values: values, valuesSpan: key.value.span, valuesWereArray: key.value.elements != nil))
            }
        }
        return block
    }

    private mutating func conditionValues(_ node: SourceNode, key: String) -> [ConditionValue]? {
        func value(_ node: SourceNode) -> ConditionValue? {
            let literal: ConditionValue.Literal
            switch node.kind {
            case .string: literal = .string
            case .number: literal = .number
            case .bool: literal = .bool
            default:
                report(.wrongType, "a value of condition key \(key) must be a string, number or boolean, found \(node.typeDescription)", at: node.span)
                return nil
            }
            let text = node.scalarText ?? ""
            return ConditionValue(text: text, literal: literal, span: node.span, template: template(text, at: node.span))
        }
        if let elements = node.elements {
            if elements.count > limits.maxValues {
                report(.limitExceeded, "condition key \(key) has \(elements.count) values; at most \(limits.maxValues) are read", at: elements[limits.maxValues].span)
            }
            return elements.prefix(limits.maxValues).compactMap(value)
        }
        return value(node).map { [$0] }
    }

    /// A pattern with more `*` and `?` than `limits.maxWildcards` is reported (kept as written): its
    /// automaton could grow past what a proof can handle.
    private mutating func checkedWildcards(_ text: Located<String>, element: String) -> Located<String> {
        let wildcards = text.value.reduce(0) { $0 + ($1 == "*" || $1 == "?" ? 1 : 0) }
        if wildcards > limits.maxWildcards {
            report(.limitExceeded, "this \(element) pattern has \(wildcards) wildcards; at most \(limits.maxWildcards) are accepted", at: text.span)
        }
        return text
    }

    private mutating func template(_ text: String, at span: SourceSpan) -> TemplateString {
        let (template, issues) = TemplateString.parse(text, version: version, span: span)
        for issue in issues {
            switch issue.kind {
            case .unterminated:
                report(.unterminatedVariable, "\"${\" opens a policy variable that is never closed with \"}\"", at: issue.span)
            case .invalidKey(let key):
                report(.invalidVariable, "\"\(key)\" is not a valid policy variable name", at: issue.span)
            case .invalidDefault(let text):
                report(.invalidVariable, "a policy variable default must be written ${key, 'value'}; found \"\(text)\"", at: issue.span)
            }
        }
        return template
    }
}

/// Bounds on what one policy document may hold, beyond the reader's `ReadLimits`. The defaults are far
/// above what AWS accepts (a managed policy holds at most 6,144 characters) and far below what makes
/// the prover's automata or the evaluator's loops blow up.
public struct PolicyLimits: Sendable, Equatable {
    /// Statements per policy.
    public var maxStatements: Int
    /// Entries of one `Action`, `Resource`, `Principal` list or condition key.
    public var maxValues: Int
    /// `*` and `?` in one action or resource pattern.
    public var maxWildcards: Int

    public init(maxStatements: Int = 5_000, maxValues: Int = 10_000, maxWildcards: Int = 64) {
        self.maxStatements = maxStatements
        self.maxValues = maxValues
        self.maxWildcards = maxWildcards
    }

    public static let `default` = PolicyLimits()
}
