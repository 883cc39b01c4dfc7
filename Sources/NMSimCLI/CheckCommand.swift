import Foundation
import NMSimModel
import NMSimReport

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
        let files = try GoldenCheck.files(paths)
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
                for d in error.diagnostics { c.err("nmsim: \(d.naming(\.named))\n") }
            }
        }
        c.out("\(passed) passed, \(failed) failed\n")
        return unreadable ? InputError.Kind.data.exitStatus : (failed > 0 ? 1 : 0)
    }
}
