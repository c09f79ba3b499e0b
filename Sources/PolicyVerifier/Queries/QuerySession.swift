import Foundation
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
    /// The run's shared end (a global deadline, or a stop by the user), if any.
    let deadline: SolverDeadline?
    private static let readabilityTimeout = Duration.milliseconds(200)

    init(policies: [PolicyUnderTest], labels: [String], catalog: ActionCatalog?, timeout: Duration, deadline: SolverDeadline? = nil, namedAccounts: [String] = [], knownCaller: RequestPrincipal? = nil) throws(EncodingError) {
        encoding = try RequestEncoding(policies: policies, catalog: catalog, namedAccounts: namedAccounts, knownCaller: knownCaller)
        self.labels = labels
        evaluator = PolicyEvaluator(catalog: catalog)
        self.timeout = timeout
        self.deadline = deadline
        do {
            solver = try Solver(context: encoding.context)
            try solver.add(encoding.domains[.base] ?? [])
        } catch {
            throw .solver(error)
        }
    }

    /// The evaluator's view of `request` for every policy of the session.
    func outcomes(_ request: Request) -> [StatementOutcome] {
        encoding.policies.map { evaluator.applicableStatements(of: $0.policy, role: $0.role, request: request) }
    }

    /// Requests satisfying `goal` (built from each policy's `allows`), up to `limit`, each distinct in
    /// principal, action or resource from the previous ones. `property` is the goal read on the
    /// evaluator's outcomes: every counterexample must satisfy it, or the verdict is an internal error.
    ///
    /// The question is asked once per group of actions that the same statements apply to, each time over
    /// only those statements; the whole question is unsatisfiable exactly when every group's is.
    /// `admits`: a condition on the request itself that every counterexample must meet too (the
    /// concrete side of a restriction the goal states symbolically).
    /// `deadline`: when the search must stop (default: the session's timeout from now).
    /// `readable`: make each counterexample plain (familiar names, printable strings) before it is
    /// decoded; off for searches whose requests are never shown.
    func counterexamples(_ goal: ([Term]) throws -> Term, limit: Int, property: ([StatementOutcome]) -> Bool, admits: (Request) -> Bool = { _ in true }, deadline: ContinuousClock.Instant? = nil, readable: Bool = true) -> Verdict {
        var found: [Counterexample] = []
        let deadline = deadline ?? ContinuousClock.now + timeout
        do {
            for profile in encoding.actionProfiles() {
                let allows = try profile.statements.enumerated().map { try encoding.allows($0, statements: $1) }
                let scoped = try goal(allows).and(encoding.member(encoding.actionClass, profile.classes, of: encoding.actions.classes.count))
                if try scoped.simplified().isIdentical(to: encoding.context.bool(false)) { continue }
                let keys = encoding.keys(readBy: profile.statements)
                switch try search(scoped, keys: keys, limit: limit - found.count, deadline: deadline, property: property, admits: admits, readable: readable) {
                case .success(let more): found += more
                case .failure(let reason): return found.isEmpty ? .unknown(reason) : .fail(found)
                }
                if found.count >= max(limit, 1) { break }
            }
        } catch {
            return .unknown(.solver("\(error)"))
        }
        return found.isEmpty ? .pass : .fail(found)
    }

    private func search(_ goal: Term, keys: Set<Int>, limit: Int, deadline: ContinuousClock.Instant, property: ([StatementOutcome]) -> Bool, admits: (Request) -> Bool, readable wanted: Bool) throws -> Result<[Counterexample], UnknownReason> {
        var found: [Counterexample] = []
        try solver.push()
        defer { try? solver.pop() }
        try solver.add(encoding.domain(forKeys: keys))
        try solver.add(goal)
        if let path = ProcessInfo.processInfo.environment["POLICYPROVER_DUMP_SMT"] {
            // Debugging aid: the exact problem handed to Z3, in SMT-LIB.
            FileManager.default.createFile(atPath: path, contents: Data(solver.description.utf8))
        }
        while found.count < max(limit, 1) {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return found.isEmpty ? .failure(unknownReason(solver: "timeout")) : .success(found) }
            switch try solver.check(timeout: remaining, deadline: self.deadline) {
            case .unsat:
                return .success(found)
            case .unknown(let reason):
                if !found.isEmpty { return .success(found) }
                return .failure(unknownReason(solver: reason))
            case .sat(let first):
                let readsIdentity = encoding.readsIdentity(keys)
                var model = wanted ? try readable(first, keys: keys) : first
                let decoded: Request
                do {
                    decoded = try ModelDecoder(encoding: encoding, model: model, identityIsConstrained: readsIdentity).request()
                } catch SMTError.unrepresentableValue {
                    // A character Swift cannot hold (a lone surrogate): ask again for printable strings.
                    let printable = try encoding.context.regex.star(encoding.context.regex.range(" ", "~"))
                    let strings = keys.sorted().flatMap { encoding.keyVariables[$0].slots.compactMap(\.string) } + [encoding.resourcePart].compactMap { $0 }
                    guard case .sat(let retried) = try solver.check(assumptions: try strings.map { try $0.inRegex(printable) }, timeout: max(deadline - ContinuousClock.now, .milliseconds(1)), deadline: self.deadline) else {
                        return .failure(.solver("the only counterexamples found hold characters that cannot be shown"))
                    }
                    model = retried
                    decoded = try ModelDecoder(encoding: encoding, model: model, identityIsConstrained: readsIdentity).request()
                }
                // Certification: the evaluator must agree with the model, policy by policy.
                let concrete = outcomes(decoded)
                for (index, outcome) in concrete.enumerated() {
                    let predicted = try model.bool(encoding.allows[index]) ?? false
                    if predicted != outcome.allows {
                        return .failure(.internalError("the solver says the \(labels[index]) policy \(predicted ? "allows" : "does not allow") \(describe(decoded)), the evaluator says the opposite"))
                    }
                }
                guard property(concrete) else {
                    return .failure(.internalError("the evaluator does not confirm the counterexample \(describe(decoded))"))
                }
                guard admits(decoded) else {
                    return .failure(.internalError("the counterexample \(describe(decoded)) is not one the question is about"))
                }
                found.append(counterexample(simplified(decoded) { admits($0) && property(outcomes($0)) }))
                try solver.add(try blocking(model))
            }
        }
        return .success(found)
    }

    /// A model that also meets as many readability preferences as it can (a plain path, a familiar
    /// account and name, plain characters in strings), each kept only if the goal still holds with it.
    private func readable(_ model: Model, keys: Set<Int>) throws -> Model {
        let context = encoding.context
        var preferences: [Term] = []
        // An IAM caller reads more plainly than a stand-in service, provider or canonical user.
        let iamKinds: Set<PrincipalSpace.Kind> = [.root, .user, .role, .assumedRole, .federatedUser]
        let iamClasses = encoding.principals.classes.indices.filter { iamKinds.contains(encoding.principals.classes[$0].kind) }
        if encoding.policies.contains(where: { $0.role.matchesPrincipals }), !iamClasses.isEmpty {
            preferences.append(try encoding.member(encoding.principalClass, iamClasses, of: encoding.principals.classes.count))
        }
        if encoding.readsIdentity(keys), let identity = encoding.identity {
            preferences.append(try identity.path.eq(context.string("/")))
            preferences.append(try identity.account.eq(context.string(encoding.principals.standInAccount)))
            preferences.append(try identity.name.eq(context.string("alice")))
        }
        if let aws = encoding.resources.partitions[0].classIndex(of: "aws") {
            preferences.append(try encoding.fieldClasses[0].eq(context.int(aws)))
        }
        if let account = encoding.resources.partitions[3].classIndex(of: encoding.principals.standInAccount) {
            preferences.append(try encoding.fieldClasses[3].eq(context.int(account)))
        }
        let plain = try context.regex.star(context.regex.union([
            context.regex.range("a", "z"), context.regex.range("A", "Z"), context.regex.range("0", "9"),
        ] + "/._-".map { try context.regex.literal(String($0)) }))
        if let part = encoding.resourcePart { preferences.append(try part.inRegex(plain)) }
        let strings = keys.sorted().flatMap { encoding.keyVariables[$0].slots.compactMap(\.string) }
        if !strings.isEmpty { preferences.append(try context.and(strings.map { try $0.inRegex(plain) })) }
        // Readability is worth little time: a preference the solver cannot settle quickly is dropped.
        // (One check of all preferences at once is faster but picks other values, e.g. "TruE" for a
        // Bool key, where one at a time gives "true".)
        var kept: [Term] = []
        var best = model
        for preference in preferences {
            if case .sat(let better) = try solver.check(assumptions: kept + [preference], timeout: Self.readabilityTimeout, deadline: deadline) {
                kept.append(preference)
                best = better
            }
        }
        return best
    }

    /// Whether `goal` is unsatisfiable (`true`), satisfiable (`false`), or unknown.
    func isUnsatisfiable(_ goal: Term) -> Result<Bool, UnknownReason> {
        do {
            try solver.push()
            defer { try? solver.pop() }
            try solver.add(encoding.domain(forKeys: Set(encoding.keyVariables.indices)))
            try solver.add(goal)
            switch try solver.check(timeout: timeout, deadline: deadline) {
            case .unsat: return .success(true)
            case .sat: return .success(false)
            case .unknown(let reason): return .failure(unknownReason(solver: reason))
            }
        } catch {
            return .failure(.solver("\(error)"))
        }
    }

    /// Why a check was not decided, from the solver's reason: the check's time limit, the run's
    /// deadline (or a stop) once it has passed, or the solver's own words.
    func unknownReason(solver reason: String) -> UnknownReason {
        if let stop = deadline?.passed { return .stopped(stop.reason) }
        return reason == "timeout" ? .timeout(seconds: timeout.seconds) : .solver(reason)
    }

    func counterexample(_ request: Request) -> Counterexample {
        let concrete = outcomes(request)
        let summaries = concrete.enumerated().map { index, outcome in
            // A label missing is a bug of the caller; the evidence must still be shown, never a trap.
            PolicyOutcomeSummary(label: index < labels.count ? labels[index] : "policy \(index + 1)", file: encoding.policies[index].policy.file, allows: outcome.allows, allowing: outcome.allowing, denying: outcome.denying)
        }
        return Counterexample(request: request, outcomes: summaries)
    }

    /// Makes the counterexample readable, each step re-checked by the evaluator: drops the context keys
    /// it does not need, and puts the resource in the form the catalogue gives for the action.
    private func simplified(_ request: Request, accepts: (Request) -> Bool) -> Request {
        var current = request
        for entry in request.context.allEntries {
            var candidate = current
            var context = RequestContext()
            for other in current.context.allEntries where other.name.lowercased() != entry.name.lowercased() {
                if other.isSet { context.setValues(other.values, for: other.name) } else { context.set(other.values[0], for: other.name) }
            }
            candidate.context = context
            if accepts(candidate) { current = candidate }
        }
        // Fewer values in multivalued keys, where the evaluator still confirms.
        for entry in current.context.allEntries where entry.values.count > 1 {
            var values = entry.values
            var index = values.count - 1
            while index >= 0, values.count > 1 {
                var trial = values
                trial.remove(at: index)
                var candidate = current
                candidate.context.setValues(trial, for: entry.name)
                if accepts(candidate) {
                    values = trial
                    current = candidate
                }
                index -= 1
            }
        }
        if current.resource != "*" {
            // Only within the same resource classes, so that distinct counterexamples stay distinct.
            let classes = encoding.resourceClasses(of: current.resource)
            for resource in ResourceExamples.arns(for: current.action, account: current.principal.account, catalog: evaluator.catalog) where encoding.resourceClasses(of: resource) == classes {
                var candidate = current
                candidate.resource = resource
                if accepts(candidate) {
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
