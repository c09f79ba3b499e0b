import ArgumentParser
import Dispatch
import Foundation
import SMT
import Synchronization

/// Ctrl-C (SIGINT) and SIGTERM during a command that proves: the first signal stops every solver check
/// of the run at once (each open question becomes UNKNOWN, "interrupted"), so the command ends soon with
/// what it has finished; a second signal, or the command not ending within `grace`, exits at once. The
/// exit status is 128 + the signal (130, 143), as shells report it.
enum RunInterruption {
    private static let signalled = Atomic<Int32>(0)
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    private static let queue = DispatchQueue(label: "PolicyProver.RunInterruption")

    /// How long the command may take to end after the first signal.
    static let grace: DispatchTimeInterval = .seconds(10)

    /// Starts listening. `stopping` is printed when the first signal arrives; `lastWords` when the
    /// command must exit at once (second signal or grace over).
    static func install(deadline: SolverDeadline, stopping: String, lastWords: String) {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler {
                let (first, _) = signalled.compareExchange(expected: 0, desired: signalNumber, ordering: .sequentiallyConsistent)
                guard first else { exitNow(lastWords, status: 128 + signalNumber) }
                FileHandle.standardError.write(Data("\n\(stopping)\n".utf8))
                deadline.stopNow(reason: signalNumber == SIGINT ? "interrupted (Ctrl-C)" : "stopped (SIGTERM)")
                queue.asyncAfter(deadline: .now() + grace) { exitNow(lastWords, status: 128 + signalNumber) }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The signal received, if any.
    static var received: Int32? {
        let value = signalled.load(ordering: .sequentiallyConsistent)
        return value == 0 ? nil : value
    }

    /// The exit code a command stopped by a signal ends with.
    static var exitCode: ExitCode? { received.map { ExitCode(128 + $0) } }

    private static func exitNow(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
        _exit(status)
    }
}
