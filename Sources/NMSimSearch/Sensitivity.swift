import Foundation
import NMSimModel

/// Per-(layer, pattern) accuracy cost from a table measured elsewhere, a proxy computed from real
/// weights, or a documented prior.
public enum Sensitivity {
    /// Costs per layer name and pattern, as read from a file.
    public struct Table: Equatable, Sendable {
        public var costs: [String: [NMPattern: Double]]
        public var source: String
    }

    /// What to do for a level the table does not list for a layer.
    public enum MissingCost: String, CaseIterable, Sendable {
        /// Report every missing (layer, level) pair.
        case error
        /// Linear in density between the layer's nearest listed levels (dense counting as density
        /// 1 at cost 0); below the sparsest listed level, the line through the two sparsest,
        /// never below the sparsest listed cost.
        case interpolate
    }

    /// Aligns a table with the search options. Dense defaults to 0; any other option the table
    /// lacks is an error that lists what is missing, or, with `.interpolate`, interpolated.
    package static func costs(_ t: Table, for table: LatencyTable, kind: String, missing policy: MissingCost = .error) throws(InputError) -> CostTable {
        var out: [[Double]] = []
        var missing: [String] = []
        var interpolated = 0
        let names = table.layerNames
        for (j, opts) in table.options.enumerated() {
            var row: [Double] = []
            let listed = t.costs[names[j]] ?? [:]
            for o in opts {
                if let c = listed.first(where: { $0.key.sameLevel(as: o.pattern) })?.value {
                    row.append(c)
                } else if o.pattern.isDense {
                    row.append(0)
                } else if policy == .interpolate, let c = interpolate(listed, at: o.pattern.density) {
                    row.append(c); interpolated += 1
                } else {
                    missing.append("\(names[j]) \(o.pattern)"); row.append(0)
                }
            }
            out.append(row)
        }
        let unknown = Set(t.costs.keys).subtracting(names)
        var diags: [Diagnostic] = unknown.sorted().prefix(5).map {
            Diagnostic(source: t.source, location: $0, message: "no searchable layer of that name in \(table.workload.name)")
        }
        if !missing.isEmpty {
            let list = missing.prefix(5).joined(separator: ", ") + (missing.count > 5 ? ", and \(missing.count - 5) more" : "")
            let hint = policy == .error ? " (list them, or pass \(InputRole.missingCost.mention) interpolate)" : " (no listed sparse level to interpolate from)"
            diags.append(Diagnostic(source: t.source, message: "no cost for \(list)\(hint)"))
        }
        if !diags.isEmpty { throw InputError(.data, diags) }
        return CostTable(costs: out, kind: kind + (interpolated > 0 ? "; \(interpolated) missing (layer, level) costs interpolated in density" : ""))
    }

    /// A cost at `density` from a layer's listed levels (see ``MissingCost/interpolate``); nil
    /// when the layer lists no sparse level.
    static func interpolate(_ listed: [NMPattern: Double], at density: Double) -> Double? {
        var points = listed.filter { !$0.key.isDense }.map { ($0.key.density, $0.value) }
        guard !points.isEmpty else { return nil }
        points.append((1, listed.first { $0.key.isDense }?.value ?? 0))
        points.sort { $0.0 < $1.0 }
        if let hi = points.firstIndex(where: { $0.0 >= density }), hi > 0 {
            let (x0, y0) = points[hi - 1], (x1, y1) = points[hi]
            return x1 == x0 ? y1 : y0 + (y1 - y0) * (density - x0) / (x1 - x0)
        }
        // Sparser than every listed level: extend the line through the two sparsest.
        let (x0, y0) = points[0], (x1, y1) = points[1]
        let slope = x1 == x0 ? 0 : (y1 - y0) / (x1 - x0)
        return max(y0, y0 + slope * (density - x0))
    }

    /// Where each entry was read (`line 4`, `layers.blocks.0.attn.qkv.2:4`), for errors found
    /// after reading.
    typealias Locations = [String: [NMPattern: String]]

    /// Checks a table of costs (lower is better): none negative, dense exactly 0.
    static func checkCosts(_ values: [String: [NMPattern: Double]], _ at: Locations, _ sink: DiagnosticSink) {
        for name in values.keys.sorted() {
            for (p, v) in values[name]!.sorted(by: { $0.key > $1.key }) {
                if p.isDense, v != 0 {
                    sink.report(at[name]![p]!, "\(name) \(p): a dense entry is the reference and must cost 0 (got \(JSONWriter.format(v)))")
                } else if v < 0 {
                    sink.report(at[name]![p]!, "\(name) \(p): a cost must not be negative (got \(JSONWriter.format(v)))")
                }
            }
        }
    }

