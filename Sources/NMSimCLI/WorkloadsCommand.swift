import Foundation
import NMSimModel
import NMSimReport
import NMSimSearch

enum WorkloadsCommand {
    static let spec = CommandSpec(
        name: "workloads", summary: "List the built-in models and ELSA configurations.",
        usage: "nmsim workloads", options: [])

    static func run(_ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        var rows = [["model", "blocks", "width", "layers", "GMACs", "params (M)", "sparsifiable"]]
        for m in VisionTransformer.all {
            let w = m.workload()
            let stats = WorkloadStats(w)
            rows.append([
                m.name, "\(m.blockCount)", "\(m.width)", "\(w.layers.count)", String(format: "%.2f", Double(stats.denseMACs) / 1e9),
                String(format: "%.1f", Double(stats.parameters) / 1e6), "\(w.sparsifiableIndices.count)",
            ])
        }
        var out = ReportFormatter.align(rows, rightAligned: [1, 2, 3, 4, 5, 6]) + "\n\nELSA configurations (--assignment NAME):\n"
        for e in ELSAConfigurations.all {
            out +=
                "  \(e.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(e.model.name), \(e.publishedGMACs) GMACs, top-1 \(e.publishedTop1) (\(e.file))\n"
        }
        c.out(out)
        return 0
    }
}

/// MACs and parameters of a workload, from shapes alone.
struct WorkloadStats {
    var denseMACs: Int64 = 0
    var parameters: Int64 = 0
    init(_ w: Workload) {
        for l in w.layers {
            guard let s = l.shape else { continue }
            denseMACs += s.denseMACs * Int64(l.count)
            if l.hasParameters { parameters += Int64(s.k) * Int64(s.n) * Int64(l.count) }
        }
    }
}
