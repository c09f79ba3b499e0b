import ArgumentParser
import PolicyLanguage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How findings are written.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif, junit
}

/// Options shared by the commands that report findings.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: OutputFormat = .text

    @Option(name: .long, help: "When to colour text output: auto (a terminal without NO_COLOR), always, never.")
    var color: ColorChoice = .auto

    /// Whether text output should use ANSI colours.
    var usesColor: Bool { color.allowsColor(onTerminal: isatty(STDOUT_FILENO) == 1) }
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    /// Whether to colour output written to a terminal (`isTerminal`) or not: `auto` colours a
    /// terminal unless `NO_COLOR` is set to something.
    func allowsColor(onTerminal isTerminal: Bool) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            let noColor = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
            return !noColor && isTerminal
        }
    }
}

extension PolicyType: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}
