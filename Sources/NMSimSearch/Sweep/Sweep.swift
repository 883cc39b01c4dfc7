import Foundation
import NMSimModel

/// What a sweep runs at each hardware point for each workload.
package enum SweepMode: Equatable, Sendable {
    /// One pattern on every sparsifiable layer (dense is 1:1).
    case uniform(NMPattern)
    /// Per-layer patterns from a file or a built-in configuration.
    case assignment(name: String, PatternAssignment)
    /// The least-cost configuration under a budget, searched on the point's latency table.
    case search(SearchBudget)
    /// The whole Pareto front of accuracy cost against latency at the point, one row per front point.
    case pareto

    /// The mode column's value (`pareto` rows add `:K`, the front point's rank by latency).
    /// Whether the mode searches (and so needs costs and the latency table's levels).
    package var searches: Bool {
        switch self {
        case .uniform, .assignment: false
        case .search, .pareto: true
        }
    }

    /// What a mode is, as a figure groups the rows of a points table.
    package enum Kind: String, CaseIterable, Sendable {
        case dense
        case uniform = "uniform N:M"
        case assignment, search, pareto

        /// The kind of a `mode` column's value (a ``SweepMode/label``, `:K` added on `pareto` rows).
        package init(label: String) {
            self =
                label == "dense"
                ? .dense
                : label.hasPrefix("search") ? .search : label.hasPrefix("pareto") ? .pareto : label.hasPrefix("assignment") ? .assignment : .uniform
        }
    }

    package var kind: Kind {
        switch self {
        case .uniform(let p): p.isDense ? .dense : .uniform
        case .assignment: .assignment
        case .search: .search
        case .pareto: .pareto
        }
    }

    package var label: String {
        switch self {
        case .uniform(let p): return p.isDense ? "dense" : p.description
        case .assignment(let name, _): return "assignment:\(name)"
        case .search(let b): return "search:\(b)"
        case .pareto: return "pareto"
        }
    }

    /// Reads `dense`, `N:M`, or a mode object of a sweep file; `assignment` files are read relative to `base`.
    static func parse(_ v: JSONValue, at path: String, sink: DiagnosticSink, base: String, workloads: [SweepWorkload]) -> SweepMode? {
        if case .string(let s) = v {
            if s == "dense" { return .uniform(.dense) }
            if s == "pareto" { return .pareto }
            switch NMPattern.parse(s) {
            case .success(let p): return .uniform(p.isDense ? .dense : p)
            case .failure(let e): sink.report(path, e.description + ", \"dense\" or \"pareto\""); return nil
            }
        }
        let o = ObjectReader(v, path: path, sink: sink)
        guard o.isValid else { return nil }
        defer { o.finish() }
        if o.has("assignment") {
            let file = o.string("assignment")
            return Sweep.assignmentMode(file, relativeTo: base, sink: sink, at: o.childPath("assignment"), workloads: workloads)
        }
        if let s = o.object("search") {
            defer { s.finish() }
            let given = SearchBudget.Kind.allCases.filter { s.has($0.key) }
            guard given.count == 1 else {
                sink.report(s.path, "needs exactly one budget of: \(SearchBudget.Kind.allCases.map(\.key).joined(separator: ", "))")
                for k in SearchBudget.Kind.allCases { _ = s.value(k.key) }
                return nil
            }
            let key = given[0].key
            let raw = s.value(key)!
            var values: [String] = []
            switch raw {
            case .array(let items): values = items.map(Sweep.text)
            default: values = [Sweep.text(raw)]
            }
            do { return .search(try SearchBudget.parse(given[0], values, source: sink.source, location: s.childPath(key))) } catch {
                for d in error.diagnostics { sink.report(d.location, d.message) }
                return nil
            }
        }
        sink.report(path, "expected \"dense\", an N:M pattern, \"pareto\", {\"assignment\": FILE} or {\"search\": {BUDGET: VALUE}}")
        return nil
    }
}

/// A workload of a sweep: a built-in model or a file, with its options.
package struct SweepWorkload: Equatable, Sendable {
    /// The workload column's value: the name as given, with `@IMAGE` and `xBATCH` when set.
    package var label: String
    package var workload: Workload
    /// Images per run, for inferences per second.
    package var batch: Int
    /// What the sweep record keeps: the name and options, and a file's content hash.
    package var record: JSONValue

    package static func load(
        _ name: String, image: Int?, batch: Int?, sparsify: Set<WeightLayerKind>?, relativeTo base: String
    ) throws(InputError) -> SweepWorkload {
        let builtin = VisionTransformer.named(name) != nil
        let path = builtin || name.hasPrefix("/") || base.isEmpty ? name : base + "/" + name
        let w = try InputLoader.workload(path, image: image, batch: batch ?? 1, sparsify: sparsify)
        var label = name
        if let image { label += "@\(image)" }
        if let batch, batch != 1 { label += "x\(batch)" }
        var record: [(key: String, value: JSONValue)] = [("name", .string(name))]
        if let image { record.append(("image", .int(image))) }
        if let batch { record.append(("batch", .int(batch))) }
        if let sparsify { record.append(("sparsify", .array(sparsify.sorted().map { .string($0.rawValue) }))) }
        if !builtin { record.append(("contentHash", .string(Sweep.hash(try InputLoader.read(path))))) }
        return SweepWorkload(label: label, workload: w, batch: batch ?? 1, record: .object(record))
    }
}

