import Foundation
import NMSimModel
import NMSimReport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Output files, written whole or not at all.
///
/// - `-`, `/dev/stdout` and `/dev/fd/1` mean standard output.
/// - An existing character device or FIFO (`/dev/null`, a named pipe, `>(…)`) is written
///   directly: it is never replaced by a regular file. Other non-regular files are refused.
/// - A regular file (new, or existing; a symbolic link is written through) is written to a
///   temporary file in the target's directory, created exclusively, never through a link, under
///   an unpredictable name `.NAME.nmsim-tmp-PID-RANDOM`, and then renamed over the target (an
///   atomic replace on POSIX file systems). The temporary is removed on failure, on SIGINT and
///   on SIGTERM; one left by a process that no longer exists (killed with SIGKILL, a power
///   loss) is recognised by its name and removed by the next write to the same target.
enum OutputFile {
    /// Where one destination's bytes go.
    enum Target: Equatable {
        case standardOutput
        /// A character device or FIFO, opened and written as it is.
        case direct(String)
        /// A regular file (existing or not) at this path, links resolved, replaced atomically.
        case replace(String)

        /// Two destinations that are the same place.
        var key: String {
            switch self {
            case .standardOutput: "standard output"
            case .direct(let p), .replace(let p): p
            }
        }
    }

    static func isStandardOutput(_ path: String) -> Bool { ["-", "/dev/stdout", "/dev/fd/1"].contains(path) }

    static func cannot(_ path: String, _ flag: String, _ why: String) -> InputError {
        InputError(.cannotCreate, source: flag, "cannot write \(path): \(why)")
    }

    /// What a destination names, checking that it can be written.
    static func target(_ path: String, flag: String) throws(InputError) -> Target {
        if isStandardOutput(path) { return .standardOutput }
        if path.isEmpty { throw InputError(.usage, source: flag, "expects a file name, found an empty one") }
        if path.hasSuffix("/") { throw cannot(path, flag, "it names a directory") }
        var st = stat()
        if stat(path, &st) == 0 {
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                guard let real = realpath(path, nil) else { throw cannot(path, flag, String(cString: strerror(errno))) }
                defer { free(real) }
                let resolved = String(cString: real)
                try checkDirectory(of: resolved, path, flag)
                return .replace(resolved)
            case S_IFDIR: throw cannot(path, flag, "it is a directory")
            case S_IFCHR, S_IFIFO: return .direct(path)
            default: throw cannot(path, flag, "it is neither a regular file, a character device nor a FIFO")
            }
        }
        // A new file: a dangling link is written through to the file it names.
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        try checkDirectory(of: resolved, path, flag)
        return .replace(resolved)
    }

    private static func checkDirectory(of resolved: String, _ path: String, _ flag: String) throws(InputError) {
        let dir = (resolved as NSString).deletingLastPathComponent
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.isEmpty ? "." : dir, isDirectory: &isDir), isDir.boolValue else {
            throw cannot(path, flag, "directory \(dir) does not exist")
        }
        guard access(dir.isEmpty ? "." : dir, W_OK) == 0 else { throw cannot(path, flag, "directory \(dir) is not writable") }
    }

    /// Checks that every destination can be written, before any is, so that a run with several
    /// outputs does not leave some behind when another cannot be written. Two destinations
    /// naming the same place (standard output included) are a usage error.
    static func precheck(_ destinations: [(path: String, flag: String)]) throws(InputError) {
        var seen: [String: String] = [:]
        for (path, flag) in destinations {
            let key = try target(path, flag: flag).key
            if let other = seen[key] { throw InputError(.usage, source: flag, "writes \(path == "-" ? "standard output" : path), which \(other) writes too") }
            seen[key] = flag
        }
    }

    /// Writes `text` whole or not at all.
    static func write(_ text: String, to path: String, flag: String = "--output", console: Console) throws(InputError) {
        try stream(to: path, flag: flag, console: console) { (sink: OutputSink) throws(InputError) in try sink.write(text) }
    }

    /// Writes what `body` produces, whole or not at all: the target is replaced only when `body`
    /// returns, and an error thrown by `body` leaves it untouched.
    static func stream(
        to path: String, flag: String = "--output", console: Console,
        _ body: (OutputSink) throws(InputError) -> Void
    ) throws(InputError) {
        switch try target(path, flag: flag) {
        case .standardOutput:
            let sink = OutputSink { bytes throws(InputError) in console.out(String(decoding: bytes, as: UTF8.self)) }
            try body(sink)
            try sink.flush()
        case .direct(let device):
            let fd = open(device, O_WRONLY | O_NOCTTY | O_CLOEXEC)
            guard fd >= 0 else { throw cannot(path, flag, String(cString: strerror(errno))) }
            defer { close(fd) }
            let sink = OutputSink { bytes throws(InputError) in try writeAll(fd, bytes, path, flag) }
            try body(sink)
            try sink.flush()
        case .replace(let real):
            try replace(real, path: path, flag: flag, body)
        }
    }

    private static func replace(_ real: String, path: String, flag: String, _ body: (OutputSink) throws(InputError) -> Void) throws(InputError) {
        let dir = (real as NSString).deletingLastPathComponent
        let name = (real as NSString).lastPathComponent
        TemporaryFiles.removeStale(in: dir, for: name)
        var st = stat()
        let existing = stat(real, &st) == 0
        let mode: mode_t = existing ? st.st_mode & 0o7777 : 0o666
        let (fd, tmp) = try TemporaryFiles.create(in: dir, for: name, mode: mode, path: path, flag: flag)
        defer { TemporaryFiles.forget(tmp) }
        var closed = false
        do throws(InputError) {
            // An existing file keeps its permissions exactly; a new one gets 0666 less the umask.
            if existing, fchmod(fd, mode) != 0 { throw cannot(path, flag, String(cString: strerror(errno))) }
            let sink = OutputSink { bytes throws(InputError) in try writeAll(fd, bytes, path, flag) }
            try body(sink)
            try sink.flush()
            closed = true
            if close(fd) != 0 { throw cannot(path, flag, String(cString: strerror(errno))) }
            if rename(tmp, real) != 0 { throw cannot(path, flag, String(cString: strerror(errno))) }
        } catch {
            if !closed { close(fd) }
            unlink(tmp)
            throw error
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, _ path: String, _ flag: String) throws(InputError) {
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw cannot(path, flag, String(cString: strerror(errno)))
            }
            offset += n
        }
    }
}

