import Yams

/// Finds both occurrences of a duplicate mapping key that Yams reported.
///
/// Yams refuses a mapping with a repeated key while composing it, but reports only one mark: the first
/// occurrence of the smallest repeated key, and no tree. To find the repetition without re-implementing
/// YAML, the locator lets Yams itself answer: it changes the first character of the reported key to
/// U+E000 (a private-use character: one column, so every line and column stays where it was) and
/// composes the text again. Either Yams then reports the same key at a later mark (its second
/// occurrence), or another duplicate of the same mapping (which is neutralised the same way, a bounded
/// number of times), or it succeeds; then the mapping holding the changed key is found in the tree, and
/// its first repeated key in document order is returned, with its first occurrence.
///
/// Returns `nil` when the key cannot be changed in place (block scalar or empty keys written with
/// unusual syntax), so that the caller can fall back to the first occurrence alone.
enum YAMLDuplicateKeyLocator {
    /// Lines and columns as Yams reports them (1-based, Unicode scalars).
    struct Position: Hashable {
        var line: Int
        var column: Int
    }

    struct Duplicate: Equatable {
        var key: String
        var first: Position
        var second: Position
    }

    /// At most this many recompositions; each costs one parse of the file.
    static let maxAttempts = 16

    static func locate(in text: String, key: String, reportedAt mark: Position) -> Duplicate? {
        var bytes = Array(text.utf8)
        var originals: [Position: String] = [:]
        var target = mark
        var targetKey = key
        for attempt in 0..<maxAttempts {
            guard originals[target] == nil, neutralizeKey(at: target, in: &bytes, marker: attempt) else { return nil }
            originals[target] = targetKey
            do {
                let parser = try Parser(yaml: String(decoding: bytes, as: UTF8.self), resolver: .basic, encoding: .utf8)
                guard let root = try parser.singleRoot() else { return nil }
                var budget = 2 * YAMLReader.maxNodes
                return findDuplicate(in: root, containing: mark, originals: originals, budget: &budget)
            } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
                guard let next = duplicates.first else { return nil }
                target = Position(line: context.mark.line, column: context.mark.column)
                targetKey = next
            } catch {
                return nil
            }
        }
        return nil
    }

    /// Replaces the first character of the key scalar at `position` by U+E000 + `marker` (each attempt
    /// uses its own character, so that changed keys never collide), keeping its length in columns; false
    /// when the key is not written in a form this can be done to.
    static func neutralizeKey(at position: Position, in bytes: inout [UInt8], marker: Int) -> Bool {
        guard var index = offset(of: position, in: bytes) else { return false }
        let count = bytes.count
        func isBlank(_ index: Int) -> Bool { index < count && (bytes[index] == 0x20 || bytes[index] == 0x09) }
        func isEnd(_ index: Int) -> Bool { index >= count || bytes[index] == 0x0A || bytes[index] == 0x0D }
        // Skip `!tag` and `&anchor` properties.
        while index < count, bytes[index] == UInt8(ascii: "!") || bytes[index] == UInt8(ascii: "&") {
            while index < count, !isBlank(index), !isEnd(index) { index += 1 }
            while isBlank(index) { index += 1 }
        }
        guard !isEnd(index), !isBlank(index) else { return false }
        let privateUse: [UInt8] = [0xEE, 0x80 + UInt8(marker / 64), 0x80 + UInt8(marker % 64)]
        func replaceCharacter(at index: Int) -> Bool {
            guard !isEnd(index) else { return false }
            let lead = bytes[index]
            let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            bytes.replaceSubrange(index..<min(count, index + length), with: privateUse)
            return true
        }
        let first = bytes[index]
        switch first {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            guard index + 1 < count else { return false }
            let next = bytes[index + 1]
            if next == first {
                if first == UInt8(ascii: "'"), index + 2 < count, bytes[index + 2] == first {
                    // `'''…'`: the content starts with an escaped quote, two characters.
                    bytes.replaceSubrange(index + 1..<index + 3, with: privateUse + privateUse)
                } else {
                    // An empty quoted key becomes a two-character plain one.
                    bytes.replaceSubrange(index..<index + 2, with: privateUse + privateUse)
                }
                return true
            }
            return replaceCharacter(at: index + 1)
        case UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "*"), UInt8(ascii: "["), UInt8(ascii: "{"):
            return false
        default:
            return replaceCharacter(at: index)
        }
    }

    /// The byte offset of a line and column, with libyaml's line breaks.
    static func offset(of position: Position, in bytes: [UInt8]) -> Int? {
        var index = 0, line = 1, column = 1
        let count = bytes.count
        while index < count, line < position.line {
            let byte = bytes[index]
            if byte == 0x0A {
                index += 1
                line += 1
            } else if byte == 0x0D {
                index += index + 1 < count && bytes[index + 1] == 0x0A ? 2 : 1
                line += 1
            } else if byte == 0xC2, index + 1 < count, bytes[index + 1] == 0x85 {
                index += 2
                line += 1
            } else if byte == 0xE2, index + 2 < count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
                index += 3
                line += 1
            } else {
                index += 1
            }
        }
        guard line == position.line else { return nil }
        while column < position.column, index < count {
            let lead = bytes[index]
            if lead == 0x0A || lead == 0x0D { return nil }
            index += lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            column += 1
        }
        return index < count ? index : nil
    }

    /// In the mapping whose key sits at `mark`, the first key repeated in document order (keys changed
    /// by `neutralizeKey` count with their original text).
    static func findDuplicate(in node: Node, containing mark: Position, originals: [Position: String], budget: inout Int) -> Duplicate? {
        budget -= 1
        guard budget > 0 else { return nil }
        switch node {
        case .mapping(let mapping):
            let keys: [(Position, String)] = mapping.keys.compactMap { key in
                guard case .scalar(let scalar) = key, let mark = scalar.mark else { return nil }
                let position = Position(line: mark.line, column: mark.column)
                return (position, originals[position] ?? scalar.string)
            }
            if keys.contains(where: { $0.0 == mark }) {
                var seen: [String: Position] = [:]
                for (position, text) in keys {
                    if let first = seen[text] { return Duplicate(key: text, first: first, second: position) }
                    seen[text] = position
                }
                return nil
            }
            for (key, value) in mapping {
                if let found = findDuplicate(in: key, containing: mark, originals: originals, budget: &budget) { return found }
                if let found = findDuplicate(in: value, containing: mark, originals: originals, budget: &budget) { return found }
            }
            return nil
        case .sequence(let sequence):
            for element in sequence {
                if let found = findDuplicate(in: element, containing: mark, originals: originals, budget: &budget) { return found }
            }
            return nil
        case .scalar, .alias:
            return nil
        }
    }
}
