import PolicyLanguage

// The concrete side of a partition: which characters a shape allows, classifying a string with the explored
// automaton, globs compiled to character ids and matched directly, the characters that may stand for "any
// other character", and the choice of readable witnesses.

extension StringShape {
    /// Whether `scalar` may stand in the given phase of the shape's automaton without changing phase
    /// other than as every ordinary character does (`:` of an action is never ordinary).
    func allowsOrdinary(_ scalar: Unicode.Scalar, phase: Int) -> Bool {
        switch self {
        case .action: phase < 2 ? Self.isServiceScalar(scalar) : Self.isNameScalar(scalar)
        case .field(let allowsColon): Self.isPrintable(scalar) && (allowsColon || scalar != ":")
        }
    }

    static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (0x61...0x7A).contains(v) || (0x41...0x5A).contains(v) || (0x30...0x39).contains(v)
    }

    static func isServiceScalar(_ scalar: Unicode.Scalar) -> Bool { scalar == "-" || isNameScalar(scalar) }

    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v >= 0x20 && v != 0x7F && !(0x80...0x9F).contains(v)
    }
}

extension GlobPartition {
    /// The explored deterministic automaton: per configuration its shape phase, its edges for the
    /// characters its live globs name, its edge for every other ordinary character, and its class.
    struct Automaton: Sendable {
        var phase: [UInt8] = []
        var edgeStart: [Int32] = []
        var edgeSymbol: [Int32] = []
        var edgeTarget: [Int32] = []
        var otherTarget: [Int32] = []
        var classOfConfig: [Int32] = []

        func classIndex(of text: String, shape: StringShape, compiled: Compiled) -> Int? {
            guard !phase.isEmpty else { return nil }
            var config = 0
            for scalar in text.unicodeScalars {
                let symbol = compiled.symbol(for: scalar)
                var target: Int32 = -2
                if symbol >= 0 {
                    for e in Int(edgeStart[config])..<Int(edgeStart[config + 1]) where edgeSymbol[e] == symbol {
                        target = edgeTarget[e]
                        break
                    }
                }
                if target == -2 {
                    target = shape.allowsOrdinary(scalar, phase: Int(phase[config])) ? otherTarget[config] : -1
                }
                guard target >= 0 else { return nil }
                config = Int(target)
            }
            let index = classOfConfig[config]
            return index >= 0 ? Int(index) : nil
        }
    }

    /// All atoms' globs, back to back, over dense character ids (ASCII letters folded when
    /// `caseInsensitive`). Glob g has tokens `tokens[tokenStart[g] ..< tokenStart[g + 1]]` (an id ≥ 0, `star`
    /// or `one`) and positions 0…n, position p stored at `positionStart[g] + p`.
    struct Compiled: Sendable {
        static let star: Int32 = -1
        static let one: Int32 = -2
        /// The id of every character that no glob names.
        static let noSymbol: Int32 = -3

        let caseInsensitive: Bool
        let atomCount: Int
        private(set) var tokens: [Int32] = []
        private(set) var tokenStart: [Int] = [0]
        private(set) var positionStart: [Int] = [0]
        /// Per position p: the last position of p's ε-closure (p, then every position after a run of stars).
        private(set) var closureEnd: [Int32] = []
        private(set) var atomOfGlob: [Int32] = []
        /// Id → character (folded).
        private(set) var scalars: [Unicode.Scalar] = []
        private var asciiSymbol = [Int32](repeating: Compiled.noSymbol, count: 128)
        private var otherSymbol: [UInt32: Int32] = [:]

        var globCount: Int { atomOfGlob.count }

