import Foundation
import PolicyLanguage
import Testing
@testable import PolicyVerifier

// The mutation fuzzer's parts (MutationFuzzTests.swift runs it): the seeds, one mutant's pipeline
// (validate, simulate, the differential, the checks), the tally, and the known bugs.

// MARK: - Seeds

struct MutationSeed: Sendable {
    var name: String
    var tree: FuzzJSON
    var policy: Policy
    var type: PolicyType
    var role: PolicyRole { PolicyUnderTest(policy, type: type).role }
}

enum MutationSeeds {
    /// Valid, evaluable seed policies of modest size, in a stable order.
    static let all: [MutationSeed] = {
        let root = VerifierPaths.repositoryRoot
        var files = jsonFiles(under: root.appendingPathComponent("Policies"))
        files += jsonFiles(under: VerifierPaths.shared.appendingPathComponent("corpus/samples"))
        files += jsonFiles(under: VerifierPaths.managed)
        var seen: Set<String> = []
        var seeds: [MutationSeed] = []
        let validator = PolicyValidator(catalog: .bundled)
        for url in files {
            guard let data = FileManager.default.contents(atPath: url.path), data.count <= 4_000,
                let text = String(data: data, encoding: .utf8), seen.insert(text).inserted else { continue }
            let parsed = PolicyParser.parse(text: text, file: url.lastPathComponent)
            guard parsed.isEvaluable, let policy = parsed.policy, (1...30).contains(policy.statements.count),
                let tree = FuzzJSON.parse(text), tree["Statement"] != nil else { continue }
            let type = seedType(url.lastPathComponent, policy)
            guard !validator.validate(policy, as: type).contains(where: { $0.severity == .error }) else { continue }
            seeds.append(MutationSeed(name: url.path.replacingOccurrences(of: root.deletingLastPathComponent().path + "/", with: ""), tree: tree, policy: policy, type: type))
        }
        return seeds
    }()

    static func jsonFiles(under directory: URL) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
        return enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }.sorted { $0.path < $1.path }
    }

    /// The type the file name says (Policies/samples/README.md), else the inferred one.
    static func seedType(_ name: String, _ policy: Policy) -> PolicyType {
        for (prefix, type) in [("identity-", PolicyType.identity), ("s3-bucket-", .resource), ("bucket-", .resource), ("trust-", .trust), ("scp-", .scp), ("rcp-", .rcp)]
        where name.hasPrefix(prefix) {
            return type
        }
        return policy.inferType().type
    }
}

// MARK: - One mutant

/// A property that did not hold, with what replays it.
struct MutationFailure: Sendable {
    var mutantSeed: UInt64
    var seedName: String
    var role: PolicyRole
    var mutations: [String]
    var mutant: String
    var request: String
    var what: String

    var report: String {
        """
        MUTATION FAILURE (replay: MUTATION_SEED=\(mutantSeed) MUTATION_COUNT=1 MUTATION_WORKERS=1): \(what)
        seed \(seedName), mutations \(mutations), \(role.rawValue) policy:
        \(mutant)request: \(request)
        """
    }

    var json: String {
        let members = [
            "\"mutantSeed\": \(mutantSeed)", "\"seed\": \(FuzzJSON.quoted(seedName))", "\"role\": \(FuzzJSON.quoted(role.rawValue))",
            "\"mutations\": [\(mutations.map(FuzzJSON.quoted).joined(separator: ", "))]", "\"what\": \(FuzzJSON.quoted(what))",
            "\"request\": \(request.hasPrefix("{") ? request : FuzzJSON.quoted(request))", "\"mutant\": \(FuzzJSON.quoted(mutant))",
        ]
        return "{\n  " + members.joined(separator: ",\n  ") + "\n}\n"
    }
}

struct MutationTally: Sendable {
    var mutants = 0, parsed = 0, valid = 0, evaluable = 0, requests = 0
    var pairs = 0, agreed = 0, allowed = 0, outside = 0, unknownPairs = 0, unencodable = 0
    var verdictPass = 0, verdictFail = 0, verdictUnknown = 0, sampledChecks = 0
    var unknownReasons: [String: Int] = [:], outsideReasons: [String: Int] = [:]
    /// Failures that a known, reported bug explains (KnownBug), by bug, with a few samples.
    var knownBugHits: [String: Int] = [:]
    var knownBugSamples: [String] = []
    var failures: [MutationFailure] = []

