import PolicyLanguage

/// How two policies' grants relate.
public enum PolicyRelation: String, Sendable, Equatable {
    /// They allow exactly the same requests.
    case equivalent
    /// The new policy allows a strict subset of what the old one allows.
    case less
    /// The new policy allows a strict superset.
    case more
    /// Each allows something the other does not.
    case incomparable
}

/// The answer of `Prover.compare`.
public struct Comparison: Sendable {
    /// `nil` when one of the two directions could not be decided.
    public var relation: PolicyRelation?
    /// Requests the new policy allows and the old one does not (certified).
    public var newOnly: Verdict
    /// Requests the old policy allows and the new one does not (certified).
    public var oldOnly: Verdict

    /// Why the relation is unknown, when it is.
    public var unknownReason: UnknownReason? {
        if case .unknown(let reason) = newOnly { return reason }
        if case .unknown(let reason) = oldOnly { return reason }
        return nil
    }
}

extension Prover {
    /// Compares what `old` and `new` allow. Each direction is a separate proof: `newOnly` passes when the
    /// new policy grants nothing the old one does not. Up to `counterexamples` distinct witnesses per side.
    public func compare(_ old: PolicyUnderTest, _ new: PolicyUnderTest, counterexamples: Int = 1) -> Comparison {
        switch session([old, new], labels: ["old", "new"]) {
        case .failure(let reason):
            return Comparison(relation: nil, newOnly: .unknown(reason), oldOnly: .unknown(reason))
        case .success(let session):
            func direction(_ gained: Int, _ lost: Int) -> Verdict {
                session.counterexamples({ allows in try allows[gained].and(allows[lost].not()) }, limit: counterexamples) { $0[gained].allows && !$0[lost].allows }
            }
            let newOnly = direction(1, 0)
            let oldOnly = direction(0, 1)
            let relation: PolicyRelation?
            switch (newOnly, oldOnly) {
            case (.pass, .pass): relation = .equivalent
            case (.pass, .fail): relation = .less
            case (.fail, .pass): relation = .more
            case (.fail, .fail): relation = .incomparable
            default: relation = nil
            }
            return Comparison(relation: relation, newOnly: newOnly, oldOnly: oldOnly)
        }
    }

    /// Whether `new` grants nothing that `old` does not: PASS, or FAIL with the new access.
    public func noNewAccess(old: PolicyUnderTest, new: PolicyUnderTest, counterexamples: Int = 1) -> Verdict {
        switch session([old, new], labels: ["old", "new"]) {
        case .failure(let reason): return .unknown(reason)
        case .success(let session):
            return session.counterexamples({ allows in try allows[1].and(allows[0].not()) }, limit: counterexamples) { $0[1].allows && !$0[0].allows }
        }
    }
}
