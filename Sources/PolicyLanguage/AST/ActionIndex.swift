/// The entries of an `Action`/`NotAction` element grouped by lower-cased service prefix, so that
/// matching an action looks only at the entries of its own service. Large policies (ReadOnlyAccess has
/// about 2,400 entries) would otherwise scan every entry for every request.
struct ActionIndex: Sendable {
    /// Whether an entry is `*`.
    let matchesEveryAction: Bool
    /// Lower-cased name patterns (after the colon) by lower-cased service prefix.
    let namesByService: [Substring: [Substring]]
    /// Lower-cased entries that have no plain service prefix (no colon, or a wildcard in the prefix),
    /// matched against the whole action.
    let others: [String]

    init(_ patterns: [ActionPattern]) {
        var matchesEveryAction = false
        var namesByService: [Substring: [Substring]] = [:]
        var others: [String] = []
        for pattern in patterns {
            if pattern.matchesEveryAction {
                matchesEveryAction = true
                continue
            }
            let lowered = Self.asciiLowercased(pattern.text)
            if let colon = lowered.firstIndex(of: ":"), !lowered[..<colon].contains(where: { $0 == "*" || $0 == "?" }) {
                namesByService[lowered[..<colon], default: []].append(lowered[lowered.index(after: colon)...])
            } else {
                others.append(lowered)
            }
        }
        self.matchesEveryAction = matchesEveryAction
        self.namesByService = namesByService
        self.others = others
    }

    /// Whether any entry matches `action`, ignoring ASCII case as IAM does for action names.
    func matches(_ action: String) -> Bool {
        matchesEveryAction || matches(MatchableAction(action))
    }

    /// `matches(_:)` for an action lower-cased and split once.
    func matches(_ action: MatchableAction) -> Bool {
        if matchesEveryAction { return true }
        if let service = action.service, let names = namesByService[service], let name = action.actionName {
            if names.contains(where: { Wildcard.matches($0, name, caseInsensitive: false) }) { return true }
        }
        return others.contains { Wildcard.matches($0, action.lowered, caseInsensitive: false) }
    }

    /// Whether some entry may match an action of `service` (lower-cased): `false` means none does.
    func mayMatch(service: Substring) -> Bool {
        matchesEveryAction || !others.isEmpty || namesByService[service] != nil
    }

    /// Lower-cases ASCII letters only, the folding the wildcard matcher uses for actions.
    static func asciiLowercased(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 65 && $0 <= 90 }) else { return text }
        return String(decoding: text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }
}

/// An action read once for matching against many action elements (`ActionElement.anyEntryMatches`):
/// lower-cased as IAM folds action names (ASCII letters only) and split at its first colon.
public struct MatchableAction: Sendable {
    /// The action as given.
    public let text: String
    /// `text` with ASCII letters lower-cased.
    let lowered: String
    /// The lower-cased service prefix, `nil` without a colon.
    public let service: Substring?
    /// The lower-cased name after the colon, `nil` without one.
    let actionName: Substring?

    public init(_ action: String) {
        text = action
        let lowered = ActionIndex.asciiLowercased(action)
        self.lowered = lowered
        if let colon = lowered.utf8.firstIndex(of: UInt8(ascii: ":")) {
            service = lowered[..<colon]
            actionName = lowered[lowered.utf8.index(after: colon)...]
        } else {
            service = nil
            actionName = nil
        }
    }
}
