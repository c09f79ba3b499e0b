/// The condition keys of a request. Key names are case-insensitive (tag keys included); each key has
/// one value or a set of values.
public struct RequestContext: Sendable, Equatable {
    /// One key's values as the caller gave them.
    public struct Entry: Sendable, Equatable {
        /// The key name as first written.
        public var name: String
        public var values: [String]
        /// Whether the key was given as a set (`["a", "b"]`), even of one value.
        public var isSet: Bool

        public init(name: String, values: [String], isSet: Bool) {
            self.name = name
            self.values = values
            self.isSet = isSet
        }
    }

    private var entries: [String: Entry] = [:]

    public init() {}

    /// A context from single values and sets.
    public init(_ values: [String: [String]]) {
        for (key, list) in values { setValues(list, for: key) }
    }

    /// Sets a single-valued key.
    public mutating func set(_ value: String, for key: String) {
        entries[key.lowercased()] = Entry(name: key, values: [value], isSet: false)
    }

    /// Sets a multivalued key.
    public mutating func setValues(_ values: [String], for key: String) {
        entries[key.lowercased()] = Entry(name: key, values: values, isSet: true)
    }

    /// Sets the key only when the caller did not give it.
    public mutating func setDefault(_ value: String?, for key: String) {
        setDefault(value, for: key, lowercased: key.lowercased())
    }

    /// `setDefault(_:for:)` with the key's lower-case form already known (hot path).
    mutating func setDefault(_ value: String?, for key: String, lowercased: String) {
        guard let value, entries[lowercased] == nil else { return }
        entries[lowercased] = Entry(name: key, values: [value], isSet: false)
    }

    /// The entry for `key`, looked up case-insensitively; `nil` when the key is absent.
    public func entry(_ key: String) -> Entry? { entries[key.lowercased()] }

    /// Every entry, sorted by key name.
    public var allEntries: [Entry] { entries.values.sorted { $0.name.lowercased() < $1.name.lowercased() } }

    public var isEmpty: Bool { entries.isEmpty }
}
