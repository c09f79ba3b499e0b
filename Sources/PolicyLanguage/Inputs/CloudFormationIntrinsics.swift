/// Resolves the CloudFormation intrinsic functions inside a policy document of a template, so that the
/// document can be decoded as a policy, and records every value it had to invent.
///
/// Rules (resolve what is known; replace the rest by a recorded representative; never guess silently):
/// - Pseudo parameters: `AWS::Partition` → `aws` and `AWS::URLSuffix` → `amazonaws.com` (the commercial
///   partition, taken as known); `AWS::AccountId` → `000000000000`, "the stack's own account" (a constant
///   distinct from every real account: the prover treats an account it was never told about like every
///   other unnamed account, so public / never / only answers do not depend on which value stands for
///   it); `AWS::Region` → `us-east-1`; `AWS::StackName` → `stack-name`; `AWS::StackId` → a stack ARN; the
///   last four are recorded as substitutions. `AWS::NoValue` removes the member or element it is in.
/// - `Fn::Sub` (string form and `[template, {Var: value}]` form), `Fn::Join`, `Fn::Select` and
///   `Fn::Split` are evaluated when every piece resolves; `${!Literal}` in `Fn::Sub` is the literal
///   `${Literal}`, and `${aws:username}`-style names (a `:` but no `::`) stay as IAM policy variables.
/// - `Ref` / `Fn::GetAtt` of a resource of the template: a representative of that resource type's
///   shape in the stack account (`arn:aws:s3:::<logicalid-lowercased>`,
///   `arn:aws:iam::000000000000:role/<LogicalId>`, …; see `CloudFormationRepresentatives`), exact when
///   the resource's name property is a literal and the value holds no account or region.
/// - `Ref` of a Parameter, `Fn::If` (two branches: which one is deployed is not known, unless both are
///   the same string), `Fn::ImportValue`, `Fn::FindInMap` (unless every key is a literal found in the
///   mapping), an undeclared name, and any other function: a representative `cfn-<what>` (`cfn-ref-
///   BucketName`, `cfn-if-IsProd`, `cfn-import-SharedKey`), made of characters valid in an ARN
///   resource part and without `*` or `?`, so it stands for one fixed value.
/// - Each intrinsic expression that is not resolved exactly becomes one `Substitution` (the expression
///   as written, its replacement) at its span; a resolved value takes the span of the expression.
/// - BLOCKERS (`.warning` findings at the expression; proofs must answer UNKNOWN): a value inside
///   `Principal` / `NotPrincipal` that depends on a Parameter, `Fn::If`, `Fn::ImportValue`,
///   `Fn::FindInMap`, an undeclared name or an unsupported function (a deployer may set it to `"*"`),
///   code `UNRESOLVED_PRINCIPAL`; the same inside `Action` / `NotAction`, code `UNRESOLVED_ACTION`.
///   Values that resolve to template resources or the stack account are not blockers. An `Fn::If`
///   whose branches are structures (a statement that exists only under a condition) takes its first
///   branch and is a `CONDITIONAL_POLICY_PART` blocker.
struct IntrinsicResolver {
    let template: CloudFormationTemplate
    private(set) var substitutions: [Substitution] = []
    private(set) var blockers: [Finding] = []

    init(template: CloudFormationTemplate) {
        self.template = template
    }

    /// The policy element a value sits in: it decides whether an unresolved value is a blocker, and the
    /// shape a bare representative takes (an ARN in `Resource`, a role ARN in `Principal.AWS`), so that
    /// validation does not reject a document only because a value was invented.
    enum Role: Equatable {
        case other
        case action
        /// In `Principal`/`NotPrincipal`, with the principal type (`AWS`, `Service`, …) once known.
        case principal(String?)
        /// In `Resource`/`NotResource`, with the service of the statement's first action when written.
        case resource(service: String?)

        var isPrincipalOrAction: Bool {
            switch self {
            case .action, .principal: return true
            case .other, .resource: return false
            }
        }
    }

    /// A value that a deployer chooses, on which an evaluated value depends.
    struct DeployerInput {
        var description: String
        var declaration: SourceSpan?
    }

    /// What an evaluation used besides literals.
    struct Trace {
        var usedRepresentative = false
        var inputs: [DeployerInput] = []
    }

