import Yams

/// Reads one YAML document into a located `SourceNode` tree, through Yams (libyaml).
///
/// Guarantees:
/// - Typing follows JSON, not YAML 1.1: quoted and block scalars are strings; a plain scalar is `null`
///   when it is empty, `null` or `~`, a boolean when it is exactly `true` or `false` (lowercase only:
///   `True`, `yes`, `on` stay strings), a number (its literal text) when it matches the JSON number
///   grammar, and otherwise a string holding exactly what was written (`0x1F`, `1_000`, `2024-01-01`,
///   `.inf` included). Standard tags must agree with the text (`!!str 12` is a string; `!!int abc` an
///   error); custom tags (`!Sub`, `!Ref`, `!GetAtt`, …) are kept in `SourceNode.tag` and make a scalar
///   a string. Mapping keys are scalars and are always taken as their text; merge keys (`<<`) are not
///   applied (they stay ordinary keys).
/// - Locations come from libyaml's marks (1-based line and column in Unicode scalars) with their byte
///   offsets filled in. Collections and block scalars have point spans (libyaml reports no end there);
///   quoted and single-line plain scalars span their text. A node reached through an alias is located
///   at its anchor.
/// - Errors are located `SourceError`s: libyaml's scanner, parser and composer errors become `.syntax`
///   at the problem mark (the context mark in `related`); a second document is a `.syntax` error at its
///   start; a repeated key is a `.duplicateKey` error at the second occurrence with the first in
///   `related` (see `YAMLDuplicateKeyLocator`), including keys that only JSON typing makes equal
///   (`1` and `"1"`).
/// - Hostile input: encoding is checked as for JSON; `YAMLPreflight` refuses forbidden characters, far
///   too deep nesting and alias keys before Yams runs; the composed tree is limited to
///   `ReadLimits.maxDepth` (at most `maxSupportedDepth`) levels and `maxNodes` nodes after alias
///   expansion ("billion laughs"); strings to `maxStringBytes`. Yams composes recursively, so the
///   composition runs under `StackGuard` with `requiredStack` bytes of stack: on a thread whose stack
///   is too small (a 512 KiB secondary thread) it moves to a thread of its own with a 16 MiB stack.
///
/// Stack measurements (Yams 6.2.2, x86_64 Linux) that size these numbers: composing N nested block
/// mappings needs about 2.6 KiB of stack per level in a release build (1.2 KiB in debug); nested flow
/// or block sequences about 1.5 KiB. On a 512 KiB thread Yams alone overflows at about 190 nested
/// mappings (release) and 430 (debug). libyaml itself refuses more than 1,000 nested block or flow
/// levels ("Maximum nesting level reached"), which with indentless sequences or `[a: [a: …` pairs means
/// at most about 2,000 composer levels: measured, that needs 4 MiB in release. Hence 6 MiB required.
public enum YAMLReader {
    /// Most nodes one document may produce once aliases are expanded.
    public static let maxNodes = 1_000_000
    /// Deepest nesting the YAML reader accepts whatever `ReadLimits.maxDepth` says (libyaml's own limit).
    public static let maxSupportedDepth = 1000
    /// Stack that must be free to compose in place (see the measurements above).
    static let requiredStack = 6 << 20
    /// Stack of the thread used when less than `requiredStack` is free.
    static let threadStack = 16 << 20

    /// Reads one YAML document from `bytes`; `file` names it in spans and errors.
    public static func read(_ bytes: [UInt8], file: String, limits: ReadLimits = .default) -> Result<SourceNode, SourceError> {
        bytes.withUnsafeBufferPointer { read($0, file: file, limits: limits) }
    }

