import Foundation

/// Several assignments of one workload on one spec, side by side with dense: MACs reduction
/// against simulated speedup, weight bytes with metadata, and where the time goes.
public struct Comparison: Sendable {
    public struct Row: Sendable {
        public var label: String
        public var report: NetworkReport
    }

    public var dense: NetworkReport
    public var rows: [Row]

    package init(
        spec: HardwareSpec, workload: Workload, candidates: [(label: String, assignment: PatternAssignment)],
        parallel: Bool = true
    ) throws(InputError) {
        let sim = NetworkSimulator(spec: spec)
        dense = try sim.run(workload, patterns: workload.layers.map { _ in .dense }, parallel: parallel)
        var rows = [Row(label: "dense", report: dense)]
        for c in candidates {
            let patterns = try c.assignment.resolve(workload, on: spec)
            rows.append(Row(label: c.label, report: try sim.run(workload, patterns: patterns, parallel: parallel)))
        }
        self.rows = rows
    }

    /// The cycle-weighted harmonic view: dense cycles / these cycles.
    public func speedup(_ r: NetworkReport) -> Double { Double(dense.totalCycles) / Double(max(r.totalCycles, 1)) }
    /// Dense MACs / performed MACs: the speedup ELSA's FLOPs model assumes.
    public func macsRatio(_ r: NetworkReport) -> Double { Double(dense.macs) / Double(max(r.macs, 1)) }
}
