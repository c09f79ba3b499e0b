import Foundation

extension ActionCatalog {
    /// Why a catalogue could not be loaded.
    public enum LoadError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The resource bundle has no `action-catalog.tsv` (a packaging error).
        case resourceMissing(name: String)
        /// The file exists but could not be read.
        case unreadable(path: String, reason: String)
        /// The text is not a valid catalogue; `line` is 1-based.
        case malformed(line: Int, reason: String)

        /// The 1-based line of a `.malformed` error, otherwise `nil`.
        public var line: Int? {
            if case .malformed(let line, _) = self { line } else { nil }
        }

        public var description: String {
            switch self {
            case .resourceMissing(let name): "the action catalogue resource \(name) is missing from the bundle"
            case .unreadable(let path, let reason): "cannot read the action catalogue \(path): \(reason)"
            case .malformed(let line, let reason): "action catalogue line \(line): \(reason)"
            }
        }
    }

    /// The file name of the shipped catalogue in the module's resource bundle.
    static let resourceFileName = "action-catalog.tsv"

    /// The shipped catalogue, loaded and checked on first use (once per process, thread-safely).
    ///
    /// Loading cannot fail for a correctly built package. If it does fail (the file is missing from the
    /// resource bundle, unreadable or corrupt), this returns an **empty** catalogue whose `loadError` says why,
    /// so lookups find nothing rather than crash; code that must not run without the catalogue should call
    /// `load()`, which throws that error, or check `loadError`. (If the whole resource bundle is absent,
    /// SwiftPM's generated `Bundle.module` accessor stops the process; that is a packaging error this type
    /// cannot intercept.)
    public static let bundled: ActionCatalog = {
        switch bundledResult {
        case .success(let catalog): catalog
        case .failure(let error): ActionCatalog(index: Index(), loadError: error)
        }
    }()

    /// The shipped catalogue, loaded on first use and cached; the same instance as `bundled`.
    /// - Throws: the `LoadError` that made loading fail, on every call.
    public static func load() throws(LoadError) -> ActionCatalog {
        try bundledResult.get()
    }

    private static let bundledResult: Result<ActionCatalog, LoadError> = Result { () throws(LoadError) in
        guard let url = Bundle.module.url(forResource: resourceFileName, withExtension: nil) else {
            throw LoadError.resourceMissing(name: resourceFileName)
        }
        return try ActionCatalog(contentsOf: url)
    }

    /// Reads and parses a catalogue file (see `init(tsv:)` for the checks).
    /// - Throws: `LoadError.unreadable` when the file cannot be read, `LoadError.malformed` when it is invalid.
    public convenience init(contentsOf url: URL) throws(LoadError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw LoadError.unreadable(path: url.path, reason: "\(error)")
        }
        let bytes = data.withUnsafeBytes { Array($0.bindMemory(to: UInt8.self)) }
        try self.init(bytes: bytes)
    }
}
