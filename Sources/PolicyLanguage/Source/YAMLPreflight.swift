/// A linear pre-scan of YAML text, run before Yams composes it.
///
/// It refuses, with located errors, what Yams would handle badly:
/// - characters that YAML forbids (NUL and other control characters), reported at the character;
/// - nesting far deeper than `ReadLimits.maxDepth`: a light tokenizer (quotes, comments, block scalars,
///   plain scalars, flow brackets, block indentation and the `- ` `? ` `: ` indicators) tracks an
///   estimate of the nesting depth. When the estimate passes the limit, its position is remembered;
///   when it passes the limit plus a margin, the file is refused there, without composing a 10,000-deep
///   tree first. The margin keeps the estimate's small overestimates (multi-line plain scalars, a `:`
///   inside a plain scalar in a flow sequence) from refusing a document whose true depth is within the
///   limit: that exact check is made on the composed tree;
/// - aliases used as mapping keys, and explicit `? ` keys that may be collections in files that use
///   aliases: Yams hashes every mapping key to find duplicates, and a key that expands to a "billion
///   laughs" tree would make that hashing exponential. Flow collections used as keys are refused at
///   once (keys must be scalars).
///
/// The scan is not what keeps Yams's recursive composer from overflowing the stack: `StackGuard` does
/// that, whatever this estimate says (see `YAMLReader`).
struct YAMLPreflight {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    /// Nesting beyond this is an error (the exact check happens on the tree).
    let depthLimit: Int
    /// An estimate beyond this refuses the file at once: the limit plus a margin for overestimates, but
    /// never more than libyaml accepts.
    let refusalDepth: Int
    let table: LineTable

    private var index: Int
    private var column = 0
    private var lineStart = 0
    private var lineEnd = 0
    private var blocks: [(column: Int, isSequence: Bool)] = []
    private var flows: [(offset: Int, isSequence: Bool, hasPair: Bool)] = []
    private var pairs = 0
    private var quote: UInt8?
    private var blockScalar: (parent: Int, indent: Int?, blankIndent: Int)?
    private var plainParent: Int?
    private var flowPlain = false
    private var firstAlias: Int?
    /// The first explicit `? ` key that may not be a scalar (its content is a collection, an alias or
    /// on later lines), or any explicit key in flow context.
    private var firstComplexKey: Int?
    private var firstTooDeep: Int?

    init(bytes: UnsafeBufferPointer<UInt8>, start: Int, file: String, depthLimit: Int, table: LineTable) {
        self.bytes = bytes
        self.file = file
        self.depthLimit = depthLimit
        self.refusalDepth = min(depthLimit + max(16, depthLimit / 4), YAMLReader.maxSupportedDepth)
        self.table = table
        self.index = start
    }

    /// Runs every check; `nil` when the text may be given to Yams.
    static func check(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, file: String, depthLimit: Int, table: LineTable) -> SourceError? {
        if let error = forbiddenCharacter(in: bytes, from: start, file: file, table: table) { return error }
        var scanner = YAMLPreflight(bytes: bytes, start: start, file: file, depthLimit: depthLimit, table: table)
        do {
            try scanner.scan()
        } catch {
            return error
        }
        return nil
    }

    // MARK: - Characters

