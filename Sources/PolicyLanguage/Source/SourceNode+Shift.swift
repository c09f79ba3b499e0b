extension SourceNode {
    /// The same tree with every span moved down by `lines` lines and `bytes` bytes, for documents read
    /// out of a larger file (one line of a JSON Lines file, a policy inside a template).
    public func shifted(lines: Int, bytes: Int) -> SourceNode {
        func move(_ span: SourceSpan) -> SourceSpan {
            var span = span
            span.start.line += lines
            span.end.line += lines
            span.start.offset = span.start.offset.map { $0 + bytes }
            span.end.offset = span.end.offset.map { $0 + bytes }
            return span
        }
        var copy = self
        copy.span = move(span)
        switch kind {
        case .object(let members):
            copy.kind = .object(members.map { SourceNode.Member(key: $0.key, keySpan: move($0.keySpan), value: $0.value.shifted(lines: lines, bytes: bytes)) })
        case .array(let elements):
            copy.kind = .array(elements.map { $0.shifted(lines: lines, bytes: bytes) })
        default:
            break
        }
        return copy
    }
}
