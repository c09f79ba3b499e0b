import Foundation

/// Lines of the files that findings point into, read once per file, for showing the source under a
/// diagnostic.
struct SourceLines {
    private var cache: [String: [Substring]] = [:]

    /// The 1-based `line` of `file`, or `nil` when the file or line is not there.
    mutating func line(_ line: Int, of file: String) -> Substring? {
        if cache[file] == nil {
            guard let data = FileManager.default.contents(atPath: file), data.count <= 16 * 1024 * 1024 else {
                cache[file] = []
                return nil
            }
            let text = String(decoding: data, as: UTF8.self)
            cache[file] = text.split(separator: "\n", omittingEmptySubsequences: false).map {
                $0.last == "\r" ? $0.dropLast() : $0
            }
        }
        guard let lines = cache[file], line >= 1, line <= lines.count else { return nil }
        return lines[line - 1]
    }
}
