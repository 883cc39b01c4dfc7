/// A small, fast, seedable generator (SplitMix64): the same seed gives the same run everywhere.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// ELSA's evolutionary search over layer-wise choices, with its published defaults.
///
/// Each generation keeps the `parents` best candidates, then makes `mutations` children by
/// re-drawing each gene with probability `mutationProbability` and `crossovers` children by
/// taking each gene from one of two parents; a child that breaks the constraint is drawn again
/// (up to a limit). Candidates are ranked as in ELSA: 1 if on the population's Pareto front of
/// (cost, resource), plus the normalised cost margin, plus the normalised resource margin. The
/// population is seeded with every feasible uniform configuration. With probability
/// `invertedResampling` a re-drawn gene is chosen with probability inversely proportional to its
/// resource use (favouring faster levels), otherwise uniformly; this is our reading of ELSA's
/// "inverted" resampling. The cheapest feasible candidate ever evaluated is then refined by a
/// local search (`polish`): the best single-, two- or (when those fail) three-layer change that lowers the cost
/// within the constraint, repeated until none does. The notes give the cost before and after.
public struct EvolutionarySearch: Sendable {
    public var population = 50
    public var parents = 10
    public var mutations = 25
    public var crossovers = 25
    public var generations = 20
    public var mutationProbability = 0.2
    public var invertedResampling = 0.4
    public var seed: UInt64 = 0
    /// Draws per child before giving up on finding a feasible one.
    public var maxAttempts = 200
    /// Refine the best candidate with single- and two-layer moves.
    public var polish = true

    public init(seed: UInt64 = 0) { self.seed = seed }

    struct Candidate {
        var choice: [Int]
        var cost: Double
        var resource: Int64
    }

    public func solve(_ problem: SearchProblem) -> SearchResult? {
        var rng = SeededGenerator(seed: seed)
        let n = problem.layerCount
        var seen: Set<[Int]> = []
        var evaluations = 0
        func evaluate(_ c: [Int]) -> Candidate {
            evaluations += 1
            return Candidate(choice: c, cost: problem.costs.cost(c), resource: problem.total(c))
        }
        // Inverse-resource weights per layer for the inverted draw.
        let inverse: [[Double]] = (0..<n).map { j in
            problem.allowed[j].map { 1 / max(1.0, Double(problem.resource(j, $0))) }
        }
        func draw(_ j: Int) -> Int {
            let options = problem.allowed[j]
            if rng.unit() < invertedResampling {
                let w = inverse[j]
                var x = rng.unit() * w.reduce(0, +)
                for (i, wi) in w.enumerated() {
                    x -= wi
                    if x <= 0 { return options[i] }
                }
                return options[options.count - 1]
            }
            return options[Int(rng.next() % UInt64(options.count))]
        }

        var pop: [Candidate] = []
        // Seeds: uniform configurations (same level index on every layer), then random ones.
        let levels = problem.allowed.map(\.count).max() ?? 1
        for level in 0..<levels {
            let c = problem.allowed.map { $0[min(level, $0.count - 1)] }
            if problem.feasible(c), seen.insert(c).inserted { pop.append(evaluate(c)) }
        }
        var attempts = 0
        while pop.count < population && attempts < population * maxAttempts {
            attempts += 1
            let c = (0..<n).map { j in problem.allowed[j][Int(rng.next() % UInt64(problem.allowed[j].count))] }
            if problem.feasible(c), seen.insert(c).inserted { pop.append(evaluate(c)) }
        }
        guard !pop.isEmpty else { return nil }
        var best = pop.min { $0.cost < $1.cost }!

        for _ in 0..<generations {
            let ranked = rank(pop)
            let top = Array(ranked.prefix(parents))
            var children: [Candidate] = []
            for _ in 0..<mutations {
                for _ in 0..<maxAttempts {
                    var c = top[Int(rng.next() % UInt64(top.count))].choice
                    for j in 0..<n where rng.unit() < mutationProbability { c[j] = draw(j) }
                    if problem.feasible(c), seen.insert(c).inserted { children.append(evaluate(c)); break }
                }
            }
            for _ in 0..<crossovers {
                for _ in 0..<maxAttempts {
                    let a = top[Int(rng.next() % UInt64(top.count))].choice
                    let b = top[Int(rng.next() % UInt64(top.count))].choice
                    let c = (0..<n).map { j in rng.next() & 1 == 0 ? a[j] : b[j] }
                    if problem.feasible(c), seen.insert(c).inserted { children.append(evaluate(c)); break }
                }
            }
            pop = Array((top + children).prefix(population))
            if let b = children.min(by: { $0.cost < $1.cost }), b.cost < best.cost { best = b }
        }
        var notes = ["\(generations) generations, population \(population), \(evaluations) candidates evaluated, seed \(seed)"]
        var choice = best.choice
        if polish {
            let before = best.cost
            let moves = Self.polish(&choice, problem)
            notes.append(String(format: "local refinement: %d moves, cost %.6f -> %.6f", moves, before, problem.costs.cost(choice)))
        }
        return SearchResult(
            choice: choice, cost: problem.costs.cost(choice), predictedCycles: problem.table.cycles(choice),
            optimizer: "evolutionary", notes: notes)
    }

