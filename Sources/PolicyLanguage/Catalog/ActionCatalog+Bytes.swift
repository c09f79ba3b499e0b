import Foundation

extension ActionCatalog {
    /// The catalogue bytes and the few operations the parser needs on them. It is trivially copyable, so
    /// calling its methods costs no reference counting, even in debug builds.
    struct Bytes {
        let buffer: UnsafeBufferPointer<UInt8>
        let base: UnsafeRawPointer?

        init(_ buffer: UnsafeBufferPointer<UInt8>) {
            self.buffer = buffer
            base = buffer.baseAddress.map(UnsafeRawPointer.init)
        }

        /// The offset of the first `byte` in `start..<end`, or `nil`.
        func find(_ byte: UInt8, from start: Int, to end: Int) -> Int? {
            guard start < end, let base else { return nil }
            guard let found = memchr(base + start, Int32(byte), end - start) else { return nil }
            return UnsafeRawPointer(found) - base
        }

        /// Byte-wise three-way comparison of two ranges.
        func compare(_ a: Range<Int>, _ b: Range<Int>) -> Int {
            // Lengths by subtraction: `Range.count` is a generic, slow call in debug builds.
            let countA = a.upperBound - a.lowerBound
            let countB = b.upperBound - b.lowerBound
            let common = min(countA, countB)
            if common > 0, let base {
                let order = memcmp(base + a.lowerBound, base + b.lowerBound, common)
                if order != 0 { return Int(order) }
            }
            return countA - countB
        }

        func string(_ range: Range<Int>) -> String {
                let count = range.upperBound - range.lowerBound
            guard let base = buffer.baseAddress, count > 0 else { return "" }
            return String(decoding: UnsafeBufferPointer(start: base + range.lowerBound, count: count), as: UTF8.self)
        }

        /// Whether `name` is one of `names`, which must be sorted in byte order (binary search).
        func sortedNames(_ names: [Range<Int>], contain name: Range<Int>) -> Bool {
            var low = 0
            var high = names.count
            while low < high {
                let middle = (low + high) / 2
                let order = compare(names[middle], name)
                if order == 0 { return true }
                if order < 0 { low = middle + 1 } else { high = middle }
            }
            return false
        }

        /// Whether the comma-separated list in `range` has an empty item.
        func hasEmptyItem(_ range: Range<Int>) -> Bool {
            var start = range.lowerBound
            let end = range.upperBound
            guard start < end else { return false }
            while true {
                let itemEnd = find(0x2C, from: start, to: end) ?? end  // ","
                if itemEnd == start { return true }
                if itemEnd == end { return false }
                start = itemEnd + 1
                if start == end { return true }
            }
        }
    }
}
