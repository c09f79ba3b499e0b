import PolicyLanguage

/// Which strings a partition ranges over.
public enum StringShape: Sendable, Hashable {
    /// An IAM action `service:name`: service non-empty over [a-z0-9-], exactly one ':', name non-empty
    /// over [a-z0-9] (letters compared case-insensitively, see `caseInsensitive`). ASCII letters of either
    /// case belong to the shape; whether `A` and `a` are the same character is up to `caseInsensitive`.
    case action
    /// Any string over printable characters; `allowsColon == false` excludes ':' (ARN fields before the resource part).
    /// Printable: every Unicode scalar but the C0 and C1 controls and DEL. The empty string is a field.
    case field(allowsColon: Bool)

    /// Whether `text` is a string of this shape.
    public func contains(_ text: String) -> Bool {
        switch self {
        case .action:
            var sawColon = false
            var serviceLength = 0
            var nameLength = 0
            for scalar in text.unicodeScalars {
                if scalar == ":" {
                    if sawColon { return false }
                    sawColon = true
                } else if sawColon {
                    guard Self.isNameScalar(scalar) else { return false }
                    nameLength += 1
                } else {
                    guard Self.isServiceScalar(scalar) else { return false }
                    serviceLength += 1
                }
            }
            return serviceLength > 0 && nameLength > 0
        case .field(let allowsColon):
            return text.unicodeScalars.allSatisfy { Self.isPrintable($0) && (allowsColon || $0 != ":") }
        }
    }
}

public enum GlobPartitionError: Error, Sendable, Equatable {
    /// The product automaton exceeded the configuration budget: the caller reports UNKNOWN.
    case tooComplex(configurations: Int)
}

/// The exact set of signatures ("which atoms match") realizable by strings of a shape, each with a
/// witness. Built by a lazy subset construction over the product of all globs' automata and the shape's,
/// reading each input character as one of finitely many classes (a character some live glob names
/// literally, or "any other ordinary character"). The explored automaton is deterministic and is kept to
/// classify strings (`classIndex(of:)`).
public struct GlobPartition: Sendable {
    public struct Class: Sendable, Hashable {
        /// signature[i] == true iff atom i matches the witness (and every member of the class).
        public var signature: [Bool]
        /// A string of the shape with exactly this signature.
        public var witness: String
    }

    public let classes: [Class]
    public let shape: StringShape
    public let caseInsensitive: Bool
    public let atomCount: Int
    /// How many configurations (states of the product automaton) the construction created.
    public let configurationCount: Int

    let compiled: Compiled
    let automaton: Automaton

    public init(
        atoms: [[GlobPattern]], shape: StringShape, caseInsensitive: Bool,
        candidates: [String] = [], maxConfigurations: Int = 200_000
    ) throws(GlobPartitionError) {
        let compiled = Compiled(atoms: atoms, caseInsensitive: caseInsensitive, reserving: shape == .action ? [":"] : [])
        let phases = Phases(shape: shape, compiled: compiled)
        var explorer = Explorer(compiled: compiled, phases: phases, maxConfigurations: maxConfigurations)
        try explorer.run()
        self.compiled = compiled
        self.shape = shape
        self.caseInsensitive = caseInsensitive
        self.atomCount = atoms.count
        self.configurationCount = explorer.configStart.count
        self.automaton = explorer.automaton
        let signatures = explorer.classTrueAtoms.map { trueAtoms in
            var signature = [Bool](repeating: false, count: atoms.count)
            for atom in trueAtoms { signature[Int(atom)] = true }
            return signature
        }
        let shortest = explorer.classConfig.map { explorer.path(to: $0) }
        let witnesses = Self.chooseWitnesses(
            shortest: shortest, signatures: signatures, atoms: atoms, candidates: candidates,
            shape: shape, automaton: explorer.automaton, compiled: compiled)
        classes = zip(signatures, witnesses).map { Class(signature: $0, witness: $1) }
    }

    /// The signature of any string (matching each atom's globs directly).
    public func signature(of text: String) -> [Bool] { compiled.signature(of: text) }

    /// The index of the class with text's signature; nil when text has no class (e.g. wrong shape).
    public func classIndex(of text: String) -> Int? { automaton.classIndex(of: text, shape: shape, compiled: compiled) }
}

