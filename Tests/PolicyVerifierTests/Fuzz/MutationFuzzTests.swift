import Foundation
import PolicyLanguage
import Testing
@testable import PolicyVerifier

/// Structure-aware mutation fuzzing (issue 11): valid policies (Policies/, and ../shared/corpus when
/// present) are mutated (PolicyMutator.swift), and for each mutant validate, simulate and check must not
/// crash, the SMT encoding must agree with the evaluator on requests near the mutant and its seed
/// (NearRequests.swift, through `Differential.run`), and the prover's verdicts must hold up: no
/// `internalError`, every FAIL's counterexamples re-certified here with `PolicyEvaluator`, and every
/// PASS checked against the sampled requests (none of those the encoding can represent may break it).
///
/// Environment (scripts/mutation-fuzz.sh runs long campaigns):
/// - `MUTATION_SECONDS`: run for that many seconds (then `MUTATION_COUNT` is ignored);
/// - `MUTATION_COUNT`: how many mutants (default 16: under ~10 s in a debug build on two cores);
/// - `MUTATION_SEED`: mutant `i` is drawn from seed + i (default 20250611), so one failing mutant
///   replays with `MUTATION_SEED=<its seed> MUTATION_COUNT=1` (given the same ../shared);
/// - `MUTATION_WORKERS`: parallel workers (default: the cores, at most 8);
/// - `MUTATION_REQUESTS`: near requests per mutant (default 10; half as many more near the seed);
/// - `MUTATION_VERBOSE`: print every mutant's seed and edits;
/// - `MUTATION_MINIMISE=0`: do not shrink the first failing differential pair of each mutant.
///
/// Before a mutant is processed its text is written to `.fuzz/mutation/current.json` (worker k > 0:
/// `current-k.json`), so a crash leaves the input behind. Failures go to
/// `.fuzz/mutation/failures/<mutant seed>.json` and are reported with `Issue.record`.
@Suite("Mutation fuzzing: validate, simulate, check")
struct MutationFuzzTests {
    @Test func mutatedPoliciesHoldTheirProperties() async throws {
        let environment = ProcessInfo.processInfo.environment
        let seconds = environment["MUTATION_SECONDS"].flatMap { Double($0) }
        let count = environment["MUTATION_COUNT"].flatMap { Int($0) } ?? 16
        let seed = environment["MUTATION_SEED"].flatMap { UInt64($0) } ?? 20_250_611
        let workers = max(1, environment["MUTATION_WORKERS"].flatMap { Int($0) } ?? min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let perMutant = max(1, environment["MUTATION_REQUESTS"].flatMap { Int($0) } ?? 10)
        let setUp = ContinuousClock.now
        let seeds = MutationSeeds.all
        try #require(!seeds.isEmpty, "no seed policies found under \(VerifierPaths.repositoryRoot.path)/Policies")
        if !VerifierPaths.managedIsPresent { print("MutationFuzz: ../shared/corpus is absent: seeds from Policies/ only") }
        let fuzzer = MutationFuzzer(seeds: seeds, perMutant: perMutant)
        print("MutationFuzz: \(seeds.count) seeds and donors ready after \(Differential.seconds(ContinuousClock.now - setUp))")
        let started = ContinuousClock.now
        let deadline = seconds.map { started + .milliseconds(Int64($0 * 1000)) }

        // Workers take mutants by index; mutant i depends only on seed + i.
        let tally = await withTaskGroup(of: MutationTally.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var tally = MutationTally()
                    var index = worker
                    while deadline.map({ ContinuousClock.now < $0 }) ?? (index < count) {
                        fuzzer.run(seed &+ UInt64(index), worker: worker, into: &tally)
                        index += workers
                    }
                    return tally
                }
            }
            var total = MutationTally()
            for await part in group { total.merge(part) }
            return total
        }
        let elapsed = ContinuousClock.now - started
        print("MutationFuzz: \(tally.summary), elapsed \(Differential.seconds(elapsed)), seed \(seed), \(workers) workers, \(seeds.count) seed policies")
        if !tally.unknownReasons.isEmpty {
            print("MutationFuzz: undecided verdicts: " + tally.unknownReasons.sorted { $0.value > $1.value }.prefix(6).map { "\($0.value)× \($0.key)" }.joined(separator: "; "))
        }
        if !tally.outsideReasons.isEmpty {
            print("MutationFuzz: outside the request space: " + tally.outsideReasons.sorted { $0.value > $1.value }.prefix(8).map { "\($0.value)× \($0.key)" }.joined(separator: "; "))
        }
        for (bug, hits) in tally.knownBugHits.sorted(by: { $0.key < $1.key }) {
            print("MutationFuzz: known bug \(bug): \(hits) failures (MUTATION_KNOWN_BUGS=fail reports them)")
        }
        for sample in tally.knownBugSamples { print("MutationFuzz: known bug sample: \(sample)") }
        for failure in tally.failures.sorted(by: { $0.mutantSeed < $1.mutantSeed }).prefix(10) {
            Issue.record("\(failure.report)")
        }
        if !tally.failures.isEmpty {
            Issue.record("\(tally.failures.count) failures in all (in .fuzz/mutation/failures/): \(tally.summary)")
        }
        // Not vacuous: most mutants parse, many are evaluable, pairs are checked, verdicts decided.
        #expect(tally.mutants > 0)
        #expect(tally.evaluable * 2 >= tally.mutants, "only \(tally.evaluable) of \(tally.mutants) mutants are evaluable")
        #expect(tally.agreed > 0 && tally.verdictPass + tally.verdictFail > 0, "\(tally.summary)")
    }

    // MARK: Regressions (found by this fuzzer, minimised)

    /// Found from mutant seed 123 (seed 42): a Principal in an identity policy (a validation error, but
    /// the policy is evaluable, and the evaluator ignores the Principal of identity-side policies) made
    /// the encoding's domain exclude the user it names, so a proof missed that user's requests.
    @Test
    func identitySidePrincipalDoesNotHideTheUserItNames() throws {
        let text = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/alice"}}}]}"#
        let parsed = PolicyParser.parse(text: text, file: "identity-principal.json")
        let policy = try #require(parsed.policy)
        try #require(parsed.isEvaluable)
        let request = DiffRequest(principal: "arn:aws:iam::111122223333:user/alice", action: "s3:GetObject", resource: "arn:aws:s3:::b/x")
        #expect(PolicyEvaluator().applicableStatements(of: policy, role: .identity, request: request.request).allows)
        for role in [PolicyRole.identity, .session, .permissionsBoundary, .scp] {
            let verdict = Differential.check(policy, role: role, request)
            #expect(!verdict.isFailure, "\(role.rawValue): \(verdict)")
        }
        let verdict = Prover(timeout: .seconds(5)).neverAllows(PolicyUnderTest(policy, role: .identity), actions: ["s3:GetObject"])
        #expect(verdict.isFail, "neverAllows should find alice's request: \(verdict)")
    }

    /// Found from mutant seed 1796144898 (a CloudFront sample with its Resource made
    /// `arn:aws:s3:::${aws:username}`): requests of the CloudFront origin access identity, a caller
    /// bucket policies name, are excluded from the domain once a policy reads a key derived from the
    /// caller, although `constraints(fixing:)` represents them.
    @Test(.disabled("bug: a caller with a non-IAM account or name (CloudFront OAI) is representable but outside the domain"))
    func originAccessIdentityIsInTheDomain() throws {
        let text = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:username":"x"}}}]}"#
        let parsed = PolicyParser.parse(text: text, file: "oai.json")
        let policy = try #require(parsed.policy)
        try #require(parsed.isEvaluable)
        let oai = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity EH1HDMB1FH2TC"
        for request in [
            DiffRequest(principal: oai, action: "s3:GetObject", resource: "arn:aws:s3:::b/x"),
            DiffRequest(principal: "arn:aws:iam::111122223333:user/a b", action: "s3:GetObject", resource: "arn:aws:s3:::b/x"),
        ] {
            let verdict = Differential.check(policy, role: .resource, request)
            #expect(!verdict.isFailure, "\(request): \(verdict)")
        }
    }
}
