import Foundation
import PolicyLanguage
import SMT
import Testing
@testable import PolicyVerifier

/// Differential testing of the SMT encoding (`RequestEncoding`) against the concrete evaluator, the
/// reference semantics: for random policies and concrete requests drawn from a small alphabet
/// (DifferentialGenerators.swift), whenever `constraints(fixing:)` says the request is representable,
/// the encoding's domain must admit it (sat), and under it every `allows[i]` and `applies[i][j]` must
/// equal what `PolicyEvaluator.applicableStatements` decides. Most encodings hold one policy; a quarter
/// hold a second one over the same request. When `constraints(fixing:)` gives `nil`, the reason must be
/// one it documents (`outsideReason`); any other is reported as a gap in the request space.
///
/// Environment (for longer campaigns, see scripts/differential.sh):
/// - `DIFFERENTIAL_PAIRS`: how many (encoding, request) pairs to draw (default 3000: about 45 s in a
///   debug build on two cores; checks of policies that read keys derived from the caller cost ~0.05 s);
/// - `DIFFERENTIAL_SEED`: the seed (default 20240611); encoding `i` of a run is drawn from seed + i, so
///   a failure names the seed that replays it;
/// - `DIFFERENTIAL_REQUESTS`: requests per encoding (default 20);
/// - `DIFFERENTIAL_MINIMISE`: for how many kinds of failure to minimise the first pair (default 4; the
///   first three pairs of each kind are reported);
/// - `DIFFERENTIAL_VERBOSE`: print each encoding's check time and every check slower than a second.
///
/// A failure prints the policies' JSON, the request, the seed, and a minimised pair.
@Suite("Differential: encoding vs evaluator")
struct DifferentialTests {
    // MARK: Random pairs

