import Testing
import PolicyLanguage
@testable import PolicyVerifier

/// `GlobPartition`: the exact set of realizable signatures, each with a witness that has it.
@Suite("GlobPartition")
struct GlobPartitionTests {
    // MARK: - Helpers

    static func glob(_ text: String) -> GlobPattern { GlobPattern(wildcardText: Substring(text)) }

    static func atoms(_ texts: [[String]]) -> [[GlobPattern]] { texts.map { $0.map(glob) } }

    /// The oracle: a signature by `GlobPattern.matches`, independent of the partition's own matcher.
    static func oracle(_ atoms: [[GlobPattern]], _ text: String, caseInsensitive: Bool) -> [Bool] {
        atoms.map { globs in globs.contains { $0.matches(text, caseInsensitive: caseInsensitive) } }
    }

    static func bits(_ text: String) -> [Bool] { text.map { $0 == "T" } }

    static func partition(
        _ texts: [[String]], _ shape: StringShape, caseInsensitive: Bool = false, candidates: [String] = []
    ) throws -> GlobPartition {
        try GlobPartition(atoms: atoms(texts), shape: shape, caseInsensitive: caseInsensitive, candidates: candidates)
    }

    /// Every class: distinct signature, witness of the shape, oracle signature equal to the class's,
    /// and `classIndex` of the witness pointing back at the class.
    static func expectCertified(_ partition: GlobPartition, _ atoms: [[GlobPattern]], caseInsensitive: Bool) {
        #expect(Set(partition.classes.map(\.signature)).count == partition.classes.count, "signatures are distinct")
        for (index, found) in partition.classes.enumerated() {
            #expect(partition.shape.contains(found.witness), "witness \(found.witness) has the shape")
            #expect(oracle(atoms, found.witness, caseInsensitive: caseInsensitive) == found.signature, "witness \(found.witness)")
            #expect(partition.signature(of: found.witness) == found.signature)
            #expect(partition.classIndex(of: found.witness) == index)
        }
    }

    static func signatureSet(_ partition: GlobPartition) -> Set<[Bool]> { Set(partition.classes.map(\.signature)) }

    // MARK: - Small exact cases

    struct ExactCase: Sendable, CustomTestStringConvertible {
        var atoms: [[String]]
        var shape: StringShape
        var caseInsensitive: Bool
        var signatures: Set<String>
        var note: String
        var testDescription: String { note }
    }

