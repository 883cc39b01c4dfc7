import Foundation
import NMSimModel

/// Options shared by commands that take a spec and a workload.
enum CommonOptions {
    static let spec = OptionSpec(
        name: "--spec", value: "FILE|PRESET", help: "Hardware spec: a preset name, a spec .json, or a SCALE-Sim .cfg (default \(Presets.defaultName)).")
    static let workload = OptionSpec(
        name: "--workload", value: "FILE|NAME", help: "Workload: a built-in model (deit-b, swin-t, ...), a workload .json, or a SCALE-Sim topology .csv.")
    static let image = OptionSpec(name: "--image", value: "PIXELS", help: "Input image side for built-in models (default 224).")
    static let batch = OptionSpec(name: "--batch", value: "N", help: "Images per run for built-in models (default 1).")
    static let sparsify = OptionSpec(
        name: "--sparsify", value: "KINDS",
        help:
            "Built-in models: which weight layers may be sparse, comma-separated from \(VisionTransformer.sparsifiableKinds.joined(separator: ",")) (default qkv,proj,fc1,fc2)."
    )
    static let pattern = OptionSpec(name: "--pattern", value: "N:M", help: "Apply one N:M pattern to every sparsifiable layer.")
    static let assignment = OptionSpec(
        name: "--assignment", value: "FILE|NAME", help: "Per-layer patterns: an assignment .json, an ELSA .yaml, or a built-in ELSA configuration name.")
    static let output = OptionSpec(name: "--output", value: "FILE", help: "Write the report to FILE (whole or not at all) instead of stdout.")
    static let serial = OptionSpec(name: "--serial", value: nil, help: "Simulate on one thread (results are identical either way).")
    static let plot = OptionSpec(name: "--plot", value: "FILE.svg", help: "Also draw a figure as SVG to FILE.svg (see --plot-kind).")
    static func plotKind(_ kinds: [String]) -> OptionSpec {
        OptionSpec(name: "--plot-kind", value: kinds.joined(separator: "|"), help: "Figure drawn by --plot (default \(kinds[0])).")
    }

    /// The figure kind asked for (the first of `kinds` by default); --plot-kind needs --plot.
    static func plotKind(_ a: ParsedArguments, _ kinds: [String]) throws(InputError) -> String {
        if a.value("--plot-kind") != nil, a.value("--plot") == nil { throw InputError(.usage, source: "--plot-kind", "needs --plot FILE.svg") }
        return try a.choice("--plot-kind", kinds) ?? kinds[0]
    }

    static func workload(_ a: ParsedArguments) throws(InputError) -> Workload {
        guard let w = a.value("--workload") else { throw InputError(.usage, source: "--workload", "is required") }
        let image = try a.int("--image", in: 1...8192)
        let batch = try a.int("--batch", in: 1...4096) ?? 1
        return try InputLoader.workload(w, image: image, batch: batch, sparsify: sparsifyKinds(a))
    }

    /// The layer kinds of `--sparsify`, if given.
    static func sparsifyKinds(_ a: ParsedArguments) throws(InputError) -> Set<String>? {
        guard let s = a.value("--sparsify") else { return nil }
        let kinds = s.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        for k in kinds where !VisionTransformer.sparsifiableKinds.contains(k) {
            throw InputError(
                .usage, source: "--sparsify",
                "unknown layer kind \"\(k)\"; expected a comma-separated list of \(VisionTransformer.sparsifiableKinds.joined(separator: ", "))")
        }
        return Set(kinds)
    }

    static func assignment(_ a: ParsedArguments, _ w: Workload) throws(InputError) -> PatternAssignment {
        if a.value("--pattern") != nil, a.value("--assignment") != nil {
            throw InputError(.usage, source: "--pattern", "cannot be combined with --assignment")
        }
        if let p = a.value("--pattern") {
            switch NMPattern.parse(p) {
            case .success(let v): return PatternAssignment(uniform: v, source: "--pattern")
            case .failure(let e): throw InputError(.usage, source: "--pattern", e.description)
            }
        }
        if let f = a.value("--assignment") {
            if let builtin = ELSAConfigurations.named(f) { return try builtin.assignment(for: w) }
            return try AssignmentFile.load(f, for: w)
        }
        return .none
    }
}

