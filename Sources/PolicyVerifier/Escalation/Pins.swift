import PolicyLanguage
import SMT

/// Keys about the caller or the resource rather than the request: the same for every request one
/// principal sends, or for every request on one resource.
enum ScopedKeys {
    static func isPrincipal(_ name: String) -> Bool {
        let name = name.lowercased()
        return name.hasPrefix("aws:principaltag/") || name == "aws:principalorgid" || name == "aws:principalorgpaths"
    }

    static func isResource(_ name: String) -> Bool {
        let name = name.lowercased()
        return name.contains(":resourcetag/") || name == "aws:resourceorgid" || name == "aws:resourceorgpaths"
    }

    /// `request` sent by `caller`'s principal (with its derived and principal keys), and on `target`'s
    /// resource (with its resource keys) when given.
    static func adopting(_ request: Request, principalOf caller: Request, resourceOf target: Request?) -> Request {
        func isCallers(_ name: String) -> Bool { isPrincipal(name) || PrincipalSpace.derivedKeyNames.contains(name.lowercased()) }
        func isTargets(_ name: String) -> Bool { target != nil && (isResource(name) || name.lowercased() == "aws:resourceaccount") }
        var copy = request
        copy.principal = caller.principal
        var context = RequestContext()
        func add(_ entry: RequestContext.Entry) {
            if entry.isSet { context.setValues(entry.values, for: entry.name) } else { context.set(entry.values.first ?? "", for: entry.name) }
        }
        request.context.allEntries.filter { !isCallers($0.name) && !isTargets($0.name) }.forEach(add)
        caller.context.allEntries.filter { isCallers($0.name) }.forEach(add)
        if let target {
            copy.resource = target.resource
            target.context.allEntries.filter { isTargets($0.name) }.forEach(add)
        }
        copy.context = context
        return copy
    }
}

/// Constraints tying a search to requests found before.
struct Pins {
    /// The same caller, with the same principal keys.
    var principal: Request?
    /// A resource in the same classes (indistinguishable by every pattern of the query).
    var resource: Request?
    /// And with the same resource keys as `resource`.
    var resourceKeys = false
    /// None of these requests' resource classes.
    var excluded: [Request] = []
    /// The string keys this request gives, with its values.
    var context: Request?

    var isEmpty: Bool { principal == nil && resource == nil && excluded.isEmpty && context == nil }

    func terms(_ encoding: RequestEncoding) throws -> [Term] {
        var terms: [Term] = []
        if let principal {
            guard let index = encoding.principals.classIndex(of: principal.principal) else { return [try encoding.context.bool(false)] }
            terms.append(try encoding.isPrincipalClass(index))
            terms += try encoding.fixingIdentity(principal.principal, class: index)
            terms += try Self.keys(of: principal, where: ScopedKeys.isPrincipal, encoding)
        }
        if let resource {
            terms.append(try Self.resource(of: resource, encoding))
            if resourceKeys { terms += try Self.keys(of: resource, where: ScopedKeys.isResource, encoding) }
        }
        for other in excluded { terms.append(try Self.resource(of: other, encoding).not()) }
        if let context { terms += try Self.keys(of: context, where: { context.context.entry($0) != nil }, encoding) }
        return terms
    }

    /// The request's resource classes.
    static func resource(of request: Request, _ encoding: RequestEncoding) throws -> Term {
        let context = encoding.context
        if request.resource == "*" { return encoding.resourceIsStar }
        let classes = encoding.resourceClasses(of: request.resource)
        guard classes.count == 5, let fields = ARNFields(request.resource) else { return try context.bool(false) }
        var terms = [try encoding.resourceIsStar.not()]
        for (field, variable) in encoding.fieldClasses.enumerated() {
            guard let value = classes[field] else { return try context.bool(false) }
            terms.append(try variable.eq(context.int(value)))
        }
        if let part = encoding.resourcePart { terms.append(try part.eq(context.string(String(fields.resource)))) }
        return try context.and(terms)
    }

    /// The request's values of the string keys `filter` selects (absent where it has none).
    static func keys(of request: Request, where filter: (String) -> Bool, _ encoding: RequestEncoding) throws -> [Term] {
        let context = encoding.context
        var terms: [Term] = []
        for key in encoding.keyVariables where filter(key.key.name) {
            guard let entry = request.context.entry(key.key.name) else {
                terms.append(try key.present.not())
                continue
            }
            // Typed values are not pinned: the evaluator re-checks the requests built from them anyway.
            let strings = key.slots.prefix(entry.values.count).compactMap(\.string)
            guard !entry.values.isEmpty, strings.count == entry.values.count else { continue }
            terms += [key.present, try key.count.eq(context.int(entry.values.count))]
            terms += try zip(strings, entry.values).map { try $0.eq(context.string($1)) }
        }
        return terms
    }
}
