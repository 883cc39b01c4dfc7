/// Exact optimisation of an additive cost under one additive resource constraint, by dynamic
/// programming over Pareto fronts of (resource, cost), layer by layer.
///
/// After each layer only partial solutions that no other beats on both resource and cost are
/// kept, so the final front holds the optimum for every budget at once. When a front grows past
/// `maxPoints`, resource values are grouped into buckets of equal width and one point (the
/// cheapest) is kept per bucket, as SPDY does over discretised time; the report then states the
/// bound: a discarded point lies within one bucket of a kept one at each layer, so the answer is
/// optimal for a budget tightened by at most `layers × width`.
public struct ParetoDP: Sendable {
    public struct Point: Equatable, Sendable {
        public var resource: Int64
        public var cost: Double
        /// Predicted cycles and weight bytes, for the tie order.
        public var cycles: Int64
        public var bytes: Int64
        /// Index into the back-pointer store.
        var trace: Int32
    }

    public let maxPoints: Int

    public init(maxPoints: Int = 10_000) {
        precondition(maxPoints >= 2, "maxPoints must be at least 2 (got \(maxPoints))")
        self.maxPoints = maxPoints
    }

    public struct Front: Sendable {
        /// Nondominated points, by increasing resource and decreasing cost.
        public var points: [Point]
        /// Largest bucket width used at any layer (0: exact).
        public var bucketWidth: Int64
        /// Bound on how far the front can be from the exact one, in resource units.
        public var errorBound: Int64
        let parents: [Int32]
        let options: [Int16]
        let layers: Int

        /// The option per layer that produced `point`.
        public func choice(_ point: Point) -> [Int] {
            var out = Array(repeating: 0, count: layers)
            var t = Int(point.trace)
            for j in stride(from: layers - 1, through: 0, by: -1) {
                out[j] = Int(options[t])
                t = Int(parents[t])
            }
            return out
        }
    }

    /// The front of every combination of `problem`'s options.
    public func front(_ problem: SearchProblem) -> Front {
        var parents: [Int32] = [-1]
        var options: [Int16] = [-1]
        var front = [Point(resource: problem.fixedResource, cost: 0, cycles: problem.table.fixedCycles, bytes: problem.table.fixedWeightBytes, trace: 0)]
        var width: Int64 = 0
        var bound: Int64 = 0
        let maxBudget = problem.bounds.max
        for j in 0..<problem.layerCount {
            var next: [Point] = []
            next.reserveCapacity(front.count * problem.allowed[j].count)
            // Cheapest possible remainder, to drop points that can never meet the budget.
            var minRest: Int64 = 0
            for k in (j + 1)..<max(j + 1, problem.layerCount) {
                minRest += problem.allowed[k].map { problem.resource(k, $0) }.min() ?? 0
            }
            for p in front {
                for o in problem.allowed[j] {
                    let r = p.resource + problem.resource(j, o)
                    if r + minRest > maxBudget { continue }
                    parents.append(p.trace)
                    options.append(Int16(o))
                    let opt = problem.table.options[j][o]
                    next.append(
                        Point(
                            resource: r, cost: p.cost + problem.costs.costs[j][o], cycles: p.cycles + opt.cycles,
                            bytes: p.bytes + opt.weightBytes, trace: Int32(parents.count - 1)))
                }
            }
            front = Self.prune(next, safeFrom: problem.bounds.min == .min ? .min : problem.bounds.min - minRest)
            if front.count > maxPoints {
                let (lo, hi) = (front.first!.resource, front.last!.resource)
                let w = max(1, (hi - lo) / Int64(maxPoints) + 1)
                front = Self.bucket(front, width: w, origin: lo)
                width = max(width, w)
                bound += w
            }
        }
        return Front(points: front, bucketWidth: width, errorBound: bound, parents: parents, options: options, layers: problem.layerCount)
    }