    static let exactCases: [ExactCase] = [
        ExactCase(atoms: [["a*"], ["ab"]], shape: .field(allowsColon: true), caseInsensitive: false,
                  signatures: ["FF", "TF", "TT"], note: "ab implies a*: FT is impossible"),
        ExactCase(atoms: [["s3:Get*"], ["s3:GetObject"], ["*"]], shape: .action, caseInsensitive: true,
                  signatures: ["FFT", "TFT", "TTT"], note: "action prefix, literal, star"),
        ExactCase(atoms: [["?"], ["??"], ["*"]], shape: .field(allowsColon: true), caseInsensitive: false,
                  signatures: ["FFT", "TFT", "FTT"], note: "? is exactly one character"),
        ExactCase(atoms: [["a?"], ["a"]], shape: .field(allowsColon: true), caseInsensitive: false,
                  signatures: ["FF", "TF", "FT"], note: "a? needs two characters"),
        ExactCase(atoms: [["a:b"], ["a*"]], shape: .field(allowsColon: false), caseInsensitive: false,
                  signatures: ["FF", "FT"], note: "a:b never matches a field without colons"),
        ExactCase(atoms: [["a:b"], ["a*"]], shape: .field(allowsColon: true), caseInsensitive: false,
                  signatures: ["FF", "FT", "TT"], note: "a:b matches when colons are allowed"),
        ExactCase(atoms: [["*:*"]], shape: .field(allowsColon: false), caseInsensitive: false,
                  signatures: ["F"], note: "no colon, no match"),
        ExactCase(atoms: [[], ["*"]], shape: .field(allowsColon: true), caseInsensitive: false,
                  signatures: ["FT"], note: "an empty atom matches nothing"),
        ExactCase(atoms: [[], []], shape: .action, caseInsensitive: true,
                  signatures: ["FF"], note: "two empty atoms"),
        ExactCase(atoms: [], shape: .action, caseInsensitive: true, signatures: [""], note: "no atoms: one class"),
        ExactCase(atoms: [["Abc"], ["abc"]], shape: .field(allowsColon: true), caseInsensitive: false,
                  signatures: ["FF", "TF", "FT"], note: "case-sensitive: Abc and abc differ"),
        ExactCase(atoms: [["Abc"], ["abc"]], shape: .field(allowsColon: true), caseInsensitive: true,
                  signatures: ["FF", "TT"], note: "case-insensitive: Abc and abc are the same"),
        ExactCase(atoms: [["*"], ["?*"]], shape: .field(allowsColon: true), caseInsensitive: false,
                  signatures: ["TF", "TT"], note: "the empty field matches * only"),
        ExactCase(atoms: [["*"], ["?*"]], shape: .action, caseInsensitive: true,
                  signatures: ["TT"], note: "actions are never empty"),
        ExactCase(atoms: [["*:*"], ["*-*"], ["*:*-*"]], shape: .action, caseInsensitive: true,
                  signatures: ["TFF", "TTF"], note: "- only in the service part"),
        ExactCase(atoms: [["s3:*"], ["s3"]], shape: .action, caseInsensitive: true,
                  signatures: ["FF", "TF"], note: "a colon-free glob never matches an action"),
        ExactCase(atoms: [["a*b*c"], ["*c*b*a*"]], shape: .field(allowsColon: true), caseInsensitive: false,
                  signatures: ["FF", "TF", "FT", "TT"], note: "several stars: abcba… matches both"),
        ExactCase(atoms: [["ab*", "*ba"], ["aba"]], shape: .field(allowsColon: true), caseInsensitive: false,
                  signatures: ["FF", "TF", "TT"], note: "a union atom covering the other"),
        ExactCase(atoms: [["x"], ["?"]], shape: .field(allowsColon: true), caseInsensitive: false,
                  signatures: ["FF", "TT", "FT"], note: "the preferred stand-in letter x is itself named"),
        ExactCase(atoms: [["x*"], ["q*"], ["*"]], shape: .action, caseInsensitive: true,
                  signatures: ["FFT", "TFT", "FTT"], note: "stand-in letters named in the service part"),
        ExactCase(atoms: [["Zz"], ["zZ"]], shape: .field(allowsColon: true), caseInsensitive: true,
                  signatures: ["FF", "TT"], note: "Z folds to z"),
        ExactCase(atoms: [["Zz"], ["zZ"]], shape: .field(allowsColon: true), caseInsensitive: false,
                  signatures: ["FF", "TF", "FT"], note: "Z and z differ case-sensitively"),
        ExactCase(atoms: [["é?"], ["É*"]], shape: .field(allowsColon: true), caseInsensitive: true,
                  signatures: ["FF", "TF", "FT"], note: "only ASCII letters fold"),
    ]

    @Test("exact signature sets", arguments: exactCases)
    func exactSignatures(_ exact: ExactCase) throws {
        let partition = try Self.partition(exact.atoms, exact.shape, caseInsensitive: exact.caseInsensitive)
        #expect(Self.signatureSet(partition) == Set(exact.signatures.map(Self.bits)))
        Self.expectCertified(partition, Self.atoms(exact.atoms), caseInsensitive: exact.caseInsensitive)
    }

    static let membershipCases: [(String, StringShape, Bool)] = [
        ("s3:GetObject", .action, true), ("S3:GETOBJECT", .action, true), ("my-svc:Do1", .action, true),
        ("s3:Get-Object", .action, false), ("s3", .action, false), (":a", .action, false), ("a:", .action, false),
        ("a:b:c", .action, false), ("s3:Get_Object", .action, false), ("s3:Gét", .action, false), ("", .action, false),
        ("", .field(allowsColon: false), true), ("bucket name/é🙂", .field(allowsColon: false), true),
        ("a:b", .field(allowsColon: false), false), ("a:b", .field(allowsColon: true), true),
        ("tab\t", .field(allowsColon: true), false), ("del\u{7F}", .field(allowsColon: true), false),
        ("c1\u{85}", .field(allowsColon: true), false), ("nbsp\u{A0}", .field(allowsColon: true), true),
    ]

