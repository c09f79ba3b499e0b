import PolicyLanguage

/// The machine-readable result of checking policy files: what `audit` writes as JSON, what the cache
/// stores per file, what `merge` combines, and what the SARIF and JUnit writers render.
///
/// Guarantees: every value is plain data (Codable, Sendable); files are kept in path order and
/// policies in the order they appear in their file, so that the same inputs give the same report
/// whatever the number of workers or shards.
public struct AuditReport: Sendable, Codable, Equatable {
    public var tool: String
    public var version: String
    /// The command that produced the report (`audit`, `check`, `validate`, `diff`, `merge`).
    public var command: String
    public var files: [FileRecord]
    public var summary: AuditSummary
    /// Wall-clock seconds of the run (not part of equality: two runs of the same inputs are equal).
    public var seconds: Double

    public init(tool: String = "policyprover", version: String, command: String, files: [FileRecord], seconds: Double) {
        self.tool = tool
        self.version = version
        self.command = command
        self.files = files.sorted { $0.path < $1.path }
        self.summary = AuditSummary(self.files)
        self.seconds = seconds
    }

    public static func == (lhs: AuditReport, rhs: AuditReport) -> Bool {
        (lhs.tool, lhs.version, lhs.command, lhs.summary) == (rhs.tool, rhs.version, rhs.command, rhs.summary) && lhs.files == rhs.files
    }
}

/// How a file was read.
public enum InputKind: String, Sendable, Codable, Equatable, CaseIterable {
    /// A plain IAM policy document (JSON or YAML).
    case policy
    case cloudFormation = "cloudformation"
    case terraformPlan = "terraform-plan"
    case accountExport = "account-export"
    /// A JSON/YAML file that holds no policy (a `package.json`, a CI config): skipped, not an error.
    case unrecognized
    /// Not read: the run's deadline passed (or the run was stopped) before the file was started.
    case unchecked
}

/// One input file and everything found in it.
public struct FileRecord: Sendable, Codable, Equatable {
    /// The path as the user's tree names it (relative to the audited directory argument).
    public var path: String
    /// SHA-256 of the file's bytes, hex; the cache key's first part.
    public var contentHash: String
    public var kind: InputKind
    public var policies: [PolicyRecord]
    /// Problems with the file as a whole (unreadable, malformed JSON/YAML, a template that is not valid):
    /// each is an error and makes the run exit 2.
    public var errors: [Issue]

    public init(path: String, contentHash: String, kind: InputKind, policies: [PolicyRecord], errors: [Issue] = []) {
        self.path = path
        self.contentHash = contentHash
        self.kind = kind
        self.policies = policies
        self.errors = errors
    }
}

/// One policy document inside a file, with the checks run on it.
public struct PolicyRecord: Sendable, Codable, Equatable {
    /// What the policy is within its file: `policy` for a plain document, else e.g.
    /// `Resources.AppRole.AssumeRolePolicyDocument` or `aws_iam_policy.deploy`.
    public var name: String
    /// The policy type it was checked as (`identity`, `resource`, `trust`, ...).
    public var type: String
    public var location: Location
    public var checks: [CheckRecord]

    public init(name: String, type: String, location: Location, checks: [CheckRecord]) {
        self.name = name
        self.type = type
        self.location = location
        self.checks = checks
    }
}

/// The outcome of one check.
public enum Outcome: String, Sendable, Codable, Equatable, Comparable, CaseIterable {
    case pass, fail, unknown
    /// The check could not run: the policy is not valid.
    case error

    private var rank: Int {
        switch self {
        case .error: 0
        case .fail: 1
        case .unknown: 2
        case .pass: 3
        }
    }

    /// Worse sorts first.
    public static func < (lhs: Outcome, rhs: Outcome) -> Bool { lhs.rank < rhs.rank }
}

