import SMT

/// Test-only helpers: a glob → regex translation and an independent Swift
/// glob matcher to check Z3's answers against.
enum Glob {
    /// The regex for `glob`: `*` is any run of characters, `?` any single
    /// character, every other character stands for itself.
    static func regex(_ glob: String, in context: SMTContext) throws -> Term {
        let re = context.regex
        var parts: [Term] = []
        var literal = ""
        func flush() throws {
            if !literal.isEmpty {
                parts.append(try re.literal(literal))
                literal = ""
            }
        }
        for scalar in glob.unicodeScalars {
            switch scalar {
            case "*":
                try flush()
                parts.append(try re.star(re.allChar()))
            case "?":
                try flush()
                parts.append(try re.allChar())
            default:
                literal.unicodeScalars.append(scalar)
            }
        }
        try flush()
        return try re.concat(parts)
    }

    /// Whether `text` matches `glob`, compared by Unicode scalars.
    static func matches(_ glob: String, _ text: String) -> Bool {
        let pattern = Array(glob.unicodeScalars)
        let input = Array(text.unicodeScalars)
        // reachable[j]: pattern prefix processed so far matches input[..<j].
        var reachable = [Bool](repeating: false, count: input.count + 1)
        reachable[0] = true
        for symbol in pattern {
            var next = [Bool](repeating: false, count: input.count + 1)
            for j in 0...input.count where reachable[j] {
                switch symbol {
                case "*":
                    for k in j...input.count { next[k] = true }
                case "?":
                    if j < input.count { next[j + 1] = true }
                default:
                    if j < input.count, input[j] == symbol { next[j + 1] = true }
                }
            }
            reachable = next
        }
        return reachable[input.count]
    }
}

/// Builds a solver over `assertions` and checks it.
func check(_ context: SMTContext, _ assertions: [Term], timeout: Duration = .seconds(20)) throws -> SatResult {
    let solver = try Solver(context: context)
    try solver.add(assertions)
    return try solver.check(timeout: timeout)
}

extension SMTError {
    /// Whether this is a sort mismatch.
    var isSortMismatch: Bool {
        if case .sortMismatch = self { return true }
        return false
    }

    /// Whether this is an invalid-argument error.
    var isInvalidArgument: Bool {
        if case .invalidArgument = self { return true }
        return false
    }
}
