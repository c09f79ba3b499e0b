/// Every failure the `SMT` module reports.
///
/// All throwing APIs in this module throw only `SMTError`. Errors reported
/// by Z3 itself are never ignored and never abort the process: they surface
/// as ``z3(code:message:)`` carrying Z3's own error code and message.
public enum SMTError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Z3 reported an error. `code` is the raw `Z3_error_code` value
    /// (e.g. 2 = index out of bounds, 4 = parser error, 12 = exception);
    /// `message` is Z3's message for it.
    case z3(code: Int, message: String)

    /// A term of the wrong sort was passed to an operation. Detected by this
    /// module before Z3 is called.
    case sortMismatch(operation: String, expected: String, actual: String)

    /// An argument is outside the domain of an operation (bad width, bad
    /// decimal string, out-of-range character, negative timeout, ...).
    case invalidArgument(String)

    /// Objects from two different ``SMTContext`` instances were combined.
    case contextMismatch(operation: String)

    /// A value produced by Z3 cannot be represented in the requested Swift
    /// type (e.g. a string containing a lone surrogate code point).
    case unrepresentableValue(String)

    /// A human readable rendering of the error.
    public var description: String {
        switch self {
        case let .z3(code, message):
            return "Z3 error \(code): \(message)"
        case let .sortMismatch(operation, expected, actual):
            return "sort mismatch in \(operation): expected \(expected), got \(actual)"
        case let .invalidArgument(message):
            return "invalid argument: \(message)"
        case let .contextMismatch(operation):
            return "objects from different SMT contexts combined in \(operation)"
        case let .unrepresentableValue(message):
            return "unrepresentable value: \(message)"
        }
    }
}
