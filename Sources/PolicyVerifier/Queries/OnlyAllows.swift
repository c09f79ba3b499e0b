import PolicyLanguage

extension Prover {
    /// Whether everything `policy` allows lies inside `bound` (a set of requests written as a policy).
    /// FAIL shows requests the policy allows outside the bound.
    public func onlyAllows(_ policy: PolicyUnderTest, bound: PolicyUnderTest, counterexamples: Int = 1) -> Verdict {
        switch session([policy, bound], labels: ["policy", "bound"]) {
        case .failure(let reason): return .unknown(reason)
        case .success(let session):
            return session.counterexamples({ allows in try allows[0].and(allows[1].not()) }, limit: counterexamples) { $0[0].allows && !$0[1].allows }
        }
    }
}
