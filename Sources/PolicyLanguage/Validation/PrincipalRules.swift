/// Rules about `Principal` / `NotPrincipal` values.
enum PrincipalRules {
    static let invalidAWSPrincipal = FindingCode("INVALID_AWS_PRINCIPAL")
    static let partialWildcardPrincipal = FindingCode("PARTIAL_WILDCARD_PRINCIPAL")
    static let variableInPrincipal = FindingCode("VARIABLE_IN_PRINCIPAL")
    static let invalidServicePrincipal = FindingCode("INVALID_SERVICE_PRINCIPAL")
    static let invalidFederatedPrincipal = FindingCode("INVALID_FEDERATED_PRINCIPAL")
    static let invalidCanonicalUser = FindingCode("INVALID_CANONICAL_USER")

    static let codes = [invalidAWSPrincipal, partialWildcardPrincipal, variableInPrincipal, invalidServicePrincipal, invalidFederatedPrincipal, invalidCanonicalUser]

    static func check(_ statement: Statement, _ context: inout ValidationContext) {
        guard let element = statement.principal, case .specific(let values) = element.value else { return }
        for value in values {
            let text = value.text
            if text.contains("${") {
                context.report(variableInPrincipal, .error, "policy variables are not allowed in principals: \"\(text)\"", at: value.span)
                continue
            }
            if text != "*", text.contains(where: { $0 == "*" || $0 == "?" }) {
                context.report(partialWildcardPrincipal, .error, "a principal is \"*\" or exact; partial wildcards like \"\(text)\" are not allowed (use a condition on aws:PrincipalArn with ArnLike)", at: value.span)
                continue
            }
            switch value.type {
            case .aws: checkAWS(value, &context)
            case .service:
                if !(text.hasSuffix(".amazonaws.com") || text.hasSuffix(".amazonaws.com.cn") || text.hasSuffix(".amazon.com") || text.hasSuffix(".c2s.ic.gov") || text.hasSuffix(".sc2s.sgov.gov")) || text.contains(":") {
                    context.report(invalidServicePrincipal, .warning, "\"\(text)\" does not look like a service principal (service-name.amazonaws.com)", at: value.span)
                }
            case .federated:
                let isProviderArn = ARNFields(text).map { $0.service == "iam" && ($0.resource.hasPrefix("saml-provider/") || $0.resource.hasPrefix("oidc-provider/")) } ?? false
                let isDomain = !text.hasPrefix("arn:") && text.contains(".") && !text.contains(where: { $0 == " " || $0 == "/" })
                if !isProviderArn, !isDomain, text != "*" {
                    context.report(invalidFederatedPrincipal, .warning, "\"\(text)\" is neither an identity provider domain (e.g. cognito-identity.amazonaws.com) nor a SAML/OIDC provider ARN", at: value.span)
                }
            case .canonicalUser:
                if text != "*", !(text.count == 64 && text.allSatisfy(\.isHexDigit)) {
                    context.report(invalidCanonicalUser, .warning, "a canonical user ID is 64 hexadecimal digits, found \"\(text)\"", at: value.span)
                }
            }
        }
    }

    private static func checkAWS(_ value: PrincipalValue, _ context: inout ValidationContext) {
        let text = value.text
        if text == "*" || ARNFields.isAccountID(text) { return }
        // CloudFront origin access identities are IAM-style users of the pseudo-account "cloudfront".
        if text.hasPrefix("arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ") { return }
        if let fields = ARNFields(text), fields.region.isEmpty, ARNFields.isAccountID(fields.account) {
            let resource = fields.resource
            switch fields.service {
            case "iam":
                if resource == "root" || resource.hasPrefix("user/") || resource.hasPrefix("role/") { return }
            case "sts":
                if resource.hasPrefix("assumed-role/") || resource.hasPrefix("federated-user/") { return }
            default: break
            }
        }
        // Unique IDs (AIDA…/AROA…) appear when a principal was deleted after the policy was written.
        if text.count >= 16, text.hasPrefix("AIDA") || text.hasPrefix("AROA"), text.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) {
            context.report(invalidAWSPrincipal, .warning, "\"\(text)\" is a unique ID, not an ARN: the user or role it named was probably deleted, so this principal matches no one", at: value.span)
            return
        }
        context.report(invalidAWSPrincipal, .error, "\"\(text)\" is not an AWS principal: use \"*\", a 12-digit account ID, or the ARN of an account root, user, role, assumed-role session or federated user", at: value.span)
    }
}
