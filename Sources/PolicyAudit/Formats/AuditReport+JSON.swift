import Foundation

/// Why a text is not the JSON form of an `AuditReport`, in one sentence that names the place
/// (for example `missing key 'contentHash' at files[2]`).
public struct ReportReadError: Error, CustomStringConvertible, Equatable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension AuditReport {
    /// The JSON form: the report encoded with `JSONEncoder`, pretty-printed, keys sorted, slashes not
    /// escaped, no trailing newline. Same report, same text; `read(json:)` gives back an equal report
    /// (non-finite `seconds` are written as the strings `Infinity`, `-Infinity` and `NaN`).
    public func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        } catch {
            preconditionFailure("an AuditReport is plain data and always encodes: \(error)")
        }
    }

    /// Reads the JSON form back. The files are put in path order and the summary is recomputed from
    /// them, so the result keeps the report's invariants even if the text was edited.
    /// Throws `ReportReadError` naming what is wrong and where.
    public static func read(json: [UInt8]) throws -> AuditReport {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let decoded: AuditReport
        do {
            decoded = try decoder.decode(AuditReport.self, from: Data(json))
        } catch {
            throw ReportReadError("not a PolicyProver audit report: \(readableDescription(of: error))")
        }
        return AuditReport(tool: decoded.tool, version: decoded.version, command: decoded.command, files: decoded.files, seconds: decoded.seconds)
    }
}

/// A `DecodingError` as one sentence with the path of the offending value (`files[0].policies[1].name`).
func readableDescription(of error: Error) -> String {
    func path(_ codingPath: [CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text.isEmpty ? "the top level" : text
    }
    guard let error = error as? DecodingError else { return "\(error)" }
    switch error {
    case .dataCorrupted(let context):
        if context.codingPath.isEmpty { return "the text is not valid JSON" }
        return "\(context.debugDescription) at \(path(context.codingPath))"
    case .keyNotFound(let key, let context):
        return "missing key '\(key.stringValue)' at \(path(context.codingPath))"
    case .typeMismatch(let type, let context):
        return "expected \(type) at \(path(context.codingPath))"
    case .valueNotFound(let type, let context):
        return "expected \(type) but found null at \(path(context.codingPath))"
    @unknown default:
        return "\(error)"
    }
}
