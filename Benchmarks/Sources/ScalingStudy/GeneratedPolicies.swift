import Foundation
import PolicyLanguage

/// Policies generated for the scaling study: deterministic, realistic in shape (real catalogue actions
/// of common services, wildcards as people write them, resource ARNs with names, some conditions and
/// some Denies), and distinct from one another (distinct content hashes in an audit).
enum GeneratedPolicies {
    static let services = ["s3", "ec2", "dynamodb", "sqs", "sns", "lambda", "logs", "kms", "cloudwatch", "ecr", "iam", "sts"]

    /// Real actions of each service, from the bundled catalogue, sorted.
    static let actions: [String: [String]] = {
        var result: [String: [String]] = [:]
        for service in services {
            result[service] = ActionCatalog.bundled.actions(matching: "\(service):*").map(\.fullName).sorted()
        }
        return result
    }()

    /// A small deterministic generator (SplitMix64).
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }
    }

    /// Statement `index` of policy `seed`.
    static func statement(_ index: Int, seed: UInt64, conditionKeys: Int = 0) -> [String: Any] {
        var generator = Generator(state: seed &* 1_000_003 &+ UInt64(index))
        let service = generator.pick(services)
        let known = actions[service] ?? []
        var actionList: [String] = []
        for _ in 0..<(1 + generator.below(4)) {
            switch generator.below(6) {
            case 0: actionList.append("\(service):Get*")
            case 1: actionList.append("\(service):List*")
            case 2: actionList.append("\(service):Describe*")
            default: if !known.isEmpty { actionList.append(generator.pick(known)) }
            }
        }
        let resource: String = switch generator.below(4) {
        case 0: "*"
        case 1: "arn:aws:\(service):us-east-1:111122223333:app-\(seed)-\(index)/*"
        case 2: "arn:aws:\(service):*:111122223333:team-\(index % 7)-*"
        default: service == "s3" ? "arn:aws:s3:::bucket-\(seed)-\(index)/*" : "arn:aws:\(service):eu-west-1:111122223333:res-\(index)"
        }
        var statement: [String: Any] = [
            "Sid": "S\(index)", "Effect": index % 10 == 9 ? "Deny" : "Allow", "Action": actionList, "Resource": resource,
        ]
        var condition: [String: [String: Any]] = [:]
        if index % 5 == 4 { condition["IpAddress"] = ["aws:SourceIp": ["10.\(index % 256).0.0/16", "192.0.2.0/24"]] }
        if index % 7 == 3 { condition["StringEquals"] = ["aws:PrincipalTag/team": "team-\(index % 5)"] }
        if conditionKeys > 0 {
            var keys = condition["StringEquals"] ?? [:]
            for key in 0..<conditionKeys { keys["aws:ResourceTag/k\(key)"] = "v\(key)-\(seed % 3)" }
            condition["StringEquals"] = keys
        }
        if !condition.isEmpty { statement["Condition"] = condition }
        return statement
    }

    /// A policy of `statements` statements (the first one reading `conditionKeys` extra tag keys).
    static func policyText(statements: Int, seed: UInt64, conditionKeys: Int = 0) -> String {
        let list = (0..<statements).map { statement($0, seed: seed, conditionKeys: $0 == 0 ? conditionKeys : 0) }
        let object: [String: Any] = ["Version": "2012-10-17", "Statement": list]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self)
    }

    static func policy(statements: Int, seed: UInt64, conditionKeys: Int = 0) -> Policy {
        let parsed = PolicyParser.parse(text: policyText(statements: statements, seed: seed, conditionKeys: conditionKeys), file: "generated-\(seed).json")
        guard let policy = parsed.policy, parsed.isEvaluable else { fatalError("a generated policy does not parse: \(parsed.findings)") }
        return policy
    }
}