extension GlobPartition {
    /// The breadth-first subset construction. A configuration is stored flat in `arena` as
    /// `[phase, permanentCount, permanent atoms…, (glob, positionCount, positions…)…]`: the shape phase,
    /// the atoms already matched for good (a glob reached a trailing `*`; their globs are dropped), and for
    /// each glob still alive, in glob order, its ε-closed sorted set of positions. Dead globs are dropped.
    struct Explorer {
        let compiled: Compiled
        let phases: Phases
        let maxConfigurations: Int

        var arena: [Int32] = []
        var configStart: [Int] = []
        var configHash: [Int] = []
        var parent: [Int32] = []
        var via: [Unicode.Scalar] = []
        var table: [Int32]
        var automaton = Automaton()
        var classTrueAtoms: [[Int32]] = []
        var classConfig: [Int] = []
        var classOfSignature: [[Int32]: Int32] = [:]

        // Scratch, reused for every step.
        var scratch: [Int32] = []
        var key: [Int32] = []
        var trueAtoms: [Int32] = []
        var newPermanent: [Int32] = []
        var interesting: [Int32] = []
        var atomStamp: [UInt32]
        var symbolStamp: [UInt32]
        var atomGeneration: UInt32 = 0
        var symbolGeneration: UInt32 = 0

        init(compiled: Compiled, phases: Phases, maxConfigurations: Int) {
            self.compiled = compiled
            self.phases = phases
            self.maxConfigurations = maxConfigurations
            table = [Int32](repeating: -1, count: 1024)
            atomStamp = [UInt32](repeating: 0, count: compiled.atomCount)
            symbolStamp = [UInt32](repeating: 0, count: compiled.scalars.count)
        }

        /// A fresh stamp for `atomStamp` (clearing it on wrap-around).
        mutating func nextAtomGeneration() -> UInt32 {
            atomGeneration &+= 1
            if atomGeneration == 0 {
                for i in atomStamp.indices { atomStamp[i] = 0 }
                atomGeneration = 1
            }
            return atomGeneration
        }

        /// A fresh stamp for `symbolStamp` (clearing it on wrap-around).
        mutating func nextSymbolGeneration() -> UInt32 {
            symbolGeneration &+= 1
            if symbolGeneration == 0 {
                for i in symbolStamp.indices { symbolStamp[i] = 0 }
                symbolGeneration = 1
            }
            return symbolGeneration
        }

        mutating func run() throws(GlobPartitionError) {
            try start()
            var config = 0
            while config < configStart.count {
                try expand(config)
                config += 1
            }
            automaton.edgeStart.append(Int32(automaton.edgeSymbol.count))
        }

        /// The initial configuration: every glob at the ε-closure of its first position.
        mutating func start() throws(GlobPartitionError) {
            let stamp = nextAtomGeneration()
            newPermanent.removeAll(keepingCapacity: true)
            scratch.removeAll(keepingCapacity: true)
            for g in 0..<compiled.globCount {
                let head = scratch.count
                scratch.append(Int32(g))
                scratch.append(0)
                let last = Int(compiled.closureEnd[compiled.positionStart[g]])
                for q in 0...last { scratch.append(Int32(q)) }
                finishGlob(g, head: head, last: last, stamp: stamp)
            }
            buildKey(phase: 0, permanent: [], stamp: stamp)
            _ = try intern(parent: -1, via: " ")
        }

        /// Closes the entry for glob `g` that starts at `scratch[head]`: removes it when empty or when the
        /// glob can no longer fail (its atom becomes permanent), else records its position count.
        mutating func finishGlob(_ g: Int, head: Int, last: Int, stamp: UInt32) {
            let count = scratch.count - head - 2
            if count == 0 {
                scratch.removeLast(2)
                return
            }
            let tokenBase = compiled.tokenStart[g]
            let n = compiled.tokenStart[g + 1] - tokenBase
            if count >= 2, last == n, Int(scratch[scratch.count - 2]) == n - 1, compiled.tokens[tokenBase + n - 1] == Compiled.star {
                let atom = compiled.atomOfGlob[g]
                if atomStamp[Int(atom)] != stamp {
                    atomStamp[Int(atom)] = stamp
                    newPermanent.append(atom)
                }
                scratch.removeLast(count + 2)
                return
            }
            scratch[head + 1] = Int32(count)
        }