    /// Records a substitution made outside the resolver (a synthesized value); one made at the same
    /// span as the last one refines it (the replacement is updated) rather than adding a second note.
    mutating func record(_ substitution: Substitution) {
        if let last = substitutions.last, last.span == substitution.span {
            substitutions[substitutions.count - 1].replacement = substitution.replacement
        } else {
            substitutions.append(substitution)
        }
    }

    // MARK: - Document trees

    /// `node` with every intrinsic resolved; `nil` when the whole value is `AWS::NoValue`.
    mutating func resolve(_ node: SourceNode, role: Role = .other) -> SourceNode? {
        if let call = CloudFormationCall(node) { return resolve(call, role: role) }
        switch node.kind {
        case .object(let members):
            var copy = node
            copy.kind = .object(members.compactMap { member in
                let childRole: Role
                switch (role, member.key) {
                case (.principal(nil), let type): childRole = .principal(type)
                case (.other, "Principal"), (.other, "NotPrincipal"): childRole = .principal(nil)
                case (.other, "Action"), (.other, "NotAction"): childRole = .action
                case (.other, "Resource"), (.other, "NotResource"): childRole = .resource(service: Self.firstService(of: node))
                default: childRole = role
                }
                return resolve(member.value, role: childRole).map { SourceNode.Member(key: member.key, keySpan: member.keySpan, value: $0) }
            })
            return copy
        case .array(let elements):
            var copy = node
            copy.kind = .array(elements.compactMap { resolve($0, role: role) })
            return copy
        default:
            return node
        }
    }

    private mutating func resolve(_ call: CloudFormationCall, role: Role) -> SourceNode? {
        let span = call.expression.span
        if call.function == "Fn::If", let arguments = call.argument.elements, arguments.count == 3,
           arguments[1...].contains(where: { isStructure($0) }) {
            let condition = arguments[0].scalarText ?? "?"
            blockers.append(Finding(
                .conditionalPolicyPart, .warning,
                "this part of the policy is deployed only when the template condition \(condition) is true (Fn::If); which branch is deployed is not known, so access cannot be proved",
                at: span, notes: template.conditions[condition].map { [Finding.Note("the condition is declared here", at: $0)] } ?? []))
            let first = resolve(arguments[1], role: role)
            substitutions.append(Substitution(span: span, original: CloudFormationText.render(call.expression),
                                              replacement: first == nil ? "nothing (its first branch is AWS::NoValue)" : "its first branch"))
            return first
        }
        var trace = Trace()
        guard let value = evaluate(call.expression, trace: &trace) else { return nil }
        var located = Self.relocate(value, to: span)
        if case .string(let text) = located.kind, text.hasPrefix("cfn-") { located.kind = .string(Self.shaped(text, role: role)) }
        if trace.usedRepresentative || !trace.inputs.isEmpty {
            let replacement: String
            if case .string(let text) = located.kind { replacement = text } else { replacement = CloudFormationText.render(located) }
            substitutions.append(Substitution(span: span, original: CloudFormationText.render(call.expression), replacement: replacement))
        }
        if let input = trace.inputs.first, role.isPrincipalOrAction {
            let isPrincipal = role != .action
            let (code, element) = isPrincipal ? (FindingCode.unresolvedPrincipal, "principal") : (.unresolvedAction, "action")
            let names = trace.inputs.map(\.description).joined(separator: ", ")
            let risk = isPrincipal ? " (a deployer may set it to \"*\" or to an account outside the zone of trust)" : ""
            blockers.append(Finding(
                code, .warning, "the \(element) depends on \(names), whose value is chosen at deployment\(risk), so access cannot be proved",
                at: span, notes: input.declaration.map { [Finding.Note("declared here", at: $0)] } ?? []))
        }
        return located
    }

    /// A bare representative in the form its element needs: in `Resource`, an ARN of the statement's
    /// service in the stack account (`arn:aws:s3:::cfn-ref-Bucket`,
    /// `arn:aws:sqs:us-east-1:000000000000:cfn-ref-Queue`); in `Principal.AWS`, a role of the stack
    /// account; in `Action`, an action of the pseudo-service `cfn` (`cfn:cfn-ref-ExtraAction`);
    /// elsewhere the token itself.
    static func shaped(_ token: String, role: Role) -> String {
        let account = CloudFormationRepresentatives.account, region = CloudFormationRepresentatives.region
        switch role {
        case .resource(let service?) where service == "s3":
            return "arn:aws:s3:::\(token)"
        case .resource(let service):
            return "arn:aws:\(service ?? "cloudformation"):\(region):\(account):\(token)"
        case .principal("AWS"):
            return "arn:aws:iam::\(account):role/\(token)"
        case .action:
            return "cfn:\(token)"
        default:
            return token
        }
    }