    mutating func merge(_ other: MutationTally) {
        allowed += other.allowed
        mutants += other.mutants; parsed += other.parsed; valid += other.valid; evaluable += other.evaluable; requests += other.requests
        pairs += other.pairs; agreed += other.agreed; outside += other.outside; unknownPairs += other.unknownPairs; unencodable += other.unencodable
        verdictPass += other.verdictPass; verdictFail += other.verdictFail; verdictUnknown += other.verdictUnknown; sampledChecks += other.sampledChecks
        unknownReasons.merge(other.unknownReasons, uniquingKeysWith: +)
        outsideReasons.merge(other.outsideReasons, uniquingKeysWith: +)
        knownBugHits.merge(other.knownBugHits, uniquingKeysWith: +)
        knownBugSamples = Array((knownBugSamples + other.knownBugSamples).prefix(3))
        failures += other.failures
    }

    var summary: String {
        "\(mutants) mutants (\(parsed) parsed, \(valid) valid, \(evaluable) evaluable), \(requests) requests simulated, "
            + "differential: \(pairs) pairs, \(agreed) agreed (\(allowed) allowed), \(outside) outside, \(unknownPairs) unknown, \(unencodable) unencodable; "
            + "verdicts: \(verdictPass) pass, \(verdictFail) fail, \(verdictUnknown) unknown (\(sampledChecks) sampled checks); \(failures.count) failures"
            + (knownBugHits.isEmpty ? "" : " (and \(knownBugHits.values.reduce(0, +)) explained by known bugs)")
    }
}

struct MutationFuzzer: Sendable {
    let seeds: [MutationSeed]
    let perMutant: Int
    let mutator: PolicyMutator
    let evaluator = PolicyEvaluator(catalog: .bundled)
    let validator = PolicyValidator(catalog: .bundled)
    let prover = Prover(timeout: .seconds(5))
    let directory: URL = VerifierPaths.repositoryRoot.appendingPathComponent(".fuzz/mutation")
    /// The seeds not from the managed corpus (conditions, principals and resource policies are there).
    let handWritten: [MutationSeed]

    init(seeds: [MutationSeed], perMutant: Int) {
        self.seeds = seeds
        self.perMutant = perMutant
        handWritten = seeds.filter { !$0.name.contains("aws-managed") }
        mutator = PolicyMutator(donors: MutationDonors(trees: seeds.map(\.tree), catalog: .bundled))
        try? FileManager.default.createDirectory(at: directory.appendingPathComponent("failures"), withIntermediateDirectories: true)
    }

    /// `MUTATION_VERBOSE`: print every mutant's seed and edits.
    static let verbose = ProcessInfo.processInfo.environment["MUTATION_VERBOSE"] != nil
    /// `MUTATION_MINIMISE=0`: do not shrink the first failing differential pair of a mutant.
    static let minimise = ProcessInfo.processInfo.environment["MUTATION_MINIMISE"] != "0"

    static let otherRoles: [PolicyRole] = [.identity, .resource, .scp, .rcp, .permissionsBoundary, .session]

