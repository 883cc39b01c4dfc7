import NMSimTestSupport
import Testing

@testable import NMSimModel

/// The mapper's branch and bound: the bounds it prunes with hold for every run, and the
/// bounded search picks what the full one picks, with the same result.
@Suite("Mapper bounds")
struct MapperBoundsTests {
    /// Specs drawn from a fixed seed around `flex-nm4`: odd and small arrays (row tiles that
    /// cut N:M groups), every dataflow, both multiplexer placements, single- and
    /// double-buffered stationary registers, ideal and modelled DRAM, small buffers, and a
    /// fused epilogue with a residual add.
    static func specs(_ count: Int, seed: UInt64) throws -> [(spec: HardwareSpec, io: LayerIO)] {
        var r = SeededRandom(seed: seed)
        let base = try preset("flex-nm4")
        return (0..<count).map { _ in
            var s = base
            s.mapping.mode = .search
            s.rows = [3, 5, 6, 8, 12, 32][r.below(6)]
            s.columns = [4, 7, 16, 32][r.below(4)]
            s.dataflow = [Dataflow.weightStationary, .outputStationary, .inputStationary][r.below(3)]
            s.mux = r.chance(50) ? .perPE : .perRow
            s.stationaryDoubleBuffered = r.chance(70)
            if r.chance(20) { s.dram.model = .ideal }
            if r.chance(40) { s.ifmap.capacityBytes = 4096 << r.below(4) }
            if r.chance(40) { s.ofmap.capacityBytes = 2048 << r.below(4) }
            if r.chance(30) { s.filter.capacityBytes = 2048 << r.below(4) }
            var io = LayerIO.standalone
            if r.chance(40) {
                io.epilogue = [.gelu, .add]
                io.skipOnChip = r.chance(50)
            }
            io.inputOnChip = r.chance(25)
            return (s, io)
        }
    }

    static func shapes(_ count: Int, seed: UInt64) -> [GEMMShape] {
        var r = SeededRandom(seed: seed)
        return (0..<count).map { _ in GEMMShape(m: 1 + r.below(96), n: 1 + r.below(160), k: 1 + r.below(160)) }
    }

    @Test func foldTotalsAreTheSumOverEveryFold() throws {
        var uniform = 0, differing = 0
        for (i, (spec, io)) in try Self.specs(12, seed: 7).enumerated() {
            let mapper = Mapper(spec: spec)
            for shape in Self.shapes(4, seed: UInt64(i)) {
                for pattern in [NMPattern.dense] + spec.supportedPatterns {
                    for c in mapper.candidates(shape, pattern: pattern, instances: 1 + i % 2).prefix(12) {
                        let plan = FoldPlan(
                            shape: shape, pattern: pattern, dataflow: spec.dataflow, rows: spec.rows, columns: spec.columns,
                            instances: 1 + i % 2, schedule: c.schedule)
                        let costs = FoldCostModel(plan: plan, spec: spec, timing: NativeTiming(), io: io)
                        var stream: Int64 = 0, serial: Int64 = 0
                        // The work of the first fold of each kind; every other fold of it must match.
                        var firstOfKind: [[Int]: FoldWork] = [:]
                        var sameKindDiffers = false
                        for f in 0..<plan.folds {
                            let w = costs.work(f)
                            stream += Int64(w.streamCycles)
                            serial += Int64(w.loadCycles + w.streamCycles + w.skewCycles)
                            let v = firstOfKind[plan.kindOf(f % plan.foldsPerInstance), default: w]
                            firstOfKind[plan.kindOf(f % plan.foldsPerInstance)] = v
                            if (v.streamCycles, v.fetchBytes, v.writeBytes, v.loadCycles, v.skewCycles)
                                != (w.streamCycles, w.fetchBytes, w.writeBytes, w.loadCycles, w.skewCycles)
                            {
                                sameKindDiffers = true
                            }
                        }
                        guard let totals = costs.totals() else {
                            differing += 1
                            continue
                        }
                        uniform += 1
                        #expect(!sameKindDiffers, "\(spec.dataflow) \(spec.rows)x\(spec.columns) \(shape) \(pattern) \(c.schedule): folds of a kind differ")
                        #expect(totals.array == (spec.stationaryDoubleBuffered ? stream : serial), "\(shape) \(pattern) \(c.schedule)")
                    }
                }
            }
        }
        // Both branches ran.
        #expect(uniform > 100 && differing > 0, "\(uniform) uniform, \(differing) not")
    }

