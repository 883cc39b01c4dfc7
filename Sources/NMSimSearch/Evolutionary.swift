import NMSimModel

/// A small, fast, seedable generator (SplitMix64): the same seed gives the same run everywhere.
package struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    package init(seed: UInt64) { state = seed }
    package mutating func next() -> UInt64 {
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
/// Each generation keeps the `parents` best candidates, then makes `mutations` children and
/// `crossovers` children by taking each gene from one of two parents; a child that breaks the
/// constraint or was seen before is drawn again (up to a limit). Up to half the mutations are
/// ELSA's "bin mutations": the budget's resource range is cut into `bins` equal bins, and for a
/// bin holding fewer than parents/(bins + 1) parents (next to a populated one) a parent from
/// another bin has as many genes as bins lie between them moved towards it (denser options to
/// climb, sparser to descend), so under-explored parts of the range are filled. The other
/// mutations re-draw each gene with probability `mutationProbability`; with probability
/// `invertedResampling` a re-drawn gene is chosen with probability inversely proportional to its
/// resource use (favouring faster levels), otherwise uniformly (our reading of ELSA's "inverted"
/// resampling). Candidates are ranked as in ELSA: 1 if on the population's Pareto front of (cost,
/// resource), plus the normalised cost margin, plus the normalised resource margin. The population
/// is seeded with the given seeds (the DP's answers with `--optimizer both`), then every feasible
/// uniform configuration, then random ones.
///
/// Candidates are scored a generation at a time, by the additive cost table or by a `score`
/// function (an external evaluator: cost = −accuracy). With the additive table, the cheapest
/// feasible candidate is then refined by a local search (`polish`): the best change of one, two
/// or (when those fail) three groups of layers that lowers the cost, or keeps it and frees some
/// of the resource, within the constraint, repeated until none does; a group is one layer, or
/// several interchangeable layers making the same change. The notes give the cost before and
/// after.
package struct EvolutionarySearch: Sendable {
    package var population = 50
    package var parents = 10
    package var mutations = 25
    package var crossovers = 25
    package var generations = 20
    package var mutationProbability = 0.2
    package var invertedResampling = 0.4
    /// Resource bins of the bin mutation.
    package var bins = 10
    package var seed: UInt64 = 0
    /// Draws per child before giving up on finding a feasible one.
    package var maxAttempts = 200
    /// Refine the best candidate by a local search (additive costs only; see `polish`).
    package var polish = true

    package init(seed: UInt64 = 0) { self.seed = seed }

    struct Candidate {
        var choice: [Int]
        var cost: Double
        var resource: Int64
    }

    /// Scores a batch of choices: one cost per choice, lower is better.
    package typealias Score = ([[Int]]) throws(InputError) -> [Double]

    package func solve(_ problem: SearchProblem) -> SearchResult? {
        // The additive table cannot fail.
        try? solve(problem, seeds: [], score: nil)
    }

    package func solve(_ problem: SearchProblem, seeds: [[Int]], score: Score?) throws(InputError) -> SearchResult? {
        var rng = SeededGenerator(seed: seed)
        let n = problem.layerCount
        var seen: Set<[Int]> = []
        var evaluations = 0
        func evaluate(_ choices: [[Int]]) throws(InputError) -> [Candidate] {
            evaluations += choices.count
            let costs = try score?(choices) ?? choices.map { problem.costs.cost($0) }
            return zip(choices, costs).map { Candidate(choice: $0, cost: $1, resource: problem.total($0)) }
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

        var initial: [[Int]] = []
        for c in seeds where c.count == n && problem.feasible(c) && initial.count < population {
            if seen.insert(c).inserted { initial.append(c) }
        }
        // Uniform configurations (same level index on every layer), then random ones.
        let levels = problem.allowed.map(\.count).max() ?? 1
        for level in 0..<levels where initial.count < population {
            let c = problem.allowed.map { $0[min(level, $0.count - 1)] }
            if problem.feasible(c), seen.insert(c).inserted { initial.append(c) }
        }
        var attempts = 0
        while initial.count < population && attempts < population * maxAttempts {
            attempts += 1
            let c = (0..<n).map { j in problem.allowed[j][Int(rng.next() % UInt64(problem.allowed[j].count))] }
            if problem.feasible(c), seen.insert(c).inserted { initial.append(c) }
        }
        guard !initial.isEmpty else { return nil }
        var pop = try evaluate(initial)
        var best = Self.best(pop)!

        // The resource range the bins cover: the budget's bounds, or what the options can reach.
        var reach = (lo: problem.fixedResource, hi: problem.fixedResource)
        for j in 0..<n {
            let r = problem.allowed[j].map { problem.resource(j, $0) }
            reach.lo += r.min()!
            reach.hi += r.max()!
        }
        let range = (lo: max(problem.bounds.min, reach.lo), hi: min(problem.bounds.max, reach.hi))
        var binMutations = 0

        for _ in 0..<generations {
            let ranked = rank(pop)
            let top = Array(ranked.prefix(parents))
            var children: [[Int]] = []
            let binned = binMutation(top, problem, range: range, count: mutations / 2, rng: &rng, seen: &seen)
            binMutations += binned.count
            children += binned
            for _ in binned.count..<mutations {
                for _ in 0..<maxAttempts {
                    var c = top[Int(rng.next() % UInt64(top.count))].choice
                    for j in 0..<n where rng.unit() < mutationProbability { c[j] = draw(j) }
                    if problem.feasible(c), seen.insert(c).inserted { children.append(c); break }
                }
            }
            for _ in 0..<crossovers {
                for _ in 0..<maxAttempts {
                    let a = top[Int(rng.next() % UInt64(top.count))].choice
                    let b = top[Int(rng.next() % UInt64(top.count))].choice
                    let c = (0..<n).map { j in rng.next() & 1 == 0 ? a[j] : b[j] }
                    if problem.feasible(c), seen.insert(c).inserted { children.append(c); break }
                }
            }
            let scored = try evaluate(children)
            pop = Array((top + scored).prefix(population))
            if let b = Self.best(scored), Self.better(b, than: best) { best = b }
        }
        var notes = [
            "\(generations) generations, population \(population), \(evaluations) candidates evaluated (\(binMutations) by bin mutation), seed \(seed)"
        ]
        var choice = best.choice
        if polish && score == nil {
            let before = best.cost
            let moves = Self.polish(&choice, problem)
            notes.append(String(format: "local refinement: %d moves, cost %.6f -> %.6f", moves, before, problem.costs.cost(choice)))
        }
        return SearchResult(
            choice: choice, cost: score == nil ? problem.costs.cost(choice) : best.cost, predictedCycles: problem.table.cycles(choice),
            optimizer: "evolutionary", notes: notes)
    }

    /// Costs equal within a relative 1e-9 tie; then fewer resource units win, then the
    /// lexicographically smaller choice (earlier layers denser).
    static func better(_ a: Candidate, than b: Candidate) -> Bool {
        if !SearchProblem.sameCost(a.cost, b.cost) { return a.cost < b.cost }
        if a.resource != b.resource { return a.resource < b.resource }
        return a.choice.lexicographicallyPrecedes(b.choice)
    }

    static func best(_ c: [Candidate]) -> Candidate? {
        c.min { better($0, than: $1) }
    }

    /// ELSA's bin mutation (see the type's documentation); returns new feasible, unseen children.
    func binMutation(
        _ top: [Candidate], _ problem: SearchProblem, range: (lo: Int64, hi: Int64), count: Int,
        rng: inout SeededGenerator, seen: inout Set<[Int]>
    ) -> [[Int]] {
        let b = max(1, bins)
        guard range.hi > range.lo, count > 0, b > 1, !top.isEmpty else { return [] }
        let width = Double(range.hi - range.lo) / Double(b)
        func bin(_ r: Int64) -> Int { min(b - 1, max(0, Int(Double(r - range.lo) / width))) }
        let bins = top.map { bin($0.resource) }
        var counts = [Int](repeating: 0, count: b)
        for x in bins { counts[x] += 1 }
        let sparse = (0..<b).filter { i in
            Double(counts[i]) < Double(top.count) / Double(b + 1)
                && (0..<b).contains { j in abs(j - i) * 2 < b && counts[j] > 0 }
        }
        guard !sparse.isEmpty else { return [] }
        var out: [[Int]] = []
        var tries = count * 10
        while out.count < count && tries > 0 {
            tries -= 1
            let target = sparse[Int(rng.next() % UInt64(sparse.count))]
            let donors = top.indices.filter { bins[$0] != target }
            guard !donors.isEmpty else { break }
            let d = donors[Int(rng.next() % UInt64(donors.count))]
            var c = top[d].choice
            let up = bins[d] < target  // needs more of the resource: denser options
            let steps = abs(bins[d] - target)
            // Layers that have an option in that direction, a random `steps` of them moved.
            var movable = (0..<problem.layerCount).filter { j in
                problem.allowed[j].contains { o in up ? problem.resource(j, o) > problem.resource(j, c[j]) : problem.resource(j, o) < problem.resource(j, c[j])
                }
            }
            for _ in 0..<min(steps, movable.count) {
                let k = Int(rng.next() % UInt64(movable.count))
                let j = movable.remove(at: k)
                let options = problem.allowed[j].filter { o in
                    up ? problem.resource(j, o) > problem.resource(j, c[j]) : problem.resource(j, o) < problem.resource(j, c[j])
                }
                c[j] = options[Int(rng.next() % UInt64(options.count))]
            }
            if problem.feasible(c), seen.insert(c).inserted { out.append(c) }
        }
        return out
    }

    /// Layers with the same options, resources and costs: any of them can stand for another.
    struct LayerClass: Hashable {
        var options: [Int]
        var resources: [Int64]
        var costs: [Double]
    }

    /// Applies the best improving feasible change of one, two or (when none of those improves)
    /// three groups until none remains; returns the number of moves made. A group is one layer
    /// changing its option, or several interchangeable layers (same options, resources and costs)
    /// making the same change: on a network of repeated blocks, two layers of one shape often
    /// trade against three of another (DeiT-B's qkv and attention projection), a change of five
    /// layers that no single-layer move reaches.
    ///
    /// A change improves when it lowers the cost, or keeps it (within the optimisers' relative
    /// 1e-9) and frees some of the resource (on a latency budget, the optimisers' tie order:
    /// fewer cycles). Without the second kind the refinement stops on a plateau: when layers
    /// share costs (the prior), an exchange that makes one layer denser and another of more
    /// cycles sparser costs nothing and frees cycles, and a few of them free enough to make a
    /// layer denser.
    static func polish(_ choice: inout [Int], _ problem: SearchProblem) -> Int {
        let n = problem.layerCount
        let (lo, hi) = problem.bounds
        var classIndex: [LayerClass: Int] = [:]
        var classes: [[Int]] = []
        for j in 0..<n {
            let options = problem.allowed[j]
            let key = LayerClass(options: options, resources: options.map { problem.resource(j, $0) }, costs: options.map { problem.costs.costs[j][$0] })
            if let c = classIndex[key] {
                classes[c].append(j)
            } else {
                classIndex[key] = classes.count
                classes.append([j])
            }
        }
        var total = problem.total(choice)
        var cost = problem.costs.cost(choice)
        var moves = 0
        while moves < 10_000 {
            // Every group change: `layers` (of one class, all at one option) move to option `o`.
            var changes: [(source: Int, layers: ArraySlice<Int>, o: Int, dc: Double, dr: Int64)] = []
            for members in classes {
                let j = members[0]
                for a in problem.allowed[j] {
                    let at = members.filter { choice[$0] == a }
                    guard !at.isEmpty else { continue }
                    let source = j * problem.table.options[j].count + a
                    for o in problem.allowed[j] where o != a {
                        let dc = problem.costs.costs[j][o] - problem.costs.costs[j][a], dr = problem.resource(j, o) - problem.resource(j, a)
                        // Earlier layers take the denser options (the optimisers' tie order).
                        for k in 1...at.count {
                            changes.append((source, o < a ? at.prefix(k) : at.suffix(k), o, Double(k) * dc, Int64(k) * dr))
                        }
                    }
                }
            }
            // The best move so far as (Δcost, Δresource); a move must beat no move at all.
            var best = (dc: 0.0, dr: Int64(0))
            func improves(_ dc: Double, _ dr: Int64) -> Bool {
                let t = total + dr
                guard t >= lo && t <= hi else { return false }
                if !SearchProblem.sameCost(cost + dc, cost + best.dc) { return dc < best.dc }
                return dr < best.dr && dc <= best.dc + 1e-9 * max(abs(cost), 1)
            }
            var picked: [Int] = []
            for (x, m) in changes.enumerated() where improves(m.dc, m.dr) {
                best = (m.dc, m.dr)
                picked = [x]
            }
            for x in changes.indices {
                let m = changes[x]
                for y in (x + 1)..<changes.count where changes[y].source != m.source {
                    let q = changes[y]
                    if improves(m.dc + q.dc, m.dr + q.dr) {
                        best = (m.dc + q.dc, m.dr + q.dr)
                        picked = [x, y]
                    }
                }
            }
            if picked.isEmpty {
                // No single or pair helps: try three-group exchanges.
                for x in changes.indices {
                    let m = changes[x]
                    for y in (x + 1)..<changes.count where changes[y].source != m.source {
                        let q = changes[y]
                        let dcxy = m.dc + q.dc, drxy = m.dr + q.dr
                        for z in (y + 1)..<changes.count {
                            let r = changes[z]
                            if r.source == m.source || r.source == q.source { continue }
                            if improves(dcxy + r.dc, drxy + r.dr) {
                                best = (dcxy + r.dc, drxy + r.dr)
                                picked = [x, y, z]
                            }
                        }
                    }
                }
            }
            guard !picked.isEmpty else { break }
            for x in picked {
                for j in changes[x].layers { choice[j] = changes[x].o }
                total += changes[x].dr
            }
            cost = problem.costs.cost(choice)
            moves += 1
        }
        return moves
    }

    /// ELSA's rank: Pareto membership + normalised cost margin + normalised resource margin; ties
    /// in the documented order (cost, resource, choice), so ranking is deterministic.
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
            return Self.better(a.1, than: b.1)
        }.map(\.1)
    }
}
