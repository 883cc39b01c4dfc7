import Foundation
import NMSimModel
import NMSimReport

enum RecordCommand {
    static let spec = CommandSpec(
        name: "record", summary: "Record a golden: the run's spec, workload and patterns with its cycles per layer (and optionally a trace).",
        usage:
            "nmsim record --golden FILE [--spec FILE|PRESET] --workload FILE|NAME [--image PIXELS] [--batch N] [--sparsify KINDS] [--pattern N:M | --assignment FILE|NAME] [--trace]",
        options: [
            OptionSpec(name: "--golden", value: "FILE", help: "The golden JSON to write (whole or not at all)."),
            CommonOptions.spec, CommonOptions.workload, CommonOptions.image, CommonOptions.batch, CommonOptions.sparsify,
            CommonOptions.pattern, CommonOptions.assignment,
            OptionSpec(
                name: "--trace", value: nil, help: "Also write the event trace beside it (BASE.HASH.trace, HASH from its content) and compare it on check."),
        ])

    static func run(_ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        guard let path = a.value("--golden") else { throw InputError(.usage, source: "--golden", "is required") }
        guard let workloadArg = a.value("--workload") else { throw InputError(.usage, source: "--workload", "is required") }
        if OutputFile.isStandardOutput(path) { throw InputError(.usage, source: "--golden", "a golden is a file beside its inputs; give a file name") }
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        let specArg = a.value("--spec") ?? Presets.defaultName
        let w = try CommonOptions.workload(a)
        CLI.warn(w.warnings, c)
        let assignment = try CommonOptions.assignment(a, w)
        let (golden, trace) = try GoldenCheck.record(
            specArg: relative(specArg, to: dir), workloadArg: relative(workloadArg, to: dir), image: try a.int("--image", in: 1...8192),
            batch: try a.int("--batch", in: 1...4096),
            sparsify: try CommonOptions.sparsifyList(a),
            pattern: a.value("--pattern"), assignment: a.value("--assignment").map { relative($0, to: dir) },
            assignmentValue: assignment, traceFile: a.has("--trace") ? "" : nil, version: CLI.version, resolveFrom: dir)
        let traceName = try writePair(golden, to: path, trace: trace, console: c)
        c.out("recorded \(path): \(golden.layers.count) layers, \(golden.totalCycles) cycles\(traceName.map { ", trace \($0)" } ?? "")\n")
        return 0
    }

    /// Writes a golden and its trace so that the pair on disk is always consistent: the trace's
    /// name carries its content hash, so writing it never changes the trace the current golden
    /// names; the golden is renamed last, and only then is the trace it replaced removed.
    /// Interrupted at any point, the golden on disk names a complete trace that matches it.
    /// `afterTrace` runs between the two writes (tests interrupt there).
    /// Returns the trace's file name.
    @discardableResult
    static func writePair(
        _ golden: Golden, to path: String, trace: String?, console: Console,
        afterTrace: () throws(InputError) -> Void = {}
    ) throws(InputError) -> String? {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        var base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        if base.hasSuffix(".golden") { base.removeLast(".golden".count) }
        var golden = golden
        golden.trace = trace.map { Trace.fileName(base: base, content: $0) }
        let tracePath = golden.trace.map { dir.appendingPathComponent($0).path }
        try OutputFile.precheck([(path, "--golden")] + (tracePath.map { [($0, "--trace")] } ?? []))
        let replaced = (try? Golden.decode(InputLoader.read(path), source: path))?.trace
        if let trace, let tracePath { try OutputFile.write(trace, to: tracePath, flag: "--trace", console: console) }
        try afterTrace()
        try OutputFile.write(golden.json(), to: path, flag: "--golden", console: console)
        // The trace the replaced golden named (never another golden's, never outside its folder).
        if let replaced, replaced != golden.trace, !replaced.contains("/"), replaced.hasPrefix(base + "."), replaced.hasSuffix(".trace") {
            unlink(dir.appendingPathComponent(replaced).path)
        }
        return golden.trace
    }

    /// A file argument as a path relative to `dir`, so the golden can move with its inputs;
    /// preset and model names are kept as they are.
    static func relative(_ arg: String, to dir: URL) -> String {
        guard FileManager.default.fileExists(atPath: arg) else { return arg }
        let target = URL(fileURLWithPath: arg).standardizedFileURL.pathComponents
        let base = dir.standardizedFileURL.pathComponents
        var i = 0
        while i < min(target.count, base.count), target[i] == base[i] { i += 1 }
        return (Array(repeating: "..", count: base.count - i) + target[i...]).joined(separator: "/")
    }
}