/// Buffered bytes on their way to an output.
final class OutputSink {
    private var buffer: [UInt8] = []
    private let drain: (UnsafeRawBufferPointer) throws(InputError) -> Void
    static let capacity = 1 << 16

    init(_ drain: @escaping (UnsafeRawBufferPointer) throws(InputError) -> Void) {
        self.drain = drain
        buffer.reserveCapacity(Self.capacity)
    }

    func write(_ s: String) throws(InputError) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= Self.capacity { try flush() }
    }

    func flush() throws(InputError) {
        guard !buffer.isEmpty else { return }
        let pending = buffer
        buffer.removeAll(keepingCapacity: true)
        var failure: InputError?
        pending.withUnsafeBytes { b in
            do throws(InputError) { try drain(b) } catch { failure = error }
        }
        if let failure { throw failure }
    }
}

/// Temporary output files: created safely, removed on SIGINT and SIGTERM, and recognisable by
/// name when a killed process left them behind.
final class TemporaryFiles: @unchecked Sendable {
    static let shared = TemporaryFiles()
    static let marker = ".nmsim-tmp-"
    private let lock = NSLock()
    private var live: Set<String> = []
    private var sources: [DispatchSourceSignal] = []

    /// The name prefix of `name`'s temporaries: `.NAME.nmsim-tmp-` (the name cut so that the
    /// whole stays within the usual 255-byte limit).
    static func prefix(for name: String) -> String {
        var base = name
        while base.utf8.count > 200 { base.removeLast() }
        return "." + base + marker
    }

    /// Creates `.NAME.nmsim-tmp-PID-RANDOM` exclusively (never through a link) in `dir`.
    static func create(in dir: String, for name: String, mode: mode_t, path: String, flag: String) throws(InputError) -> (Int32, String) {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let random = String((0..<12).map { _ in alphabet[Int(rng.next(upperBound: UInt(alphabet.count)))] })
            let tmp = (dir as NSString).appendingPathComponent(prefix(for: name) + "\(getpid())-" + random)
            shared.installSignalHandlers()
            // Created and registered under the lock the signal handler takes, so a signal never
            // finds a temporary that it does not know of.
            let (fd, e) = shared.lock.withLock {
                let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
                let e = errno
                if fd >= 0 { shared.live.insert(tmp) }
                return (fd, e)
            }
            if fd >= 0 { return (fd, tmp) }
            if e != EEXIST { throw OutputFile.cannot(path, flag, String(cString: strerror(e))) }
        }
        throw OutputFile.cannot(path, flag, "no unused temporary name in \(dir)")
    }

    static func forget(_ tmp: String) { shared.lock.withLock { _ = shared.live.remove(tmp) } }

    /// Removes temporaries of `name` in `dir` whose process no longer runs: regular files owned
    /// by this user only.
    static func removeStale(in dir: String, for name: String) {
        let prefix = prefix(for: name)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0, pid != getpid() else { continue }
            guard kill(pid, 0) != 0, errno == ESRCH else { continue }
            let full = (dir as NSString).appendingPathComponent(entry)
            var st = stat()
            guard lstat(full, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_uid == getuid() else { continue }
            unlink(full)
        }
    }

    /// On SIGINT or SIGTERM: removes the live temporaries, then dies of the signal as usual.
    private func installSignalHandlers() {
        lock.withLock {
            guard sources.isEmpty else { return }
            for sig in [SIGINT, SIGTERM] {
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                source.setEventHandler { [self] in
                    let paths = lock.withLock { live }
                    for p in paths { unlink(p) }
                    // Die of the signal (unblocked on this thread, in case the parent blocked
                    // it), so the caller sees the usual status; exit as a shell would otherwise.
                    signal(sig, SIG_DFL)
                    var set = sigset_t()
                    sigemptyset(&set)
                    sigaddset(&set, sig)
                    pthread_sigmask(SIG_UNBLOCK, &set, nil)
                    raise(sig)
                    _exit(128 + sig)
                }
                source.resume()
                sources.append(source)
                signal(sig, SIG_IGN)
            }
        }
    }
}

extension OutputFile {
    /// Creates `path` and its parents as directories (an existing directory is fine).
    static func makeDirectory(_ path: String, flag: String) throws(InputError) {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue { return }
            throw InputError(.cannotCreate, source: flag, "cannot write into \(path): it is a file, not a directory")
        }
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw InputError(.cannotCreate, source: flag, "cannot create directory \(path): \(error.localizedDescription)")
        }
    }
}