        init(atoms: [[GlobPattern]], caseInsensitive: Bool, reserving reserved: [Unicode.Scalar]) {
            self.caseInsensitive = caseInsensitive
            atomCount = atoms.count
            for scalar in reserved { _ = intern(scalar) }
            for (atom, globs) in atoms.enumerated() {
                for glob in globs {
                    let base = tokens.count
                    for token in glob.tokens {
                        switch token {
                        case .star: tokens.append(Self.star)
                        case .one: tokens.append(Self.one)
                        case .scalar(let scalar): tokens.append(intern(scalar))
                        }
                    }
                    let n = tokens.count - base
                    var ends = [Int32](repeating: Int32(n), count: n + 1)
                    for p in stride(from: n - 1, through: 0, by: -1) {
                        ends[p] = tokens[base + p] == Self.star ? ends[p + 1] : Int32(p)
                    }
                    closureEnd += ends
                    tokenStart.append(tokens.count)
                    positionStart.append(closureEnd.count)
                    atomOfGlob.append(Int32(atom))
                }
            }
        }

        private mutating func intern(_ scalar: Unicode.Scalar) -> Int32 {
            let folded = fold(scalar)
            let known = symbol(for: folded)
            if known >= 0 { return known }
            let id = Int32(scalars.count)
            scalars.append(folded)
            if folded.value < 128 { asciiSymbol[Int(folded.value)] = id } else { otherSymbol[folded.value] = id }
            return id
        }

        func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
            guard caseInsensitive, (0x41...0x5A).contains(scalar.value) else { return scalar }
            return Unicode.Scalar(scalar.value + 32)!
        }

        /// The id of `scalar` (folded), `noSymbol` when no glob names it.
        func symbol(for scalar: Unicode.Scalar) -> Int32 {
            let value = fold(scalar).value
            if value < 128 { return asciiSymbol[Int(value)] }
            return otherSymbol[value] ?? Self.noSymbol
        }

        /// Whether glob `g` matches the whole of `text` (ids): greedy, backtracking to the last star.
        func matches(glob g: Int, _ text: [Int32]) -> Bool {
            let base = tokenStart[g]
            let n = tokenStart[g + 1] - base
            var p = 0
            var t = 0
            var starP = -1
            var starT = 0
            while t < text.count {
                if p < n {
                    let token = tokens[base + p]
                    if token == Self.star {
                        starP = p
                        starT = t
                        p += 1
                        continue
                    }
                    if token == Self.one || token == text[t] {
                        p += 1
                        t += 1
                        continue
                    }
                }
                guard starP >= 0 else { return false }
                p = starP + 1
                starT += 1
                t = starT
            }
            while p < n, tokens[base + p] == Self.star { p += 1 }
            return p == n
        }

