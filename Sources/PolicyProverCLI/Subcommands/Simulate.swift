import ArgumentParser
import Foundation
import PolicyLanguage

/// `policyprover simulate`: IAM's decision for one request (or many), like the IAM policy simulator.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decide a request against policies, offline, and say which statements decided it.",
        discussion: """
            REQ.json is {"principal": ARN or null, "action": "svc:Name", "resource": ARN, \
            "resourceAccount": "123456789012", "context": {"key": "value" | ["v1", "v2"]}}. \
            Keys IAM derives from the principal (aws:PrincipalArn, aws:PrincipalAccount, aws:username, …) \
            are filled in when not given.

            Exit status: 0 when decided (or when the decision matches --expect); 1 when --expect is given \
            and a decision differs; 2 for unreadable requests or policies.

            Examples:
              policyprover simulate --request req.json --identity-policy user.json --resource-policy bucket.json
              policyprover simulate --request req.json --identity-policy p.json --scp-level root.json --scp-level ou.json,account.json --explain
              policyprover simulate --requests reqs.jsonl --identity-policy p.json > decisions.jsonl
            """
    )

    @Option(help: "The request, a JSON (or YAML) document.")
    var request: String?

    @Option(help: "Many requests, one JSON object per line; prints one JSON decision per line.")
    var requests: String?

    @Option(name: .customLong("identity-policy"), help: "An identity-based policy (repeatable).")
    var identityPolicies: [String] = []

    @Option(help: "The resource-based policy (bucket policy, key policy, role trust policy, …).")
    var resourcePolicy: String?

    @Option(help: "The principal's permissions boundary.")
    var permissionsBoundary: String?

    @Option(help: "The session policy.")
    var sessionPolicy: String?

    @Option(name: .customLong("scp"), help: "An SCP attached at the account's single organization level (repeatable).")
    var scps: [String] = []

    @Option(name: .customLong("rcp"), help: "An RCP attached at the account's single organization level (repeatable).")
    var rcps: [String] = []

    @Option(name: .customLong("scp-level"), help: "One organization level of SCPs, root first: comma-separated files, '' for a level without policies (repeatable).")
    var scpLevels: [String] = []

    @Option(name: .customLong("rcp-level"), help: "One organization level of RCPs, root first (repeatable).")
    var rcpLevels: [String] = []

    @Option(help: "The VPC endpoint policy the request passes through.")
    var vpcEndpointPolicy: String?

    @Flag(help: "Show every statement and why it matched or not (which condition key, which value).")
    var explain = false

    @Option(help: "Fail (exit 1) unless the decision is this: Allow, ImplicitDeny, ExplicitDeny, or Deny (either deny).")
    var expect: String?

    @OptionGroup var limits: InputLimitOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard output.format == .text || output.format == .json else {
            throw ValidationError("simulate reports a decision, not findings: use --format text or json")
        }
        guard (request == nil) != (requests == nil) else {
            throw ValidationError("give exactly one of --request and --requests")
        }
        if !scps.isEmpty, !scpLevels.isEmpty { throw ValidationError("use either --scp or --scp-level, not both") }
        if !rcps.isEmpty, !rcpLevels.isEmpty { throw ValidationError("use either --rcp or --rcp-level, not both") }
        if let expect, !["allow", "implicitdeny", "explicitdeny", "deny"].contains(expect.lowercased()) {
            throw ValidationError("--expect takes Allow, ImplicitDeny, ExplicitDeny or Deny")
        }
    }

    func run() throws {
        var loader = PolicyLoader(limits: limits.readLimits)
        func levels(_ single: [String], _ specified: [String]) -> [[Policy]] {
            if !single.isEmpty { return [loader.load(single)] }
            return specified.map { level in loader.load(level.split(separator: ",").map(String.init).filter { !$0.isEmpty }) }
        }
        let policies = PolicySet(
            identityPolicies: loader.load(identityPolicies),
            resourcePolicy: resourcePolicy.flatMap { loader.load($0) },
            permissionsBoundary: permissionsBoundary.flatMap { loader.load($0) },
            sessionPolicy: sessionPolicy.flatMap { loader.load($0) },
            scpLevels: levels(scps, scpLevels),
            rcpLevels: levels(rcps, rcpLevels),
            vpcEndpointPolicy: vpcEndpointPolicy.flatMap { loader.load($0) })
        if let status = loader.reportFailures(useColor: output.usesColor) { throw status.exitCode }

        let evaluator = PolicyEvaluator()
        if let request {
            try simulateOne(request, policies, evaluator)
        } else if let requests {
            try simulateBatch(requests, policies, evaluator)
        }
    }

    private func simulateOne(_ path: String, _ policies: PolicySet, _ evaluator: PolicyEvaluator) throws {
        let decoded: Request
        switch readRequest(path) {
        case .success(let request): decoded = request
        case .failure(let finding):
            var printer = DiagnosticPrinter(useColor: output.usesColor, stream: .standardError)
            printer.print(PolicyFileReport(file: path, policyType: nil, inferenceReason: nil, findings: [finding.finding]))
            throw ExitStatus.invalidInput.exitCode
        }
        let decision = evaluator.evaluate(decoded, policies: policies)
        switch output.format {
        case .json: print(DecisionReport.json(decision, request: decoded, explain: explain, pretty: true))
        case .text: print(DecisionReport.text(decision, request: decoded, explain: explain, useColor: output.usesColor))
        case .sarif, .junit:
            // A decision is not a finding; `validate()` refuses these formats before anything runs.
            print(DecisionReport.json(decision, request: decoded, explain: explain, pretty: true))
        }
        throw (matchesExpectation(decision) ? ExitStatus.passed : ExitStatus.failed).exitCode
    }

    private func readRequest(_ path: String) -> Result<Request, FindingError> {
        switch SourceReader.read(contentsOf: path, limits: limits.readLimits) {
        case .failure(let error): return .failure(FindingError(Finding(error)))
        case .success(let node):
            return RequestDecoder.decode(node).mapError { FindingError(Finding(.invalidRequest, .error, $0.message, at: $0.span)) }
        }
    }

    private func simulateBatch(_ path: String, _ policies: PolicySet, _ evaluator: PolicyEvaluator) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            FileHandleOutput.standardError("\(path):1:1: error[UNREADABLE_FILE]: cannot read the requests file\n")
            throw ExitStatus.invalidInput.exitCode
        }
        let bytes = [UInt8](data)
        var found: [(number: Int, range: Range<Int>)] = []
        var lineStart = 0
        var lineNumber = 0
        while lineStart < bytes.count {
            lineNumber += 1
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            if bytes[lineStart..<lineEnd].contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) {
                found.append((lineNumber, lineStart..<lineEnd))
            }
            lineStart = lineEnd + 1
        }
        // Requests are independent: decide chunks on every core, then write them in input order.
        let lines = found
        let chunkSize = 2048
        let chunkCount = (lines.count + chunkSize - 1) / chunkSize
        let results = ChunkResults(count: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            var output: [String] = []
            var status = ExitStatus.passed
            let chunkEnd = min(lines.count, (chunk + 1) * chunkSize)
            for entry in lines[(chunk * chunkSize)..<chunkEnd] {
                let lineBytes = Array(bytes[entry.range])
                let (line, lineStatus) = decide(lineBytes, number: entry.number, path: path, policies, evaluator)
                output.append(line)
                if lineStatus == .invalidInput || (lineStatus == .failed && status == .passed) { status = lineStatus }
            }
            results.store(chunk, output, status)
        }
        var out = BufferedOutput()
        var status = ExitStatus.passed
        for (output, chunkStatus) in results.all {
            output.forEach { out.write($0) }
            if chunkStatus == .invalidInput || (chunkStatus == .failed && status == .passed) { status = chunkStatus }
        }
        out.flush()
        throw status.exitCode
    }

    /// One line of a batch: its JSON output line and whether it passed.
    private func decide(_ line: [UInt8], number: Int, path: String, _ policies: PolicySet, _ evaluator: PolicyEvaluator) -> (String, ExitStatus) {
        // Spans are relative to the line; only an error's span is moved to its place in the file.
        let result = SourceReader.read(bytes: line, file: path, format: .json, limits: limits.readLimits)
            .mapError { RequestDecoder.DecodingError(message: $0.message, span: $0.span) }
            .flatMap { RequestDecoder.decode($0) }
        switch result {
        case .success(let request):
            let decision = evaluator.evaluate(request, policies: policies, explain: explain)
            let json = DecisionReport.json(decision, request: request, explain: explain, pretty: false, line: number)
            return (json, matchesExpectation(decision) ? .passed : .failed)
        case .failure(let error):
            var span = error.span
            span.start.line += number - 1
            span.end.line += number - 1
            return (DecisionReport.errorLine(error.message, line: number, span: span), .invalidInput)
        }
    }

    private func matchesExpectation(_ decision: Decision) -> Bool {
        guard let expect = expect?.lowercased() else { return true }
        if expect == "deny" { return decision.kind != .allow }
        return decision.kind.rawValue.lowercased() == expect
    }
}

/// Output lines of batch chunks, filled concurrently, read in order.
final class ChunkResults: @unchecked Sendable {
    private var slots: [([String], ExitStatus)]
    private let lock = NSLock()

    init(count: Int) {
        slots = Array(repeating: ([], .passed), count: count)
    }

    func store(_ index: Int, _ lines: [String], _ status: ExitStatus) {
        lock.lock()
        slots[index] = (lines, status)
        lock.unlock()
    }

    var all: [([String], ExitStatus)] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}

/// Collects output lines and writes them in large blocks (batch mode prints one line per request).
struct BufferedOutput {
    private var buffer: [UInt8] = []

    mutating func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count > 1 << 16 { flush() }
    }

    mutating func flush() {
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