    /// Applies the best improving feasible single- or two-layer change until none remains;
    /// returns the number of moves made.
    static func polish(_ choice: inout [Int], _ problem: SearchProblem) -> Int {
        let n = problem.layerCount
        let (lo, hi) = problem.bounds
        var total = problem.total(choice)
        var moves = 0
        while moves < 10_000 {
            // Every single change as (layer, option, Δcost, Δresource).
            var singles: [(j: Int, o: Int, dc: Double, dr: Int64)] = []
            for j in 0..<n {
                let a = choice[j]
                for o in problem.allowed[j] where o != a {
                    singles.append((j, o, problem.costs.costs[j][o] - problem.costs.costs[j][a], problem.resource(j, o) - problem.resource(j, a)))
                }
            }
            var best: (dc: Double, a: Int, b: Int)? = nil
            for (x, m) in singles.enumerated() where m.dc < (best?.dc ?? -1e-12) {
                let t = total + m.dr
                if t >= lo && t <= hi { best = (m.dc, x, -1) }
            }
            for x in singles.indices {
                let m = singles[x]
                for y in (x + 1)..<singles.count {
                    let q = singles[y]
                    if q.j == m.j { continue }
                    let dc = m.dc + q.dc
                    if dc >= (best?.dc ?? -1e-12) { continue }
                    let t = total + m.dr + q.dr
                    if t >= lo && t <= hi { best = (dc, x, y) }
                }
            }
            var third = -1
            if best == nil {
                // No single or pair helps: try three-layer exchanges.
                var bestDC = -1e-12
                for x in singles.indices {
                    let m = singles[x]
                    for y in (x + 1)..<singles.count where singles[y].j != m.j {
                        let q = singles[y]
                        let dcxy = m.dc + q.dc, drxy = m.dr + q.dr
                        for z in (y + 1)..<singles.count {
                            let r = singles[z]
                            if r.j == m.j || r.j == q.j { continue }
                            let dc = dcxy + r.dc
                            if dc >= bestDC { continue }
                            let t = total + drxy + r.dr
                            if t >= lo && t <= hi { bestDC = dc; best = (dc, x, y); third = z }
                        }
                    }
                }
            }
            guard let b = best else { break }
            for x in [b.a, b.b, third] where x >= 0 {
                choice[singles[x].j] = singles[x].o
                total += singles[x].dr
            }
            moves += 1
        }
        return moves
    }

    /// ELSA's rank: Pareto membership + normalised cost margin + normalised resource margin; ties
    /// by cost, then by choice, so ranking is deterministic.
    func rank(_ pop: [Candidate]) -> [Candidate] {
        let costs = pop.map(\.cost), res = pop.map { Double($0.resource) }
        let (cMin, cMax) = (costs.min()!, costs.max()!)
        let (rMin, rMax) = (res.min()!, res.max()!)
        func onFront(_ c: Candidate) -> Bool {
            !pop.contains { o in (o.cost <= c.cost && o.resource <= c.resource) && (o.cost < c.cost || o.resource < c.resource) }
        }
        let scored = pop.map { c -> (Double, Candidate) in
            let s =
                (onFront(c) ? 1.0 : 0.0)
                + (cMax > cMin ? (cMax - c.cost) / (cMax - cMin) : 0)
                + (rMax > rMin ? (rMax - Double(c.resource)) / (rMax - rMin) : 0)
            return (s, c)
        }
        return scored.sorted { a, b in
            if a.0 != b.0 { return a.0 > b.0 }
            if a.1.cost != b.1.cost { return a.1.cost < b.1.cost }
            return a.1.choice.lexicographicallyPrecedes(b.1.choice)
        }.map(\.1)
    }
}