    @Test("shape membership", arguments: membershipCases)
    func shapeMembership(_ text: String, _ shape: StringShape, _ expected: Bool) throws {
        #expect(shape.contains(text) == expected)
        let partition = try GlobPartition(atoms: [[Self.glob("*")]], shape: shape, caseInsensitive: true)
        #expect((partition.classIndex(of: text) != nil) == expected)
    }

    /// Nearly every ordinary character named at one point: the one left over (last in the order of
    /// preferred stand-ins) must still stand for "any other character".
    @Test("every ordinary character but one named", arguments: [
        (["-"], "", "-:x"),
        (["u"], "s:", "s:u"),
        (["u", "-"], "", "u:x"),
    ])
    func everyCharacterButOneNamed(leftOut: [String], prefix: String, probe: String) throws {
        let characters = "abcdefghijklmnopqrstuvwxyz0123456789-".map(String.init).filter { !leftOut.contains($0) }
        let texts = characters.filter { prefix.isEmpty || $0 != "-" }.map { ["\(prefix)\($0)*"] }
        let partition = try Self.partition(texts, .action, caseInsensitive: true)
        #expect(partition.classes.count == texts.count + 1, "no atom, or exactly one")
        let index = try #require(partition.classIndex(of: probe))
        #expect(partition.classes[index].signature == [Bool](repeating: false, count: texts.count))
        Self.expectCertified(partition, Self.atoms(texts), caseInsensitive: true)
    }

    @Test func actionCaseInsensitiveClassLookup() throws {
        let partition = try Self.partition([["s3:Get*"], ["s3:GetObject"], ["*"]], .action, caseInsensitive: true)
        let index = try #require(partition.classIndex(of: "s3:GetObject"))
        #expect(partition.classes[index].signature == [true, true, true])
        #expect(partition.classIndex(of: "S3:getobject") == index)
        #expect(partition.classIndex(of: "s3:GetBucket").map { partition.classes[$0].signature } == [true, false, true])
        #expect(partition.classIndex(of: "ec2:RunInstances").map { partition.classes[$0].signature } == [false, false, true])
        for wrongShape in ["", "s3", "s3:", ":GetObject", "s3:Get:Object", "s3:Get-Object", "s_3:Get", "s3:Get Object"] {
            #expect(partition.classIndex(of: wrongShape) == nil, "\(wrongShape) is not an action")
        }
    }

    @Test func caseSensitiveActions() throws {
        let partition = try Self.partition([["s3:GetObject"]], .action, caseInsensitive: false)
        #expect(Self.signatureSet(partition) == [[false], [true]])
        #expect(partition.classIndex(of: "s3:getobject").map { partition.classes[$0].signature } == [false])
        #expect(partition.classIndex(of: "s3:GetObject").map { partition.classes[$0].signature } == [true])
        Self.expectCertified(partition, Self.atoms([["s3:GetObject"]]), caseInsensitive: false)
    }

    @Test func colonExcludedFieldRejectsColonStrings() throws {
        let partition = try Self.partition([["a:b"], ["*"]], .field(allowsColon: false))
        for found in partition.classes { #expect(found.signature[0] == false) }
        #expect(partition.classIndex(of: "a:b") == nil)
        #expect(partition.classIndex(of: "") != nil)
        #expect(partition.classIndex(of: "tab\there") == nil, "control characters are not printable")
    }

    @Test func questionMarkMatchesOneNonASCIIScalar() throws {
        let partition = try Self.partition([["a?c"]], .field(allowsColon: true))
        let inside = try #require(partition.classIndex(of: "aéc"))
        #expect(partition.classes[inside].signature == [true])
        #expect(partition.classIndex(of: "a🙂c") == inside)
        #expect(partition.classIndex(of: "ac").map { partition.classes[$0].signature } == [false])
    }

    // MARK: - Randomized: brute force over short strings

    /// Deterministic SplitMix64.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func strings(over alphabet: [Character], upTo length: Int) -> [String] {
        var all = [""]
        var layer = [""]
        for _ in 0..<length {
            layer = layer.flatMap { prefix in alphabet.map { prefix + String($0) } }
            all += layer
        }
        return all
    }

