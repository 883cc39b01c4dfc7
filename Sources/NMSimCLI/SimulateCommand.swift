import Foundation
import NMSimModel
import NMSimReport

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
        case "json": text = JSONWriter.write(CLI.withProvenance(ReportFormatter.json(report), "simulate", a))
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
