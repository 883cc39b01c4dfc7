import Foundation
import NMSimModel
import NMSimReport
import NMSimSearch

enum DemoCommand {
    static let spec = CommandSpec(
        name: "demo",
        summary: "The main job on built-in defaults: search DeiT-B's layer-wise N:M on the default spec and compare with ELSA's release.",
        usage: "nmsim demo [--spec FILE|PRESET] [--workload NAME] [--speedup X] [--evaluator COMMAND [--evaluator-batch N] [--evaluator-timeout S]] [--serial]",
        options: [
            CommonOptions.spec,
            OptionSpec(name: "--workload", value: "NAME", help: "A built-in model (default deit-b)."),
            OptionSpec(
                name: "--speedup", value: "X",
                help:
                    "Latency budget as a speedup over dense (default: the simulated speedup of ELSA's smallest released configuration for the model, else halfway in latency between dense and the fastest configuration)."
            ),
            SearchCommand.evaluatorOptions[0], SearchCommand.evaluatorOptions[1], SearchCommand.evaluatorOptions[2],
            CommonOptions.serial,
        ],
        details:
            "Without sensitivities the search ranks choices by a prior (removed weight energy for Gaussian weights, every layer equally sensitive); it is reported as a prior, never as accuracy. See 'nmsim search --help' for real sensitivities or checkpoints."
    )