    /// The first character outside YAML's printable set (libyaml's reader rule): C0 controls other than
    /// tab, LF and CR; DEL; C1 controls other than NEL; U+FFFE and U+FFFF.
    static func forbiddenCharacter(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, file: String, table: LineTable) -> SourceError? {
        var index = start
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            var value: UInt32?
            switch byte {
            case 0x09, 0x0A, 0x0D, 0x20..<0x7F: break
            case 0x00..<0x20, 0x7F: value = UInt32(byte)
            case 0xC2 where index + 1 < count && bytes[index + 1] < 0xA0 && bytes[index + 1] != 0x85:
                value = UInt32(bytes[index + 1])
            case 0xEF where index + 2 < count && bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE:
                value = bytes[index + 2] == 0xBE ? 0xFFFE : 0xFFFF
            default: break
            }
            if let value {
                let name = value == 0 ? "NUL byte" : value >= 0xFFFE ? "noncharacter \(SourceEncoding.codePoint(value))" : "control character \(SourceEncoding.codePoint(value))"
                let message = "\(name) is not allowed in YAML"
                return SourceError(.syntax, message, at: SourceSpan(file: file, start: table.location(ofOffset: index)))
            }
            index += 1
        }
        return nil
    }

    // MARK: - Lines

    private mutating func scan() throws(SourceError) {
        while index < bytes.count {
            lineEnd = index
            while lineEnd < bytes.count, !isBreak(at: lineEnd) { lineEnd += 1 }
            column = 0
            lineStart = index
            try scanLine()
            // Step over the line break.
            index = lineEnd
            if index < bytes.count {
                let byte = bytes[index]
                index += byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : byte < 0x80 ? 1 : byte == 0xC2 ? 2 : 3
            }
        }
        if let firstComplexKey, firstAlias != nil {
            throw error(.limitExceeded, "an explicit '?' mapping key that is not a one-line scalar, in a file that uses aliases, is not supported (a guard against alias-expansion attacks)", at: firstComplexKey)
        }
    }

    private mutating func scanLine() throws(SourceError) {
        if var pending = blockScalar {
            let indent = countSpaces()
            if skipBlanks() == lineEnd {
                pending.blankIndent = max(pending.blankIndent, indent)
                blockScalar = pending
                return
            }
            let contentIndent = pending.indent ?? max(pending.blankIndent, indent, pending.parent + 1, 1)
            if indent >= contentIndent {
                pending.indent = contentIndent
                blockScalar = pending
                return
            }
            blockScalar = nil
            index = lineStart
            column = 0
        }
        if quote != nil {
            guard scanQuoted() else { return }
            if flows.isEmpty { return }
            try scanFlow()
            return
        }
        if !flows.isEmpty {
            try scanFlow()
            return
        }
        try scanBlockLine()
    }

    private mutating func scanBlockLine() throws(SourceError) {
        skipBlanks()
        if index == lineEnd { return }
        if bytes[index] == UInt8(ascii: "#") {
            plainParent = nil
            return
        }
        let indent = column
        if indent == 0, isDocumentMarker() {
            blocks.removeAll()
            plainParent = nil
            if bytes[index] == UInt8(ascii: ".") { return }
            advance(3)
            try scanBlockNodes(firstOnLine: false)
            return
        }
        if indent == 0, bytes[index] == UInt8(ascii: "%") { return }
        if let parent = plainParent {
            if indent > parent { return }  // A continuation line of a multi-line plain scalar.
            plainParent = nil
        }
        let startsEntry = bytes[index] == UInt8(ascii: "-") && isBlankOrEnd(index + 1)
        while let last = blocks.last, last.column > indent || (last.column == indent && last.isSequence && !startsEntry) {
            blocks.removeLast()
        }
        try scanBlockNodes(firstOnLine: true)
    }

    /// The nodes of one line in block context, from the cursor.
    private mutating func scanBlockNodes(firstOnLine: Bool) throws(SourceError) {
        var firstOnLine = firstOnLine
        // An explicit `? ` key whose content is not known yet to be a scalar.
        var explicitKey: Int?
        defer { if let explicitKey { firstComplexKey = firstComplexKey ?? explicitKey } }
        while true {
            skipBlanks()
            guard index < lineEnd, bytes[index] != UInt8(ascii: "#") else { return }
            let byte = bytes[index]
            if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: ":"), isBlankOrEnd(index + 1) {
                if let key = explicitKey { firstComplexKey = firstComplexKey ?? key }
                explicitKey = byte == UInt8(ascii: "?") ? index : nil
                try openBlock(isSequence: byte == UInt8(ascii: "-"), continuing: firstOnLine)
                advance(1)
                firstOnLine = false
                continue
            }
            let keyOffset = index, keyColumn = column
            guard skipProperties() else { return }
            switch bytes[index] {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                try scanFlow()
                if flows.isEmpty, followedByValueIndicator() {
                    throw error(.syntax, "a mapping key must be a scalar, not a collection", at: keyOffset)
                }
                return
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                quote = bytes[index]
                advance(1)
                guard scanQuoted(), followedByValueIndicator() else {
                    explicitKey = nil
                    return
                }
            case UInt8(ascii: "|"), UInt8(ascii: ">"):
                explicitKey = nil
                startBlockScalar()
                return
            case UInt8(ascii: "*"):
                try scanAlias()
                return
            default:
                guard scanBlockPlain() else {
                    explicitKey = nil
                    return
                }
            }
            // A key: the cursor is on its ':'. After `? ` it makes the explicit key a mapping.
            if let key = explicitKey { firstComplexKey = firstComplexKey ?? key }
            explicitKey = nil
            try openKey(column: keyColumn, offset: keyOffset, continuing: firstOnLine)
            advance(1)
            firstOnLine = false
        }
    }

    /// A plain scalar in block context; true when it ends at a `: ` (it is a key).
    private mutating func scanBlockPlain() -> Bool {
        while index < lineEnd {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":"), isBlankOrEnd(index + 1) { return true }
            if isBlank(byte), index + 1 < lineEnd, bytes[index + 1] == UInt8(ascii: "#") {
                index = lineEnd
                return false
            }
            advance(1)
        }
        plainParent = blocks.last?.column ?? -1
        return false
    }

    private mutating func startBlockScalar() {
        var explicitIndent: Int?
        var cursor = index + 1
        while cursor < lineEnd, let byte = Optional(bytes[cursor]), byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
            || (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(byte) {
            if byte != UInt8(ascii: "+"), byte != UInt8(ascii: "-") { explicitIndent = Int(byte - UInt8(ascii: "0")) }
            cursor += 1
        }
        let parent = blocks.last?.column ?? -1
        let indent = explicitIndent.map { parent >= 0 ? parent + $0 : $0 }
        blockScalar = (parent, indent, 0)
        index = lineEnd
    }

    // MARK: - Flow context

    /// Flow collections from the cursor to the end of the line or of the outermost collection.
    private mutating func scanFlow() throws(SourceError) {
        while index < lineEnd {
            let byte = bytes[index]
            if flowPlain {
                if byte == UInt8(ascii: ":"), isBlankOrEnd(index + 1) || isFlowIndicator(index + 1) {
                    flowPlain = false
                } else if isFlowIndicator(index) {
                    flowPlain = false
                    continue
                } else if isBlank(byte), index + 1 < lineEnd, bytes[index + 1] == UInt8(ascii: "#") {
                    flowPlain = false
                    index = lineEnd
                    return
                } else {
                    advance(1)
                    continue
                }
            }
            switch byte {
            case 0x20, 0x09:
                advance(1)
            case UInt8(ascii: "#"):
                index = lineEnd
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                flows.append((index, byte == UInt8(ascii: "["), false))
                try checkDepth(at: index)
                advance(1)
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                let closed = flows.popLast()
                if closed?.hasPair == true { pairs -= 1 }
                advance(1)
                if let closed, !flows.isEmpty, followedByValueIndicator() {
                    throw error(.syntax, "a mapping key must be a scalar, not a collection", at: closed.offset)
                }
                if flows.isEmpty { return }
            case UInt8(ascii: ","):
                if flows.last?.hasPair == true {
                    flows[flows.count - 1].hasPair = false
                    pairs -= 1
                }
                advance(1)
            case UInt8(ascii: "?") where isBlankOrEnd(index + 1) || isFlowIndicator(index + 1):
                firstComplexKey = firstComplexKey ?? index
                try openPair(at: index)
                advance(1)
            case UInt8(ascii: ":"):
                try openPair(at: index)
                advance(1)
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                quote = byte
                advance(1)
                guard scanQuoted() else { return }
            case UInt8(ascii: "*"):
                try scanAlias()
            case UInt8(ascii: "!"), UInt8(ascii: "&"):
                while index < lineEnd, !isBlank(bytes[index]), !isFlowIndicator(index) { advance(1) }
            default:
                flowPlain = true
                advance(1)
            }
        }
    }

    /// A `key: value` pair inside a flow sequence is a one-pair mapping: one more level.
    private mutating func openPair(at offset: Int) throws(SourceError) {
        guard let last = flows.last, last.isSequence, !last.hasPair else { return }
        flows[flows.count - 1].hasPair = true
        pairs += 1
        try checkDepth(at: offset)
    }

    // MARK: - Tokens

    /// Consumes a quoted scalar from the cursor (just after its opening quote, or at a continuation line);
    /// true when it closed on this line.
    private mutating func scanQuoted() -> Bool {
        guard let delimiter = quote else { return true }
        while index < lineEnd {
            let byte = bytes[index]
            if delimiter == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
                advance(index + 1 < lineEnd ? 2 : 1)
                continue
            }
            if byte == delimiter {
                if delimiter == UInt8(ascii: "'"), index + 1 < lineEnd, bytes[index + 1] == UInt8(ascii: "'") {
                    advance(2)
                    continue
                }
                advance(1)
                quote = nil
                return true
            }
            advance(1)
        }
        return false
    }

    /// An alias `*name`; an alias followed by `:` is a key, which is refused.
    private mutating func scanAlias() throws(SourceError) {
        let offset = index
        firstAlias = firstAlias ?? offset
        advance(1)
        while index < lineEnd, !isBlank(bytes[index]), !isFlowIndicator(index) { advance(1) }
        var cursor = index
        while cursor < lineEnd, isBlank(bytes[cursor]) { cursor += 1 }
        if cursor < lineEnd, bytes[cursor] == UInt8(ascii: ":"), isBlankOrEnd(cursor + 1) || !flows.isEmpty {
            throw error(.limitExceeded, "an alias cannot be used as a mapping key (a guard against alias-expansion attacks)", at: offset)
        }
    }

    /// Skips `!tag` and `&anchor` properties; false when the line ends after them.
    private mutating func skipProperties() -> Bool {
        while index < lineEnd, bytes[index] == UInt8(ascii: "!") || bytes[index] == UInt8(ascii: "&") {
            while index < lineEnd, !isBlank(bytes[index]) { advance(1) }
            skipBlanks()
        }
        return index < lineEnd
    }

    /// Whether the next non-blank character on the line is a `:` value indicator.
    private mutating func followedByValueIndicator() -> Bool {
        skipBlanks()
        guard index < lineEnd, bytes[index] == UInt8(ascii: ":") else { return false }
        return isBlankOrEnd(index + 1) || !flows.isEmpty
    }

    // MARK: - Block structure

    private mutating func openBlock(isSequence: Bool, continuing: Bool) throws(SourceError) {
        if continuing, let last = blocks.last, last.column == column, last.isSequence == isSequence { return }
        blocks.append((column, isSequence))
        try checkDepth(at: index)
    }

    private mutating func openKey(column keyColumn: Int, offset keyOffset: Int, continuing: Bool) throws(SourceError) {
        if continuing, let last = blocks.last, last.column == keyColumn, !last.isSequence { return }
        blocks.append((keyColumn, false))
        try checkDepth(at: keyOffset)
    }

    private mutating func checkDepth(at offset: Int) throws(SourceError) {
        let depth = blocks.count + flows.count + pairs
        if depth > depthLimit, firstTooDeep == nil { firstTooDeep = offset }
        if depth > refusalDepth {
            throw error(.limitExceeded, "nesting deeper than \(depthLimit) levels", at: firstTooDeep ?? offset)
        }
    }

    // MARK: - Cursor

    private mutating func advance(_ count: Int) {
        for _ in 0..<count where index < lineEnd {
            index += 1
            while index < lineEnd, bytes[index] & 0xC0 == 0x80 { index += 1 }
            column += 1
        }
    }

    @discardableResult
    private mutating func skipBlanks() -> Int {
        while index < lineEnd, isBlank(bytes[index]) { advance(1) }
        return index
    }

    /// Leading spaces of the line at the cursor (block scalar indentation counts spaces only).
    private mutating func countSpaces() -> Int {
        var count = 0
        while index < lineEnd, bytes[index] == 0x20 { advance(1); count += 1 }
        return count
    }

    private func isDocumentMarker() -> Bool {
        guard index + 3 <= lineEnd else { return false }
        let first = bytes[index]
        guard first == UInt8(ascii: "-") || first == UInt8(ascii: ".") else { return false }
        return bytes[index + 1] == first && bytes[index + 2] == first && isBlankOrEnd(index + 3)
    }

    private func isBreak(at offset: Int) -> Bool {
        switch bytes[offset] {
        case 0x0A, 0x0D: return true
        case 0xC2: return offset + 1 < bytes.count && bytes[offset + 1] == 0x85
        case 0xE2: return offset + 2 < bytes.count && bytes[offset + 1] == 0x80 && (bytes[offset + 2] == 0xA8 || bytes[offset + 2] == 0xA9)
        default: return false
        }
    }

    @inline(__always) private func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    private func isBlankOrEnd(_ offset: Int) -> Bool { offset >= lineEnd || isBlank(bytes[offset]) }

    private func isFlowIndicator(_ offset: Int) -> Bool {
        guard offset < lineEnd else { return false }
        switch bytes[offset] {
        case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"): return true
        default: return false
        }
    }

    private func error(_ kind: SourceError.Kind, _ message: String, at offset: Int) -> SourceError {
        SourceError(kind, message, at: SourceSpan(file: file, start: table.location(ofOffset: offset)))
    }
}
