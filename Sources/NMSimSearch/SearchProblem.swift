import NMSimModel

/// The one resource a search is constrained on.
public enum SearchConstraint: Equatable, Sendable, CustomStringConvertible {
    /// Network cycles at most this.
    case latency(maxCycles: Int64)
    /// MACs within [min, max] (ELSA's FLOPs window).
    case macsWindow(min: Int64, max: Int64)
    /// Weight storage, values plus metadata, at most this many bytes.
    case memory(maxBytes: Int64)
    /// Energy at most this many picojoules.
    case energy(maxPJ: Double)

    public var description: String {
        switch self {
        case .latency(let c): return "latency <= \(c) cycles"
        case let .macsWindow(lo, hi): return "MACs in [\(lo), \(hi)]"
        case .memory(let b): return "weight memory <= \(b) bytes"
        case .energy(let e): return "energy <= \(JSONWriter.format(e)) pJ"
        }
    }
}

/// Accuracy cost of every option, aligned with a ``LatencyTable``'s options.
public struct CostTable: Equatable, Sendable {
    /// `costs[j][o]`: cost of option `o` of searchable layer `j`; lower is better.
    public var costs: [[Double]]
    /// Where the costs came from ("imported sensitivity", "weight proxy", "prior").
    public var kind: String
    /// Whether the costs are the prior (``Sensitivity/prior(for:)``), not a measurement.
    package var isPrior: Bool
    package init(costs: [[Double]], kind: String, isPrior: Bool = false) {
        self.costs = costs
        self.kind = kind
        self.isPrior = isPrior
    }
    public func cost(_ choice: [Int]) -> Double { zip(costs, choice).reduce(0) { $0 + $1.0[$1.1] } }
}

/// A search: options with their resource use and cost, and one constraint.
public struct SearchProblem: Sendable {
    public let table: LatencyTable
    public let costs: CostTable
    public let constraint: SearchConstraint
    /// Option indices the optimisers consider, per layer. With only an upper bound on the
    /// resource, an option that another of the same layer matches or beats on both the resource
    /// and the cost can never help, and is dropped (on a latency budget: a pattern no faster and
    /// no cheaper than a denser one). With a lower bound (the MACs window) every option stays.
    package let allowed: [[Int]]

    /// `dominance` decides which options are dropped as dominated (by default `costs`): with an
    /// external evaluator, the prior, so that only an option no denser than another of no more
    /// resource is dropped.
    package init(table: LatencyTable, costs: CostTable, constraint: SearchConstraint, dominance: CostTable? = nil) {
        precondition(
            costs.costs.count == table.options.count && zip(costs.costs, table.options).allSatisfy { $0.count == $1.count },
            "cost table shape does not match the latency table")
        self.table = table
        self.costs = costs
        self.constraint = constraint
        var allowed: [[Int]] = []
        let judge = (dominance ?? costs).costs
        // Energy is counted in integer units fine enough to be exact in practice (a femtojoule)
        // and coarse enough that no total can overflow.
        let maxEnergyPJ = table.fixedEnergyPJ + table.options.reduce(0) { $0 + ($1.map(\.energyPJ).max() ?? 0) }
        energyUnitsPerPJ = min(1000, Double(Int64(1) << 60) / max(maxEnergyPJ, 1))
        let unit = energyUnitsPerPJ
        func res(_ o: LayerOption) -> Int64 { Self.resource(of: o, constraint, energyUnitsPerPJ: unit) }
        for j in table.options.indices {
            let all = Array(table.options[j].indices)
            if case .macsWindow = constraint { allowed.append(all); continue }
            let r = all.map { res(table.options[j][$0]) }
            allowed.append(
                all.filter { o in
                    !all.contains { p in
                        p != o && r[p] <= r[o] && judge[j][p] <= judge[j][o]
                            && (p < o || r[p] < r[o] || judge[j][p] < judge[j][o])
                    }
                })
        }
        self.allowed = allowed
        self.dominance = dominance
    }

