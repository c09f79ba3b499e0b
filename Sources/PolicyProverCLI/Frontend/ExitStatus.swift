import ArgumentParser

/// The exit codes of every command (DESIGN.md "Commands").
enum ExitStatus: Int32 {
    case passed = 0
    case failed = 1
    case invalidInput = 2
    case unknown = 3

    var exitCode: ExitCode { ExitCode(rawValue) }
}
