/// A point in time as IAM's Date operators read it: W3C ISO 8601 (`2020-01-01`,
/// `2020-01-01T12:00:00Z`, with optional fractional seconds and a `±hh:mm` offset) or epoch seconds.
public struct PolicyDate: Sendable, Hashable, Comparable {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public var epochSeconds: Int64
    /// Fractional part in nanoseconds, 0..<1_000_000_000.
    public var nanoseconds: Int64

    public init(epochSeconds: Int64, nanoseconds: Int64 = 0) {
        self.epochSeconds = epochSeconds
        self.nanoseconds = nanoseconds
    }

    public static func < (lhs: PolicyDate, rhs: PolicyDate) -> Bool {
        (lhs.epochSeconds, lhs.nanoseconds) < (rhs.epochSeconds, rhs.nanoseconds)
    }

    /// Reads a date value; `nil` when it is neither ISO 8601 nor an integer epoch.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        if !bytes.isEmpty, bytes.count <= 12, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }), let seconds = Int64(text) {
            self.init(epochSeconds: seconds)
            return
        }
        guard let parsed = Self.parseISO8601(bytes) else { return nil }
        self = parsed
    }

    private static func parseISO8601(_ bytes: [UInt8]) -> PolicyDate? {
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + digits)] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += digits
            return value
        }
        func expect(_ character: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2),
            (1...12).contains(month), day >= 1, day <= daysInMonth(year, month)
        else { return nil }
        var seconds = Int64(daysFromCivil(year, month, day)) * 86_400
        var nanos: Int64 = 0
        if index == bytes.count { return PolicyDate(epochSeconds: seconds) }
        guard expect(84) || expect(116), let hour = number(2), expect(58), let minute = number(2),
            hour < 24, minute < 60
        else { return nil }
        seconds += Int64(hour * 3600 + minute * 60)
        if expect(58) {
            guard let second = number(2), second < 61 else { return nil }
            seconds += Int64(second)
            if expect(46) {
                var scale: Int64 = 100_000_000
                var digits = 0
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    nanos += Int64(bytes[index] - 48) * scale
                    scale /= 10
                    index += 1
                    digits += 1
                }
                guard digits > 0 else { return nil }
            }
        }
        if expect(90) || expect(122) {
            // UTC
        } else if index < bytes.count, bytes[index] == 43 || bytes[index] == 45 {
            let sign: Int64 = bytes[index] == 43 ? 1 : -1
            index += 1
            guard let offsetHours = number(2), offsetHours < 24 else { return nil }
            _ = expect(58)
            guard let offsetMinutes = number(2), offsetMinutes < 60 else { return nil }
            seconds -= sign * Int64(offsetHours * 3600 + offsetMinutes * 60)
        } else if index != bytes.count {
            return nil
        }
        guard index == bytes.count else { return nil }
        return PolicyDate(epochSeconds: seconds, nanoseconds: nanos)
    }

    private static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    private static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
