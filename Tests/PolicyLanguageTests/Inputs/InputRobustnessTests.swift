import Foundation
import Testing
@testable import PolicyLanguage

/// `PolicyExtractor` never traps: truncated and corrupted versions of every fixture give a result.
@Suite("Input discovery on damaged files")
struct InputRobustnessTests {
    static let fixtures = [
        "cloudformation.yaml", "cloudformation.json", "terraform-plan.json", "account-authorization-details.json",
        "policy.json", "policy.yaml",
    ]

    @Test(arguments: fixtures)
    func truncatedAndCorruptedFilesGiveAResult(_ name: String) {
        let bytes = Array(InputFixtures.text(name).utf8)
        var generator = SeededGenerator(seed: UInt64(bytes.count))
        var errors = 0
        for _ in 0..<40 {
            let cut = Int.random(in: 0..<bytes.count, using: &generator)
            let truncated = PolicyExtractor.extract(bytes: Array(bytes[..<cut]), file: name)
            if truncated.findings.contains(where: { $0.severity == .error }) { errors += 1 }
            var corrupted = bytes
            for _ in 0..<3 {
                let index = Int.random(in: 0..<corrupted.count, using: &generator)
                corrupted[index] = [UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "!"), 0x0A, UInt8(ascii: "%")][Int.random(in: 0..<6, using: &generator)]
            }
            let result = PolicyExtractor.extract(bytes: corrupted, file: name)
            for policy in result.policies {
                // Whatever was extracted is located in this file.
                #expect(policy.parsed.file == name)
            }
        }
        // Almost every cut of a JSON file is malformed, and reported as such.
        if name.hasSuffix(".json") { #expect(errors >= 30) }
    }

    @Test func deeplyNestedIntrinsicsStayWithinTheReadLimits() {
        let depth = 200
        let nested = String(repeating: #"{"Fn::Join": ["", ["#, count: depth) + #""x""# + String(repeating: "]]}", count: depth)
        let text = #"{"Resources": {"P": {"Type": "AWS::S3::BucketPolicy", "Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Sid": "#
            + nested + "}]}}}}}"
        let extracted = PolicyExtractor.extract(bytes: Array(text.utf8), file: "deep.json")
        #expect(extracted.format == .unrecognized)
        #expect(extracted.findings.map(\.code) == [.limitExceeded])
    }
}
