import Foundation

/// One line of a text input: its 1-based number and its text without the line end.
package struct TextLine: Sendable, Equatable {
    package var number: Int
    package var text: String
}

/// The reading primitive of every line-based format (SCALE-Sim `.cfg` and topology CSV,
/// `COMPUTE_REPORT.csv`, sensitivity CSV, ELSA YAML, traces).
///
/// A file is read 64 KiB at a time and only lines that are not blank are kept, so memory is
/// bounded by the useful content, not by the file's size: a file of blank lines costs nothing.
/// Lines end at LF, CRLF or CR. A line longer than ``maxLineBytes`` is an error (no format
/// here has lines nearly that long), as is a line that is not UTF-8.
package enum TextLines {
    package static let maxLineBytes = 1 << 20
    static let chunkBytes = 1 << 16

    /// The non-blank lines of the file at `path`.
    package static func useful(file path: String) throws(InputError) -> [TextLine] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw InputError(.noInput, source: path, "no such file")
        }
        if isDir.boolValue { throw InputError(.noInput, source: path, "is a directory, not a file") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw InputError(.noInput, source: path, "cannot be read") }
        defer { try? handle.close() }
        var scanner = Scanner(source: path)
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: chunkBytes) ?? Data() } catch {
                throw InputError(.noInput, source: path, "cannot be read: \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            try scanner.feed(chunk)
        }
        return try scanner.finish()
    }

    /// The non-blank lines of `text`.
    package static func useful(_ text: String, source: String) throws(InputError) -> [TextLine] {
        var scanner = Scanner(source: source)
        try scanner.feed(text.utf8)
        return try scanner.finish()
    }

    /// Splits bytes into lines across chunk boundaries.
    struct Scanner {
        let source: String
        var lines: [TextLine] = []
        var current: [UInt8] = []
        var blank = true
        var number = 1
        var afterCR = false

        init(source: String) { self.source = source }

        mutating func feed<Bytes: Sequence<UInt8>>(_ bytes: Bytes) throws(InputError) {
            for b in bytes {
                if afterCR {
                    afterCR = false
                    if b == 0x0A { continue }  // the LF of a CRLF
                }
                switch b {
                case 0x0A, 0x0D:
                    try endLine()
                    afterCR = b == 0x0D
                case 0x20, 0x09, 0x0B, 0x0C:
                    current.append(b)
                default:
                    blank = false
                    current.append(b)
                }
                if current.count > TextLines.maxLineBytes {
                    throw InputError(
                        .data, source: source, location: "line \(number)", "is longer than \(TextLines.maxLineBytes) bytes (not a text file of this kind?)")
                }
            }
        }

        mutating func endLine() throws(InputError) {
            if !blank {
                guard let text = String(validating: current, as: UTF8.self) else {
                    throw InputError(.data, source: source, location: "line \(number)", "is not UTF-8 text")
                }
                lines.append(TextLine(number: number, text: text))
            }
            current.removeAll(keepingCapacity: true)
            blank = true
            number += 1
        }

        mutating func finish() throws(InputError) -> [TextLine] {
            if !current.isEmpty { try endLine() }
            return lines
        }
    }
}
