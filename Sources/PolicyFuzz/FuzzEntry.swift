import Foundation
import PolicyLanguage

/// The parser fuzz target: any bytes, read as a JSON or YAML input file (the first byte picks), go
/// through the whole input pipeline (reading with limits, classification, CloudFormation, Terraform
/// and account-export extraction, decoding), then validation and one concrete evaluation of every
/// policy found. Nothing may trap, whatever the bytes.
///
/// Built with libFuzzer (`scripts/fuzz.sh`, `-sanitize=fuzzer,address -D FUZZING`) this is
/// `LLVMFuzzerTestOneInput`; built normally it is a replayer: `policyprover-fuzz FILE...` runs each
/// file once (how a crash found by the fuzzer becomes a regression test).
enum FuzzTarget {
    static let validator = PolicyValidator(catalog: .bundled)
    static let evaluator = PolicyEvaluator(catalog: .bundled)
    static let request = Request(
        principal: .user(account: "111122223333", arn: "arn:aws:iam::111122223333:user/fuzz", name: "fuzz"),
        action: "s3:GetObject", resource: "arn:aws:s3:::bucket/key")

    static func run(_ bytes: [UInt8]) {
        let file = bytes.first.map { $0 & 1 == 0 ? "input.json" : "input.yaml" } ?? "input.json"
        let extracted = PolicyExtractor.extract(bytes: bytes, file: file)
        for embedded in extracted.policies {
            guard let policy = embedded.parsed.policy else { continue }
            _ = validator.validate(policy, as: embedded.type)
            guard embedded.parsed.isEvaluable else { continue }
            let policies = embedded.type == .identity ? PolicySet(identityPolicies: [policy]) : PolicySet(resourcePolicy: policy)
            _ = evaluator.evaluate(request, policies: policies, explain: true)
        }
        if let text = String(bytes: bytes, encoding: .utf8) {
            _ = AccountReader.read(exportText: text, file: "export.json")
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

/// libFuzzer's driver, called from the executable's entry point (SwiftPM names the entry point of an
/// executable target itself, so libFuzzer's own `main` is not used).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("PolicyFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzOneInput)
}
#else
@main
struct Replay {
    static func main() {
        let paths = Array(CommandLine.arguments.dropFirst())
        guard !paths.isEmpty else {
            FileHandle.standardError.write(Data("usage: policyprover-fuzz FILE... (replays fuzz inputs; see scripts/fuzz.sh)\n".utf8))
            exit(2)
        }
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                exit(2)
            }
            FuzzTarget.run(Array(data))
            print("ok \(path)")
        }
    }
}
#endif