    /// Reads one YAML document from a buffer, which is only borrowed for the duration of the call.
    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, file: String, limits: ReadLimits = .default) -> Result<SourceNode, SourceError> {
        let bomLength: Int
        switch SourceEncoding.prepare(bytes, file: file, limits: limits, lineBreaks: .yaml) {
        case .success(let length): bomLength = length
        case .failure(let error): return .failure(error)
        }
        let content = UnsafeBufferPointer(rebasing: bytes[bomLength...])
        if content.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            return .failure(SourceError(.empty, content.isEmpty ? "the file is empty" : "the file contains only whitespace", at: .startOfFile(file)))
        }
        let table = LineTable(bytes, bomLength: bomLength, breaks: .yaml)
        let maxDepth = min(limits.maxDepth, maxSupportedDepth)
        if let error = YAMLPreflight.check(bytes, start: bomLength, file: file, depthLimit: maxDepth, table: table) {
            return .failure(error)
        }
        let text = String(decoding: content, as: UTF8.self)
        let result = StackGuard.run(requiring: requiredStack, threadStackSize: threadStack) {
            compose(text, table: table, file: file, maxDepth: maxDepth, limits: limits)
        }
        return result ?? .failure(SourceError(.limitExceeded, "could not start a thread with enough stack to read this YAML file", at: .startOfFile(file)))
    }

    /// Yams's parse and compose, then the conversion; recursive, so run under `StackGuard`.
    static func compose(_ text: String, table: LineTable, file: String, maxDepth: Int, limits: ReadLimits) -> Result<SourceNode, SourceError> {
        var table = table
        let root: Node
        do {
            let parser = try Parser(yaml: text, resolver: .basic, encoding: .utf8)
            guard let node = try parser.singleRoot() else {
                return .failure(SourceError(.empty, "the YAML document is empty (it holds only comments)", at: .startOfFile(file)))
            }
            root = node
        } catch let error as YamlError {
            return .failure(convert(error, text: text, table: &table, file: file))
        } catch {
            return .failure(SourceError(.syntax, "\(error)", at: .startOfFile(file)))
        }
        if case .scalar(let scalar) = root, scalar.string.isEmpty, scalar.style == .plain, scalar.tag.rawValue.isEmpty {
            return .failure(SourceError(.empty, "the YAML document is empty", at: .startOfFile(file)))
        }
        var builder = YAMLTreeBuilder(file: file, table: table, maxDepth: maxDepth, maxStringBytes: limits.maxStringBytes, remainingNodes: maxNodes)
        do {
            return .success(try builder.build(root, depth: 0))
        } catch {
            return .failure(error)
        }
    }

    // MARK: - Errors

    /// A located `SourceError` for a Yams error.
    static func convert(_ error: YamlError, text: String, table: inout LineTable, file: String) -> SourceError {
        func span(_ mark: Mark) -> SourceSpan { span(line: mark.line, column: mark.column) }
        func span(line: Int, column: Int) -> SourceSpan {
            SourceSpan(file: file, start: table.location(line: line, column: column))
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            if problem.hasPrefix("Maximum nesting level reached") {
                return SourceError(.limitExceeded, "nesting deeper than \(maxSupportedDepth) levels (libyaml's limit)", at: span(mark))
            }
            if context?.text == "expected a single document in the stream" {
                return SourceError(.syntax, "a file must hold a single YAML document, but a second document starts here", at: span(mark))
            }
            guard let context else { return SourceError(.syntax, problem, at: span(mark)) }
            let contextSpan = span(context.mark)
            return SourceError(.syntax, "\(problem) (\(context.text) at \(contextSpan.start))", at: span(mark), related: [contextSpan])
        case .reader(let problem, let offset, _, let yaml):
            // `offset` counts Characters of `yaml` (Yams's conversion); turn it back into bytes.
            var location = SourceSpan.startOfFile(file)
            if let offset, let index = yaml.index(yaml.startIndex, offsetBy: offset, limitedBy: yaml.endIndex) {
                let byteOffset = yaml.utf8.distance(from: yaml.startIndex, to: index) + table.starts[0]
                location = SourceSpan(file: file, start: table.location(ofOffset: byteOffset))
            }
            return SourceError(.syntax, problem, at: location)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let reported = YAMLDuplicateKeyLocator.Position(line: context.mark.line, column: context.mark.column)
            guard let found = YAMLDuplicateKeyLocator.locate(in: text, key: key, reportedAt: reported) else {
                return SourceError(.duplicateKey, "duplicate key \"\(key)\" (it appears again later in the same mapping)", at: span(context.mark))
            }
            let first = span(line: found.first.line, column: found.first.column)
            return SourceError(.duplicateKey, "duplicate key \"\(found.key)\" (first defined at \(first.start))",
                               at: span(line: found.second.line, column: found.second.column), related: [first])
        case .memory:
            return SourceError(.limitExceeded, "libyaml ran out of memory", at: .startOfFile(file))
        default:
            return SourceError(.syntax, "\(error)", at: .startOfFile(file))
        }
    }
}
