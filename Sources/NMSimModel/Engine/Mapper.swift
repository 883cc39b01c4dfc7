/// Whether GEMMs get the mapper's schedule or the fixed one.
public enum MappingMode: String, Sendable, CaseIterable {
    /// The mapper searches tile sizes, loop orders and residency per layer (native timing).
    case search
    /// Full-array tiles over the whole streamed extent in one loop order (the schedule before
    /// the mapper, and SCALE-Sim's).
    case fixed
}

/// What the mapper minimises first; ties go to fewer cycles, then fewer DRAM bytes, then less energy.
public enum MappingObjective: String, Sendable, CaseIterable {
    case latency, energy, edp
}

/// The spec's `mapping` choices for GEMMs: the mapper by default.
public struct MappingOptions: Equatable, Sendable {
    public var mode: MappingMode = .search
    public var objective: MappingObjective = .latency
    public init(mode: MappingMode = .search, objective: MappingObjective = .latency) { self.mode = mode; self.objective = objective }
}

extension HardwareSpec {
    /// Whether GEMMs are scheduled by the mapper: native timing unless `mapping.schedule` is `fixed`.
    package var usesMapper: Bool { timing == .native && mapping.mode == .search }
}

/// The schedule a GEMM ran with, as reports show it.
public struct MappingSummary: Equatable, Sendable {
    public var mode: MappingMode
    /// GEMM dimensions of the tile loops, outermost first ("n,m,k": columns of the output
    /// outermost, tokens, then the reduction innermost).
    public var order: [Character]
    /// The tile one fold computes: tokens, output columns and kept reduction positions.
    public var tileM: Int, tileN: Int, tileK: Int
    /// Folds whose tiles one buffer fill holds (fetched ahead together).
    public var prefetch: Int
    /// Operands kept on chip across the loop that does not index them.
    public var resident: [Operand]

    init(plan: FoldPlan, costs: FoldCostModel) {
        mode = .fixed
        order = plan.schedule.order.filter { plan.tripCount($0) > 1 || plan.schedule.order.allSatisfy { plan.tripCount($0) == 1 } }
            .map { plan.gemmDimension($0) }
        var tile: [Character: Int] = [:]
        tile[plan.gemmDimension(.rows)] = Swift.min(plan.arrayRows, plan.rowsExtent)
        tile[plan.gemmDimension(.columns)] = Swift.min(plan.arrayColumns, plan.columnsExtent)
        tile[plan.gemmDimension(.temporal)] = plan.temporal
        (tileM, tileN, tileK) = (tile["m"]!, tile["n"]!, tile["k"]!)
        prefetch = plan.schedule.prefetch
        resident = []
        if costs.reused.inputs { resident.append(.inputs) }
        if costs.reused.weights { resident.append(.weights) }
        if costs.reused.outputs { resident.append(.outputs) }
    }

    /// Loop order outermost first, the tile (M×N×K′) and the folds per buffer fill, e.g. "mnk 99x32x32 p6".
    public var brief: String { String(order) + " \(tileM)x\(tileN)x\(tileK) p\(prefetch)" }
}

/// One schedule the mapper considered, with its closed-form estimate.
package struct MappingCandidate: Sendable {
    package var schedule: Schedule
    package var estimatedCycles: Int64
    package var dramBytes: Int64
    package var energyPJ: Double
    /// Bytes the schedule keeps on chip across reuse loops: among equal estimates the
    /// schedules that need less buffer come first, so a bigger buffer only adds candidates
    /// behind the ones a smaller buffer already had.
    package var residentBytes: Int = 0
    /// Set for the candidates run through the event pipeline.
    package var simulated: LayerResult?
    /// Folds of the schedule over every instance.
    package var folds = 0
}

