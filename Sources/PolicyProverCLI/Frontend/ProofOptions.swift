import ArgumentParser
import PolicyLanguage
import PolicyVerifier

/// Options shared by the commands that prove properties (`diff`, `check`).
struct ProofOptions: ParsableArguments {
    @Option(help: "Seconds Z3 may spend on each proof before the answer is UNKNOWN.")
    var timeout: Double = 10

    @Option(help: "How many distinct counterexamples to show per failed property.")
    var counterexamples: Int = 1

    @Option(name: .customLong("policy-type"), help: "Read every policy as this type (default: inferred from each document): \(PolicyType.allCases.map(\.rawValue).joined(separator: ", ")).")
    var policyType: PolicyType?

    @OptionGroup var inputLimits: InputLimitOptions
    @OptionGroup var solverLimits: SolverLimitOptions

    func validate() throws {
        guard timeout > 0, timeout <= 86_400 else { throw ValidationError("--timeout must be between 0 and 86400 seconds") }
        guard (1...100).contains(counterexamples) else { throw ValidationError("--counterexamples must be between 1 and 100") }
    }

    /// The command's prover, under its deadline and memory limit, with Ctrl-C and SIGTERM stopping
    /// its checks (`RunInterruption`). Call once, when the proving starts.
    func startProver() -> Prover {
        let deadline = solverLimits.start()
        RunInterruption.install(deadline: deadline, stopping: "stopping: the questions still open are UNKNOWN (press Ctrl-C again to quit at once)", lastWords: "interrupted")
        return Prover(timeout: .milliseconds(Int(timeout * 1000)), deadline: deadline)
    }

    /// The policy with the role its (given or inferred) type implies.
    func underTest(_ policy: Policy) -> PolicyUnderTest {
        PolicyUnderTest(policy, type: policyType ?? policy.inferType().type)
    }
}

extension Verdict {
    /// The exit status this verdict alone calls for.
    var exitStatus: ExitStatus {
        switch self {
        case .pass: .passed
        case .fail: .failed
        case .unknown: .unknown
        }
    }
}

extension ExitStatus {
    /// The more serious of two statuses: invalid input, then failure, then unknown, then pass.
    func combined(with other: ExitStatus) -> ExitStatus {
        let order: [ExitStatus] = [.passed, .unknown, .failed, .invalidInput]
        return order.firstIndex(of: self)! >= order.firstIndex(of: other)! ? self : other
    }
}
