import Testing
@testable import PolicyLanguage

@Suite("Condition value formats")
struct ValueParsingTests {
    @Test(arguments: [
        ("10.0.0.0/8", true, 8), ("192.0.2.1", true, 32), ("2001:db8::/32", true, 32), ("::1", true, 128),
        ("::ffff:192.0.2.1/128", true, 128), ("10.0.0.0/33", false, 0), ("256.1.1.1", false, 0), ("1.2.3", false, 0),
        ("2001:db8:::1", false, 0), ("", false, 0), ("10.0.0.0/", false, 0),
    ])
    func ipRanges(_ text: String, _ valid: Bool, _ prefix: Int) {
        let range = IPAddressRange(text)
        #expect((range != nil) == valid)
        if valid { #expect(range?.prefixLength == prefix) }
    }

    @Test func ipContainmentAndPrivacy() throws {
        let block = try #require(IPAddressRange("203.0.113.7/24"))
        #expect(block.address == [203, 0, 113, 0])
        #expect(block.contains([203, 0, 113, 200]))
        #expect(!block.contains([203, 0, 114, 1]))
        #expect(IPAddressRange("10.1.0.0/16")?.isRFC1918Private == true)
        #expect(IPAddressRange("172.32.0.0/16")?.isRFC1918Private == false)
        #expect(IPAddressRange("0.0.0.0/0")?.isRFC1918Private == false)
    }

    @Test(arguments: [
        ("2020-01-01", Int64(1_577_836_800)), ("2020-01-01T00:00:00Z", 1_577_836_800), ("2020-01-01T01:00:00+01:00", 1_577_836_800),
        ("2020-02-29T12:30:15.5Z", 1_582_979_415), ("1577836800", 1_577_836_800),
    ])
    func dates(_ text: String, _ epoch: Int64) {
        #expect(PolicyDate(text)?.epochSeconds == epoch)
    }

    @Test(arguments: ["2019-02-29", "2020-13-01", "yesterday", "2020-01-01T25:00:00Z", "2020-01-01T00:00:00Q", ""])
    func invalidDates(_ text: String) {
        #expect(PolicyDate(text) == nil)
    }

    @Test func numbersAreExact() {
        #expect(PolicyNumber("10")! > PolicyNumber("9.999999999")!)
        #expect(PolicyNumber("-1.5")!.description == "-1.5")
        #expect(PolicyNumber("0.1")! == PolicyNumber("0.10")!)
        for bad in ["", "1.", ".5", "1e3", "abc", "1.2.3", "--1"] { #expect(PolicyNumber(bad) == nil, "\(bad)") }
    }

    @Test func arnFields() throws {
        let fields = try #require(ARNFields("arn:aws:s3:::bucket/a:b/c"))
        #expect(fields.service == "s3")
        #expect(fields.account == "")
        #expect(fields.resource == "bucket/a:b/c")
        #expect(ARNFields("arn:aws:s3") == nil)
        #expect(ARNFields("s3:::bucket") == nil)
    }
}
