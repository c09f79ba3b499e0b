import PolicyLanguage
import SMT

extension RequestEncoding {
    /// Constraints that fix the symbolic request to `request` (with the keys AWS derives filled in), or
    /// `nil` when the request lies outside the encoded request space (a resource that is neither `*`
    /// nor an ARN, or holds `*`/`?`, a `*` resource for an action with resource-level permissions, more
    /// values than the key has slots, an IP range as a value, characters beyond U+2FFFF, a key AWS
    /// derives from the caller given another value than AWS derives). Used by differential
    /// tests: under these constraints `allows` must equal the evaluator's decision.
    func constraints(fixing original: Request) throws -> [Term]? {
        let request = original.withDerivedKeys()
        // A resource with `*` or `?` is a set of resources to the evaluator, not one request.
        if request.resource != "*", request.resource.contains(where: { $0 == "*" || $0 == "?" }) { return nil }
        // Keys AWS derives from the caller cannot be chosen by the caller: a request that gives them
        // other values than AWS would is not one AWS can receive.
        let derived = PrincipalSpace.derivedKeys(of: original.principal)
        // AWS always knows the resource's account; the evaluator derives it only when it can.
        if contextKeys.key("aws:resourceaccount") != nil, request.context.entry("aws:resourceaccount") == nil { return nil }
        for name in PrincipalSpace.derivedKeyNames {
            guard let given = original.context.entry(name) else { continue }
            if name == "aws:userid", !(derived.entry(name) != nil) { continue }
            guard let value = derived.entry(name), value.values == given.values else { return nil }
        }
        guard let action = actions.classIndex(of: request.action), let principal = principals.classIndex(of: request.principal) else { return nil }
        var terms = [try actionClass.eq(context.int(action)), try principalClass.eq(context.int(principal))]
        terms += try fixingIdentity(request.principal, class: principal)
        if request.resource == "*" {
            guard let info = catalog?.action(request.action), !info.supportsResourceLevelPermissions else { return nil }
            terms.append(resourceIsStar)
        } else {
            guard let fields = try arnTerms(request.resource) else { return nil }
            terms += fields
        }
        for key in keyVariables {
            guard let entry = request.context.entry(key.key.name) else {
                terms.append(try key.present.not())
                continue
            }
            guard entry.values.count <= key.slots.count else { return nil }
            terms.append(key.present)
            terms.append(try key.count.eq(context.int(entry.values.count)))
            for (slot, value) in zip(key.slots, entry.values) {
                guard let fixed = try fixing(slot, kind: key.key.kind ?? .string, to: value) else { return nil }
                terms += fixed
            }
        }
        return terms
    }

    /// The resource variables fixed to the ARN `resource`: not `*`, and each field's class (the resource
    /// part as a string when it is one). `nil` when the ARN lies outside the encoded classes.
    private func arnTerms(_ resource: String) throws -> [Term]? {
        guard let fields = ARNFields(resource) else { return nil }
        var terms = [try resourceIsStar.not()]
        let values = fields.all.map(String.init)
        for field in 0..<5 {
            if field == 4, let resourcePart {
                guard fits(values[4]) else { return nil }
                terms.append(try resourcePart.eq(context.string(values[4])))
                continue
            }
            guard let index = resources.partitions[field].classIndex(of: values[field]) else { return nil }
            terms.append(try fieldClasses[field].eq(context.int(index)))
        }
        return terms
    }

    /// Z3 strings hold characters up to U+2FFFF.
    private func fits(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value <= 0x2FFFF }
    }

    private func fixing(_ slot: SlotVariables, kind: ContextSpace.ValueKind, to value: String) throws -> [Term]? {
        if let string = slot.string {
            guard fits(value) else { return nil }
            return [try string.eq(context.string(value))]
        }
        let code = slot.kind!
        if value.isEmpty { return [try code.eq(context.int(SlotKind.empty(kind)))] }
        switch kind {
        case .numeric:
            guard let number = PolicyNumber(value) else { return [try code.eq(context.int(SlotKind.junk(kind)))] }
            return [try code.eq(context.int(SlotKind.valid)), try slot.number!.eq(context.int(decimal: String(number.scaled)))]
        case .date:
            guard let date = PolicyDate(value) else { return [try code.eq(context.int(SlotKind.junk(kind)))] }
            guard date.epochSeconds >= 0, date.epochSeconds <= 253_402_300_799 else { return nil }
            return [try code.eq(context.int(SlotKind.valid)), try slot.number!.eq(context.int(decimal: String(Int128(date.epochSeconds) * 1_000_000_000 + Int128(date.nanoseconds))))]
        case .ip:
            if let bytes = IPAddressRange.parseAddress(value) {
                let family = bytes.count == 4 ? SlotKind.valid : SlotKind.ipv6
                return [try code.eq(context.int(family)), try slot.address!.eq(context.bitVector(bytes: bytes, width: 128))]
            }
            // A range as a request value is an extension of the evaluator, outside the request space.
            if IPAddressRange(value) != nil { return nil }
            return [try code.eq(context.int(SlotKind.junk(kind)))]
        case .string:
            return nil
        }
    }
}

extension RequestEncoding {
    /// The field classes of a concrete ARN (the resource part only when it is a class too); `nil`
    /// entries where a field has none.
    func resourceClasses(of resource: String) -> [Int?] {
        guard let fields = ARNFields(resource) else { return [] }
        let values = fields.all.map(String.init)
        return (0..<5).map { field in
            if field == 4, resources.lastFieldIsString { return -1 }
            return resources.partitions[field].classIndex(of: values[field])
        }
    }
}

extension RequestEncoding {
    /// Requests in the same principal (where a policy names callers, unless `ignoringPrincipal`),
    /// action and resource classes as `request`: those the policies' patterns cannot tell apart from
    /// it. `nil` when `request` lies outside the encoded classes.
    func sameClasses(as request: Request, ignoringPrincipal: Bool = false) throws -> Term? {
        guard let action = actions.classIndex(of: request.action) else { return nil }
        var same = [try actionClass.eq(context.int(action))]
        if !ignoringPrincipal, policies.contains(where: { $0.role.matchesPrincipals }) {
            guard let principal = principals.classIndex(of: request.principal) else { return nil }
            same.append(try principalClass.eq(context.int(principal)))
        }
        if request.resource == "*" {
            same.append(resourceIsStar)
        } else {
            guard let fields = try arnTerms(request.resource) else { return nil }
            same += fields
        }
        return try context.and(same)
    }
}