    static let shortStrings = strings(over: ["a", "b", "c", ":"], upTo: 6)
    static let shortMixedCaseStrings = strings(over: ["a", "B", "b", "A", ":"], upTo: 4)
    static let standInStrings = strings(over: ["x", "q", "a", ":"], upTo: 5)

    static func randomAtoms(_ rng: inout SeededGenerator, alphabet: [Character]) -> [[String]] {
        (0..<Int.random(in: 1...4, using: &rng)).map { _ in
            (0..<Int.random(in: 0...2, using: &rng)).map { _ in
                String((0..<Int.random(in: 0...4, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            }
        }
    }

    static let shapes: [StringShape] = [.field(allowsColon: true), .field(allowsColon: false), .action]

    @Test("random globs against brute force", arguments: 0..<12)
    func randomAgainstBruteForce(seed: Int) throws {
        var rng = SeededGenerator(state: UInt64(seed) &* 7919)
        for _ in 0..<8 {
            let texts = Self.randomAtoms(&rng, alphabet: ["a", "b", ":", "*", "?"])
            let shape = Self.shapes.randomElement(using: &rng)!
            let caseInsensitive = Bool.random(using: &rng)
            let atoms = Self.atoms(texts)
            let partition = try GlobPartition(atoms: atoms, shape: shape, caseInsensitive: caseInsensitive)
            let realized = Self.signatureSet(partition)
            var bruteForce = Set<[Bool]>()
            for text in Self.shortStrings {
                let signature = Self.oracle(atoms, text, caseInsensitive: caseInsensitive)
                let index = partition.classIndex(of: text)
                #expect((index != nil) == shape.contains(text), "\(text) in \(shape)")
                guard let index else { continue }
                bruteForce.insert(signature)
                #expect(partition.classes[index].signature == signature, "\(texts) \(shape): \(text)")
            }
            #expect(bruteForce.isSubset(of: realized), "\(texts) \(shape) ci=\(caseInsensitive)")
            Self.expectCertified(partition, atoms, caseInsensitive: caseInsensitive)
        }
    }

    /// Globs naming the letters that stand for "any other character" first (x, q).
    @Test("random globs naming x and q against brute force", arguments: 0..<6)
    func randomStandInLetters(seed: Int) throws {
        var rng = SeededGenerator(state: UInt64(seed) &* 65_537 &+ 3)
        for _ in 0..<8 {
            let texts = Self.randomAtoms(&rng, alphabet: ["x", "q", ":", "*", "?"])
            let shape = Self.shapes.randomElement(using: &rng)!
            let atoms = Self.atoms(texts)
            let partition = try GlobPartition(atoms: atoms, shape: shape, caseInsensitive: true)
            var bruteForce = Set<[Bool]>()
            for text in Self.standInStrings where shape.contains(text) {
                let signature = Self.oracle(atoms, text, caseInsensitive: true)
                bruteForce.insert(signature)
                #expect(partition.classIndex(of: text).map { partition.classes[$0].signature } == signature, "\(texts): \(text)")
            }
            #expect(bruteForce.isSubset(of: Self.signatureSet(partition)))
            Self.expectCertified(partition, atoms, caseInsensitive: true)
        }
    }

    @Test("random mixed-case globs against brute force", arguments: 0..<6)
    func randomMixedCase(seed: Int) throws {
        var rng = SeededGenerator(state: UInt64(seed) &* 104_729 &+ 1)
        for _ in 0..<8 {
            let texts = Self.randomAtoms(&rng, alphabet: ["a", "A", "b", ":", "*", "?"])
            let shape = Self.shapes.randomElement(using: &rng)!
            let caseInsensitive = Bool.random(using: &rng)
            let atoms = Self.atoms(texts)
            let partition = try GlobPartition(atoms: atoms, shape: shape, caseInsensitive: caseInsensitive)
            var bruteForce = Set<[Bool]>()
            for text in Self.shortMixedCaseStrings where shape.contains(text) {
                let signature = Self.oracle(atoms, text, caseInsensitive: caseInsensitive)
                bruteForce.insert(signature)
                #expect(partition.signature(of: text) == signature)
                #expect(partition.classIndex(of: text).map { partition.classes[$0].signature } == signature, "\(texts): \(text)")
            }
            #expect(bruteForce.isSubset(of: Self.signatureSet(partition)))
            Self.expectCertified(partition, atoms, caseInsensitive: caseInsensitive)
        }
    }

    /// When every class's shortest string is short, brute force sees every class: the sets are equal.
    @Test("random globs: exact when all witnesses are short", arguments: 0..<6)
    func randomExact(seed: Int) throws {
        var rng = SeededGenerator(state: UInt64(seed) &* 31 &+ 5)
        for _ in 0..<8 {
            // Globs of at most 2 tokens: every realizable signature has a string of length ≤ 2 × 4 + 1.
            let texts = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                (0..<Int.random(in: 1...2, using: &rng)).map { _ in
                    String((0..<Int.random(in: 0...2, using: &rng)).map { _ in Array("ab*?").randomElement(using: &rng)! })
                }
            }
            let atoms = Self.atoms(texts)
            let partition = try GlobPartition(atoms: atoms, shape: .field(allowsColon: true), caseInsensitive: false)
            var bruteForce = Set<[Bool]>()
            for text in Self.shortStrings { bruteForce.insert(Self.oracle(atoms, text, caseInsensitive: false)) }
            #expect(bruteForce == Self.signatureSet(partition), "\(texts)")
        }
    }

    // MARK: - Budget

    @Test func tooComplexWithTinyBudget() {
        let atoms = Self.atoms([["*a*b*"], ["*b*a*"], ["a?b*"]])
        #expect(throws: GlobPartitionError.tooComplex(configurations: 4)) {
            try GlobPartition(atoms: atoms, shape: .field(allowsColon: true), caseInsensitive: false, maxConfigurations: 3)
        }
        #expect(throws: Never.self) {
            try GlobPartition(atoms: atoms, shape: .field(allowsColon: true), caseInsensitive: false)
        }
    }

