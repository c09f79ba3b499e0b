#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The entry point from a file (or its bytes) to a located `SourceNode` tree, in JSON or YAML.
///
/// Guarantees: never traps and never throws, whatever the input (truncated or binary files, huge
/// strings, deep nesting, hostile YAML); every failure is a `SourceError` located at `file:line:column`.
/// Files are read only after `fstat` shows they fit in `ReadLimits.maxFileBytes`, and never past
/// that limit even when they grow or lie about their size (pipes, `/dev/zero`).
public enum SourceReader {
    /// Reads and parses the file at `path`. `displayName` names the file in spans (default: `path`).
    /// The format comes from the extension (`.json`; `.yaml`/`.yml`), else from the content.
    public static func read(contentsOf path: String, displayName: String? = nil, limits: ReadLimits = .default) -> Result<SourceNode, SourceError> {
        let file = displayName ?? path
        switch readFile(path, file: file, limits: limits) {
        case .success(let bytes):
            return read(bytes: bytes, file: file, format: SourceFormat.detect(path: path, bytes: bytes), limits: limits)
        case .failure(let error):
            return .failure(error)
        }
    }

    /// The bytes of the file at `path`, with the same limits and errors as `read(contentsOf:)`: for
    /// callers that need the bytes too (content hashes), then parse them with `read(bytes:)`.
    public static func readBytes(contentsOf path: String, displayName: String? = nil, limits: ReadLimits = .default) -> Result<[UInt8], SourceError> {
        readFile(path, file: displayName ?? path, limits: limits)
    }

    /// Parses bytes held in memory; `format` `nil` means sniffing the content (see `SourceFormat.sniff`).
    public static func read(bytes: [UInt8], file: String, format: SourceFormat? = nil, limits: ReadLimits = .default) -> Result<SourceNode, SourceError> {
        if bytes.count > limits.maxFileBytes {
            return .failure(tooLarge(bytes.count, file: file, limits: limits))
        }
        switch format ?? SourceFormat.sniff(bytes) {
        case .json: return JSONReader.read(bytes, file: file, limits: limits)
        case .yaml: return YAMLReader.read(bytes, file: file, limits: limits)
        }
    }

    static func tooLarge(_ size: Int, file: String, limits: ReadLimits) -> SourceError {
        SourceError(.limitExceeded, "the file is \(size) bytes long, more than the limit of \(limits.maxFileBytes) bytes", at: .startOfFile(file))
    }

    // MARK: - Files

    /// The bytes of a regular file, pipe or character device, at most `maxFileBytes` of them.
    static func readFile(_ path: String, file: String, limits: ReadLimits) -> Result<[UInt8], SourceError> {
        func unreadable(_ reason: String) -> SourceError {
            SourceError(.unreadable, "cannot read \(path): \(reason)", at: .startOfFile(file))
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(unreadable(errorText())) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(unreadable(errorText())) }
        let type = status.st_mode & S_IFMT
        if type == S_IFDIR { return .failure(unreadable("it is a directory")) }
        guard type == S_IFREG || type == S_IFIFO || type == S_IFCHR else {
            return .failure(unreadable("it is not a regular file"))
        }
        if type == S_IFREG, Int(status.st_size) > limits.maxFileBytes {
            return .failure(tooLarge(Int(status.st_size), file: file, limits: limits))
        }
        // Read up to one byte more than allowed, to notice a file that grew or a device without end.
        let capacity = limits.maxFileBytes + 1
        var bytes = [UInt8](repeating: 0, count: type == S_IFREG ? min(Int(status.st_size) + 1, capacity) : min(64 * 1024, capacity))
        var count = 0
        while true {
            if count == bytes.count {
                if bytes.count >= capacity { break }
                bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, capacity - bytes.count)))
            }
            let read = bytes.withUnsafeMutableBytes { buffer in
                systemRead(descriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if read < 0 {
                if errno == EINTR { continue }
                return .failure(unreadable(errorText()))
            }
            if read == 0 { break }
            count += read
        }
        if count > limits.maxFileBytes {
            return .failure(SourceError(.limitExceeded, "the file is more than the limit of \(limits.maxFileBytes) bytes long", at: .startOfFile(file)))
        }
        bytes.removeSubrange(count...)
        return .success(bytes)
    }

    private static func errorText() -> String {
        String(cString: strerror(errno))
    }
}

/// The C library's `read(2)`, which `SourceReader.read` would otherwise shadow.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
