import Foundation
import NMSimModel

/// Reads nmsim's own JSON outputs back (simulate, compare, search) for the HTML report.
/// Unknown keys are allowed (newer outputs add keys); missing or mistyped ones are errors
/// located by their JSON path.
package enum ReportReader {
    /// What one JSON output is.
    package enum Document {
        case simulate(NetworkReport, Provenance)
        case compare([ComparisonSummary], Provenance)
        case search(SearchSummary, Provenance)
    }

    /// The command and version that wrote an output, when it says.
    package struct Provenance: Sendable {
        package var command: String?
        package var version: String?
        package init(command: String? = nil, version: String? = nil) { self.command = command; self.version = version }
    }

    /// One comparison (one spec) as written by `compare --format json`.
    package struct ComparisonSummary: Sendable {
        package var spec: String
        package var workload: String
        package var rows: [Row]
        package struct Row: Sendable {
            package var label: String
            package var totalCycles: Int64
            package var seconds: Double
            package var macs: Int64
            package var macsRatio: Double
            package var speedup: Double
            package var weightBytes: Int64
            package var images: Int
            package var energyPJ: Double
            package var energy: Breakdown
            package var area: Breakdown
        }
    }

    /// A search as written by `search --format json`.
    package struct SearchSummary: Sendable {
        package var spec: String
        package var workload: String
        package var objectiveKind: String
        package var objective: Double
        package var constraint: String
        package var constraintMet: Bool
        package var speedup: Double
        package var predictedCycles: Int64
        package var resimulatedCycles: Int64
        /// (cycles, cost) of the latency–cost front, when the search computed it.
        package var pareto: [(cycles: Int64, cost: Double)]
        /// The chosen configuration simulated as a network, when the output includes it.
        package var chosen: NetworkReport?
    }

    package static func read(_ text: String, source: String) throws(InputError) -> Document {
        let root = try JSONParser.parse(text, source: source)
        if case .array(let items) = root {
            let sink = DiagnosticSink(source: source)
            var prov = Provenance()
            let cmps = items.enumerated().map { i, item -> ComparisonSummary in
                let c = ObjectReader(item, path: "[\(i)]", sink: sink)
                if i == 0, c.has("command") { prov = Provenance(command: c.string("command"), version: c.has("nmsimVersion") ? c.string("nmsimVersion") : nil) }
                return comparison(c)
            }
            if cmps.isEmpty { sink.report("(top level)", "an empty list of comparisons") }
            try sink.throwIfAny()
            return .compare(cmps, prov)
        }
        let top = try ObjectReader.document(root, source: source)
        let prov = Provenance(
            command: top.has("command") ? top.string("command") : nil,
            version: top.has("nmsimVersion") ? top.string("nmsimVersion") : nil)
        let doc: Document
        if top.has("objective") {
            doc = .search(search(top), prov)
        } else if top.has("layers") {
            doc = .simulate(network(top), prov)
        } else {
            throw InputError(.data, source: source, "not an nmsim simulate, compare or search JSON output (no layers, rows or objective)")
        }
        try top.sink.throwIfAny()
        return doc
    }

    /// Component names in report order (JSON objects are written with sorted keys).
    static let componentOrder = CostModel.energyComponents + ["peArray", "muxes", "decoders", "ifmap", "filter", "ofmap", "unified", "vectorUnit"]

    /// Reads an object of numbers, in report order where the names are known components.
    static func numbers(_ o: ObjectReader, _ key: String) -> Breakdown {
        let b = rawNumbers(o, key)
        let rank = { (n: String) in componentOrder.firstIndex(of: n) ?? Int.max }
        return Breakdown(b.entries.enumerated().sorted { (rank($0.element.name), $0.offset) < (rank($1.element.name), $1.offset) }.map(\.element))
    }

    static func rawNumbers(_ o: ObjectReader, _ key: String) -> Breakdown {
        guard let v = o.value(key) else { return Breakdown([]) }
        guard case .object(let m) = v else { o.sink.report(o.childPath(key), "expected an object, found \(v.brief)"); return Breakdown([]) }
        return Breakdown(
            m.compactMap { k, v in
                switch v {
                case .integer(let i): return (k, Double(i))
                case .number(let d): return (k, d)
                default: o.sink.report(o.childPath("\(key).\(k)"), "expected a number, found \(v.brief)"); return nil
                }
            })
    }

    static func int64(_ o: ObjectReader, _ key: String) -> Int64 { Int64(o.int(key, in: 0...Int.max)) }

    /// A network report from `simulate --format json`.
    static func network(_ top: ObjectReader) -> NetworkReport {
        var layers: [LayerReport] = []
        for (i, item) in (top.array("layers", required: true) ?? []).enumerated() {
            let l = ObjectReader(item, path: top.childPath("layers[\(i)]"), sink: top.sink)
            let name = l.string("name")
            let kind: Layer.Kind
            if l.string("type") == "vector" {
                let op = l.choice("op", VectorOp.allCases.map { ($0.rawValue, $0) }) ?? .add
                kind = .vector(op, elements: l.int("elements", in: 0...Int.max))
            } else {
                kind = .gemm(GEMMShape(m: l.int("m", in: 1...Int.max), n: l.int("n", in: 1...Int.max), k: l.int("k", in: 1...Int.max)))
            }
            let category = LayerCategory(l.string("category"))
            let pattern: NMPattern
            switch NMPattern.parse(l.string("pattern")) {
            case .success(let p): pattern = p
            case .failure(let e): l.sink.report(l.childPath("pattern"), e.description); pattern = .dense
            }
            var stalls = StallBreakdown()
            let s = numbers(l, "stalls")
            stalls.memory = Int64(s["memory"]); stalls.decoder = Int64(s["decoder"])
            stalls.activationBandwidth = Int64(s["activationBandwidth"]); stalls.weightBandwidth = Int64(s["weightBandwidth"])
            stalls.outputBandwidth = Int64(s["outputBandwidth"]); stalls.load = Int64(s["load"]); stalls.fillDrain = Int64(s["fillDrain"])
            var traffic = Traffic()
            if let t = l.object("traffic") {
                traffic.dramReadBytes = int64(t, "dramReadBytes"); traffic.dramWriteBytes = int64(t, "dramWriteBytes")
                traffic.sramReadBytes = int64(t, "sramReadBytes"); traffic.sramWriteBytes = int64(t, "sramWriteBytes")
            }
            let weightBytes = int64(l, "weightBytes")
            var r = LayerResult(
                cycles: int64(l, "cycles"), computeCycles: int64(l, "computeCycles"), stalls: stalls, folds: l.int("folds", in: 0...Int.max),
                macs: int64(l, "macs"), denseMACs: int64(l, "denseMacs"), weightBytes: weightBytes,
                metadataBytes: int64(l, "metadataBytes"), decodedGroups: 0, traffic: traffic, vectorElementOps: 0, events: 0)
            r.mappedPEs = 0
            let isGEMM = l.string("type") != "vector"
            let layer = Layer(
                name: name, kind: kind, pattern: pattern, sparsifiable: isGEMM, hasParameters: isGEMM && category != .attention,
                count: l.int("count", in: 1...Int.max), category: category)
            layers.append(LayerReport(layer: layer, pattern: pattern, result: r, energy: numbers(l, "energy")))
        }
        var tech = TechnologySpec()
        if let t = top.object("technology") {
            tech.nodeNm = t.int("nodeNm", in: 1...1000)
            tech.voltage = t.double("voltage", min: 0)
        }
        let clock = top.double("clockGHz", min: 0, exclusiveMin: true)
        let totalCycles = int64(top, "totalCycles")
        let util = top.double("utilisation", min: 0)
        let macs = int64(top, "macs")
        // Older outputs lack arrayPEs: macs = utilisation × cycles × PEs.
        let pes =
            top.has("arrayPEs")
            ? top.int("arrayPEs", in: 1...Int.max)
            : (util > 0 && totalCycles > 0 ? Int((Double(macs) / (util * Double(totalCycles))).rounded()) : 1)
        var r = NetworkReport(
            specName: top.string("spec"), workloadName: top.string("workload"), clockGHz: clock, arrayPEs: pes, layers: layers,
            area: numbers(top, "area"), images: top.int("images", default: 1, in: 1...Int.max), technology: tech)
        r.dramBytesPerCycle = top.double("dramBytesPerCycle", default: 0, min: 0)
        return r
    }

    static func comparison(_ c: ObjectReader) -> ComparisonSummary {
        var rows: [ComparisonSummary.Row] = []
        for (i, item) in (c.array("rows", required: true) ?? []).enumerated() {
            let r = ObjectReader(item, path: c.childPath("rows[\(i)]"), sink: c.sink)
            rows.append(
                ComparisonSummary.Row(
                    label: r.string("label"), totalCycles: int64(r, "totalCycles"), seconds: r.double("seconds", min: 0), macs: int64(r, "macs"),
                    macsRatio: r.double("macsRatio", min: 0), speedup: r.double("speedup", min: 0), weightBytes: int64(r, "weightBytes"),
                    images: r.int("images", default: 1, in: 1...Int.max), energyPJ: r.double("energyPJ", default: 0, min: 0),
                    energy: numbers(r, "energy"), area: numbers(r, "area")))
        }
        return ComparisonSummary(spec: c.string("spec"), workload: c.string("workload"), rows: rows)
    }

    static func search(_ top: ObjectReader) -> SearchSummary {
        let objective = top.object("objective", required: true)
        let constraint = top.object("constraint", required: true)
        var pareto: [(cycles: Int64, cost: Double)] = []
        let front = top.object("pareto")
        for (i, item) in (front?.array("points") ?? []).enumerated() {
            let p = ObjectReader(item, path: top.childPath("pareto.points[\(i)]"), sink: top.sink)
            pareto.append((int64(p, "cycles"), p.double("cost")))
        }
        let chosen = top.object("resimulated").map(network)
        return SearchSummary(
            spec: top.string("spec"), workload: top.string("workload"), objectiveKind: objective?.string("kind") ?? "",
            objective: objective?.double("value") ?? 0,
            constraint: "\(constraint?.string("type") ?? "") ≤ \(constraint?.string("limit") ?? "")",
            constraintMet: constraint?.bool("met") ?? false, speedup: top.double("speedup", min: 0),
            predictedCycles: int64(top, "predictedCycles"), resimulatedCycles: int64(top, "resimulatedCycles"),
            pareto: pareto, chosen: chosen)
    }
}