    /// Checks a table of accuracies: no sparse level above the layer's dense accuracy (its cost
    /// would be negative).
    static func checkAccuracies(_ values: [String: [NMPattern: Double]], _ at: Locations, _ sink: DiagnosticSink) {
        for name in values.keys.sorted() {
            guard let dense = values[name]!.first(where: { $0.key.isDense })?.value else { continue }
            for (p, v) in values[name]!.sorted(by: { $0.key > $1.key }) where !p.isDense && v > dense {
                sink.report(
                    at[name]![p]!,
                    "\(name) \(p): accuracy \(JSONWriter.format(v)) is above the layer's dense accuracy \(JSONWriter.format(dense)), a negative cost")
            }
        }
    }

    /// Reads `layer,pattern,cost` (lower is better) or `layer,pattern,accuracy` (higher is
    /// better; the cost is the layer's best accuracy minus this one) CSV, or the JSON form
    /// `{"version": 1, "metric": "cost"|"accuracy", "layers": {"name": {"2:4": 0.1}}}`.
    public static func load(_ path: String) throws(InputError) -> Table {
        if path.lowercased().hasSuffix(".json") { return try json(InputLoader.read(path), source: path) }
        return try csv(lines: TextLines.useful(file: path), source: path)
    }

    public static func csv(_ text: String, source: String) throws(InputError) -> Table {
        try csv(lines: TextLines.useful(text, source: source), source: source)
    }

    package static func csv(lines numbered: [TextLine], source: String) throws(InputError) -> Table {
        let sink = DiagnosticSink(source: source)
        let lines = numbered.map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let header = lines.first.flatMap({ CSV.fields(Substring($0.lowercased())) }),
            header.count == 3, header[0] == "layer", header[1] == "pattern", ["cost", "accuracy"].contains(header[2])
        else {
            throw InputError(
                .data, source: source, location: "line \(numbered.first?.number ?? 1)", "expected the header 'layer,pattern,cost' or 'layer,pattern,accuracy'")
        }
        var values: [String: [NMPattern: Double]] = [:]
        var at: Locations = [:]
        for (i, line) in lines.enumerated().dropFirst() {
            let here = "line \(numbered[i].number)"
            guard let f = CSV.fields(Substring(line)) else { sink.report(here, "a quoted field does not close"); continue }
            guard f.count == 3 else { sink.report(here, "expected 3 fields, found \(f.count)"); continue }
            let p: NMPattern
            switch NMPattern.parse(f[1]) {
            case .success(let v): p = v
            case .failure(let e): sink.report(here, e.description); continue
            }
            guard let v = Double(f[2]), v.isFinite else { sink.report(here, "expected a number, found \"\(f[2])\""); continue }
            if let other = values[f[0]]?.keys.first(where: { $0.sameLevel(as: p) }) {
                sink.report(here, "duplicate entry for \(f[0]) \(p)" + (other == p ? "" : " (the same level as \(other))"))
            }
            values[f[0], default: [:]][p] = v
            at[f[0], default: [:]][p] = here
        }
        if header[2] == "accuracy" { requireDense(values, sink); checkAccuracies(values, at, sink) } else { checkCosts(values, at, sink) }
        try sink.throwIfAny()
        return Table(costs: header[2] == "accuracy" ? invert(values) : values, source: source)
    }

    public static func json(_ text: String, source: String) throws(InputError) -> Table {
        let root = try JSONParser.parse(text, source: source)
        let top = try ObjectReader.document(root, source: source)
        let sink = top.sink
        try top.checkVersion(current: 1, format: "sensitivity")
        let metric = top.choice("metric", [("cost", "cost"), ("accuracy", "accuracy")], default: "cost")!
        var values: [String: [NMPattern: Double]] = [:]
        var at: Locations = [:]
        if let layers = top.object("layers", required: true), case .object(let members)? = root["layers"] {
            for (name, v) in members {
                _ = layers.value(name)
                guard case .object(let entries) = v else { sink.report("layers.\(name)", "expected an object of pattern → number"); continue }
                for (ps, n) in entries {
                    let path = "layers.\(name).\(ps)"
                    guard case .success(let p) = NMPattern.parse(ps) else { sink.report(path, "expected an N:M pattern key such as \"2:4\""); continue }
                    if let other = values[name]?.keys.first(where: { $0.sameLevel(as: p) }) {
                        sink.report(path, "duplicate entry: the same level as \(other)"); continue
                    }
                    switch n {
                    case .integer(let i): values[name, default: [:]][p] = Double(i)
                    case .number(let d): values[name, default: [:]][p] = d
                    default: sink.report(path, "expected a number, found \(n.brief)"); continue
                    }
                    at[name, default: [:]][p] = path
                }
            }
            layers.finish()
        }
        top.finish()
        if metric == "accuracy" { requireDense(values, sink); checkAccuracies(values, at, sink) } else { checkCosts(values, at, sink) }
        try sink.throwIfAny()
        return Table(costs: metric == "accuracy" ? invert(values) : values, source: source)
    }

