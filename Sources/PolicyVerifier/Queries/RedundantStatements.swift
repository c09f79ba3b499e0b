import PolicyLanguage
import SMT

/// What is wrong with one statement that changes nothing.
public enum StatementRedundancy: Sendable, Equatable {
    /// An Allow every request of which a Deny of the same policy denies.
    case shadowedByDeny
    /// Removing the statement leaves the policy's meaning unchanged.
    case redundant
}

/// A statement that does not affect the policy, with the proof's kind.
public struct RedundantStatement: Sendable {
    public var statement: StatementReference
    public var kind: StatementRedundancy
}

/// The answer of `Prover.redundantStatements`.
public struct RedundancyReport: Sendable {
    public var redundant: [RedundantStatement]
    /// Statements that could not be decided, with the reason.
    public var unknown: [(StatementReference, UnknownReason)]
}

extension Prover {
    /// Finds the statements whose removal changes nothing (each a proof), and the Allow statements fully
    /// under a Deny. One encoding, one solver call per statement.
    public func redundantStatements(_ policy: PolicyUnderTest) -> RedundancyReport {
        var report = RedundancyReport(redundant: [], unknown: [])
        let statements = policy.policy.statements
        func reference(_ statement: Statement) -> StatementReference {
            StatementReference(role: policy.role, level: 0, file: policy.policy.file, statementIndex: statement.index, sid: statement.sid?.value, effect: statement.effect?.value, span: statement.span)
        }
        switch session([policy], labels: ["policy"]) {
        case .failure(let reason):
            report.unknown = statements.map { (reference($0), reason) }
        case .success(let session):
            let applies = session.encoding.applies[0]
            let context = session.encoding.context
            for (position, statement) in statements.enumerated() {
                guard let effect = statement.effect?.value else { continue }
                do {
                    let sameEffect = statements.indices.filter { $0 != position && statements[$0].effect?.value == effect }.map { applies[$0] }
                    let otherEffect = statements.indices.filter { statements[$0].effect?.value != nil && statements[$0].effect?.value != effect }.map { applies[$0] }
                    // Redundant: whenever it applies, the decision is the same without it.
                    let witness: Term
                    if effect == .allow {
                        if case .success(true) = session.isUnsatisfiable(try applies[position].and(context.or(otherEffect).not())) {
                            report.redundant.append(RedundantStatement(statement: reference(statement), kind: .shadowedByDeny))
                            continue
                        }
                        witness = try context.and([applies[position], context.or(otherEffect).not(), context.or(sameEffect).not()])
                    } else {
                        witness = try context.and([applies[position], context.or(otherEffect), context.or(sameEffect).not()])
                    }
                    switch session.isUnsatisfiable(witness) {
                    case .success(true): report.redundant.append(RedundantStatement(statement: reference(statement), kind: .redundant))
                    case .success(false): break
                    case .failure(let reason): report.unknown.append((reference(statement), reason))
                    }
                } catch {
                    report.unknown.append((reference(statement), .solver("\(error)")))
                }
            }
        }
        return report
    }
}