/// Chooses each GEMM's schedule on the native timing.
///
/// Search space: every order of the three tile loops (rows, columns, streamed dimension) and
/// temporal tiles that split the streamed extent (tokens for WS, K′ for OS, N for IS) into
/// 1, 2, 3, 4, 6, 8, 12, 16, … equal parts. Array-level tiles are the array's rows and columns,
/// or half of them. Each operand stays on chip across the loop
/// that does not index it when what it needs there fits its buffer (half when double
/// buffered); otherwise it is fetched again. Candidates are estimated in closed form from the
/// same per-fold work the pipeline uses (folds of a kind counted, not enumerated); the best
/// estimates (those within a few percent of the best) and the fixed schedule are run through
/// the event pipeline and the winner is the best simulated one.
package struct Mapper: Sendable {
    package let spec: HardwareSpec
    let costModel: CostModel
    /// The layer's links to its neighbours (inputs on chip, fused epilogue), which every
    /// candidate is estimated and simulated with.
    package var io = LayerIO.standalone
    package init(spec: HardwareSpec) {
        self.spec = spec
        costModel = CostModel(spec: spec)
    }

    /// Candidates always run through the event pipeline.
    package static let simulatedCandidates = 2
    /// Candidates estimated within this fraction of the best estimate are simulated too: the
    /// estimate cannot tell apart schedules whose DRAM requests bunch differently.
    package static let simulatedMargin = 0.03
    /// The most candidates simulated (unless the layer is small).
    package static let maxSimulated = 12
    /// Every candidate of a layer is simulated when all of them together have at most this many folds.
    package static let exhaustiveFolds = 4_096

    package struct Choice: Sendable {
        package var schedule: Schedule
        package var result: LayerResult
        /// Every candidate, best estimate first; the simulated ones carry their results.
        package var candidates: [MappingCandidate]
        /// Index into `candidates` of the winner.
        package var winner: Int
    }

    /// How a schedule of the GEMM would be reported (its simulated traffic aside).
    package func summary(_ shape: GEMMShape, pattern: NMPattern, schedule: Schedule) -> MappingSummary {
        let plan = FoldPlan(shape: shape, pattern: pattern, dataflow: spec.dataflow, rows: spec.rows, columns: spec.columns, schedule: schedule)
        return MappingSummary(plan: plan, costs: FoldCostModel(plan: plan, spec: spec, timing: NativeTiming()))
    }

    /// Temporal tiles considered for an extent.
    static func temporalTiles(_ extent: Int) -> [Int] {
        var out: [Int] = []
        var parts = 1
        while parts <= extent {
            let t = (extent + parts - 1) / parts
            if out.last != t { out.append(t) }
            // 1, 2, 3, 4, 6, 8, 12, 16, 24, …: closed under doubling, so a GEMM with k times
            // the rows (a batch of k images) can cut its rows into the tiles of one image.
            parts = parts < 4 ? parts + 1 : (parts & (parts - 1) == 0 ? parts + parts / 2 : parts + parts / 3)
        }
        return out
    }

    /// Array-level tiles considered along a dimension of `size` PEs (0: all of them): half and
    /// a quarter of the array, where smaller than the extent (a larger tile is the whole array).
    /// A fold on fewer PEs loads and drains faster, which shortens a small layer's fill; with
    /// quarters, an array twice as large can still run the smaller array's half-array folds.
    static func arrayTiles(_ size: Int, extent: Int) -> [Int] {
        [0] + [size / 2, size / 4].filter { $0 >= 1 && $0 < extent }
    }

    /// Every distinct schedule, with its estimate, best first for the objective.
    package func candidates(_ shape: GEMMShape, pattern: NMPattern, instances: Int = 1) -> [MappingCandidate] {
        let families = families(shape, pattern: pattern, instances: instances)
        var out: [MappingCandidate] = []
        for family in families { out += estimates(family) }
        return ranked(out, places: Array(out.indices))
    }

    /// The candidates ``best(_:pattern:instances:)`` may simulate, best first, and the folds of
    /// every candidate (``simulationOrder(_:_:pattern:instances:folds:)`` needs them all).
    ///
    /// On the latency objective, for a layer whose candidates are not all simulated, families
    /// are estimated in order of their compute bound (every fold streams at least its temporal
    /// tile, one fold after another) and those left are skipped once the bound exceeds both
    /// the second-best estimate so far and the margin over the best: none of their schedules
    /// can be among the two best estimates or within the margin, so the simulation order is
    /// that of the full list.
    func searchCandidates(_ shape: GEMMShape, pattern: NMPattern, instances: Int) -> (candidates: [MappingCandidate], folds: Int) {
        let families = families(shape, pattern: pattern, instances: instances)
        let folds = families.reduce(0) { $0 + $1.first.folds * $1.orders.count }
        guard spec.mapping.objective == .latency, folds > Self.exhaustiveFolds else {
            var out: [MappingCandidate] = []
            for family in families { out += estimates(family) }
            return (ranked(out, places: Array(out.indices)), folds)
        }
        var bounded: [(place: Int, bound: Int64, family: Family)] = []
        var place = 0
        for family in families {
            let p = family.first
            bounded.append((place, Int64(p.instances) * Int64(p.rowTiles) * Int64(p.columnTiles) * Int64(p.temporalExtent), family))
            place += family.orders.count
        }
        bounded.sort { $0.bound < $1.bound || ($0.bound == $1.bound && $0.place < $1.place) }
        var out: [MappingCandidate] = [], places: [Int] = []
        var best = Int64.max, second = Int64.max
        for family in bounded {
            if second < .max && family.bound > second && Double(family.bound) > Double(best) * (1 + Self.simulatedMargin) { break }
            for (j, c) in estimates(family.family).enumerated() {
                out.append(c)
                places.append(family.place + j)
                if c.estimatedCycles < best {
                    (best, second) = (c.estimatedCycles, best)
                } else if c.estimatedCycles < second {
                    second = c.estimatedCycles
                }
            }
        }
        return (ranked(out, places: places), folds)
    }

    /// The schedules of one row, column and temporal tile whose loops differ: the plan of the
    /// first (one fold per buffer fill) and every distinct order.
    struct Family {
        var first: FoldPlan
        var orders: [[Schedule.Loop]]
    }

    /// The distinct schedules, family by family, in the order they are enumerated.
    func families(_ shape: GEMMShape, pattern: NMPattern, instances: Int) -> [Family] {
        let probe = FoldPlan(shape: shape, pattern: pattern, dataflow: spec.dataflow, rows: spec.rows, columns: spec.columns)
        var out: [Family] = []
        for rowTile in Self.arrayTiles(spec.rows, extent: probe.rowsExtent) {
            for columnTile in Self.arrayTiles(spec.columns, extent: probe.columnsExtent) {
                for t in Self.temporalTiles(probe.temporalExtent) {
                    // Loops of one trip do not change the schedule. The tiles differ between
                    // families (each array-level and temporal tile uses a different number of
                    // rows, columns or streamed elements), so within one the loops of more than
                    // one trip, in order (two bits each), tell schedules apart.
                    let first = FoldPlan(
                        shape: shape, pattern: pattern, dataflow: spec.dataflow, rows: spec.rows, columns: spec.columns,
                        instances: instances,
                        schedule: Schedule(order: Schedule.orders[0], temporalTile: t, rowTile: rowTile, columnTile: columnTile))
                    var family = Family(first: first, orders: [])
                    var seen: UInt64 = 0
                    for order in Schedule.orders {
                        var loops = 0
                        for l in order where first.tripCount(l) > 1 { loops = loops * 4 + (l == .rows ? 1 : (l == .columns ? 2 : 3)) }
                        guard seen & (1 << loops) == 0 else { continue }
                        seen |= 1 << loops
                        family.orders.append(order)
                    }
                    out.append(family)
                }
            }
        }
        return out
    }

    /// One family's schedules with their estimates, in the order given.
    ///
    /// The orders share their estimate wherever the same operands stay on chip: a fold's work
    /// depends on the order only through that residency, and the prefetch depth (from the
    /// first fold, which fetches every operand) not at all.
    func estimates(_ family: Family) -> [MappingCandidate] {
        let first = family.first
        let depth = prefetchDepth(first)
        // The family's estimates by residency (one bit per operand), at most eight.
        var byResidency: [(residency: Int, estimate: Estimate)] = []
        return family.orders.map { order in
            var schedule = first.schedule
            schedule.order = order
            let plan =
                order == first.schedule.order
                ? first
                : FoldPlan(
                    shape: first.shape, pattern: first.pattern, dataflow: spec.dataflow, rows: spec.rows, columns: spec.columns,
                    instances: first.instances, schedule: schedule)
            schedule.prefetch = depth
            let costs = FoldCostModel(plan: plan, spec: spec, timing: NativeTiming(), io: io)
            let reused = costs.reused
            let residency = (reused.inputs ? 1 : 0) + (reused.weights ? 2 : 0) + (reused.outputs ? 4 : 0)
            let e: Estimate
            if let known = byResidency.first(where: { $0.residency == residency }) {
                e = known.estimate
            } else {
                e = estimate(costs, prefetch: depth)
                byResidency.append((residency, e))
            }
            return MappingCandidate(
                schedule: schedule, estimatedCycles: e.cycles, dramBytes: e.dramBytes, energyPJ: e.energyPJ,
                residentBytes: residentBytes(costs), folds: plan.folds)
        }
    }

    /// Candidates best first for the objective; ties in the order of their `places` in the enumeration.
    func ranked(_ out: [MappingCandidate], places: [Int]) -> [MappingCandidate] {
        let keys = out.map { c in
            let k = rank(c.estimatedCycles, c.dramBytes, c.energyPJ)
            return RankKey(k.first, Double(c.residentBytes), k.second, k.third)
        }
        let order = out.indices.sorted { keys[$0].precedes(keys[$1]) || (keys[$0] == keys[$1] && places[$0] < places[$1]) }
        // Room for the fixed schedule, which `simulationOrder` may append.
        var sorted: [MappingCandidate] = []
        sorted.reserveCapacity(out.count + 1)
        for i in order { sorted.append(out[i]) }
        return sorted
    }

    /// How many folds' fetched tiles fit one buffer half at once (at most ``Schedule/maxPrefetch``):
    /// the first fold fetches the most of every operand.
    func prefetchDepth(_ plan: FoldPlan) -> Int {
        let w = FoldCostModel(plan: plan, spec: spec, timing: NativeTiming()).work(at: FoldIndex(row: 0, column: 0, temporal: 0))
        var depth = Schedule.maxPrefetch
        if w.inputBytes > 0 { depth = Swift.min(depth, spec.ifmap.residentBytes / w.inputBytes) }
        if w.weightBytes > 0 { depth = Swift.min(depth, spec.filter.residentBytes / w.weightBytes) }
        if w.partialReadBytes > 0 { depth = Swift.min(depth, spec.ofmap.residentBytes / w.partialReadBytes) }
        return Swift.max(depth, 1)
    }

    /// Bytes the schedule keeps on chip across reuse loops.
    func residentBytes(_ costs: FoldCostModel) -> Int {
        let reused = costs.reused
        return (reused.inputs ? costs.footprint(.inputs) : 0) + (reused.weights ? costs.footprint(.weights) : 0)
            + (reused.outputs ? costs.footprint(.outputs) : 0)
    }

    /// The objective's ordering key: first key, then cycles, DRAM bytes and energy.
    func rank(_ cycles: Int64, _ dram: Int64, _ energy: Double) -> RankKey {
        let c = Double(cycles), d = Double(dram)
        switch spec.mapping.objective {
        case .latency: return RankKey(c, d, energy)
        case .energy: return RankKey(energy, c, d)
        case .edp: return RankKey(energy * c, c, d)
        }
    }

    func rank(_ r: LayerResult, _ pattern: NMPattern) -> RankKey {
        rank(r.cycles, r.traffic.dramReadBytes + r.traffic.dramWriteBytes, costModel.energy(r, pattern: pattern).total)
    }

    /// Closed-form estimate of one schedule: folds of each kind (first, middle, last index
    /// along each loop) counted once and weighted by how many there are. A fold on the array
    /// takes the longest of its stream, its load (pipelined loads run one at a time) and its
    /// fetch (its bus time, or its latency and bus time shared by the folds fetched ahead); the
    /// DRAM bus carries every fetch, residual read and write; the decoder decodes every group;
    /// the vector unit runs every fused epilogue. Each of the four resources' busy time gets
    /// what cannot overlap it (the first fold's fetch, decode and load before the array
    /// streams; the last fold's drain, epilogue overrun and write after it), and the estimate
    /// is the longest of the four.
    func estimate(_ plan: FoldPlan) -> MappingCandidate {
        let costs = FoldCostModel(plan: plan, spec: spec, timing: NativeTiming(), io: io)
        let e = estimate(costs, prefetch: plan.schedule.prefetch)
        return MappingCandidate(
            schedule: plan.schedule, estimatedCycles: e.cycles, dramBytes: e.dramBytes, energyPJ: e.energyPJ,
            residentBytes: residentBytes(costs), simulated: nil, folds: plan.folds)
    }

    /// A schedule's estimate: cycles, DRAM bytes and energy.
    struct Estimate {
        var cycles: Int64, dramBytes: Int64, energyPJ: Double
    }

    /// The estimate of the schedule `costs` was made for, with `prefetch` folds fetched ahead.
    func estimate(_ costs: FoldCostModel, prefetch: Int) -> Estimate {
        let plan = costs.plan
        let pipelined = spec.stationaryDoubleBuffered
        let depth = Int64(prefetch)
        let ideal = spec.dram.model == .ideal
        let dramModel = FixedLatencyDRAM(
            bytesPerCycle: spec.dram.bytesPerCycle, latencyCycles: spec.dram.latencyCycles,
            burstBytes: spec.dram.burstBytes)
        func bus(_ bytes: Int) -> Int64 { ideal ? 0 : dramModel.busCycles(bytes: bytes).count }
        let latency = ideal ? Int64(0) : Int64(spec.dram.latencyCycles)
        var chain: Int64 = 0, busy: Int64 = 0, dram: Int64 = 0, decode: Int64 = 0, groups: Int64 = 0, macs: Int64 = 0, vector: Int64 = 0
        var traffic = Traffic()
        var first = FoldWork(), last = FoldWork()
        var cycleBound: Int64 = 0
        // Later instances' first folds fetch in the chain, like any other fold.
        var laterFirstFetch: Int64 = 0
        for (ri, rn) in FoldKinds(plan.rowTiles) {
            for (ci, cn) in FoldKinds(plan.columnTiles) {
                for (ti, tn) in FoldKinds(plan.temporalTiles) {
                    let w = costs.work(at: FoldIndex(row: ri, column: ci, temporal: ti))
                    let n = Int64(rn * cn * tn)
                    // Pipelined, a fold loads while the previous one streams, one load at a
                    // time, so a fold shorter than its load waits for it.
                    let fold = Int64(pipelined ? Swift.max(w.streamCycles, w.loadCycles) : w.streamCycles + w.loadCycles + w.skewCycles)
                    // Fetches ahead overlap their latencies, not their bus time: the bus
                    // carries one fold's bytes at a time, so a fold that fetches more than it
                    // streams is bus-bound however deep the prefetch.
                    let fetchBus = bus(w.fetchBytes), writeBus = bus(w.writeBytes)
                    let fetch = w.fetchBytes > 0 ? Swift.max(fetchBus + writeBus, (latency + fetchBus + depth - 1) / depth) : 0
                    // The first fold's fetch is in the fill.
                    let isFirst = ri == 0 && ci == 0 && ti == 0
                    chain += isFirst ? fold : n * Swift.max(fold, fetch)
                    if isFirst { laterFirstFetch = Swift.max(fold, fetch) - fold }
                    busy += n * (fetchBus + writeBus + bus(w.skipFetchBytes))
                    vector += n * Int64(w.vectorCycles)
                    dram += n * Int64(w.fetchBytes + w.writeBytes + w.skipFetchBytes)
                    traffic.dramReadBytes += n * Int64(w.fetchBytes)
                    traffic.dramWriteBytes += n * Int64(w.writeBytes)
                    traffic.sramReadBytes += n * Int64(w.sramReadBytes)
                    traffic.sramWriteBytes += n * Int64(w.sramWriteBytes)
                    traffic.byOperand = traffic.byOperand + w.split.scaled(by: n)
                    cycleBound += n * Int64(w.temporal)
                    groups += n * Int64(w.groups)
                    decode += n * Int64(w.decodeGroups)
                    macs += n * Int64(w.mappedPEs) * Int64(w.temporal)
                    if isFirst { first = w }
                    if ri == plan.rowTiles - 1 && ci == plan.columnTiles - 1 && ti == plan.temporalTiles - 1 { last = w }
                }
            }
        }
        let k = Int64(plan.instances)
        let decodeCycles = (decode + Int64(spec.decoder.groupsPerCycle) - 1) / Int64(spec.decoder.groupsPerCycle)
        // Each resource's busy time plus what cannot overlap it. Before the array streams, the
        // first fold's fetch, decode (sparse WS) and load; after the last stream, its drain,
        // the fused epilogue's overrun and the last write (bus time and DRAM latency).
        let firstDecode =
            NativeTiming().decodesAtLoad(plan) && first.decodeGroups > 0
            ? Int64((first.decodeGroups + spec.decoder.groupsPerCycle - 1) / spec.decoder.groupsPerCycle + spec.decoder.latencyCycles) : 0
        let firstFetch = first.fetchBytes > 0 ? latency + bus(first.fetchBytes) : 0
        let lastWrite = bus(last.writeBytes)
        let head = firstFetch + firstDecode + Int64(pipelined ? first.loadCycles : 0)
        let vectorTail = Int64(Swift.max(0, last.vectorCycles - last.streamCycles - last.skewCycles))
        let writeLatency = last.writeBytes > 0 ? latency : 0
        let tail = Int64(pipelined ? last.skewCycles : 0) + vectorTail + writeLatency
        // The array: every fold in turn, each waiting for its fetch.
        let arrayPath = head + chain * k + laterFirstFetch * (k - 1) + tail + lastWrite
        // The bus: every transfer; the first fetch's latency before it, the last fold after it.
        let lastFold = Int64(last.streamCycles)
        let busPath = busy * k + (busy > 0 ? latency : 0) + lastFold + tail
        // The decoder and the vector unit: all their work between the first fetch and the last fold.
        let decodePath = firstFetch + decodeCycles * k + Int64(pipelined ? last.loadCycles : 0) + lastFold + tail + lastWrite
        let vectorPath = head + vector * k + writeLatency + lastWrite
        let cycles = Swift.max(arrayPath, busPath, decodePath, vectorPath)
        var r = LayerResult(
            cycles: cycles, computeCycles: cycleBound * k, stalls: StallBreakdown(), folds: plan.folds, macs: macs * k, denseMACs: 0,
            weightBytes: 0, metadataBytes: 0, decodedGroups: groups * k, traffic: traffic.scaled(by: k), vectorElementOps: 0, events: 0)
        r.mappedPEs = 0
        return Estimate(cycles: cycles, dramBytes: dram * k, energyPJ: costModel.energyTotal(r, pattern: plan.pattern))
    }

    /// The best schedule for a GEMM and its simulated result. The fixed schedule is always
    /// among those simulated, so the mapper is never slower than it on its objective.
    package func choose(_ shape: GEMMShape, pattern: NMPattern, instances: Int = 1) throws(LayerSimulator.Failure) -> Choice {
        var all = candidates(shape, pattern: pattern, instances: instances)
        let simulate = simulationOrder(&all, shape, pattern: pattern, instances: instances, folds: all.reduce(0) { $0 + $1.folds })
        let sim = LayerSimulator(spec: spec, io: io)
        var best: (index: Int, key: RankKey)?
        var bestResult: LayerResult?
        for i in simulate {
            let r = try sim.simulate(shape, pattern: pattern, instances: instances, schedule: all[i].schedule, mode: .search)
            all[i].simulated = r
            let key = rank(r, pattern)
            if best == nil || key.precedes(best!.key) { best = (i, key); bestResult = r }
        }
        return Choice(schedule: all[best!.index].schedule, result: bestResult!, candidates: all, winner: best!.index)
    }

    /// The candidates that ``choose(_:pattern:instances:)`` simulates, in the order it
    /// simulates them (indices into `all`; the fixed schedule is appended to `all` when no
    /// candidate is it); `folds`: those of every candidate, `all` or not.
    func simulationOrder(_ all: inout [MappingCandidate], _ shape: GEMMShape, pattern: NMPattern, instances: Int, folds allFolds: Int) -> [Int] {
        let probe = FoldPlan(shape: shape, pattern: pattern, dataflow: spec.dataflow, rows: spec.rows, columns: spec.columns)
        let fixed = Schedule.fixed(spec.dataflow, temporalExtent: probe.temporalExtent)
        // The best estimates are simulated: at least `simulatedCandidates`, then every one
        // within `simulatedMargin` of the best, up to `maxSimulated` and while their folds stay
        // within a few times the fixed schedule's.
        // A small layer (all its candidates together within `exhaustiveFolds` folds) has every
        // candidate simulated: there the estimate's fill terms are least accurate.
        let fixedFolds = probe.folds * instances
        var simulate: [Int] = []
        if allFolds <= Self.exhaustiveFolds {
            simulate = Array(all.indices)
        } else {
            var folds = 0
            let within = Double(all.first?.estimatedCycles ?? 0) * (1 + Self.simulatedMargin)
            for i in all.indices where simulate.count < Self.maxSimulated {
                guard simulate.count < Self.simulatedCandidates || Double(all[i].estimatedCycles) <= within else { break }
                let f = all[i].folds
                guard simulate.count < Self.simulatedCandidates || folds + f <= 6 * fixedFolds + 4_096 else { continue }
                simulate.append(i)
                folds += f
            }
        }
        if !simulate.contains(where: { all[$0].schedule == fixed }) {
            if let i = all.firstIndex(where: { $0.schedule == fixed }) {
                simulate.append(i)
            } else {
                all.append(
                    estimate(
                        FoldPlan(
                            shape: shape, pattern: pattern, dataflow: spec.dataflow, rows: spec.rows, columns: spec.columns,
                            instances: instances, schedule: fixed)))
                simulate.append(all.count - 1)
            }
        }
        return simulate
    }
}

/// An objective's ordering key, compared like an array of its values: the first that differs
/// decides (without allocating).
struct RankKey: Equatable {
    var first: Double, second: Double, third: Double, fourth: Double

    init(_ first: Double, _ second: Double, _ third: Double, _ fourth: Double = 0) {
        (self.first, self.second, self.third, self.fourth) = (first, second, third, fourth)
    }

    func precedes(_ other: RankKey) -> Bool {
        if first < other.first { return true }
        if other.first < first { return false }
        if second < other.second { return true }
        if other.second < second { return false }
        if third < other.third { return true }
        if other.third < third { return false }
        return fourth < other.fourth
    }
}
