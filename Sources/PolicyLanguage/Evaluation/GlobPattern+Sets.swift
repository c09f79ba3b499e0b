/// Comparisons between two patterns, for requests whose resource is itself a pattern ("any object
/// under this prefix"): an Allow applies when its pattern shares a resource with the request's, a Deny
/// only when its pattern covers all of the request's.
extension GlobPattern {
    /// Whether some string matches both patterns. Exact: reachability in the product of the two
    /// patterns' automata, O(|self| × |other|).
    func intersects(_ other: GlobPattern) -> Bool {
        let a = tokens
        let b = other.tokens
        var visited = Set<Int>()
        var stack = [(0, 0)]
        let width = b.count + 1
        while let (i, j) = stack.popLast() {
            guard visited.insert(i * width + j).inserted else { continue }
            if i == a.count, j == b.count { return true }
            // A star may match the empty string.
            if i < a.count, a[i] == .star { stack.append((i + 1, j)) }
            if j < b.count, b[j] == .star { stack.append((i, j + 1)) }
            // Both consume one common character.
            guard i < a.count, j < b.count else { continue }
            let compatible: Bool
            switch (a[i], b[j]) {
            case (.scalar(let x), .scalar(let y)): compatible = x == y
            default: compatible = true
            }
            if compatible {
                stack.append((a[i] == .star ? i : i + 1, b[j] == .star ? j : j + 1))
            }
        }
        return false
    }

    /// Whether every string matching `other` matches `self`. Decided by matching `self` against
    /// `other`'s tokens, where `other`'s `*` can only be covered by a `*` and its `?` by `?` or `*`.
    /// Exact for the patterns policies use; it may answer `false` for exotic equivalent forms
    /// (`?*` covering `*?`), which only makes a Deny apply less to wildcard requests.
    func covers(_ other: GlobPattern) -> Bool {
        let p = tokens
        let t = other.tokens
        var memo: [Int: Bool] = [:]
        func match(_ i: Int, _ j: Int) -> Bool {
            let key = i * (t.count + 1) + j
            if let known = memo[key] { return known }
            let result: Bool
            if i == p.count {
                result = j == t.count
            } else {
                switch p[i] {
                case .star:
                    result = match(i + 1, j) || (j < t.count && match(i, j + 1))
                case .one:
                    if j < t.count, t[j] != .star { result = match(i + 1, j + 1) } else { result = false }
                case .scalar(let scalar):
                    if j < t.count, t[j] == .scalar(scalar) { result = match(i + 1, j + 1) } else { result = false }
                }
            }
            memo[key] = result
            return result
        }
        return match(0, 0)
    }
}
