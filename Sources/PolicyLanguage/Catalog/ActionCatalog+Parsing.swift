import Foundation

// Reading the catalogue file: one pass that checks every record and builds `Index`. The format is documented
// in the file's header and in Catalog/Resources/README.md; scripts/generate-action-catalog.py writes it.

extension ActionCatalog {
    /// The format version this parser reads (the `V` record).
    static let formatVersion = "1"

    /// Parses a catalogue in the TSV format of `Catalog/Resources/action-catalog.tsv`.
    ///
    /// The whole text is checked before this returns: record kinds and field counts, access-level codes,
    /// action names, that services, resource types and actions are sorted as the generator writes them and
    /// appear once (ignoring case for services and actions), that every resource type an action or T record
    /// names is defined, that lists have no empty items, and that the closing `E` record is present, is last
    /// and matches the counts.
    /// - Throws: `LoadError.malformed` with the 1-based line number of the first problem.
    public convenience init(tsv text: String) throws(LoadError) {
        var text = text
        let bytes = text.withUTF8 { Array($0) }
        try self.init(bytes: bytes)
    }

    /// Parses catalogue text given as UTF-8 bytes; see `init(tsv:)`.
    convenience init(bytes: [UInt8]) throws(LoadError) {
        // Offsets are stored as Int32.
        guard bytes.count < Int(Int32.max) else { throw LoadError.malformed(line: 1, reason: "the text is larger than 2 GB") }
        let result: Result<Index, LoadError> = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(LoadError) -> Index in
                var parser = Parser(text: buffer)
                return try parser.parse()
            }
        }
        var index = try result.get()
        index.text = bytes
        self.init(index: index, loadError: nil)
    }

    /// The checking, indexing pass over the catalogue text. It does not build `ActionInfo` values.
    struct Parser {
        private let text: Bytes
        private var index = Index()
        /// 1-based number of the line being read.
        private var line = 0
        /// Field ranges of the current line.
        private var starts: [Int] = Array(repeating: 0, count: maxFields)
        private var ends: [Int] = Array(repeating: 0, count: maxFields)
        private var fieldCount = 0
        private static let maxFields = 8

        // The service being read.
        private var inService = false
        private var prefix = ""
        private var prefixBytes: [UInt8] = []
        /// The lowercased prefix and a colon: keys starting with it belong to the service.
        private var ownerKeyPrefix = ""
        private var serviceKeys: [ConditionKeyInfo] = []
        private var resourceNames: [Range<Int>] = []
        private var firstAction = 0
        // The last A record, for its T records.
        private var inAction = false
        private var actionTypes: [Range<Int>] = []
        private var actionTypeCount = 0

        // Keys seen so far: lowercased name → key and whether it came from the service that owns its prefix.
        private var keys: [String: (info: ConditionKeyInfo, fromOwner: Bool)] = [:]
        private var definedKeyCount = 0

        init(text: UnsafeBufferPointer<UInt8>) {
            self.text = Bytes(text)
            index.lowerNames.reserveCapacity(text.count / 2)
            index.nameOffsets.reserveCapacity(text.count / 64)
            index.actionLines.reserveCapacity(text.count / 64)
        }

        mutating func parse() throws(LoadError) -> Index {
            var position = 0
            var sawVersion = false
            var sawEnd = false
            let count = text.buffer.count
            while position < count {
                line += 1
                let lineStart = position
                var lineEnd = text.find(0x0A, from: position, to: count) ?? count
                position = lineEnd + 1
                if lineEnd > lineStart, text.buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }  // tolerate CRLF
                if lineEnd == lineStart || text.buffer[lineStart] == 0x23 { continue }  // "#"
                try split(lineStart, lineEnd)

                if sawEnd { throw malformed("content after the closing E record") }
                guard ends[0] - starts[0] == 1 else { throw malformed("unknown record kind \"\(string(0))\"") }
                let kind = text.buffer[lineStart]
                if !sawVersion {
                    guard kind == UInt8(ascii: "V") else {
                        throw malformed("the first record must be V (the format version)")
                    }
                    try expectFields(2)
                    guard string(1) == ActionCatalog.formatVersion else {
                        throw malformed(
                            "unsupported format version \(string(1)); this library reads \(ActionCatalog.formatVersion)")
                    }
                    sawVersion = true
                    continue
                }
                if kind != UInt8(ascii: "T") { inAction = false }
                switch kind {
                case UInt8(ascii: "S"): try readService()
                case UInt8(ascii: "K"): try readKey(defined: true)
                case UInt8(ascii: "U"): try readKey(defined: false)
                case UInt8(ascii: "R"): try readResource(lineStart)
                case UInt8(ascii: "A"): try readAction(lineStart)
                case UInt8(ascii: "T"): try readActionTypeDetails()
                case UInt8(ascii: "E"):
                    try readEnd()
                    sawEnd = true
                default: throw malformed("unknown record kind \"\(string(0))\"")
                }
            }
            guard sawVersion else {
                line = max(line, 1)
                throw malformed("no V record: the text is not an action catalogue")
            }
            guard sawEnd else {
                line += 1
                throw malformed("missing closing E record: the catalogue is truncated")
            }
            finishKeys()
            return index
        }

        // MARK: Records

        private mutating func readService() throws(LoadError) {
            try expectFields(4)
            finishService()
            prefix = string(1)
            guard !prefix.isEmpty, !contains(UInt8(ascii: ":"), field: 1) else {
                throw malformed("invalid service prefix \"\(prefix)\"")
            }
            let lowered = ActionCatalog.asciiLowercased(prefix)
            if let previous = index.prefixes.last, ActionCatalog.asciiLowercased(previous) >= lowered {
                throw malformed(ActionCatalog.asciiLowercased(previous) == lowered
                    ? "duplicate service \(prefix)" : "service \(prefix) is out of order (after \(previous))")
            }
            index.serviceIndex[lowered] = index.prefixes.count
            index.prefixes.append(prefix)
            index.serviceNames.append(string(2))
            index.serviceURLs.append(string(3))
            prefixBytes = Array(lowered.utf8)
            ownerKeyPrefix = lowered + ":"
            firstAction = index.actionLines.count
            inService = true
        }

        private mutating func readKey(defined: Bool) throws(LoadError) {
            try requireService()
            try expectFields(defined ? 3 : 2)
            let name = string(1)
            guard contains(UInt8(ascii: ":"), field: 1) else {
                throw malformed("condition key \"\(name)\" has no prefix")
            }
            let info: ConditionKeyInfo
            if defined {
                let (type, isMultivalued) = ConditionKeyType.fromPolicySentry(string(2))
                info = ConditionKeyInfo(name: name, type: type, isMultivalued: isMultivalued)
                definedKeyCount += 1
            } else {
                info = ConditionKeyInfo(name: name, type: .unknown, isMultivalued: false)
            }
            serviceKeys.append(info)
            let lowered = ActionCatalog.asciiLowercased(name)
            let fromOwner = defined && lowered.hasPrefix(ownerKeyPrefix)
            if let existing = keys[lowered] {
                // Services disagree now and then (identitystore:UserId); the owning service wins, otherwise the
                // first definition in prefix order. A defined key replaces a merely used (unknown) one.
                if (fromOwner && !existing.fromOwner) || (defined && existing.info.type == .unknown) {
                    keys[lowered] = (info, fromOwner)
                }
            } else {
                keys[lowered] = (info, fromOwner)
            }
        }

        private mutating func readResource(_ lineStart: Int) throws(LoadError) {
            try requireService()
            try expectFields(4)
            let name = starts[1]..<ends[1]
            guard !name.isEmpty, !contains(UInt8(ascii: ","), field: 1) else {
                throw malformed("invalid resource type name \"\(string(1))\"")
            }
            if let previous = resourceNames.last, text.compare(previous, name) >= 0 {
                throw malformed(text.compare(previous, name) == 0
                    ? "duplicate resource type \(string(1))" : "resource type \(string(1)) is out of order")
            }
            resourceNames.append(name)
            index.resourceLines.append(Int32(lineStart))
            try checkList(3)
        }

        /// Problems `readAction` reports; turned into messages by `actionError`, which keeps string building
        /// (and its large stack frame) out of the per-action path.
        private enum ActionProblem {
            case emptyName, invalidName, accessLevel, duplicate, outOfOrder, emptyResourceType
            case undefinedResourceType(Range<Int>)
        }

        private mutating func readAction(_ lineStart: Int) throws(LoadError) {
            try requireService()
            try expectFields(6)
            let nameStart = starts[1]
            let nameEnd = ends[1]
            guard nameEnd > nameStart else { throw actionError(.emptyName) }
            guard ends[2] - starts[2] == 1, AccessLevel(catalogCode: text.buffer[starts[2]]) != nil else {
                throw actionError(.accessLevel)
            }
            // No ":", "*", "?" or "," in names.
            guard text.find(0x3A, from: nameStart, to: nameEnd) == nil, text.find(0x2A, from: nameStart, to: nameEnd) == nil,
                text.find(0x3F, from: nameStart, to: nameEnd) == nil, text.find(0x2C, from: nameStart, to: nameEnd) == nil
            else { throw actionError(.invalidName) }

            // Append the lowercased `prefix:name` to the name table.
            let offset = index.lowerNames.count
            index.lowerNames.append(contentsOf: prefixBytes)
            index.lowerNames.append(0x3A)  // ":"
            let nameOffset = index.lowerNames.count
            index.lowerNames.append(
                contentsOf: UnsafeBufferPointer(start: text.buffer.baseAddress! + nameStart, count: nameEnd - nameStart))
            let tableEnd = index.lowerNames.count
            // Names must increase strictly within the service: that makes lookups a binary search and
            // rules out duplicates that differ only in case.
            let isFirst = index.actionLines.count == firstAction
            let previousStart = isFirst ? 0 : Int(index.nameOffsets[index.nameOffsets.count - 2]) + prefixBytes.count + 1
            let order = index.lowerNames.withUnsafeMutableBufferPointer { names -> Int in
                let base = names.baseAddress!
                for i in nameOffset..<tableEnd where base[i] &- 0x41 < 26 { base[i] |= 0x20 }
                if isFirst { return -1 }
                return ActionCatalog.compare(
                    UnsafeBufferPointer(start: base + previousStart, count: offset - previousStart),
                    UnsafeBufferPointer(start: base + nameOffset, count: tableEnd - nameOffset))
            }
            if order >= 0 { throw actionError(order == 0 ? .duplicate : .outOfOrder) }
            index.nameOffsets.append(Int32(tableEnd))
            index.actionLines.append(Int32(lineStart))

            // Resource types: each defined by the service, optionally marked `*` (required).
            actionTypeCount = 0
            var itemStart = starts[3]
            let fieldEnd = ends[3]
            while itemStart < fieldEnd {
                let itemEnd = text.find(0x2C, from: itemStart, to: fieldEnd) ?? fieldEnd  // ","
                let nameEnd = text.buffer[itemEnd - 1] == 0x2A ? itemEnd - 1 : itemEnd  // "*" marks required
                guard nameEnd > itemStart else { throw actionError(.emptyResourceType) }
                let nameRange = itemStart..<nameEnd
                guard text.sortedNames(resourceNames, contain: nameRange) else {
                    throw actionError(.undefinedResourceType(nameRange))
                }
                if actionTypeCount < actionTypes.count {
                    actionTypes[actionTypeCount] = nameRange
                } else {
                    actionTypes.append(nameRange)
                }
                actionTypeCount += 1
                itemStart = itemEnd + 1
                if itemStart == fieldEnd { throw actionError(.emptyResourceType) }
            }
            try checkList(4)
            try checkList(5)
            inAction = true
        }

        private mutating func actionError(_ problem: ActionProblem) -> LoadError {
            let name = string(1)
            return switch problem {
            case .emptyName: malformed("empty action name")
            case .invalidName: malformed("invalid action name \"\(name)\"")
            case .accessLevel: malformed("invalid access level \"\(string(2))\"; expected one of L, R, W, P, T")
            case .duplicate: malformed("duplicate action \(prefix):\(name)")
            case .outOfOrder: malformed("action \(prefix):\(name) is out of order")
            case .emptyResourceType: malformed("empty resource type in the list of \(prefix):\(name)")
            case .undefinedResourceType(let range):
                malformed("action \(prefix):\(name) names resource type \"\(text.string(range))\", "
                    + "which the service does not define")
            }
        }

        private mutating func readActionTypeDetails() throws(LoadError) {
            guard inAction else { throw malformed("T record without a preceding A record") }
            try expectFields(4)
            let name = starts[1]..<ends[1]
            var listed = false
            for i in 0..<actionTypeCount where text.compare(actionTypes[i], name) == 0 { listed = true }
            guard listed else {
                throw malformed("T record for resource type \"\(string(1))\", which the preceding action does not list")
            }
            try checkList(2)
            try checkList(3)
        }

        private mutating func readEnd() throws(LoadError) {
            finishService()
            try expectFields(5)
            let actual = [index.prefixes.count, index.actionLines.count, index.resourceLines.count, definedKeyCount]
            let names = ["services", "actions", "resource types", "condition keys"]
            for i in 0..<4 {
                guard let declared = Int(string(i + 1)), declared == actual[i] else {
                    throw malformed("the E record declares \(string(i + 1)) \(names[i]) but the catalogue has \(actual[i])")
                }
            }
        }

        // MARK: Finishing

        private mutating func finishService() {
            guard inService else { return }
            inService = false
            index.serviceKeys.append(serviceKeys)
            index.actionStart.append(index.actionLines.count)
            index.resourceStart.append(index.resourceLines.count)
            serviceKeys = []
            resourceNames.removeAll(keepingCapacity: true)
        }

        private mutating func finishKeys() {
            index.keyIndex.reserveCapacity(keys.count)
            for (lowered, entry) in keys { index.keyIndex[lowered] = entry.info }
            index.templatedKeys = index.keyIndex.values
                .filter { $0.name.utf8.contains(0x24) || $0.name.utf8.contains(0x3C) }  // "$" or "<"
                .compactMap { info in
                    ConditionKeyInfo.Template.glob(for: info.name).map { TemplatedKey(glob: $0, info: info) }
                }
                .sorted { $0.info.name < $1.info.name }
        }

        // MARK: Fields

        private mutating func malformed(_ reason: String) -> LoadError {
            .malformed(line: line, reason: reason)
        }

        // The helpers below are `mutating` although they only read: a non-mutating call copies the whole
        // parser (retaining each of its arrays) in debug builds, which made loading several times slower.

        private mutating func requireService() throws(LoadError) {
            guard inService else { throw malformed("record before the first S record") }
        }

        private mutating func expectFields(_ count: Int) throws(LoadError) {
            guard fieldCount == count else {
                throw malformed("expected \(count) tab-separated fields, found \(fieldCount)")
            }
        }

        /// Splits `lineStart..<lineEnd` at tabs into `starts`/`ends`.
        private mutating func split(_ lineStart: Int, _ lineEnd: Int) throws(LoadError) {
            fieldCount = 0
            var start = lineStart
            while true {
                guard fieldCount < Self.maxFields else { throw malformed("too many tab-separated fields") }
                let end = text.find(0x09, from: start, to: lineEnd) ?? lineEnd
                starts[fieldCount] = start
                ends[fieldCount] = end
                fieldCount += 1
                if end == lineEnd { return }
                start = end + 1
            }
        }

        private mutating func string(_ field: Int) -> String {
            text.string(starts[field]..<ends[field])
        }

        private mutating func contains(_ byte: UInt8, field: Int) -> Bool {
            text.find(byte, from: starts[field], to: ends[field]) != nil
        }

        private mutating func checkList(_ field: Int) throws(LoadError) {
            if text.hasEmptyItem(starts[field]..<ends[field]) {
                throw malformed("empty item in a comma-separated list")
            }
        }
    }
}