enum SimulateCommand {
    static let spec = CommandSpec(
        name: "simulate", summary: "Simulate a workload on a hardware spec and report cycles, stalls, traffic and energy.",
        usage:
            "nmsim simulate [--spec FILE|PRESET] --workload FILE|NAME [--image PIXELS] [--batch N] [--sparsify KINDS] [--pattern N:M | --assignment FILE|NAME] [--format table|csv|json|scalesim] [--output FILE] [--trace FILE] [--plot FILE.svg [--plot-kind KIND]] [--scalesim-outdir DIR] [--serial]",
        options: [
            CommonOptions.spec, CommonOptions.workload, CommonOptions.image, CommonOptions.batch, CommonOptions.sparsify, CommonOptions.pattern,
            CommonOptions.assignment,
            OptionSpec(
                name: "--format", value: "table|csv|json|scalesim", help: "Report format (default table); scalesim: SCALE-Sim's COMPUTE_REPORT.csv layout."),
            CommonOptions.output,
            OptionSpec(name: "--trace", value: "FILE", help: "Also write the event trace (Docs/Regression.md) to FILE."),
            CommonOptions.plot, CommonOptions.plotKind(Figures.reportKinds),
            OptionSpec(
                name: "--scalesim-outdir", value: "DIR", help: "Also write SCALE-Sim's report files to DIR/<run_name>/ (Docs/SCALESim.md).",
                aliases: ["-p"]),
            CommonOptions.serial,
        ])

    static func run(_ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        let format = try a.choice("--format", ["table", "csv", "json", "scalesim"]) ?? "table"
        let plotKind = try CommonOptions.plotKind(a, Figures.reportKinds)
        let loaded = try InputLoader.spec(a.value("--spec"))
        let workload = try CommonOptions.workload(a)
        let patterns = try CommonOptions.assignment(a, workload).resolve(workload, on: loaded.spec)
        let report = try NetworkSimulator(spec: loaded.spec).run(workload, patterns: patterns, parallel: !a.has("--serial"))
        CLI.warn(loaded.warnings + workload.warnings, c)
        let text: String
        switch format {
        case "csv": text = ReportFormatter.csv(report)
        case "json": text = JSONWriter.write(ReportFormatter.json(report))
        case "scalesim": text = SCALESimReportWriter.compute(report, spec: loaded.spec)
        default: text = ReportFormatter.table(report)
        }
        let destinations = [("--output", a.value("--output") ?? "-"), ("--trace", a.value("--trace")), ("--plot", a.value("--plot"))].compactMap { f, p in
            p.map { ($0, f) }
        }
        try OutputFile.precheck(destinations)
        // SCALE-Sim's report files: every destination is checked before any file is written.
        var outdir: [(text: String, path: String)] = []
        if let dir = a.value("--scalesim-outdir") {
            let files = try SCALESimOutput.files(spec: loaded.spec, workload: workload, patterns: patterns, report: report)
            let folder = (dir as NSString).appendingPathComponent(files.runName)
            try OutputFile.makeDirectory(folder, flag: "--scalesim-outdir")
            outdir = files.files.map { ($0.text, (folder as NSString).appendingPathComponent($0.name)) }
            try OutputFile.precheck(destinations + outdir.map { ($0.path, "--scalesim-outdir") })
            for n in files.notes { c.err("nmsim: --scalesim-outdir: \(n)\n") }
        }
        for f in outdir { try OutputFile.write(f.text, to: f.path, flag: "--scalesim-outdir", console: c) }
        if let f = a.value("--plot") {
            try OutputFile.write(Figures.report(report, kind: plotKind, bytesPerCycle: loaded.spec.dram.bytesPerCycle), to: f, flag: "--plot", console: c)
        }
        if let t = a.value("--trace") {
            try OutputFile.stream(to: t, flag: "--trace", console: c) { (sink: OutputSink) throws(InputError) in
                try Trace.record(spec: loaded.spec, workload: workload, patterns: patterns) { (s: String) throws(InputError) in try sink.write(s) }
            }
        }
        try CLI.emit(text, a, c)
        return 0
    }
}
