import Foundation
import NMSimModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How to reach an external accuracy evaluator: the command, how many requests go out before
/// replies are read, and how long to wait for one batch's replies.
public struct EvaluatorSettings: Equatable, Sendable {
    /// Run with `/bin/sh -c`.
    public var command: String
    public var batch: Int
    /// Seconds.
    public var timeout: Double

    public init(command: String, batch: Int = 1, timeout: Double = 600) {
        self.command = command
        self.batch = batch
        self.timeout = timeout
    }
}

/// An external accuracy evaluator spoken to in JSON Lines: one request per line on its
/// standard input, one reply per line on its standard output.
///
/// Request: `{"id": 7, "assignment": {"blocks.0.attn.qkv": "2:4", ...}}`, every searchable layer
/// by name. Reply: `{"id": 7, "accuracy": 81.23}` (higher is better) or `{"id": 7, "error": "..."}`.
/// Up to `batch` requests are sent before replies are read; replies may come in any order and
/// are matched by id. Results are cached by assignment, so a configuration is evaluated once.
/// The evaluator's standard error passes through to nmsim's.
///
/// A malformed reply, an unknown or repeated id, or an error reply is a data error (65) located
/// by the reply's line; an evaluator that exits before answering, cannot be started or does not
/// answer within `timeout` seconds is a software error (70). The process is ended either way.
package final class EvaluatorClient {
    package let command: String
    package let batch: Int
    package let timeout: Double
    /// Layer names, in the order of a choice's entries, and each layer's option patterns.
    let names: [String]
    let patterns: [[String]]

    private let process: Process?
    private let input: Int32
    private let output: Int32
    private var buffer: [UInt8] = []
    private var nextID = 1
    private var replyLine = 0
    private var cache: [[Int]: Double] = [:]
    private var failed = false

    /// Distinct configurations sent to the evaluator.
    package private(set) var evaluations = 0
    /// Requests answered from the cache instead.
    package private(set) var cacheHits = 0
    /// Request batches sent.
    package private(set) var batches = 0
    /// Wall-clock seconds spent waiting for replies (the evaluator's own time, as nmsim sees it).
    package private(set) var waitSeconds = 0.0

    /// Starts the evaluator `settings` name for the searchable layers of `table`.
    package convenience init(_ settings: EvaluatorSettings, table: LatencyTable) throws(InputError) {
        try self.init(command: settings.command, table: table, batch: settings.batch, timeout: settings.timeout)
    }

    /// Starts `command` through `/bin/sh -c` for the searchable layers of `table`.
    package convenience init(command: String, table: LatencyTable, batch: Int = 1, timeout: Double = 600) throws(InputError) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        let toChild = Pipe(), fromChild = Pipe()
        p.standardInput = toChild
        p.standardOutput = fromChild
        do { try p.run() } catch {
            throw InputError(.software, role: .evaluator, "cannot start /bin/sh -c \(command): \(error.localizedDescription)")
        }
        // nmsim keeps only its own ends, so the evaluator's exit is seen as end of file.
        try? toChild.fileHandleForReading.close()
        try? fromChild.fileHandleForWriting.close()
        self.init(
            command: command, table: table, batch: batch, timeout: timeout, process: p,
            input: toChild.fileHandleForWriting.fileDescriptor, output: fromChild.fileHandleForReading.fileDescriptor,
            keepAlive: [toChild, fromChild])
    }

    /// A client over already open descriptors (for an evaluator that is not a child process).
    package convenience init(command: String, table: LatencyTable, batch: Int, timeout: Double, writeTo input: Int32, readFrom output: Int32) {
        self.init(command: command, table: table, batch: batch, timeout: timeout, process: nil, input: input, output: output, keepAlive: [])
    }

    private let keepAlive: [Pipe]

    private init(command: String, table: LatencyTable, batch: Int, timeout: Double, process: Process?, input: Int32, output: Int32, keepAlive: [Pipe]) {
        precondition(batch >= 1 && timeout > 0, "batch \(batch) and timeout \(timeout) must be positive")
        // A write to an evaluator that has exited must fail with EPIPE, not end nmsim.
        signal(SIGPIPE, SIG_IGN)
        self.command = command
        self.batch = batch
        self.timeout = timeout
        self.process = process
        self.input = input
        self.output = output
        self.keepAlive = keepAlive
        _ = fcntl(input, F_SETFL, fcntl(input, F_GETFL) | O_NONBLOCK)
        names = table.layerNames
        patterns = table.options.map { $0.map { $0.pattern.description } }
    }

    deinit { close() }

    /// Every configuration evaluated so far with its accuracy, in a fixed order.
    package var evaluated: [(choice: [Int], accuracy: Double)] {
        cache.map { ($0.key, $0.value) }.sorted { $0.choice.lexicographicallyPrecedes($1.choice) }
    }

    /// Closes the evaluator's input (its signal to finish) and waits briefly for it to exit;
    /// one that does not is ended.
    package func close() {
        guard let process, process.isRunning else { return }
        try? keepAlive.first?.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(failed ? 0 : 2)
        while process.isRunning && Date() < deadline { usleep(2000) }
        if process.isRunning { process.terminate(); process.waitUntilExit() }
    }

    /// The request line for a choice (option index per layer).
    package func request(id: Int, _ choice: [Int]) -> String {
        var s = "{\"id\": \(id), \"assignment\": {"
        for (j, o) in choice.enumerated() {
            if j > 0 { s += ", " }
            s += JSONWriter.write(.string(names[j]), pretty: false) + ": \"" + patterns[j][o] + "\""
        }
        return s + "}}\n"
    }

    /// Accuracy of each choice, from the cache or the evaluator, in the order given.
    package func accuracies(_ choices: [[Int]]) throws(InputError) -> [Double] {
        var todo: [[Int]] = []
        var queued = Set<[Int]>()
        for c in choices where cache[c] == nil && !queued.contains(c) {
            todo.append(c)
            queued.insert(c)
        }
        cacheHits += choices.count - todo.count
        var start = 0
        while start < todo.count {
            let chunk = Array(todo[start..<min(start + batch, todo.count)])
            try send(chunk)
            start += chunk.count
        }
        return choices.map { cache[$0]! }
    }

    private func fail(_ kind: InputError.Kind, location: String = "", _ message: String) -> InputError {
        failed = true
        close()
        return InputError(kind, source: "evaluator", location: location, message)
    }

    private func send(_ chunk: [[Int]]) throws(InputError) {
        guard !failed else { throw InputError(.software, source: "evaluator", "has already failed") }
        var pending: [Int: [Int]] = [:]
        var text = ""
        for c in chunk {
            pending[nextID] = c
            text += request(id: nextID, c)
            nextID += 1
        }
        batches += 1
        evaluations += chunk.count
        let began = Date()
        defer { waitSeconds += Date().timeIntervalSince(began) }
        var bytes = Array(text.utf8)[...]
        let deadline = Date().addingTimeInterval(timeout)
        // Requests are written while replies are read, so neither side's pipe can fill up and
        // stall the other.
        while !pending.isEmpty {
            while let line = nextLine() { try take(line, &pending) }
            if pending.isEmpty { break }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 {
                throw fail(
                    .software,
                    "no reply within \(JSONWriter.format(timeout)) s (\(InputRole.evaluatorTimeout.mention)) while waiting for id\(pending.count > 1 ? "s" : "") \(idList(pending.keys))"
                )
            }
            var fds = [pollfd(fd: output, events: Int16(POLLIN), revents: 0), pollfd(fd: input, events: Int16(POLLOUT), revents: 0)]
            let r = poll(&fds, bytes.isEmpty ? 1 : 2, Int32(min(left * 1000 + 1, 60_000)))
            if r < 0 {
                if errno == EINTR { continue }
                throw fail(.software, "cannot talk to the evaluator: \(String(cString: strerror(errno)))")
            }
            if !bytes.isEmpty, fds[1].revents != 0 {
                let n = bytes.withUnsafeBytes { write(input, $0.baseAddress, min($0.count, 4096)) }
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    throw fail(.software, "exited before reading its requests\(exitNote())")
                }
                bytes = bytes.dropFirst(n)
            }
            if fds[0].revents != 0 {
                var buf = [UInt8](repeating: 0, count: 65536)
                let n = buf.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    throw fail(.software, "cannot read its replies: \(String(cString: strerror(errno)))")
                }
                if n == 0 {
                    // End of file: a last line without its newline still counts.
                    if !buffer.isEmpty {
                        let last = String(decoding: buffer, as: UTF8.self)
                        buffer.removeAll()
                        try take(last, &pending)
                        if pending.isEmpty { break }
                    }
                    throw fail(.software, "exited before answering id\(pending.count > 1 ? "s" : "") \(idList(pending.keys))\(exitNote())")
                }
                buffer.append(contentsOf: buf[..<n])
            }
        }
    }

    /// The next complete line read so far, if any.
    private func nextLine() -> String? {
        guard let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        var line = Array(buffer[..<nl])
        buffer.removeFirst(nl + 1)
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return String(decoding: line, as: UTF8.self)
    }

    /// Matches one reply line to its pending request.
    private func take(_ line: String, _ pending: inout [Int: [Int]]) throws(InputError) {
        replyLine += 1
        if line.trimmingCharacters(in: .whitespaces).isEmpty { return }
        let loc = "reply line \(replyLine)"
        let value: JSONValue
        do { value = try JSONParser.parse(line) } catch {
            throw fail(.data, location: loc, "not a JSON reply (\(error.message) at column \(error.column)): \(snippet(line))")
        }
        guard case .integer(let id64)? = value["id"], let id = Int(exactly: id64) else {
            throw fail(.data, location: loc, "expected {\"id\": N, \"accuracy\": X} or {\"id\": N, \"error\": \"...\"}, found \(snippet(line))")
        }
        guard let choice = pending.removeValue(forKey: id) else {
            let waiting = pending.isEmpty ? "" : " (waiting for \(idList(pending.keys)))"
            throw fail(.data, location: loc, "id \(id) was not asked for or was already answered\(waiting)")
        }
        if case .string(let message)? = value["error"] {
            throw fail(.data, location: loc, "the evaluator reports an error for id \(id): \(message)")
        }
        switch value["accuracy"] {
        case .integer(let i)?: cache[choice] = Double(i)
        case .number(let d)? where d.isFinite: cache[choice] = d
        default: throw fail(.data, location: loc, "id \(id): expected a finite number \"accuracy\" or a string \"error\", found \(snippet(line))")
        }
    }

    private func idList<S: Sequence>(_ ids: S) -> String where S.Element == Int {
        let s = ids.sorted()
        return s.prefix(5).map(String.init).joined(separator: ", ") + (s.count > 5 ? " and \(s.count - 5) more" : "")
    }

    private func snippet(_ s: String) -> String { s.count > 80 ? "\"\(s.prefix(80))...\"" : "\"\(s)\"" }

    private func exitNote() -> String {
        guard let process else { return "" }
        let deadline = Date().addingTimeInterval(1)
        while process.isRunning && Date() < deadline { usleep(1000) }
        if process.isRunning { return "" }
        return process.terminationReason == .uncaughtSignal ? " (killed by signal \(process.terminationStatus))" : " (exit status \(process.terminationStatus))"
    }

}
