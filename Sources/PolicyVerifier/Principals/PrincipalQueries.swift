import PolicyLanguage
import SMT

extension Prover {
    /// Whether one principal is allowed no request of `scope` (a set of requests written as a policy),
    /// IAM deciding as a whole over `policies` (identity policies, at most one permissions boundary and
    /// one session policy, SCPs; the resource side delegating to the principal's account, as in
    /// `privilegeEscalation`). `caller`: the user or role the question is about; `nil` for any user or
    /// role session. FAIL shows requests of the scope the evaluator allowed under all of `policies`.
    public func neverAllows(principal policies: [PolicyUnderTest], caller: KnownCaller?, scope: Policy, counterexamples: Int = 1) -> Verdict {
        principalSearch(policies, caller: caller, extra: PolicyUnderTest(scope: scope), label: "scope", inside: true, counterexamples: counterexamples)
    }

    /// Whether everything one principal is allowed (as for `neverAllows(principal:…)`) lies inside
    /// `bound`. FAIL shows allowed requests outside it.
    public func onlyAllows(principal policies: [PolicyUnderTest], caller: KnownCaller?, bound: Policy, counterexamples: Int = 1) -> Verdict {
        principalSearch(policies, caller: caller, extra: PolicyUnderTest(scope: bound), label: "bound", inside: false, counterexamples: counterexamples)
    }

    /// Requests the principal is allowed that are inside `extra` (or outside it, `inside == false`).
    private func principalSearch(_ policies: [PolicyUnderTest], caller: KnownCaller?, extra: PolicyUnderTest, label: String, inside: Bool, counterexamples: Int) -> Verdict {
        let verdict = principalSearch(policies, caller: caller, extra: extra, label: label, inside: inside, counterexamples: counterexamples, ownAccountOnly: false)
        // The question is about every resource (the resource side delegating, in any account); the
        // evidence reads better in the caller's own account when there is such a request too.
        guard case .fail(let found) = verdict, let caller, let first = found.first?.request,
              let fields = ARNFields(first.resource), !fields.account.isEmpty, String(fields.account) != caller.account else { return verdict }
        let own = principalSearch(policies, caller: caller, extra: extra, label: label, inside: inside, counterexamples: counterexamples, ownAccountOnly: true)
        if case .fail = own { return own }
        return verdict
    }

    private func principalSearch(_ policies: [PolicyUnderTest], caller: KnownCaller?, extra: PolicyUnderTest, label: String, inside: Bool, counterexamples: Int, ownAccountOnly: Bool) -> Verdict {
        let principal: PrincipalPolicies
        do {
            principal = try PrincipalPolicies(policies, caller: caller, catalog: catalog)
        } catch {
            return .unknown(error)
        }
        var groups = principal.groups
        var labels = principal.labels
        if ownAccountOnly, let caller, let own = Self.ownAccountResources(caller.account) {
            groups.append(PolicyUnderTest(own, role: .identity))
            labels.append("own account")
        }
        let session: QuerySession
        switch self.session(groups + [extra], labels: labels + [label], caller: caller) {
        case .success(let ready): session = ready
        case .failure(let reason): return .unknown(reason)
        }
        let count = groups.count
        let verdict = session.counterexamples({ allows in
            let scoped = inside ? allows[count] : try allows[count].not()
            return try session.encoding.context.and(Array(allows[0..<count]) + [scoped, session.callerClasses(of: caller)])
        }, limit: counterexamples, property: { outcomes in
            outcomes[0..<count].allSatisfy(\.allows) && outcomes[count].allows == inside
        }, admits: principal.allows)
        guard case .fail(let found) = verdict else { return verdict }
        // The evidence a person reads: what each of the principal's own documents says, and the scope.
        return .fail(found.map { example in
            var evidence = principal.counterexample(example.request)
            if let scope = example.outcomes.last { evidence.outcomes.append(scope) }
            return evidence
        })
    }
}

extension Prover {
    /// Requests on resources of `account`, on resources whose ARN names no account, or on `*`.
    static func ownAccountResources(_ account: String) -> Policy? {
        let text = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":["arn:*:*:*:\#(account):*","arn:*:*:*::*"]},{"Effect":"Allow","Action":"*","NotResource":"arn:*"}]}"#
        return PolicyParser.parse(text: text, file: "<resources of \(account)>").policy
    }
}

extension QuerySession {
    /// The caller is an IAM user or a role session (the callers identity-side policies belong to), of
    /// `account` when given; it is `caller` when one is known (its class, and its name where the
    /// identity is a variable).
    func callerClasses(of caller: KnownCaller?, account: String? = nil) throws -> Term {
        if let caller { return try callerTerm(caller) }
        let classes = encoding.principals.classes.indices.filter { index in
            let candidate = encoding.principals.classes[index]
            guard candidate.kind == .user || candidate.kind == .assumedRole else { return false }
            return account == nil || (!candidate.freshAccount && candidate.representative.account == account)
        }
        return try encoding.member(encoding.principalClass, classes, of: encoding.principals.classes.count)
    }

    /// The caller is `caller`: its class, with its account and name fixed where they are variables.
    func callerTerm(_ caller: KnownCaller) throws -> Term {
        guard let index = encoding.principals.classIndex(of: caller.example) else { return try encoding.context.bool(false) }
        return try encoding.context.and([try encoding.isPrincipalClass(index)] + encoding.fixingIdentity(caller.example, class: index))
    }
}
