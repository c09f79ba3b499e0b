extension ConditionKeyInfo {
    /// Matching of templated key names (`aws:ResourceTag/${TagKey}`, `s3:ExistingObjectTag/<key>`) against
    /// concrete keys (`aws:ResourceTag/team`). A template part stands for one or more characters, and the
    /// comparison ignores ASCII case, as IAM does for key names.
    enum Template {
        /// A glob for `name` with every template part replaced by `?*`, ASCII-lowercased; `nil` when the
        /// name has no template part.
        static func glob(for name: String) -> [UInt8]? {
            let bytes = Array(name.utf8)
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count)
            var sawTemplate = false
            var i = 0
            while i < bytes.count {
                let closing: UInt8? =
                    if bytes[i] == UInt8(ascii: "$"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "{") {
                        UInt8(ascii: "}")
                    } else if bytes[i] == UInt8(ascii: "<") {
                        UInt8(ascii: ">")
                    } else {
                        nil
                    }
                if let closing, let end = bytes[i...].firstIndex(of: closing) {
                    result.append(Wildcard.questionMark)
                    result.append(Wildcard.asterisk)
                    sawTemplate = true
                    i = end + 1
                } else {
                    result.append(Wildcard.asciiLowercase(bytes[i]))
                    i += 1
                }
            }
            return sawTemplate ? result : nil
        }

        /// Whether the concrete `key` is an instance of `template`, or equal to it ignoring ASCII case.
        static func matches(template: String, key: String) -> Bool {
            guard let glob = glob(for: template) else {
                return template.utf8.count == key.utf8.count
                    && zip(template.utf8, key.utf8).allSatisfy {
                        Wildcard.asciiLowercase($0) == Wildcard.asciiLowercase($1)
                    }
            }
            return glob.withUnsafeBufferPointer { pattern in
                var key = key
                return key.withUTF8 { Wildcard.matches(pattern: pattern, text: $0, caseInsensitive: true) }
            }
        }
    }
}
