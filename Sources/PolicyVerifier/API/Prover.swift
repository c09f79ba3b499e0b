import PolicyLanguage
import SMT

/// The entry point of the verifier: proves properties of policies over all possible requests.
///
/// Guarantees: `.pass` only when Z3 proved the property (unsat) over an exact encoding; `.fail` only
/// with counterexamples the concrete evaluator confirmed; everything else is `.unknown` with a reason.
/// A `Prover` is cheap; every query builds its own Z3 context, so queries may run on several threads.
public struct Prover: Sendable {
    public var catalog: ActionCatalog?
    /// The time limit of each solver call.
    public var timeout: Duration
    /// An end shared by every query of a run (a global deadline, or a stop by the user); past it, the
    /// questions still open are `.unknown(.stopped)`.
    public var deadline: SolverDeadline?

    public init(catalog: ActionCatalog? = .bundled, timeout: Duration = .seconds(10), deadline: SolverDeadline? = nil) {
        self.catalog = catalog
        self.timeout = timeout
        self.deadline = deadline
    }

    /// `namedAccounts`: accounts the question names besides the policies (see `PrincipalSpace`);
    /// `caller`: the one user or role the question is about, whose account is then named too.
    func session(_ policies: [PolicyUnderTest], labels: [String], namedAccounts: [String] = [], caller: KnownCaller? = nil) -> Result<QuerySession, UnknownReason> {
        // Past the run's deadline nothing is encoded: every question still open ends at once.
        if let stop = deadline?.passed { return .failure(.stopped(stop.reason)) }
        let accounts = namedAccounts + (caller.map { namedAccounts.contains($0.account) ? [] : [$0.account] } ?? [])
        do throws(EncodingError) {
            return .success(try QuerySession(policies: policies, labels: labels, catalog: catalog, timeout: timeout, deadline: deadline, namedAccounts: accounts, knownCaller: caller?.example))
        } catch {
            return .failure(error.unknownReason)
        }
    }
}
