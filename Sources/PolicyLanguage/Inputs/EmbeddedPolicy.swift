/// One policy document found in a file, decoded with its spans in the original file.
///
/// Guarantees: `parsed` is what `PolicyParser.parse(node:)` gives for the document, so every span in it
/// (and in its findings) is a `file:line:column` of the file the document came from; a value that the
/// extractor had to invent is listed in `substitutions`; and when the document cannot be proved exactly
/// as it will be deployed, `blockers` says why (proofs must then answer UNKNOWN with that message).
public struct EmbeddedPolicy: Sendable {
    /// Where it sits in the file: `policy` for a plain document; for CloudFormation
    /// `Resources.AppRole.AssumeRolePolicyDocument` or `Resources.AppRole.Policies[0] (s3-read)`;
    /// for Terraform the resource address and attribute (`aws_iam_role.app.assume_role_policy`);
    /// for an account export `role/app-role (trust)`, `policy/arn:… (v3)`, `user/alice inline s3-read`.
    public var name: String
    /// The type to check it as: identity, resource or trust (a permissions boundary in an export is
    /// still an identity policy document, so it is `.identity`).
    public var type: PolicyType
    /// The resource type that holds it when known, as the source writes it (`AWS::S3::BucketPolicy`,
    /// `aws_sqs_queue_policy`, `AWS::IAM::Role`, …).
    public var sourceType: String?
    /// The decoded policy; spans in the original file.
    public var parsed: ParsedPolicy
    /// Values the extractor could not resolve and replaced by a representative, each with its span.
    public var substitutions: [Substitution]
    /// Why the policy cannot be proved exactly as deployed (for instance a principal that a template
    /// parameter decides). Empty when the document is provable as extracted.
    public var blockers: [Finding]

    public init(
        name: String, type: PolicyType, sourceType: String? = nil, parsed: ParsedPolicy,
        substitutions: [Substitution] = [], blockers: [Finding] = []
    ) {
        self.name = name
        self.type = type
        self.sourceType = sourceType
        self.parsed = parsed
        self.substitutions = substitutions
        self.blockers = blockers
    }
}

/// A value that the extractor replaced: what was written, where, and what stands for it.
public struct Substitution: Sendable, Equatable {
    /// Where the replaced expression is written.
    public var span: SourceSpan
    /// The expression as written, shortened (`!Ref BucketName`, `{"Fn::GetAtt": ["Role", "Arn"]}`).
    public var original: String
    /// The text that stands for it in the extracted document.
    public var replacement: String

    public init(span: SourceSpan, original: String, replacement: String) {
        self.span = span
        self.original = original
        self.replacement = replacement
    }
}

/// Everything found in one input file.
public struct ExtractedFile: Sendable {
    /// The file's display name.
    public var file: String
    /// How the file was classified.
    public var format: InputFormat
    /// The policy documents it holds, in the order they are written.
    public var policies: [EmbeddedPolicy]
    /// File-level findings, all located: `.error` for an unreadable or malformed file or a policy
    /// property of the wrong type; `.warning` for a policy that cannot be read at all (a Terraform
    /// attribute unknown until apply). Problems inside a document are in its `parsed.findings`.
    public var findings: [Finding]

    public init(file: String, format: InputFormat, policies: [EmbeddedPolicy] = [], findings: [Finding] = []) {
        self.file = file
        self.format = format
        self.policies = policies
        self.findings = findings
    }
}
