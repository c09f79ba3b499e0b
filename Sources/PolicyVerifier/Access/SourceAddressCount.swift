import PolicyLanguage

/// How many public addresses a statement's `aws:SourceIp` conditions admit: the ranges are sets of
/// integers, so the size of the hole is counted, not guessed.
enum SourceAddressCount {
    /// Closed intervals of addresses, sorted and disjoint.
    typealias Intervals = [ClosedRange<UInt128>]

    /// Ranges that are not public internet addresses (RFC 6890 special-purpose blocks).
    static let nonPublicV4 = ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
                              "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3"]
    /// IPv6 global unicast (2000::/3) without the documentation block.
    static let publicV6 = ["2000::/3"], nonPublicV6 = ["2001:db8::/32"]

    /// `nil` when no clause of `block` reads `aws:SourceIp` with an IP operator.
    static func publicAddresses(admittedBy block: ConditionBlock?) -> AddressCount? {
        let clauses = (block?.clauses ?? []).filter {
            $0.key.value.lowercased() == "aws:sourceip" && $0.conditionOperator?.base.family == .ipAddress
        }
        guard !clauses.isEmpty else { return nil }
        var v4 = everything(width: 32), v6 = everything(width: 128)
        for clause in clauses {
            let ranges = clause.values.compactMap { IPAddressRange($0.text) }
            let negated = clause.conditionOperator!.base.isNegated
            v4 = intersect(v4, admitted(ranges.filter { $0.family == .v4 }, negated: negated, width: 32))
            v6 = intersect(v6, admitted(ranges.filter { $0.family == .v6 }, negated: negated, width: 128))
        }
        v4 = subtract(v4, union(nonPublicV4.compactMap(IPAddressRange.init).map(interval)))
        v6 = subtract(intersect(v6, union(publicV6.compactMap(IPAddressRange.init).map(interval))), union(nonPublicV6.compactMap(IPAddressRange.init).map(interval)))
        return AddressCount(ipv4: UInt64(count(v4)), ipv6: UInt64(clamping: count(v6)))
    }

    private static func admitted(_ ranges: [IPAddressRange], negated: Bool, width: Int) -> Intervals {
        let set = union(ranges.map(interval))
        return negated ? subtract(everything(width: width), set) : set
    }

    static func interval(_ range: IPAddressRange) -> ClosedRange<UInt128> {
        let low = range.address.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
        let hostBits = range.family.bitWidth - range.prefixLength
        let span: UInt128 = hostBits == 128 ? .max : (UInt128(1) << hostBits) - 1
        return low...(low + span)
    }

    static func everything(width: Int) -> Intervals {
        [0...(width == 128 ? .max : (UInt128(1) << width) - 1)]
    }

    static func union(_ intervals: Intervals) -> Intervals {
        var merged: Intervals = []
        for next in intervals.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, last.upperBound == .max || next.lowerBound <= last.upperBound + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, next.upperBound)
            } else {
                merged.append(next)
            }
        }
        return merged
    }

    static func intersect(_ a: Intervals, _ b: Intervals) -> Intervals {
        var result: Intervals = []
        for x in a {
            for y in b where x.overlaps(y) { result.append(max(x.lowerBound, y.lowerBound)...min(x.upperBound, y.upperBound)) }
        }
        return union(result)
    }

    static func subtract(_ a: Intervals, _ b: Intervals) -> Intervals {
        var result = a
        for cut in b {
            result = result.flatMap { piece -> Intervals in
                guard piece.overlaps(cut) else { return [piece] }
                var parts: Intervals = []
                if piece.lowerBound < cut.lowerBound { parts.append(piece.lowerBound...(cut.lowerBound - 1)) }
                if piece.upperBound > cut.upperBound { parts.append((cut.upperBound + 1)...piece.upperBound) }
                return parts
            }
        }
        return result
    }

    /// The number of addresses, saturating at `UInt128.max`.
    static func count(_ intervals: Intervals) -> UInt128 {
        intervals.reduce(UInt128(0)) { total, piece in
            let size = piece.upperBound - piece.lowerBound
            let (sum, overflow) = total.addingReportingOverflow(size)
            if overflow || sum == .max { return .max }
            return sum + 1
        }
    }
}