    @Test func theBoundsNeverExceedASimulatedRun() throws {
        for (i, (spec, io)) in try Self.specs(8, seed: 11).enumerated() {
            var mapper = Mapper(spec: spec)
            mapper.io = io
            let sim = LayerSimulator(spec: spec, io: io)
            for shape in Self.shapes(3, seed: 100 + UInt64(i)) {
                for pattern in [NMPattern.dense] + spec.supportedPatterns {
                    for c in mapper.candidates(shape, pattern: pattern).prefix(8) {
                        let plan = FoldPlan(
                            shape: shape, pattern: pattern, dataflow: spec.dataflow, rows: spec.rows, columns: spec.columns, schedule: c.schedule)
                        guard let totals = FoldCostModel(plan: plan, spec: spec, timing: NativeTiming(), io: io).totals() else { continue }
                        let r = try sim.simulate(shape, pattern: pattern, instances: 1, schedule: c.schedule)
                        #expect(totals.bound <= r.cycles, "\(spec.dataflow) \(shape) \(pattern) \(c.schedule): bound \(totals.bound) > \(r.cycles)")
                        // Bounded at the run's own cycles it is not stopped, and it is the same run.
                        let same = try sim.simulate(
                            shape, pattern: pattern, instances: 1, schedule: c.schedule, within: (r.cycles, totals.array))
                        #expect(same == r)
                        let below = try sim.simulate(
                            shape, pattern: pattern, instances: 1, schedule: c.schedule, within: (r.cycles - 1, totals.array))
                        #expect(below == nil, "\(shape) \(pattern) \(c.schedule): not stopped below its \(r.cycles) cycles")
                    }
                }
            }
        }
    }

    @Test(arguments: [MappingObjective.latency, .energy])
    func theBoundedSearchPicksWhatTheFullOnePicks(objective: MappingObjective) throws {
        var cases = try Self.specs(14, seed: 23)
        for name in Presets.names {
            var spec = try preset(name)
            spec.mapping.mode = .search
            cases.append((spec, .standalone))
        }
        for (i, (base, io)) in cases.enumerated() {
            var spec = base
            spec.mapping.objective = objective
            var mapper = Mapper(spec: spec)
            mapper.io = io
            // Small shapes (the full search simulates many candidates of each), and one with a
            // long reduction.
            for shape in Self.shapes(2, seed: 200 + UInt64(i)) + [GEMMShape(m: 24, n: 96, k: 768)] {
                for pattern in ([NMPattern.dense] + spec.supportedPatterns).suffix(2) {
                    let full = try mapper.choose(shape, pattern: pattern, instances: 1 + i % 2)
                    let best = try mapper.best(shape, pattern: pattern, instances: 1 + i % 2)
                    #expect(best.schedule == full.schedule && best.result == full.result, "\(spec.name) \(shape) \(pattern)")
                }
            }
        }
    }
}

extension FoldPlan {
    /// The kind of fold `f` of an instance: 0 first, 1 middle, 2 last index along rows,
    /// columns and the temporal loop.
    fileprivate func kindOf(_ f: Int) -> [Int] {
        let t = tiles(of: f)
        return [(t.row, rowTiles), (t.column, columnTiles), (t.temporal, temporalTiles)].map { $0.0 == 0 ? 0 : ($0.0 == $0.1 - 1 ? 2 : 1) }
    }
}
