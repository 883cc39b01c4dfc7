import Foundation
import NMSimModel

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
            sparsify: a.value("--sparsify").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } },
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

enum CheckCommand {
    static let spec = CommandSpec(
        name: "check", summary: "Re-run goldens and compare cycles (and traces) exactly or within a tolerance.",
        usage: "nmsim check --golden PATH... [--tolerance REL] [--spec CFG --workload CSV]",
        options: [
            OptionSpec(
                name: "--golden", value: "PATH",
                help: "A golden JSON, a SCALE-Sim report (COMPUTE_, BANDWIDTH_, DETAILED_ACCESS_ or SPARSE_REPORT.csv), or a folder of them (repeatable).",
                repeatable: true),
            OptionSpec(name: "--tolerance", value: "REL", help: "Relative difference allowed, e.g. 0.01 for 1% (default 0: exact)."),
            OptionSpec(name: "--spec", value: "CFG", help: "For a SCALE-Sim report: its SCALE-Sim config (default: config.cfg beside it)."),
            OptionSpec(name: "--workload", value: "CSV", help: "For a SCALE-Sim report: its topology (default: topology.csv beside it)."),
        ],
        details: "Prints one line per mismatch and closes with 'N passed, N failed'. Exit status: 0 all passed, 1 a mismatch, 65 a golden that cannot be read.")

    static func run(_ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        guard let paths = a.values["--golden"] else { throw InputError(.usage, source: "--golden", "is required") }
        let tolerance = try a.double("--tolerance", min: 0, exclusive: false) ?? 0
        var files: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else { throw InputError(.noInput, source: p, "no such file or folder") }
            if isDir.boolValue {
                let found = (FileManager.default.enumerator(atPath: p)?.compactMap { $0 as? String } ?? [])
                    .filter { f in f.hasSuffix(".golden.json") || GoldenCheck.scaleSimReportNames.contains { f.hasSuffix($0) } }.sorted()
                if found.isEmpty {
                    throw InputError(
                        .noInput, source: p, "holds no *.golden.json or SCALE-Sim report (\(GoldenCheck.scaleSimReportNames.joined(separator: ", ")))")
                }
                files += found.map { (p.hasSuffix("/") ? p : p + "/") + $0 }
            } else {
                files.append(p)
            }
        }
        var passed = 0, failed = 0, unreadable = false
        var replays: [String: (workload: Workload, files: SCALESimOutput.Files)] = [:]
        for f in files {
            do {
                let mismatches: [GoldenMismatch]
                if f.hasSuffix(".csv") {
                    let dir = URL(fileURLWithPath: f).deletingLastPathComponent()
                    let spec = a.value("--spec") ?? dir.appendingPathComponent("config.cfg").path
                    let topology = a.value("--workload") ?? dir.appendingPathComponent("topology.csv").path
                    // The reports of one run are compared with one replay of it.
                    let key = spec + "\n" + topology
                    if !f.hasSuffix("COMPUTE_REPORT.csv"), replays[key] == nil { replays[key] = try GoldenCheck.scaleSimFiles(spec: spec, topology: topology) }
                    mismatches = try GoldenCheck.checkSCALESimReport(f, spec: spec, topology: topology, tolerance: tolerance, files: replays[key])
                } else {
                    mismatches = try GoldenCheck.check(goldenAt: f, tolerance: tolerance, version: CLI.version)
                }
                if mismatches.isEmpty {
                    passed += 1
                    c.out("ok   \(f)\n")
                } else {
                    failed += 1
                    for m in mismatches { c.out("FAIL \(f): \(m)\n") }
                }
            } catch {
                failed += 1
                unreadable = true
                c.out("FAIL \(f): cannot be checked (see stderr)\n")
                for d in error.diagnostics { c.err("nmsim: \(d)\n") }
            }
        }
        c.out("\(passed) passed, \(failed) failed\n")
        return unreadable ? InputError.Kind.data.rawValue : (failed > 0 ? 1 : 0)
    }
}