    /// The service prefix of the first action written as a literal in a statement (`s3` for
    /// `s3:GetObject`), `nil` when there is none or it is a wildcard.
    static func firstService(of statement: SourceNode) -> String? {
        guard let action = InputTree.value(statement, "Action") ?? InputTree.value(statement, "NotAction") else { return nil }
        let first = action.elements?.first ?? action
        guard first.tag == nil, case .string(let text) = first.kind, let colon = text.firstIndex(of: ":") else { return nil }
        let service = text[..<colon].lowercased()
        return service.isEmpty || service.contains("*") || service.contains("?") ? nil : service
    }

    /// Whether an `Fn::If` branch is a structure (an object or list that is not itself an intrinsic).
    private func isStructure(_ node: SourceNode) -> Bool {
        guard CloudFormationCall(node) == nil else { return false }
        return node.members != nil || node.elements != nil
    }

    /// `node` and everything inside it located at `span`.
    static func relocate(_ node: SourceNode, to span: SourceSpan) -> SourceNode {
        EmbeddedJSONString.remap(node) { _ in span }
    }

    // MARK: - Expressions

    /// The value of an expression; `nil` for `AWS::NoValue`.
    mutating func evaluate(_ node: SourceNode, trace: inout Trace) -> SourceNode? {
        guard let call = CloudFormationCall(node) else {
            switch node.kind {
            case .array(let elements):
                var copy = node
                copy.kind = .array(elements.compactMap { evaluate($0, trace: &trace) })
                return copy
            case .object(let members):
                var copy = node
                copy.kind = .object(members.compactMap { member in
                    evaluate(member.value, trace: &trace).map { SourceNode.Member(key: member.key, keySpan: member.keySpan, value: $0) }
                })
                return copy
            default:
                return node
            }
        }
        let span = call.expression.span
        func string(_ text: String) -> SourceNode { SourceNode(.string(text), span: span) }
        let arguments = call.argument.elements ?? []
        switch call.function {
        case "Ref":
            guard let name = call.argument.scalarText else { return unresolved(call, &trace) }
            return ref(name, at: span, trace: &trace)
        case "Fn::GetAtt":
            let parts: [String]
            if let text = call.argument.scalarText, let dot = text.firstIndex(of: ".") {
                parts = [String(text[..<dot]), String(text[text.index(after: dot)...])]
            } else {
                parts = arguments.compactMap { evaluate($0, trace: &trace)?.scalarText }
            }
            guard parts.count == 2 else { return unresolved(call, &trace) }
            return getAtt(parts[0], parts[1], at: span, trace: &trace)
        case "Fn::Sub":
            return sub(call, trace: &trace)
        case "Fn::Join":
            guard arguments.count == 2, let delimiter = evaluate(arguments[0], trace: &trace)?.scalarText,
                  let list = evaluate(arguments[1], trace: &trace)?.elements else { return unresolved(call, &trace) }
            let pieces = list.map(\.scalarText)
            guard pieces.allSatisfy({ $0 != nil }) else { return unresolved(call, &trace) }
            return string(pieces.map { $0! }.joined(separator: delimiter))
        case "Fn::Select":
            guard arguments.count == 2, let index = evaluate(arguments[0], trace: &trace)?.scalarText.flatMap({ Int($0) }),
                  let list = evaluate(arguments[1], trace: &trace)?.elements, list.indices.contains(index) else { return unresolved(call, &trace) }
            return list[index]
        case "Fn::Split":
            guard arguments.count == 2, let delimiter = evaluate(arguments[0], trace: &trace)?.scalarText, !delimiter.isEmpty,
                  let text = evaluate(arguments[1], trace: &trace)?.scalarText else { return unresolved(call, &trace) }
            return SourceNode(.array(text.split(separator: delimiter, omittingEmptySubsequences: false).map { string(String($0)) }), span: span)
        case "Fn::If":
            guard arguments.count == 3, let condition = arguments[0].scalarText else { return unresolved(call, &trace) }
            var branches = Trace()
            let first = evaluate(arguments[1], trace: &branches), second = evaluate(arguments[2], trace: &branches)
            if let first, let second, first.kind == second.kind, first.scalarText != nil {
                trace.usedRepresentative = trace.usedRepresentative || branches.usedRepresentative
                trace.inputs += branches.inputs
                return first
            }
            trace.usedRepresentative = true
            trace.inputs.append(DeployerInput(description: "the condition \(condition) (Fn::If)", declaration: template.conditions[condition]))
            return string(CloudFormationRepresentatives.token("if", condition))
        case "Fn::ImportValue":
            let name = evaluate(call.argument, trace: &trace)?.scalarText ?? "value"
            trace.usedRepresentative = true
            trace.inputs.append(DeployerInput(description: "the imported value \(name) (Fn::ImportValue)", declaration: nil))
            return string(CloudFormationRepresentatives.token("import", name))
        case "Fn::FindInMap":
            return findInMap(call, trace: &trace)
        default:
            return unresolved(call, &trace)
        }
    }

