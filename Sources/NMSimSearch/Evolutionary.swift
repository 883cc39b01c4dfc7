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
/// "inverted" resampling. The answer is the cheapest feasible candidate ever evaluated.
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
            let r = problem.table.options[j].indices.map { max(1.0, Double(problem.resource(j, $0))) }
            return r.map { 1 / $0 }
        }
        func draw(_ j: Int) -> Int {
            let k = problem.table.options[j].count
            if rng.unit() < invertedResampling {
                let w = inverse[j]
                var x = rng.unit() * w.reduce(0, +)
                for (i, wi) in w.enumerated() {
                    x -= wi
                    if x <= 0 { return i }
                }
                return k - 1
            }
            return Int(rng.next() % UInt64(k))
        }

        var pop: [Candidate] = []
        // Seeds: uniform configurations (same level index on every layer), then random ones.
        let levels = problem.table.options.map(\.count).max() ?? 1
        for level in 0..<levels {
            let c = problem.table.options.map { min(level, $0.count - 1) }
            if problem.feasible(c), seen.insert(c).inserted { pop.append(evaluate(c)) }
        }
        var attempts = 0
        while pop.count < population && attempts < population * maxAttempts {
            attempts += 1
            let c = (0..<n).map { j in Int(rng.next() % UInt64(problem.table.options[j].count)) }
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
        return SearchResult(choice: best.choice, cost: best.cost, predictedCycles: problem.table.cycles(best.choice),
                            optimizer: "evolutionary",
                            notes: ["\(generations) generations, population \(population), \(evaluations) candidates evaluated, seed \(seed)"])
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
            let s = (onFront(c) ? 1.0 : 0.0)
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
