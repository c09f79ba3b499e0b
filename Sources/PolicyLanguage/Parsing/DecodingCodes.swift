/// Codes of findings that come from reading a file and its structure, before any IAM rule is applied.
extension FindingCode {
    public static let syntaxError = FindingCode("SYNTAX_ERROR")
    public static let duplicateKey = FindingCode("DUPLICATE_KEY")
    public static let invalidEncoding = FindingCode("INVALID_ENCODING")
    public static let limitExceeded = FindingCode("LIMIT_EXCEEDED")
    public static let unreadableFile = FindingCode("UNREADABLE_FILE")
    public static let emptyDocument = FindingCode("EMPTY_DOCUMENT")
    public static let policyNotObject = FindingCode("POLICY_NOT_OBJECT")
    public static let statementNotObject = FindingCode("STATEMENT_NOT_OBJECT")
    public static let unknownElement = FindingCode("UNKNOWN_ELEMENT")
    public static let wrongType = FindingCode("WRONG_TYPE")
    public static let missingStatement = FindingCode("MISSING_STATEMENT")
    public static let invalidEffect = FindingCode("INVALID_EFFECT")
    public static let effectCase = FindingCode("EFFECT_CASE")
    public static let actionAndNotAction = FindingCode("ACTION_AND_NOT_ACTION")
    public static let resourceAndNotResource = FindingCode("RESOURCE_AND_NOT_RESOURCE")
    public static let principalAndNotPrincipal = FindingCode("PRINCIPAL_AND_NOT_PRINCIPAL")
    public static let invalidPrincipal = FindingCode("INVALID_PRINCIPAL")
    public static let unknownPrincipalType = FindingCode("UNKNOWN_PRINCIPAL_TYPE")
    public static let unterminatedVariable = FindingCode("UNTERMINATED_VARIABLE")
    public static let invalidVariable = FindingCode("INVALID_VARIABLE")

    /// The codes above, for documentation and tests.
    static let decodingCodes: [FindingCode] = [
        .syntaxError, .duplicateKey, .invalidEncoding, .limitExceeded, .unreadableFile, .emptyDocument,
        .policyNotObject, .statementNotObject, .unknownElement, .wrongType, .missingStatement,
        .invalidEffect, .effectCase, .actionAndNotAction, .resourceAndNotResource,
        .principalAndNotPrincipal, .invalidPrincipal, .unknownPrincipalType, .unterminatedVariable,
        .invalidVariable,
    ]
}

extension Finding {
    /// The finding for a file that could not be read into a document tree.
    public init(_ error: SourceError) {
        let code: FindingCode
        switch error.kind {
        case .invalidEncoding: code = .invalidEncoding
        case .syntax: code = .syntaxError
        case .duplicateKey: code = .duplicateKey
        case .limitExceeded: code = .limitExceeded
        case .unreadable: code = .unreadableFile
        case .empty: code = .emptyDocument
        }
        let notes = error.related.map { Finding.Note(error.kind == .duplicateKey ? "first written here" : "see here", at: $0) }
        self.init(code, .error, error.message, at: error.span, notes: notes)
    }
}
