import NMSimKernel
import NMSimTestSupport
import Testing

@testable import NMSimModel

/// The fold pipeline's fast-forward ([CycleModel.md](../../Docs/CycleModel.md#fast-forward)):
/// skipping the steady state's periods gives the result of simulating every fold.
@Suite("Fast-forward")
struct FastForwardTests {
    /// Random GEMMs on random specs (``MapperBoundsTests/specs(_:seed:)``, some on SCALE-Sim
    /// timing) under the mapper's candidate schedules, one to four instances: the same layer
    /// result with fast-forward on and off, and the same branch-and-bound stop.
    @Test func skippingPeriodsChangesNoResult() throws {
        var compared = 0
        for (i, (base, io)) in try MapperBoundsTests.specs(15, seed: 91).enumerated() {
            var spec = base
            if i % 5 == 4 { spec.timing = .scaleSim }
            let mapper = Mapper(spec: spec)
            var on = LayerSimulator(spec: spec, io: io)
            on.fastForward = true
            var off = on
            off.fastForward = false
            var r = SeededRandom(seed: 300 + UInt64(i))
            for _ in 0..<2 {
                let shape = GEMMShape(m: 1 + r.below(200), n: 1 + r.below(300), k: 1 + r.below(300))
                let instances = 1 + r.below(4)
                for pattern in ([NMPattern.dense] + spec.supportedPatterns).suffix(2) {
                    for c in mapper.candidates(shape, pattern: pattern, instances: instances).prefix(8) {
                        let plan = FoldPlan(
                            shape: shape, pattern: pattern, dataflow: spec.dataflow, rows: spec.rows, columns: spec.columns,
                            instances: instances, schedule: c.schedule)
                        guard plan.folds >= FoldFastForward.minimumFolds && plan.folds <= 20_000 else { continue }
                        let full = try off.simulate(shape, pattern: pattern, instances: instances, schedule: c.schedule)
                        let fast = try on.simulate(shape, pattern: pattern, instances: instances, schedule: c.schedule)
                        #expect(fast == full, "\(spec.dataflow) \(spec.rows)x\(spec.columns) \(shape) ×\(instances) \(pattern) \(c.schedule)")
                        compared += 1
                        // Stopped early at the same bounds, or the same run.
                        let work = FoldCostModel(plan: plan, spec: spec, timing: spec.timing.strategy, io: io).totals()?.array ?? 0
                        for cycles in [full.cycles - 1, full.cycles * 9 / 10] {
                            let a = try off.simulate(
                                shape, pattern: pattern, instances: instances, schedule: c.schedule, within: (cycles, work))
                            let b = try on.simulate(
                                shape, pattern: pattern, instances: instances, schedule: c.schedule, within: (cycles, work))
                            #expect(a == b, "\(shape) \(pattern) \(c.schedule) within \(cycles)")
                        }
                    }
                }
            }
        }
        #expect(compared > 100, "only \(compared) runs compared")
    }

    /// It does skip: most of the folds of DeiT-B's fc1 on `flex-nm4`, fixed schedule or not.
    @Test func theSteadyStateIsSkipped() throws {
        let spec = try preset("flex-nm4")
        let shape = GEMMShape(m: 197, n: 3072, k: 768)
        for schedule in [nil, Schedule(order: [.columns, .rows, .temporal], temporalTile: 32, prefetch: 2)] {
            let plan = FoldPlan(
                shape: shape, pattern: pattern("2:4"), dataflow: spec.dataflow, rows: spec.rows, columns: spec.columns, schedule: schedule)
            let costs = FoldCostModel(plan: plan, spec: spec, timing: spec.timing.strategy)
            let dram = FixedLatencyDRAM(
                bytesPerCycle: spec.dram.bytesPerCycle, latencyCycles: spec.dram.latencyCycles, burstBytes: spec.dram.burstBytes)
            var model = FoldPipeline(plan: plan, costs: costs, spec: spec, dram: dram, sink: nil, fastForward: true)
            var kernel = Kernel<FoldPipelineEvent>(eventLimit: plan.folds * 8 + 16)
            model.start(&kernel)
            try kernel.run(&model)
            let skipped = model.fastForward?.skippedFolds ?? 0
            #expect(
                model.drained == plan.folds && skipped * 10 > plan.folds * 8, "\(schedule?.description ?? "fixed"): \(skipped) of \(plan.folds) folds skipped")
        }
    }

    /// Two folds whose tile indices are of the same class along every loop do the same work,
    /// on every fold of random layers: what fast-forward relies on.
    @Test func foldsOfTheSameClassesDoTheSameWork() throws {
        var checked = 0
        for (i, (spec, io)) in try MapperBoundsTests.specs(12, seed: 57).enumerated() {
            let mapper = Mapper(spec: spec)
            var r = SeededRandom(seed: 700 + UInt64(i))
            let shape = GEMMShape(m: 1 + r.below(120), n: 1 + r.below(200), k: 1 + r.below(200))
            for pattern in [NMPattern.dense] + spec.supportedPatterns {
                for c in mapper.candidates(shape, pattern: pattern).prefix(6) {
                    let plan = FoldPlan(
                        shape: shape, pattern: pattern, dataflow: spec.dataflow, rows: spec.rows, columns: spec.columns, schedule: c.schedule)
                    let costs = FoldCostModel(plan: plan, spec: spec, timing: spec.timing.strategy, io: io)
                    var seen: [[Int]: FoldWork] = [:]
                    var classes: [FoldIndexClass] = []
                    for f in 0..<Swift.min(plan.folds, 5000) {
                        let t = plan.tiles(of: f)
                        let k = [costs.indexClass(.rows, t.row), costs.indexClass(.columns, t.column), costs.indexClass(.temporal, t.temporal)]
                        let key = k.map { c in
                            let i = classes.firstIndex(of: c) ?? classes.count
                            if i == classes.count { classes.append(c) }
                            return i
                        }
                        let w = costs.work(f)
                        if let v = seen[key] {
                            #expect("\(v)" == "\(w)", "\(spec.dataflow) \(shape) \(pattern) \(c.schedule): fold \(f) differs from a fold of its classes")
                        } else {
                            seen[key] = w
                        }
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 10_000)
    }
}
