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

    public init(
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

    public func table() -> String {
        var t = [
            [
                "configuration", "GMACs", "MACs ratio", "cycles", "time", "speedup", "of ideal", "weights", "gemm", "attention", "vector", "memory stalls",
                "decoder stalls", "energy/image", "area",
            ]
        ]
        for row in rows {
            let r = row.report
            let cat = Dictionary(uniqueKeysWithValues: r.cyclesByCategory.map { ($0.category, $0.cycles) })
            let gemm = (cat["gemm"] ?? 0) + (cat["embed"] ?? 0) + (cat["head"] ?? 0) + (cat["merge"] ?? 0)
            let share = { (v: Int64) in ReportFormatter.percent(Double(v) / Double(max(r.totalCycles, 1))) }
            t.append([
                row.label, String(format: "%.2f", Double(r.macs) / 1e9), String(format: "%.2fx", macsRatio(r)),
                ReportFormatter.grouped(r.totalCycles), ReportFormatter.formatTime(r.seconds),
                String(format: "%.2fx", speedup(r)), ReportFormatter.percent(speedup(r) / macsRatio(r)),
                ReportFormatter.formatBytes(r.weightBytes), share(gemm), share(cat["attention"] ?? 0), share(cat["vector"] ?? 0),
                share(r.stalls.memory), share(r.stalls.decoder), ReportFormatter.formatEnergy(r.energyPerImagePJ),
                ReportFormatter.formatArea(r.area.total),
            ])
        }
        return ReportFormatter.align(t, rightAligned: Set(1..<15)) + "\n"
    }

    public func json() -> JSONValue {
        .object([
            ("schemaVersion", 1), ("spec", .string(dense.specName)), ("workload", .string(dense.workloadName)),
            (
                "rows",
                .array(
                    rows.map { row in
                        let r = row.report
                        return .object([
                            ("label", .string(row.label)), ("totalCycles", .integer(r.totalCycles)), ("seconds", .number(r.seconds)),
                            ("macs", .integer(r.macs)), ("denseMacs", .integer(r.denseMACs)), ("macsRatio", .number(macsRatio(r))),
                            ("speedup", .number(speedup(r))), ("weightBytes", .integer(r.weightBytes)), ("metadataBytes", .integer(r.metadataBytes)),
                            ("cyclesByCategory", .object(r.cyclesByCategory.map { ($0.category, .integer($0.cycles)) })),
                            ("stalls", ReportFormatter.stalls(r.stalls)),
                            ("images", .int(r.images)), ("energyPJ", .number(r.energyPJ)), ("energyPerImagePJ", .number(r.energyPerImagePJ)),
                            ("energy", ReportFormatter.breakdown(r.energy)), ("areaMM2", .number(r.area.total)),
                            ("area", ReportFormatter.breakdown(r.area)),
                        ])
                    })
            ),
        ])
    }
}
