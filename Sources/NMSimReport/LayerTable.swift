import Foundation
import NMSimModel

extension ReportFormatter {
    /// `nmsim show`'s table: every layer's shape, count, pattern, MACs and parameters, then the
    /// totals.
    package static func layerTable(_ counts: WorkloadCounts) -> String {
        let w = counts.workload
        var rows = [["layer", "type", "shape (MxNxK)", "x", "pattern", "MACs", "kept MACs", "params"]]
        for (i, l) in w.layers.enumerated() {
            switch l.kind {
            case .gemm(let s):
                let c = counts.layers[i]!
                rows.append([
                    l.name, l.category.name, "\(s.m)x\(s.n)x\(s.k)", "\(l.count)", l.sparsifiable ? counts.patterns[i].description : "dense",
                    grouped(c.denseMACs), grouped(c.keptMACs), grouped(c.parameters),
                ])
            case let .vector(op, e):
                rows.append([l.name, "vector", "\(op.rawValue) \(e) el", "\(l.count)", "-", "-", "-", "-"])
            }
        }
        var out = "\(w.name): \(w.layers.count) layers\n\n" + align(rows, rightAligned: [3, 5, 6, 7]) + "\n\n"
        let (dense, kept) = (counts.denseMACs, counts.keptMACs)
        out += String(
            format: "dense %.3f GMACs, kept %.3f GMACs (%.2fx fewer), %.2f M parameters\n",
            Double(dense) / 1e9, Double(kept) / 1e9, Double(dense) / Double(max(kept, 1)), Double(counts.parameters) / 1e6)
        return out
    }
}
