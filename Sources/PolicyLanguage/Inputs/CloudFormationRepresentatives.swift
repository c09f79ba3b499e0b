/// The values that stand for what a template does not fix: the stack's account, region and name, and
/// the names and ARNs of the resources it creates.
///
/// Every representative stands for ONE fixed value: it is made of characters valid inside an ARN
/// resource part and never holds `*` or `?`. The stack's account is `000000000000`, a constant distinct
/// from every real account: the prover treats an account it was never told about like every other
/// unnamed account, so public / never / only answers do not depend on which value stands for it.
enum CloudFormationRepresentatives {
    static let account = "000000000000"
    static let region = "us-east-1"
    static let partition = "aws"
    static let urlSuffix = "amazonaws.com"
    static let stackName = "stack-name"
    static let stackId = "arn:aws:cloudformation:us-east-1:000000000000:stack/stack-name/00000000-0000-0000-0000-000000000000"

    /// A value and whether it is exactly the deployed one.
    struct Value {
        var text: String
        var isExact: Bool
    }

    /// A pseudo parameter (`AWS::Region`): `nil` for an unknown name. `AWS::Partition` and
    /// `AWS::URLSuffix` are taken as the commercial partition's (`aws`, `amazonaws.com`) and count as exact.
    static func pseudoParameter(_ name: String) -> Value? {
        switch name {
        case "AWS::Partition": return Value(text: partition, isExact: true)
        case "AWS::URLSuffix": return Value(text: urlSuffix, isExact: true)
        case "AWS::AccountId": return Value(text: account, isExact: false)
        case "AWS::Region": return Value(text: region, isExact: false)
        case "AWS::StackName": return Value(text: stackName, isExact: false)
        case "AWS::StackId": return Value(text: stackId, isExact: false)
        case "AWS::NotificationARNs": return Value(text: "arn:aws:sns:us-east-1:000000000000:stack-notifications", isExact: false)
        default: return nil
        }
    }

    /// `cfn-<parts>`, with every character that is not a letter, digit, `.`, `_` or `-` made a `-`.
    static func token(_ parts: String...) -> String {
        let joined = (["cfn"] + parts).joined(separator: "-")
        return String(String.UnicodeScalarView(joined.unicodeScalars.map { scalar in
            let allowed = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                || scalar == "." || scalar == "_" || scalar == "-"
            return allowed ? scalar : "-"
        }))
    }

    /// How a resource type is named and what `Ref` and `Fn::GetAtt` give for it.
    struct Shape: Sendable {
        /// The property that names the resource, if any.
        var nameProperty: String?
        /// Whether generated names are lowercase (S3 buckets, ECR repositories).
        var lowercaseName = false
        /// What `Ref` gives, from the name.
        var ref: @Sendable (String) -> String
        /// Attributes, from the name.
        var attributes: [String: @Sendable (String) -> String]
        /// Whether values built from a literal name are exact (no account or region in them).
        var exactFromName = false
    }

    private static let a = account
    private static let r = region

