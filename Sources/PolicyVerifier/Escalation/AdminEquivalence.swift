import PolicyLanguage

extension Prover {
    /// The requests an administrator can always make, in the principal's account (`${Account}`).
    /// `zzz:NotARealAction` stands for actions AWS has not published yet: only `*`-like grants
    /// (`"Action": "*"`, `NotAction`) cover it. It is asked on an ARN, since the literal resource `*`
    /// belongs only to catalogue actions without resource-level permissions.
    public static let adminSentinels: [EscalationStep] = [
        EscalationStep(actions: ["iam:CreateUser"], resource: .exact("arn:aws:iam::${Account}:user/prover-sentinel")),
        EscalationStep(actions: ["iam:AttachUserPolicy"], resource: .exact("arn:aws:iam::${Account}:user/prover-sentinel")),
        EscalationStep(actions: ["iam:PutRolePolicy"], resource: .exact("arn:aws:iam::${Account}:role/prover-sentinel")),
        EscalationStep(actions: ["organizations:LeaveOrganization"], resource: .exact("*")),
        EscalationStep(actions: ["ec2:RunInstances"], resource: .exact("arn:aws:ec2:us-east-1:${Account}:instance/i-0123456789abcdef0")),
        EscalationStep(actions: ["s3:DeleteBucket"], resource: .exact("arn:aws:s3:::prover-sentinel-bucket")),
        EscalationStep(actions: ["kms:ScheduleKeyDeletion"], resource: .exact("arn:aws:kms:us-east-1:${Account}:key/00000000-0000-0000-0000-000000000000")),
        EscalationStep(actions: ["zzz:NotARealAction"], resource: .exact("arn:aws:zzz:us-east-1:${Account}:thing/prover-sentinel")),
    ]

    /// Whether one principal's identity-side policies (as for `privilegeEscalation`) make it an
    /// administrator. A principal is admin-equivalent when, for every action and every resource of its
    /// account, some request is allowed (∀ action, resource ∃ context). That is decided on the
    /// sentinel requests `adminSentinels`:
    ///
    /// - PASS (not an administrator), proved: Z3 shows one sentinel is allowed under no context, for
    ///   any principal in any account, so some action/resource pair is never allowed.
    /// - FAIL: every sentinel is allowed for one principal (an IAM user or role session) in one
    ///   account; the counterexamples are one certified request per sentinel, with the granting
    ///   statements. The verdict is then by the definition "allows every sentinel": exact for the
    ///   grants that make administrators (`"Action": "*"` on `*`, with or without `NotResource` or
    ///   conditions some context meets), an over-approximation when the policies leave out only
    ///   actions that are not sentinels (`"NotAction": "s3:GetObject"` is reported admin-equivalent).
    /// - UNKNOWN when no sentinel is refuted and some could not be decided.
    ///
    /// So `iam:*` on `*` is not admin-equivalent (it cannot leave the organization), though it allows
    /// several escalation methods; `AdministratorAccess` is.
    ///
    /// `caller`: the one user or role the question is about; `nil` for any.
    public func adminEquivalence(_ policies: [PolicyUnderTest], caller: KnownCaller? = nil) -> Verdict {
        let principal: PrincipalPolicies
        do {
            principal = try PrincipalPolicies(policies, caller: caller, catalog: catalog)
        } catch {
            return .unknown(error)
        }
        let sentinels = EscalationMethod(id: "admin", name: "administrator", summary: "every sentinel request", source: "PolicyProver", steps: Self.adminSentinels)
        guard let (_, outcome) = decide([sentinels], for: principal).first else { return .unknown(.internalError("no answer for the sentinels")) }
        switch outcome {
        case .found(let requests): return .fail(requests.map(principal.counterexample))
        case .absent: return .pass
        case .unknown(let reason): return .unknown(reason)
        }
    }
}
