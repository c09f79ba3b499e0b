extension GlobPattern {
    /// `commonMatch(with:)` made readable: every empty field or name part it leaves (before a `/`
    /// or `:` or at the end, after a separator) gets `filler` where both patterns still match.
    public func commonMatch(with other: GlobPattern, filler: String) -> String? {
        guard var scalars = commonMatch(with: other).map({ Array($0.unicodeScalars) }) else { return nil }
        let fill = Array(filler.unicodeScalars)
        var index = 0
        while index <= scalars.count {
            let atSlot = (index == scalars.count || scalars[index] == "/" || scalars[index] == ":")
                && index > 0 && "/-_:".unicodeScalars.contains(scalars[index - 1])
            if atSlot {
                var candidate = scalars
                candidate.insert(contentsOf: fill, at: index)
                var text = ""
                text.unicodeScalars.append(contentsOf: candidate)
                if matches(text), other.matches(text) {
                    scalars = candidate
                    index += fill.count
                }
            }
            index += 1
        }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }

    /// A shortest string that both patterns match (case-sensitively), `nil` when no string does.
    /// Positions neither pattern fixes read as `x`. Exact: `nil` is a proof that the patterns share
    /// no string.
    public func commonMatch(with other: GlobPattern) -> String? {
        let a = tokens
        let b = other.tokens
        let width = b.count + 1
        // A 0-1 breadth-first search over (position in a, position in b): skipping a star is free,
        // consuming a character costs one. Each state remembers how it was reached.
        var distance = [Int](repeating: .max, count: (a.count + 1) * width)
        var previous = [Int](repeating: -1, count: distance.count)
        var emitted = [Unicode.Scalar?](repeating: nil, count: distance.count)
        var queue: [Int] = [0]
        var front: [Int] = []
        distance[0] = 0
        let goal = a.count * width + b.count
        func relax(_ from: Int, _ to: Int, _ scalar: Unicode.Scalar?) {
            let cost = distance[from] + (scalar == nil ? 0 : 1)
            guard cost < distance[to] else { return }
            distance[to] = cost
            previous[to] = from
            emitted[to] = scalar
            if scalar == nil { front.append(to) } else { queue.append(to) }
        }
        var head = 0
        while true {
            let state: Int
            if let free = front.popLast() {
                state = free
            } else if head < queue.count {
                state = queue[head]
                head += 1
            } else {
                return nil
            }
            if state == goal { break }
            let i = state / width, j = state % width
            if i < a.count, a[i] == .star { relax(state, (i + 1) * width + j, nil) }
            if j < b.count, b[j] == .star { relax(state, i * width + j + 1, nil) }
            guard i < a.count, j < b.count else { continue }
            // One character both sides accept: a literal one side fixes, or `x` when neither does.
            let scalar: Unicode.Scalar
            switch (a[i], b[j]) {
            case (.scalar(let left), .scalar(let right)):
                guard left == right else { continue }
                scalar = left
            case (.scalar(let fixed), _), (_, .scalar(let fixed)): scalar = fixed
            default: scalar = "x"
            }
            let nextI = a[i] == .star ? i : i + 1
            let nextJ = b[j] == .star ? j : j + 1
            // Both stars consuming together is never shorter than skipping one of them.
            if a[i] == .star, b[j] == .star { continue }
            relax(state, nextI * width + nextJ, scalar)
        }
        var scalars: [Unicode.Scalar] = []
        var state = goal
        while state != 0 {
            if let scalar = emitted[state] { scalars.append(scalar) }
            state = previous[state]
        }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars.reversed())
        return result
    }
}
