import Foundation
import NMSimModel
import NMSimReport
import NMSimSearch

enum BenchCommand {
    static let spec = CommandSpec(
        name: "bench", summary: "Measure speed: simulator events per second, whole-network simulation time, and the whole search.",
        usage: "nmsim bench [--spec FILE|PRESET] [--workload FILE|NAME] [--repeat N]",
        options: [
            CommonOptions.spec,
            OptionSpec(name: "--workload", value: "FILE|NAME", help: "Workload to time (default deit-b)."),
            OptionSpec(name: "--repeat", value: "N", help: "Timed repetitions; the median is reported (default 5)."),
        ],
        details:
            "The search timing (latency table, exact DP and evolutionary search, uses every core) is reported for built-in models on specs with sparse patterns, under a budget of 1.8x over dense."
    )

    static func run(_ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        let spec = try InputLoader.spec(a.value("--spec")).spec
        let w = try InputLoader.workload(a.value("--workload") ?? "deit-b")
        let repeats = try a.int("--repeat", in: 1...1000) ?? 5
        let dense = w.layers.map { _ in NMPattern.dense }
        let sim = NetworkSimulator(spec: spec)
        func median(_ f: () throws(InputError) -> Void) throws(InputError) -> Double {
            var times: [Double] = []
            for _ in 0..<repeats {
                let t0 = DispatchTime.now().uptimeNanoseconds
                try f()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            return times.sorted()[times.count / 2]
        }
        var report: NetworkReport?
        let network = try median { () throws(InputError) in report = try sim.run(w, patterns: dense, parallel: false) }
        // Every layer instance simulated on its own (no reuse of identical shapes).
        let layerSim = LayerSimulator(spec: spec)
        var events = 0
        let raw = try median { () throws(InputError) in
            events = 0
            for l in w.layers {
                guard let s = l.shape else { continue }
                for _ in 0..<l.count {
                    do { events += try layerSim.simulate(s, pattern: .dense).events } catch {
                        throw InputError(.data, source: w.name, location: l.name, "simulation failed: \(error)")
                    }
                }
            }
        }
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        #if os(Linux)
            let rssMB = Double(usage.ru_maxrss) / 1024  // KiB on Linux
        #else
            let rssMB = Double(usage.ru_maxrss) / 1_048_576  // bytes on macOS
        #endif
        var out = "nmsim bench: \(w.name) on \(spec.name) (\(spec.rows)x\(spec.columns) \(spec.dataflow.shortName)), median of \(repeats)\n"
        out += String(format: "whole network, identical shapes simulated once: %.2f ms\n", network * 1000)
        out += String(
            format: "every layer instance simulated:                 %.2f ms, %d events, %.2f M events/s\n", raw * 1000, events, Double(events) / raw / 1e6)
        out += String(format: "peak resident memory:                           %.1f MB\n", rssMB)
        out += "simulated cycles (dense): \(report!.totalCycles)\n"
        if VisionTransformer.named(w.name) != nil, !spec.supportedPatterns.isEmpty {
            var steps = (table: 0.0, dp: 0.0, evo: 0.0)
            let whole = try median { () throws(InputError) in
                let t0 = DispatchTime.now().uptimeNanoseconds
                let table = try LatencyTable(spec: spec, workload: w)
                let t1 = DispatchTime.now().uptimeNanoseconds
                let problem = SearchProblem(
                    table: table, costs: Sensitivity.prior(for: table),
                    constraint: .latency(maxCycles: Int64(Double(table.denseCycles) / 1.8)))
                _ = ParetoDP().solve(problem)
                let t2 = DispatchTime.now().uptimeNanoseconds
                _ = EvolutionarySearch(seed: 0).solve(problem)
                let t3 = DispatchTime.now().uptimeNanoseconds
                steps = (Double(t1 - t0) / 1e6, Double(t2 - t1) / 1e6, Double(t3 - t2) / 1e6)
            }
            out += String(
                format: "search at 1.8x (table + DP + evolutionary):     %.2f ms (last run: table %.2f, DP %.2f, evolutionary %.2f ms)\n",
                whole * 1000, steps.table, steps.dp, steps.evo)
        }
        c.out(out)
        return 0
    }
}
