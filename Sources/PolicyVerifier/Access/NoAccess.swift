import PolicyLanguage
import SMT

extension Prover {
    /// Whether `policy` (a resource policy or a role's trust policy) allows no request that an
    /// unbounded set of principals can send (SEMANTICS.md §5). A Deny that closes the access counts:
    /// the answer is about what the policy allows, not how its statements look.
    public func noPublicAccess(_ policy: PolicyUnderTest, resourceType: ResourceType? = nil, findingLimit: Int = 20) -> AccessReport {
        accessReport(policy, question: .publicAccess, resourceType: resourceType, findingLimit: findingLimit)
    }

    /// Whether `policy` allows no request from a principal outside `zone`.
    public func noExternalAccess(_ policy: PolicyUnderTest, zone: TrustedZone, resourceType: ResourceType? = nil, findingLimit: Int = 20) -> AccessReport {
        accessReport(policy, question: .externalAccess(zone), resourceType: resourceType, findingLimit: findingLimit)
    }

    /// Answers `question` for `policy`, asked over the actions of `resourceType` (inferred from the
    /// policy when `nil`; every action when it cannot be). On failure the findings enumerate the ways
    /// in until they cover every outsider request the policy allows, or `findingLimit` is reached.
    public func accessReport(_ policy: PolicyUnderTest, question: AccessQuestion, resourceType: ResourceType? = nil, findingLimit: Int = 20) -> AccessReport {
        let type = resourceType ?? ResourceType.infer(from: policy.policy)
        var report = AccessReport(question: question, resourceType: type, verdict: .pass, findings: [], findingsAreComplete: true)
        // Only resource-side policies name who may call; an identity policy grants only to the
        // identities of its own account that it is attached to.
        guard policy.role.matchesPrincipals else {
            report.namesNoCallers = true
            return report
        }
        var policies = [policy], labels = ["policy"]
        if let type {
            policies.append(type.actionScope)
            labels.append("resource type")
        }
        // Public first: those findings are marked public, and an external question then looks only
        // for the other ways in.
        let publicOutsiders = Outsiders(question: .publicAccess, policies: [policy.policy], zone: question.zone)
        var phases = [(publicOutsiders, true)]
        if case .externalAccess = question { phases.append((Outsiders(question: question, policies: [policy.policy]), false)) }
        let session: QuerySession
        switch self.session(policies, labels: labels, namedAccounts: publicOutsiders.owned.accounts.sorted()) {
        case .failure(let reason):
            report.verdict = .unknown(reason)
            return report
        case .success(let opened): session = opened
        }
        // One time limit for the whole question: the first way in gets all of it, later ones what is left.
        var enumeration = FindingEnumeration(session: session, policy: policy, deadline: ContinuousClock.now + timeout)
        for (outsiders, isPublic) in phases {
            switch enumeration.run(outsiders, isPublic: isPublic, limit: findingLimit) {
            case .success(let complete):
                report.findingsAreComplete = complete
            case .failure(let reason):
                report.findingsAreComplete = false
                if enumeration.findings.isEmpty {
                    report.verdict = .unknown(reason)
                    return report
                }
            }
            if !report.findingsAreComplete { break }
        }
        report.findings = enumeration.findings
        if !report.findings.isEmpty { report.verdict = .fail(report.findings.map(\.example)) }
        return report
    }
}

/// Finds the ways in one after another: each certified request is generalised to the cell of its
/// granting statement and principal value, and the whole cell is excluded before the next search.
/// When the search is unsatisfiable the findings cover every outsider request the policy allows.
struct FindingEnumeration {
    let session: QuerySession
    let policy: PolicyUnderTest
    let deadline: ContinuousClock.Instant
    private(set) var findings: [AccessFinding] = []
    private var exclusions: [Term] = []

    init(session: QuerySession, policy: PolicyUnderTest, deadline: ContinuousClock.Instant) {
        self.session = session
        self.policy = policy
        self.deadline = deadline
    }

    /// `.success(true)` when the cells cover everything, `.success(false)` when `limit` was reached.
    mutating func run(_ outsiders: Outsiders, isPublic: Bool, limit: Int) -> Result<Bool, UnknownReason> {
        let encoding = session.encoding
        let restriction: Term
        do {
            restriction = try encoding.outsiderTerm(outsiders)
        } catch {
            return .failure(.solver("\(error)"))
        }
        while findings.count < limit {
            let excluded = exclusions
            let verdict = session.counterexamples({ allows in try encoding.context.and(allows + [restriction] + excluded) }, limit: 1, property: { $0.allSatisfy(\.allows) }, admits: outsiders.admits, deadline: deadline)
            switch verdict {
            case .pass:
                return .success(true)
            case .unknown(let reason):
                return .failure(reason)
            case .fail(let examples):
                guard var example = examples.first, let granting = example.outcomes.first?.allowing.first else {
                    return .failure(.internalError("a counterexample without a granting statement"))
                }
                // The resource type's scope is part of the question, not something to blame.
                example.outcomes = Array(example.outcomes.prefix(1))
                let statement = policy.policy.statements[granting.statementIndex]
                let cell = principalCell(statement, caller: example.request.principal)
                do {
                    let inCell = try encoding.member(encoding.principalClass, cell.classes, of: encoding.principals.classes.count)
                    exclusions.append(try encoding.applies[0][granting.statementIndex].and(inCell).not())
                } catch {
                    return .failure(.solver("\(error)"))
                }
                findings.append(AccessFinding(
                    isPublic: isPublic, principal: cell.description, statement: granting,
                    actions: statement.action?.patterns.map(\.text) ?? [], actionsAreExcluded: statement.action?.isNot ?? false,
                    resources: statement.resource?.patterns.map(\.text) ?? [], resourcesAreExcluded: statement.resource?.isNot ?? false,
                    conditions: (statement.condition?.clauses ?? []).map { ConditionSummary(operatorName: $0.operatorName.value, key: $0.key.value, values: $0.values.map(\.text)) },
                    publicSourceAddresses: SourceAddressCount.publicAddresses(admittedBy: statement.condition),
                    example: example))
            }
        }
        return .success(false)
    }

    /// The principal value of `statement` that names `caller`, and the caller classes it names.
    private func principalCell(_ statement: Statement, caller: RequestPrincipal) -> (description: String, classes: [Int]) {
        let classes = session.encoding.principals.classes
        func named(by candidate: Statement) -> [Int] {
            classes.indices.filter { candidate.principalMatches(classes[$0].representative, role: policy.role) }
        }
        guard let element = statement.principal else { return ("*", named(by: statement)) }
        switch element.value {
        case .everyone:
            return (element.isNot ? "NotPrincipal: *" : "*", named(by: statement))
        case .specific(let values):
            if element.isNot {
                return ("NotPrincipal: " + values.map { "\($0.type.rawValue): \($0.text)" }.joined(separator: ", "), named(by: statement))
            }
            for value in values {
                var single = statement
                single.principal = PrincipalElement(isNot: false, value: .specific([value]), keySpan: element.keySpan, valueSpan: element.valueSpan)
                guard single.principalMatches(caller, role: policy.role) else { continue }
                return ("\(value.type.rawValue): \(value.text)", named(by: single))
            }
            return ("Principal: " + values.map(\.text).joined(separator: ", "), named(by: statement))
        }
    }
}
