import PolicyLanguage
import SMT

/// One encoding and one solver, asked several questions with push/pop. Finds counterexamples, decodes
/// them, certifies each with the concrete evaluator, and makes it readable.
final class QuerySession {
    let encoding: RequestEncoding
    let solver: Solver
    let labels: [String]
    let evaluator: PolicyEvaluator
    let timeout: Duration

    init(policies: [PolicyUnderTest], labels: [String], catalog: ActionCatalog?, timeout: Duration) throws(EncodingError) {
        encoding = try RequestEncoding(policies: policies, catalog: catalog)
        self.labels = labels
        evaluator = PolicyEvaluator(catalog: catalog)
        self.timeout = timeout
        do {
            solver = try Solver(context: encoding.context)
            try solver.add(encoding.domain)
        } catch {
            throw .solver(error)
        }
    }

    /// The evaluator's view of `request` for every policy of the session.
    func outcomes(_ request: Request) -> [StatementOutcome] {
        encoding.policies.map { evaluator.applicableStatements(of: $0.policy, role: $0.role, request: request) }
    }

    /// Requests satisfying `goal` (a term over the session's `allows`), up to `limit`, each distinct in
    /// principal, action or resource from the previous ones. `property` is the goal read on the
    /// evaluator's outcomes: every counterexample must satisfy it, or the verdict is an internal error.
    func counterexamples(_ goal: Term, limit: Int, property: ([StatementOutcome]) -> Bool) -> Verdict {
        var found: [Counterexample] = []
        do {
            try solver.push()
            defer { try? solver.pop() }
            try solver.add(goal)
            while found.count < max(limit, 1) {
                let result = try solver.check(timeout: timeout)
                switch result {
                case .unsat:
                    return found.isEmpty ? .pass : .fail(found)
                case .unknown(let reason):
                    if !found.isEmpty { return .fail(found) }
                    return .unknown(reason == "timeout" ? .timeout(seconds: timeout.seconds) : .solver(reason))
                case .sat(let model):
                    let decoded = try ModelDecoder(encoding: encoding, model: model).request()
                    // Certification: the evaluator must agree with the model, policy by policy.
                    let concrete = outcomes(decoded)
                    for (index, outcome) in concrete.enumerated() {
                        let predicted = try model.bool(encoding.allows[index]) ?? false
                        if predicted != outcome.allows {
                            return .unknown(.internalError("the solver says the \(labels[index]) policy \(predicted ? "allows" : "does not allow") \(describe(decoded)), the evaluator says the opposite"))
                        }
                    }
                    guard property(concrete) else {
                        return .unknown(.internalError("the evaluator does not confirm the counterexample \(describe(decoded))"))
                    }
                    let readable = simplified(decoded, property: property)
                    found.append(counterexample(readable))
                    try solver.add(try blocking(model))
                }
            }
            return .fail(found)
        } catch {
            return .unknown(.solver("\(error)"))
        }
    }

    /// Whether `goal` is unsatisfiable (`true`), satisfiable (`false`), or unknown.
    func isUnsatisfiable(_ goal: Term) -> Result<Bool, UnknownReason> {
        do {
            try solver.push()
            defer { try? solver.pop() }
            try solver.add(goal)
            switch try solver.check(timeout: timeout) {
            case .unsat: return .success(true)
            case .sat: return .success(false)
            case .unknown(let reason): return .failure(reason == "timeout" ? .timeout(seconds: timeout.seconds) : .solver(reason))
            }
        } catch {
            return .failure(.solver("\(error)"))
        }
    }

    func counterexample(_ request: Request) -> Counterexample {
        let concrete = outcomes(request)
        let summaries = concrete.enumerated().map { index, outcome in
            PolicyOutcomeSummary(label: labels[index], file: encoding.policies[index].policy.file, allows: outcome.allows, allowing: outcome.allowing, denying: outcome.denying)
        }
        return Counterexample(request: request, outcomes: summaries)
    }

    /// Makes the counterexample readable, each step re-checked by the evaluator: drops the context keys
    /// it does not need, and puts the resource in the form the catalogue gives for the action.
    private func simplified(_ request: Request, property: ([StatementOutcome]) -> Bool) -> Request {
        var current = request
        for entry in request.context.allEntries {
            var candidate = current
            var context = RequestContext()
            for other in current.context.allEntries where other.name.lowercased() != entry.name.lowercased() {
                if other.isSet { context.setValues(other.values, for: other.name) } else { context.set(other.values[0], for: other.name) }
            }
            candidate.context = context
            if property(outcomes(candidate)) { current = candidate }
        }
        if current.resource != "*" {
            for resource in ResourceExamples.arns(for: current.action, account: current.principal.account, catalog: evaluator.catalog) {
                var candidate = current
                candidate.resource = resource
                if property(outcomes(candidate)) {
                    current = candidate
                    break
                }
            }
        }
        return current
    }

    /// Excludes the model's principal, action and resource classes from later answers.
    private func blocking(_ model: Model) throws -> Term {
        var same: [Term] = []
        // The caller is part of what makes two counterexamples different only where a policy names callers.
        let principal = encoding.policies.contains { $0.role.matchesPrincipals } ? [encoding.principalClass!] : []
        for variable in [encoding.actionClass!] + principal + encoding.fieldClasses {
            if let value = try model.int(variable) { same.append(try variable.eq(encoding.context.int(value))) }
        }
        if let star = try model.bool(encoding.resourceIsStar) { same.append(star ? encoding.resourceIsStar : try encoding.resourceIsStar.not()) }
        if let part = encoding.resourcePart, let text = try model.string(part) { same.append(try part.eq(encoding.context.string(text))) }
        return try encoding.context.and(same).not()
    }

    private func describe(_ request: Request) -> String {
        "\(request.principal) \(request.action) on \(request.resource)"
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
