import ArgumentParser
import Foundation
import PolicyExplorer
import PolicyLanguage
import PolicyVerifier

/// `policyprover explore FILE`: walks the counterexamples of one property in a terminal UI.
struct Explore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Walk the counterexamples of a property in a terminal UI: next, why, generalize, exclude, fix and re-prove.",
        discussion: """
            Give the property: --no-public, --no-external (with a zone of trust), --against OLD (no new \
            access compared with OLD), or --spec SPEC.yaml (the invariant named by --invariant, else the \
            first one that fails). Every counterexample is certified by the concrete evaluator; when none \
            is left the screen shows what Z3 proved (unsat).

            With --no-public, --trusted-account names the account that owns the resource: a fix may \
            then keep access within it (aws:PrincipalAccount).

            Keys: n next, p previous, g generalize, w why, x exclude, f fix (and re-prove), u undo, \
            s save, e export, ? help, q quit.

            The explorer needs a terminal. In scripts and CI use `policyprover check --format json` \
            (or `diff --format json`), which reports the same counterexamples.

            Exit status: 0 the (edited) policy has the property, proved; 1 a counterexample was shown \
            last; 2 usage error or unreadable input, or not a terminal; 3 the last answer was UNKNOWN.

            Examples:
              policyprover explore --no-public bucket-policy.json
              policyprover explore --spec Policies/specs/no-iam-writes.yaml policy.json
              policyprover explore --against old.json new.json
            """
    )

    @Argument(help: "The policy to explore (JSON or YAML; fixes are written into JSON).")
    var file: String

    @Option(help: "A spec file: explore one of its invariants.")
    var spec: String?

    @Option(help: "With --spec: the invariant to explore (default: the first that fails).")
    var invariant: String?

    @Option(help: "Explore the access FILE grants that this older version does not (no new access).")
    var against: String?

    @Option(help: "Where s saves the edited policy (default: FILE's name with .fixed before the extension).")
    var output: String?

    @Option(name: .customLong("export"), help: "Where e writes the counterexamples (default: FILE's name with .counterexamples.json).")
    var exportPath: String?

    @OptionGroup var access: AccessOptions
    @OptionGroup var proof: ProofOptions

    @Option(name: .long, help: "When to colour: auto (without NO_COLOR), always, never.")
    var color: ColorChoice = .auto

    func validate() throws {
        let asked = [spec != nil, against != nil, access.noPublic, access.noExternal].filter { $0 }.count
        guard asked == 1 else {
            throw ValidationError(asked == 0 ? "say what to explore: --no-public, --no-external, --against OLD or --spec SPEC.yaml" : "explore one property at a time: give only one of --no-public, --no-external, --against and --spec")
        }
        if invariant != nil && spec == nil { throw ValidationError("--invariant names an invariant of --spec") }
        if access.noExternal && access.trustedAccounts.isEmpty && access.trustedOrganizations.isEmpty {
            throw ValidationError("--no-external needs a zone of trust: give --trusted-account or --trusted-org")
        }
    }

    func run() throws {
        guard Terminal.isInteractive else {
            FileHandleOutput.standardError("error: explore is interactive and needs a terminal (standard input and output are not both one).\nIn scripts and CI use: policyprover check --format json \(access.noPublic ? "--no-public " : "")\(spec.map { "--spec \($0) " } ?? "")\(file)\(against.map { "\n  or: policyprover diff --format json \($0) \(file)" } ?? "")\n")
            throw ExitStatus.invalidInput.exitCode
        }
        var loader = PolicyLoader(limits: proof.inputLimits.readLimits)
        let policy = loader.load(file)
        let old = against.flatMap { loader.load($0) }
        if let status = loader.reportFailures(useColor: false) { throw status.exitCode }
        guard let policy, case .success(let bytes) = SourceReader.readBytes(contentsOf: file) else { throw ExitStatus.invalidInput.exitCode }
        let prover = Prover(timeout: .milliseconds(Int(proof.timeout * 1000)), deadline: proof.solverLimits.start())
        let underTest = proof.underTest(policy)
        let (title, property) = try question(for: underTest, old: old, prover: prover)
        var session = ExplorerSession(
            state: ExplorerState(title: title, property: property, policy: underTest, source: String(decoding: bytes, as: UTF8.self)),
            engine: ExplorerEngine(prover: prover, property: property, ownerAccount: access.trustedAccounts.first),
            savePath: output ?? Self.sibling(of: file, suffix: ".fixed", keepingExtension: true),
            exportPath: exportPath ?? Self.sibling(of: file, suffix: ".counterexamples.json", keepingExtension: false),
            useColor: color.allowsColor(onTerminal: true))
        try session.run()
        print(session.summary)
        if session.exitStatus != .passed { throw session.exitStatus.exitCode }
    }

    /// The property and its title from the flags.
    private func question(for policy: PolicyUnderTest, old: Policy?, prover: Prover) throws -> (String, ExplorationProperty) {
        if let old { return ("no new access compared with \(against!)", .noNewAccess(old: proof.underTest(old))) }
        let proved = try ProvedInvariants.load(spec: spec, access: access, useColor: false)
        var invariants = proved.invariants
        if let invariant {
            invariants = invariants.filter { $0.name == invariant }
            guard !invariants.isEmpty else {
                FileHandleOutput.standardError("error: \(spec!) has no invariant named \(invariant) (it has: \(proved.invariants.map(\.name).joined(separator: ", ")))\n")
                throw ExitStatus.invalidInput.exitCode
            }
        }
        guard let first = invariants.first else {
            FileHandleOutput.standardError("error: \(spec ?? "the command line") states no invariant to explore\n")
            throw ExitStatus.invalidInput.exitCode
        }
        // With a spec and no --invariant: the first invariant that fails, else the first.
        let chosen = invariant == nil && invariants.count > 1
            ? invariants.first { prover.prove($0, for: policy, zone: proved.zone, resourceType: access.resourceType, findingLimit: 1).verdict.isFail } ?? first
            : first
        return (chosen.name, ExplorationProperty(chosen, zone: proved.zone, resourceType: access.resourceType))
    }

    /// `dir/name.json` → `dir/name<suffix>.json` (or `dir/name<suffix>` without the extension).
    static func sibling(of path: String, suffix: String, keepingExtension: Bool) -> String {
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().lastPathComponent
        let name = stem + suffix + (keepingExtension && !url.pathExtension.isEmpty ? "." + url.pathExtension : "")
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? name : directory + "/" + name
    }
}
