import Foundation

/// The subset of SARIF 2.1.0 that PolicyProver writes, as Codable values. `SARIFWriter` encodes it and
/// `ReportMerge.mergeSARIF` decodes and re-encodes it, so a field added here is kept by both. Optional
/// fields are left out of the JSON when nil. Property names are SARIF's own (see the OASIS schema in
/// `Tests/PolicyAuditTests/Fixtures/sarif-schema-2.1.0.json`).
struct SARIFLog: Codable, Equatable {
    var schema: String?
    var version: String
    var runs: [SARIFRun]

    enum CodingKeys: String, CodingKey {
        case schema = "$schema", version, runs
    }
}

struct SARIFRun: Codable, Equatable {
    var tool: SARIFTool
    var invocations: [SARIFInvocation]?
    var artifacts: [SARIFArtifact]?
    var results: [SARIFResult]?
    var columnKind: String?
    var properties: SARIFRunProperties?
}

struct SARIFTool: Codable, Equatable {
    var driver: SARIFDriver
}

struct SARIFDriver: Codable, Equatable {
    var name: String
    var version: String?
    var informationUri: String?
    var rules: [SARIFRule]?
}

/// A `reportingDescriptor`: what a rule id means.
struct SARIFRule: Codable, Equatable {
    var id: String
    var shortDescription: SARIFText?
    var fullDescription: SARIFText?
    var helpUri: String?
    var defaultConfiguration: SARIFConfiguration?
    var properties: SARIFRuleProperties?
}

struct SARIFRuleProperties: Codable, Equatable {
    var tags: [String]?
}

struct SARIFConfiguration: Codable, Equatable {
    var level: String
}

/// A `message` or a `multiformatMessageString` with plain text only.
struct SARIFText: Codable, Equatable {
    var text: String
}

struct SARIFInvocation: Codable, Equatable {
    var executionSuccessful: Bool
}

struct SARIFArtifact: Codable, Equatable {
    var location: SARIFArtifactLocation
    var roles: [String]?
    var hashes: [String: String]?
}

struct SARIFArtifactLocation: Codable, Equatable {
    var uri: String?
    var uriBaseId: String?
    var index: Int?
}

struct SARIFResult: Codable, Equatable {
    var ruleId: String?
    var ruleIndex: Int?
    var level: String?
    var message: SARIFText
    var analysisTarget: SARIFArtifactLocation?
    var locations: [SARIFLocation]?
    var relatedLocations: [SARIFLocation]?
    var partialFingerprints: [String: String]?
    var properties: SARIFResultProperties?
}

/// What a result is about in the report's terms: the policy within its file, the check and its outcome.
struct SARIFResultProperties: Codable, Equatable {
    var policy: String?
    var check: String?
    var outcome: String?
}

struct SARIFLocation: Codable, Equatable {
    var id: Int?
    var physicalLocation: SARIFPhysicalLocation?
    var message: SARIFText?
}

struct SARIFPhysicalLocation: Codable, Equatable {
    var artifactLocation: SARIFArtifactLocation
    var region: SARIFRegion?
}

struct SARIFRegion: Codable, Equatable {
    var startLine: Int
    var startColumn: Int?
    var endLine: Int?
    var endColumn: Int?
}

/// The run's report-level data: the command, and the report's summary counts (additive over shards).
struct SARIFRunProperties: Codable, Equatable {
    var command: String?
    var summary: AuditSummary?
}

extension SARIFArtifactLocation {
    /// The file path this location names: the percent-decoded `uri` without a `file://` prefix.
    /// Artifacts and results are ordered by it, so that the order is the report's path order.
    var path: String {
        guard let uri else { return "" }
        let decoded = uri.removingPercentEncoding ?? uri
        return decoded.hasPrefix("file://") ? String(decoded.dropFirst("file://".count)) : decoded
    }

    /// The identity of an artifact, whatever its index.
    var key: String { (uriBaseId ?? "") + "\u{0}" + (uri ?? "") }
}