    /// Accuracies are turned into costs relative to the layer's dense accuracy, so each layer
    /// must list it (otherwise its best listed level would look free).
    static func requireDense(_ values: [String: [NMPattern: Double]], _ sink: DiagnosticSink) {
        for name in values.keys.sorted() where !values[name]!.keys.contains(where: \.isDense) {
            sink.report(name, "accuracies need the layer's dense accuracy (a row with pattern 1:1 or M:M) to measure the drop from")
        }
    }

    /// Cost = the layer's dense accuracy minus this level's.
    static func invert(_ acc: [String: [NMPattern: Double]]) -> [String: [NMPattern: Double]] {
        acc.mapValues { row in
            let dense = row.first { $0.key.isDense }?.value ?? 0
            return row.mapValues { dense - $0 }
        }
    }

    /// A CSV to fill in: every (searchable layer, level) of `workload` on `spec`, dense first,
    /// with the header `layer,pattern,accuracy` and the accuracies left empty.
    package static func template(_ workload: Workload, spec: HardwareSpec) -> String {
        let levels = ([NMPattern.dense] + spec.supportedPatterns.filter { !$0.isDense }).sorted(by: >)
        var out = "layer,pattern,accuracy\n"
        for i in workload.sparsifiableIndices {
            for p in levels { out += "\(workload.layers[i].name),\(p),\n" }
        }
        return out
    }

    // MARK: Prior

    /// Expected fraction of squared-weight energy removed by N:M magnitude pruning of i.i.d.
    /// Gaussian weights: the mean of the M − N smallest squared order statistics of |N(0, 1)|,
    /// divided by M. 2:4 → 0.132, 1:4 → 0.382 (numerical integration; a test checks them against Monte Carlo).
    package static func gaussianRemovedEnergy(_ p: NMPattern) -> Double {
        if p.isDense { return 0 }
        let m = p.m, drop = p.m - p.n
        // Order statistic densities of the half-normal, integrated with Simpson's rule on [0, 12].
        let steps = 6000, h = 12.0 / Double(steps)
        var logBinom = [Double](repeating: 0, count: m + 1)
        for i in 1...m { logBinom[i] = logBinom[i - 1] + log(Double(m - i + 1)) - log(Double(i)) }
        var total = 0.0
        for s in 0...steps {
            let x = Double(s) * h
            let f = sqrt(2 / Double.pi) * exp(-x * x / 2)
            let cdf = erf(x / sqrt(2))
            // Σ over the `drop` smallest of x² × density of the i-th order statistic.
            var sum = 0.0
            for i in 1...drop {
                // M!/((i-1)!(M-i)!) = M × C(M-1, i-1)
                let lc = log(Double(m)) + logC(m - 1, i - 1)
                let term = lc + Double(i - 1) * log(max(cdf, 1e-300)) + Double(m - i) * log(max(1 - cdf, 1e-300))
                sum += exp(term)
            }
            let w = (s == 0 || s == steps) ? 1.0 : (s % 2 == 1 ? 4.0 : 2.0)
            total += w * x * x * f * sum
        }
        return total * h / 3 / Double(m)
    }

    static func logC(_ n: Int, _ k: Int) -> Double { lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1)) }

    /// The prior: every searchable layer equally sensitive, each costing the Gaussian removed
    /// energy of its pattern. It is a prior, not a measured accuracy.
    package static func prior(for table: LatencyTable) -> CostTable {
        var cache: [NMPattern: Double] = [:]
        let costs = table.options.map { opts in
            opts.map { o -> Double in
                if let c = cache[o.pattern] { return c }
                let c = gaussianRemovedEnergy(o.pattern)
                cache[o.pattern] = c
                return c
            }
        }
        return CostTable(costs: costs, kind: "prior: Gaussian removed energy, every layer equally sensitive", isPrior: true)
    }
}