    /// A representative for an expression that cannot be evaluated (an unsupported function, or
    /// arguments of the wrong shape); counted as chosen at deployment, to stay on the safe side.
    func unresolved(_ call: CloudFormationCall, _ trace: inout Trace) -> SourceNode {
        trace.usedRepresentative = true
        trace.inputs.append(DeployerInput(description: "the value of \(call.function)", declaration: nil))
        return SourceNode(.string(CloudFormationRepresentatives.token(call.shortName.lowercased())), span: call.expression.span)
    }

    func ref(_ name: String, at span: SourceSpan, trace: inout Trace) -> SourceNode? {
        if name == "AWS::NoValue" { return nil }
        if let pseudo = CloudFormationRepresentatives.pseudoParameter(name) {
            if !pseudo.isExact { trace.usedRepresentative = true }
            if name == "AWS::NotificationARNs" { return SourceNode(.array([SourceNode(.string(pseudo.text), span: span)]), span: span) }
            return SourceNode(.string(pseudo.text), span: span)
        }
        if let parameter = template.parameters[name] {
            trace.usedRepresentative = true
            trace.inputs.append(DeployerInput(description: "the parameter \(name)", declaration: parameter.keySpan))
            let value = SourceNode(.string(CloudFormationRepresentatives.token("ref", name)), span: span)
            return parameter.isList ? SourceNode(.array([value]), span: span) : value
        }
        if let resource = template.resource(name) {
            let value = CloudFormationRepresentatives.ref(resource)
            if !value.isExact { trace.usedRepresentative = true }
            return SourceNode(.string(value.text), span: span)
        }
        trace.usedRepresentative = true
        trace.inputs.append(DeployerInput(description: "\(name), which the template does not declare", declaration: nil))
        return SourceNode(.string(CloudFormationRepresentatives.token("ref", name)), span: span)
    }

    func getAtt(_ logicalId: String, _ attribute: String, at span: SourceSpan, trace: inout Trace) -> SourceNode {
        guard let resource = template.resource(logicalId) else {
            trace.usedRepresentative = true
            trace.inputs.append(DeployerInput(description: "\(logicalId).\(attribute), which the template does not declare", declaration: nil))
            return SourceNode(.string(CloudFormationRepresentatives.token("getatt", logicalId, attribute)), span: span)
        }
        let value = CloudFormationRepresentatives.attribute(resource, attribute)
        if !value.isExact { trace.usedRepresentative = true }
        return SourceNode(.string(value.text), span: span)
    }

    private mutating func findInMap(_ call: CloudFormationCall, trace: inout Trace) -> SourceNode {
        let arguments = call.argument.elements ?? []
        var keysTrace = Trace()
        let keys = arguments.prefix(3).map { evaluate($0, trace: &keysTrace)?.scalarText }
        let mapName = keys.first.flatMap { $0 } ?? "mapping"
        if keys.count == 3, !keysTrace.usedRepresentative, keysTrace.inputs.isEmpty,
           let value = InputTree.value(InputTree.value(InputTree.value(template.mappings, keys[0] ?? ""), keys[1] ?? ""), keys[2] ?? ""),
           CloudFormationCall(value) == nil {
            return value
        }
        trace.usedRepresentative = true
        trace.inputs.append(DeployerInput(description: "the mapping \(mapName) (Fn::FindInMap)", declaration: nil))
        return SourceNode(.string(CloudFormationRepresentatives.token("findinmap", mapName)), span: call.expression.span)
    }
}
