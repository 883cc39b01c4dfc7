import Foundation
import NMSimModel

/// One search end to end: optimisers, the chosen configuration re-simulated as a whole network,
/// and the report.
public struct SearchSession: Sendable {
    public var problem: SearchProblem
    public var specName: String
    /// Every optimiser's answer, in the order they ran.
    public var results: [SearchResult]
    /// The answer reported: the DP's when it ran, else the evolutionary one.
    public var chosen: SearchResult
    /// The chosen configuration simulated again as a whole network.
    public var resimulated: NetworkReport
    /// Pareto front of (predicted cycles, cost), when asked for.
    public var pareto: [(cycles: Int64, cost: Double, choice: [Int])]?

    public static func run(
        _ problem: SearchProblem, spec: HardwareSpec, optimizer: String, seed: UInt64, pareto: Bool,
        parallel: Bool = true
    ) throws(InputError) -> SearchSession {
        var results: [SearchResult] = []
        if optimizer != "evolutionary", let r = ParetoDP().solve(problem) { results.append(r) }
        if optimizer != "dp", let r = EvolutionarySearch(seed: seed).solve(problem) { results.append(r) }
        guard let chosen = results.first else {
            throw InputError(.data, source: "search", "no configuration meets \(problem.constraint) (\(describeRange(problem)))")
        }
        let report = try NetworkSimulator(spec: spec).run(problem.table.workload, patterns: problem.table.patterns(chosen.choice), parallel: parallel)
        var front: [(Int64, Double, [Int])]?
        if pareto {
            let latencyProblem = SearchProblem(table: problem.table, costs: problem.costs, constraint: .latency(maxCycles: .max))
            let f = ParetoDP().front(latencyProblem)
            front = f.points.map { ($0.resource, $0.cost, f.choice($0)) }
        }
        return SearchSession(problem: problem, specName: spec.name, results: results, chosen: chosen, resimulated: report, pareto: front)
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
    public var constraintCheck: (value: Double, limit: String, met: Bool) {
        let r = resimulated
        switch problem.constraint {
        case .latency(let c): return (Double(r.totalCycles), "\(c) cycles", r.totalCycles <= c)
        case let .macsWindow(lo, hi): return (Double(r.macs), "[\(lo), \(hi)] MACs", r.macs >= lo && r.macs <= hi)
        case .memory(let b): return (Double(r.weightBytes), "\(b) bytes", r.weightBytes <= b)
        case .energy(let e): return (r.energyPJ, "\(e) pJ", r.energyPJ <= e * (1 + 1e-12))
        }
    }

    public var speedup: Double { Double(problem.table.denseCycles) / Double(max(resimulated.totalCycles, 1)) }

}
