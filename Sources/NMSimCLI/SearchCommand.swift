import Foundation
import NMSimModel
import NMSimReport
import NMSimSearch

enum SearchCommand {
    static let spec = CommandSpec(
        name: "search", summary: "Choose an N:M level per layer for the least accuracy cost under a budget, on simulated latency.",
        usage:
            "nmsim search [--spec FILE|PRESET] --workload FILE|NAME [--image PIXELS] [--batch N] [--sparsify KINDS] (--speedup X | --latency T | --flops-window A B | --memory SIZE | --energy UJ) [--sensitivity FILE [--missing-cost error|interpolate] | --weights FILE [--activations FILE]] [--evaluator COMMAND [--evaluator-batch N] [--evaluator-timeout S]] [--optimizer dp|evolutionary|both] [--pareto] [--export-front DIR] [--seed N] [--format table|json] [--output FILE] [--export-elsa FILE] [--export-assignment FILE] [--plot FILE.svg [--plot-kind KIND] [--plot-x METRIC] [--plot-y METRIC]] [--serial]",
        options: [
            CommonOptions.spec, CommonOptions.workload, CommonOptions.image, CommonOptions.batch, CommonOptions.sparsify,
            OptionSpec(name: "--speedup", value: "X", help: "Budget: at least X times faster than dense on this spec."),
            OptionSpec(name: "--latency", value: "T", help: "Budget: at most T cycles, or with a unit: 12.5ms, 900us."),
            OptionSpec(name: "--flops-window", value: "A B", help: "ELSA's constraint: performed GMACs between A and B.", arity: 2),
            OptionSpec(name: "--memory", value: "SIZE", help: "Budget: weight storage with metadata at most SIZE (bytes, or 40MiB, 1.5GiB)."),
            OptionSpec(name: "--energy", value: "UJ", help: "Budget: energy of the run at most UJ microjoules."),
            OptionSpec(name: "--sensitivity", value: "FILE", help: "Accuracy cost per (layer, pattern): CSV layer,pattern,cost|accuracy or JSON."),
            OptionSpec(
                name: "--missing-cost", value: "error|interpolate",
                help: "A level the sensitivity file lacks for a layer: an error (default), or interpolated in density from the layer's listed levels."),
            OptionSpec(name: "--weights", value: "FILE", help: "Score layers from a .safetensors checkpoint (or a folder of .npy files)."),
            OptionSpec(
                name: "--activations", value: "FILE",
                help: "With --weights: recorded layer inputs (<layer>.input tensors) whose column energies weigh the weights (Wanda's |W|·‖X‖)."),
            evaluatorOptions[0], evaluatorOptions[1], evaluatorOptions[2],
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
        let loaded = try InputLoader.spec(a.value("--spec"))
        let spec = loaded.spec
        let workload = try CommonOptions.workload(a)
        guard !workload.sparsifiableIndices.isEmpty else {
            throw InputError(.data, source: "--workload", "\(workload.name) has no sparsifiable layers to search")
        }
        let table = try LatencyTable(spec: spec, workload: workload, parallel: !a.has("--serial"))
        let constraint = try parseConstraint(a, table: table, spec: spec)
        if a.value("--activations") != nil, a.value("--weights") == nil {
            throw InputError(.usage, source: "--activations", "needs --weights")
        }
        if a.value("--sensitivity") != nil, a.value("--weights") != nil {
            throw InputError(.usage, source: "--sensitivity", "cannot be combined with --weights")
        }
        let missing = try a.choice("--missing-cost", ["error", "interpolate"]).flatMap(Sensitivity.MissingCost.init(rawValue:))
        if missing != nil, a.value("--sensitivity") == nil { throw InputError(.usage, source: "--missing-cost", "needs --sensitivity") }
        let accuracy: AccuracySource
        if let f = a.value("--sensitivity") {
            accuracy = .table(try Sensitivity.load(f), missing: missing ?? .error)
        } else if let f = a.value("--weights") {
            accuracy = .checkpoint(path: f, activations: a.value("--activations"))
        } else {
            accuracy = .prior
        }
        let costs = try accuracy.costs(for: table)
        let evaluator = try Self.evaluator(a, table)
        defer { evaluator?.close() }
        let problem = SearchProblem(
            table: table, costs: costs, constraint: constraint, dominance: evaluator != nil ? Sensitivity.prior(for: table) : nil)
        let frontDir = a.value("--export-front")
        if let frontDir { try FrontExport.precheck(frontDir) }
        let session = try SearchSession.run(
            problem, spec: spec, optimizer: optimizer.rawValue, seed: seed, pareto: a.has("--pareto") || frontDir != nil,
            evaluator: evaluator, parallel: !a.has("--serial"))
        evaluator?.close()
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
        let elsa =
            a.value("--export-elsa") != nil
            ? try AssignmentFile.elsaText(patterns: session.patternsByName, workload: workload) : nil
        if let f = a.value("--export-elsa"), let elsa {
            try OutputFile.write(elsa, to: f, flag: "--export-elsa", console: c)
        }
        if let f = a.value("--export-assignment") {
            let list = table.layerNames.map { ($0, session.patternsByName[$0]!) }
            try OutputFile.write(AssignmentFile.jsonText(list), to: f, flag: "--export-assignment", console: c)
        }
        if let frontDir { try FrontExport.write(session, to: frontDir, c) }
        try CLI.emit(text, a, c)
        return 0
    }

    static let evaluatorOptions = [
        OptionSpec(
            name: "--evaluator", value: "COMMAND",
            help: "Score whole configurations by COMMAND (run with /bin/sh -c; JSON Lines, see Docs/Search.md): maximise its accuracy."),
        OptionSpec(name: "--evaluator-batch", value: "N", help: "Requests sent before replies are read (default 1)."),
        OptionSpec(name: "--evaluator-timeout", value: "S", help: "Seconds to wait for the evaluator's replies to one batch (default 600)."),
    ]

    /// The evaluator `--evaluator` names, started for `table`'s layers; nil without one.
    static func evaluator(_ a: ParsedArguments, _ table: LatencyTable) throws(InputError) -> EvaluatorClient? {
        guard let command = a.value("--evaluator") else {
            for f in ["--evaluator-batch", "--evaluator-timeout"] where a.value(f) != nil { throw InputError(.usage, source: f, "needs --evaluator") }
            return nil
        }
        return try EvaluatorClient(
            command: command, table: table, batch: try a.int("--evaluator-batch", in: 1...100_000) ?? 1,
            timeout: try a.double("--evaluator-timeout", min: 0) ?? 600)
    }

    static func parseConstraint(_ a: ParsedArguments, table: LatencyTable, spec: HardwareSpec) throws(InputError) -> SearchConstraint {
        try budget(a).constraint(denseCycles: table.denseCycles, spec: spec)
    }

    /// The one budget option given.
    static func budget(_ a: ParsedArguments, command: String = "search") throws(InputError) -> SearchBudget {
        let given = SearchBudget.options.filter { a.value($0) != nil }
        guard given.count == 1 else {
            throw InputError(
                .usage, source: given.count > 1 ? given[1] : command,
                given.isEmpty
                    ? "needs one budget: --speedup, --latency, --flops-window, --memory or --energy"
                    : "only one budget may be given (also got \(given[0]))")
        }
        return try SearchBudget.parse(given[0], a.values[given[0]]!)
    }
}
