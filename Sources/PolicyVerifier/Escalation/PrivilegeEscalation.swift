import PolicyLanguage

extension Prover {
    /// Which privilege-escalation methods (SEMANTICS.md §6, `EscalationMethod.catalogue`) one principal
    /// can carry out. `policies`: every identity-side policy that applies to the principal (identity
    /// policies, at most one permissions boundary and one session policy, SCPs, all read as attached at
    /// one organization level); a resource-side policy among them makes every method UNKNOWN.
    ///
    /// A method is found when every step is allowed on a compatible resource (`EscalationResource`) in
    /// the principal's own account, by one principal (an IAM user or role session) with one set of
    /// principal keys, on one resource where steps are linked, with `iam:PassedToService` set to the
    /// method's service for `iam:PassRole`; trust and key policies are taken to delegate to the account.
    /// Every finding's requests were decided Allow by the concrete evaluator under all of `policies`.
    /// A method is reported absent only when Z3 (or an exact reading of the action elements) proved a
    /// step, or a pair of linked steps, impossible for any principal in any account; otherwise, if it
    /// was not found, it is UNKNOWN.
    ///
    /// Simplifications, as in PMapper and Pacu: a step that acts on several resources at once (EC2
    /// `RunInstances`) is asked about one of them; service-side conditions beyond the policies (a role
    /// that the service may assume, an existing function to update) are assumed to hold.
    ///
    /// `caller`: the one user or role the question is about (its requests only, in its account); `nil`
    /// for any user or role session in any account.
    public func privilegeEscalation(_ policies: [PolicyUnderTest], caller: KnownCaller? = nil, methods: [EscalationMethod] = EscalationMethod.catalogue) -> EscalationReport {
        var report = EscalationReport(verdict: .pass, findings: [], unknown: [], provedAbsent: [])
        let principal: PrincipalPolicies
        do {
            principal = try PrincipalPolicies(policies, caller: caller, catalog: catalog)
        } catch {
            report.unknown = methods.map { ($0, error) }
            report.verdict = .unknown(error)
            return report
        }
        for (method, outcome) in decide(methods, for: principal) {
            switch outcome {
            case .found(let requests):
                let witnesses = requests.enumerated().map { index, request in
                    EscalationStepWitness(step: index, action: request.action, counterexample: principal.counterexample(request))
                }
                report.findings.append(EscalationFinding(method: method, steps: witnesses))
            case .absent: report.provedAbsent.append(method)
            case .unknown(let reason): report.unknown.append((method, reason))
            }
        }
        if !report.findings.isEmpty {
            report.verdict = .fail(report.findings.flatMap { $0.steps.map(\.counterexample) })
        } else if let first = report.unknown.first {
            report.verdict = .unknown(first.reason)
        }
        return report
    }

    /// Decides `methods` for one principal over one session. Alternatives of a step that no statement's
    /// action element can allow are dropped first (exact), and a method left with an empty step is
    /// absent without asking Z3; the rest share one `StepSolver`, each distinct step asked once.
    func decide(_ methods: [EscalationMethod], for principal: PrincipalPolicies) -> [(EscalationMethod, MethodSearch.Outcome)] {
        var steps: [EscalationStep] = []
        var numbers: [EscalationStep: Int] = [:]
        // A method's plan: the solver's step number of each step; `-1` for a step the method can do
        // without (`waivedForOwnRole`) that no statement can allow.
        let plans: [(EscalationMethod, [Int]?)] = methods.map { method in
            let reduced = method.steps.map { step in
                var reduced = step.key
                reduced.actions = step.actions.filter(principal.mayAllow)
                return reduced
            }
            guard zip(reduced, method.steps).allSatisfy({ !$0.actions.isEmpty || $1.waivedForOwnRole }) else { return (method, nil) }
            return (method, reduced.map { step in
                if step.actions.isEmpty { return -1 }
                if let known = numbers[step] { return known }
                numbers[step] = steps.count
                steps.append(step)
                return steps.count - 1
            })
        }
        var solver: Result<StepSolver, UnknownReason>?
        return plans.map { method, plan in
            guard let plan else { return (method, .absent) }
            if solver == nil {
                do throws(UnknownReason) {
                    solver = .success(try StepSolver(principal: principal, steps: steps, prover: self))
                } catch {
                    solver = .failure(error)
                }
            }
            switch solver! {
            case .failure(let reason): return (method, .unknown(reason))
            case .success(let ready): return (method, MethodSearch(solver: ready).decide(method, steps: plan))
            }
        }
    }
}
