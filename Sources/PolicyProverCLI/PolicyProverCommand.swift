import ArgumentParser
import Foundation

/// The `policyprover` root command: it only lists the subcommands.
@main
struct PolicyProverCommand: ParsableCommand {
    /// Runs the command, mapping ArgumentParser's usage errors (64) to PolicyProver's exit code 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                let message = fullMessage(for: error)
                FileHandleOutput.standardError(message + "\n")
                Foundation.exit(ExitStatus.invalidInput.rawValue)
            }
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "policyprover",
        abstract: "Prove facts about AWS IAM policies: least privilege, no public access, no new access.",
        discussion: """
            Exit codes: 0 every check passed; 1 a check failed; 2 usage error or a file that could not be \
            read or is not a valid policy; 3 no failure, but some check was UNKNOWN.

            Examples:
              policyprover validate policy.json
              policyprover validate --format json Policies/
              policyprover validate --policy-type trust role-trust.yaml
            """,
        version: PolicyProverVersion.current,
        subcommands: [Validate.self, Simulate.self, Check.self, Diff.self, Audit.self, Merge.self, Explore.self]
    )
}

/// The tool's version, also part of cache keys later on.
enum PolicyProverVersion {
    static let current = "0.1.0"
}
