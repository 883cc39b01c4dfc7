import Foundation
import NMSimModel

/// One point of a Pareto front: a full configuration with its resource total and its cost (or,
/// with an evaluator, its accuracy).
public struct FrontPoint: Equatable, Sendable {
    /// Total of the budget's resource, in ``SearchProblem/resource(_:_:)`` units.
    public var resource: Int64
    public var cost: Double
    /// The evaluator's accuracy, when the front is of evaluated configurations.
    public var accuracy: Double?
    public var cycles: Int64
    /// One option index per searchable layer.
    public var choice: [Int]
}

/// What an external evaluator did during a search.
public struct EvaluatorReport: Equatable, Sendable {
    public var command: String
    public var evaluations: Int
    public var cacheHits: Int
    public var batches: Int
    public var batchSize: Int
    public var seconds: Double
}

/// One search end to end: optimisers, the chosen configuration re-simulated as a whole network,
/// and the report.
public struct SearchSession: Sendable {
    public var problem: SearchProblem
    public var specName: String
    /// Every optimiser's answer, in the order they ran.
    public var results: [SearchResult]
    /// The answer reported: without an evaluator the DP's when it ran, else the evolutionary
    /// one; with an evaluator the most accurate.
    public var chosen: SearchResult
    /// The chosen configuration simulated again as a whole network.
    public var resimulated: NetworkReport
    /// Pareto front of (the budget's resource, cost or accuracy), when asked for.
    public var pareto: [FrontPoint]?
    /// The evaluator's counts and time, when one scored the configurations.
    public var evaluator: EvaluatorReport?
    /// Wall-clock seconds of the optimisers, the evaluator's waiting included.
    public var searchSeconds: Double = 0

    package static func run(
        _ problem: SearchProblem, spec: HardwareSpec, optimizer: Optimizer, seed: UInt64, pareto: Bool,
        evaluator: EvaluatorClient? = nil, parallel: Bool = true
    ) throws(InputError) -> SearchSession {
        let began = Date()
        var results: [SearchResult] = []
        var dpFront: ParetoDP.Front?
        if optimizer != .evolutionary {
            let dp = ParetoDP()
            if var r = dp.solve(problem) {
                if let evaluator { r.accuracy = try evaluator.accuracies([r.choice])[0] }
                results.append(r)
            }
            if evaluator != nil, optimizer == .both { dpFront = dp.front(problem) }
        }
        if optimizer != .dp {
            if let evaluator {
                // Seeds: the DP's answer, then DP front points spread over the budget's range.
                var seeds = results.map(\.choice)
                if let f = dpFront {
                    let b = problem.bounds
                    let inside = f.points.filter { $0.resource >= b.min && $0.resource <= b.max }
                    let want = 10
                    let step = max(1, inside.count / want)
                    for (i, p) in inside.reversed().enumerated() where i % step == 0 && seeds.count <= want { seeds.append(f.choice(p)) }
                }
                let search = EvolutionarySearch(seed: seed)
                if var r = try search.solve(
                    problem, seeds: seeds,
                    score: { (c: [[Int]]) throws(InputError) -> [Double] in
                        try evaluator.accuracies(c).map { -$0 }
                    })
                {
                    r.accuracy = -r.cost
                    r.cost = problem.costs.cost(r.choice)
                    if optimizer == .both { r.notes.append("seeded with \(seeds.count) DP configurations") }
                    results.append(r)
                }
            } else if let r = EvolutionarySearch(seed: seed).solve(problem) {
                results.append(r)
            }
        }
        let pick: SearchResult?
        if evaluator != nil {
            pick = results.max { a, b in
                a.accuracy! != b.accuracy! ? a.accuracy! < b.accuracy! : a.optimizer == "evolutionary" && b.optimizer == "dp"
            }
        } else {
            pick = results.first
        }
        guard let chosen = pick else {
            throw InputError(.data, source: "search", "no configuration meets \(problem.constraint) (\(describeRange(problem)))")
        }
        let searchSeconds = Date().timeIntervalSince(began)
        // The chosen configuration's layers were all simulated for the table: its report is
        // assembled from those results (as `run` would simulate them again, identically).
        let sim = NetworkSimulator(spec: spec)
        let patterns = problem.table.patterns(chosen.choice)
        let report =
            problem.table.results.spec == spec
            ? try sim.report(problem.table.workload, patterns: patterns, from: problem.table.results)
            : try sim.run(problem.table.workload, patterns: patterns, parallel: parallel)
        var front: [FrontPoint]?
        if pareto {
            if let evaluator {
                front = Self.front(evaluated: evaluator.evaluated, problem)
            } else {
                let f = ParetoDP().front(problem.unbounded)
                front = f.points.map { FrontPoint(resource: $0.resource, cost: $0.cost, accuracy: nil, cycles: $0.cycles, choice: f.choice($0)) }
            }
        }
        let ev = evaluator.map {
            EvaluatorReport(
                command: $0.command, evaluations: $0.evaluations, cacheHits: $0.cacheHits, batches: $0.batches,
                batchSize: $0.batch, seconds: $0.waitSeconds)
        }
        return SearchSession(
            problem: problem, specName: spec.name, results: results, chosen: chosen, resimulated: report,
            pareto: front, evaluator: ev, searchSeconds: searchSeconds)
    }

