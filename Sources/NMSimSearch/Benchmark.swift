import Foundation
import NMSimModel

/// `nmsim bench`'s measurements: the median of `repeats` timed runs of the whole network
/// (identical shapes simulated once, one thread), of every layer instance simulated on its own,
/// and, for built-in models on specs with sparse patterns, of the whole search at 1.8x.
package struct Benchmark: Sendable {
    /// Seconds, medians.
    package var networkSeconds: Double
    package var everyInstanceSeconds: Double
    /// Events of one run of every layer instance.
    package var events: Int
    /// The dense network's cycles.
    package var denseCycles: Int64
    /// The whole search's median, and the last run's parts in milliseconds; nil when not timed.
    package var search: (seconds: Double, tableMS: Double, dpMS: Double, evolutionaryMS: Double)?

    /// Times `workload` on `spec`, `repeats` times each.
    package init(spec: HardwareSpec, workload w: Workload, repeats: Int) throws(InputError) {
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
        networkSeconds = try median { () throws(InputError) in report = try sim.run(w, patterns: dense, parallel: false) }
        denseCycles = report!.totalCycles
        // Every layer instance simulated on its own (no reuse of identical shapes).
        let layerSim = LayerSimulator(spec: spec)
        var events = 0
        everyInstanceSeconds = try median { () throws(InputError) in
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
        self.events = events
        search = nil
        if w.model != nil, !spec.supportedPatterns.isEmpty {
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
            search = (whole, steps.table, steps.dp, steps.evo)
        }
    }
}