    func run(_ mutantSeed: UInt64, worker: Int, into tally: inout MutationTally) {
        var rng = DiffRNG(seed: mutantSeed)
        // Half the mutants from the hand-written seeds (Policies/, the samples), half from the managed ones.
        let seed = rng.pick(rng.chance(0.5) && !handWritten.isEmpty ? handWritten : seeds)
        let (tree, mutations) = mutator.mutate(seed.tree, &rng)
        let text = tree.text
        tally.mutants += 1
        let mutantStarted = ContinuousClock.now
        defer { if Self.verbose { print("MutationFuzz: mutant \(mutantSeed) took \(Differential.seconds(ContinuousClock.now - mutantStarted))") } }
        // The input first, so that a crash leaves it behind.
        let current = directory.appendingPathComponent(worker == 0 ? "current.json" : "current-\(worker).json")
        try? Data(text.utf8).write(to: current)
        try? Data("mutant seed \(mutantSeed), seed \(seed.name), mutations \(mutations)\n".utf8).write(to: current.deletingPathExtension().appendingPathExtension("txt"))
        if Self.verbose { print("MutationFuzz: mutant \(mutantSeed) of \(seed.name): \(mutations)") }

        var role = seed.role
        var found: [MutationFailure] = []
        var policyForBugs: Policy?
        func fail(_ what: String, _ request: String = "") {
            if let knownBug = KnownBug.all.first(where: { $0.applies(policyForBugs, role) && $0.explains(what, request) }), !Self.knownBugsFail {
                tally.knownBugHits[knownBug.name, default: 0] += 1
                if tally.knownBugSamples.count < 3 { tally.knownBugSamples.append("\(knownBug.name) (mutant seed \(mutantSeed)): \(what.prefix(200)) \(request)") }
                return
            }
            let failure = MutationFailure(mutantSeed: mutantSeed, seedName: seed.name, role: role, mutations: mutations, mutant: text, request: request, what: what)
            tally.failures.append(failure)
            found.append(failure)
            let list = "[\n" + found.map(\.json).joined(separator: ",\n") + "]\n"
            try? Data(list.utf8).write(to: directory.appendingPathComponent("failures/\(mutantSeed).json"))
        }

        // validate
        let parsed = PolicyParser.parse(text: text, file: "mutant.json")
        guard let policy = parsed.policy else { return }
        tally.parsed += 1
        let inferred = policy.inferType().type
        var findings = parsed.findings + validator.validate(policy, as: seed.type)
        if inferred != seed.type { findings += validator.validate(policy, as: inferred) }
        for finding in findings { _ = finding.message.count + finding.notes.count }
        if !findings.contains(where: { $0.severity == .error }) { tally.valid += 1 }
        guard parsed.isEvaluable else { return }
        tally.evaluable += 1
        if rng.chance(0.1) { role = rng.chance(0.5) ? PolicyUnderTest(policy, type: inferred).role : rng.pick(Self.otherRoles) }
        policyForBugs = policy

        // simulate
        let requests = NearRequests.make(policy, role: role, count: perMutant, catalog: evaluator.catalog, &rng)
            + NearRequests.make(seed.policy, role: seed.role, count: (perMutant + 1) / 2, catalog: evaluator.catalog, &rng)
        for request in requests {
            simulate(policy, role: role, request, fail: fail)
            tally.requests += 1
        }

        // The encoding against the evaluator: the mutant alone, and with its seed (the query of the checks).
        var timing = DifferentialTiming()
        let alone = Differential.run([(policy, role)], requests, timing: &timing)
        let paired = Differential.run([(seed.policy, seed.role), (policy, role)], requests, timing: &timing)
        var minimised = false
        for (index, (request, verdict)) in zip(requests + requests, alone + paired).enumerated() {
            tally.pairs += 1
            switch verdict {
            case .agree(let allows):
                tally.agreed += 1
                if allows { tally.allowed += 1 }
            case .outside(let why):
                tally.outside += 1
                tally.outsideReasons[why, default: 0] += 1
                if Self.verbose { print("MutationFuzz: outside (\(why)): \(request)") }
            case .unknown: tally.unknownPairs += 1
            case .unencodable, .unparsable: tally.unencodable += 1
            case .gap where !StringShape.action.contains(request.action):
                // Not `service:name`: outside the action space by design (ActionSpace).
                tally.outside += 1
            case .unsat, .disagree, .gap:
                var what = "differential (\(index < requests.count ? "the mutant alone" : "seed and mutant")): \(verdict)"
                if Self.minimise, !minimised, Self.knownBugsFail || !KnownBug.all.contains(where: { $0.applies(policy, role) && $0.explains(what, "\(request)") }) {
                    // The first failing pair of a mutant, shrunk while it fails the same way.
                    minimised = true
                    let kind = verdict.failureKind
                    let withSeed = index >= requests.count
                    let (small, smallRequest) = MutantMinimiser.minimise(tree, request) { tree, request in
                        let parsed = PolicyParser.parse(text: tree.text, file: "mutant.json")
                        guard parsed.isEvaluable, let policy = parsed.policy else { return false }
                        let policies = withSeed ? [(seed.policy, seed.role), (policy, role)] : [(policy, role)]
                        var timing = DifferentialTiming()
                        return Differential.run(policies, [request], timing: &timing)[0].failureKind == kind
                    }
                    what += "\nminimised \(role.rawValue) policy\(withSeed ? " (with the seed as policy 0)" : ""):\n\(small.text)request: \(smallRequest)"
                }
                fail(what, "\(request)")
            }
        }
        // Requests the checks' encodings can represent (the evaluator is the reference on them).
        let representable = zip(requests, alone).filter { Self.isRepresentable($0.0, $0.1) }.map(\.0.request)
        let representablePair = zip(requests, paired).filter { Self.isRepresentable($0.0, $0.1) }.map(\.0.request)

        let checksStarted = ContinuousClock.now
        if Self.verbose { print("MutationFuzz: mutant \(mutantSeed): \(policy.statements.count) statements, \(text.utf8.count) bytes, differential \(Differential.seconds(checksStarted - mutantStarted)) (\(timing.description))") }
        defer { if Self.verbose { print("MutationFuzz: mutant \(mutantSeed): checks \(Differential.seconds(ContinuousClock.now - checksStarted))") } }

        // check
        let old = PolicyUnderTest(seed.policy, role: seed.role), new = PolicyUnderTest(policy, role: role)
        func allows(_ policy: PolicyUnderTest, _ request: Request) -> Bool {
            evaluator.applicableStatements(of: policy.policy, role: policy.role, request: request).allows
        }
        func judge(_ name: String, _ verdict: Verdict, sample: [Request], holds: (Request) -> Bool) {
            switch verdict {
            case .pass:
                tally.verdictPass += 1
                for request in sample {
                    tally.sampledChecks += 1
                    if !holds(request) { fail("\(name): PASS, but the evaluator finds a request that breaks it", "\(request)") }
                }
            case .fail(let found):
                tally.verdictFail += 1
                if found.isEmpty { fail("\(name): FAIL without a counterexample") }
                for example in found where holds(example.request) {
                    fail("\(name): a counterexample the evaluator does not confirm", "\(example.request)")
                }
            case .unknown(let reason):
                tally.verdictUnknown += 1
                if case .internalError(let what) = reason {
                    fail("\(name): internal error: \(what)")
                } else {
                    tally.unknownReasons[Self.kind(of: reason), default: 0] += 1
                }
            }
        }
        if rng.chance(0.25) {
            let comparison = prover.compare(old, new, counterexamples: 2)
            judge("compare (new only)", comparison.newOnly, sample: representablePair) { !(allows(new, $0) && !allows(old, $0)) }
            judge("compare (old only)", comparison.oldOnly, sample: representablePair) { !(allows(old, $0) && !allows(new, $0)) }
        } else {
            judge("noNewAccess(old: seed, new: mutant)", prover.noNewAccess(old: old, new: new, counterexamples: 2), sample: representablePair) {
                !(allows(new, $0) && !allows(old, $0))
            }
            judge("noNewAccess(old: mutant, new: seed)", prover.noNewAccess(old: new, new: old, counterexamples: 2), sample: representablePair) {
                !(allows(old, $0) && !allows(new, $0))
            }
        }
        if !role.matchesPrincipals {
            let entries = policy.statements.compactMap { $0.action.flatMap { $0.isNot ? nil : $0.patterns.map(\.text) } }.flatMap { $0 }
            let action = entries.isEmpty || rng.chance(0.2) ? NearRequests.action(matching: rng.pick(entries + ["s3:*", "iam:PassRole"]), catalog: evaluator.catalog, &rng) : rng.pick(entries)
            let scope = PolicyUnderTest(ScopePolicy.make(actions: [action], resources: ["*"]), role: .identity)
            judge("neverAllows(mutant, actions: [\(action)])", prover.neverAllows(new, actions: [action], counterexamples: 2), sample: representable) {
                !(allows(new, $0) && allows(scope, $0))
            }
        } else {
            let report = prover.noPublicAccess(new, findingLimit: 3)
            let outsiders = Outsiders(question: .publicAccess, policies: [policy])
            let type = ResourceType.infer(from: policy)
            let scope = type.map { PolicyUnderTest(ScopePolicy.make(actions: $0.actions, resources: ["*"]), role: .identity) }
            judge("noPublicAccess(mutant)", report.verdict, sample: representable) { request in
                !(allows(new, request) && outsiders.admits(request) && scope.map { allows($0, request) } ?? true)
            }
        }
    }

