import PolicyLanguage
@testable import PolicyExplorer
@testable import PolicyVerifier

// MARK: Policies

/// Parses a policy written inline; traps on a malformed test input (the test is wrong, not the code).
func parsedPolicy(_ text: String, file: String = "test.json") -> Policy {
    let parsed = PolicyParser.parse(text: text, file: file)
    guard parsed.isEvaluable, let policy = parsed.policy else { fatalError("test policy does not parse: \(parsed.findings)") }
    return policy
}

/// A policy's JSON text from its statements.
func policyText(_ statements: String) -> String {
    "{\"Version\":\"2012-10-17\",\"Statement\":[\(statements)]}"
}

/// One explored policy with its source text, as the explorer holds it.
struct ExploredPolicy {
    var source: String
    var policy: PolicyUnderTest

    init(source: String, role: PolicyRole, file: String = "test.json") {
        self.source = source
        policy = PolicyUnderTest(parsedPolicy(source, file: file), role: role)
    }

    static func resource(_ statements: String, file: String = "test.json") -> ExploredPolicy {
        ExploredPolicy(source: policyText(statements), role: .resource, file: file)
    }

    static func identity(_ statements: String, file: String = "test.json") -> ExploredPolicy {
        ExploredPolicy(source: policyText(statements), role: .identity, file: file)
    }
}

enum Fixture {
    static let publicRead = #"{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"}"#
    static let publicWrite = #"{"Sid":"PublicWrite","Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::example-bucket/*"}"#
    /// The public bucket policy: anyone may read and write the bucket's objects.
    static var publicBucket: ExploredPolicy { .resource(publicRead + "," + publicWrite) }
    /// A key policy whose Resource names the owning account 111122223333, open to everyone.
    static var publicKey: ExploredPolicy {
        .resource(#"{"Sid":"AnyoneDecrypts","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}"#)
    }
    /// The same bucket policy laid out on several lines, as a person writes it.
    static let multilineBucket = """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "PublicRead",
              "Effect": "Allow",
              "Principal": "*",
              "Action": "s3:GetObject",
              "Resource": "arn:aws:s3:::example-bucket/*"
            },
            {
              "Sid": "PublicWrite",
              "Effect": "Allow",
              "Principal": "*",
              "Action": "s3:PutObject",
              "Resource": "arn:aws:s3:::example-bucket/*"
            }
          ]
        }
        """
}

// MARK: Hand-made events

/// A reference to statement `index` of the test policy, as the evaluator reports it.
func statementReference(_ index: Int, of policy: Policy, role: PolicyRole = .resource, effect: Effect = .allow) -> StatementReference {
    let statement = policy.statements[index]
    return StatementReference(role: role, file: policy.file, statementIndex: index, sid: statement.sid?.value, effect: effect, span: statement.span)
}

/// A counterexample built by hand: `request`, allowed by the statements `allowing` of `policy`.
func counterexample(_ action: String = "s3:GetObject", resource: String = "arn:aws:s3:::example-bucket/key",
                    principal: RequestPrincipal = .anonymous, policy: Policy, allowing: [Int] = [0], denying: [Int] = []) -> Counterexample {
    let outcome = PolicyOutcomeSummary(
        label: "policy", file: policy.file, allows: denying.isEmpty && !allowing.isEmpty,
        allowing: allowing.map { statementReference($0, of: policy) },
        denying: denying.map { statementReference($0, of: policy, effect: .deny) })
    return Counterexample(request: Request(principal: principal, action: action, resource: resource), outcomes: [outcome])
}

/// A proof that nothing is left, with `blocked` counterexamples blocked.
func exhaustion(blocked: Int = 0, exclusions: [Exclusion] = [], namesNoCallers: Bool = false) -> ExhaustionProof {
    ExhaustionProof(question: ["the policy allows the request", "the caller is one of an unbounded set (public)"],
                    blocked: blocked, exclusions: exclusions, seconds: 0.004, namesNoCallers: namesNoCallers)
}

// MARK: Commands

extension ExplorerCommand {
    /// The blocked requests and exclusions of a search command.
    var search: (shown: [Request], exclusions: [Exclusion])? {
        if case .search(_, let shown, let exclusions) = self { return (shown, exclusions) }
        return nil
    }

    /// The counterexample a generalize, explain or fix command is about.
    var subject: Counterexample? {
        switch self {
        case .generalize(_, let example), .explain(_, let example), .suggestFix(_, _, let example, _): example
        default: nil
        }
    }

    /// The command's name, to compare kinds.
    var name: String {
        switch self {
        case .search: "search"
        case .generalize: "generalize"
        case .explain: "explain"
        case .suggestFix: "suggestFix"
        case .save: "save"
        case .export: "export"
        case .quit: "quit"
        }
    }
}

extension ExplorationAnswer {
    var counterexample: Counterexample? {
        if case .counterexample(let example) = self { return example }
        return nil
    }

    var proof: ExhaustionProof? {
        if case .exhausted(let proof) = self { return proof }
        return nil
    }
}

extension ExplorationEnd {
    var proof: ExhaustionProof? {
        if case .exhausted(let proof) = self { return proof }
        return nil
    }
}

// MARK: Engine and driver

let explorerProver = Prover(timeout: .seconds(20))

func engine(_ property: ExplorationProperty) -> ExplorerEngine {
    ExplorerEngine(prover: explorerProver, property: property)
}

/// An explorer session run against the real engine: every proof command a key or an answer returns is
/// carried out and its event fed back, until only commands for the terminal layer are left.
struct ExplorerDriver {
    var state: ExplorerState
    let engine: ExplorerEngine
    /// The commands for the terminal layer (save, export, quit) returned so far.
    private(set) var terminalCommands: [ExplorerCommand] = []
    /// Every event the engine answered with, in order.
    private(set) var events: [ExplorerEvent] = []

    init(_ explored: ExploredPolicy, property: ExplorationProperty, title: String = "no-public-access") {
        state = ExplorerState(title: title, property: property, policy: explored.policy, source: explored.source)
        engine = PolicyExplorerTests.engine(property)
    }

    /// Starts the search and runs it to its first answer.
    mutating func start() {
        run(state.start())
    }

    /// Presses `keys` one after the other, each run to completion.
    mutating func press(_ keys: ExplorerKey...) {
        for key in keys { run(state.handle(.key(key))) }
    }

    mutating func press(_ characters: String) {
        for character in characters { press(.character(character)) }
    }

    /// Presses n until the search has ended and the end is shown (at most `limit` times).
    mutating func exhaust(limit: Int = 50) {
        var presses = 0
        while !(state.end != nil && state.current == nil), presses < limit {
            press("n")
            presses += 1
        }
    }

    private mutating func run(_ commands: [ExplorerCommand]) {
        var pending = commands
        while !pending.isEmpty {
            let command = pending.removeFirst()
            guard let event = engine.run(command) else {
                terminalCommands.append(command)
                continue
            }
            events.append(event)
            pending += state.handle(event)
        }
    }
}

extension ExplorerPanel {
    /// The panel's case, to compare panels (the payloads are not `Equatable`).
    var name: String {
        switch self {
        case .source: "source"
        case .help: "help"
        case .why: "why"
        case .generalization: "generalization"
        case .fix: "fix"
        case .exclude: "exclude"
        }
    }

    var exclusionOptions: [ExclusionOption]? {
        if case .exclude(let options) = self { return options }
        return nil
    }
}