/// One check on one policy: a validation pass, a proved property, or a spec invariant.
public struct CheckRecord: Sendable, Codable, Equatable {
    /// The stable rule id (`validation`, `no-public-access`, `admin-equivalent`,
    /// `privilege-escalation`, or `spec/<invariant name>`).
    public var id: String
    public var outcome: Outcome
    /// One line for people: what was proved, or why it failed or is unknown.
    public var message: String
    /// The located findings behind a failure (or the warnings of a passing validation).
    public var issues: [Issue]

    public init(id: String, outcome: Outcome, message: String, issues: [Issue] = []) {
        self.id = id
        self.outcome = outcome
        self.message = message
        self.issues = issues
    }
}

/// How serious an issue is, in SARIF's words.
public enum IssueLevel: String, Sendable, Codable, Equatable, Comparable, CaseIterable {
    case error, warning, note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    public static func < (lhs: IssueLevel, rhs: IssueLevel) -> Bool { lhs.rank < rhs.rank }
}

/// A located finding: a validation finding, a counterexample's granting statement, an unknown's cause.
public struct Issue: Sendable, Codable, Equatable {
    /// The rule id: a validation code (`MISSING_ACTION`) or a check id (`no-public-access`).
    public var ruleId: String
    public var level: IssueLevel
    /// What is wrong, in words that stay the same from run to run (SARIF fingerprints hash it).
    public var message: String
    /// A certified example request, when there is one. Kept apart from `message` because the solver
    /// may pick another equally valid example in another run.
    public var example: String?
    public var location: Location
    /// Other places the issue refers to (other granting statements, the spec's invariant).
    public var related: [RelatedLocation]

    public init(ruleId: String, level: IssueLevel, message: String, example: String? = nil, location: Location, related: [RelatedLocation] = []) {
        self.ruleId = ruleId
        self.level = level
        self.message = message
        self.example = example
        self.location = location
        self.related = related
    }

    /// The message with its example, for people.
    public var text: String { example.map { "\(message); e.g. \($0)" } ?? message }
}

public struct RelatedLocation: Sendable, Codable, Equatable {
    public var message: String
    public var location: Location

    public init(message: String, location: Location) {
        self.message = message
        self.location = location
    }
}

/// A range in a file, 1-based lines and columns (columns count Unicode scalars).
public struct Location: Sendable, Codable, Equatable {
    public var file: String
    public var line: Int
    public var column: Int
    public var endLine: Int
    public var endColumn: Int

    public init(file: String, line: Int, column: Int, endLine: Int, endColumn: Int) {
        self.file = file
        self.line = line
        self.column = column
        self.endLine = endLine
        self.endColumn = endColumn
    }

    public init(_ span: SourceSpan) {
        self.init(file: span.file, line: span.start.line, column: span.start.column, endLine: span.end.line, endColumn: span.end.column)
    }
}

/// The counts of a report, as the summary table shows them.
public struct AuditSummary: Sendable, Codable, Equatable {
    public var files: Int
    public var policies: Int
    /// Policies whose every check passed.
    public var passed: Int
    /// Policies with at least one failed check (and no error).
    public var failed: Int
    /// Policies with an unknown check and no failure or error.
    public var unknown: Int
    /// Files that could not be read plus policies that are not valid.
    public var errors: Int
    /// Files that hold no policy.
    public var skipped: Int

    public init(_ files: [FileRecord]) {
        self.files = files.count
        policies = files.reduce(0) { $0 + $1.policies.count }
        var counts: [Outcome: Int] = [:]
        for file in files {
            for policy in file.policies {
                counts[policy.checks.map(\.outcome).min() ?? .pass, default: 0] += 1
            }
        }
        passed = counts[.pass, default: 0]
        failed = counts[.fail, default: 0]
        unknown = counts[.unknown, default: 0]
        errors = counts[.error, default: 0] + files.filter { !$0.errors.isEmpty }.count
        skipped = files.filter { $0.kind == .unrecognized && $0.errors.isEmpty }.count
    }
}

extension PolicyRecord {
    /// The worst outcome of the policy's checks (`pass` when it has none).
    public var outcome: Outcome { checks.map(\.outcome).min() ?? .pass }
}
