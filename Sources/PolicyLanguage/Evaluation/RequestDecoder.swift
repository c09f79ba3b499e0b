/// Reads a request document `{"principal": ARN | null, "action": "svc:Name", "resource": ARN,
/// "resourceAccount": "123456789012"?, "context": {"key": "value" | ["v1", "v2"]}}` (DESIGN.md
/// `simulate`). Numbers and booleans in the context are read as their text, as IAM does.
public enum RequestDecoder {
    /// A located reason why a request document is not valid.
    public struct DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var span: SourceSpan

        public init(message: String, span: SourceSpan) {
            self.message = message
            self.span = span
        }

        public var description: String { "\(span): \(message)" }
    }

    static let knownFields: Set<String> = [
        "principal", "action", "resource", "resourceAccount", "context", "principalInManagementAccount",
        "resourceInManagementAccount", "wildcardOnlyAction",
    ]

    public static func decode(_ node: SourceNode) -> Result<Request, DecodingError> {
        guard let members = node.members else {
            return .failure(DecodingError(message: "a request must be an object, found \(node.typeDescription)", span: node.span))
        }
        func member(_ name: String) -> SourceNode.Member? { members.first { $0.key == name } }
        if let unknown = members.first(where: { !knownFields.contains($0.key) }) {
            return .failure(DecodingError(message: "unknown request field \"\(unknown.key)\"; expected \(knownFields.sorted().joined(separator: ", "))", span: unknown.keySpan))
        }
        // principal: required key, null for anonymous.
        guard let principalMember = member("principal") else {
            return .failure(DecodingError(message: "the request has no \"principal\" (use null for an anonymous request)", span: node.span))
        }
        let principal: RequestPrincipal
        switch principalMember.value.kind {
        case .null: principal = .anonymous
        case .string(let text):
            guard let parsed = RequestPrincipal(text) else {
                return .failure(DecodingError(message: "\"\(text)\" is not a principal: use an IAM user, role or root ARN, an assumed-role or federated-user session ARN, a service principal, or null", span: principalMember.value.span))
            }
            principal = parsed
        default:
            return .failure(DecodingError(message: "\"principal\" must be a string or null, found \(principalMember.value.typeDescription)", span: principalMember.value.span))
        }
        guard let action = member("action") else {
            return .failure(DecodingError(message: "the request has no \"action\"", span: node.span))
        }
        guard case .string(let actionText) = action.value.kind, actionText.contains(":") else {
            return .failure(DecodingError(message: "\"action\" must be a string service:Action", span: action.value.span))
        }
        guard let resource = member("resource") else {
            return .failure(DecodingError(message: "the request has no \"resource\" (use \"*\" for actions without resource-level permissions)", span: node.span))
        }
        guard case .string(let resourceText) = resource.value.kind else {
            return .failure(DecodingError(message: "\"resource\" must be a string", span: resource.value.span))
        }
        var request = Request(principal: principal, action: actionText, resource: resourceText)
        if let account = member("resourceAccount") {
            switch account.value.kind {
            case .null: break
            case .string(let text): request.resourceAccount = text
            case .number(let text): request.resourceAccount = text
            default:
                return .failure(DecodingError(message: "\"resourceAccount\" must be a string", span: account.value.span))
            }
        }
        for (name, keyPath) in [("principalInManagementAccount", \Request.principalInManagementAccount), ("resourceInManagementAccount", \Request.resourceInManagementAccount), ("wildcardOnlyAction", \Request.wildcardOnlyAction)] {
            guard let flag = member(name) else { continue }
            guard case .bool(let value) = flag.value.kind else {
                return .failure(DecodingError(message: "\"\(name)\" must be true or false", span: flag.value.span))
            }
            request[keyPath: keyPath] = value
        }
        if let context = member("context") {
            switch decodeContext(context.value) {
            case .success(let decoded): request.context = decoded
            case .failure(let error): return .failure(error)
            }
        }
        return .success(request)
    }

    private static func decodeContext(_ node: SourceNode) -> Result<RequestContext, DecodingError> {
        if case .null = node.kind { return .success(RequestContext()) }
        guard let members = node.members else {
            return .failure(DecodingError(message: "\"context\" must be an object of condition keys", span: node.span))
        }
        var context = RequestContext()
        var seen: [String: SourceSpan] = [:]
        for member in members {
            if seen[member.key.lowercased()] != nil {
                return .failure(DecodingError(message: "condition key \"\(member.key)\" is given twice (key names are case-insensitive)", span: member.keySpan))
            }
            seen[member.key.lowercased()] = member.keySpan
            if let scalar = member.value.scalarText {
                context.set(scalar, for: member.key)
            } else if let elements = member.value.elements {
                var values: [String] = []
                for element in elements {
                    guard let text = element.scalarText else {
                        return .failure(DecodingError(message: "values of \"\(member.key)\" must be strings, numbers or booleans", span: element.span))
                    }
                    values.append(text)
                }
                context.setValues(values, for: member.key)
            } else {
                return .failure(DecodingError(message: "the value of \"\(member.key)\" must be a string or an array of strings, found \(member.value.typeDescription)", span: member.value.span))
            }
        }
        return .success(context)
    }
}
