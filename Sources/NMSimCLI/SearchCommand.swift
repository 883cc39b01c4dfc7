import Foundation
import NMSimModel
import NMSimSearch

enum SearchCommand {
    static let spec = CommandSpec(
        name: "search", summary: "Choose an N:M level per layer for the least accuracy cost under a budget, on simulated latency.",
        usage: "nmsim search [--spec FILE|PRESET] --workload FILE|NAME [--image PIXELS] [--batch N] [--sparsify KINDS] (--speedup X | --latency T | --flops-window A B | --memory SIZE | --energy UJ) [--sensitivity FILE | --weights FILE [--activations FILE]] [--optimizer dp|evolutionary|both] [--pareto] [--seed N] [--format table|json] [--output FILE] [--export-elsa FILE] [--export-assignment FILE] [--plot FILE.svg [--plot-kind KIND] [--plot-x METRIC] [--plot-y METRIC]] [--serial]",
        options: [CommonOptions.spec, CommonOptions.workload, CommonOptions.image, CommonOptions.batch, CommonOptions.sparsify,
                  OptionSpec(name: "--speedup", value: "X", help: "Budget: at least X times faster than dense on this spec."),
                  OptionSpec(name: "--latency", value: "T", help: "Budget: at most T cycles, or with a unit: 12.5ms, 900us."),
                  OptionSpec(name: "--flops-window", value: "A B", help: "ELSA's constraint: performed GMACs between A and B.", arity: 2),
                  OptionSpec(name: "--memory", value: "SIZE", help: "Budget: weight storage with metadata at most SIZE (bytes, or 40MiB, 1.5GiB)."),
                  OptionSpec(name: "--energy", value: "UJ", help: "Budget: energy of the run at most UJ microjoules."),
                  OptionSpec(name: "--sensitivity", value: "FILE", help: "Accuracy cost per (layer, pattern): CSV layer,pattern,cost|accuracy or JSON."),
                  OptionSpec(name: "--weights", value: "FILE", help: "Score layers from a .safetensors checkpoint (or a folder of .npy files)."),
                  OptionSpec(name: "--activations", value: "FILE", help: "With --weights: recorded layer inputs (<layer>.input tensors) whose column energies weigh the weights (Wanda's |W|·‖X‖)."),
                  OptionSpec(name: "--optimizer", value: "dp|evolutionary|both", help: "Optimiser (default both: the exact DP answers, the evolutionary runs beside it)."),
                  OptionSpec(name: "--pareto", value: nil, help: "Also report the Pareto front of cost against latency over all budgets."),
                  OptionSpec(name: "--seed", value: "N", help: "Seed of the evolutionary search (default 0)."),
                  OptionSpec(name: "--format", value: "table|json", help: "Report format (default table)."),
                  CommonOptions.output,
                  OptionSpec(name: "--export-elsa", value: "FILE", help: "Write the chosen configuration as an ELSA configuration file (the released files' structure)."),
                  OptionSpec(name: "--export-assignment", value: "FILE", help: "Write the chosen configuration as an assignment JSON."),
                  OptionSpec(name: "--plot", value: "FILE.svg", help: "Also draw a figure as SVG to FILE.svg: the Pareto scatter (default), or the chosen configuration's nm-map, cycles, energy or roofline."),
                  CommonOptions.plotKind(SearchSession.plotKinds),
                  OptionSpec(name: "--plot-x", value: SearchSession.plotMetrics.joined(separator: "|"), help: "Pareto scatter x axis (default latency)."),
                  OptionSpec(name: "--plot-y", value: SearchSession.plotMetrics.joined(separator: "|"), help: "Pareto scatter y axis (default cost)."),
                  CommonOptions.serial])

    static func run(_ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        let format = try a.choice("--format", ["table", "json"]) ?? "table"
        let optimizer = try a.choice("--optimizer", ["dp", "evolutionary", "both"]) ?? "both"
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
        let costs: CostTable
        if a.value("--activations") != nil, a.value("--weights") == nil {
            throw InputError(.usage, source: "--activations", "needs --weights")
        }
        if a.value("--sensitivity") != nil, a.value("--weights") != nil {
            throw InputError(.usage, source: "--sensitivity", "cannot be combined with --weights")
        }
        if let f = a.value("--sensitivity") {
            costs = try Sensitivity.costs(Sensitivity.load(f), for: table, kind: "imported sensitivity (\(f))")
        } else if let f = a.value("--weights") {
            costs = try WeightProxy.costs(path: f, table: table, activations: a.value("--activations"))
        } else {
            costs = Sensitivity.prior(for: table)
        }
        let problem = SearchProblem(table: table, costs: costs, constraint: constraint)
        let session = try SearchSession.run(problem, spec: spec, optimizer: optimizer, seed: seed, pareto: a.has("--pareto"),
                                            parallel: !a.has("--serial"))
        CLI.warn(loaded.warnings, c)
        let text = format == "json" ? JSONWriter.write(session.json()) : session.table()
        // Every destination is checked before any is written.
        try OutputFile.precheck([("--output", a.value("--output")), ("--export-elsa", a.value("--export-elsa")),
                                 ("--export-assignment", a.value("--export-assignment")), ("--plot", a.value("--plot"))].compactMap { f, p in p.map { ($0, f) } })
        if let f = a.value("--plot") {
            try OutputFile.write(session.figure(kind: plotKind, x: plotX, y: plotY, bytesPerCycle: spec.dram.bytesPerCycle), to: f, flag: "--plot")
        }
        let elsa = a.value("--export-elsa") != nil
            ? try AssignmentFile.elsaText(patterns: session.patternsByName, workload: workload) : nil
        if let f = a.value("--export-elsa"), let elsa {
            try OutputFile.write(elsa, to: f, flag: "--export-elsa")
        }
        if let f = a.value("--export-assignment") {
            let list = table.layerNames.map { ($0, session.patternsByName[$0]!) }
            try OutputFile.write(AssignmentFile.jsonText(list), to: f, flag: "--export-assignment")
        }
        try CLI.emit(text, a, c)
        return 0
    }

