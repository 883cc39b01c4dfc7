import Foundation
import NMSimModel
import NMSimSearch

/// The text `nmsim bench` prints.
package enum BenchReport {
    /// `peakMB`: the process's peak resident memory in MB.
    package static func text(_ bench: Benchmark, spec: HardwareSpec, workload: String, repeats: Int, peakMB: Double) -> String {
        var out = "nmsim bench: \(workload) on \(spec.name) (\(spec.rows)x\(spec.columns) \(spec.dataflow.shortName)), median of \(repeats)\n"
        out += String(format: "whole network, identical shapes simulated once: %.2f ms\n", bench.networkSeconds * 1000)
        out += String(
            format: "every layer instance simulated:                 %.2f ms, %d events, %.2f M events/s\n", bench.everyInstanceSeconds * 1000,
            bench.events, Double(bench.events) / bench.everyInstanceSeconds / 1e6)
        out += String(format: "peak resident memory:                           %.1f MB\n", peakMB)
        out += "simulated cycles (dense): \(bench.denseCycles)\n"
        if let s = bench.search {
            out += String(
                format: "search at 1.8x (table + DP + evolutionary):     %.2f ms (last run: table %.2f, DP %.2f, evolutionary %.2f ms)\n",
                s.seconds * 1000, s.tableMS, s.dpMS, s.evolutionaryMS)
        }
        return out
    }
}