        /// Which atoms match `text`, by matching each glob directly.
        func signature(of text: String) -> [Bool] {
            let ids = text.unicodeScalars.map { symbol(for: $0) }
            var signature = [Bool](repeating: false, count: atomCount)
            for g in 0..<globCount where !signature[Int(atomOfGlob[g])] {
                if matches(glob: g, ids) { signature[Int(atomOfGlob[g])] = true }
            }
            return signature
        }
    }

    /// The shape as a small automaton over symbol ids: phase transitions, accepting phases, and for the
    /// "any other character" edge its target phase and the readable characters that may stand for it.
    struct Phases {
        var accepting: [Bool]
        /// next[phase * symbolCount + symbol]; -1 when the symbol is not allowed in the phase.
        var next: [Int8]
        var otherNext: [Int8]
        /// Symbols explored from every configuration in the phase, whether or not a glob names them.
        var forced: [[Int32]]
        /// Characters, best first, that may stand for "any other character", with their symbol id (or -1).
        var representatives: [[(scalar: Unicode.Scalar, symbol: Int32)]]
        let symbolCount: Int

        static let readableLetters = Array("xqzjkvwyabcdefghilmnoprstu".unicodeScalars)

        init(shape: StringShape, compiled: Compiled) {
            symbolCount = compiled.scalars.count
            let upper = compiled.caseInsensitive ? [] : Self.readableLetters.map { Unicode.Scalar($0.value - 32)! }
            let digits = Array("0123456789".unicodeScalars)
            func entries(_ scalars: [Unicode.Scalar]) -> [(scalar: Unicode.Scalar, symbol: Int32)] {
                scalars.map { ($0, compiled.symbol(for: $0)) }
            }
            let phaseCount: Int
            switch shape {
            case .action:
                phaseCount = 4
                accepting = [false, false, false, true]
                otherNext = [1, 1, 3, 3]
                forced = [[], [compiled.symbol(for: ":")], [], []]
                let service = entries(Self.readableLetters + digits + ["-"] + upper)
                let name = entries(Self.readableLetters + digits + upper)
                representatives = [service, service, name, name]
            case .field(let allowsColon):
                phaseCount = 1
                accepting = [true]
                otherNext = [0]
                forced = [[]]
                var scalars = Self.readableLetters + digits + Array("-_.".unicodeScalars) + upper
                for v in UInt32(0x20)...0x7E {
                    let scalar = Unicode.Scalar(v)!
                    if scalar != ":" || allowsColon, !scalars.contains(scalar), !(0x41...0x5A).contains(v) { scalars.append(scalar) }
                }
                // A character no glob names, so that "any other character" always has a representative.
                var fresh: UInt32 = 0xA1
                while Unicode.Scalar(fresh).map({ compiled.symbol(for: $0) >= 0 }) ?? true { fresh += 1 }
                scalars.append(Unicode.Scalar(fresh)!)
                representatives = [entries(scalars)]
            }
            next = [Int8](repeating: -1, count: phaseCount * symbolCount)
            for phase in 0..<phaseCount {
                for (symbol, scalar) in compiled.scalars.enumerated() {
                    let target: Int8
                    if shape == .action, scalar == ":" {
                        target = phase == 1 ? 2 : -1
                    } else {
                        target = shape.allowsOrdinary(scalar, phase: phase) ? otherNext[phase] : -1
                    }
                    next[phase * symbolCount + symbol] = target
                }
            }
        }
    }

    /// One witness per class, best first: the first fitting candidate; else the first instantiation of a
    /// glob (`*` → `example`, `Example` in an action's name, or nothing or `x`; `?` → `x`) or generic
    /// string that lands in the class; else the shortest string found by the construction. Every choice is
    /// classified by the automaton, so it has its class's signature.
    static func chooseWitnesses(
        shortest: [String], signatures: [[Bool]], atoms: [[GlobPattern]], candidates: [String],
        shape: StringShape, automaton: Automaton, compiled: Compiled
    ) -> [String] {
        var chosen = [String?](repeating: nil, count: shortest.count)
        var remaining = shortest.count
        @discardableResult
        func offer(_ text: String) -> Bool {
            guard let index = automaton.classIndex(of: text, shape: shape, compiled: compiled) else {
                assert(!shape.contains(text), "a string of the shape fell outside the partition: \(text)")
                return false
            }
            guard chosen[index] == nil else { return false }
            chosen[index] = text
            remaining -= 1
            return true
        }
        for candidate in candidates {
            guard remaining > 0 else { break }
            offer(candidate)
        }
        let fillers: [(before: String, after: String)] =
            shape == .action ? [("example", "Example"), ("", ""), ("x", "x")] : [("example", "example"), ("", ""), ("x", "x")]
        search: for (atom, globs) in atoms.enumerated() {
            // An instantiation of this atom's globs lands only in a class where the atom is true.
            func wanted() -> Bool { chosen.indices.contains { chosen[$0] == nil && signatures[$0][atom] } }
            guard remaining > 0 else { break }
            guard wanted() else { continue }
            for glob in globs {
                for filler in fillers where offer(instantiate(glob, filler: filler)) {
                    guard wanted() else { continue search }
                }
            }
        }
        for generic in shape == .action ? ["example:Example", "x:x"] : ["example", "x", ""] {
            guard remaining > 0 else { break }
            offer(generic)
        }
        return zip(chosen, shortest).map { $0 ?? $1 }
    }

    /// `glob` with `?` as `x` and `*` as `filler.before` (`filler.after` once a `:` has been written).
    static func instantiate(_ glob: GlobPattern, filler: (before: String, after: String)) -> String {
        var text = ""
        var afterColon = false
        for token in glob.tokens {
            switch token {
            case .scalar(let scalar):
                text.unicodeScalars.append(scalar)
                if scalar == ":" { afterColon = true }
            case .one: text += "x"
            case .star: text += afterColon ? filler.after : filler.before
            }
        }
        return text
    }
}
