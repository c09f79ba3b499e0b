/// How serious a finding is, in the order IAM Access Analyzer uses.
public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
    /// The policy is invalid: IAM would reject it or it cannot mean what it says.
    case error
    /// The policy is valid but grants or exposes more than it appears to.
    case securityWarning = "security-warning"
    /// The policy is valid but likely wrong or fragile.
    case warning
    /// The policy could be simpler or cleaner.
    case suggestion

    private var rank: Int {
        switch self {
        case .error: 0
        case .securityWarning: 1
        case .warning: 2
        case .suggestion: 3
        }
    }

    /// More serious sorts first.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// The stable identifier of a check, such as `MISSING_ACTION`. Codes never change meaning between
/// releases, so that CI configurations can filter on them. Each rule file declares its own codes.
public struct FindingCode: RawRepresentable, Sendable, Hashable, Comparable, Codable,
    CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public static func < (lhs: FindingCode, rhs: FindingCode) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }
}

/// A located diagnostic about a policy document.
public struct Finding: Sendable, Hashable {
    /// Another place that the finding refers to, with what it is.
    public struct Note: Sendable, Hashable {
        public var message: String
        public var span: SourceSpan

        public init(_ message: String, at span: SourceSpan) {
            self.message = message
            self.span = span
        }
    }

    public var code: FindingCode
    public var severity: Severity
    public var message: String
    public var span: SourceSpan
    public var notes: [Note]

    public init(_ code: FindingCode, _ severity: Severity, _ message: String, at span: SourceSpan, notes: [Note] = []) {
        self.code = code
        self.severity = severity
        self.message = message
        self.span = span
        self.notes = notes
    }
}

extension Finding: Comparable {
    /// Findings sort by file, position, then severity and code, so reports are deterministic.
    public static func < (lhs: Finding, rhs: Finding) -> Bool {
        if lhs.span.file != rhs.span.file { return lhs.span.file < rhs.span.file }
        if lhs.span.start != rhs.span.start { return lhs.span.start < rhs.span.start }
        if lhs.severity != rhs.severity { return lhs.severity < rhs.severity }
        return (lhs.code, lhs.message) < (rhs.code, rhs.message)
    }
}
