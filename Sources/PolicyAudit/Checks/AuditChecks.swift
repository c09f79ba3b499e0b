import PolicyLanguage
import PolicyVerifier

/// The checks an audit runs on every policy it finds, and their options.
///
/// Default checks (SEMANTICS.md): `validation` on every policy; `no-public-access` on resource-based
/// and trust policies; `admin-equivalent` and `privilege-escalation` on identity policies. A spec adds
/// its invariants (`spec/<name>`) to every policy. A policy that is not valid is reported with its
/// validation errors and not proved (a proof about half a policy would be wrong); a policy whose
/// meaning depends on a value the input does not fix (a template parameter used as a principal) gets
/// UNKNOWN proofs that say so, never PASS.
public struct AuditChecks: Sendable {
    public var prover: Prover
    public var invariants: [Invariant]
    public var zone: TrustedZone
    /// Run the default checks (off: only validation and the spec's invariants).
    public var defaultChecks: Bool
    /// Findings listed per no-access question.
    public var findingLimit: Int
    /// Identifies the spec's content in cache keys (its SHA-256); empty without a spec.
    public var specDigest: String
    /// What a file and the policies in it may hold; beyond it, a located `LIMIT_EXCEEDED` error.
    public var limits: ReadLimits
    private let validator: PolicyValidator

    public init(prover: Prover, invariants: [Invariant] = [], zone: TrustedZone = TrustedZone(), defaultChecks: Bool = true, findingLimit: Int = 20, specDigest: String = "", limits: ReadLimits = .default) {
        self.prover = prover
        self.limits = limits
        self.invariants = invariants
        self.zone = zone
        self.defaultChecks = defaultChecks
        self.findingLimit = findingLimit
        self.specDigest = specDigest
        validator = PolicyValidator(catalog: prover.catalog)
    }

    /// Everything besides a file's bytes that decides its record: part of every cache key.
    public var fingerprint: String {
        let zoneText = [zone.accounts, zone.organizations, zone.vpcs, zone.vpcEndpoints].map { $0.map(\.value).sorted().joined(separator: ",") }.joined(separator: ";")
        return ["policyprover-audit-v1", specDigest, "defaults=\(defaultChecks)", "timeout=\(prover.timeout)", "findings=\(findingLimit)", "zone=\(zoneText)", "catalog=\(prover.catalog != nil)", "limits=\(limits.fingerprint)"].joined(separator: "|")
    }

    /// Reads, classifies and checks one file. Never throws: an unreadable or malformed file becomes a
    /// record with errors.
    public func check(path: String) -> FileRecord { check(path: path, cache: nil).record }

    /// `check(path:)` that first looks for the file's record in `cache` and stores a new one there;
    /// `cached` tells whether the record came from the cache. A record finished after the prover's
    /// deadline passed may hold checks it stopped, so it is not stored: a re-run checks that file again.
    /// (Not even when no check is UNKNOWN: a search stopped half-way can still report a FAIL with fewer
    /// findings than the whole search gives.)
    public func check(path: String, cache: ResultCache?) -> (record: FileRecord, cached: Bool) {
        switch SourceReader.readBytes(contentsOf: path, limits: limits) {
        case .failure(let error):
            return (FileRecord(path: path, contentHash: "", kind: .unrecognized, policies: [], errors: [Issue(Finding(error))]), false)
        case .success(let bytes):
            let hash = Self.contentHash(bytes)
            if let cached = cache?.lookup(contentHash: hash, path: path) { return (cached, true) }
            let record = check(path: path, bytes: bytes, contentHash: hash)
            if prover.deadline?.passed == nil { cache?.store(record) }
            return (record, false)
        }
    }

    /// The record of a file that the run's deadline left unchecked: its cached record if there is one,
    /// else one UNKNOWN check (`deadline`) that says why. Never PASS.
    public func unchecked(path: String, cache: ResultCache?, reason: String) -> (record: FileRecord, cached: Bool) {
        if let cache, case .success(let bytes) = SourceReader.readBytes(contentsOf: path, limits: limits),
            let cached = cache.lookup(contentHash: Self.contentHash(bytes), path: path) {
            return (cached, true)
        }
        let check = CheckRecord(id: "deadline", outcome: .unknown, message: "not checked: \(reason)", issues: [
            Issue(ruleId: "deadline", level: .warning, message: "not checked: \(reason)", location: Location(.startOfFile(path))),
        ])
        return (FileRecord(path: path, contentHash: "", kind: .unchecked, policies: [PolicyRecord(name: "(file)", type: "none", location: Location(.startOfFile(path)), checks: [check])], errors: []), false)
    }

    /// The content hash used in records and cache keys.
    public static func contentHash(_ bytes: [UInt8]) -> String { SHA256.hex(bytes) }

    func check(path: String, bytes: [UInt8], contentHash: String) -> FileRecord {
        let extracted = PolicyExtractor.extract(bytes: bytes, file: path, limits: limits)
        let errors = extracted.findings.filter { $0.severity == .error }.map(Issue.init)
        var policies = extracted.policies.map(check)
        // File-level warnings (a Terraform value unknown until apply) are not errors, but they must not
        // pass silently: they become an UNKNOWN check on a record of their own.
        let warnings = extracted.findings.filter { $0.severity != .error }
        if !warnings.isEmpty {
            policies.append(PolicyRecord(
                name: "(file)", type: "none", location: Location(.startOfFile(path)),
                checks: [CheckRecord(id: "input", outcome: .unknown, message: "\(warnings.count) value(s) could not be read as policies", issues: warnings.map(Issue.init))]))
        }
        return FileRecord(path: path, contentHash: contentHash, kind: InputKind(extracted.format), policies: policies, errors: errors)
    }

