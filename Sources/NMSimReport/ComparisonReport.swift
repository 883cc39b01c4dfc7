import Foundation
import NMSimModel

/// Renders a ``Comparison``: the terminal table, JSON, and Markdown over several specs.
extension Comparison {
    /// The terminal table: one row per configuration.
    package func table() -> String {
        var t = [
            [
                "configuration", "GMACs", "MACs ratio", "cycles", "time", "speedup", "of ideal", "weights", "gemm", "attention", "vector", "memory stalls",
                "decoder stalls", "energy/image", "area",
            ]
        ]
        for row in rows {
            let r = row.report
            let cat = Dictionary(uniqueKeysWithValues: r.cyclesByCategory.map { ($0.category, $0.cycles) })
            let gemm = LayerCategory.weightGEMMs.reduce(0) { $0 + (cat[$1] ?? 0) }
            let share = { (v: Int64) in ReportFormatter.percent(Double(v) / Double(max(r.totalCycles, 1))) }
            t.append([
                row.label, String(format: "%.2f", Double(r.macs) / 1e9), String(format: "%.2fx", macsRatio(r)),
                ReportFormatter.grouped(r.totalCycles), ReportFormatter.formatTime(r.seconds),
                String(format: "%.2fx", speedup(r)), ReportFormatter.percent(speedup(r) / macsRatio(r)),
                ReportFormatter.formatBytes(r.weightBytes), share(gemm), share(cat[.attention] ?? 0), share(cat[.vector] ?? 0),
                share(r.stalls.memory), share(r.stalls.decoder), ReportFormatter.formatEnergy(r.energyPerImagePJ),
                ReportFormatter.formatArea(r.area.total),
            ])
        }
        return ReportFormatter.align(t, rightAligned: Set(1..<15)) + "\n"
    }

    /// The JSON object of one spec's comparison (`schemaVersion` 1).
    package func json() -> JSONValue {
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
                            ("cyclesByCategory", .object(r.cyclesByCategory.map { ($0.category.name, .integer($0.cycles)) })),
                            ("stalls", ReportFormatter.stalls(r.stalls)),
                            ("images", .int(r.images)), ("energyPJ", .number(r.energyPJ)), ("energyPerImagePJ", .number(r.energyPerImagePJ)),
                            ("energy", ReportFormatter.breakdown(r.energy)), ("areaMM2", .number(r.area.total)),
                            ("area", ReportFormatter.breakdown(r.area)),
                        ])
                    })
            ),
        ])
    }

    /// The text tables of `nmsim compare`: one per spec, then the skipped configurations.
    package static func text(_ cmps: [Comparison], skipped: [String], workload: String) -> String {
        var text = ""
        for cmp in cmps {
            text += "\(workload) on \(cmp.dense.specName)\n" + cmp.table() + "\n"
        }
        if !skipped.isEmpty { text += "skipped (patterns the spec does not support): \(skipped.joined(separator: ", "))\n" }
        return text
    }

    /// One Markdown table over several comparisons (one per spec), with the configurations
    /// skipped for unsupported patterns listed after it.
    package static func markdown(_ cmps: [Comparison], skipped: [String]) -> String {
        var out =
            "| spec | configuration | GMACs | MACs ratio | simulated speedup | of ideal | weights | attention + vector share | memory stalls | limiter | energy/image | area |\n"
        out += "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|\n"
        for cmp in cmps {
            for row in cmp.rows {
                let r = row.report
                let cat = Dictionary(uniqueKeysWithValues: r.cyclesByCategory.map { ($0.category, $0.cycles) })
                let share = Double((cat[.attention] ?? 0) + (cat[.vector] ?? 0)) / Double(max(r.totalCycles, 1))
                out +=
                    "| \(cmp.dense.specName) | \(row.label) | \(String(format: "%.2f", Double(r.macs) / 1e9)) | \(String(format: "%.2fx", cmp.macsRatio(r))) | "
                    + "\(String(format: "%.2fx", cmp.speedup(r))) | \(ReportFormatter.percent(cmp.speedup(r) / cmp.macsRatio(r))) | "
                    + "\(ReportFormatter.formatBytes(r.weightBytes)) | \(ReportFormatter.percent(share)) | "
                    + "\(ReportFormatter.percent(Double(r.stalls.memory) / Double(max(r.totalCycles, 1)))) | \(r.stalls.limiter?.name ?? "compute") | "
                    + "\(ReportFormatter.formatEnergy(r.energyPerImagePJ)) | \(ReportFormatter.formatArea(r.area.total)) |\n"
            }
        }
        if !skipped.isEmpty { out += "\nSkipped (the spec does not support their patterns): \(skipped.joined(separator: ", ")).\n" }
        return out
    }
}
