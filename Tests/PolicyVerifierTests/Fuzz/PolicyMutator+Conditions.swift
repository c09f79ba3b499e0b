import Foundation
import PolicyLanguage

// The condition, principal and shape edits of PolicyMutator (PolicyMutator.swift).

extension PolicyMutator {
    // MARK: Conditions

    static let operatorFamilies: [[String]] = [
        ["StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike"],
        ["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"],
        ["NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals"],
        ["DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals"],
        ["IpAddress", "NotIpAddress"],
        ["Bool"],
        ["BinaryEquals"],
        ["Null"],
    ]

    func newClause(_ rng: inout DiffRNG) -> (String, String, [String]) {
        if rng.chance(0.35), !donors.clauses.isEmpty {
            let clause = rng.pick(donors.clauses)
            return (clause.op, clause.key, clause.values)
        }
        if rng.chance(0.08) {
            return ("Null", rng.pick(DiffAlphabet.nullKeys), [rng.pick(["true", "false"])])
        }
        let shape = rng.pick(DiffAlphabet.clauseShapes)
        return (rng.pick(shape.operators), rng.chance(0.1) ? DiffText.flipCase(shape.key, &rng) : shape.key, rng.some(shape.values, most: 3))
    }

    /// A related operator: the negation, IfExists, a set qualifier, another of the family.
    static func relatedOperator(_ op: String, _ rng: inout DiffRNG) -> String {
        var qualifier = "", base = op
        for prefix in ["ForAllValues:", "ForAnyValue:"] where base.hasPrefix(prefix) {
            qualifier = prefix
            base.removeFirst(prefix.count)
        }
        var ifExists = base.hasSuffix("IfExists")
        if ifExists { base.removeLast("IfExists".count) }
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: ifExists.toggle()
        case 1: qualifier = qualifier.isEmpty ? rng.pick(["ForAllValues:", "ForAnyValue:"]) : rng.chance(0.5) ? "" : (qualifier == "ForAllValues:" ? "ForAnyValue:" : "ForAllValues:")
        case 2:
            if base.contains("Not") {
                base = base.replacingOccurrences(of: "NotIpAddress", with: "IpAddress").replacingOccurrences(of: "Not", with: "")
            } else if base == "IpAddress" {
                base = "NotIpAddress"
            } else if let range = base.range(of: "Equals") ?? base.range(of: "Like") ?? base.range(of: "LessThan") ?? base.range(of: "GreaterThan") {
                base.insert(contentsOf: "Not", at: range.lowerBound)
            }
        case 3:
            if let family = operatorFamilies.first(where: { $0.contains(base) }) { base = rng.pick(family) }
        default:
            base = rng.pick(rng.pick(operatorFamilies))
        }
        return qualifier + base + (ifExists ? "IfExists" : "")
    }

    func conditionEdit(_ kind: Kind, _ statement: inout FuzzJSON, _ rng: inout DiffRNG) -> String? {
        var block = statement["Condition"]!
        let operators = block.keys
        let op = rng.pick(operators)
        guard var inner = block[op], let keys = inner.members?.map(\.key), !keys.isEmpty else {
            // An operator over nothing (or not an object): drop it.
            block[op] = nil
            statement["Condition"] = block
            return "Condition − \(op)"
        }
        let key = rng.pick(keys)
        var what: String
        switch kind {
        case .removeOperator:
            block[op] = nil
            what = "Condition − \(op)"
        case .removeClause:
            inner[key] = nil
            block[op] = inner.keys.isEmpty ? nil : inner
            what = "Condition − \(op) \(key)"
        case .changeOperator:
            let to = Self.relatedOperator(op, &rng)
            guard to != op else { return nil }
            let moved = inner[key]!
            inner[key] = nil
            block[op] = inner.keys.isEmpty ? nil : inner
            var target = block[to] ?? .object([])
            if target.members == nil { target = .object([]) }
            target[key] = moved
            block[to] = target
            what = "Condition \(op) \(key) → \(to)"
        case .changeKey:
            let values = inner[key]!
            let newKey: String
            if rng.chance(0.4) { newKey = DiffText.flipCase(key, &rng) } else if rng.chance(0.5), !donors.clauses.isEmpty { newKey = rng.pick(donors.clauses).key } else { newKey = rng.pick(DiffAlphabet.clauseShapes).key }
            guard newKey != key, inner[newKey] == nil else { return nil }
            guard case .object(var members) = inner, let index = members.firstIndex(where: { $0.key == key }) else { return nil }
            members[index] = FuzzJSON.Member(key: newKey, value: values)
            inner = .object(members)
            block[op] = inner
            what = "Condition \(op) \(key) → key \(newKey)"
        default:
            guard var values = inner[key]?.strings else { return nil }
            let wasScalar = inner[key]?.elements == nil
            switch kind {
            case .addValue:
                let added = values.isEmpty || rng.chance(0.3) ? shapeValue(for: key, &rng) : Self.nearValue(rng.pick(values), op: op, &rng)
                values.append(added)
                what = "Condition \(op) \(key) + \(added)"
            case .removeValue:
                guard values.count > 1 || rng.chance(0.1), !values.isEmpty else { return nil }
                let removed = values.remove(at: Int.random(in: 0..<values.count, using: &rng))
                what = "Condition \(op) \(key) − \(removed)"
            default:
                guard !values.isEmpty else { return nil }
                let index = Int.random(in: 0..<values.count, using: &rng)
                let old = values[index]
                values[index] = rng.chance(0.15) ? Self.withVariable(old, &rng) : rng.chance(0.2) ? shapeValue(for: key, &rng) : Self.nearValue(old, op: op, &rng)
                what = "Condition \(op) \(key) \(old) → \(values[index])"
            }
            inner[key] = FuzzJSON.strings(values, scalar: wasScalar)
            block[op] = inner
        }
        // An empty block is removed, except now and then (an empty Condition is a suggestion).
        statement["Condition"] = block.keys.isEmpty && rng.chance(0.9) ? nil : block
        return what
    }

    func shapeValue(for key: String, _ rng: inout DiffRNG) -> String {
        if let shape = DiffAlphabet.clauseShapes.first(where: { $0.key.lowercased() == key.lowercased() }) { return rng.pick(shape.values) }
        if let donor = donors.clauses.filter({ $0.key.lowercased() == key.lowercased() }).randomElement(using: &rng), !donor.values.isEmpty {
            return rng.pick(donor.values)
        }
        return rng.pick(["", "x", "*", "true", "10", "2024-01-01T00:00:00Z", "10.0.0.0/8"])
    }

    /// A value next to `value`, by the operator's family: a number off by one, a date a day away, an
    /// address in or next to a range, a string with a wildcard, its case flipped, cut or extended.
    static func nearValue(_ value: String, op: String, _ rng: inout DiffRNG) -> String {
        let lowered = op.lowercased()
        if lowered.contains("numeric") {
            if let number = Double(value) {
                let changed = rng.pick([number + 1, number - 1, number * 10, -number, number + 0.5, 0])
                return changed == changed.rounded() && abs(changed) < 1e15 ? String(Int64(changed)) : String(changed)
            }
            return rng.pick(["0", "1", "-1", "abc", "1e3"])
        }
        if lowered.contains("date") {
            if let epoch = Int64(value) { return String(epoch + rng.pick([-86_400, -1, 1, 86_400])) }
            if value.count >= 4, let year = Int(value.prefix(4)) {
                return String(year + rng.pick([-1, 1])) + value.dropFirst(4)
            }
            return rng.pick(["2024-01-01T00:00:00Z", "1700000000", "2030-01-01"])
        }
        if lowered.contains("ipaddress") {
            return nearAddress(value, &rng)
        }
        if lowered.hasPrefix("bool") || lowered.contains(":bool") {
            return rng.pick(["true", "false", "TRUE", "yes", value])
        }
        if lowered.hasPrefix("null") { return value == "true" ? "false" : "true" }
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: return wildcardEdit(value, &rng)
        case 1: return DiffText.flipCase(value, &rng)
        case 2: return value + rng.pick(["x", "*", "/", "?"])
        case 3: return String(value.dropLast())
        case 4: return String(value.prefix(Int.random(in: 0...value.count, using: &rng))) + "*"
        default: return value.uppercased()
        }
    }

    /// An address or range next to `value`: another prefix length, the last or first number changed.
    static func nearAddress(_ value: String, _ rng: inout DiffRNG) -> String {
        let parts = value.split(separator: "/", maxSplits: 1).map(String.init)
        var address = parts.first ?? ""
        if address.contains(".") {
            var numbers = address.split(separator: ".").map { Int($0) ?? 0 }
            if numbers.count == 4 {
                let index = rng.pick([0, 3, 3, 2])
                numbers[index] = (numbers[index] + rng.pick([1, 255, 128])) % 256
                address = numbers.map(String.init).joined(separator: ".")
            }
        } else if address.contains(":") {
            address = address.hasSuffix("::") ? address + rng.pick(["1", "ffff"]) : address.replacingOccurrences(of: "::", with: rng.pick(["::1:", ":1::", "::"]))
        }
        if rng.chance(0.4) {
            return address + "/" + String(rng.pick(address.contains(":") ? [0, 16, 32, 48, 64, 128] : [0, 1, 8, 16, 24, 31, 32]))
        }
        return parts.count == 2 && rng.chance(0.5) ? address + "/" + parts[1] : address
    }

    // MARK: Principals

    static func principalValue(type: String, _ rng: inout DiffRNG) -> String {
        let home = DiffAlphabet.home, foreign = DiffAlphabet.foreign
        switch type {
        case "Service": return rng.pick(["s3.amazonaws.com", "ec2.amazonaws.com", "lambda.amazonaws.com", "cloudfront.amazonaws.com", "*"])
        case "Federated": return rng.pick(["accounts.google.com", "cognito-identity.amazonaws.com", "arn:aws:iam::\(home):saml-provider/idp", "arn:aws:iam::\(home):oidc-provider/token.actions.githubusercontent.com"])
        default:
            return rng.pick([
                "*", home, foreign, "arn:aws:iam::\(home):root", "arn:aws:iam::\(foreign):root", "arn:aws:iam::\(home):user/alice",
                "arn:aws:iam::\(home):role/R", "arn:aws:sts::\(home):assumed-role/R/s1", "arn:aws:iam::\(foreign):role/R",
                "arn:aws:iam::\(home):role/path/R", "arn:aws:sts::\(home):federated-user/fed",
            ])
        }
    }

    func newPrincipal(_ rng: inout DiffRNG) -> FuzzJSON {
        let roll = Double.random(in: 0..<1, using: &rng)
        if roll < 0.2 { return .string("*") }
        if roll < 0.4, !donors.principals.isEmpty { return rng.pick(donors.principals) }
        if roll < 0.6, let parsed = FuzzJSON.parse(rng.pick(DiffAlphabet.principalValues)) { return parsed }
        let type = rng.pick(["AWS", "AWS", "AWS", "Service", "Federated", "CanonicalUser"])
        let value = type == "CanonicalUser" ? DiffAlphabet.canonical : Self.principalValue(type: type, &rng)
        return .object([FuzzJSON.Member(key: type, value: FuzzJSON.strings([value], scalar: rng.chance(0.6)))])
    }

    // MARK: Shapes

    /// A single-element list written as a scalar or the other way round, anywhere in a statement.
    func scalarOrArray(_ tree: inout FuzzJSON, _ rng: inout DiffRNG) -> String? {
        if rng.chance(0.1) {
            switch tree["Statement"] {
            case .object(let members)?:
                tree["Statement"] = .array([.object(members)])
                return "Statement → [Statement]"
            case .array(let elements)? where elements.count == 1 && elements[0].members != nil:
                tree["Statement"] = elements[0]
                return "[Statement] → Statement"
            default: break
            }
        }
        return withStatement(&tree, &rng) { statement, rng in
            // Paths to string-or-list values: top-level elements, condition values, principal values.
            var paths: [[String]] = ["Action", "NotAction", "Resource", "NotResource"].filter { statement[$0] != nil }.map { [$0] }
            for op in statement["Condition"]?.members ?? [] {
                for key in op.value.members ?? [] { paths.append(["Condition", op.key, key.key]) }
            }
            for element in ["Principal", "NotPrincipal"] {
                for type in statement[element]?.members ?? [] { paths.append([element, type.key]) }
            }
            guard !paths.isEmpty else { return nil }
            let path = rng.pick(paths)
            func toggled(_ value: FuzzJSON) -> FuzzJSON? {
                switch value {
                case .array(let elements) where elements.count == 1: return elements[0]
                case .string, .number, .bool: return .array([value])
                default: return nil
                }
            }
            func update(_ node: inout FuzzJSON, _ path: ArraySlice<String>) -> Bool {
                guard let head = path.first, var child = node[head] else { return false }
                if path.count == 1 {
                    guard let new = toggled(child) else { return false }
                    node[head] = new
                    return true
                }
                guard update(&child, path.dropFirst()) else { return false }
                node[head] = child
                return true
            }
            return update(&statement, path[...]) ? "scalar ↔ list at \(path.joined(separator: "."))" : nil
        }
    }

    /// Shapes the language rejects or warns about, so that validation and the decoder's error paths run.
    func invalidShape(_ tree: inout FuzzJSON, _ rng: inout DiffRNG) -> String? {
        let wrongValues: [FuzzJSON] = [.number("42"), .bool(true), .null, .object([]), .array([.array([.string("x")])]), .array([]), .string("")]
        switch Int.random(in: 0..<12, using: &rng) {
        case 0:
            tree["Statement"] = rng.pick([.array([]), .string("x"), .null, .number("1")])
            return "Statement of a wrong shape"
        case 1:
            tree["Version"] = .string(rng.pick(["2012-10-18", "", "2008-10-17"]))
            return "Version changed"
        default: break
        }
        return withStatement(&tree, &rng) { statement, rng in
            switch Int.random(in: 0..<10, using: &rng) {
            case 0, 1:
                let key = rng.pick(statement.keys)
                statement[key] = rng.pick(wrongValues)
                return "\(key) of a wrong JSON type"
            case 2:
                let name = rng.pick(["Foo", "Actions", "condition", "Resources", "Principals", "effect"])
                statement[name] = .string("x")
                return "unknown element \(name)"
            case 3:
                let key = rng.pick(["Action", "Resource", "NotAction", "Principal"])
                statement[key] = key == "Principal" ? .object([FuzzJSON.Member(key: "AWS", value: .array([]))]) : .array([])
                return "empty \(key)"
            case 4:
                statement["Effect"] = .string(rng.pick(["allow", "DENY", "Permit", ""]))
                return "bad Effect"
            case 5:
                let key = rng.pick(["Effect", "Action", "NotAction", "Resource"])
                guard statement[key] != nil else { return nil }
                statement[key] = nil
                return "missing \(key)"
            case 6:
                // Both the plain and the Not form.
                let (plain, negated) = rng.pick([("Action", "NotAction"), ("Resource", "NotResource"), ("Principal", "NotPrincipal")])
                guard let value = statement[plain] ?? statement[negated] else { return nil }
                statement[plain] = value
                statement[negated] = value
                return "both \(plain) and \(negated)"
            case 7:
                var block = statement["Condition"]?.members != nil ? statement["Condition"]! : .object([])
                let op = rng.pick(["NullIfExists", "StringEqualz", "ForSomeValues:StringEquals", "stringequals", "ForAllValues:Null"])
                block[op] = .object([FuzzJSON.Member(key: "aws:username", value: .string("alice"))])
                statement["Condition"] = block
                return "condition operator \(op)"
            case 8:
                var block = statement["Condition"]?.members != nil ? statement["Condition"]! : .object([])
                let op = rng.pick(["StringEquals", "NumericLessThan", "Bool"])
                block[op] = .object([FuzzJSON.Member(key: "aws:username", value: rng.pick(wrongValues))])
                statement["Condition"] = block
                return "condition values of a wrong type"
            default:
                statement["Sid"] = .string(rng.pick(["has space", "dup", "", "é"]))
                return "odd Sid"
            }
        }
    }
}