    /// The checks of one policy.
    func check(_ embedded: EmbeddedPolicy) -> PolicyRecord {
        let report = validator.report(for: embedded.parsed, as: embedded.type)
        let location = Location(embedded.parsed.policy?.span ?? .startOfFile(embedded.parsed.file))
        var validation = CheckRecords.validation(report.findings)
        // Say which values stand for what the input does not fix, where they were written.
        validation.issues += embedded.substitutions.map { substitution in
            Issue(ruleId: "REPRESENTATIVE_VALUE", level: .note, message: "\(substitution.original) is not fixed by the input; the proof reads it as the representative value \(substitution.replacement)", location: Location(substitution.span))
        }
        var checks = [validation]
        guard embedded.parsed.isEvaluable, let policy = embedded.parsed.policy else {
            return PolicyRecord(name: embedded.name, type: embedded.type.rawValue, location: location, checks: checks)
        }
        let proofs = proofNames(for: embedded.type)
        if !embedded.blockers.isEmpty {
            let issues = embedded.blockers.map(Issue.init)
            checks += proofs.map { CheckRecord(id: $0, outcome: .unknown, message: "not proved: \(embedded.blockers[0].message)", issues: issues) }
            return PolicyRecord(name: embedded.name, type: embedded.type.rawValue, location: location, checks: checks)
        }
        let underTest = PolicyUnderTest(policy, type: embedded.type)
        if defaultChecks {
            switch embedded.type {
            case .resource, .trust:
                checks.append(CheckRecords.access(prover.noPublicAccess(underTest, resourceType: nil, findingLimit: findingLimit), id: "no-public-access", policy: location))
            case .identity:
                checks.append(CheckRecords.admin(prover.adminEquivalence([underTest]), policy: location))
                checks.append(CheckRecords.escalation(prover.privilegeEscalation([underTest]), policy: location))
            case .scp, .rcp, .boundary, .session:
                break
            }
        }
        for invariant in invariants {
            let id = "spec/\(invariant.name)"
            let answer = prover.prove(invariant, for: underTest, zone: zone, findingLimit: findingLimit)
            if let access = answer.access {
                checks.append(CheckRecords.access(access, id: id, policy: location))
                continue
            }
            switch invariant.kind {
            case .never(let scope):
                checks.append(representativeSafe(CheckRecords.verdict(answer.verdict, id: id, passMessage: "allows no request of \(invariant.name)", policy: location), scope: scope, embedded))
            case .only(let bound):
                checks.append(representativeSafe(CheckRecords.verdict(answer.verdict, id: id, passMessage: "allows only requests within \(invariant.name)", policy: location), scope: bound, embedded))
            case .noPublicAccess, .noExternalAccess:
                break  // answered with findings above
            }
        }
        return PolicyRecord(name: embedded.name, type: embedded.type.rawValue, location: location, checks: checks)
    }

    /// A `never` / `only` PASS proved with representative values holds for the deployed values too only
    /// when the scope names no value a representative could stand for (its resources are `*`, it has no
    /// conditions and no principals): `never: arn:aws:s3:::secrets/*` passes for the representative
    /// bucket `cfn-ref-Bucket` but fails when the parameter is `secrets`. Otherwise the PASS becomes
    /// UNKNOWN, pointing at the first value the input does not fix. FAILs stand: the representative is
    /// one possible value.
    private func representativeSafe(_ record: CheckRecord, scope: Policy, _ embedded: EmbeddedPolicy) -> CheckRecord {
        guard record.outcome == .pass, let first = embedded.substitutions.first else { return record }
        let valueFree = scope.statements.allSatisfy { statement in
            statement.condition == nil && statement.principal == nil
                && (statement.resource.map { !$0.isNot && $0.patterns.allSatisfy { $0.text == "*" } } ?? true)
        }
        if valueFree { return record }
        let reason = "holds for the representative values, but the invariant names resources, principals or conditions, and \(first.original) is not fixed by the input"
        return CheckRecord(id: record.id, outcome: .unknown, message: "unknown: \(reason)", issues: [
            Issue(ruleId: record.id, level: .warning, message: "not proved: \(reason)", location: Location(first.span)),
        ])
    }

    private func proofNames(for type: PolicyType) -> [String] {
        var names: [String] = []
        if defaultChecks {
            switch type {
            case .resource, .trust: names = ["no-public-access"]
            case .identity: names = ["admin-equivalent", "privilege-escalation"]
            case .scp, .rcp, .boundary, .session: break
            }
        }
        return names + invariants.map { "spec/\($0.name)" }
    }
}

extension InputKind {
    init(_ format: InputFormat) {
        switch format {
        case .policy: self = .policy
        case .cloudFormation: self = .cloudFormation
        case .terraformPlan: self = .terraformPlan
        case .accountExport: self = .accountExport
        case .unrecognized: self = .unrecognized
        }
    }
}

extension ReadLimits {
    /// The limits in cache keys: a file refused under one limit may be read under another.
    var fingerprint: String {
        [maxFileBytes, maxDepth, maxStringBytes, document.maxStatements, document.maxValues, document.maxWildcards].map(String.init).joined(separator: ",")
    }
}
