/// The access level AWS assigns to an action in the Service Authorization Reference.
public enum AccessLevel: String, Sendable, Hashable, CaseIterable {
    case list
    case read
    case write
    case permissionsManagement
    case tagging

    /// The name AWS uses in its documentation, for example `Permissions management`.
    public var displayName: String {
        switch self {
        case .list: "List"
        case .read: "Read"
        case .write: "Write"
        case .permissionsManagement: "Permissions management"
        case .tagging: "Tagging"
        }
    }

    /// The level for a one-letter code of the catalogue file (`L`, `R`, `W`, `P`, `T`), or `nil`.
    init?(catalogCode: UInt8) {
        switch catalogCode {
        case UInt8(ascii: "L"): self = .list
        case UInt8(ascii: "R"): self = .read
        case UInt8(ascii: "W"): self = .write
        case UInt8(ascii: "P"): self = .permissionsManagement
        case UInt8(ascii: "T"): self = .tagging
        default: return nil
        }
    }
}
