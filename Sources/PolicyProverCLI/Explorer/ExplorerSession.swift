import Foundation
import PolicyExplorer
import PolicyVerifier

/// Runs the explorer: draws the state, reads keys, hands proof commands to the engine and carries out
/// the file commands (save, export). All the logic is in `ExplorerState`; this only connects it to the
/// terminal and the file system.
struct ExplorerSession {
    var state: ExplorerState
    let engine: ExplorerEngine
    let savePath: String
    let exportPath: String
    let useColor: Bool
    private var saved: [String] = []
    private var exported: [String] = []

    init(state: ExplorerState, engine: ExplorerEngine, savePath: String, exportPath: String, useColor: Bool) {
        self.state = state
        self.engine = engine
        self.savePath = savePath
        self.exportPath = exportPath
        self.useColor = useColor
    }

    mutating func run() throws {
        let terminal = Terminal()
        try terminal.enter()
        defer { terminal.restore() }
        var size = terminal.size
        var pending = state.start()
        draw(terminal, size)
        while !state.isFinished {
            if !pending.isEmpty {
                let command = pending.removeFirst()
                let event = engine.run(command) ?? carryOut(command)
                if let event { pending += state.handle(event) }
                draw(terminal, size)
                continue
            }
            guard let key = terminal.readKey(timeout: 200) else {
                // No key: redraw only when the window changed size.
                if terminal.size != size {
                    size = terminal.size
                    draw(terminal, size)
                }
                continue
            }
            pending += state.handle(.key(key))
            size = terminal.size
            draw(terminal, size)
        }
    }

    private func draw(_ terminal: Terminal, _ size: (width: Int, height: Int)) {
        terminal.draw(ExplorerScreen.render(state, width: size.width, height: size.height), useColor: useColor)
    }

    /// The commands the engine leaves to the terminal layer.
    private mutating func carryOut(_ command: ExplorerCommand) -> ExplorerEvent? {
        switch command {
        case .save(let source):
            return write(source, to: savePath, what: "policy") { saved.append($0) }
        case .export(let found, let end, let earlier):
            return write(ExplorerExport.json(file: state.policy.policy.file, title: state.title, found: found, end: end, exclusions: state.exclusions, earlier: earlier), to: exportPath, what: "counterexamples") { exported.append($0) }
        case .quit, .search, .generalize, .explain, .suggestFix:
            return nil
        }
    }

    private func write(_ text: String, to path: String, what: String, done: (String) -> Void) -> ExplorerEvent {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            done(path)
            return .wrote(what: what, path: path)
        } catch {
            return .failed("could not write the \(what) to \(path): \(error.localizedDescription)")
        }
    }

    /// The last answer decides the exit status: proved, a counterexample, or unknown.
    var exitStatus: ExitStatus {
        if state.current != nil || (state.end == nil && !state.found.isEmpty) { return .failed }
        switch state.end {
        case .exhausted(let proof) where proof.propertyHolds: return .passed
        case .exhausted: return .failed
        case .unknown, nil: return .unknown
        }
    }

    /// One line for the shell once the terminal is restored.
    var summary: String {
        let shown = state.shownCount
        var parts = ["explored \(state.policy.policy.file) (\(state.title)): \(shown) counterexample\(shown == 1 ? "" : "s") shown"]
        if case .exhausted(let proof)? = state.end { parts.append(proof.propertyHolds ? "the property holds (proved)" : "none left beyond them (proved)") }
        if case .unknown(let reason)? = state.end { parts.append("UNKNOWN: \(reason)") }
        if !state.fixes.isEmpty { parts.append("\(state.fixes.count) fix\(state.fixes.count == 1 ? "" : "es") applied" + (state.hasUnsavedFix ? ", not saved" : "")) }
        parts += saved.last.map { ["edited policy saved to \($0)"] } ?? []
        parts += exported.last.map { ["counterexamples exported to \($0)"] } ?? []
        return parts.joined(separator: "; ")
    }
}
