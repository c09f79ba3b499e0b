import PolicyLanguage

/// The kinds of resource whose policies the no-access questions analyse (IAM Access Analyzer's list,
/// plus OpenSearch, Glacier and API Gateway). A resource policy can grant only its own service's
/// actions on its resource, so the question is asked over those actions.
public enum ResourceType: String, Sendable, CaseIterable {
    case s3Bucket = "s3-bucket"
    case s3AccessPoint = "s3-access-point"
    case kmsKey = "kms-key"
    case sqsQueue = "sqs-queue"
    case snsTopic = "sns-topic"
    case lambdaFunction = "lambda-function"
    case secretsManagerSecret = "secretsmanager-secret"
    case ecrRepository = "ecr-repository"
    /// A role's trust policy: who can assume the role.
    case iamRoleTrust = "iam-role-trust"
    case efsFileSystem = "efs-file-system"
    case openSearchDomain = "opensearch-domain"
    case glacierVault = "glacier-vault"
    case apiGateway = "api-gateway"

    /// The CloudFormation-style type name IAM Access Analyzer reports.
    public var typeName: String {
        switch self {
        case .s3Bucket: "AWS::S3::Bucket"
        case .s3AccessPoint: "AWS::S3::AccessPoint"
        case .kmsKey: "AWS::KMS::Key"
        case .sqsQueue: "AWS::SQS::Queue"
        case .snsTopic: "AWS::SNS::Topic"
        case .lambdaFunction: "AWS::Lambda::Function"
        case .secretsManagerSecret: "AWS::SecretsManager::Secret"
        case .ecrRepository: "AWS::ECR::Repository"
        case .iamRoleTrust: "AWS::IAM::Role"
        case .efsFileSystem: "AWS::EFS::FileSystem"
        case .openSearchDomain: "AWS::OpenSearchService::Domain"
        case .glacierVault: "AWS::Glacier::Vault"
        case .apiGateway: "AWS::ApiGateway::RestApi"
        }
    }

    /// The actions a policy of this resource can grant.
    public var actions: [String] {
        switch self {
        case .s3Bucket, .s3AccessPoint: ["s3:*"]
        case .kmsKey: ["kms:*"]
        case .sqsQueue: ["sqs:*"]
        case .snsTopic: ["sns:*"]
        case .lambdaFunction: ["lambda:*"]
        case .secretsManagerSecret: ["secretsmanager:*"]
        case .ecrRepository: ["ecr:*"]
        case .iamRoleTrust: ["sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity", "sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext"]
        case .efsFileSystem: ["elasticfilesystem:*"]
        case .openSearchDomain: ["es:*"]
        case .glacierVault: ["glacier:*"]
        case .apiGateway: ["execute-api:*"]
        }
    }

    /// The service prefix of the actions.
    var service: String { String(actions[0].prefix { $0 != ":" }) }

    /// The type a policy is written for, read from the services of its actions and resources; `nil`
    /// when they name no type or several. Trust policies are those whose actions are all `sts:` ones.
    public static func infer(from policy: Policy) -> ResourceType? {
        var services: Set<String> = []
        var accessPoint = false
        for statement in policy.statements {
            for pattern in statement.action?.patterns ?? [] where pattern.text != "*" {
                services.insert(String(pattern.text.lowercased().prefix { $0 != ":" }))
            }
            for pattern in statement.resource?.patterns ?? [] {
                let fields = pattern.text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
                guard fields.count == 6, !fields[2].contains("*"), !fields[2].contains("?") else { continue }
                if fields[2] == "s3", fields[5].hasPrefix("accesspoint/") { accessPoint = true }
                // Only the action prefix tells a role's trust policy (its resource is implicit).
                if statement.action == nil || statement.action!.patterns.allSatisfy({ $0.text == "*" }) { services.insert(String(fields[2])) }
            }
        }
        guard services.count == 1, let service = services.first else { return nil }
        if service == "s3" { return accessPoint ? .s3AccessPoint : .s3Bucket }
        if service == "sts" { return .iamRoleTrust }
        return allCases.first { $0.service == service }
    }
}

extension ResourceType {
    /// The actions a policy on such a resource can grant, as the extra policy of an access question.
    var actionScope: PolicyUnderTest {
        PolicyUnderTest(ScopePolicy.make(actions: actions, resources: ["*"], name: "<\(rawValue) actions>"), role: .identity)
    }
}
