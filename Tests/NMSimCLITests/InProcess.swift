import Foundation

@testable import NMSimCLI

/// Text appended from any thread.
final class Captured: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    func append(_ s: String) { lock.withLock { text += s } }
    var value: String { lock.withLock { text } }
}

/// Runs a command through the CLI entry point in this process, capturing what it prints.
/// Much faster than spawning the binary; used where many runs are needed. Paths in `args`
/// should be absolute: the working directory is shared by every test.
func runInProcess(_ args: [String]) -> Run {
    let out = Captured(), err = Captured()
    let status = CLI.run(args, console: Console(out: { out.append($0) }, err: { err.append($0) }))
    return Run(status: status, stdout: out.value, stderr: err.value)
}
