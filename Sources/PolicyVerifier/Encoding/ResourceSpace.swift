import PolicyLanguage

/// How the resource dimension of a query is split. A request resource is either the literal `*`
/// (actions without resource-level permissions) or an ARN, whose partition, service, region and
/// account fields are classes of field-wise partitions, and whose resource part (after the fifth colon)
/// is a class too, or a Z3 string when some entry puts a policy variable there.
struct ResourceSpace {
    /// One `Resource`/`NotResource` entry as the encoder sees it.
    struct Entry {
        /// `"*"`: matches every resource, including the literal `*` of wildcard-only actions.
        var matchesEverything: Bool
        /// The atom (per field partition) of each of the first four fields, or `nil` when the entry
        /// matches no ARN at all.
        var fieldAtoms: [Int]?
        /// The resource part: an atom of the last-field partition, or a pattern with variables.
        var last: Last?
        /// Whether the entry matches the literal request resource `*`.
        var matchesStar: Bool
        var span: SourceSpan

        enum Last {
            case atom(Int)
            case pattern(PatternPieces)
        }
    }

    static let fieldNames = ["partition", "service", "region", "account", "resource"]

    /// Distinct globs per field (index 0…4).
    private(set) var fieldGlobs: [[GlobPattern]] = Array(repeating: [], count: 5)
    private var fieldGlobIndex: [[GlobPattern: Int]] = Array(repeating: [:], count: 5)
    private(set) var entries: [Entry] = []
    /// Whether the resource part is a string (some entry has a policy variable there).
    private(set) var lastFieldIsString = false
    private(set) var partitions: [GlobPartition] = []

    private mutating func atom(_ glob: GlobPattern, field: Int) -> Int {
        if let index = fieldGlobIndex[field][glob] { return index }
        fieldGlobs[field].append(glob)
        fieldGlobIndex[field][glob] = fieldGlobs[field].count - 1
        return fieldGlobs[field].count - 1
    }

    /// Registers an entry of a policy playing `role`; returns its number.
    mutating func entry(for pattern: ResourcePattern, isResourcePolicy: Bool) throws(EncodingError) -> Int {
        let pieces = PatternPieces(pattern.template, wildcards: true)
        var entry = Entry(matchesEverything: pattern.matchesEveryResource, fieldAtoms: nil, last: nil, matchesStar: false, span: pattern.span)
        // The evaluator reads a request resource holding `*` or `?` as a set of resources, so requests
        // never hold them; an entry that matches them literally (`${*}`, `${?}`) is not encoded.
        if pieces.pieces.contains(.char("*")) || pieces.pieces.contains(.char("?")) {
            throw .unsupported("a literal * or ? (${*}, ${?}) in a resource entry", pattern.span)
        }
        if entry.matchesEverything {
            entry.matchesStar = true
        } else if let glob = pieces.glob {
            entry.matchesStar = glob.matches("*")
            if let fields = glob.arnResourceFields(isResourcePolicy: isResourcePolicy) {
                entry.fieldAtoms = (0..<4).map { atom(fields[$0], field: $0) }
                entry.last = .atom(atom(fields[4], field: 4))
            }
        } else {
            // A variable: it may only stand in the resource part, after the fifth colon.
            guard let fields = pieces.fields(max: 6) else {
                throw .unsupported("a policy variable before the resource part of an ARN", pattern.span)
            }
            guard fields.count == 6, fields[0].literalText == "arn", let first = fields[0].glob else {
                throw .unsupported("a policy variable in a resource entry that is not a full ARN", pattern.span)
            }
            _ = first
            entry.matchesStar = false  // it starts with the literal `arn`, so it cannot match `*`
            entry.fieldAtoms = try (1..<5).map { (index: Int) throws(EncodingError) -> Int in
                guard let glob = fields[index].glob else { throw .unsupported("a policy variable before the resource part", pattern.span) }
                return atom(glob, field: index - 1)
            }
            entry.last = .pattern(fields[5])
            lastFieldIsString = true
        }
        entries.append(entry)
        return entries.count - 1
    }

    /// Splits each field. `candidates` are readable values tried first as class witnesses.
    mutating func partition(candidates: [[String]]) throws(GlobPartitionError) {
        partitions = []
        for field in 0..<5 {
            if field == 4, lastFieldIsString {
                // The string encoding still needs the globs of variable-free entries; no partition.
                partitions.append(try GlobPartition(atoms: [], shape: .field(allowsColon: true), caseInsensitive: false))
                continue
            }
            let atoms = fieldGlobs[field].map { [$0] }
            partitions.append(try GlobPartition(atoms: atoms, shape: .field(allowsColon: field == 4), caseInsensitive: false, candidates: candidates[field]))
        }
    }

    /// Classes of `field` in which atom `atom` matches.
    func classes(field: Int, atom: Int) -> [Int] {
        partitions[field].classes.indices.filter { partitions[field].classes[$0].signature[atom] }
    }
}
