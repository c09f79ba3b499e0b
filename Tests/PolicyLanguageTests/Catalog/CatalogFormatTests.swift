import Foundation
import Testing

@testable import PolicyLanguage

/// The TSV format: a small hand-written catalogue, and the errors malformed text produces.
@Suite("Catalogue format")
struct CatalogFormatTests {
    /// A valid catalogue of two services; line numbers matter for the malformed cases below.
    static let sample = [
        "# comment",  // 1
        "V\t1",  // 2
        "S\tdemo\tDemo Service\thttps://example.com/demo",  // 3
        "K\taws:RequestTag/${TagKey}\tString",  // 4
        "K\tdemo:Flavour\tArrayOfString",  // 5
        "U\tdemo:Undocumented",  // 6
        "R\tBucket\tarn:${Partition}:demo:::${Name}\t",  // 7
        "R\tthing\tarn:${Partition}:demo:${Region}:${Account}:thing/${Id}\taws:ResourceTag/${TagKey}",  // 8
        "A\tCreateThing\tW\tthing*\taws:RequestTag/${TagKey},demo:Flavour\tdemo:TagThing",  // 9
        "T\tthing\tdemo:Undocumented\tdemo:GetThing",  // 10
        "A\tGetThing\tR\tBucket,thing\t\t",  // 11
        "A\tListThings\tL\t\t\t",  // 12
        "",  // 13
        "S\tother\tOther\t",  // 14
        "A\tdoIt\tP\t\t\t",  // 15
        "E\t2\t4\t2\t2",  // 16
    ]

    static func text(_ lines: [String]) -> String { lines.joined(separator: "\n") + "\n" }

    static func replacing(_ line: Int, with text: String) -> String {
        var lines = sample
        lines[line - 1] = text
        return Self.text(lines)
    }

