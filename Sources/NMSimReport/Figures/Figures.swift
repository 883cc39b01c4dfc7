import Foundation
import NMSimModel

/// The figures nmsim draws from its reports, as SVG text.
package enum Figures {
    /// Figure kinds for one network run.
    package static let reportKinds = ["cycles", "energy", "nm-map", "roofline"]
    /// Figure kinds for a comparison.
    package static let comparisonKinds = ["speedup", "energy", "area"]

    /// One network run's figure of `kind` (one of ``reportKinds``).
    package static func report(_ r: NetworkReport, kind: String, bytesPerCycle: Double) -> String {
        switch kind {
        case "energy": return energyBars(r).svg()
        case "nm-map": return nmMap(r).svg()
        case "roofline": return roofline(r, bytesPerCycle: bytesPerCycle).svg()
        default: return cycleBars(r).svg()
        }
    }

    /// Series of the cycle bars: compute, each stall cause, vector layers (named apart from
    /// the `vector` stall cause of fused elementwise work).
    package static var cycleSeries: [String] { ["compute"] + StallBreakdown().entries.map(\.name) + ["vector layers"] }

    /// Per-layer stacked bars of where the cycles go.
    package static func cycleBars(_ r: NetworkReport) -> StackedBars {
        let values = r.layers.map { l -> [Double] in
            let res = l.result
            let vector = l.layer.shape == nil
            return [vector ? 0 : Double(res.computeCycles)] + res.stalls.entries.map { Double($0.cycles) } + [vector ? Double(res.computeCycles) : 0]
        }
        return StackedBars(
            title: "Where the cycles go: \(r.workloadName) on \(r.specName)", valueLabel: "cycles per layer (all instances)",
            categories: r.layers.map(\.layer.name), series: cycleSeries, values: values
        ) { "\(ReportFormatter.grouped(Int64($0))) cycles" }
    }

    /// Energy components grouped for the bars.
    package static let energyGroups: [(name: String, parts: [String])] = [
        ("MACs", ["mac"]), ("N:M mux, decode, metadata", ["mux", "decode", "metadata"]),
        ("ifmap buffer", ["ifmapRead", "ifmapWrite"]), ("filter buffer", ["filterRead", "filterWrite"]),
        ("ofmap buffer", ["ofmapRead", "ofmapWrite"]), ("DRAM", ["dramInput", "dramWeight", "dramPartialSums", "dramOutput"]),
        ("vector unit", ["vector"]), ("leakage", ["leakage"]),
    ]

    static func grouped(_ e: Breakdown) -> [Double] { energyGroups.map { g in g.parts.reduce(0) { $0 + e[$1] } } }

    /// Per-layer stacked bars of energy per image, in µJ.
    package static func energyBars(_ r: NetworkReport) -> StackedBars {
        let per = 1 / Double(max(r.images, 1)) / 1e6
        return StackedBars(
            title: "Where the energy goes: \(r.workloadName) on \(r.specName)", valueLabel: "energy per layer per image (µJ)",
            categories: r.layers.map(\.layer.name), series: energyGroups.map(\.name),
            values: r.layers.map { grouped($0.energy).map { $0 * per } }
        ) { String(format: "%.3f µJ", $0) }
    }

    /// The layer kinds of a transformer block, in map order.
    package static let blockKinds = WeightLayerKind.inBlock.map(\.rawValue)

    /// The N:M pattern of every weight layer: blocks × [qkv, proj, fc1, fc2] when the names
    /// follow the built-in models, else one row per layer with parameters.
    package static func nmMap(_ r: NetworkReport) -> Heatmap {
        var rows: [String] = []
        var cells: [String: [Int: LayerReport]] = [:]
        for l in r.layers where l.layer.hasParameters {
            let parts = l.layer.name.split(separator: ".").map(String.init)
            guard let kind = parts.last, let k = blockKinds.firstIndex(of: kind), parts.count >= 3 else { continue }
            let block = parts.dropLast(2).joined(separator: ".")
            if cells[block] == nil { rows.append(block); cells[block] = [:] }
            cells[block]![k] = l
        }
        func cell(_ l: LayerReport) -> Heatmap.Cell {
            let p = l.pattern
            return Heatmap.Cell(
                text: p.isDense ? "dense" : p.description, value: Double(p.n) / Double(p.m),
                tip: "\(l.layer.name): \(p.isDense ? "dense" : p.description), \(ReportFormatter.grouped(l.result.cycles)) cycles")
        }
        let title = "N:M assignment: \(r.workloadName) on \(r.specName)"
        if rows.isEmpty {
            let ls = r.layers.filter(\.layer.hasParameters)
            return Heatmap(
                title: title, rowLabel: "layer", columnLabel: "pattern", rows: ls.map(\.layer.name), columns: ["pattern"],
                cells: ls.map { [cell($0)] }, scaleLabel: "kept fraction N/M (1 = dense)")
        }
        return Heatmap(
            title: title, rowLabel: "block", columnLabel: "layer", rows: rows, columns: blockKinds,
            cells: rows.map { b in blockKinds.indices.map { cells[b]![$0].map(cell) } }, scaleLabel: "kept fraction N/M (1 = dense)")
    }

    /// Each GEMM layer against the array's compute roof and the DRAM's memory roof.
    package static func roofline(_ r: NetworkReport, bytesPerCycle: Double) -> Roofline {
        let points = r.layers.compactMap { l -> Scatter.Point? in
            let res = l.result
            let bytes = res.traffic.dramReadBytes + res.traffic.dramWriteBytes
            guard l.layer.shape != nil, res.macs > 0, res.cycles > 0, bytes > 0 else { return nil }
            return Scatter.Point(
                x: Double(res.macs) / Double(bytes), y: Double(res.macs) / Double(res.cycles), label: l.layer.name,
                group: l.pattern.isDense ? "\(l.layer.category.name), dense" : "\(l.layer.category.name), \(l.pattern)")
        }
        return Roofline(
            title: "Roofline per layer: \(r.workloadName) on \(r.specName)", peak: Double(r.arrayPEs),
            bytesPerCycle: min(bytesPerCycle, 1e6), points: points)
    }

    /// A comparison's figure of `kind` (one of ``comparisonKinds``).
    package static func comparison(_ cmps: [Comparison], kind: String) -> String {
        switch kind {
        case "energy": return comparisonEnergy(cmps).svg()
        case "area": return comparisonArea(cmps).svg()
        default: return speedup(cmps).svg()
        }
    }

    static func label(_ cmps: [Comparison], _ cmp: Comparison, _ row: Comparison.Row) -> String {
        cmps.count > 1 ? "\(cmp.dense.specName): \(row.label)" : row.label
    }

    /// Simulated speedup against MACs reduction, with the ideal y = x.
    package static func speedup(_ cmps: [Comparison]) -> Scatter {
        speedup(
            cmps.flatMap { c in c.rows.map { (spec: c.dense.specName, label: $0.label, macsRatio: c.macsRatio($0.report), speedup: c.speedup($0.report)) } },
            workload: cmps.first?.dense.workloadName ?? "")
    }

    /// Simulated speedup against MACs reduction for configurations on one or more specs.
    package static func speedup(_ rows: [(spec: String, label: String, macsRatio: Double, speedup: Double)], workload: String) -> Scatter {
        let pts = rows.map { Scatter.Point(x: $0.macsRatio, y: $0.speedup, label: $0.label, group: $0.spec) }
        var s = Scatter(
            title: "What fewer MACs buy: \(workload)", xLabel: "MACs reduction (dense MACs / performed MACs, ×)",
            yLabel: "simulated speedup over dense (×)", points: pts)
        s.diagonal = "ideal: speedup = MACs reduction"
        s.labelPoints = pts.count <= 16
        return s
    }

    /// Energy per image by component group, one bar per configuration.
    package static func comparisonEnergy(_ cmps: [Comparison]) -> StackedBars {
        energyBars(
            cmps.flatMap { c in c.rows.map { (label(cmps, c, $0), $0.report.energy, $0.report.images) } },
            title: "Energy per image: \(cmps.first?.dense.workloadName ?? "")")
    }

    /// Energy per image by component group, one bar per labelled run (energy of all images).
    package static func energyBars(_ rows: [(label: String, energy: Breakdown, images: Int)], title: String) -> StackedBars {
        StackedBars(
            title: title, valueLabel: "energy per image (mJ)", categories: rows.map(\.label), series: energyGroups.map(\.name),
            values: rows.map { r in grouped(r.energy).map { $0 / Double(max(r.images, 1)) / 1e9 } }
        ) { String(format: "%.3f mJ", $0) }
    }

    /// Area by component, one bar per spec.
    package static func comparisonArea(_ cmps: [Comparison]) -> StackedBars { areaBars(cmps.map { ($0.dense.specName, $0.dense.area) }) }

    /// Area by component, one bar per labelled spec.
    package static func areaBars(_ rows: [(label: String, area: Breakdown)]) -> StackedBars {
        let names = ["peArray", "muxes", "decoders", "ifmap", "filter", "ofmap", "unified", "vectorUnit"]
        return StackedBars(
            title: "Area by component", valueLabel: "area (mm²)", categories: rows.map(\.label), series: names,
            values: rows.map { r in names.map { r.area[$0] } }
        ) { String(format: "%.3f mm²", $0) }
    }

    /// A scatter with the points that no other point beats on both axes (smaller is better
    /// on each axis unless `maximize` says otherwise) marked as the front; with `frontKeys`
    /// (one per point), only points with the same key compete (one front per workload).
    package static func pareto(
        title: String, xLabel: String, yLabel: String, points: [(x: Double, y: Double, label: String, group: String)],
        maximizeX: Bool = false, maximizeY: Bool = false, labelled: Set<String> = [], frontKeys: [String]? = nil
    ) -> Scatter {
        func better(_ a: Double, _ b: Double, _ max: Bool) -> Bool { max ? a >= b : a <= b }
        var marked = points.enumerated().map { i, p -> Scatter.Point in
            let dominated = points.enumerated().contains { j, q in
                j != i && frontKeys?[j] == frontKeys?[i] && better(q.x, p.x, maximizeX) && better(q.y, p.y, maximizeY)
                    && (q.x != p.x || q.y != p.y)
            }
            return Scatter.Point(x: p.x, y: p.y, label: p.label, group: p.group, front: !dominated, labelled: labelled.contains(p.group))
        }
        // A short front is labelled point by point.
        if marked.filter(\.front).count <= 12 { for i in marked.indices where marked[i].front { marked[i].labelled = true } }
        var s = Scatter(title: title, xLabel: xLabel, yLabel: yLabel, points: marked)
        s.includeZero = false
        s.labelPoints = points.count <= 16
        return s
    }
}
