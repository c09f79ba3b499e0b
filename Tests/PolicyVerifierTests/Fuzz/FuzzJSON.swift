import Foundation
import PolicyLanguage

// A small JSON tree for the mutation fuzzer (MutationFuzzTests.swift): objects keep their member order
// (and so stay deterministic, unlike Foundation's dictionaries), numbers keep their literal text.

indirect enum FuzzJSON: Equatable, Sendable {
    struct Member: Equatable, Sendable {
        var key: String
        var value: FuzzJSON
    }

    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case array([FuzzJSON])
    case object([Member])

    /// The tree of a document read by the project's own reader (JSON or YAML).
    init(_ node: SourceNode) {
        switch node.kind {
        case .string(let text): self = .string(text)
        case .number(let text): self = .number(text)
        case .bool(let value): self = .bool(value)
        case .null: self = .null
        case .array(let elements): self = .array(elements.map(FuzzJSON.init))
        case .object(let members): self = .object(members.map { Member(key: $0.key, value: FuzzJSON($0.value)) })
        }
    }

    /// Reads `text`; `nil` unless it is a document the reader accepts.
    static func parse(_ text: String) -> FuzzJSON? {
        guard case .success(let node) = SourceReader.read(bytes: Array(text.utf8), file: "seed.json") else { return nil }
        return FuzzJSON(node)
    }

    var members: [Member]? {
        if case .object(let members) = self { return members }
        return nil
    }

    var elements: [FuzzJSON]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The member `key` of an object (exact key).
    subscript(key: String) -> FuzzJSON? {
        get { members?.first { $0.key == key }?.value }
        set {
            guard var members else { return }
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
            }
            self = .object(members)
        }
    }

    var keys: [String] { members?.map(\.key) ?? [] }

    /// The strings of a string-or-list-of-strings value (scalars of other types as their text).
    var strings: [String]? {
        switch self {
        case .string(let text), .number(let text): return [text]
        case .bool(let value): return [value ? "true" : "false"]
        case .array(let elements):
            var result: [String] = []
            for element in elements {
                switch element {
                case .string(let text), .number(let text): result.append(text)
                case .bool(let value): result.append(value ? "true" : "false")
                default: return nil
                }
            }
            return result
        default: return nil
        }
    }

    /// A list of strings written as a scalar when it has one element and `scalar` is set.
    static func strings(_ values: [String], scalar: Bool) -> FuzzJSON {
        values.count == 1 && scalar ? .string(values[0]) : .array(values.map(FuzzJSON.string))
    }

    // MARK: Writing

    /// The document as JSON text: the top level and each statement on its own line.
    var text: String {
        var out = ""
        write(into: &out, depth: 0)
        return out + "\n"
    }

    private func write(into out: inout String, depth: Int) {
        switch self {
        case .string(let text): out += Self.quoted(text)
        case .number(let text): out += text
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        case .array(let elements):
            // Statements (objects in an array near the top) one per line; everything else inline.
            let broken = depth <= 1 && elements.contains { $0.members != nil }
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                if broken { out += "\n    " } else if index > 0 { out += " " }
                element.write(into: &out, depth: depth + 1)
            }
            out += broken ? "\n  ]" : "]"
        case .object(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                if depth == 0 { out += "\n  " } else if index > 0 { out += " " }
                out += Self.quoted(member.key) + ": "
                member.value.write(into: &out, depth: depth + 1)
            }
            out += depth == 0 ? "\n}" : "}"
        }
    }

    static func quoted(_ text: String) -> String {
        var out = ""
        JSONStringLiteral.write(text, to: &out)
        return out
    }
}