    @Test("A small catalogue parses and answers lookups")
    func sampleParses() throws {
        let catalog = try ActionCatalog(tsv: Self.text(Self.sample))
        #expect(catalog.loadError == nil)
        #expect(catalog.serviceCount == 2)
        #expect(catalog.actionCount == 4)
        #expect(catalog.servicePrefixes == ["demo", "other"])
        let create = try #require(catalog.action("DEMO:creatething"))
        #expect(create.accessLevel == .write)
        #expect(create.resourceTypes == [
            ActionInfo.ResourceType(
                name: "thing", isRequired: true, conditionKeys: ["demo:Undocumented"], dependentActions: ["demo:GetThing"]),
        ])
        #expect(create.conditionKeys == ["aws:RequestTag/${TagKey}", "demo:Flavour", "demo:Undocumented"])
        #expect(create.dependentActions == ["demo:GetThing", "demo:TagThing"])
        let get = try #require(catalog.action("demo:GetThing"))
        #expect(get.resourceTypes.map(\.name) == ["Bucket", "thing"])
        #expect(get.resourceTypes.allSatisfy { !$0.isRequired })
        #expect(catalog.action("other:DoIt")?.accessLevel == .permissionsManagement)
        #expect(catalog.actions(matching: "demo:*Thing*").map(\.name) == ["CreateThing", "GetThing", "ListThings"])
        #expect(catalog.actions(matching: "*").count == 4)
        #expect(catalog.actions(matching: "*o*:*").map(\.fullName)
            == ["demo:CreateThing", "demo:GetThing", "demo:ListThings", "other:doIt"])

        let service = try #require(catalog.service("Demo"))
        #expect(service.name == "Demo Service")
        #expect(service.authorizationURL == "https://example.com/demo")
        #expect(service.resourceTypes.map(\.name) == ["Bucket", "thing"])
        #expect(service.resourceType("thing")?.conditionKeys == ["aws:ResourceTag/${TagKey}"])
        #expect(service.resourceType("Bucket")?.conditionKeys == [])
        #expect(service.conditionKeys.map(\.name) == ["aws:RequestTag/${TagKey}", "demo:Flavour", "demo:Undocumented"])
        #expect(catalog.conditionKey("demo:flavour") == ConditionKeyInfo(name: "demo:Flavour", type: .string, isMultivalued: true))
        #expect(catalog.conditionKey("demo:Undocumented")?.type == .unknown)
        #expect(catalog.service("other")?.resourceTypes.isEmpty == true)
    }

    @Test("CRLF line ends are accepted")
    func crlf() throws {
        let catalog = try ActionCatalog(tsv: Self.sample.joined(separator: "\r\n") + "\r\n")
        #expect(catalog.action("demo:GetThing")?.resourceTypes.map(\.name) == ["Bucket", "thing"])
        #expect(catalog.service("demo")?.authorizationURL == "https://example.com/demo")
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let line: Int
        var testDescription: String { name }
    }

    static let malformed: [Malformed] = [
        Malformed(name: "empty text", text: "", line: 1),
        Malformed(name: "no version record", text: text(Array(sample.dropFirst(2))), line: 1),
        Malformed(name: "unsupported version", text: replacing(2, with: "V\t2"), line: 2),
        Malformed(name: "record before S", text: text(Array(sample[0..<2]) + ["K\tdemo:x\tString"]), line: 3),
        Malformed(name: "unknown record kind", text: replacing(12, with: "Z\tListThings"), line: 12),
        Malformed(name: "two-letter record kind", text: replacing(12, with: "AA\tListThings\tL\t\t\t"), line: 12),
        Malformed(name: "too few fields", text: replacing(12, with: "A\tListThings\tL\t\t"), line: 12),
        Malformed(name: "too many fields", text: replacing(12, with: "A\tListThings\tL\t\t\t\t"), line: 12),
        Malformed(name: "invalid access level", text: replacing(12, with: "A\tListThings\tX\t\t\t"), line: 12),
        Malformed(name: "empty action name", text: replacing(12, with: "A\t\tL\t\t\t"), line: 12),
        Malformed(name: "wildcard in action name", text: replacing(12, with: "A\tList*\tL\t\t\t"), line: 12),
        Malformed(name: "undefined resource type", text: replacing(11, with: "A\tGetThing\tR\tBucket,widget\t\t"), line: 11),
        Malformed(name: "resource type differs in case", text: replacing(11, with: "A\tGetThing\tR\tbucket\t\t"), line: 11),
        Malformed(name: "empty resource type item", text: replacing(11, with: "A\tGetThing\tR\tBucket,\t\t"), line: 11),
        Malformed(name: "empty key list item", text: replacing(11, with: "A\tGetThing\tR\tBucket\ta,,b\t"), line: 11),
        Malformed(name: "duplicate action ignoring case", text: replacing(12, with: "A\tgetthing\tL\t\t\t"), line: 12),
        Malformed(name: "actions out of order", text: replacing(12, with: "A\tAlpha\tL\t\t\t"), line: 12),
        Malformed(name: "resource types out of order", text: replacing(8, with: "R\tAlpha\tarn\t"), line: 8),
        Malformed(name: "T without A", text: replacing(9, with: "T\tthing\t\t"), line: 9),
        Malformed(name: "T for an unlisted resource type", text: replacing(10, with: "T\tBucket\tdemo:Flavour\t"), line: 10),
        Malformed(name: "key without prefix", text: replacing(5, with: "K\tFlavour\tString"), line: 5),
        Malformed(name: "duplicate service", text: replacing(14, with: "S\tDEMO\tAgain\t"), line: 14),
        Malformed(name: "services out of order", text: replacing(14, with: "S\tabc\tABC\t"), line: 14),
        Malformed(name: "wrong counts in E", text: replacing(16, with: "E\t2\t5\t2\t2"), line: 16),
        Malformed(name: "non-numeric E", text: replacing(16, with: "E\ttwo\t4\t2\t2"), line: 16),
        Malformed(name: "content after E", text: text(sample + ["A\tLate\tL\t\t\t"]), line: 17),
        Malformed(name: "missing E (truncated)", text: text(Array(sample.dropLast())), line: 16),
    ]

    @Test("Malformed text throws with its line number", arguments: malformed)
    func malformedThrows(_ example: Malformed) {
        do throws(ActionCatalog.LoadError) {
            _ = try ActionCatalog(tsv: example.text)
            Issue.record("parsed without error")
        } catch {
            #expect(error.line == example.line, "\(error)")
            #expect(error.description.hasPrefix("action catalogue line \(example.line): "))
        }
    }

    @Test("A truncated copy of the shipped catalogue is rejected")
    func truncatedShippedCatalogue() throws {
        let url = ActionCatalogTestPaths.resourceFile
        let full = try String(contentsOf: url, encoding: .utf8)
        let truncated = String(full.prefix(full.utf8.count / 2))
        let cut = truncated[..<(truncated.lastIndex(of: "\n") ?? truncated.startIndex)]
        let error = #expect(throws: ActionCatalog.LoadError.self) { _ = try ActionCatalog(tsv: String(cut) + "\n") }
        #expect(error?.description.contains("truncated") == true)
    }

    @Test("Reading a missing file is an `unreadable` error")
    func missingFile() {
        let url = URL(fileURLWithPath: "/nonexistent/action-catalog.tsv")
        let error = #expect(throws: ActionCatalog.LoadError.self) { _ = try ActionCatalog(contentsOf: url) }
        guard case .unreadable(let path, _)? = error else {
            Issue.record("expected an unreadable error, got \(String(describing: error))")
            return
        }
        #expect(path == url.path)
        #expect(error?.line == nil)
    }

    @Test("The shipped catalogue loads, once, without error")
    func bundledLoads() throws {
        let loaded = try ActionCatalog.load()
        #expect(loaded === ActionCatalog.bundled)
        #expect(try ActionCatalog.load() === loaded)
        #expect(ActionCatalog.bundled.loadError == nil)
        #expect(ActionCatalog.bundled.actionCount == 20_455)
    }
}

/// Paths in the package's source tree, found from this file's location.
enum ActionCatalogTestPaths {
    /// The package root (three levels above Tests/PolicyLanguageTests/Catalog/).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let resourceFile = packageRoot.appendingPathComponent("Sources/PolicyLanguage/Catalog/Resources/action-catalog.tsv")
    static let generator = packageRoot.appendingPathComponent("scripts/generate-action-catalog.py")
    static let input = packageRoot.appendingPathComponent("../shared/corpus/actions/iam-definition.json").standardizedFileURL
}
