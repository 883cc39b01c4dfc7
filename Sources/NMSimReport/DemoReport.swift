import Foundation
import NMSimModel
import NMSimSearch

/// The text `nmsim demo` prints for a ``DemoRun``.
package enum DemoReport {
    /// `summary` is the spec's one-line summary; `milliseconds` the run's wall-clock time.
    package static func text(_ demo: DemoRun, summary: String, milliseconds: Double) -> String {
        let table = demo.table, session = demo.session
        let evaluated = demo.evaluated
        var rows = [
            ["configuration", "GMACs", "MACs ratio", "cycles", "time", "speedup", "of ideal", "weights", "prior cost"] + (evaluated ? ["accuracy"] : [])
        ]
        func row(_ label: String, _ r: NetworkReport, _ cost: Double?, _ acc: Double?) {
            let macsRatio = Double(table.denseMACs) / Double(max(r.macs, 1))
            let s = Double(table.denseCycles) / Double(max(r.totalCycles, 1))
            rows.append(
                [
                    label, String(format: "%.2f", Double(r.macs) / 1e9), String(format: "%.2fx", macsRatio),
                    ReportFormatter.grouped(r.totalCycles), ReportFormatter.formatTime(r.seconds), String(format: "%.2fx", s),
                    ReportFormatter.percent(s / macsRatio), ReportFormatter.formatBytes(r.weightBytes), cost.map { String(format: "%.3f", $0) } ?? "-",
                ] + (evaluated ? [acc.map { String(format: "%.4f", $0) } ?? "-"] : []))
        }
        for r in demo.references { row(r.label, r.report, r.cost, r.accuracy) }
        row("searched (this run)", session.resimulated, session.chosen.cost, session.chosen.accuracy)

        let w = demo.workload
        var out = "nmsim demo: \(w.name) (\(w.layers.count) layers, \(table.layerIndices.count) searchable) on \(demo.specName)\n\(summary)\n\n"
        if let e = session.evaluator {
            out +=
                "Evaluator: \(e.command): \(e.evaluations) configurations evaluated in \(e.batches) batches, \(e.cacheHits) from the cache, "
                + String(format: "%.3f s waiting for it\n", e.seconds)
        }
        out +=
            (evaluated ? "Search: highest evaluator accuracy" : "Search: least prior cost")
            + " with latency at most \(ReportFormatter.grouped(session.problem.bounds.max)) cycles "
        out += String(format: "(%.2fx over dense)\n", demo.speedup)
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
            format: "Done in %.0f ms. Next: nmsim search --workload %@ --speedup 2 --sensitivity FILE | --weights FILE\n", milliseconds, demo.modelName)
        return out
    }
}
