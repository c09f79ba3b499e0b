/// An IPv4 or IPv6 CIDR block as written in `IpAddress` / `NotIpAddress` conditions. A bare address
/// means a /32 (IPv4) or /128 (IPv6) block.
public struct IPAddressRange: Sendable, Hashable, CustomStringConvertible {
    public enum Family: Sendable, Hashable {
        case v4, v6

        /// Address width in bits.
        public var bitWidth: Int { self == .v4 ? 32 : 128 }
    }

    public var family: Family
    /// The network address in network byte order (4 or 16 bytes), host bits cleared.
    public var address: [UInt8]
    public var prefixLength: Int

    /// Reads `10.0.0.0/8`, `192.0.2.1`, `2001:db8::/32`, `::1`; `nil` when malformed.
    /// Host bits set in the address (`10.0.0.1/8`) are accepted and cleared, as IAM does.
    public init?(_ text: String) {
        let pieces = text.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count <= 2, let first = pieces.first else { return nil }
        if let bytes = Self.parseIPv4(first) {
            family = .v4
            address = bytes
        } else if let bytes = Self.parseIPv6(first) {
            family = .v6
            address = bytes
        } else {
            return nil
        }
        if pieces.count == 2 {
            let digits = pieces[1]
            guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy(\.isASCIIDigit), let length = Int(digits),
                length <= family.bitWidth
            else { return nil }
            prefixLength = length
        } else {
            prefixLength = family.bitWidth
        }
        address = Self.masked(address, prefixLength)
    }

    /// Whether `candidate` (an address of the same family) lies inside the block.
    public func contains(_ candidate: [UInt8]) -> Bool {
        candidate.count == address.count && Self.masked(candidate, prefixLength) == address
    }

    /// Whether `other` lies entirely inside this block.
    public func contains(_ other: IPAddressRange) -> Bool {
        other.family == family && other.prefixLength >= prefixLength && contains(other.address)
    }

    /// Whether the block lies entirely inside the RFC 1918 private ranges (IPv4 only).
    public var isRFC1918Private: Bool {
        guard family == .v4 else { return false }
        return Self.rfc1918.contains { $0.contains(self) }
    }

    private static let rfc1918: [IPAddressRange] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].compactMap(IPAddressRange.init)

    public var description: String {
        switch family {
        case .v4: return address.map(String.init).joined(separator: ".") + "/\(prefixLength)"
        case .v6:
            let groups = stride(from: 0, to: 16, by: 2).map { String(UInt16(address[$0]) << 8 | UInt16(address[$0 + 1]), radix: 16) }
            return groups.joined(separator: ":") + "/\(prefixLength)"
        }
    }

    /// Reads a single address (no prefix) into its bytes; `nil` when malformed.
    public static func parseAddress(_ text: String) -> [UInt8]? {
        parseIPv4(Substring(text)) ?? parseIPv6(Substring(text))
    }

    static func masked(_ bytes: [UInt8], _ prefixLength: Int) -> [UInt8] {
        var result = bytes
        for index in result.indices {
            let bitsInByte = max(0, min(8, prefixLength - index * 8))
            result[index] &= bitsInByte == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bitsInByte))
        }
        return result
    }

    static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCIIDigit), let value = Int(part), value <= 255
            else { return nil }
            bytes.append(UInt8(value))
        }
        return bytes
    }

    static func parseIPv6(_ text: Substring) -> [UInt8]? {
        guard text.contains(":") else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            if part.isEmpty { return [] }
            var bytes: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains(".") {
                    guard let v4 = parseIPv4(piece) else { return nil }
                    bytes += v4
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            return bytes
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count < 16 else { return nil }
        return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension StringProtocol {
    func components(separatedBy separator: String) -> [String] {
        var result: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            result.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        result.append(String(rest))
        return result
    }
}
