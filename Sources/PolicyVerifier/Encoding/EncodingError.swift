import PolicyLanguage
import SMT

/// Why a query could not be encoded exactly. Each becomes `Verdict.unknown`, never a pass.
enum EncodingError: Error {
    case unsupported(String, SourceSpan)
    case tooComplex(String)
    case solver(any Error)

    var unknownReason: UnknownReason {
        switch self {
        case .unsupported(let what, let span): .unsupported(what, at: span)
        case .tooComplex(let what): .tooComplex(what)
        case .solver(let error): .solver("\(error)")
        }
    }
}