    /// Simulates `request` with the mutant in its place (explained), and checks the decision against
    /// the statements `applicableStatements` finds where the two must agree.
    private func simulate(_ policy: Policy, role: PolicyRole, _ diff: DiffRequest, fail: (String, String) -> Void) {
        let request = diff.request
        let allowAll = ScopePolicy.make(actions: ["*"], resources: ["*"])
        let set: PolicySet
        switch role {
        case .identity: set = PolicySet(identityPolicies: [policy])
        case .resource: set = PolicySet(resourcePolicy: policy)
        case .permissionsBoundary: set = PolicySet(identityPolicies: [allowAll], permissionsBoundary: policy)
        case .session: set = PolicySet(identityPolicies: [allowAll], sessionPolicy: policy)
        case .scp: set = PolicySet(identityPolicies: [allowAll], scpLevels: [[policy]])
        case .rcp: set = PolicySet(identityPolicies: [allowAll], rcpLevels: [[policy]])
        case .vpcEndpoint: set = PolicySet(identityPolicies: [allowAll], vpcEndpointPolicy: policy)
        }
        let decision = evaluator.evaluate(request, policies: set, explain: true)
        _ = decision.reason.count + decision.trace.count
        guard role == .identity, request.action.lowercased() != "sts:getcalleridentity" else { return }
        let outcome = evaluator.applicableStatements(of: policy, role: .identity, request: request)
        if decision.kind == .explicitDeny, outcome.denying.isEmpty {
            fail("simulate: explicit deny, but no Deny statement applies", "\(diff)")
        }
        if decision.kind == .allow, !outcome.allows {
            fail("simulate: allowed, but the policy on its own does not allow", "\(diff)")
        }
        if !decision.trace.isEmpty {
            let traced = Set(decision.trace.filter(\.applies).map(\.statement.statementIndex))
            let applying = Set((outcome.allowing + outcome.denying).map(\.statementIndex))
            if traced != applying { fail("simulate: the trace says statements \(traced.sorted()) apply, applicableStatements \(applying.sorted())", "\(diff)") }
        }
    }