        /// `key` = the configuration with `phase`, the permanent atoms `permanent` ∪ `newPermanent`, and
        /// the glob entries in `scratch` whose atom is not permanent.
        mutating func buildKey(phase: Int32, permanent: ArraySlice<Int32>, stamp: UInt32) {
            key.removeAll(keepingCapacity: true)
            key.append(phase)
            key.append(Int32(permanent.count + newPermanent.count))
            key.append(contentsOf: permanent)
            if newPermanent.isEmpty {
                key.append(contentsOf: scratch)
                return
            }
            key.append(contentsOf: newPermanent)
            key[2..<key.count].sort()
            var i = 0
            while i < scratch.count {
                let g = Int(scratch[i])
                let length = Int(scratch[i + 1]) + 2
                if atomStamp[Int(compiled.atomOfGlob[g])] != stamp { key.append(contentsOf: scratch[i..<i + length]) }
                i += length
            }
        }

        /// The configuration `key`, created (child of `parent` by `via`) if new.
        mutating func intern(parent: Int32, via scalar: Unicode.Scalar) throws(GlobPartitionError) -> Int32 {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for value in key { hash = (hash ^ UInt64(UInt32(bitPattern: value))) &* 0x0000_0100_0000_01B3 }
            let h = Int(truncatingIfNeeded: hash ^ (hash >> 31))
            let mask = table.count - 1
            var slot = h & mask
            while true {
                let existing = table[slot]
                if existing < 0 { break }
                let index = Int(existing)
                if configHash[index] == h {
                    let s = configStart[index]
                    let e = index + 1 < configStart.count ? configStart[index + 1] : arena.count
                    if e - s == key.count, arena[s..<e].elementsEqual(key) { return existing }
                }
                slot = (slot + 1) & mask
            }
            let index = configStart.count
            guard index < maxConfigurations else { throw .tooComplex(configurations: index + 1) }
            table[slot] = Int32(index)
            configStart.append(arena.count)
            configHash.append(h)
            arena.append(contentsOf: key)
            self.parent.append(parent)
            via.append(scalar)
            if 2 * configStart.count > table.count { grow() }
            return Int32(index)
        }

        mutating func grow() {
            table = [Int32](repeating: -1, count: table.count * 2)
            let mask = table.count - 1
            for (index, h) in configHash.enumerated() {
                var slot = h & mask
                while table[slot] >= 0 { slot = (slot + 1) & mask }
                table[slot] = Int32(index)
            }
        }

