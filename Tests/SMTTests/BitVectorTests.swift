import SMT
import Testing

@Suite("Bit-vectors")
struct BitVectorTests {
    struct CIDRCase: Sendable, CustomStringConvertible {
        var network: UInt64
        var mask: UInt64
        var excluded: UInt64
        var description: String { "net \(network) mask \(mask) excluding \(excluded)" }
    }

    @Test("an IPv4 value inside a CIDR block but not a given address", arguments: [
        CIDRCase(network: 0x0A00_0100, mask: 0xFFFF_FF00, excluded: 0x0A00_0105),
        CIDRCase(network: 0xC0A8_0000, mask: 0xFFFF_0000, excluded: 0xC0A8_0000),
        CIDRCase(network: 0x0A00_0002, mask: 0xFFFF_FFFE, excluded: 0x0A00_0002),
    ])
    func cidr(_ cidr: CIDRCase) throws {
        let context = try SMTContext()
        let ip = try context.bitVectorConstant("ip", width: 32)
        let solver = try Solver(context: context)
        try solver.add(ip.bvAnd(context.bitVector(cidr.mask, width: 32)).eq(context.bitVector(cidr.network, width: 32)))
        try solver.add(ip.neq(context.bitVector(cidr.excluded, width: 32)))
        let model = try #require(try solver.check().model)
        let value = try #require(try model.bitVectorUInt64(ip))
        #expect(value & cidr.mask == cidr.network)
        #expect(value != cidr.excluded)
        #expect(try model.bitVector(ip) == [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])

        // The highest address of the block is the only one above its predecessor.
        let top = cidr.network | (~cidr.mask & 0xFFFF_FFFF)
        try solver.add(ip.bvUGT(context.bitVector(top - 1, width: 32)))
        #expect(try solver.check().model?.bitVectorUInt64(ip) == top)
        try solver.add(ip.bvULT(context.bitVector(top, width: 32)))
        #expect(try solver.check().isUnsat)
    }

    @Test("128-bit values round-trip exactly", arguments: [
        [0x20, 0x01, 0x0D, 0xB8, 0x85, 0xA3, 0x00, 0x00, 0x00, 0x00, 0x8A, 0x2E, 0x03, 0x70, 0x73, 0x34] as [UInt8],
        [UInt8](repeating: 0xFF, count: 16),
        [UInt8](repeating: 0, count: 15) + [1],
        [0x80] + [UInt8](repeating: 0, count: 15),
    ])
    func wideRoundTrip(bytes: [UInt8]) throws {
        let context = try SMTContext()
        let v = try context.bitVectorConstant("v", width: 128)
        let model = try #require(try check(context, [v.eq(context.bitVector(bytes: bytes, width: 128))]).model)
        #expect(try model.bitVector(v) == bytes)
        let high = try #require(try model.bitVector(v.extract(high: 127, low: 64)))
        #expect(high == Array(bytes.prefix(8)))
        #expect(try model.bitVectorUInt64(v.extract(high: 63, low: 0)) == bytes.suffix(8).reduce(0) { $0 << 8 | UInt64($1) })
    }

    @Test("prefix constraints on a 128-bit address")
    func wideMask() throws {
        let context = try SMTContext()
        let v = try context.bitVectorConstant("v", width: 128)
        let prefix = try context.bitVector(0x2001_0DB8, width: 32)
        let low = try context.bitVector(bytes: [0x01, 0x02], width: 16)
        let model = try #require(try check(context, [
            v.extract(high: 127, low: 96).eq(prefix),
            v.extract(high: 15, low: 0).eq(low),
            v.extract(high: 95, low: 16).eq(context.bitVector(0, width: 80)),
        ]).model)
        #expect(try model.bitVector(v) == [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 10) + [0x01, 0x02])
        #expect(try model.bitVectorUInt64(prefix.bvConcat(low)) == 0x2001_0DB8_0102)
    }

    @Test("odd widths use whole bytes with the high bits clear")
    func oddWidth() throws {
        let context = try SMTContext()
        let v = try context.bitVectorConstant("v", width: 12)
        let model = try #require(try check(context, [v.eq(context.bitVector(0xABC, width: 12))]).model)
        #expect(try model.bitVector(v) == [0x0A, 0xBC])
        #expect(try model.bitVectorUInt64(v.bvNot()) == 0x543)
        #expect(try model.bitVectorUInt64(v.bvOr(context.bitVector(1, width: 12)).bvXor(context.bitVector(0xF00, width: 12))) == 0x5BD)
        #expect(try model.bitVectorUInt64(v.bvAdd(context.bitVector(0x544, width: 12))) == 0)
        #expect(try model.bitVectorUInt64(v.bvSub(context.bitVector(0xABD, width: 12))) == 0xFFF)
    }

    @Test("literals that do not fit are rejected instead of truncated")
    func literalValidation() throws {
        let context = try SMTContext()
        #expect(throws: SMTError.self) { try context.bitVector(256, width: 8) }
        #expect(throws: SMTError.self) { try context.bitVector(bytes: [0x01, 0x00], width: 8) }
        #expect(throws: SMTError.self) { try context.bitVector(bytes: [0x10], width: 4) }
        #expect(throws: SMTError.self) { try context.bitVector(0, width: 0) }
        #expect(throws: SMTError.self) { try context.bitVectorSort(width: -1) }
        #expect(throws: Never.self) { try context.bitVector(bytes: [0x00, 0xFF], width: 8) }
        #expect(throws: Never.self) { try context.bitVector(UInt64.max, width: 64) }
        let v = try context.bitVectorConstant("v", width: 8)
        for (high, low) in [(1, 3), (8, 0), (3, -1)] {
            let error = #expect(throws: SMTError.self) { try v.extract(high: high, low: low) }
            #expect(error?.isInvalidArgument == true)
        }
    }
}