    let dominance: CostTable?

    /// The same problem without a bound on the resource, for fronts over every budget.
    package var unbounded: SearchProblem {
        let open: SearchConstraint
        switch constraint {
        case .latency: open = .latency(maxCycles: .max)
        case .macsWindow: open = .macsWindow(min: 0, max: .max)
        case .memory: open = .memory(maxBytes: .max)
        case .energy: open = .energy(maxPJ: .greatestFiniteMagnitude)
        }
        return SearchProblem(table: table, costs: costs, constraint: open, dominance: dominance)
    }

    /// Integer energy units per picojoule (1000, a femtojoule each, unless totals would overflow).
    package let energyUnitsPerPJ: Double

    /// Options dropped as dominated for this budget, over all layers.
    package var droppedOptions: Int { zip(allowed, table.options).reduce(0) { $0 + $1.1.count - $1.0.count } }

    public var layerCount: Int { table.options.count }

    /// Costs within a relative 1e-9 of each other are equal for every optimiser; the tie is then
    /// broken by fewer cycles, fewer weight bytes, and the layer order.
    package static func sameCost(_ a: Double, _ b: Double) -> Bool {
        a == b || abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    }

    /// The constrained resource of option `o` of layer `j`, as an integer (cycles, MACs, bytes,
    /// or ``energyUnitsPerPJ`` units for energy).
    package func resource(_ j: Int, _ o: Int) -> Int64 { Self.resource(of: table.options[j][o], constraint, energyUnitsPerPJ: energyUnitsPerPJ) }

    static func resource(of opt: LayerOption, _ constraint: SearchConstraint, energyUnitsPerPJ: Double) -> Int64 {
        switch constraint {
        case .latency: return opt.cycles
        case .macsWindow: return opt.macs
        case .memory: return opt.weightBytes
        case .energy: return Int64((opt.energyPJ * energyUnitsPerPJ).rounded())
        }
    }

    /// A total of the constrained resource in the user's units.
    package func describe(_ v: Int64) -> String {
        switch constraint {
        case .latency: return "\(v) cycles"
        case .macsWindow: return "\(v) MACs"
        case .memory: return "\(v) bytes"
        case .energy: return "\(JSONWriter.format(Double(v) / energyUnitsPerPJ)) pJ"
        }
    }

    /// The fixed (unsearched) part of the constrained resource.
    package var fixedResource: Int64 {
        switch constraint {
        case .latency: return table.fixedCycles
        case .macsWindow: return table.fixedMACs
        case .memory: return table.fixedWeightBytes
        case .energy: return Int64((table.fixedEnergyPJ * energyUnitsPerPJ).rounded())
        }
    }

    /// Bounds on the total resource, in the same units as ``resource(_:_:)``.
    package var bounds: (min: Int64, max: Int64) {
        switch constraint {
        case .latency(let c): return (Int64.min, c)
        case let .macsWindow(lo, hi): return (lo, hi)
        case .memory(let b): return (Int64.min, b)
        case .energy(let e): return (Int64.min, Int64(min((e * energyUnitsPerPJ).rounded(.down), Double(Int64(1) << 62))))
        }
    }

    package func total(_ choice: [Int]) -> Int64 { fixedResource + choice.enumerated().reduce(0) { $0 + resource($1.offset, $1.element) } }

    package func feasible(_ choice: [Int]) -> Bool {
        let t = total(choice)
        let b = bounds
        return t >= b.min && t <= b.max
    }
}

/// A search's answer.
public struct SearchResult: Equatable, Sendable {
    /// One option index per searchable layer.
    public var choice: [Int]
    public var cost: Double
    /// Predicted network cycles from the latency table.
    public var predictedCycles: Int64
    public var optimizer: String
    /// Human-readable notes (discretisation, evaluations, ...).
    public var notes: [String]
    /// The external evaluator's accuracy of `choice`, when one was used.
    public var accuracy: Double? = nil
}