        /// Records the class of `config` (if its phase accepts) and creates its successors.
        mutating func expand(_ config: Int) throws(GlobPartitionError) {
            let s = configStart[config]
            let e = config + 1 < configStart.count ? configStart[config + 1] : arena.count
            let phase = Int(arena[s])
            let permanentCount = Int(arena[s + 1])
            let globsStart = s + 2 + permanentCount
            automaton.phase.append(UInt8(phase))
            automaton.edgeStart.append(Int32(automaton.edgeSymbol.count))

            // The class, read off where the shape accepts.
            var classIndex: Int32 = -1
            if phases.accepting[phase] {
                trueAtoms.removeAll(keepingCapacity: true)
                trueAtoms.append(contentsOf: arena[s + 2..<globsStart])
                var i = globsStart
                while i < e {
                    let g = Int(arena[i])
                    let count = Int(arena[i + 1])
                    let n = compiled.tokenStart[g + 1] - compiled.tokenStart[g]
                    let atom = compiled.atomOfGlob[g]
                    if Int(arena[i + 1 + count]) == n, trueAtoms.last != atom { trueAtoms.append(atom) }
                    i += count + 2
                }
                if permanentCount > 0, trueAtoms.count > permanentCount { trueAtoms.sort() }
                if let known = classOfSignature[trueAtoms] {
                    classIndex = known
                } else {
                    classIndex = Int32(classTrueAtoms.count)
                    classOfSignature[trueAtoms] = classIndex
                    classTrueAtoms.append(trueAtoms)
                    classConfig.append(config)
                }
            }
            automaton.classOfConfig.append(classIndex)

            // The characters that live globs name here, plus the phase's forced ones.
            let stamp = nextSymbolGeneration()
            interesting.removeAll(keepingCapacity: true)
            for symbol in phases.forced[phase] where symbolStamp[Int(symbol)] != stamp {
                symbolStamp[Int(symbol)] = stamp
                interesting.append(symbol)
            }
            var i = globsStart
            while i < e {
                let g = Int(arena[i])
                let count = Int(arena[i + 1])
                let base = compiled.tokenStart[g]
                let n = compiled.tokenStart[g + 1] - base
                for j in i + 2..<i + 2 + count {
                    let p = Int(arena[j])
                    guard p < n else { continue }
                    let token = compiled.tokens[base + p]
                    if token >= 0, symbolStamp[Int(token)] != stamp {
                        symbolStamp[Int(token)] = stamp
                        interesting.append(token)
                    }
                }
                i += count + 2
            }

            for k in interesting.indices {
                let symbol = interesting[k]
                let next = phases.next[phase * phases.symbolCount + Int(symbol)]
                var target: Int32 = -1
                if next >= 0 { target = try step(config, symbol: symbol, phase: next, scalar: compiled.scalars[Int(symbol)]) }
                automaton.edgeSymbol.append(symbol)
                automaton.edgeTarget.append(target)
            }
            var other: Int32 = -1
            if phases.otherNext[phase] >= 0,
               let representative = phases.representatives[phase].first(where: { $0.symbol < 0 || symbolStamp[Int($0.symbol)] != stamp }) {
                other = try step(config, symbol: Compiled.noSymbol, phase: phases.otherNext[phase], scalar: representative.scalar)
            }
            automaton.otherTarget.append(other)
        }

        /// The successor of `config` on a character with id `symbol` (`noSymbol`: one no live glob names).
        mutating func step(_ config: Int, symbol: Int32, phase: Int8, scalar: Unicode.Scalar) throws(GlobPartitionError) -> Int32 {
            let s = configStart[config]
            let e = config + 1 < configStart.count ? configStart[config + 1] : arena.count
            let permanentCount = Int(arena[s + 1])
            let stamp = nextAtomGeneration()
            for k in s + 2..<s + 2 + permanentCount { atomStamp[Int(arena[k])] = stamp }
            newPermanent.removeAll(keepingCapacity: true)
            scratch.removeAll(keepingCapacity: true)
            var i = s + 2 + permanentCount
            while i < e {
                let g = Int(arena[i])
                let count = Int(arena[i + 1])
                let tokenBase = compiled.tokenStart[g]
                let positionBase = compiled.positionStart[g]
                let n = compiled.tokenStart[g + 1] - tokenBase
                let head = scratch.count
                scratch.append(Int32(g))
                scratch.append(0)
                // Successor positions are unions of ranges [from, closureEnd(from)] with nondecreasing
                // starts and ends, so appending the part beyond the last end keeps them sorted and distinct.
                var last = -1
                for j in i + 2..<i + 2 + count {
                    let p = Int(arena[j])
                    guard p < n else { continue }
                    let token = compiled.tokens[tokenBase + p]
                    var from: Int
                    if token == Compiled.star {
                        from = p
                    } else if token == Compiled.one || token == symbol {
                        from = p + 1
                    } else {
                        continue
                    }
                    let to = Int(compiled.closureEnd[positionBase + from])
                    if from <= last { from = last + 1 }
                    if from <= to {
                        for q in from...to { scratch.append(Int32(q)) }
                        last = to
                    }
                }
                finishGlob(g, head: head, last: last, stamp: stamp)
                i += count + 2
            }
            buildKey(phase: Int32(phase), permanent: arena[s + 2..<s + 2 + permanentCount], stamp: stamp)
            return try intern(parent: Int32(config), via: scalar)
        }

        /// The shortest string reaching `config` (the characters along the breadth-first tree).
        func path(to config: Int) -> String {
            var scalars: [Unicode.Scalar] = []
            var c = config
            while parent[c] >= 0 {
                scalars.append(via[c])
                c = Int(parent[c])
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars.reversed())
            return text
        }
    }
}