    /// Whether `constraints(fixing:)` represents the request (whatever the encoding then says about it):
    /// a proof covers it, so a PASS must hold on it.
    static func isRepresentable(_ request: DiffRequest, _ verdict: DifferentialVerdict) -> Bool {
        switch verdict {
        case .agree, .unsat, .disagree: true
        case .gap: StringShape.action.contains(request.action)
        case .outside, .unknown, .unencodable, .unparsable: false
        }
    }

    /// `MUTATION_KNOWN_BUGS=fail`: report the failures a known bug explains as failures too.
    static let knownBugsFail = ProcessInfo.processInfo.environment["MUTATION_KNOWN_BUGS"] == "fail"

    static func kind(of reason: UnknownReason) -> String {
        switch reason {
        case .timeout: "timeout"
        case .solver(let what): "solver: \(what.prefix(50))"
        case .unsupported(let what, _): "unsupported: \(what.prefix(50))"
        case .tooComplex: "too complex"
        case .stopped: "stopped"
        case .internalError: "internal error"
        }
    }
}

// MARK: - Known bugs

/// A bug found by the fuzzer and reported, not yet fixed: the failures it explains are counted apart
/// (see the regression tests), so that a campaign looks for new ones. Remove an entry once it is fixed.
struct KnownBug: Sendable {
    var name: String
    /// Whether the bug can show up for this mutant (`nil` before it is parsed) in this role.
    var applies: @Sendable (Policy?, PolicyRole) -> Bool
    /// Whether a failure (its message and request) is one the bug causes.
    var explains: @Sendable (_ what: String, _ request: String) -> Bool

    static let all: [KnownBug] = [
        // A caller IAM would not issue but the evaluator reads as a user or role: an account that is
        // not 12 digits or a name outside IAM's characters or length, as in the CloudFront origin access
        // identity `arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E…` that bucket
        // policies name. `constraints(fixing:)` represents such a request, but when a policy reads a key
        // derived from the caller (aws:username, aws:PrincipalAccount, ${aws:username}, …) the domain
        // requires a 12-digit account and an IAM name, so the request is excluded (UNSAT).
        KnownBug(
            name: "a caller with a non-IAM account or name is excluded from the domain",
            applies: { _, _ in true },
            explains: { what, request in
                guard what.hasPrefix("differential") && what.contains("UNSAT") || what.contains("PASS, but") else { return false }
                return KnownBug.unusualCaller(in: request)
            }),
    ]

    /// Whether the request (as printed) comes from a user or role whose account is not 12 digits or
    /// whose name IAM would not accept.
    static func unusualCaller(in request: String) -> Bool {
        guard let start = request.range(of: #""principal": ""#) ?? request.range(of: "principal: ") else { return false }
        let text = String(request[start.upperBound...].prefix { $0 != "\"" && $0 != "," })
        let principal = RequestPrincipal(text)
        let nameCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@_-")
        func unusual(_ account: String, _ name: String) -> Bool {
            !ARNFields.isAccountID(account) || name.isEmpty || name.count > 64 || !name.unicodeScalars.allSatisfy(nameCharacters.contains)
        }
        switch principal {
        case .user(let account, _, let name)?, .role(let account, _, let name)?: return unusual(account, name)
        case .root(let account)?, .assumedRole(let account, _, _)?, .federatedUser(let account, _)?: return !ARNFields.isAccountID(account)
        default: return false
        }
    }
}