/// What `front.csv` minimises.
package enum SweepObjective: String, Equatable, Sendable, CaseIterable {
    case latency, cycles, energy, area, edp, pes, macs, weights, cost
}

/// A design-space sweep: a base spec, axes over its JSON paths, workloads and modes. Points are
/// numbered row-major over the axes (the last axis moves fastest), from the sweep alone.
package struct Sweep: Equatable, Sendable {
    package static let currentVersion = 1
    /// Largest number of hardware points.
    package static let maxPoints = 10_000_000

    /// The base spec as JSON (a preset's or a file's text, parsed).
    package var baseSpec: JSONValue
    /// Where the base spec came from, for the record.
    package var baseSpecName: String
    package var axes: [SweepAxis]
    package var workloads: [SweepWorkload]
    package var modes: [SweepMode]
    /// Empty: the default (latency and area, else latency and energy, else latency and PEs).
    package var objectives: [SweepObjective]
    /// Optimiser of search modes: dp or evolutionary.
    package var optimizer: String
    package var seed: UInt64
    /// Where the search and Pareto modes' costs come from, as for a single search.
    package var accuracy: AccuracySource

    package init(
        baseSpec: JSONValue, baseSpecName: String, axes: [SweepAxis], workloads: [SweepWorkload], modes: [SweepMode],
        objectives: [SweepObjective] = [], optimizer: String = "dp", seed: UInt64 = 0, accuracy: AccuracySource = .prior
    ) {
        self.baseSpec = baseSpec
        self.baseSpecName = baseSpecName
        self.axes = axes
        self.workloads = workloads
        self.modes = modes
        self.objectives = objectives
        self.optimizer = optimizer
        self.seed = seed
        self.accuracy = accuracy
    }

    /// Hardware points: the product of the axes' lengths.
    package var pointCount: Int { axes.reduce(1) { $0 * $1.values.count } }

    /// Every swept path, axis by axis: the axis columns of the outputs.
    package var columns: [String] { axes.flatMap { $0.paths.map(\.description) } }

    /// Position on each axis of point `index`.
    package func coordinates(_ index: Int) -> [Int] {
        var rest = index
        var out = Array(repeating: 0, count: axes.count)
        for a in axes.indices.reversed() {
            out[a] = rest % axes[a].values.count
            rest /= axes[a].values.count
        }
        return out
    }

    /// The values of every axis path at point `index`, in column order.
    package func values(_ index: Int) -> [JSONValue] {
        zip(axes, coordinates(index)).flatMap { $0.values[$1] }
    }

    /// The spec JSON of point `index`.
    package func specJSON(_ index: Int) -> Result<JSONValue, SweepError> {
        var root = baseSpec
        for (axis, k) in zip(axes, coordinates(index)) {
            for (path, v) in zip(axis.paths, axis.values[k]) {
                switch path.setting(v, in: root) {
                case .success(let r): root = r
                case .failure(let e): return .failure(e)
                }
            }
        }
        return .success(root)
    }

    /// The spec of point `index`, or why the point's combination of values is not a valid spec.
    package func spec(_ index: Int) -> Result<HardwareSpec, SweepError> {
        switch specJSON(index) {
        case .failure(let e): return .failure(e)
        case .success(let json):
            do {
                // Named after the point, so that messages about it do not name the base spec.
                var spec = try HardwareSpec.decode(json, source: "point \(index)")
                spec.name = "\(spec.name) point \(index)"
                return .success(spec)
            } catch {
                return .failure(
                    SweepError(error.diagnostics.map { $0.location.isEmpty ? $0.message : "\($0.location): \($0.message)" }.joined(separator: "; ")))
            }
        }
    }

    /// Checks the sweep before anything runs: each axis path and value must make a valid spec
    /// on its own (on the base spec), paths must not repeat across axes, and the sweep must not
    /// be too large. Each problem is located at the axis's source (the option or the file path).
    package func validate() throws(InputError) {
        var problems: [Diagnostic] = []
        var kind = InputError.Kind.data
        var seen: [SpecPath: String] = [:]
        _ = try HardwareSpec.decode(baseSpec, source: baseSpecName)
        for axis in axes {
            if axis.location.isEmpty { kind = .usage }
            for p in axis.paths {
                if let other = seen[p] {
                    problems.append(Diagnostic(source: axis.source, location: axis.location, message: "\(p) is already swept by \(other)"))
                }
                seen[p] = axis.location.isEmpty ? axis.source : axis.location
            }
            for (k, row) in axis.values.enumerated() {
                var root = baseSpec
                var failed: String?
                for (p, v) in zip(axis.paths, row) {
                    switch p.setting(v, in: root) {
                    case .success(let r): root = r
                    case .failure(let e): failed = e.message
                    }
                }
                let at = axis.location.isEmpty ? "" : "\(axis.location)[\(k)]"
                if let failed { problems.append(Diagnostic(source: axis.source, location: at, message: failed)); continue }
                do { _ = try HardwareSpec.decode(root, source: "") } catch {
                    let shown = row.map { JSONWriter.write($0, pretty: false) }.joined(separator: ", ")
                    for d in error.diagnostics {
                        problems.append(Diagnostic(source: axis.source, location: at, message: "value \(shown): spec \(d.location): \(d.message)"))
                    }
                }
            }
        }
        var total = 1
        for a in axes {
            let (t, o) = total.multipliedReportingOverflow(by: a.values.count)
            if o || t > Self.maxPoints {
                problems.append(Diagnostic(source: a.source, location: a.location, message: "the sweep would have more than \(Self.maxPoints) points")); break
            }
            total = t
        }
        if !problems.isEmpty { throw InputError(kind, problems) }
    }

    /// The expanded sweep as recorded in `sweep.json` and hashed: every axis value explicit.
    package func record() -> JSONValue {
        .object([
            ("spec", baseSpec), ("specSource", .string(baseSpecName)),
            (
                "axes",
                .array(
                    axes.map { a in
                        .object([
                            ("paths", .array(a.paths.map { .string($0.description) })),
                            ("values", .array(a.values.map { .array($0) })),
                        ])
                    })
            ),
            ("workloads", .array(workloads.map(\.record))),
            (
                "modes",
                .array(
                    modes.map { m in
                        if case .assignment(let name, let asg) = m {
                            return .object([
                                ("assignment", .string(name)),
                                ("patterns", .object(asg.byName.keys.sorted().map { ($0, .string(asg.byName[$0]!.description)) })),
                            ])
                        }
                        return .string(m.label)
                    })
            ),
            ("objectives", .array(objectives.map { .string($0.rawValue) })),
            ("search", .object([("optimizer", .string(optimizer)), ("seed", .integer(Int64(bitPattern: seed)))] + accuracyRecord)),
        ])
    }

    /// The accuracy source as the record names it; nothing for the prior.
    var accuracyRecord: [(String, JSONValue)] {
        switch accuracy {
        case .prior: []
        case let .table(t, missing): [("sensitivity", .string(t.source)), ("missingCost", .string(missing.rawValue))]
        case let .checkpoint(path, activations): [("weights", .string(path))] + (activations.map { [("activations", .string($0))] } ?? [])
        case .checkpointScores(let s): [("weights", .string(s.source))]
        }
    }

    /// The sweep with a checkpoint read once per workload, scored at every level of every
    /// valid point (``AccuracySource/prepared(for:specs:)``), so no point reads it again.
    package func preparedAccuracy() throws(InputError) -> [AccuracySource] {
        guard case .checkpoint = accuracy, modes.contains(where: \.searches) else { return workloads.map { _ in accuracy } }
        var specs: [HardwareSpec] = []
        var levelSets: Set<[NMPattern]> = []
        for i in 0..<pointCount {
            guard case .success(let s) = spec(i), levelSets.insert(LatencyTable.candidates(s)).inserted else { continue }
            specs.append(s)
        }
        var prepared: [AccuracySource] = []
        for w in workloads { prepared.append(try accuracy.prepared(for: w.workload, specs: specs)) }
        return prepared
    }

    /// The hash of the inputs: the expanded sweep and the nmsim version that runs it.
    package func inputHash(version: String) -> String {
        Self.hash(JSONWriter.write(.object([("sweep", record()), ("nmsim", .string(version))]), pretty: false))
    }

    /// FNV-1a, 64 bits, as 16 hex digits.
    package static func hash(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    static func text(_ v: JSONValue) -> String {
        if case .string(let s) = v { return s }
        return JSONWriter.write(v, pretty: false)
    }

    static func assignmentMode(_ file: String, relativeTo base: String, sink: DiagnosticSink, at path: String, workloads: [SweepWorkload]) -> SweepMode? {
        let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        if let e = ELSAConfigurations.named(file) {
            guard let w = workloads.first else { return nil }
            do { return .assignment(name: e.name, try e.assignment(for: w.workload)) } catch {
                for d in error.diagnostics { sink.report(path, d.description) }
                return nil
            }
        }
        let full = file.hasPrefix("/") || base.isEmpty ? file : base + "/" + file
        guard let w = workloads.first else { return nil }
        do {
            return .assignment(name: name, try AssignmentFile.load(full, for: w.workload))
        } catch {
            for d in error.diagnostics { sink.report(path, d.description) }
            return nil
        }
    }
}
