/// The kind of resource a step of an escalation method must act on for the method to work.
public enum EscalationResource: Sendable, Hashable {
    /// An IAM user, `arn:*:iam::ACCOUNT:user/*`.
    case iamUser
    /// An IAM group, `arn:*:iam::ACCOUNT:group/*`.
    case iamGroup
    /// An IAM role, `arn:*:iam::ACCOUNT:role/*` (not one under `/aws-reserved/` or a service-linked role
    /// under `/aws-service-role/`, which nobody can change or act as).
    case iamRole
    /// A customer managed policy, `arn:*:iam::ACCOUNT:policy/*` (AWS managed policies cannot be changed).
    case iamPolicy
    /// Any resource of a type the action needs, from the ARN formats of the action catalogue (its
    /// required resource types, or all of them when none is required; the literal `*` for actions
    /// without resource-level permissions); any ARN of the action's service when the catalogue does
    /// not know the action.
    case serviceResource
    /// One fixed resource; `${Account}` stands for the principal's account.
    case exact(String)
}

/// One permission an escalation method needs: any of `actions`, on a resource of kind `resource` in the
/// principal's own account.
public struct EscalationStep: Sendable, Hashable {
    /// Alternatives: the step is possible when any of them is allowed.
    public var actions: [String]
    public var resource: EscalationResource
    /// For `iam:PassRole`: the service the role is passed to, sent as `iam:PassedToService`.
    public var passedToService: String?
    /// The index of an earlier step of the same method whose resource this step must act on too
    /// (updating a role's trust policy helps only if one can then assume that same role).
    public var sameResourceAs: Int?
    /// The step helps only on another user than the caller (one's own access key or password gains
    /// nothing). Applied when the question is about a known user (`KnownCaller`); for an unknown
    /// caller the target may be anyone, the caller too.
    public var otherUserOnly: Bool
    /// The step (assuming the role changed by the linked step) is not needed when the caller is a
    /// session of that very role: it changes its own permissions (Rhino's methods 9 and 12 need only
    /// the first permission).
    public var waivedForOwnRole: Bool

    public init(actions: [String], resource: EscalationResource, passedToService: String? = nil, sameResourceAs: Int? = nil, otherUserOnly: Bool = false, waivedForOwnRole: Bool = false) {
        self.actions = actions
        self.resource = resource
        self.passedToService = passedToService
        self.sameResourceAs = sameResourceAs
        self.otherUserOnly = otherUserOnly
        self.waivedForOwnRole = waivedForOwnRole
    }

    /// The step without its link to other steps: what is decided once per principal and shared by
    /// every method that needs it.
    var key: EscalationStep { EscalationStep(actions: actions, resource: resource, passedToService: passedToService, otherUserOnly: otherUserOnly, waivedForOwnRole: waivedForOwnRole) }

    static func iam(_ action: String, _ resource: EscalationResource) -> EscalationStep {
        EscalationStep(actions: [action], resource: resource)
    }

    static func otherUser(_ action: String) -> EscalationStep {
        EscalationStep(actions: [action], resource: .iamUser, otherUserOnly: true)
    }

    static func passRole(to service: String) -> EscalationStep {
        EscalationStep(actions: ["iam:PassRole"], resource: .iamRole, passedToService: service)
    }

    static func assumeRole(sameAs step: Int, waivedForOwnRole: Bool = false) -> EscalationStep {
        EscalationStep(actions: ["sts:AssumeRole"], resource: .iamRole, sameResourceAs: step, waivedForOwnRole: waivedForOwnRole)
    }

    static func service(_ actions: String...) -> EscalationStep {
        EscalationStep(actions: actions, resource: .serviceResource)
    }
}

/// A known way for a principal to gain permissions it was not given (SEMANTICS.md §6): a list of
/// steps, all of which the principal's policies must allow.
public struct EscalationMethod: Sendable, Identifiable, Hashable {
    /// `"1"` … `"28"` for Rhino Security Labs' numbering; `"pmapper-…"` for the PMapper additions.
    public var id: String
    /// The permissions, as usually written: `"iam:PassRole + ec2:RunInstances"`.
    public var name: String
    /// What an attacker does with them.
    public var summary: String
    /// Where the method is described.
    public var source: String
    public var steps: [EscalationStep]

    public init(id: String, name: String, summary: String, source: String, steps: [EscalationStep]) {
        self.id = id
        self.name = name
        self.summary = summary
        self.source = source
        self.steps = steps
    }

    static let rhino = "RhinoSecurityLabs/AWS-IAM-Privilege-Escalation"
    static let pacu = "RhinoSecurityLabs/AWS-IAM-Privilege-Escalation; Pacu iam__privesc_scan adds sts:AssumeRole"
    static let pmapper = "nccgroup/PMapper principalmapper/graphing"
    static let bishopFox = "BishopFox/iam-vulnerable privesc-ec2InstanceConnect"

