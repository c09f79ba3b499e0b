/// The resource-policy statement that an `AWS::Lambda::Permission` adds to its function's policy,
/// synthesized as a located document so that it can be checked like any other resource policy:
///
/// ```
/// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
///   "Principal": {"Service": P} when P ends in .amazonaws.com, "*" when P is "*", {"AWS": P} otherwise,
///   "Action": Action, "Resource": the function's ARN,
///   "Condition": {"ArnLike": {"aws:SourceArn": SourceArn},
///                 "StringEquals": {"aws:SourceAccount": SourceAccount, "lambda:FunctionUrlAuthType": …,
///                                  "aws:PrincipalOrgID": PrincipalOrgID}}}]}
/// ```
/// (conditions only for the properties written). Every synthesized node has the span of the property
/// it comes from (keys: the property's key), so findings point at the template's lines; the document
/// and statement are located at `Properties`. `FunctionName` may be a name, a partial ARN or an ARN:
/// a name becomes `arn:aws:lambda:us-east-1:000000000000:function:<name>`, recorded as a substitution.
enum LambdaPermissionStatement {
    static func policy(for resource: CloudFormationTemplate.Resource, resolver: inout IntrinsicResolver) -> SourceNode? {
        guard let properties = resource.properties, properties.members != nil else { return nil }
        let whole = properties.span
        func member(_ key: String, _ value: SourceNode, keySpan: SourceSpan) -> SourceNode.Member {
            SourceNode.Member(key: key, keySpan: keySpan, value: value)
        }
        func resolved(_ key: String, role: IntrinsicResolver.Role = .other) -> (node: SourceNode, keySpan: SourceSpan)? {
            guard let written = InputTree.member(properties, key), let value = resolver.resolve(written.value, role: role) else { return nil }
            return (value, written.keySpan)
        }

        var statement: [SourceNode.Member] = [member("Effect", SourceNode(.string("Allow"), span: whole), keySpan: whole)]
        if let (principal, keySpan) = resolved("Principal", role: .principal(nil)) {
            statement.append(member("Principal", principalNode(principal, resolver: &resolver), keySpan: keySpan))
        }
        if let (action, keySpan) = resolved("Action", role: .action) {
            statement.append(member("Action", action, keySpan: keySpan))
        }
        if let (function, keySpan) = resolved("FunctionName", role: .resource(service: "lambda")) {
            statement.append(member("Resource", functionARN(function, resolver: &resolver), keySpan: keySpan))
        }
        var arnLike: [SourceNode.Member] = [], stringEquals: [SourceNode.Member] = []
        var conditionSpan: SourceSpan?
        for (property, key, isArn) in [("SourceArn", "aws:SourceArn", true), ("SourceAccount", "aws:SourceAccount", false),
                                       ("FunctionUrlAuthType", "lambda:FunctionUrlAuthType", false), ("PrincipalOrgID", "aws:PrincipalOrgID", false)] {
            guard let (value, keySpan) = resolved(property) else { continue }
            conditionSpan = conditionSpan ?? keySpan
            if isArn { arnLike.append(member(key, value, keySpan: keySpan)) } else { stringEquals.append(member(key, value, keySpan: keySpan)) }
        }
        if let conditionSpan {
            var operators: [SourceNode.Member] = []
            if let first = arnLike.first { operators.append(member("ArnLike", SourceNode(.object(arnLike), span: first.value.span), keySpan: first.keySpan)) }
            if let first = stringEquals.first { operators.append(member("StringEquals", SourceNode(.object(stringEquals), span: first.value.span), keySpan: first.keySpan)) }
            statement.append(member("Condition", SourceNode(.object(operators), span: conditionSpan), keySpan: conditionSpan))
        }
        let document: [SourceNode.Member] = [
            member("Version", SourceNode(.string("2012-10-17"), span: whole), keySpan: whole),
            member("Statement", SourceNode(.array([SourceNode(.object(statement), span: whole)]), span: whole), keySpan: whole),
        ]
        return SourceNode(.object(document), span: whole)
    }

    /// `{"Service": p}`, `"*"` or `{"AWS": p}`, located at the property's value.
    static func principalNode(_ principal: SourceNode, resolver: inout IntrinsicResolver) -> SourceNode {
        guard case .string(let text) = principal.kind else { return principal }
        if text == "*" { return principal }
        let type = text.hasSuffix(".amazonaws.com") || text.hasSuffix(".amazonaws.com.cn") ? "Service" : "AWS"
        var value = principal
        if type == "AWS", text.hasPrefix("cfn-") {
            let shaped = IntrinsicResolver.shaped(text, role: .principal("AWS"))
            value.kind = .string(shaped)
            resolver.record(Substitution(span: principal.span, original: text, replacement: shaped))
        }
        return SourceNode(.object([SourceNode.Member(key: type, keySpan: principal.span, value: value)]), span: principal.span)
    }

    /// The function's ARN from `FunctionName` (a name, `name:alias`, a partial ARN `123456789012:function:name`, or an ARN).
    static func functionARN(_ function: SourceNode, resolver: inout IntrinsicResolver) -> SourceNode {
        guard case .string(let text) = function.kind, !text.hasPrefix("arn:") else { return function }
        let account = CloudFormationRepresentatives.account, region = CloudFormationRepresentatives.region
        let arn: String
        if text.contains(":function:") {
            arn = "arn:aws:lambda:\(region):\(text)"
        } else {
            arn = "arn:aws:lambda:\(region):\(account):function:\(text)"
        }
        resolver.record(Substitution(span: function.span, original: text, replacement: arn))
        var node = function
        node.kind = .string(arn)
        return node
    }
}
