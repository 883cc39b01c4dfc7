import Foundation
import NMSimModel
import NMSimReport
import NMSimSearch

enum SearchCommand {
    static let spec = CommandSpec(
        name: "search", summary: "Choose an N:M level per layer for the least accuracy cost under a budget, on simulated latency.",
        usage:
            "nmsim search [--spec FILE|PRESET] --workload FILE|NAME [--image PIXELS] [--batch N] [--sparsify KINDS] [--mapping search|fixed] [--objective latency|energy|edp] (--speedup X | --latency T | --flops-window A B | --memory SIZE | --energy UJ) [--sensitivity FILE [--missing-cost error|interpolate] | --weights FILE [--activations FILE]] [--evaluator COMMAND [--evaluator-batch N] [--evaluator-timeout S]] [--optimizer dp|evolutionary|both] [--pareto] [--export-front DIR] [--seed N] [--format table|json] [--output FILE] [--export-elsa FILE] [--export-assignment FILE] [--plot FILE.svg [--plot-kind KIND] [--plot-x METRIC] [--plot-y METRIC]] [--serial]",
        options: [
            CommonOptions.spec, CommonOptions.workload, CommonOptions.image, CommonOptions.batch, CommonOptions.sparsify,
            CommonOptions.mapping, CommonOptions.objective,
            OptionSpec(name: "--speedup", value: "X", help: "Budget: at least X times faster than dense on this spec."),
            OptionSpec(name: "--latency", value: "T", help: "Budget: at most T cycles, or with a unit: 12.5ms, 900us."),
            OptionSpec(name: "--flops-window", value: "A B", help: "ELSA's constraint: performed GMACs between A and B.", arity: 2),
            OptionSpec(name: "--memory", value: "SIZE", help: "Budget: weight storage with metadata at most SIZE (bytes, or 40MiB, 1.5GiB)."),
            OptionSpec(name: "--energy", value: "UJ", help: "Budget: energy of the run at most UJ microjoules."),
            SearchOptions.accuracy[0], SearchOptions.accuracy[1], SearchOptions.accuracy[2], SearchOptions.accuracy[3],
            SearchOptions.evaluator[0], SearchOptions.evaluator[1], SearchOptions.evaluator[2],
            OptionSpec(
                name: "--optimizer", value: "dp|evolutionary|both",
                help:
                    "Optimiser (default both: the exact DP answers, the evolutionary runs beside it; with --evaluator the evolutionary search is seeded with the DP's answers)."
            ),
            OptionSpec(
                name: "--pareto", value: nil,
                help: "Also report the Pareto front of cost (or accuracy) against the budget's resource, every point with its assignment."),
            OptionSpec(name: "--export-front", value: "DIR", help: "Write one ELSA configuration and one assignment JSON per Pareto point into DIR."),
            OptionSpec(name: "--seed", value: "N", help: "Seed of the evolutionary search (default 0)."),
            OptionSpec(name: "--format", value: "table|json", help: "Report format (default table)."),
            CommonOptions.output,
            OptionSpec(
                name: "--export-elsa", value: "FILE", help: "Write the chosen configuration as an ELSA configuration file (the released files' structure)."),
            OptionSpec(name: "--export-assignment", value: "FILE", help: "Write the chosen configuration as an assignment JSON."),
            OptionSpec(
                name: "--plot", value: "FILE.svg",
                help: "Also draw a figure as SVG to FILE.svg: the Pareto scatter (default), or the chosen configuration's nm-map, cycles, energy or roofline."),
            CommonOptions.plotKind(SearchSession.plotKinds),
            OptionSpec(name: "--plot-x", value: SearchSession.plotMetrics.joined(separator: "|"), help: "Pareto scatter x axis (default latency)."),
            OptionSpec(name: "--plot-y", value: SearchSession.plotMetrics.joined(separator: "|"), help: "Pareto scatter y axis (default cost)."),
            CommonOptions.serial,
        ])

    static func run(_ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        let format = try a.choice("--format", ["table", "json"]) ?? "table"
        let optimizer = try a.choice("--optimizer", Optimizer.allCases.map(\.rawValue)).flatMap(Optimizer.init(rawValue:)) ?? .both
        let plotKind = try CommonOptions.plotKind(a, SearchSession.plotKinds)
        for f in ["--plot-x", "--plot-y"] where a.value(f) != nil && a.value("--plot") == nil {
            throw InputError(.usage, source: f, "needs --plot FILE.svg")
        }
        let plotX = try a.choice("--plot-x", SearchSession.plotMetrics) ?? "latency"
        let plotY = try a.choice("--plot-y", SearchSession.plotMetrics) ?? "cost"
        let seed = UInt64(try a.int("--seed", in: 0...Int.max) ?? 0)
        let loaded = try CommonOptions.spec(a)
        let spec = loaded.spec
        let workload = try CommonOptions.workload(a)
        guard !workload.sparsifiableIndices.isEmpty else {
            throw InputError(.data, source: "--workload", "\(workload.name) has no sparsifiable layers to search")
        }
        let frontDir = a.value("--export-front")
        let request = SearchRequest(
            workload: workload, budget: try SearchOptions.budget(a), accuracy: try SearchOptions.accuracy(a), optimizer: optimizer, seed: seed,
            pareto: a.has("--pareto") || frontDir != nil, evaluator: try SearchOptions.evaluator(a), parallel: !a.has("--serial"))
        if let frontDir { try FrontExport.precheck(frontDir) }
        let session = try SearchSession.run(request, on: spec)
        CLI.warn(loaded.warnings + workload.warnings, c)
        let text = format == "json" ? JSONWriter.write(CLI.withProvenance(session.json(), "search", a)) : session.table()
        // Every destination is checked before any is written.
        try OutputFile.precheck(
            [
                ("--output", a.value("--output") ?? "-"), ("--export-elsa", a.value("--export-elsa")),
                ("--export-assignment", a.value("--export-assignment")), ("--plot", a.value("--plot")),
            ].compactMap { f, p in p.map { ($0, f) } })
        if let f = a.value("--plot") {
            try OutputFile.write(session.figure(kind: plotKind, x: plotX, y: plotY, bytesPerCycle: spec.dram.bytesPerCycle), to: f, flag: "--plot", console: c)
        }
        if let f = a.value("--export-elsa") {
            try OutputFile.write(try AssignmentFile.elsaText(patterns: session.patternsByName, workload: workload), to: f, flag: "--export-elsa", console: c)
        }
        if let f = a.value("--export-assignment") {
            let list = session.problem.table.layerNames.map { ($0, session.patternsByName[$0]!) }
            try OutputFile.write(AssignmentFile.jsonText(list), to: f, flag: "--export-assignment", console: c)
        }
        if let frontDir { try FrontExport.write(session, to: frontDir, c) }
        try CLI.emit(text, a, c)
        return 0
    }
}
