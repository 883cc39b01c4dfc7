import Foundation
import NMSimModel

/// Where a command writes: standard output and error, injectable for tests.
public struct Console: Sendable {
    public var out: @Sendable (String) -> Void
    public var err: @Sendable (String) -> Void

    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
        self.out = out
        self.err = err
    }

    public static let standard = Console(
        out: { s in FileHandle.standardOutput.write(Data(s.utf8)) },
        err: { s in FileHandle.standardError.write(Data(s.utf8)) })
}

/// Output files, written whole or not at all.
enum OutputFile {
    /// The file a destination really names: symbolic links are followed, so a link is written
    /// through rather than replaced.
    static func target(_ path: String) -> URL { URL(fileURLWithPath: path).resolvingSymlinksInPath() }

    /// Checks that every destination can be written, before any is, so that a run with several
    /// outputs does not leave some behind when another cannot be written.
    static func precheck(_ destinations: [(path: String, flag: String)]) throws(InputError) {
        var seen: [String: String] = [:]
        for (path, flag) in destinations {
            if path.hasSuffix("/") { throw InputError(.cannotCreate, source: flag, "cannot write \(path): it names a directory") }
            let url = target(path)
            if let other = seen[url.path] { throw InputError(.usage, source: flag, "writes \(path), which \(other) writes too") }
            seen[url.path] = flag
            let dir = url.deletingLastPathComponent()
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
                throw InputError(.cannotCreate, source: flag, "cannot write \(path): directory \(dir.path) does not exist")
            }
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue {
                throw InputError(.cannotCreate, source: flag, "cannot write \(path): it is a directory")
            }
            guard FileManager.default.isWritableFile(atPath: dir.path) else {
                throw InputError(.cannotCreate, source: flag, "cannot write \(path): directory \(dir.path) is not writable")
            }
        }
    }

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

    /// Writes a file whole or not at all: the text goes to a temporary file beside the target,
    /// which takes the target's permissions and is then renamed over it (an atomic replace on
    /// POSIX file systems).
    static func write(_ text: String, to path: String, flag: String = "--output") throws(InputError) {
        try precheck([(path, flag)])
        let url = target(path)
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try Data(text.utf8).write(to: tmp)
            if let mode = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.posixPermissions] {
                try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: tmp.path)
            }
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw InputError(.cannotCreate, source: flag, "cannot write \(path): \(error.localizedDescription)")
        }
        if rename(tmp.path, url.path) != 0 {
            let why = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw InputError(.cannotCreate, source: flag, "cannot write \(path): \(why)")
        }
    }
}
