import NMSimModel

/// One row of a sweep's output: a hardware point, a workload and a mode.
package struct SweepRow: Equatable, Sendable {
    package enum Status: String, Sendable {
        /// Simulated.
        case ok
        /// The point's values do not make a valid spec, or the workload cannot run on it.
        case invalid
        /// The mode needs a pattern the point does not support.
        case unsupported
        /// No configuration meets the search budget at this point.
        case infeasible
    }

    package var index: Int
    package var workload: String
    package var mode: String
    package var status: Status
    package var pes: Int?
    package var cycles: Int64?
    package var seconds: Double?
    package var inferencesPerSecond: Double?
    package var macs: Int64?
    package var energyPJ: Double?
    /// Silicon area, when the spec's model gives one.
    package var areaMM2: Double?
    package var weightBytes: Int64?
    /// Accuracy cost of the configuration (search modes).
    package var cost: Double?
    /// Searchable layers per pattern, densest first.
    package var patternCounts: [(pattern: String, layers: Int)] = []
    /// The per-layer configuration, for search modes (layer name, pattern).
    package var assignment: [(layer: String, pattern: String)]?
    /// Why the row is not `ok`.
    package var reason: String = ""

    package static func == (a: SweepRow, b: SweepRow) -> Bool {
        a.index == b.index && a.workload == b.workload && a.mode == b.mode && a.status == b.status && a.cycles == b.cycles
            && a.macs == b.macs && a.energyPJ == b.energyPJ && a.areaMM2 == b.areaMM2 && a.cost == b.cost && a.reason == b.reason
            && a.patternCounts.map(\.pattern) == b.patternCounts.map(\.pattern) && a.patternCounts.map(\.layers) == b.patternCounts.map(\.layers)
    }

    /// Energy × delay in microjoule-seconds.
    package var edp: Double? { energyPJ.flatMap { e in seconds.map { e / 1e6 * $0 } } }
}

