import PolicyLanguage
import PolicyVerifier

/// One principal's checks, from its own answers and those of every role it can reach.
struct Combination {
    let own: [OwnFindings]
    let principals: [AccountPrincipal]
    /// The principal itself (empty path) first, then each reachable role with its path.
    let holders: [(index: Int, path: AssumptionPath)]
    /// Roles reachable only through an undecided assumption.
    let undecided: [(role: Int, reason: String)]

    func checks(spec: Spec?, ownGrants: [PolicyGrant]) -> [PrincipalCheck] {
        var checks = [admin(), escalation()]
        for (number, invariant) in (spec?.invariants ?? []).enumerated() {
            if let check = self.invariant(invariant, number: number) { checks.append(check) }
        }
        for (number, rule) in (spec?.duties ?? []).enumerated() { checks.append(duty(rule, number: number)) }
        checks.append(overbroad(ownGrants))
        return checks
    }

    private var principalLabel: String { holders[0].path.principals[0] }

    /// FAIL with every holder whose verdict fails; UNKNOWN when none fails and some holder's (or a
    /// role's reached through an undecided assumption) is not a proof.
    private func combined(_ name: String, verdict: (OwnFindings) -> Verdict?, holdings: (Int, AssumptionPath) -> [Holding], pass: String, fail: ([Holding]) -> String) -> PrincipalCheck {
        var found: [Holding] = []
        var reasons: [String] = []
        for (index, path) in holders {
            switch verdict(own[index]) {
            case .fail?: found += holdings(index, path)
            case .unknown(let reason)?: reasons.append("\(path.description): \(reason)")
            case .pass?, nil: break
            }
        }
        for (role, reason) in undecided where !(verdict(own[role])?.isPass ?? true) {
            reasons.append("may assume \(principals[role].label) (\(reason))")
        }
        if !found.isEmpty { return PrincipalCheck(name: name, status: .fail, summary: fail(found), holdings: found) }
        if !reasons.isEmpty { return PrincipalCheck(name: name, status: .unknown, summary: "not proved: \(reasons[0])", reasons: reasons) }
        return PrincipalCheck(name: name, status: .pass, summary: pass)
    }

    private var reachNote: String {
        holders.count == 1 ? "" : " (itself and \(holders.count - 1) assumable role\(holders.count == 2 ? "" : "s"))"
    }

    private func through(_ holdings: [Holding]) -> String {
        let paths = holdings.map(\.path.description).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return paths.count == 1 && paths[0] == principalLabel ? "" : " through " + paths.joined(separator: ", ")
    }

    /// An administrator: allowed every administrator request, or able to grant itself any permission
    /// (then it is allowed whatever the account's SCPs allow, after one request).
    func admin() -> PrincipalCheck {
        combined("admin-equivalent", verdict: Self.adminVerdict, holdings: { index, path in
            if case .fail(let requests) = own[index].admin {
                return [Holding(path: path, title: "every administrator request is allowed", requests: requests)]
            }
            if case .fail(let requests)? = own[index].selfGrant {
                return [Holding(path: path, title: "can grant itself any permission (\(requests.first.map { "\($0.request.action) on \($0.request.resource)" } ?? ""))", requests: requests)]
            }
            return []
        }, pass: "not an administrator through any path, and cannot grant itself a policy" + reachNote, fail: { "administrator" + through($0) })
    }

    static func adminVerdict(_ own: OwnFindings) -> Verdict {
        switch (own.admin, own.selfGrant) {
        case (.fail, _): return own.admin
        case (_, .fail?): return own.selfGrant!
        case (.unknown, _): return own.admin
        case (_, .unknown?): return own.selfGrant!
        default: return .pass
        }
    }

