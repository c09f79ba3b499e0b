/// `Fn::Sub`: `${Name}` is `Ref Name`, `${Name.Attribute}` is `Fn::GetAtt`, `${AWS::Region}` a pseudo
/// parameter, `${Var}` a variable of the `[template, {Var: value}]` form; `${!Literal}` is the literal
/// text `${Literal}`, and a name with a `:` but no `::` (`${aws:username}`) stays an IAM policy variable.
extension IntrinsicResolver {
    mutating func sub(_ call: CloudFormationCall, trace: inout Trace) -> SourceNode {
        let template: String
        var variables: [String: SourceNode] = [:]
        if case .string(let text) = call.argument.kind {
            template = text
        } else if let arguments = call.argument.elements, arguments.count == 2, case .string(let text) = arguments[0].kind {
            template = text
            for member in arguments[1].members ?? [] { variables[member.key] = member.value }
        } else {
            return unresolved(call, &trace)
        }
        let span = call.expression.span
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstRange(of: "${") {
            result += rest[..<open.lowerBound]
            rest = rest[open.upperBound...]
            guard let close = rest.firstIndex(of: "}") else {
                result += "${"
                continue
            }
            let inner = rest[..<close]
            rest = rest[rest.index(after: close)...]
            if inner.hasPrefix("!") {
                result += "${" + inner.dropFirst() + "}"
                continue
            }
            let name = String(inner).trimmed(of: " \t")
            let value: SourceNode?
            if let variable = variables[name] {
                value = evaluate(variable, trace: &trace)
            } else if name.hasPrefix("AWS::") {
                value = ref(name, at: span, trace: &trace)
            } else if name.contains(":") {
                result += "${" + inner + "}"  // an IAM policy variable such as ${aws:username}
                continue
            } else if let dot = name.firstIndex(of: ".") {
                value = getAtt(String(name[..<dot]), String(name[name.index(after: dot)...]), at: span, trace: &trace)
            } else {
                value = ref(name, at: span, trace: &trace)
            }
            if let value {
                result += value.scalarText ?? value.elements?.compactMap(\.scalarText).joined(separator: ",") ?? ""
            }
        }
        result += rest
        return SourceNode(.string(result), span: span)
    }
}

extension String {
    /// The string without leading and trailing characters of `set`.
    fileprivate func trimmed(of set: String) -> String {
        let scalars = unicodeScalars
        let isTrimmed = { (scalar: Unicode.Scalar) in set.unicodeScalars.contains(scalar) }
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }), let last = scalars.lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
