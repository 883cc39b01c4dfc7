import Foundation
import NMSimModel
import NMSimReport

enum CompareCommand {
    static let spec = CommandSpec(
        name: "compare",
        summary: "Dense, uniform N:M and given configurations side by side: MACs ratio vs simulated speedup, weights, where the time goes.",
        usage:
            "nmsim compare --workload FILE|NAME [--image PIXELS] [--batch N] [--sparsify KINDS] [--spec FILE|PRESET ... | --all-presets] [--mapping search|fixed] [--objective latency|energy|edp] [--assignment FILE|NAME ...] [--format table|json|markdown] [--output FILE] [--plot FILE.svg [--plot-kind KIND]] [--serial]",
        options: [
            CommonOptions.workload, CommonOptions.image, CommonOptions.batch, CommonOptions.sparsify,
            OptionSpec(
                name: "--spec", value: "FILE|PRESET",
                help: "Hardware spec: a preset name, a spec .json, or a SCALE-Sim .cfg (repeatable: specs side by side; default \(Presets.defaultName)).",
                repeatable: true),
            OptionSpec(name: "--all-presets", value: nil, help: "Compare on every built-in preset (patterns a preset lacks are skipped)."),
            CommonOptions.mapping, CommonOptions.objective,
            OptionSpec(
                name: "--assignment", value: "FILE|NAME", help: "A configuration to add (repeatable). Default: ELSA's releases for the model.", repeatable: true
            ),
            OptionSpec(name: "--format", value: "table|json|markdown", help: "Report format (default table)."),
            CommonOptions.output, CommonOptions.plot, CommonOptions.plotKind(Figures.comparisonKinds), CommonOptions.serial,
        ])

    static func run(_ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        let format = try a.choice("--format", ["table", "json", "markdown"]) ?? "table"
        let plotKind = try CommonOptions.plotKind(a, Figures.comparisonKinds)
        let w = try CommonOptions.workload(a)
        if a.has("--all-presets"), a.value("--spec") != nil {
            throw InputError(.usage, source: "--all-presets", "cannot be combined with --spec")
        }
        var specs: [HardwareSpec] = []
        var warnings: [Diagnostic] = []
        if a.has("--all-presets") {
            for n in Presets.names { specs.append(try InputLoader.spec(n).spec) }
        } else {
            for name in a.values["--spec"] ?? [Presets.defaultName] {
                let l = try InputLoader.spec(name)
                specs.append(l.spec)
                warnings += l.warnings
            }
        }
        for i in specs.indices { try CommonOptions.applyMapping(a, to: &specs[i]) }
        // Named configurations: those given, else (nil) ELSA's releases for this model.
        var named: [ComparisonRequest.Configuration]?
        if let given = a.values["--assignment"] {
            named = []
            for g in given {
                if let e = ELSAConfigurations.named(g) {
                    named?.append((e.name, try e.assignment(for: w)))
                } else {
                    named?.append((URL(fileURLWithPath: g).lastPathComponent, try AssignmentFile.load(g, for: w)))
                }
            }
        }
        let (comparisons, skipped) = try ComparisonRequest(workload: w, specs: specs, configurations: named, parallel: !a.has("--serial")).run()
        CLI.warn(w.warnings + warnings, c)
        let text: String
        switch format {
        case "json":
            text = JSONWriter.write(.array(comparisons.map { CLI.withProvenance($0.json(), "compare", a) }))
        case "markdown":
            text = Comparison.markdown(comparisons, skipped: skipped)
        default:
            text = Comparison.text(comparisons, skipped: skipped, workload: w.name)
        }
        try OutputFile.precheck([("--output", a.value("--output") ?? "-"), ("--plot", a.value("--plot"))].compactMap { f, p in p.map { ($0, f) } })
        if let f = a.value("--plot") { try OutputFile.write(Figures.comparison(comparisons, kind: plotKind), to: f, flag: "--plot", console: c) }
        try CLI.emit(text, a, c)
        return 0
    }
}
