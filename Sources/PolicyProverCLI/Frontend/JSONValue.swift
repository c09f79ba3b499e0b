import PolicyLanguage

/// A JSON value that serializes quickly, with keys in a fixed order (as inserted), for output that is
/// written once per request in batch mode.
enum JSONValue {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// Compact (one line) or pretty (two-space indent) text.
    func serialized(pretty: Bool = false) -> String {
        var output = ""
        output.reserveCapacity(256)
        write(to: &output, pretty: pretty, indent: 0)
        return output
    }

    private func write(to output: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .string(let text): Self.writeString(text, to: &output)
        case .int(let value): output += String(value)
        case .bool(let value): output += value ? "true" : "false"
        case .null: output += "null"
        case .array(let elements):
            writeContainer(elements.map { (nil, $0) }, open: "[", close: "]", to: &output, pretty: pretty, indent: indent)
        case .object(let members):
            writeContainer(members.map { ($0.0, $0.1) }, open: "{", close: "}", to: &output, pretty: pretty, indent: indent)
        }
    }

    private func writeContainer(_ items: [(String?, JSONValue)], open: String, close: String, to output: inout String, pretty: Bool, indent: Int) {
        output += open
        guard !items.isEmpty else {
            output += close
            return
        }
        let inner = String(repeating: " ", count: (indent + 1) * 2)
        for (index, (key, value)) in items.enumerated() {
            if index > 0 { output += "," }
            if pretty { output += "\n" + inner }
            if let key {
                Self.writeString(key, to: &output)
                output += pretty ? ": " : ":"
            }
            value.write(to: &output, pretty: pretty, indent: indent + 1)
        }
        if pretty { output += "\n" + String(repeating: " ", count: indent * 2) }
        output += close
    }

    private static func writeString(_ text: String, to output: inout String) {
        JSONStringLiteral.write(text, to: &output)
    }
}
