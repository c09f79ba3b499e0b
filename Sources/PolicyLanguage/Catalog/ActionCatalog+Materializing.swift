import Foundation

// Building `ActionInfo` and `ServiceInfo` values from the checked catalogue text, and caching them.
// `Parser` has already validated every record, so the code here only splits fields.

extension ActionCatalog {
    /// Values built from the text so far. Each is built at most once per slot and then shared; access is
    /// serialised by a lock, which makes the class safe to use from several tasks.
    final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private let actionCount: Int
        private var actions: [ActionInfo?] = []
        private var services: [ServiceInfo?]

        init(serviceCount: Int, actionCount: Int) {
            self.actionCount = actionCount
            services = Array(repeating: nil, count: serviceCount)
        }

        func action(_ a: Int, make: (Int) -> ActionInfo) -> ActionInfo {
            lock.lock()
            defer { lock.unlock() }
            return cachedAction(a, make: make)
        }

        func actions<Numbers: Sequence<Int>>(_ numbers: Numbers, make: (Int) -> ActionInfo) -> [ActionInfo] {
            lock.lock()
            defer { lock.unlock() }
            return numbers.map { cachedAction($0, make: make) }
        }

        func service(_ s: Int, make: (Int) -> ServiceInfo) -> ServiceInfo {
            lock.lock()
            if let service = services[s] {
                lock.unlock()
                return service
            }
            lock.unlock()
            // Built outside the lock because it fetches its actions through `actions(_:make:)`.
            let service = make(s)
            lock.lock()
            defer { lock.unlock() }
            if let existing = services[s] { return existing }
            services[s] = service
            return service
        }

        /// Must be called with the lock held.
        private func cachedAction(_ a: Int, make: (Int) -> ActionInfo) -> ActionInfo {
            if actions.isEmpty { actions = Array(repeating: nil, count: actionCount) }
            if let action = actions[a] { return action }
            let action = make(a)
            actions[a] = action
            return action
        }
    }

    /// Builds flat action `a` from its A line and the T lines after it.
    func makeAction(_ a: Int) -> ActionInfo {
        let s = serviceOfAction(a)
        return index.text.withUnsafeBufferPointer { text in
            var fields = Self.fields(of: text, at: Int(index.actionLines[a]))
            let name = Self.string(text, fields.ranges[1])
            let level = AccessLevel(catalogCode: text[fields.ranges[2].lowerBound]) ?? .write
            var types = Self.list(text, fields.ranges[3]).map { item in
                item.hasSuffix("*")
                    ? ActionInfo.ResourceType(name: String(item.dropLast()), isRequired: true)
                    : ActionInfo.ResourceType(name: item, isRequired: false)
            }
            var keys = Self.list(text, fields.ranges[4])
            var dependents = Self.list(text, fields.ranges[5])
            var sawDetails = false
            while fields.next < text.count, text[fields.next] == UInt8(ascii: "T") {
                fields = Self.fields(of: text, at: fields.next)
                let typeName = Self.string(text, fields.ranges[1])
                guard let t = types.firstIndex(where: { $0.name == typeName }) else { continue }
                types[t] = ActionInfo.ResourceType(
                    name: typeName, isRequired: types[t].isRequired,
                    conditionKeys: Self.list(text, fields.ranges[2]),
                    dependentActions: Self.list(text, fields.ranges[3]))
                sawDetails = true
            }
            if sawDetails {
                keys = Self.sortedUnique(keys + types.flatMap(\.conditionKeys))
                dependents = Self.sortedUnique(dependents + types.flatMap(\.dependentActions))
            }
            return ActionInfo(
                service: index.prefixes[s], name: name, accessLevel: level, resourceTypes: types,
                conditionKeys: keys, dependentActions: dependents)
        }
    }

    /// Builds service `s` with all its actions and resource types.
    func makeService(_ s: Int) -> ServiceInfo {
        let actions = cache.actions(index.actionStart[s]..<index.actionStart[s + 1], make: makeAction)
        let resources = index.text.withUnsafeBufferPointer { text in
            index.resourceLines[index.resourceStart[s]..<index.resourceStart[s + 1]].map { offset in
                let fields = Self.fields(of: text, at: Int(offset))
                return ResourceTypeInfo(
                    name: Self.string(text, fields.ranges[1]), arnFormat: Self.string(text, fields.ranges[2]),
                    conditionKeys: Self.list(text, fields.ranges[3]))
            }
        }
        return ServiceInfo(
            prefix: index.prefixes[s], name: index.serviceNames[s], authorizationURL: index.serviceURLs[s],
            actions: actions, resourceTypes: resources, conditionKeys: index.serviceKeys[s])
    }

    // MARK: Splitting checked lines

    /// The tab-separated fields of the line starting at `offset`, and the offset of the next line.
    static func fields(of text: UnsafeBufferPointer<UInt8>, at offset: Int) -> (ranges: [Range<Int>], next: Int) {
        var ranges: [Range<Int>] = []
        var start = offset
        var i = offset
        while i < text.count, text[i] != 0x0A {
            if text[i] == 0x09 {
                ranges.append(start..<i)
                start = i + 1
            }
            i += 1
        }
        var end = i
        if end > start, text[end - 1] == 0x0D { end -= 1 }
        ranges.append(start..<end)
        return (ranges, i + 1)
    }

    static func string(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: text[range]), as: UTF8.self)
    }

    /// The comma-separated items of a field; an empty field is an empty list.
    static func list(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [String] {
        guard !range.isEmpty else { return [] }
        var items: [String] = []
        var start = range.lowerBound
        for i in range where text[i] == UInt8(ascii: ",") {
            items.append(string(text, start..<i))
            start = i + 1
        }
        items.append(string(text, start..<range.upperBound))
        return items
    }

    /// The catalogue's list order: ASCII case-insensitive, ties broken by the exact text; duplicates removed.
    static func sortedUnique(_ items: [String]) -> [String] {
        let unique = Array(Set(items))
        let lowered = unique.map { asciiLowercased($0) }
        return unique.indices
            .sorted { lowered[$0] != lowered[$1] ? lowered[$0] < lowered[$1] : unique[$0] < unique[$1] }
            .map { unique[$0] }
    }
}