/// Runs every mode of a sweep at one hardware point for each workload: each distinct (shape,
/// pattern) of the point is simulated once and shared by all modes (dense and uniform levels,
/// assignments, and the search's latency table).
package struct SweepEvaluator: Sendable {
    package let sweep: Sweep
    /// The search modes' accuracy source for each workload (``Sweep/preparedAccuracy()``).
    let accuracy: [AccuracySource]

    package init(sweep: Sweep) throws(InputError) {
        self.sweep = sweep
        accuracy = try sweep.preparedAccuracy()
    }

    /// The rows of point `index`, workload by workload, mode by mode.
    package func rows(_ index: Int) -> [SweepRow] {
        let spec: HardwareSpec
        switch sweep.spec(index) {
        case .failure(let e):
            return sweep.workloads.flatMap { w in
                sweep.modes.map { SweepRow(index: index, workload: w.label, mode: $0.label, status: .invalid, reason: e.message) }
            }
        case .success(let s): spec = s
        }
        return sweep.workloads.indices.flatMap { rows(index, spec, sweep.workloads[$0], accuracy[$0]) }
    }

    func rows(_ index: Int, _ spec: HardwareSpec, _ w: SweepWorkload, _ accuracy: AccuracySource) -> [SweepRow] {
        let workload = w.workload
        let searchable = Set(workload.sparsifiableIndices)
        let searches = sweep.modes.contains(where: \.searches)
        // Every pattern any mode needs, per layer.
        var extra: [[NMPattern]] = Array(repeating: [], count: workload.layers.count)
        for m in sweep.modes {
            switch m {
            case .uniform(let p) where spec.supports(p):
                for i in searchable { extra[i].append(p) }
            case .assignment(_, let a):
                if let ps = try? a.resolve(workload, on: spec) { for i in ps.indices { extra[i].append(ps[i]) } }
            default: break
            }
        }
        let sim = NetworkSimulator(spec: spec)
        let need = { (i: Int) -> [NMPattern] in
            var ps =
                searches
                ? LatencyTable.patterns(layer: i, spec: spec, workload: workload, searchable: searchable)
                : [.dense] + (workload.layers[i].pattern.map { [$0] } ?? [])
            for p in extra[i] where !ps.contains(p) { ps.append(p) }
            return ps
        }
        let results: NetworkSimulator.LayerResults
        do { results = try sim.simulate(workload, parallel: false, patterns: need) } catch {
            // One failing simulation must not hide the modes that can run: each mode on its own.
            return sweep.modes.flatMap { m -> [SweepRow] in
                let own = Result { () throws(InputError) -> NetworkSimulator.LayerResults in
                    try sim.simulate(workload, parallel: false) { i in
                        switch m {
                        case .uniform(let p): return searchable.contains(i) && spec.supports(p) ? [p] : [workload.layers[i].pattern ?? .dense]
                        case .assignment: return need(i)
                        case .search, .pareto: return LatencyTable.patterns(layer: i, spec: spec, workload: workload, searchable: searchable)
                        }
                    }
                }
                switch own {
                case .success(let r): return rows(index, spec, w, m, r, accuracy)
                case .failure(let e): return [failed(index, w, m, .invalid, e)]
                }
            }
        }
        return sweep.modes.flatMap { rows(index, spec, w, $0, results, accuracy) }
    }

    func failed(_ index: Int, _ w: SweepWorkload, _ m: SweepMode, _ status: SweepRow.Status, _ e: InputError) -> SweepRow {
        SweepRow(
            index: index, workload: w.label, mode: m.label, status: status,
            reason: e.diagnostics.map { $0.location.isEmpty ? $0.text : "\($0.location): \($0.text)" }.joined(separator: "; "))
    }

    func rows(
        _ index: Int, _ spec: HardwareSpec, _ w: SweepWorkload, _ m: SweepMode, _ results: NetworkSimulator.LayerResults, _ accuracy: AccuracySource
    ) -> [SweepRow] {
        let workload = w.workload
        let sim = NetworkSimulator(spec: spec)
        do {
            switch m {
            case .uniform(let p):
                guard spec.supports(p) else {
                    return [
                        SweepRow(
                            index: index, workload: w.label, mode: m.label, status: .unsupported,
                            reason: "the point supports \(spec.supportedPatterns.isEmpty ? "dense only" : spec.supportedPatternNames + " and dense"), not \(p)")
                    ]
                }
                let patterns = try PatternAssignment(uniform: p).resolve(workload, on: spec)
                return [row(index, w, m.label, spec, try sim.report(workload, patterns: patterns, from: results))]
            case .assignment(_, let a):
                let patterns: [NMPattern]
                do { patterns = try a.resolve(workload, on: spec) } catch { return [failed(index, w, m, .unsupported, error)] }
                return [row(index, w, m.label, spec, try sim.report(workload, patterns: patterns, from: results))]
            case .search(let budget):
                let table = try LatencyTable(spec: spec, workload: workload, results: results)
                let constraint: SearchConstraint
                do { constraint = try budget.constraint(denseCycles: table.denseCycles, spec: spec) } catch {
                    return [failed(index, w, m, .infeasible, error)]
                }
                let problem = SearchProblem(table: table, costs: try accuracy.costs(for: table), constraint: constraint)
                let found = sweep.optimizer == "dp" ? ParetoDP().solve(problem) : EvolutionarySearch(seed: sweep.seed).solve(problem)
                guard let found else {
                    return [
                        SweepRow(
                            index: index, workload: w.label, mode: m.label, status: .infeasible,
                            reason: "no configuration meets \(constraint) (\(SearchSession.describeRange(problem)))")
                    ]
                }
                return [try searched(index, w, m.label, spec, table, found.choice, found.cost, results)]
            case .pareto:
                let table = try LatencyTable(spec: spec, workload: workload, results: results)
                let problem = SearchProblem(table: table, costs: try accuracy.costs(for: table), constraint: .latency(maxCycles: .max))
                let front = ParetoDP().front(problem)
                return try front.points.enumerated().map { k, p throws(InputError) in
                    try searched(index, w, "pareto:\(k)", spec, table, front.choice(p), p.cost, results)
                }
            }
        } catch {
            return [failed(index, w, m, .invalid, error)]
        }
    }

    func searched(
        _ index: Int, _ w: SweepWorkload, _ label: String, _ spec: HardwareSpec, _ table: LatencyTable, _ choice: [Int],
        _ cost: Double, _ results: NetworkSimulator.LayerResults
    ) throws(InputError) -> SweepRow {
        let report = try NetworkSimulator(spec: spec).report(w.workload, patterns: table.patterns(choice), from: results)
        var r = row(index, w, label, spec, report)
        r.cost = cost
        r.assignment = zip(table.layerNames, choice.enumerated()).map { ($0, patternName(table.options[$1.offset][$1.element].pattern)) }
        return r
    }

    func row(_ index: Int, _ w: SweepWorkload, _ label: String, _ spec: HardwareSpec, _ r: NetworkReport) -> SweepRow {
        var counts: [NMPattern: Int] = [:]
        for l in r.layers where l.layer.sparsifiable { counts[l.pattern, default: 0] += 1 }
        return SweepRow(
            index: index, workload: w.label, mode: label, status: .ok, pes: spec.rows * spec.columns, cycles: r.totalCycles,
            seconds: r.seconds, inferencesPerSecond: r.seconds > 0 ? Double(r.images) / r.seconds : nil, macs: r.macs,
            energyPJ: r.energyPJ, areaMM2: r.area.entries.isEmpty ? nil : r.area.total, weightBytes: r.weightBytes,
            patternCounts: counts.keys.sorted(by: >).map { (patternName($0), counts[$0]!) })
    }

    func patternName(_ p: NMPattern) -> String {
        p.isDense ? "dense" : p.description
    }
}