    /// The front of evaluated configurations: less of the resource or higher accuracy, each
    /// point beaten by no other on both.
    static func front(evaluated: [(choice: [Int], accuracy: Double)], _ problem: SearchProblem) -> [FrontPoint] {
        let points = evaluated.map { e in
            FrontPoint(
                resource: problem.total(e.choice), cost: problem.costs.cost(e.choice), accuracy: e.accuracy,
                cycles: problem.table.cycles(e.choice), choice: e.choice)
        }.sorted { a, b in
            if a.resource != b.resource { return a.resource < b.resource }
            if a.accuracy! != b.accuracy! { return a.accuracy! > b.accuracy! }
            return a.choice.lexicographicallyPrecedes(b.choice)
        }
        var out: [FrontPoint] = []
        for p in points where out.last.map({ p.accuracy! > $0.accuracy! && p.resource > $0.resource }) ?? true { out.append(p) }
        return out
    }

    static func describeRange(_ p: SearchProblem) -> String {
        var lo: Int64 = p.fixedResource, hi: Int64 = p.fixedResource
        for j in 0..<p.layerCount {
            let r = p.allowed[j].map { p.resource(j, $0) }
            lo += r.min()!
            hi += r.max()!
        }
        return "the configurations span \(p.describe(lo)) to \(p.describe(hi))"
    }

    public var patternsByName: [String: NMPattern] {
        Dictionary(uniqueKeysWithValues: zip(problem.table.layerNames, chosen.choice.enumerated().map { problem.table.options[$0.offset][$0.element].pattern }))
    }

    /// The constrained quantity of the re-simulated network, and whether it meets the constraint.
    package var constraintCheck: (value: Double, limit: String, met: Bool) {
        let r = resimulated
        switch problem.constraint {
        case .latency(let c): return (Double(r.totalCycles), "\(c) cycles", r.totalCycles <= c)
        case let .macsWindow(lo, hi): return (Double(r.macs), "[\(lo), \(hi)] MACs", r.macs >= lo && r.macs <= hi)
        case .memory(let b): return (Double(r.weightBytes), "\(b) bytes", r.weightBytes <= b)
        case .energy(let e): return (r.energyPJ, "\(e) pJ", r.energyPJ <= e * (1 + 1e-12))
        }
    }

    public var speedup: Double { Double(problem.table.denseCycles) / Double(max(resimulated.totalCycles, 1)) }

    /// The budget's resource as the front names it, and its unit.
    package var resourceName: String {
        switch problem.constraint {
        case .latency: return "cycles"
        case .macsWindow: return "macs"
        case .memory: return "weightBytes"
        case .energy: return "energy"
        }
    }

    package var resourceUnit: String {
        switch problem.constraint {
        case .latency: return "cycles"
        case .macsWindow: return "MACs"
        case .memory: return "bytes"
        case .energy: return "pJ"
        }
    }

    /// Layer name → pattern for a choice.
    public func assignment(_ choice: [Int]) -> [(name: String, pattern: NMPattern)] {
        zip(problem.table.layerNames, choice.enumerated().map { problem.table.options[$0.offset][$0.element].pattern }).map { ($0, $1) }
    }
}