    // MARK: - Witnesses

    @Test func candidatesBecomeWitnesses() throws {
        let texts = [["s3:Get*"], ["s3:GetObject"]]
        let candidates = ["not an action", "S3:GETOBJECT", "s3:GetObject", "s3:GetBucketPolicy", "ec2:RunInstances", "s3:PutObject"]
        let partition = try Self.partition(texts, .action, caseInsensitive: true, candidates: candidates)
        let witnesses = Dictionary(uniqueKeysWithValues: partition.classes.map { ($0.signature, $0.witness) })
        #expect(witnesses[[true, true]] == "S3:GETOBJECT", "the first fitting candidate, case kept")
        #expect(witnesses[[true, false]] == "s3:GetBucketPolicy")
        #expect(witnesses[[false, false]] == "ec2:RunInstances")
        Self.expectCertified(partition, Self.atoms(texts), caseInsensitive: true)
    }

    @Test func fieldCandidates() throws {
        let texts = [["us-*"], ["us-east-1"], ["eu-*"]]
        let partition = try Self.partition(texts, .field(allowsColon: false), candidates: ["us:bad", "us-east-1", "us-west-2", "eu-west-1", ""])
        let witnesses = Dictionary(uniqueKeysWithValues: partition.classes.map { ($0.signature, $0.witness) })
        #expect(witnesses == [[true, true, false]: "us-east-1", [true, false, false]: "us-west-2",
                              [false, false, true]: "eu-west-1", [false, false, false]: ""])
    }

    @Test func readableWitnessesWithoutCandidates() throws {
        let texts = [["s3:Get*"], ["s3:*"], ["ec2:Describe*", "ec2:RunInstances"]]
        let partition = try Self.partition(texts, .action, caseInsensitive: true)
        let witnesses = Dictionary(uniqueKeysWithValues: partition.classes.map { ($0.signature, $0.witness) })
        #expect(witnesses[[true, true, false]] == "s3:GetExample")
        #expect(witnesses[[false, true, false]] == "s3:Example")
        #expect(witnesses[[false, false, true]] == "ec2:DescribeExample")
        #expect(witnesses[[false, false, false]] == "example:Example")
        Self.expectCertified(partition, Self.atoms(texts), caseInsensitive: true)
    }

    @Test func fallbackWitnessIsStillCertified() throws {
        // No instantiation of a glob lands in TTF, so that class keeps the construction's shortest string.
        let texts = [["a*"], ["*b"], ["ab"]]
        let partition = try Self.partition(texts, .field(allowsColon: true))
        #expect(Self.signatureSet(partition) == Set(["FFF", "TFF", "FTF", "TTF", "TTT"].map(Self.bits)))
        Self.expectCertified(partition, Self.atoms(texts), caseInsensitive: false)
        for found in partition.classes { #expect(found.witness.unicodeScalars.allSatisfy { $0.isASCII }) }
    }

    // MARK: - Scale

    /// About 2,400 patterns over 300 services, as in AWS's ReadOnlyAccess.
    static func readOnlyLike() -> [String] {
        var patterns: [String] = []
        for service in 0..<300 {
            let name = "svc\(String(service, radix: 36))\(service % 7 == 0 ? "-x" : "")"
            patterns += ["\(name):Get*", "\(name):List*", "\(name):Describe*", "\(name):BatchGet*",
                         "\(name):Search*", "\(name):View\(service)Data", "\(name):Lookup?Events", "\(name):QueryObject\(service % 10)"]
        }
        return patterns
    }

    @Test(arguments: [1, 4])
    func largeActionList(atomCount: Int) throws {
        let patterns = Self.readOnlyLike()
        #expect(patterns.count == 2_400)
        var atoms = [[GlobPattern]](repeating: [], count: atomCount)
        for (i, pattern) in patterns.enumerated() { atoms[i % atomCount].append(Self.glob(pattern)) }
        atoms.append([Self.glob("*")])
        let clock = ContinuousClock()
        var partition: GlobPartition?
        let elapsed = try clock.measure {
            partition = try GlobPartition(atoms: atoms, shape: .action, caseInsensitive: true, candidates: ["svc0:GetThing"])
        }
        let result = try #require(partition)
        print("GlobPartition: \(patterns.count) patterns in \(atomCount) atoms: \(result.classes.count) classes, \(result.configurationCount) configurations, \(elapsed)")
        Self.expectCertified(result, atoms, caseInsensitive: true)
        // The atoms' patterns are pairwise disjoint: no atom, or exactly one, and always `*`.
        #expect(result.classes.count == (atomCount == 1 ? 2 : atomCount + 1))
        #expect(result.classIndex(of: "svc1:GetThing").map { result.classes[$0].signature[0] } == true)
        #expect(result.classes.contains { $0.witness == "svc0:GetThing" })
    }

    @Test func largeFieldList() throws {
        var globs: [String] = []
        for i in 0..<300 { globs += ["bucket-\(i)", "bucket-\(i)/*", "logs-\(i)-*/private/*"] }
        let atoms = [Array(globs.prefix(450)).map(Self.glob), Array(globs.dropFirst(450)).map(Self.glob), [Self.glob("*")]]
        let partition = try GlobPartition(atoms: atoms, shape: .field(allowsColon: true), caseInsensitive: false)
        Self.expectCertified(partition, atoms, caseInsensitive: false)
        #expect(Self.signatureSet(partition) == Set(["FFT", "TFT", "FTT"].map(Self.bits)))
    }
}