    func escalation() -> PrincipalCheck {
        combined("privilege-escalation", verdict: { $0.escalation.verdict }, holdings: { index, path in
            own[index].escalation.findings.map { finding in
                Holding(path: path, title: "method \(finding.method.id): \(finding.method.name)", requests: finding.steps.map(\.counterexample))
            }
        }, pass: "no escalation method of SEMANTICS.md §6 through any path" + reachNote, fail: { holdings in
            let methods = holdings.map { String(($0.title.split(separator: ":").first ?? "").dropFirst("method ".count)) }
            let unique = methods.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let shown = unique.count > 8 ? unique.prefix(7).joined(separator: ", ") + ", …" : unique.joined(separator: ", ")
            return "\(unique.count) escalation method\(unique.count == 1 ? "" : "s") (\(shown))" + through(holdings)
        })
    }

    func invariant(_ invariant: Invariant, number: Int) -> PrincipalCheck? {
        let applies = holders.contains { own[$0.index].invariants[number] != nil }
        guard applies else { return nil }
        let isAccess = invariant.kind.policy == nil
        // The no-access questions are about a role's own trust policy, not about paths.
        let scoped = isAccess ? Combination(own: own, principals: principals, holders: [holders[0]], undecided: []) : self
        return scoped.combined("spec/\(invariant.name)", verdict: { $0.invariants[number] }, holdings: { index, path in
            guard case .fail(let requests)? = own[index].invariants[number] else { return [] }
            return [Holding(path: path, title: "\(invariant.kind.keyword) \(invariant.name)", requests: requests)]
        }, pass: "\(invariant.kind.keyword) holds" + (isAccess ? " for the trust policy" : " through every path" + reachNote),
           fail: { "\(invariant.kind.keyword) \(invariant.name) fails" + through($0) })
    }

    /// A violation: two conflicting sets each held by the principal or a role it reaches.
    func duty(_ rule: DutyRule, number: Int) -> PrincipalCheck {
        var held: [Holding] = []
        var open: [String] = []
        for (side, set) in rule.conflicting.enumerated() {
            let title = "set \(side + 1): " + Self.describe(set)
            if let holder = holders.first(where: { own[$0.index].duties[number][side].isFail }),
               case .fail(let requests) = own[holder.index].duties[number][side] {
                held.append(Holding(path: holder.path, title: title, requests: Array(requests.prefix(1))))
                continue
            }
            let unknown = holders.compactMap { holder -> String? in
                guard case .unknown(let reason) = own[holder.index].duties[number][side] else { return nil }
                return "\(holder.path.description): \(reason)"
            } + undecided.filter { !own[$0.role].duties[number][side].isPass }.map { "may assume \(principals[$0.role].label) (\($0.reason))" }
            if let first = unknown.first { open.append("\(title): \(first)") }
        }
        let name = "duty/\(rule.name)"
        if held.count >= 2 {
            return PrincipalCheck(name: name, status: .fail, summary: "holds conflicting duties: " + held.map { "\($0.title) (\($0.path.description))" }.joined(separator: " and "), holdings: held)
        }
        if held.count + open.count >= 2 {
            return PrincipalCheck(name: name, status: .unknown, summary: "not proved: \(open[0])", reasons: open)
        }
        return PrincipalCheck(name: name, status: .pass, summary: "holds at most one of the \(rule.conflicting.count) conflicting sets" + reachNote)
    }

    func overbroad(_ grants: [PolicyGrant]) -> PrincipalCheck {
        guard !grants.isEmpty else { return PrincipalCheck(name: "over-broad", status: .pass, summary: "no wildcard grant broader than least privilege needs") }
        return PrincipalCheck(name: "over-broad", status: .warning, summary: "\(grants.count) over-broad grant\(grants.count == 1 ? "" : "s") in its own policies", grants: grants)
    }

    /// The actions a set names: `iam:CreateUser, iam:Attach*`.
    static func describe(_ set: Policy) -> String {
        let actions = set.statements.flatMap { statement in
            (statement.action.map { element in element.patterns.map { (element.isNot ? "not " : "") + $0.text } } ?? [])
        }
        return actions.prefix(4).joined(separator: ", ") + (actions.count > 4 ? ", …" : "")
    }
}
