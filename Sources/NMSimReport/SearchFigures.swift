import Foundation
import NMSimModel
import NMSimSearch

extension SearchSession {
    /// Quantities a search figure can put on an axis.
    package static let plotMetrics = ["latency", "macs", "weights", "energy", "cost"]
    /// Figure kinds for a search.
    package static let plotKinds = ["pareto", "nm-map", "cycles", "energy", "roofline"]

    /// The value and axis label of `metric` for a choice.
    func metric(_ metric: String, _ choice: [Int]) -> (value: Double, label: String) {
        let t = problem.table
        switch metric {
        case "macs": return (Double(t.macs(choice)) / 1e9, "MACs (G)")
        case "weights": return (Double(t.weightBytes(choice)) / 1_048_576, "weights with metadata (MiB)")
        case "energy": return (t.energyPJ(choice) / Double(max(t.workload.images, 1)) / 1e9, "energy per image (mJ)")
        case "cost":
            return (problem.costs.cost(choice), problem.costs.isPrior ? "prior cost (removed weight energy)" : "cost (\(problem.costs.kind))")
        default: return (Double(t.cycles(choice)) / (resimulated.clockGHz * 1e6), "predicted latency (ms)")
        }
    }

    /// The Pareto scatter: the latency–cost front's configurations (with --pareto), every uniform
    /// configuration and the chosen one, on the axes asked for; the points no other point
    /// beats on both axes are highlighted.
    package func paretoFigure(x: String, y: String) -> Scatter {
        var pts: [(x: Double, y: Double, label: String, group: String)] = []
        func add(_ choice: [Int], _ label: String, _ group: String) {
            pts.append((metric(x, choice).value, metric(y, choice).value, label, group))
        }
        for (i, p) in (pareto ?? []).enumerated() { add(p.choice, "front \(i + 1)", "searched (latency–cost front)") }
        let t = problem.table
        var levels: [NMPattern] = []
        for opts in t.options { for o in opts where !levels.contains(where: { $0.sameLevel(as: o.pattern) }) { levels.append(o.pattern) } }
        for level in levels {
            let choice = (0..<t.options.count).map { t.optionIndex(layer: $0, pattern: level) }
            guard choice.allSatisfy({ $0 != nil }) else { continue }
            add(choice.map { $0! }, level.isDense ? "dense" : "uniform \(level)", "uniform")
        }
        add(chosen.choice, "chosen", "chosen")
        return Figures.pareto(
            title: "Search: \(t.workload.name) on \(specName)", xLabel: metric(x, chosen.choice).label,
            yLabel: metric(y, chosen.choice).label, points: pts, labelled: ["uniform", "chosen"])
    }

    /// The figure of `kind` (one of ``plotKinds``); network figures show the chosen configuration.
    package func figure(kind: String, x: String, y: String, bytesPerCycle: Double) -> String {
        kind == "pareto" ? paretoFigure(x: x, y: y).svg() : Figures.report(resimulated, kind: kind, bytesPerCycle: bytesPerCycle)
    }
}
