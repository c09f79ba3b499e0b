import Dispatch
import Foundation
import PolicyExplorer

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The terminal the explorer draws on: raw mode (no echo, no line editing, Ctrl-C read as a key), the
/// alternate screen and a hidden cursor while it runs. `restore` gives the terminal back as it was;
/// it runs on quit, on errors (the caller's `defer`), on SIGTERM and SIGHUP, and at process exit.
final class Terminal {
    private var original = termios()
    private var isRaw = false
    /// A byte read while looking for an escape sequence that was not part of one.
    private var pushedBack: UInt8?
    private static let restoreSequence = "\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l"
    /// The settings to put back from a signal handler (which cannot reach an instance).
    nonisolated(unsafe) private static var saved: termios?
    nonisolated(unsafe) private static var signalSources: [DispatchSourceSignal] = []

    /// Whether standard input and output are both a terminal.
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// Enters raw mode and the alternate screen.
    func enter() throws {
        guard tcgetattr(STDIN_FILENO, &original) == 0 else { throw TerminalError("cannot read the terminal's settings: \(String(cString: strerror(errno)))") }
        var raw = original
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL | BRKINT | INPCK | ISTRIP)
        raw.c_cflag |= tcflag_t(CS8)
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0 else { throw TerminalError("cannot put the terminal in raw mode: \(String(cString: strerror(errno)))") }
        isRaw = true
        Self.saved = original
        atexit { Terminal.restoreSaved() }
        // A crash (a trap, a fault) must not leave the shell in raw mode: restore, then die of it.
        for number in [SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGSEGV, SIGFPE] {
            signal(number) { received in
                Terminal.restoreSaved()
                signal(received, SIG_DFL)
                raise(received)
            }
        }
        for number in [SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                Terminal.restoreSaved()
                _exit(128 + number)
            }
            source.resume()
            Self.signalSources.append(source)
        }
        output("\u{1B}[?1049h\u{1B}[?25l\u{1B}[H\u{1B}[2J")
    }

    /// Leaves the alternate screen and puts the settings back. Safe to call twice.
    func restore() {
        guard isRaw else { return }
        isRaw = false
        Self.restoreSaved()
    }

    /// Only async-signal-safe calls (`write`, `tcsetattr`) on prepared bytes: also runs in signal handlers.
    private static func restoreSaved() {
        guard var settings = saved else { return }
        saved = nil
        restoreBytes.withUnsafeBufferPointer { _ = write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &settings)
    }

    private static let restoreBytes = Array(restoreSequence.utf8)

    /// Columns and rows (80 × 24 when the terminal does not say).
    var size: (width: Int, height: Int) {
        var window = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 else { return (80, 24) }
        return (Int(window.ws_col), Int(window.ws_row))
    }

    /// Draws a whole frame in one write (no flicker), styles as ANSI colours when `useColor`.
    func draw(_ rows: [ScreenLine], useColor: Bool) {
        var frame = "\u{1B}[H"
        for (index, row) in rows.enumerated() {
            for span in row.spans {
                let code = useColor ? Self.code(span.style) : (span.style == .title ? "7" : nil)
                frame += code.map { "\u{1B}[\($0)m" + span.text + "\u{1B}[0m" } ?? span.text
            }
            frame += "\u{1B}[K" + (index + 1 < rows.count ? "\r\n" : "")
        }
        output(frame + "\u{1B}[J")
    }

    static func code(_ style: ScreenStyle) -> String? {
        switch style {
        case .plain: nil
        case .title: "1;7"
        case .heading: "1"
        case .dim: "2"
        case .key: "36"
        case .pass: "1;30;42"
        case .fail: "1;37;41"
        case .unknown: "1;30;43"
        case .grant, .added: "32"
        case .condition: "33"
        case .deny, .removed: "31"
        case .status: "1;34"
        }
    }

    /// The next key, or `nil` when none came within `timeout` milliseconds (so the caller can notice a resize).
    func readKey(timeout: Int32) -> ExplorerKey? {
        guard let byte = readByte(timeout: timeout) else { return nil }
        switch byte {
        case 3: return .interrupt
        case 13, 10: return .enter
        case 27:
            // An escape sequence follows at once; a lone Esc does not.
            guard let next = readByte(timeout: 30) else { return .escape }
            guard next == UInt8(ascii: "[") || next == UInt8(ascii: "O") else {
                pushedBack = next  // Esc, then a key typed quickly: both count
                return .escape
            }
            guard let final = readByte(timeout: 30) else { return .escape }
            switch final {
            case UInt8(ascii: "A"): return .up
            case UInt8(ascii: "B"): return .down
            case UInt8(ascii: "5"), UInt8(ascii: "6"):
                _ = readByte(timeout: 30)  // the closing "~"
                return final == UInt8(ascii: "5") ? .pageUp : .pageDown
            default: return .escape
            }
        default:
            // A UTF-8 character: the lead byte says how many continuation bytes follow.
            var bytes = [byte]
            let extra = byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : byte >= 0xC0 ? 1 : 0
            for _ in 0..<extra { if let more = readByte(timeout: 30) { bytes.append(more) } }
            return String(decoding: bytes, as: UTF8.self).first.map(ExplorerKey.character)
        }
    }

    private func readByte(timeout: Int32) -> UInt8? {
        if let byte = pushedBack {
            pushedBack = nil
            return byte
        }
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, timeout) > 0 else { return nil }
        var byte: UInt8 = 0
        // End of input (the terminal went away) reads as Ctrl-C: quit and restore.
        guard read(STDIN_FILENO, &byte, 1) == 1 else { return 3 }
        return byte
    }

    private func output(_ text: String) {
        var data = Array(text.utf8)
        var offset = 0
        while offset < data.count {
            let written = data.withUnsafeMutableBytes { write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { if errno == EINTR { continue }; return }
            offset += written
        }
    }
}

struct TerminalError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
