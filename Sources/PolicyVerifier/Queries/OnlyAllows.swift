import PolicyLanguage

extension Prover {
    /// Whether everything `policy` allows lies inside `bound` (a set of requests written as a policy).
    /// FAIL shows requests the policy allows outside the bound.
    public func onlyAllows(_ policy: PolicyUnderTest, bound: PolicyUnderTest, counterexamples: Int = 1) -> Verdict {
        switch session([policy, bound], labels: ["policy", "bound"]) {
        case .failure(let reason): return .unknown(reason)
        case .success(let session):
            do {
                let goal = try session.encoding.allows[0].and(session.encoding.allows[1].not())
                return session.counterexamples(goal, limit: counterexamples) { $0[0].allows && !$0[1].allows }
            } catch {
                return .unknown(.solver("\(error)"))
            }
        }
    }
}