    static func run(_ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        let start = Date()
        let loaded = try InputLoader.spec(a.value("--spec"))
        let spec = loaded.spec
        let name = a.value("--workload") ?? "deit-b"
        guard let model = VisionTransformer.named(name) else {
            throw InputError(.usage, source: "--workload", "demo takes a built-in model: \(VisionTransformer.all.map(\.name).joined(separator: ", "))")
        }
        let w = model.workload()
        let parallel = !a.has("--serial")
        let table = try LatencyTable(spec: spec, workload: w, parallel: parallel)
        let costs = Sensitivity.prior(for: table)
        let sim = NetworkSimulator(spec: spec)

        // Reference configurations: uniform levels the spec supports, and ELSA's releases for this model.
        var references: [(label: String, patterns: [NMPattern], released: Bool)] = []
        for p in spec.supportedPatterns.sorted().reversed() where !p.isDense {
            references.append(("uniform \(p)", try PatternAssignment(uniform: p).resolve(w, on: spec), false))
        }
        for e in ELSAConfigurations.released(for: model.name) {
            if let asg = try? e.assignment(for: w), let p = try? asg.resolve(w, on: spec) { references.append((e.name, p, true)) }
        }
        var reports: [(label: String, report: NetworkReport, released: Bool)] = []
        for r in references { reports.append((r.label, try sim.run(w, patterns: r.patterns, parallel: parallel), r.released)) }

        guard table.options.contains(where: { $0.count > 1 }) else {
            throw InputError(
                .usage, source: "--spec", "spec \(spec.name) accelerates no sparse pattern, so there is nothing to search; try \(Presets.defaultName)")
        }
        let speedup: Double
        if let x = try a.double("--speedup", min: 0) {
            guard x >= 0.001, x <= 1e6 else { throw InputError(.usage, source: "--speedup", "must be between 0.001 and 1000000 (got \(JSONWriter.format(x)))") }
            speedup = x
        } else if let elsa = reports.filter(\.released).min(by: { $0.report.macs < $1.report.macs }) {
            speedup = Double(table.denseCycles) / Double(elsa.report.totalCycles)
        } else {
            // Halfway between dense and the fastest configuration the spec allows.
            let fastest = table.cycles(table.options.map { $0.count - 1 })
            speedup = 2 * Double(table.denseCycles) / Double(table.denseCycles + fastest)
        }
        let problem = SearchProblem(
            table: table, costs: costs,
            constraint: .latency(maxCycles: Int64((Double(table.denseCycles) / speedup).rounded(.down))))
        let evaluator = try SearchCommand.evaluator(a, table)
        defer { evaluator?.close() }
        let session = try SearchSession.run(problem, spec: spec, optimizer: "both", seed: 0, pareto: false, evaluator: evaluator, parallel: parallel)
        // With an evaluator, the reference configurations are evaluated too (one batch).
        func choice(_ patterns: [NMPattern]) -> [Int]? {
            var c: [Int] = []
            for (j, i) in table.layerIndices.enumerated() {
                guard let o = table.optionIndex(layer: j, pattern: patterns[i]) else { return nil }
                c.append(o)
            }
            return c
        }
        var accuracy: [String: Double] = [:]
        if let evaluator {
            let known = [("dense", table.options.map { _ in 0 })] + references.compactMap { r in choice(r.patterns).map { (r.label, $0) } }
            for (r, acc) in zip(known, try evaluator.accuracies(known.map(\.1))) { accuracy[r.0] = acc }
            evaluator.close()
        }
        CLI.warn(loaded.warnings, c)

        func choiceCost(_ patterns: [NMPattern]) -> Double? {
            var total = 0.0
            for (j, i) in table.layerIndices.enumerated() {
                guard let o = table.optionIndex(layer: j, pattern: patterns[i]) else { return nil }
                total += costs.costs[j][o]
            }
            return total
        }
        var rows = [
            ["configuration", "GMACs", "MACs ratio", "cycles", "time", "speedup", "of ideal", "weights", "prior cost"] + (evaluator != nil ? ["accuracy"] : [])
        ]
        func row(_ label: String, _ r: NetworkReport, _ cost: Double?, _ acc: Double? = nil) {
            let macsRatio = Double(table.denseMACs) / Double(max(r.macs, 1))
            let s = Double(table.denseCycles) / Double(max(r.totalCycles, 1))
            rows.append(
                [
                    label, String(format: "%.2f", Double(r.macs) / 1e9), String(format: "%.2fx", macsRatio),
                    ReportFormatter.grouped(r.totalCycles), ReportFormatter.formatTime(r.seconds), String(format: "%.2fx", s),
                    ReportFormatter.percent(s / macsRatio), ReportFormatter.formatBytes(r.weightBytes), cost.map { String(format: "%.3f", $0) } ?? "-",
                ] + (evaluator != nil ? [acc.map { String(format: "%.4f", $0) } ?? "-"] : []))
        }
        let dense = try sim.run(w, patterns: w.layers.map { _ in .dense }, parallel: parallel)
        row("dense", dense, 0, accuracy["dense"])
        for r in reports { row(r.label, r.report, choiceCost(references.first { $0.label == r.label }!.patterns), accuracy[r.label]) }
        row("searched (this run)", session.resimulated, session.chosen.cost, session.chosen.accuracy)

        var out = "nmsim demo: \(w.name) (\(w.layers.count) layers, \(table.layerIndices.count) searchable) on \(spec.name)\n\(spec.summary)\n\n"
        if let e = session.evaluator {
            out +=
                "Evaluator: \(e.command): \(e.evaluations) configurations evaluated in \(e.batches) batches, \(e.cacheHits) from the cache, "
                + String(format: "%.3f s waiting for it\n", e.seconds)
        }
        out +=
            (evaluator != nil ? "Search: highest evaluator accuracy" : "Search: least prior cost")
            + " with latency at most \(ReportFormatter.grouped(problem.bounds.max)) cycles "
        out += String(format: "(%.2fx over dense)\n", speedup)
        for r in session.results {
            out +=
                "  \(r.optimizer): " + (r.accuracy.map { String(format: "accuracy %.4f, ", $0) } ?? "")
                + "cost \(String(format: "%.6f", r.cost)), \(r.notes.joined(separator: "; "))\n"
        }
        out +=
            "  predicted \(ReportFormatter.grouped(session.chosen.predictedCycles)) cycles, re-simulated \(ReportFormatter.grouped(session.resimulated.totalCycles)) cycles\n\n"
        out += ReportFormatter.align(rows, rightAligned: Set(1..<rows[0].count)) + "\n\n"
        out += "Chosen configuration:\n" + session.layerGrid() + "\n"
        out += "'of ideal' = simulated speedup / MACs ratio (ELSA's FLOPs model assumes 100%).\n"
        out += "'prior cost' = removed weight energy for Gaussian weights, summed over layers: a prior, not accuracy.\n"
        out += String(
            format: "Done in %.0f ms. Next: nmsim search --workload %@ --speedup 2 --sensitivity FILE | --weights FILE\n",
            Date().timeIntervalSince(start) * 1000, model.name)
        c.out(out)
        return 0
    }
}
