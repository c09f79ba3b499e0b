/// The parts of a CloudFormation template that resolving intrinsics needs: parameters, mappings,
/// conditions and resources, each with where it is declared.
struct CloudFormationTemplate {
    struct Parameter {
        var name: String
        /// The parameter's `Type` (`String`, `CommaDelimitedList`, `List<AWS::EC2::Subnet::Id>`, …).
        var type: String?
        var keySpan: SourceSpan

        /// Whether `Ref` gives a list.
        var isList: Bool {
            guard let type else { return false }
            return type == "CommaDelimitedList" || type.hasPrefix("List<") || type.contains("<List<")
        }
    }

    struct Resource {
        var logicalId: String
        var type: String?
        var properties: SourceNode?
        /// The resource's whole definition.
        var node: SourceNode
        var keySpan: SourceSpan

        /// The text of a property written as a plain string (no intrinsic).
        func literalProperty(_ key: String) -> String? {
            guard let value = InputTree.value(properties, key), value.tag == nil, case .string(let text) = value.kind else { return nil }
            return text
        }
    }

    var parameters: [String: Parameter] = [:]
    /// Resources in the order they are written.
    var resources: [Resource] = []
    var resourceIndex: [String: Int] = [:]
    var mappings: SourceNode?
    var conditions: [String: SourceSpan] = [:]

    init(_ root: SourceNode) {
        for member in InputTree.value(root, "Parameters")?.members ?? [] {
            parameters[member.key] = Parameter(name: member.key, type: InputTree.string(member.value, "Type"), keySpan: member.keySpan)
        }
        for member in InputTree.value(root, "Resources")?.members ?? [] {
            resourceIndex[member.key] = resources.count
            resources.append(Resource(
                logicalId: member.key, type: InputTree.string(member.value, "Type"),
                properties: InputTree.value(member.value, "Properties"), node: member.value, keySpan: member.keySpan))
        }
        mappings = InputTree.value(root, "Mappings")
        for member in InputTree.value(root, "Conditions")?.members ?? [] {
            conditions[member.key] = member.keySpan
        }
    }

    func resource(_ logicalId: String) -> Resource? {
        resourceIndex[logicalId].map { resources[$0] }
    }
}
