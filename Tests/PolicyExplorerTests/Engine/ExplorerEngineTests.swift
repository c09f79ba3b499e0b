import PolicyLanguage
@testable import PolicyExplorer
@testable import PolicyVerifier
import Testing

/// The explorer driven end to end with the real prover and evaluator: keys go to the state, its proof
/// commands to the engine, the engine's answers back to the state.
@Suite struct ExplorerEngineTests {
    let publicAccess = ExplorationProperty.noPublicAccess(resourceType: nil)
    let evaluator = PolicyEvaluator()

    func allows(_ policy: PolicyUnderTest, _ request: Request) -> Bool {
        evaluator.applicableStatements(of: policy.policy, role: policy.role, request: request).allows
    }

    /// A session on the public bucket policy, at its first counterexample.
    func bucketSession() -> ExplorerDriver {
        var driver = ExplorerDriver(Fixture.publicBucket, property: publicAccess)
        driver.start()
        return driver
    }

    /// The fix the last `f` produced.
    func lastFix(_ driver: ExplorerDriver) throws -> FixOutcome {
        guard case .fixed(let outcome)? = driver.events.last else {
            throw FixMissing(status: driver.state.status)
        }
        return outcome
    }

    struct FixMissing: Error, CustomStringConvertible {
        var status: String
        var description: String { "no fix came back; the status says: \(status)" }
    }

    // MARK: No public access, counterexample by counterexample

    @Test func firstAnswerIsACertifiedCounterexample() throws {
        let driver = bucketSession()
        let example = try #require(driver.state.current)
        #expect(["s3:GetObject", "s3:PutObject"].contains(example.request.action))
        #expect(example.request.resource.hasPrefix("arn:aws:s3:::example-bucket/"))
        #expect(allows(Fixture.publicBucket.policy, example.request))
        let outcome = try #require(example.outcomes.first)
        #expect(outcome.label == "policy")
        #expect(outcome.allows)
        #expect(!outcome.allowing.isEmpty)
        #expect(driver.state.end == nil)
        #expect(driver.state.busy == nil)
    }

    @Test func nextGivesARequestOfOtherClasses() throws {
        var driver = bucketSession()
        let first = try #require(driver.state.current).request
        driver.press("n")
        #expect(driver.state.found.count == 2)
        #expect(driver.state.position == 1)
        let second = try #require(driver.state.current).request
        // Blocked with its classes: the next one differs in the caller, the action or the resource.
        #expect(second.principal != first.principal || second.action != first.action || second.resource != first.resource)
        #expect(allows(Fixture.publicBucket.policy, second))
    }

    @Test func nextUntilTheEndIsExhaustedWithoutTheProperty() throws {
        var driver = bucketSession()
        driver.exhaust()
        let proof = try #require(driver.state.end?.proof)
        #expect(!proof.propertyHolds)
        #expect(proof.blocked == driver.state.found.count)
        #expect(proof.exclusions.isEmpty)
        #expect(proof.question.contains { $0.contains("\(driver.state.found.count) shown") })
        #expect(driver.state.current == nil)
        let found = driver.state.found.map(\.request)
        #expect(Set(found.map(\.action)) == ["s3:GetObject", "s3:PutObject"])
        #expect(found.allSatisfy { allows(Fixture.publicBucket.policy, $0) })
        // No request is shown twice.
        for (index, request) in found.enumerated() {
            #expect(!found[..<index].contains(request))
        }
    }

    @Test func excludingTheActionGivesAnotherAction() throws {
        var driver = bucketSession()
        let excluded = try #require(driver.state.current).request.action
        driver.press("xa")
        #expect(driver.state.exclusions == [.action(excluded)])
        let next = try #require(driver.state.current).request
        #expect(next.action.lowercased() != excluded.lowercased())
        #expect(["s3:GetObject", "s3:PutObject"].contains(next.action))
        #expect(allows(Fixture.publicBucket.policy, next))
    }

    @Test func excludingBothActionsLeavesNone() throws {
        var driver = bucketSession()
        driver.press("xa")
        driver.press("xa")
        #expect(driver.state.exclusions.count == 2)
        let proof = try #require(driver.state.end?.proof)
        #expect(Set(proof.exclusions) == [.action("s3:GetObject"), .action("s3:PutObject")])
        #expect(!proof.propertyHolds)
        #expect(proof.question.contains("it is not the action s3:GetObject"))
    }

    // MARK: Fixes

