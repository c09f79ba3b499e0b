import ArgumentParser
import PolicyLanguage
import SMT

/// A size given as bytes or with a K, M or G suffix (powers of 1,024): `10M`, `512K`, `4096`.
struct ByteSize: ExpressibleByArgument, Equatable {
    var bytes: Int

    init(bytes: Int) {
        self.bytes = bytes
    }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = Substring(text)
        var unit = 1
        if let last = digits.last, let scale = units[last] {
            unit = scale
            digits = digits.dropLast()
        }
        if digits.hasSuffix("I") || digits.hasSuffix("B") { return nil }
        guard let value = Int(digits), value >= 0 else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        self.bytes = bytes
    }

    var defaultValueDescription: String {
        for (suffix, scale) in [("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)] where bytes >= scale && bytes % scale == 0 {
            return "\(bytes / scale)\(suffix)"
        }
        return "\(bytes)"
    }
}

/// Bounds on what a command reads. Beyond one, the file or policy is a `LIMIT_EXCEEDED` error at the
/// place the limit is passed (exit 2), never a hang or a crash.
struct InputLimitOptions: ParsableArguments {
    @Option(name: .customLong("max-file-size"), help: ArgumentHelp("Largest input file: bytes, or with K, M or G.", valueName: "size"))
    var maxFileSize = ByteSize(bytes: ReadLimits.default.maxFileBytes)

    @Option(name: .customLong("max-depth"), help: ArgumentHelp("Deepest nesting of objects and arrays.", valueName: "n"))
    var maxDepth = ReadLimits.default.maxDepth

    @Option(name: .customLong("max-string-length"), help: ArgumentHelp("Longest single string: bytes, or with K, M or G.", valueName: "size"))
    var maxStringLength = ByteSize(bytes: ReadLimits.default.maxStringBytes)

    @Option(name: .customLong("max-statements"), help: ArgumentHelp("Statements per policy.", valueName: "n"))
    var maxStatements = PolicyLimits.default.maxStatements

    @Option(name: .customLong("max-values"), help: ArgumentHelp("Entries of one Action, Resource or Principal list or condition key.", valueName: "n"))
    var maxValues = PolicyLimits.default.maxValues

    @Option(name: .customLong("max-wildcards"), help: ArgumentHelp("Wildcards (* and ?) in one action or resource pattern.", valueName: "n"))
    var maxWildcards = PolicyLimits.default.maxWildcards

    func validate() throws {
        guard maxFileSize.bytes >= 1 else { throw ValidationError("--max-file-size must be at least 1 byte") }
        // libyaml and the recursive decoders need the stack: nesting is capped whatever is asked.
        guard (1...512).contains(maxDepth) else { throw ValidationError("--max-depth must be between 1 and 512") }
        guard maxStringLength.bytes >= 1 else { throw ValidationError("--max-string-length must be at least 1 byte") }
        for (name, value) in [("--max-statements", maxStatements), ("--max-values", maxValues), ("--max-wildcards", maxWildcards)] where value < 1 {
            throw ValidationError("\(name) must be at least 1")
        }
    }

    /// The limits every file of the command is read with.
    var readLimits: ReadLimits {
        ReadLimits(
            maxFileBytes: maxFileSize.bytes, maxDepth: maxDepth, maxStringBytes: maxStringLength.bytes,
            document: PolicyLimits(maxStatements: maxStatements, maxValues: maxValues, maxWildcards: maxWildcards))
    }
}

/// Bounds on the solver for a whole command: a global deadline and Z3's memory. The per-check time
/// limit is `--timeout`.
struct SolverLimitOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Seconds the whole command may take; then the questions still open are UNKNOWN (in an audit, so are the files not started).", valueName: "seconds"))
    var deadline: Double?

    @Option(name: .customLong("memory-limit"), help: ArgumentHelp("Most memory Z3 may use, all checks together (bytes, or with K, M or G; 0: no limit). A check that needs more is UNKNOWN.", valueName: "size"))
    var memoryLimit = ByteSize(bytes: 4 << 30)

    func validate() throws {
        if let deadline { guard deadline > 0, deadline <= 604_800 else { throw ValidationError("--deadline must be between 0 and 604800 seconds") } }
        guard memoryLimit.bytes == 0 || memoryLimit.bytes >= 16 << 20 else { throw ValidationError("--memory-limit must be 0 (no limit) or at least 16M") }
    }

    /// Applies the memory limit and returns the command's deadline, which Ctrl-C and SIGTERM also end
    /// (`RunInterruption`).
    func start() -> SolverDeadline {
        SolverMemory.setLimit(bytes: memoryLimit.bytes)
        guard let deadline else { return SolverDeadline() }
        return SolverDeadline(.now + .milliseconds(Int(deadline * 1000)), reason: "the command's deadline (--deadline \(Self.seconds(deadline)) s) passed")
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
