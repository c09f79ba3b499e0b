/// A number as IAM's Numeric operators read it: an optionally signed integer or decimal
/// (`42`, `-7`, `3.25`). Kept exact as a scaled integer so comparisons never round.
public struct PolicyNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value times 10^`PolicyNumber.scaleDigits`.
    public var scaled: Int128

    /// Digits kept after the decimal point; more are rejected rather than rounded.
    public static let scaleDigits = 9

    public init(scaled: Int128) {
        self.scaled = scaled
    }

    /// Reads a numeric value; `nil` when malformed, or too large or too precise to represent exactly.
    public init?(_ text: String) {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let first = bytes.first, first == 43 || first == 45 {
            negative = first == 45
            bytes = bytes.dropFirst()
        }
        let integerPart = bytes.prefix { $0 >= 48 && $0 <= 57 }
        var rest = bytes.dropFirst(integerPart.count)
        var fraction: ArraySlice<UInt8> = []
        if rest.first == 46 {
            rest = rest.dropFirst()
            fraction = rest.prefix { $0 >= 48 && $0 <= 57 }
            rest = rest.dropFirst(fraction.count)
            guard !fraction.isEmpty else { return nil }
        }
        guard !integerPart.isEmpty, rest.isEmpty, integerPart.count <= 25, fraction.count <= Self.scaleDigits
        else { return nil }
        var value: Int128 = 0
        for digit in integerPart { value = value * 10 + Int128(digit - 48) }
        let fractionDigits = Array(fraction)
        for index in 0..<Self.scaleDigits {
            value = value * 10 + (index < fractionDigits.count ? Int128(fractionDigits[index] - 48) : 0)
        }
        scaled = negative ? -value : value
    }

    public static func < (lhs: PolicyNumber, rhs: PolicyNumber) -> Bool { lhs.scaled < rhs.scaled }

    public var description: String {
        let unit = Int128(1_000_000_000)
        let whole = scaled / unit
        let fraction = (scaled < 0 ? -scaled : scaled) % unit
        var text = (scaled < 0 && whole == 0 ? "-" : "") + String(whole)
        if fraction != 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: Self.scaleDigits - digits.count) + digits
            while digits.last == "0" { digits.removeLast() }
            text += "." + digits
        }
        return text
    }
}