    @Test func randomPairsAgreeWithTheEvaluator() async throws {
        let environment = ProcessInfo.processInfo.environment
        let pairs = environment["DIFFERENTIAL_PAIRS"].flatMap { Int($0) } ?? 3_000
        let seed = environment["DIFFERENTIAL_SEED"].flatMap { UInt64($0) } ?? 20_240_611
        let perPolicy = max(1, environment["DIFFERENTIAL_REQUESTS"].flatMap { Int($0) } ?? 20)
        let policyCount = (pairs + perPolicy - 1) / perPolicy
        let started = ContinuousClock.now

        // Workers take policies by index; each policy draws its own requests from its own seed, so the
        // outcome does not depend on the number of workers.
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let tally = await withTaskGroup(of: DifferentialTally.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var tally = DifferentialTally()
                    for index in stride(from: worker, to: policyCount, by: workers) {
                        let policySeed = seed &+ UInt64(index)
                        var rng = DiffRNG(seed: policySeed)
                        let policies = DiffGen.query(&rng)
                        let requests = (0..<perPolicy).map { _ in DiffGen.request(&rng, near: rng.pick(policies)) }
                        tally.add(Differential.run(policies, requests, timing: &tally.timing), policies: policies, requests: requests, seed: policySeed)
                    }
                    return tally
                }
            }
            var total = DifferentialTally()
            for await part in group { total.merge(part) }
            return total
        }
        let elapsed = ContinuousClock.now - started
        print("Differential: \(tally.summary) in \(Differential.seconds(elapsed)) (seed \(seed), \(workers) workers; CPU: \(tally.timing.description))")
        if !tally.unencodableReasons.isEmpty {
            print("Differential: encoding errors: " + tally.unencodableReasons.sorted { $0.value > $1.value }.prefix(8).map { "\($0.value)× \($0.key)" }.joined(separator: "; "))
        }
        if !tally.outsideReasons.isEmpty {
            print("Differential: outside the request space: " + tally.outsideReasons.sorted { $0.value > $1.value }.map { "\($0.value)× \($0.key)" }.joined(separator: "; "))
        }

        for sample in tally.unknownSamples { print("Differential: undecided check: \(sample)") }

        // Report the first failures of each kind, the first of each of the first `minimise` kinds
        // minimised (minimising re-encodes the policy up to 150 times), each distinct minimised pair once.
        let minimise = environment["DIFFERENTIAL_MINIMISE"].flatMap { Int($0) } ?? 4
        let kinds = tally.samples.keys.sorted()
        let samples = kinds.enumerated().flatMap { kindIndex, kind in
            tally.samples[kind]!.enumerated().map { (sample: $1, minimise: $0 == 0 && kindIndex < minimise) }
        }
        let reports = await withTaskGroup(of: (Int, String, String).self) { group in
            for (index, (sample, minimise)) in samples.enumerated() {
                group.addTask {
                    guard minimise else { return (index, sample.report(minimised: nil), "") }
                    let small = Differential.minimise(sample.policies, sample.request)
                    return (index, sample.report(minimised: small), "\(Differential.describe(small.0))\n\(small.1)")
                }
            }
            var reports: [(Int, String, String)] = []
            for await report in group { reports.append(report) }
            return reports.sorted { $0.0 < $1.0 }
        }
        var seen: Set<String> = []
        for (_, report, key) in reports where key.isEmpty || seen.insert(key).inserted {
            Issue.record("\(report)")
        }
        if tally.failureCount > 0 {
            Issue.record("\(tally.failureCount) failing pairs in all: \(tally.summary)")
        }
        #expect(tally.pairs == policyCount * perPolicy)
        // Not vacuous: most pairs are checked, and both answers occur.
        #expect(Double(tally.checked) >= 0.6 * Double(tally.pairs), "only \(tally.checked) of \(tally.pairs) pairs were checked: \(tally.summary)")
        #expect(tally.allowed >= tally.checked / 20, "the evaluator allowed only \(tally.allowed) of \(tally.checked) pairs")
        #expect(tally.allowed <= tally.checked - tally.checked / 20, "the evaluator allowed \(tally.allowed) of \(tally.checked) pairs")
        #expect(tally.unknown <= tally.checked / 100, "\(tally.unknown) checks were unknown")
    }

    // MARK: Hand-written pairs

    /// A policy, a request and the evaluator's answer, for the trickiest semantics.
    struct HandCase: Sendable, CustomTestStringConvertible {
        var name: String
        var role: PolicyRole
        /// The statements as JSON, written into a 2012-10-17 policy.
        var statements: String
        var request: DiffRequest
        /// Whether the policy allows the request (the evaluator's reading, pinned).
        var allows: Bool
        /// The statements that apply (by position).
        var applying: Set<Int>

        var testDescription: String { name }
    }

    static let alice = "arn:aws:iam::111122223333:user/alice"
    static let session = "arn:aws:sts::111122223333:assumed-role/R/s1"

    static let handCases: [HandCase] = [
        HandCase(
            name: "NotResource + Deny denies resources outside the entry", role: .identity,
            statements: #"{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::b/*","arn:aws:s3:::b"]}"#,
            request: DiffRequest(principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::c/x"), allows: false, applying: [0, 1]),
        HandCase(
            name: "NotResource + Deny spares resources inside the entry", role: .identity,
            statements: #"{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::b/*","arn:aws:s3:::b"]}"#,
            request: DiffRequest(principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/x"), allows: true, applying: [0]),
        HandCase(
            name: "NotResource + Deny covers the literal * of a wildcard-only action", role: .identity,
            statements: #"{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::*"}"#,
            request: DiffRequest(principal: alice, action: "s3:ListAllMyBuckets", resource: "*"), allows: false, applying: [0, 1]),
        HandCase(
            name: "ForAllValues on a missing key holds", role: .identity,
            statements: #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}}"#,
            request: DiffRequest(principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/x"), allows: true, applying: [0]),
        HandCase(
            name: "ForAnyValue on a missing key fails", role: .identity,
            statements: #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}}}"#,
            request: DiffRequest(principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/x"), allows: false, applying: []),
        HandCase(
            name: "ForAllValues on an empty set holds, Null false guards it", role: .identity,
            statements: #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}},{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"Null":{"aws:TagKeys":"true"}}}"#,
            request: DiffRequest(
                principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/x",
                context: [DiffContextEntry(key: "aws:TagKeys", values: [""], isSet: true)]),
            allows: false, applying: [0, 1]),
        HandCase(
            name: "StringNotLike with an unresolved variable holds", role: .identity,
            statements: #"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringNotLike":{"s3:prefix":["home/${aws:username}/*"]}}}"#,
            request: DiffRequest(
                principal: session, action: "s3:ListBucket", resource: "arn:aws:s3:::b",
                context: [DiffContextEntry(key: "s3:prefix", values: ["home/alice/x"], isSet: false)]),
            allows: true, applying: [0]),
        HandCase(
            name: "StringLike with an unresolved variable fails", role: .identity,
            statements: #"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*"]}}}"#,
            request: DiffRequest(
                principal: session, action: "s3:ListBucket", resource: "arn:aws:s3:::b",
                context: [DiffContextEntry(key: "s3:prefix", values: ["home/alice/x"], isSet: false)]),
            allows: false, applying: []),
        HandCase(
            name: "StringLike with a resolved variable", role: .identity,
            statements: #"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*"]}}}"#,
            request: DiffRequest(
                principal: alice, action: "s3:ListBucket", resource: "arn:aws:s3:::b",
                context: [DiffContextEntry(key: "s3:prefix", values: ["home/alice/x"], isSet: false)]),
            allows: true, applying: [0]),
        HandCase(
            name: "Null true on an empty-string value", role: .identity,
            statements: #"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Null":{"aws:SourceArn":"true"}}}"#,
            request: DiffRequest(
                principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/x",
                context: [DiffContextEntry(key: "aws:SourceArn", values: [""], isSet: false)]),
            allows: true, applying: [0]),
        HandCase(
            name: "Null false on an empty-string value", role: .identity,
            statements: #"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Null":{"aws:SourceArn":"false"}}}"#,
            request: DiffRequest(
                principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/x",
                context: [DiffContextEntry(key: "aws:SourceArn", values: [""], isSet: false)]),
            allows: false, applying: []),
        HandCase(
            name: "StringEquals compares an empty string as a value", role: .identity,
            statements: #"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceArn":""}}}"#,
            request: DiffRequest(
                principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/x",
                context: [DiffContextEntry(key: "aws:SourceArn", values: [""], isSet: false)]),
            allows: true, applying: [0]),
        HandCase(
            name: "a short ARN without wildcard matches nothing in a resource policy", role: .resource,
            statements: #"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3"}"#,
            request: DiffRequest(principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/x"), allows: false, applying: []),
        HandCase(
            name: "a short ARN with a wildcard is padded in a resource policy", role: .resource,
            statements: #"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:*"}"#,
            request: DiffRequest(principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/x"), allows: true, applying: [0]),
        HandCase(
            name: "a short ARN is padded in an identity policy", role: .identity,
            statements: #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3"}"#,
            request: DiffRequest(principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/x"), allows: true, applying: [0]),
        HandCase(
            name: "a resource-policy statement without Principal names nobody", role: .resource,
            statements: #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#,
            request: DiffRequest(principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/x"), allows: false, applying: []),
        HandCase(
            name: "a role ARN principal names the role's sessions", role: .resource,
            statements: #"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/R"},"Action":"s3:GetObject","Resource":"*"}"#,
            request: DiffRequest(principal: session, action: "s3:GetObject", resource: "arn:aws:s3:::b/x"), allows: true, applying: [0]),
        HandCase(
            name: "NotPrincipal with a role ARN does not exclude its sessions", role: .resource,
            statements: #"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/R"},"Action":"*","Resource":"*"}"#,
            request: DiffRequest(principal: session, action: "s3:GetObject", resource: "arn:aws:s3:::b/x"), allows: false, applying: [0, 1]),
        HandCase(
            name: "a service principal", role: .resource,
            statements: #"{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"s3:GetObject","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::b*"}}}"#,
            request: DiffRequest(
                principal: "s3.amazonaws.com", action: "s3:GetObject", resource: "arn:aws:s3:::b/x",
                context: [DiffContextEntry(key: "aws:SourceArn", values: ["arn:aws:s3:::bb"], isSet: false)]),
            allows: true, applying: [0]),
        HandCase(
            name: "actions match case-insensitively, resources do not", role: .identity,
            statements: #"{"Effect":"Allow","Action":"S3:getobject","Resource":"arn:aws:s3:::b/*"}"#,
            request: DiffRequest(principal: alice, action: "s3:GETOBJECT", resource: "arn:aws:s3:::B/x"), allows: false, applying: []),
        HandCase(
            name: "NotIpAddressIfExists on an IPv6 address and an IPv4 range", role: .identity,
            statements: #"{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddressIfExists":{"aws:SourceIp":["10.0.0.0/8"]}}}"#,
            request: DiffRequest(
                principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/x",
                context: [DiffContextEntry(key: "aws:SourceIp", values: ["2001:db8::1"], isSet: false)]),
            allows: false, applying: [0, 1]),
        HandCase(
            name: "a junk date never compares, a negated date operator holds", role: .identity,
            statements: #"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateNotEquals":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}}"#,
            request: DiffRequest(
                principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/x",
                context: [DiffContextEntry(key: "aws:CurrentTime", values: ["junk"], isSet: false)]),
            allows: true, applying: [0]),
        // Regressions found by the random pairs.
        HandCase(
            name: "a session of a same-named role in another account, with identity keys read", role: .resource,
            statements: #"{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/R"},"Action":"*","Resource":"*"},{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEqualsIgnoreCase":{"aws:username":""}}}"#,
            request: DiffRequest(principal: "arn:aws:sts::999988887777:assumed-role/R/s1", action: "ec2:DescribeInstances", resource: "arn:aws:s3:::x"),
            allows: true, applying: [0, 1]),
        HandCase(
            name: "a named session ARN does not name the same session name in another account", role: .resource,
            statements: #"{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/R/s1"},"Action":"*"},{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":["arn:aws:iam::111122223333:role/*"]}}}"#,
            request: DiffRequest(principal: "arn:aws:sts::999988887777:assumed-role/R/s1", action: "iam:PassRole", resource: "arn:aws:s3:::b/x"),
            allows: false, applying: []),
        HandCase(
            name: "aws:ResourceAccount of an anonymous request on a bucket", role: .resource,
            statements: #"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:ResourceAccount":"111122223333"}}}"#,
            request: DiffRequest(principal: nil, action: "s3:GetObject", resource: "arn:aws:s3:::b/x", resourceAccount: "111122223333"),
            allows: true, applying: [0]),
        HandCase(
            name: "aws:PrincipalServiceName of a service principal", role: .resource,
            statements: #"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:PrincipalServiceName":"*.amazonaws.com"}}}"#,
            request: DiffRequest(principal: "s3.amazonaws.com", action: "s3:GetObject", resource: "arn:aws:s3:::b/x"), allows: true, applying: [0]),
        HandCase(
            name: "aws:username resolves in a resource entry", role: .identity,
            statements: #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}"#,
            request: DiffRequest(principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::home/alice/f"), allows: true, applying: [0]),
    ]

    @Test(arguments: handCases)
    func handWrittenPairAgrees(_ handCase: HandCase) throws {
        let text = "{\"Version\":\"2012-10-17\",\"Statement\":[\(handCase.statements)]}"
        let parsed = PolicyParser.parse(text: text, file: "hand.json")
        let policy = try #require(parsed.policy, "does not parse: \(parsed.findings)")
        try #require(parsed.isEvaluable, "not evaluable: \(parsed.findings)")
        let outcome = PolicyEvaluator().applicableStatements(of: policy, role: handCase.role, request: handCase.request.request)
        #expect(outcome.allows == handCase.allows, "the evaluator's answer changed")
        #expect(Set((outcome.allowing + outcome.denying).map(\.statementIndex)) == handCase.applying, "the evaluator's applying statements changed")

        let verdict = Differential.check(policy, role: handCase.role, handCase.request)
        switch verdict {
        case .agree: break
        case .outside(let why): Issue.record("the request is outside the encoded request space (\(why))")
        default: Issue.record("\(verdict)\n\(handCase.role.rawValue) policy:\n\(text)\nrequest: \(handCase.request)")
        }
    }
}

// MARK: - The harness

/// The result of one (policy, request) pair.
enum DifferentialVerdict: CustomStringConvertible {
    /// The policy JSON is not evaluable.
    case unparsable
    /// The encoder refuses the policy (`EncodingError`).
    case unencodable(String)
    /// `constraints(fixing:)` is `nil`: the request is outside the encoded request space.
    case outside(String)
    case agree(allows: Bool)
    /// `constraints(fixing:)` is `nil` for a request it documents as representable: a real request
    /// that the encoded request space misses.
    case gap(String)
    /// Z3 could not decide.
    case unknown(String)
    /// The domain excludes a real request; `conflict` names the request variables of a minimal set of
    /// fixing constraints that the domain contradicts.
    case unsat(conflict: String)
    /// `allows` or some `applies` differs from the evaluator; `kind` groups disagreements (role,
    /// direction, whether the request resource has wildcards).
    case disagree(String, kind: String)

    var isFailure: Bool { failureKind != nil }

    /// What kind of failure this is (kept while minimising); `nil` when the pair does not fail.
    var failureKind: String? {
        switch self {
        case .unsat(let conflict): "unsat fixing \(conflict)"
        case .disagree(_, let kind): "disagree: \(kind)"
        case .gap(let what): what
        default: nil
        }
    }

    var description: String {
        switch self {
        case .unparsable: "the policy does not parse"
        case .unencodable(let why): "the encoder refuses the policy: \(why)"
        case .outside(let why): "outside the request space: \(why)"
        case .agree(let allows): "agree (allows: \(allows))"
        case .unknown(let why): "unknown: \(why)"
        case .gap(let what): "OUTSIDE, but should be representable: \(what)"
        case .unsat(let conflict): "UNSAT: the encoding's domain excludes this representable request (conflicting: \(conflict))"
        case .disagree(let what, _): "DISAGREEMENT: \(what)"
        }
    }
}

enum Differential {
    static let evaluator = PolicyEvaluator()
    static let timeout = Duration.seconds(10)
    /// `DIFFERENTIAL_VERBOSE`: print each policy's check time and every check slower than a second.
    static let verbose = ProcessInfo.processInfo.environment["DIFFERENTIAL_VERBOSE"] != nil

    /// Checks `requests` against one encoding of `policies` (all of them over one symbolic request).
    static func run(_ specs: [DiffPolicy], _ requests: [DiffRequest]) -> [DifferentialVerdict] {
        var timing = DifferentialTiming()
        return run(specs, requests, timing: &timing)
    }

    static func run(_ specs: [DiffPolicy], _ requests: [DiffRequest], timing: inout DifferentialTiming) -> [DifferentialVerdict] {
        var policies: [(Policy, PolicyRole)] = []
        for (index, spec) in specs.enumerated() {
            guard let policy = spec.parsed(file: "policy\(index).json") else { return requests.map { _ in .unparsable } }
            policies.append((policy, spec.role))
        }
        return run(policies, requests, timing: &timing)
    }

    static func check(_ policy: Policy, role: PolicyRole, _ request: DiffRequest) -> DifferentialVerdict {
        var timing = DifferentialTiming()
        return run([(policy, role)], [request], timing: &timing)[0]
    }

    static func run(_ policies: [(Policy, PolicyRole)], _ requests: [DiffRequest], timing: inout DifferentialTiming) -> [DifferentialVerdict] {
        let clock = ContinuousClock()
        let started = clock.now
        let encoding: RequestEncoding
        do {
            encoding = try RequestEncoding(policies: policies.map { PolicyUnderTest($0, role: $1) }, catalog: evaluator.catalog)
        } catch {
            return requests.map { _ in .unencodable(Self.reason(error)) }
        }
        let solver: Solver
        do {
            solver = try Solver(context: encoding.context)
            try solver.add(encoding.domain)
        } catch {
            return requests.map { _ in .unknown("solver: \(error)") }
        }
        timing.record(encoding: clock.now - started)
        let policyStarted = clock.now
        defer {
            if verbose {
                let keys = encoding.keyVariables.map { "\($0.key.name)/\($0.key.kind?.rawValue ?? "-")" }
                let statements = policies.map { "\($0.0.statements.count)" }.joined(separator: "+")
                print("Differential: \(statements) statements, string resource part: \(encoding.resourcePart != nil), keys \(keys): \(requests.count) checks in \(Differential.seconds(clock.now - policyStarted))")
            }
        }
        return requests.map { request in
            let started = clock.now
            let verdict: DifferentialVerdict
            do {
                verdict = try check(policies, request.request, encoding: encoding, solver: solver)
            } catch {
                verdict = .unknown("solver error: \(error)")
            }
            let took = clock.now - started
            timing.record(check: took)
            if verbose, took > .seconds(1) { print("Differential: slow check (\(Differential.seconds(took))): \(verdict), request \(request)") }
            return verdict
        }
    }

    private static func check(_ policies: [(Policy, PolicyRole)], _ request: Request, encoding: RequestEncoding, solver: Solver) throws -> DifferentialVerdict {
        guard let fixed = try encoding.constraints(fixing: request) else {
            let reason = outsideReason(request, encoding: encoding)
            return reason.hasPrefix("GAP") ? .gap(reason) : .outside(reason)
        }
        let outcomes = policies.map { evaluator.applicableStatements(of: $0.0, role: $0.1, request: request) }
        try solver.push()
        var popped = false
        defer { if !popped { try? solver.pop() } }
        try solver.add(fixed)
        let result = try solver.check(timeout: timeout)
        if let reason = result.unknownReason { return .unknown(reason) }
        guard let model = result.model else {
            try solver.pop()
            popped = true
            let conflict = try conflict(fixed, encoding: encoding, solver: solver)
            let explicit = explicitDerivedKeys(request)
            return .unsat(conflict: conflict + (explicit.isEmpty ? "" : " with \(explicit.joined(separator: ", ")) given explicitly"))
        }
        var differences: [String] = []
        var disagreeing: Set<String> = []
        for (index, ((policy, role), outcome)) in zip(policies, outcomes).enumerated() {
            let count = differences.count
            defer { if differences.count > count { disagreeing.insert(role.rawValue) } }
            let name = policies.count == 1 ? "" : "policy \(index) "
            let allows = try model.bool(encoding.allows[index])
            if allows != outcome.allows {
                differences.append("\(name)allows: encoding \(allows.map(String.init) ?? "undetermined"), evaluator \(outcome.allows)")
            }
            let applying = Set((outcome.allowing + outcome.denying).map(\.statementIndex))
            for (position, statement) in policy.statements.enumerated() {
                let encoded = try model.bool(encoding.applies[index][position])
                let expected = applying.contains(statement.index)
                if encoded != expected {
                    differences.append("\(name)statement \(position) applies: encoding \(encoded.map(String.init) ?? "undetermined"), evaluator \(expected)")
                }
            }
        }
        guard !differences.isEmpty else { return .agree(allows: outcomes[0].allows) }
        let directions = Set(differences.map { $0.contains("encoding true") ? "encoding true" : "encoding false" }).sorted()
        // By the roles of the policies that disagree, so that minimising may drop the others.
        let kind = "\(disagreeing.sorted().joined(separator: " and ")) policy, \(directions.joined(separator: " and "))"
        return .disagree(differences.joined(separator: "; "), kind: kind)
    }

    /// The keys AWS derives from the caller or the resource (`Request.withDerivedKeys`).
    static let derivedKeys = [
        "aws:principalarn", "aws:principalaccount", "aws:principaltype", "aws:username", "aws:userid", "aws:principalisawsservice",
        "aws:principalservicename", "aws:resourceaccount",
    ]

    /// The derived keys that `request` gives itself with other values than AWS would derive (the
    /// evaluator keeps a value the request gives).
    static func explicitDerivedKeys(_ request: Request) -> [String] {
        var bare = request
        bare.context = RequestContext()
        let derived = bare.withDerivedKeys().context
        return derivedKeys.filter { key in
            guard let given = request.context.entry(key) else { return false }
            return derived.entry(key)?.values != given.values
        }
    }

    /// A minimal subset of `fixed` that the domain contradicts (deletion: drop each constraint the rest
    /// still conflicts without), described by the request variables it fixes, values left out, so that
    /// failures with one cause share a kind.
    static func conflict(_ fixed: [Term], encoding: RequestEncoding, solver: Solver) throws -> String {
        var kept = fixed
        var index = 0
        while index < kept.count {
            var without = kept
            without.remove(at: index)
            try solver.push()
            try solver.add(without)
            let result = try solver.check(timeout: timeout)
            try solver.pop()
            if result.isUnsat { kept = without } else { index += 1 }
        }
        var names = kept.map { term in
            var text = term.description
            // Values out: string literals, then numbers.
            text = text.replacingOccurrences(of: #""([^"]|"")*""#, with: "_", options: .regularExpression)
            text = text.replacingOccurrences(of: #"(?<![A-Za-z_0-9])-?[0-9]+(\.[0-9]+)?(?![A-Za-z_0-9])"#, with: "_", options: .regularExpression)
            text = text.replacingOccurrences(of: #"#x[0-9a-f]+"#, with: "_", options: .regularExpression)
            return text
        }
        // Key variables by key name (k12 before k1).
        for (index, key) in encoding.keyVariables.enumerated().reversed() {
            names = names.map { $0.replacingOccurrences(of: #"\bk\#(index)_"#, with: "\(key.key.name)_", options: .regularExpression) }
        }
        return "{" + names.sorted().joined(separator: ", ") + "}"
    }

    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.1f s", Double(seconds) + Double(attoseconds) / 1e18)
    }

    static func reason(_ error: any Error) -> String {
        guard let error = error as? EncodingError else { return "\(error)" }
        switch error {
        case .unsupported(let what, _): return "unsupported: \(what)"
        case .tooComplex(let what): return "too complex: \(what.prefix(60))"
        case .solver(let inner): return "solver: \(inner)"
        }
    }

    /// Why `constraints(fixing:)` gave `nil`, recomputed from the encoding's parts. Reasons that
    /// `constraints(fixing:)` documents (a resource with `*`/`?`, a derived key given another value than
    /// AWS derives, aws:ResourceAccount read but not derivable, a resource that is neither `*` nor an ARN, `*` for an action
    /// with resource-level permissions, more values than slots, an IP range as a value, characters
    /// beyond U+2FFFF, a date outside 1970…9999) are plain skips; any other is a gap of the
    /// request space (a real request no symbolic request stands for) and starts with "GAP".
    static func outsideReason(_ original: Request, encoding: RequestEncoding) -> String {
        let request = original.withDerivedKeys()
        func fits(_ text: String) -> Bool {
            text.unicodeScalars.allSatisfy { $0.value <= 0x2FFFF }
        }
        if encoding.actions.classIndex(of: request.action) == nil { return "GAP: action \(request.action) has no class" }
        if encoding.principals.classIndex(of: request.principal) == nil {
            // Documented in `PrincipalSpace.partition`: a query of identity-side policies only ranges
            // over IAM identities (anonymous and service callers cannot use an identity policy).
            let identityOnly = !encoding.policies.contains { $0.role.matchesPrincipals }
            if identityOnly, request.principal.account == nil { return "a caller outside any account, identity-side policies only" }
            return "GAP: principal \(request.principal) has no class"
        }
        if request.resource != "*", request.resource.contains(where: { $0 == "*" || $0 == "?" }) { return "a resource with wildcards (a set of resources)" }
        // As `constraints(fixing:)` has it: keys derived from the caller (not aws:ResourceAccount, and
        // aws:userid only where AWS derives it).
        let isRoot: Bool
        if case .root = original.principal { isRoot = true } else { isRoot = false }
        let callerKeys = explicitDerivedKeys(original).filter { $0 != "aws:resourceaccount" && ($0 != "aws:userid" || isRoot) }
        if !callerKeys.isEmpty { return "an explicit value for a key AWS derives" }
        if encoding.contextKeys.key("aws:resourceaccount") != nil, request.context.entry("aws:resourceaccount") == nil {
            return "no aws:ResourceAccount (AWS always knows it; the evaluator cannot derive it)"
        }
        if request.resource == "*" {
            guard let info = encoding.catalog?.action(request.action), !info.supportsResourceLevelPermissions else {
                return "* resource of an action with resource-level permissions"
            }
        } else {
            guard let fields = ARNFields(request.resource) else { return "resource is not an ARN" }
            let values = fields.all.map(String.init)
            for field in 0..<5 {
                if field == 4, encoding.resourcePart != nil {
                    if !fits(values[4]) { return "resource part beyond U+2FFFF" }
                    continue
                }
                if encoding.resources.partitions[field].classIndex(of: values[field]) == nil {
                    return "GAP: resource \(ResourceSpace.fieldNames[field]) \(values[field]) has no class"
                }
            }
        }
        for key in encoding.keyVariables {
            guard let entry = request.context.entry(key.key.name) else { continue }
            if entry.values.count > key.slots.count { return "more values than slots" }
            for value in entry.values {
                switch key.key.kind ?? .string {
                case .string: if !fits(value) { return "a value beyond U+2FFFF" }
                case .ip: if IPAddressRange.parseAddress(value) == nil, IPAddressRange(value) != nil { return "an IP range as a value" }
                case .date:
                    if let date = PolicyDate(value), date.epochSeconds < 0 || date.epochSeconds > 253_402_300_799 { return "a date outside 1970…9999" }
                case .numeric: break
                }
            }
        }
        return "GAP: unexplained"
    }

    // MARK: Minimising

    /// Shrinks a failing pair: drops companion policies, statements, entries, clauses, values and
    /// context keys, and simplifies the request, while the pair still fails the same way.
    static func minimise(_ policies: [DiffPolicy], _ request: DiffRequest) -> ([DiffPolicy], DiffRequest) {
        let kind = run(policies, [request])[0].failureKind
        func fails(_ policies: [DiffPolicy], _ request: DiffRequest) -> Bool {
            run(policies, [request])[0].failureKind == kind
        }
        var policies = policies, request = request
        var changed = true
        var budget = 150
        while changed, budget > 0 {
            changed = false
            var candidates: [[DiffPolicy]] = []
            if policies.count > 1 {
                for index in policies.indices {
                    var copy = policies
                    copy.remove(at: index)
                    candidates.append(copy)
                }
            }
            for (index, policy) in policies.enumerated() {
                for reduced in policyReductions(policy) {
                    var copy = policies
                    copy[index] = reduced
                    candidates.append(copy)
                }
            }
            for candidate in candidates where budget > 0 {
                budget -= 1
                if fails(candidate, request) {
                    policies = candidate
                    changed = true
                    break
                }
            }
            if changed { continue }
            for candidate in requestReductions(request) where budget > 0 {
                budget -= 1
                if fails(policies, candidate) {
                    request = candidate
                    changed = true
                    break
                }
            }
        }
        return (policies, request)
    }

    /// The policies of one query, for reports.
    static func describe(_ policies: [DiffPolicy]) -> String {
        policies.count == 1 ? "\(policies[0])" : policies.enumerated().map { "policy \($0): \($1)" }.joined(separator: "\n")
    }

    private static func policyReductions(_ policy: DiffPolicy) -> [DiffPolicy] {
        var result: [DiffPolicy] = []
        func with(_ index: Int, _ change: (inout DiffStatement) -> Void) {
            var copy = policy
            change(&copy.statements[index])
            result.append(copy)
        }
        if policy.statements.count > 1 {
            for index in policy.statements.indices {
                var copy = policy
                copy.statements.remove(at: index)
                result.append(copy)
            }
        }
        for (index, statement) in policy.statements.enumerated() {
            for clause in statement.clauses.indices {
                with(index) { $0.clauses.remove(at: clause) }
            }
            for (clause, entry) in statement.clauses.enumerated() where entry.values.count > 1 {
                for value in entry.values.indices { with(index) { $0.clauses[clause].values.remove(at: value) } }
            }
            if statement.actions.count > 1 {
                for action in statement.actions.indices { with(index) { $0.actions.remove(at: action) } }
            }
            if statement.actions != ["*"] { with(index) { $0.actions = ["*"]; $0.notAction = false } }
            if let resources = statement.resources {
                if resources.count > 1 {
                    for resource in resources.indices { with(index) { $0.resources!.remove(at: resource) } }
                }
                if resources != ["*"] { with(index) { $0.resources = ["*"]; $0.notResource = false } }
            }
            if statement.principal != nil, statement.principal != #""*""# || statement.notPrincipal {
                with(index) { $0.principal = #""*""#; $0.notPrincipal = false }
            }
            if statement.effect == .deny { with(index) { $0.effect = .allow } }
        }
        if policy.role == .rcp { result.append(DiffPolicy(role: .resource, statements: policy.statements)) }
        return result
    }

    static func requestReductions(_ request: DiffRequest) -> [DiffRequest] {
        var result: [DiffRequest] = []
        for index in request.context.indices {
            var copy = request
            copy.context.remove(at: index)
            result.append(copy)
            if request.context[index].values.count > 1 {
                for value in request.context[index].values.indices {
                    var copy = request
                    copy.context[index].values.remove(at: value)
                    result.append(copy)
                }
            }
        }
        if request.resourceAccount != nil {
            var copy = request
            copy.resourceAccount = nil
            result.append(copy)
        }
        return result
    }
}

/// Where the time goes: building encodings, and checking pairs against them.
struct DifferentialTiming: Sendable {
    var encoding = Duration.zero, checks = Duration.zero
    var slowestEncoding = Duration.zero, slowestCheck = Duration.zero

    mutating func record(encoding time: Duration) {
        encoding += time
        slowestEncoding = max(slowestEncoding, time)
    }

    mutating func record(check time: Duration) {
        checks += time
        slowestCheck = max(slowestCheck, time)
    }

    mutating func merge(_ other: DifferentialTiming) {
        encoding += other.encoding
        checks += other.checks
        slowestEncoding = max(slowestEncoding, other.slowestEncoding)
        slowestCheck = max(slowestCheck, other.slowestCheck)
    }

    var description: String {
        "encoding \(Differential.seconds(encoding)) (slowest \(Differential.seconds(slowestEncoding))), "
            + "checks \(Differential.seconds(checks)) (slowest \(Differential.seconds(slowestCheck)))"
    }
}

/// A failing pair, as found.
struct DifferentialSample: Sendable {
    static let perKind = 3
    var policies: [DiffPolicy]
    var request: DiffRequest
    var verdict: String
    var seed: UInt64
    var requests: Int

    /// The report: the pair, how to replay it, and the pair minimised.
    func report(minimised: ([DiffPolicy], DiffRequest)?) -> String {
        var text = """
            \(verdict)
            \(Differential.describe(policies))
            request: \(request)
            (policy seed \(seed); replay with DIFFERENTIAL_SEED=\(seed) DIFFERENTIAL_PAIRS=\(requests) DIFFERENTIAL_REQUESTS=\(requests))
            """
        if let (small, smallRequest) = minimised {
            text += "\nminimised (\(Differential.run(small, [smallRequest])[0])):\n\(Differential.describe(small))\nrequest: \(smallRequest)"
        }
        return text
    }
}

/// Counts over a run, and the failures found.
struct DifferentialTally: Sendable {
    /// Encodings (of one or two policies), and policies.
    var queries = 0, policies = 0, unparsablePolicies = 0, unencodablePolicies = 0
    var pairs = 0, checked = 0, outside = 0, allowed = 0, unknown = 0
    /// Failures found, by kind, with the first few of each kind.
    var failureCount = 0
    var kinds: [String: Int] = [:]
    var samples: [String: [DifferentialSample]] = [:]
    var timing = DifferentialTiming()
    /// The first checks Z3 could not decide (not failures; a concrete request should be easy).
    var unknownSamples: [String] = []
    var unencodableReasons: [String: Int] = [:]
    var outsideReasons: [String: Int] = [:]

    mutating func add(_ verdicts: [DifferentialVerdict], policies query: [DiffPolicy], requests: [DiffRequest], seed: UInt64) {
        queries += 1
        policies += query.count
        pairs += verdicts.count
        if case .unparsable? = verdicts.first { unparsablePolicies += 1 }
        if case .unencodable(let why)? = verdicts.first {
            unencodablePolicies += 1
            unencodableReasons[why, default: 0] += 1
        }
        for (request, verdict) in zip(requests, verdicts) {
            switch verdict {
            case .unparsable, .unencodable: break
            case .outside(let why):
                outside += 1
                outsideReasons[why, default: 0] += 1
            case .agree(let allows):
                checked += 1
                if allows { allowed += 1 }
            case .unknown(let why):
                checked += 1
                unknown += 1
                if unknownSamples.count < 3 {
                    unknownSamples.append("\(why) (policy seed \(seed)):\n\(Differential.describe(query))\nrequest: \(request)")
                }
            case .unsat, .disagree, .gap:
                if case .gap = verdict { outside += 1 } else { checked += 1 }
                failureCount += 1
                let kind = verdict.failureKind!
                kinds[kind, default: 0] += 1
                samples[kind, default: []].append(DifferentialSample(policies: query, request: request, verdict: "\(verdict)", seed: seed, requests: requests.count))
                // Keep the few with the lowest seeds, whatever the order the workers ran in.
                samples[kind] = Array(samples[kind]!.sorted { $0.seed < $1.seed }.prefix(DifferentialSample.perKind))
            }
        }
    }

    mutating func merge(_ other: DifferentialTally) {
        queries += other.queries
        policies += other.policies
        unparsablePolicies += other.unparsablePolicies
        unencodablePolicies += other.unencodablePolicies
        pairs += other.pairs
        checked += other.checked
        outside += other.outside
        allowed += other.allowed
        unknown += other.unknown
        failureCount += other.failureCount
        kinds.merge(other.kinds, uniquingKeysWith: +)
        timing.merge(other.timing)
        unknownSamples = Array((unknownSamples + other.unknownSamples).prefix(3))
        samples.merge(other.samples) { Array(($0 + $1).sorted { $0.seed < $1.seed }.prefix(DifferentialSample.perKind)) }
        unencodableReasons.merge(other.unencodableReasons, uniquingKeysWith: +)
        outsideReasons.merge(other.outsideReasons, uniquingKeysWith: +)
    }

    var summary: String {
        "\(queries) encodings of \(policies) policies (\(unparsablePolicies) unparsable, \(unencodablePolicies) unencodable), \(pairs) pairs: "
            + "\(checked) checked (\(allowed) allowed, \(unknown) unknown), \(outside) outside the request space, \(failureCount) failures"
            + (kinds.isEmpty ? "" : " (" + kinds.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", ") + ")")
    }
}