    /// Keeps the points no other point beats on both axes. At one resource value the cheapest
    /// is kept, costs within a relative 1e-9 counting as equal and then broken by fewer cycles,
    /// fewer weight bytes and the earlier trace (the documented tie order).
    ///
    /// With a lower bound on the total (a MACs window), a point may only dominate others if it
    /// cannot fall below that bound whatever the remaining layers choose (`resource >= safeFrom`);
    /// below it, only the cheapest point per exact resource value is kept.
    static func prune(_ points: [Point], safeFrom: Int64 = .min) -> [Point] {
        let sorted = points.sorted { a, b in
            a.resource != b.resource ? a.resource < b.resource : (a.cost != b.cost ? a.cost < b.cost : a.trace < b.trace)
        }
        var out: [Point] = []
        var bestSafe = Double.infinity
        var i = 0
        while i < sorted.count {
            // The group of points at one resource value; its cheapest and its near-ties.
            var end = i + 1
            while end < sorted.count && sorted[end].resource == sorted[i].resource { end += 1 }
            var p = sorted[i]
            for q in sorted[(i + 1)..<end] where SearchProblem.sameCost(q.cost, sorted[i].cost) && tieBefore(q, p) { p = q }
            i = end
            if p.resource >= safeFrom {
                if p.cost < bestSafe { out.append(p); bestSafe = p.cost }
            } else {
                out.append(p)
            }
        }
        return out
    }

    /// The tie order after equal costs: fewer cycles, fewer weight bytes, earlier trace.
    static func tieBefore(_ a: Point, _ b: Point) -> Bool {
        if a.cycles != b.cycles { return a.cycles < b.cycles }
        if a.bytes != b.bytes { return a.bytes < b.bytes }
        return a.trace < b.trace
    }

    /// One point per resource bucket: the cheapest.
    static func bucket(_ points: [Point], width: Int64, origin: Int64) -> [Point] {
        var out: [Point] = []
        var lastBucket: Int64 = .min
        for p in points {
            let b = (p.resource - origin) / width
            if b == lastBucket {
                if p.cost < out[out.count - 1].cost { out[out.count - 1] = p }
            } else {
                out.append(p)
                lastBucket = b
            }
        }
        return out
    }

    /// The cheapest point whose resource lies within the problem's bounds. Costs within a
    /// relative 1e-9 are equal; among those, fewer cycles win, then fewer weight bytes, then the
    /// layer order (the configuration whose first differing layer is denser).
    public func solve(_ problem: SearchProblem) -> SearchResult? {
        let f = front(problem)
        let b = problem.bounds
        let feasible = f.points.filter { $0.resource >= b.min && $0.resource <= b.max }
        guard let cheapest = feasible.min(by: { $0.cost < $1.cost }) else { return nil }
        let tied = feasible.filter { SearchProblem.sameCost($0.cost, cheapest.cost) }
        let best = tied.map { ($0, f.choice($0)) }.min { x, y in
            if x.0.cycles != y.0.cycles { return x.0.cycles < y.0.cycles }
            if x.0.bytes != y.0.bytes { return x.0.bytes < y.0.bytes }
            return x.1.lexicographicallyPrecedes(y.1)
        }!
        let choice = best.1
        let note =
            f.bucketWidth == 0
            ? "exact Pareto dynamic program (\(f.points.count) front points)"
            : "Pareto dynamic program with buckets of \(f.bucketWidth) resource units; optimal within \(f.errorBound) units of the budget"
        return SearchResult(
            choice: choice, cost: problem.costs.cost(choice), predictedCycles: problem.table.cycles(choice),
            optimizer: "dp", notes: [note])
    }
}

/// Tries every combination; for checking the other optimisers on small problems.
package enum ExhaustiveSearch {
    /// Nil when there are more than `limit` combinations or none is feasible.
    package static func solve(_ problem: SearchProblem, limit: Int = 2_000_000) -> SearchResult? {
        var count = 1
        for o in problem.allowed {
            count *= o.count
            if count > limit { return nil }
        }
        var digit = Array(repeating: 0, count: problem.layerCount)
        var choice = problem.allowed.map { $0[0] }
        var best: (cost: Double, choice: [Int])?
        for _ in 0..<count {
            if problem.feasible(choice) {
                let c = problem.costs.cost(choice)
                if best == nil || c < best!.cost { best = (c, choice) }
            }
            for j in digit.indices {
                digit[j] += 1
                if digit[j] < problem.allowed[j].count { choice[j] = problem.allowed[j][digit[j]]; break }
                digit[j] = 0
                choice[j] = problem.allowed[j][0]
            }
        }
        guard let best else { return nil }
        return SearchResult(
            choice: best.choice, cost: best.cost, predictedCycles: problem.table.cycles(best.choice),
            optimizer: "exhaustive", notes: ["\(count) combinations tried"])
    }
}
