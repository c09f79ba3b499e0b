import Foundation

/// A real terminal for end-to-end tests of the explorer: a private tmux server (its own socket) with
/// one window of a fixed size running a plain shell. Keys are sent with `send-keys`, the screen read
/// with `capture-pane`, as a person would type and look.
final class TmuxSession {
    /// The tmux executable on PATH, if there is one.
    static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/tmux" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let prompt = "explore-test$ "
    /// The one pane, named in full (session, window, pane) so that tmux never looks for a current client.
    static let pane = "=test:0.0"

    private let socket: String
    private let server = Process()

    /// Starts the server (in the foreground, `-D`: it does not need a daemon's `/dev/null`) and a
    /// `width` × `height` window running bash in `directory`.
    init(width: Int, height: Int, directory: URL, environment: [String: String] = [:]) throws {
        guard let executable = Self.executable else { throw TmuxError("tmux is not installed") }
        socket = NSTemporaryDirectory() + "policyprover-tmux-\(getpid())-\(UUID().uuidString.prefix(8))"
        server.executableURL = URL(fileURLWithPath: executable)
        server.arguments = ["-D", "-S", socket, "-f", "/dev/null"]
        server.standardInput = FileHandle.nullDevice
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        let started = Date()
        while !FileManager.default.fileExists(atPath: socket) {
            guard Date().timeIntervalSince(started) < 10 else { throw TmuxError("the tmux server did not start") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let variables = ["PS1": Self.prompt, "TERM": "xterm-256color", "HOME": NSTemporaryDirectory(), "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"].merging(environment) { $1 }
        let shell = ["env", "-i"] + variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + ["bash", "--norc", "--noprofile"]
        try tmux(["new-session", "-d", "-s", "test", "-x", "\(width)", "-y", "\(height)", "-c", directory.path, shell.map(Self.quoted).joined(separator: " ")])
        // A client whose standard input is not a terminal makes tmux show that input in the new pane,
        // in view mode, where keys are copy-mode commands: leave the mode before typing.
        if try paneValue("pane_in_mode") == "1" { try tmux(["send-keys", "-t", Self.pane, "-X", "cancel"]) }
        // capture-pane drops trailing spaces, so the prompt is looked for without its space.
        _ = try wait(for: Self.prompt.trimmingCharacters(in: .whitespaces), timeout: 20)
    }

    deinit {
        _ = try? tmux(["kill-server"])
        // Not `waitUntilExit`: it can hang when the server is gone already; a bounded poll instead.
        let started = Date()
        while server.isRunning, Date().timeIntervalSince(started) < 2 { Thread.sleep(forTimeInterval: 0.02) }
        if server.isRunning { server.terminate() }
        try? FileManager.default.removeItem(atPath: socket)
    }

    /// Types `line` and presses Enter.
    func type(_ line: String) throws {
        try tmux(["send-keys", "-t", Self.pane, "-l", line])
        try tmux(["send-keys", "-t", Self.pane, "Enter"])
    }

    /// Presses keys by tmux name (`n`, `Escape`, `C-c`).
    func press(_ keys: String...) throws {
        try tmux(["send-keys", "-t", Self.pane] + keys)
    }

    /// Resizes the window, as a person dragging the terminal's corner.
    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", Self.pane, "-x", "\(width)", "-y", "\(height)"])
    }

    /// The screen as text, one line per row.
    func screen() throws -> String {
        try tmux(["capture-pane", "-p", "-t", Self.pane])
    }

    /// A tmux format value of the pane (`alternate_on`, `cursor_flag`, …).
    func paneValue(_ format: String) throws -> String {
        try tmux(["display-message", "-p", "-t", Self.pane, "#{\(format)}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The screen once `text` is on it; throws with the last screen after `timeout` seconds (generous:
    /// in the full suite the debug binary shares two cores with the differential tests).
    @discardableResult
    func wait(for text: String, timeout: Double = 150) throws -> String {
        try wait(timeout: timeout, what: text) { $0.contains(text) }
    }

    /// The screen once `condition` holds of it.
    @discardableResult
    func wait(timeout: Double = 150, what: String, until condition: (String) -> Bool) throws -> String {
        let started = Date()
        var last = ""
        while Date().timeIntervalSince(started) < timeout {
            last = try screen()
            if condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw TmuxError("waited \(timeout) s for \(what); the screen shows:\n\(last)")
    }

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable!)
        process.arguments = ["-S", socket] + arguments
        // Not the test run's standard input (tmux would show what it holds in the new pane).
        process.standardInput = Pipe()
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            let sessions = arguments == ["list-sessions"] ? "" : ((try? tmux(["list-sessions"])) ?? "(list-sessions failed too)")
            throw TmuxError("tmux \(arguments.joined(separator: " ")) failed: \(text) [sessions: \(sessions)] [socket exists: \(FileManager.default.fileExists(atPath: socket))] [server running: \(server.isRunning)]")
        }
        return text
    }

    private static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

struct TmuxError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