    /// The methods of SEMANTICS.md §6: Rhino Security Labs' 28 (with Pacu's sts:AssumeRole for 9 and
    /// 12) and the PMapper additions, plus EC2 Instance Connect (BishopFox iam-vulnerable's path, like
    /// PMapper's SSM ones: a shell on an instance is its instance profile's power). Rhino's optional DynamoDB permissions of method 17 are not a
    /// step (an existing table stream serves as well); PMapper's plain sts:AssumeRole edge is not a
    /// method of its own (it escalates only to a role that is itself more privileged).
    public static let catalogue: [EscalationMethod] = [
        method("1", "iam:CreatePolicyVersion", "Write a new default version of a policy attached to oneself, granting anything.", rhino,
               [.iam("iam:CreatePolicyVersion", .iamPolicy)]),
        method("2", "iam:SetDefaultPolicyVersion", "Make an older, more permissive version of an attached policy the default.", rhino,
               [.iam("iam:SetDefaultPolicyVersion", .iamPolicy)]),
        method("3", "iam:PassRole + ec2:RunInstances", "Launch an instance with a more privileged role and take its credentials.", rhino,
               [.passRole(to: "ec2.amazonaws.com"), .service("ec2:RunInstances")]),
        method("4", "iam:CreateAccessKey", "Create an access key for another, more privileged user.", rhino,
               [.otherUser("iam:CreateAccessKey")]),
        method("5", "iam:CreateLoginProfile", "Give another user a console password and sign in as them.", rhino,
               [.otherUser("iam:CreateLoginProfile")]),
        method("6", "iam:UpdateLoginProfile", "Change another user's console password.", rhino,
               [.otherUser("iam:UpdateLoginProfile")]),
        method("7", "iam:AttachUserPolicy", "Attach a managed policy such as AdministratorAccess to a user.", rhino,
               [.iam("iam:AttachUserPolicy", .iamUser)]),
        method("8", "iam:AttachGroupPolicy", "Attach a managed policy to a group one belongs to.", rhino,
               [.iam("iam:AttachGroupPolicy", .iamGroup)]),
        method("9", "iam:AttachRolePolicy (+ sts:AssumeRole)", "Attach a managed policy to one's own role, or to a role one can then assume.", pacu,
               [.iam("iam:AttachRolePolicy", .iamRole), .assumeRole(sameAs: 0, waivedForOwnRole: true)]),
        method("10", "iam:PutUserPolicy", "Write an inline policy granting anything to a user.", rhino,
               [.iam("iam:PutUserPolicy", .iamUser)]),
        method("11", "iam:PutGroupPolicy", "Write an inline policy granting anything to a group one belongs to.", rhino,
               [.iam("iam:PutGroupPolicy", .iamGroup)]),
        method("12", "iam:PutRolePolicy (+ sts:AssumeRole)", "Write an inline policy on one's own role, or on a role one can then assume.", pacu,
               [.iam("iam:PutRolePolicy", .iamRole), .assumeRole(sameAs: 0, waivedForOwnRole: true)]),
        method("13", "iam:AddUserToGroup", "Add oneself to a more privileged group.", rhino,
               [.iam("iam:AddUserToGroup", .iamGroup)]),
        method("14", "iam:UpdateAssumeRolePolicy + sts:AssumeRole", "Rewrite a role's trust policy to trust oneself, then assume the role.", rhino,
               [.iam("iam:UpdateAssumeRolePolicy", .iamRole), .assumeRole(sameAs: 0)]),
        method("15", "iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction", "Create a function running as a privileged role and invoke it.", rhino,
               [.passRole(to: "lambda.amazonaws.com"), .service("lambda:CreateFunction"), .service("lambda:InvokeFunction")]),
        method("16", "iam:PassRole + lambda:CreateFunction + lambda:AddPermission", "Create a function running as a privileged role and let oneself invoke it.", rhino,
               [.passRole(to: "lambda.amazonaws.com"), .service("lambda:CreateFunction"), .service("lambda:AddPermission")]),
        method("17", "iam:PassRole + lambda:CreateFunction + lambda:CreateEventSourceMapping", "Create a function running as a privileged role and trigger it from an event source (a DynamoDB stream).", rhino,
               [.passRole(to: "lambda.amazonaws.com"), .service("lambda:CreateFunction"), .service("lambda:CreateEventSourceMapping")]),
        method("18", "lambda:UpdateFunctionCode", "Replace the code of a function that runs as a privileged role.", rhino,
               [.service("lambda:UpdateFunctionCode")]),
        method("19", "iam:PassRole + glue:CreateDevEndpoint", "Create a Glue development endpoint with a privileged role and log in to it.", rhino,
               [.passRole(to: "glue.amazonaws.com"), .service("glue:CreateDevEndpoint")]),
        method("20", "glue:UpdateDevEndpoint", "Add one's SSH key to an existing Glue development endpoint and use its role.", rhino,
               [.service("glue:UpdateDevEndpoint")]),
        method("21", "iam:PassRole + cloudformation:CreateStack", "Create a stack whose resources are made by a privileged role.", rhino,
               [.passRole(to: "cloudformation.amazonaws.com"), .service("cloudformation:CreateStack")]),
        method("22", "iam:PassRole + datapipeline:CreatePipeline + datapipeline:PutPipelineDefinition", "Create a pipeline that runs commands as a privileged role.", rhino,
               [.passRole(to: "datapipeline.amazonaws.com"), .service("datapipeline:CreatePipeline"), .service("datapipeline:PutPipelineDefinition")]),
        method("23", "codestar:CreateProjectFromTemplate", "Create a CodeStar project from a template, which uses the service's privileged role.", rhino,
               [.service("codestar:CreateProjectFromTemplate")]),
        method("24", "codestar:CreateProject + iam:PassRole", "Create a CodeStar project with a privileged role passed to it.", rhino,
               [.service("codestar:CreateProject"), .passRole(to: "codestar.amazonaws.com")]),
        method("25", "codestar:CreateProject + codestar:AssociateTeamMember", "Create a CodeStar project and make oneself its owner, which grants IAM permissions.", rhino,
               [.service("codestar:CreateProject"), .service("codestar:AssociateTeamMember")]),
        method("26", "lambda:UpdateFunctionConfiguration", "Attach a malicious layer to a function that runs as a privileged role.", rhino,
               [.service("lambda:UpdateFunctionConfiguration")]),
        method("27", "iam:PassRole + sagemaker:CreateNotebookInstance + sagemaker:CreatePresignedNotebookInstanceUrl", "Create a notebook with a privileged role and open it.", rhino,
               [.passRole(to: "sagemaker.amazonaws.com"), .service("sagemaker:CreateNotebookInstance"), .service("sagemaker:CreatePresignedNotebookInstanceUrl")]),
        method("28", "sagemaker:CreatePresignedNotebookInstanceUrl", "Open an existing notebook and use its role.", rhino,
               [.service("sagemaker:CreatePresignedNotebookInstanceUrl")]),
        method("pmapper-codebuild", "iam:PassRole + codebuild:CreateProject|UpdateProject + codebuild:StartBuild|StartBuildBatch", "Run a build as a privileged role.", pmapper,
               [.passRole(to: "codebuild.amazonaws.com"), .service("codebuild:CreateProject", "codebuild:UpdateProject"), .service("codebuild:StartBuild", "codebuild:StartBuildBatch")]),
        method("pmapper-sagemaker-job", "iam:PassRole + sagemaker:CreateTrainingJob|CreateProcessingJob", "Run a training or processing job as a privileged role.", pmapper,
               [.passRole(to: "sagemaker.amazonaws.com"), .service("sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob")]),
        method("pmapper-ec2-instance-profile", "iam:PassRole + ec2:AssociateIamInstanceProfile", "Give an instance one controls a privileged instance profile.", pmapper,
               [.passRole(to: "ec2.amazonaws.com"), .service("ec2:AssociateIamInstanceProfile")]),
        // The instance profile's role is passed to EC2, the service its instances run in.
        method("pmapper-autoscaling", "iam:PassRole + autoscaling:CreateLaunchConfiguration + autoscaling:CreateAutoScalingGroup|UpdateAutoScalingGroup", "Launch instances with a privileged instance profile through Auto Scaling.", pmapper,
               [.passRole(to: "ec2.amazonaws.com"), .service("autoscaling:CreateLaunchConfiguration"), .service("autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup")]),
        method("pmapper-cloudformation-update-stack", "cloudformation:UpdateStack", "Change a stack that is deployed by a privileged service role.", pmapper,
               [.service("cloudformation:UpdateStack")]),
        method("pmapper-cloudformation-change-set", "cloudformation:CreateChangeSet + cloudformation:ExecuteChangeSet", "Change a stack deployed by a privileged service role through a change set.", pmapper,
               [.service("cloudformation:CreateChangeSet"), .service("cloudformation:ExecuteChangeSet")]),
        method("pmapper-ssm-send-command", "ssm:SendCommand", "Run commands on an instance and use its instance profile.", pmapper,
               [.service("ssm:SendCommand")]),
        method("pmapper-ssm-start-session", "ssm:StartSession", "Open a shell on an instance and use its instance profile.", pmapper,
               [.service("ssm:StartSession")]),
        method("ec2-instance-connect", "ec2-instance-connect:SendSSHPublicKey", "Push an SSH key to an instance, log in and use its instance profile.", bishopFox,
               [.service("ec2-instance-connect:SendSSHPublicKey", "ec2-instance-connect:SendSerialConsoleSSHPublicKey")]),
    ]

    private static func method(_ id: String, _ name: String, _ summary: String, _ source: String, _ steps: [EscalationStep]) -> EscalationMethod {
        EscalationMethod(id: id, name: name, summary: summary, source: source, steps: steps)
    }
}
