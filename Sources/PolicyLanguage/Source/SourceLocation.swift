/// A position in a source file. `line` and `column` are 1-based; `column` counts Unicode scalars
/// (as editors and libYAML do); `offset` is the 0-based UTF-8 byte offset when known.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int?

    public init(line: Int, column: Int, offset: Int? = nil) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// A located range in a named file. Every AST node and every finding carries one, so that
/// PolicyProver can always say `file:line:column`.
public struct SourceSpan: Hashable, Sendable, CustomStringConvertible {
    /// The file name as the user gave it (relative paths stay relative).
    public var file: String
    public var start: SourceLocation
    /// The end position (exclusive) when known; equal to `start` for point locations.
    public var end: SourceLocation

    public init(file: String, start: SourceLocation, end: SourceLocation? = nil) {
        self.file = file
        self.start = start
        self.end = end ?? start
    }

    /// A span at the first character of a file, for errors that concern the whole file.
    public static func startOfFile(_ file: String) -> SourceSpan {
        SourceSpan(file: file, start: SourceLocation(line: 1, column: 1, offset: 0))
    }

    /// `file:line:column` of the start.
    public var description: String { "\(file):\(start.line):\(start.column)" }
}

/// A value together with where it was written.
public struct Located<Value> {
    public var value: Value
    public var span: SourceSpan

    public init(_ value: Value, at span: SourceSpan) {
        self.value = value
        self.span = span
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
extension Located: Sendable where Value: Sendable {}