    @Test func bucketPolicyFixIsADenyOfTheRequest() throws {
        var driver = bucketSession()
        let old = try #require(driver.state.current).request
        driver.press("f")
        let outcome = try lastFix(driver)
        #expect(outcome.fix.kind == .addDeny)
        let fixed = PolicyParser.parse(text: outcome.fix.text, file: "test.json")
        let policy = try #require(fixed.policy)
        #expect(fixed.isEvaluable)
        #expect(policy.statements.map { $0.effect?.value } == [.allow, .allow, .deny])
        #expect(policy.statements.last?.sid?.value == "ExplorerDeny1")
        #expect(!allows(PolicyUnderTest(policy, role: .resource), old))
        #expect(outcome.fix.diff.contains { $0.kind == .added && $0.text.contains("\"Effect\": \"Deny\"") })
        // A Deny of one request does not make the bucket private: the re-proof finds another.
        let next = try #require(outcome.reproof.counterexample).request
        #expect(next != old)
        #expect(allows(PolicyUnderTest(policy, role: .resource), next))
        #expect(driver.state.source == outcome.fix.text)
        #expect(driver.state.current?.request == next)
        #expect(driver.state.hasUnsavedFix)
        // Saving is the terminal layer's: the engine answers nothing and the command is left over.
        driver.press("s")
        guard case .save(let saved)? = driver.terminalCommands.last else {
            Issue.record("expected a save command, got \(driver.terminalCommands.map(\.name))")
            return
        }
        #expect(saved == outcome.fix.text)
    }

    @Test func callerConditionFixProvesTheKeyPolicyPrivate() throws {
        var driver = ExplorerDriver(Fixture.publicKey, property: publicAccess)
        driver.start()
        let old = try #require(driver.state.current).request
        driver.press("f")
        let outcome = try lastFix(driver)
        #expect(outcome.fix.kind == .addCondition)
        let policy = try #require(PolicyParser.parse(text: outcome.fix.text, file: "test.json").policy)
        let clause = try #require(policy.statements.first?.condition?.clauses.first)
        #expect(clause.operatorName.value == "StringEquals")
        #expect(clause.key.value == "aws:PrincipalAccount")
        #expect(clause.values.map(\.text) == ["111122223333"])
        let fixed = PolicyUnderTest(policy, role: .resource)
        #expect(!allows(fixed, old))
        // The owner's own callers keep their access.
        var owner = old
        owner.principal = .root(account: "111122223333")
        #expect(allows(fixed, owner))
        #expect(try #require(outcome.reproof.proof).propertyHolds)
        #expect(try #require(driver.state.end?.proof).propertyHolds)
        #expect(driver.state.current == nil)
        #expect(try #require(explorerProver.nextCounterexample(of: fixed, publicAccess).proof).propertyHolds)
    }

    /// The key policy laid out in the ways the condition is written into: on one line or several, with
    /// or without a Condition already.
    static let keyStatements = [
        #"{"Sid":"AnyoneDecrypts","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:111122223333:key/k"}"#,
        "{\n      \"Sid\": \"AnyoneDecrypts\",\n      \"Effect\": \"Allow\",\n      \"Principal\": \"*\",\n      \"Action\": \"kms:Decrypt\",\n      \"Resource\": \"arn:aws:kms:us-east-1:111122223333:key/k\"\n    }",
        #"{"Sid":"AnyoneDecrypts","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:111122223333:key/k","Condition":{"Bool":{"aws:SecureTransport":"true"}}}"#,
        "{\n      \"Sid\": \"AnyoneDecrypts\",\n      \"Effect\": \"Allow\",\n      \"Principal\": \"*\",\n      \"Action\": \"kms:Decrypt\",\n      \"Resource\": \"arn:aws:kms:us-east-1:111122223333:key/k\",\n      \"Condition\": {\n        \"Bool\": {\"aws:SecureTransport\": \"true\"}\n      }\n    }",
    ]

    @Test(arguments: keyStatements)
    func callerConditionIsWrittenIntoAnyLayout(statement: String) throws {
        let explored = ExploredPolicy.resource(statement)
        let conditionsBefore = explored.policy.policy.statements[0].condition?.clauses.count ?? 0
        var driver = ExplorerDriver(explored, property: publicAccess)
        driver.start()
        let old = try #require(driver.state.current).request
        driver.press("f")
        let outcome = try lastFix(driver)
        #expect(outcome.fix.kind == .addCondition)
        let parsed = PolicyParser.parse(text: outcome.fix.text, file: "test.json")
        let policy = try #require(parsed.policy)
        #expect(parsed.isEvaluable)
        let clauses = try #require(policy.statements.first?.condition).clauses
        #expect(clauses.count == conditionsBefore + 1)
        #expect(clauses.contains { $0.key.value == "aws:PrincipalAccount" && $0.values.map(\.text) == ["111122223333"] })
        #expect(!allows(PolicyUnderTest(policy, role: .resource), old))
        #expect(try #require(outcome.reproof.proof).propertyHolds)
        // Everything but the inserted condition is as the person wrote it.
        #expect(outcome.fix.diff.filter { $0.kind == .removed }.count <= 1)
    }