    static let shapes: [String: Shape] = [
        "AWS::S3::Bucket": Shape(nameProperty: "BucketName", lowercaseName: true, ref: { $0 }, attributes: [
            "Arn": { "arn:aws:s3:::\($0)" }, "DomainName": { "\($0).s3.amazonaws.com" },
            "RegionalDomainName": { "\($0).s3.\(r).amazonaws.com" },
        ], exactFromName: true),
        "AWS::IAM::Role": Shape(nameProperty: "RoleName", ref: { $0 }, attributes: ["Arn": { "arn:aws:iam::\(a):role/\($0)" }]),
        "AWS::IAM::User": Shape(nameProperty: "UserName", ref: { $0 }, attributes: ["Arn": { "arn:aws:iam::\(a):user/\($0)" }]),
        "AWS::IAM::Group": Shape(nameProperty: "GroupName", ref: { $0 }, attributes: ["Arn": { "arn:aws:iam::\(a):group/\($0)" }]),
        "AWS::IAM::ManagedPolicy": Shape(nameProperty: "ManagedPolicyName", ref: { "arn:aws:iam::\(a):policy/\($0)" }, attributes: [
            "PolicyArn": { "arn:aws:iam::\(a):policy/\($0)" },
        ]),
        "AWS::IAM::InstanceProfile": Shape(nameProperty: "InstanceProfileName", ref: { $0 }, attributes: [
            "Arn": { "arn:aws:iam::\(a):instance-profile/\($0)" },
        ]),
        "AWS::SQS::Queue": Shape(nameProperty: "QueueName", ref: { "https://sqs.\(r).amazonaws.com/\(a)/\($0)" }, attributes: [
            "Arn": { "arn:aws:sqs:\(r):\(a):\($0)" }, "QueueName": { $0 }, "QueueUrl": { "https://sqs.\(r).amazonaws.com/\(a)/\($0)" },
        ]),
        "AWS::SNS::Topic": Shape(nameProperty: "TopicName", ref: { "arn:aws:sns:\(r):\(a):\($0)" }, attributes: [
            "TopicArn": { "arn:aws:sns:\(r):\(a):\($0)" }, "TopicName": { $0 },
        ]),
        "AWS::KMS::Key": Shape(ref: { $0 }, attributes: ["Arn": { "arn:aws:kms:\(r):\(a):key/\($0)" }, "KeyId": { $0 }]),
        "AWS::KMS::Alias": Shape(nameProperty: "AliasName", ref: { $0 }, attributes: [:]),
        "AWS::Lambda::Function": Shape(nameProperty: "FunctionName", ref: { $0 }, attributes: [
            "Arn": { "arn:aws:lambda:\(r):\(a):function:\($0)" },
        ]),
        "AWS::DynamoDB::Table": Shape(nameProperty: "TableName", ref: { $0 }, attributes: [
            "Arn": { "arn:aws:dynamodb:\(r):\(a):table/\($0)" },
            "StreamArn": { "arn:aws:dynamodb:\(r):\(a):table/\($0)/stream/1970-01-01T00:00:00.000" },
        ]),
        "AWS::SecretsManager::Secret": Shape(nameProperty: "Name", ref: { "arn:aws:secretsmanager:\(r):\(a):secret:\($0)-AbCdEf" }, attributes: [
            "Id": { "arn:aws:secretsmanager:\(r):\(a):secret:\($0)-AbCdEf" },
        ]),
        "AWS::ECR::Repository": Shape(nameProperty: "RepositoryName", lowercaseName: true, ref: { $0 }, attributes: [
            "Arn": { "arn:aws:ecr:\(r):\(a):repository/\($0)" }, "RepositoryUri": { "\(a).dkr.ecr.\(r).amazonaws.com/\($0)" },
        ]),
        "AWS::Logs::LogGroup": Shape(nameProperty: "LogGroupName", ref: { $0 }, attributes: [
            "Arn": { "arn:aws:logs:\(r):\(a):log-group:\($0):*" },
        ]),
        "AWS::Kinesis::Stream": Shape(nameProperty: "Name", ref: { $0 }, attributes: ["Arn": { "arn:aws:kinesis:\(r):\(a):stream/\($0)" }]),
        "AWS::StepFunctions::StateMachine": Shape(nameProperty: "StateMachineName", ref: { "arn:aws:states:\(r):\(a):stateMachine:\($0)" }, attributes: [
            "Arn": { "arn:aws:states:\(r):\(a):stateMachine:\($0)" }, "Name": { $0 },
        ]),
        "AWS::Events::Rule": Shape(nameProperty: "Name", ref: { $0 }, attributes: ["Arn": { "arn:aws:events:\(r):\(a):rule/\($0)" }]),
    ]

    /// The name a resource gets: its name property when written as a literal (exact), else its logical
    /// id (lowercased where names must be).
    static func name(of resource: CloudFormationTemplate.Resource, shape: Shape) -> (text: String, isLiteral: Bool) {
        if let property = shape.nameProperty, let literal = resource.literalProperty(property) { return (literal, true) }
        return (shape.lowercaseName ? resource.logicalId.lowercased() : resource.logicalId, false)
    }

    /// What `Ref` gives for a resource of the template.
    static func ref(_ resource: CloudFormationTemplate.Resource) -> Value {
        guard let type = resource.type, let shape = shapes[type] else {
            return Value(text: token("ref", resource.logicalId), isExact: false)
        }
        let (name, isLiteral) = self.name(of: resource, shape: shape)
        let text = shape.ref(name)
        return Value(text: text, isExact: isLiteral && (shape.exactFromName || text == name))
    }

    /// What `Fn::GetAtt` gives for an attribute of a resource of the template.
    static func attribute(_ resource: CloudFormationTemplate.Resource, _ attribute: String) -> Value {
        guard let type = resource.type, let shape = shapes[type], let build = shape.attributes[attribute] else {
            return Value(text: token("getatt", resource.logicalId, attribute), isExact: false)
        }
        let (name, isLiteral) = self.name(of: resource, shape: shape)
        let text = build(name)
        return Value(text: text, isExact: isLiteral && (shape.exactFromName || text == name))
    }
}
