/// Rules about the document as a whole: Version, Id, Sids, the statement list.
enum DocumentRules {
    static let missingVersion = FindingCode("MISSING_VERSION")
    static let invalidVersion = FindingCode("INVALID_VERSION")
    static let oldVersion = FindingCode("OLD_VERSION")
    static let variableInOldVersion = FindingCode("VARIABLE_IN_OLD_VERSION")
    static let idNotAllowed = FindingCode("ID_NOT_ALLOWED")
    static let noStatements = FindingCode("NO_STATEMENTS")
    static let duplicateSid = FindingCode("DUPLICATE_SID")
    static let invalidSid = FindingCode("INVALID_SID")

    static let codes = [missingVersion, invalidVersion, oldVersion, variableInOldVersion, idNotAllowed, noStatements, duplicateSid, invalidSid]

    static func check(_ context: inout ValidationContext) {
        let policy = context.policy
        if let version = policy.version {
            if PolicyLanguageVersion(rawValue: version.value) == nil {
                context.report(invalidVersion, .error, "Version must be \"2012-10-17\" (or the legacy \"2008-10-17\"), found \"\(version.value)\"", at: version.span)
            } else if version.value == PolicyLanguageVersion.v2008_10_17.rawValue {
                context.report(oldVersion, .warning, "Version 2008-10-17 is the legacy language: policy variables are literal text and IAM managed policies reject it; use \"2012-10-17\"", at: version.span)
            }
        } else {
            context.report(missingVersion, .warning, "the policy has no Version, so IAM reads it in the legacy 2008-10-17 language (policy variables are literal text); add \"Version\": \"2012-10-17\"", at: policy.span)
        }
        if !policy.languageVersion.supportsVariables {
            reportLiteralVariables(&context)
        }
        if let id = policy.id, [.identity, .boundary, .session].contains(context.type) {
            context.report(idNotAllowed, .error, "Id is not allowed in \(context.typeDescription)", at: id.span)
        }
        if policy.statementKeySpan != nil, policy.statements.isEmpty {
            context.report(noStatements, .warning, "the policy has no statements and grants nothing", at: policy.statementKeySpan!)
        }
        checkSids(&context)
    }

    private static func reportLiteralVariables(_ context: inout ValidationContext) {
        func looksLikeVariable(_ text: String) -> Bool {
            guard let open = text.range(of: "${") else { return false }
            return text[open.upperBound...].contains("}")
        }
        for statement in context.policy.statements {
            var spans = statement.resource?.patterns.filter { looksLikeVariable($0.text) }.map(\.span) ?? []
            spans += statement.condition?.clauses.flatMap { $0.values.filter { looksLikeVariable($0.text) }.map(\.span) } ?? []
            for span in spans {
                context.report(variableInOldVersion, .error, "policy variables need \"Version\": \"2012-10-17\"; in this policy \"${…}\" is matched as literal text", at: span)
            }
        }
    }

    private static func checkSids(_ context: inout ValidationContext) {
        // IAM itself checks Sids of the documents it stores; resource-based policies of other
        // services accept any string.
        let iamChecksSids = context.type != .resource
        var firstSeen: [String: SourceSpan] = [:]
        for statement in context.policy.statements {
            guard let sid = statement.sid else { continue }
            if iamChecksSids, !sid.value.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }) {
                context.report(invalidSid, .error, "IAM accepts only ASCII letters and digits in a Sid, found \"\(sid.value)\"", at: sid.span)
            }
            guard !sid.value.isEmpty else { continue }
            if let first = firstSeen[sid.value] {
                let severity: Severity = iamChecksSids ? .error : .warning
                context.report(duplicateSid, severity, "Sid \"\(sid.value)\" is used by more than one statement", at: sid.span, notes: [Finding.Note("first used here", at: first)])
            } else {
                firstSeen[sid.value] = sid.span
            }
        }
    }
}