    @Test func undoAfterARealFixShowsTheOldCounterexampleAgain() throws {
        var driver = ExplorerDriver(Fixture.publicKey, property: publicAccess)
        driver.start()
        let old = try #require(driver.state.current).request
        driver.press("f")
        #expect(driver.state.current == nil)
        driver.press("u")
        #expect(driver.state.current?.request == old)
        #expect(driver.state.source == Fixture.publicKey.source)
        #expect(!driver.state.hasUnsavedFix)
        driver.press("n")
        #expect(driver.state.found.count == 2)
    }

    @Test func identityPolicyNamesNoCallersSoNoPublicAccessHolds() throws {
        var driver = ExplorerDriver(.identity(#"{"Effect":"Allow","Action":"*","Resource":"*"}"#), property: publicAccess)
        driver.start()
        let proof = try #require(driver.state.end?.proof)
        #expect(proof.namesNoCallers)
        #expect(proof.propertyHolds)
        #expect(driver.state.found.isEmpty)
    }

    @Test func denyFixWrapsASingleStatementObjectInAList() throws {
        let explored = ExploredPolicy(source: "{\"Version\":\"2012-10-17\",\"Statement\":\(Fixture.publicRead)}", role: .resource)
        #expect(explored.policy.policy.statementIsSingleObject)
        var driver = ExplorerDriver(explored, property: publicAccess)
        driver.start()
        let old = try #require(driver.state.current).request
        driver.press("f")
        let outcome = try lastFix(driver)
        let parsed = PolicyParser.parse(text: outcome.fix.text, file: "test.json")
        let policy = try #require(parsed.policy)
        #expect(parsed.isEvaluable)
        #expect(!policy.statementIsSingleObject)
        #expect(policy.statements.map { $0.effect?.value } == [.allow, .deny])
        #expect(!allows(PolicyUnderTest(policy, role: .resource), old))
    }

    @Test func neverFixDeniesTheScopeAndReprovesPass() throws {
        let explored = ExploredPolicy.identity(#"{"Effect":"Allow","Action":["iam:CreateUser","s3:GetObject"],"Resource":"*"}"#)
        let property = ExplorationProperty.never(scope: ScopePolicy.make(actions: ["iam:*"], resources: ["*"]))
        var driver = ExplorerDriver(explored, property: property, title: "never iam:*")
        driver.start()
        let old = try #require(driver.state.current).request
        #expect(old.action.lowercased().hasPrefix("iam:"))
        #expect(driver.state.current?.outcomes.map(\.label) == ["policy", "scope"])
        driver.press("f")
        let outcome = try lastFix(driver)
        #expect(outcome.fix.kind == .addDeny)
        let policy = try #require(PolicyParser.parse(text: outcome.fix.text, file: "test.json").policy)
        let deny = try #require(policy.statements.last)
        #expect(deny.effect?.value == .deny)
        #expect(deny.action?.patterns.map(\.text) == ["iam:*"])
        // An identity policy's Deny names no Principal.
        #expect(deny.principal == nil)
        let fixed = PolicyUnderTest(policy, role: .identity)
        #expect(!allows(fixed, old))
        #expect(allows(fixed, Request(principal: old.principal, action: "s3:GetObject", resource: "arn:aws:s3:::any-bucket/key")))
        #expect(try #require(outcome.reproof.proof).propertyHolds)
        #expect(driver.state.status.hasPrefix("fix applied (1)"))
    }

    @Test func yamlSourceGetsNoFix() throws {
        let yaml = """
            Version: "2012-10-17"
            Statement:
              - Sid: PublicRead
                Effect: Allow
                Principal: "*"
                Action: s3:GetObject
                Resource: arn:aws:s3:::example-bucket/*
            """
        var driver = ExplorerDriver(ExploredPolicy(source: yaml, role: .resource, file: "test.yaml"), property: publicAccess)
        driver.start()
        #expect(driver.state.current?.request.action == "s3:GetObject")
        driver.press("f")
        guard case .noFix(let reason)? = driver.events.last else {
            Issue.record("expected no fix for YAML, got \(driver.state.status)")
            return
        }
        #expect(reason.contains("JSON"))
        #expect(driver.state.status == reason)
        #expect(driver.state.fixes.isEmpty)
        #expect(driver.state.source == yaml)
    }

    // MARK: No new access

    static let readOnly = #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"}"#

    @Test func noNewAccessFindsTheAddedAction() throws {
        let old = ExploredPolicy.identity(Self.readOnly, file: "old.json")
        let new = ExploredPolicy.identity(#"{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::example-bucket/*"}"#, file: "new.json")
        var driver = ExplorerDriver(new, property: .noNewAccess(old: old.policy), title: "no-new-access")
        driver.start()
        let example = try #require(driver.state.current)
        #expect(example.request.action == "s3:PutObject")
        #expect(allows(new.policy, example.request))
        #expect(!allows(old.policy, example.request))
        #expect(example.outcomes.map(\.label) == ["old", "new"])
        #expect(example.outcomes.map(\.allows) == [false, true])
    }

    @Test func noNewAccessWithNothingNewHolds() throws {
        let old = ExploredPolicy.identity(Self.readOnly + #",{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}"#, file: "old.json")
        let new = ExploredPolicy.identity(Self.readOnly, file: "new.json")
        var driver = ExplorerDriver(new, property: .noNewAccess(old: old.policy), title: "no-new-access")
        driver.start()
        #expect(driver.state.found.isEmpty)
        #expect(try #require(driver.state.end?.proof).propertyHolds)
        #expect(driver.state.status.hasPrefix("PASS"))
    }

    // MARK: Why and generalize

    @Test func whyTracesTheGrantingStatement() throws {
        var driver = bucketSession()
        let example = try #require(driver.state.current)
        let granting = try #require(example.outcomes.first?.allowing.first).statementIndex
        driver.press("w")
        guard case .why(let traces) = driver.state.panel else {
            Issue.record("expected the why panel, got \(driver.state.panel.name)")
            return
        }
        let trace = try #require(traces.first)
        #expect(traces.count == 1)
        #expect(trace.label == "policy")
        #expect(trace.allows)
        #expect(trace.statements.count == 2)
        let statement = try #require(trace.statements.first { $0.statement.statementIndex == granting })
        #expect(statement.applies)
        #expect(statement.actionMatches && statement.resourceMatches && statement.principalMatches)
        // The other statement grants the other action only.
        #expect(trace.statements.filter(\.applies).map(\.statement.statementIndex) == [granting])
    }

    @Test func whyTracesTheScopeToo() throws {
        let explored = ExploredPolicy.identity(#"{"Effect":"Allow","Action":"iam:CreateUser","Resource":"*"}"#)
        var driver = ExplorerDriver(explored, property: .never(scope: ScopePolicy.make(actions: ["iam:*"], resources: ["*"])))
        driver.start()
        driver.press("w")
        guard case .why(let traces) = driver.state.panel else {
            Issue.record("expected the why panel, got \(driver.state.panel.name)")
            return
        }
        #expect(traces.map(\.label) == ["policy", "scope"])
        #expect(traces.map(\.allows) == [true, true])
    }

    @Test func generalizeGivesTheGrantingStatement() throws {
        var driver = bucketSession()
        let example = try #require(driver.state.current)
        let granting = try #require(example.outcomes.first?.allowing.first).statementIndex
        driver.press("g")
        guard case .generalization(let grants) = driver.state.panel else {
            Issue.record("expected the generalization panel, got \(driver.state.panel.name)")
            return
        }
        let grant = try #require(grants.first)
        #expect(grants.count == 1)
        #expect(grant.statement.statementIndex == granting)
        #expect(grant.actions == [example.request.action])
        #expect(!grant.actionsAreExcluded)
        #expect(try #require(grant.grantedActionCount) >= 1)
        #expect(grant.sampleActions.contains(example.request.action))
        #expect(grant.principals == ["*"])
        #expect(grant.resources == ["arn:aws:s3:::example-bucket/*"])
        #expect(grant.conditions.isEmpty)
        #expect(grant.denies.isEmpty)
    }

    // MARK: Exclusions and commands the engine does not run

    @Test(arguments: [
        (Exclusion.action("s3:GetObject"), true), (.action("s3:Get*"), false), (.service("s3"), true), (.service("s3:x"), false),
        (.resource("arn:aws:s3:::example-bucket/key"), true), (.resource("*"), false), (.resource("arn:aws:s3:::example-bucket/*"), false),
        (.principal(.anonymous), false), (.principal(.root(account: "111122223333")), false), (.principal(.service("lambda.amazonaws.com")), true),
        (.account("111122223333"), true), (.account("not-an-account"), false),
    ])
    func exclusionIsExactOnlyForOneValue(exclusion: Exclusion, isExact: Bool) {
        #expect(exclusion.isExact == isExact)
    }

    @Test func inexactExclusionIsUnknownNeverAProof() {
        let engine = engine(publicAccess)
        let event = engine.run(.search(policy: Fixture.publicBucket.policy, shown: [], exclusions: [.resource("*")]))
        guard case .answer(.unknown(let reason))? = event else {
            Issue.record("expected UNKNOWN, got \(String(describing: event))")
            return
        }
        #expect(reason == .tooComplex("an exclusion that cannot be stated exactly"))
    }

    @Test(arguments: [ExplorerCommand.save(source: "{}"), .export([], end: nil, earlier: []), .quit])
    func terminalCommandsAreNotTheEngines(command: ExplorerCommand) {
        #expect(engine(publicAccess).run(command) == nil)
    }
}
