/// One use of a CloudFormation intrinsic function, in either of its forms: the long form, an object with
/// the single key `Ref`, `Condition` or `Fn::…` (`{"Fn::GetAtt": ["Role", "Arn"]}`), or the YAML short
/// form, a tag (`!GetAtt Role.Arn`, `!Sub "…"`, `!If [Cond, a, b]`).
struct CloudFormationCall {
    /// The long-form name: `Ref`, `Condition`, `Fn::Sub`, `Fn::GetAtt`, …
    var function: String
    /// The function's argument (for a tag, the tagged node without its tag).
    var argument: SourceNode
    /// The whole expression.
    var expression: SourceNode

    /// The call that `node` is, or `nil` when it is ordinary data.
    init?(_ node: SourceNode) {
        if let tag = node.tag, tag.hasPrefix("!"), !tag.hasPrefix("!!") {
            let name = String(tag.dropFirst())
            function = name == "Ref" || name == "Condition" ? name : "Fn::" + name
            var argument = node
            argument.tag = nil
            self.argument = argument
            expression = node
            return
        }
        guard let members = node.members, members.count == 1,
              members[0].key == "Ref" || members[0].key.hasPrefix("Fn::") else { return nil }
        function = members[0].key
        argument = members[0].value
        expression = node
    }

    /// The function name without `Fn::`, for representatives and messages (`Sub`, `GetAtt`, `Ref`).
    var shortName: String { function.hasPrefix("Fn::") ? String(function.dropFirst(4)) : function }
}

/// Short text of template expressions and values, for substitution notes: the YAML short form when it
/// was written so (`!Ref BucketName`, `!Sub "arn:${AWS::Partition}:s3:::${Bucket}/*"`), JSON otherwise
/// (`{"Fn::GetAtt": ["Role", "Arn"]}`), cut to about `limit` characters.
enum CloudFormationText {
    static let limit = 160

    static func render(_ node: SourceNode) -> String {
        var text = ""
        write(node, into: &text)
        if text.count > limit { text = String(text.prefix(limit - 1)) + "…" }
        return text
    }

    private static func write(_ node: SourceNode, into text: inout String) {
        guard text.count <= limit else { return }
        if let tag = node.tag {
            text += tag + " "
            if case .string(let value) = node.kind, isBare(value) {
                text += value
                return
            }
        }
        switch node.kind {
        case .string(let value): text += quoted(value)
        case .number(let value): text += value
        case .bool(let value): text += value ? "true" : "false"
        case .null: text += "null"
        case .array(let elements):
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += ", " }
                write(element, into: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { text += ", " }
                text += quoted(member.key) + ": "
                write(member.value, into: &text)
            }
            text += "}"
        }
    }

    /// Whether a tagged scalar can be shown without quotes.
    private static func isBare(_ value: String) -> Bool {
        !value.isEmpty && value.unicodeScalars.allSatisfy { scalar in
            (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                || scalar == "." || scalar == ":" || scalar == "_" || scalar == "-" || scalar == "/"
        }
    }

    /// A JSON string literal.
    static func quoted(_ value: String) -> String { JSONStringLiteral.quoted(value) }
}
