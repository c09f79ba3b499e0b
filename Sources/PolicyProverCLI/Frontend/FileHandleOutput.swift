import Foundation

/// Writes to the standard streams without going through `print`'s buffering of stdout.
enum FileHandleOutput {
    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