    static func parseConstraint(_ a: ParsedArguments, table: LatencyTable, spec: HardwareSpec) throws(InputError) -> SearchConstraint {
        let given = ["--speedup", "--latency", "--flops-window", "--memory", "--energy"].filter { a.value($0) != nil }
        guard given.count == 1 else {
            throw InputError(.usage, source: given.count > 1 ? given[1] : "search",
                             given.isEmpty ? "needs one budget: --speedup, --latency, --flops-window, --memory or --energy"
                                           : "only one budget may be given (also got \(given[0]))")
        }
        switch given[0] {
        case "--speedup":
            let x = try a.double("--speedup", min: 0)!
            guard x >= 0.001, x <= 1e6 else { throw InputError(.usage, source: "--speedup", "must be between 0.001 and 1000000 (got \(JSONWriter.format(x)))") }
            return .latency(maxCycles: Int64((Double(table.denseCycles) / x).rounded(.down)))
        case "--latency":
            let v = a.value("--latency")!
            guard let cycles = Units.cycles(v, clockGHz: spec.clockGHz) else {
                throw InputError(.usage, source: "--latency", "expected cycles or a time such as 12.5ms or 900us, found \"\(v)\"")
            }
            return .latency(maxCycles: cycles)
        case "--flops-window":
            let v = a.values["--flops-window"]!
            guard v.count == 2, let lo = Double(v[0]), let hi = Double(v[1]), lo >= 0, hi >= lo, hi <= 1e9 else {
                throw InputError(.usage, source: "--flops-window", "expected two numbers A <= B in GMACs, found \"\(v.joined(separator: " "))\"")
            }
            return .macsWindow(min: Int64((lo * 1e9).rounded(.up)), max: Int64((hi * 1e9).rounded(.down)))
        case "--memory":
            let v = a.value("--memory")!
            guard let b = Units.bytes(v) else { throw InputError(.usage, source: "--memory", "expected bytes or a size such as 40MiB, found \"\(v)\"") }
            return .memory(maxBytes: b)
        default:
            let uj = try a.double("--energy", min: 0)!
            guard uj <= 1e9 else { throw InputError(.usage, source: "--energy", "must be at most 1000000000 uJ (got \(JSONWriter.format(uj)))") }
            return .energy(maxPJ: uj * 1e6)
        }
    }
}

/// Parses quantities with units.
enum Units {
    static func split(_ s: String) -> (Double, String)? {
        let t = s.trimmingCharacters(in: .whitespaces)
        guard let i = t.firstIndex(where: { !("0"..."9").contains($0) && $0 != "." && $0 != "e" && $0 != "E" && $0 != "+" && $0 != "-" }) else {
            return Double(t).map { ($0, "") }
        }
        guard let v = Double(t[..<i]) else { return nil }
        return (v, t[i...].lowercased().trimmingCharacters(in: .whitespaces))
    }

    static func cycles(_ s: String, clockGHz: Double) -> Int64? {
        guard let (v, unit) = split(s), v > 0, v.isFinite else { return nil }
        let scale: Double
        switch unit {
        case "", "cycles", "cycle": scale = 1
        case "s": scale = clockGHz * 1e9
        case "ms": scale = clockGHz * 1e6
        case "us": scale = clockGHz * 1e3
        case "ns": scale = clockGHz
        default: return nil
        }
        let c = v * scale
        return c < 9e18 ? Int64(c.rounded(.down)) : nil
    }

    static func bytes(_ s: String) -> Int64? {
        guard let (v, unit) = split(s), v > 0, v.isFinite else { return nil }
        let scale: Double
        switch unit {
        case "", "b": scale = 1
        case "kib", "k": scale = 1024
        case "mib", "m": scale = 1_048_576
        case "gib", "g": scale = 1_073_741_824
        case "kb": scale = 1e3
        case "mb": scale = 1e6
        case "gb": scale = 1e9
        default: return nil
        }
        let b = v * scale
        return b < 9e18 ? Int64(b.rounded(.down)) : nil
    }
}
