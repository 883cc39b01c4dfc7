import Testing

@testable import NMSimModel

@Suite("Fold timing strategies")
struct FoldTimingTests {
    @Test func eachModeHasItsStrategy() {
        #expect(TimingModel.native.strategy is NativeTiming)
        #expect(TimingModel.scaleSim.strategy is SCALESimTiming)
    }

    @Test func nativeLoadsAtThePortRateAndSkewsOverUsedPEs() {
        let t = NativeTiming()
        #expect(t.loadCycles(usedRows: 8, arrayRows: 32, bytes: 64, bytesPerCycle: 16) == 8)
        #expect(t.loadCycles(usedRows: 8, arrayRows: 32, bytes: 129, bytesPerCycle: 16) == 9)
        let plan = FoldPlan(shape: GEMMShape(m: 4, n: 4, k: 4), pattern: .dense, dataflow: .weightStationary, rows: 32, columns: 32)
        #expect(t.skewCycles(usedRows: 4, usedColumns: 4, plan: plan, decoderFill: 2) == 8)
    }

    @Test func scaleSimLoadsAndSkewsTheWholeArray() throws {
        let t = SCALESimTiming()
        #expect(t.loadCycles(usedRows: 8, arrayRows: 32, bytes: 1 << 20, bytesPerCycle: 1) == 32)
        let plan = FoldPlan(shape: GEMMShape(m: 4, n: 4, k: 4), pattern: .dense, dataflow: .weightStationary, rows: 32, columns: 16)
        #expect(t.skewCycles(usedRows: 4, usedColumns: 4, plan: plan, decoderFill: 2) == 46)
        let flex = try preset("flex-nm4")
        #expect(!t.portsLimitStreaming && !t.pipelined(flex) && !t.modelsMemory(flex) && !t.decodesAtLoad(plan))
        #expect(NativeTiming().pipelined(flex) == flex.stationaryDoubleBuffered && NativeTiming().modelsMemory(flex))
    }

    @Test(arguments: [
        (fill: Int64(3), load: Int64(2), compute: Int64(5), after: (fill: Int64(2), load: Int64(2), compute: Int64(5))),
        (fill: 0, load: 2, compute: 5, after: (fill: 0, load: 1, compute: 5)),
        (fill: 0, load: 0, compute: 5, after: (fill: 0, load: 0, compute: 4)),
    ])
    func scaleSimTakesItsMinusOneFromSkewThenLoadThenCompute(
        fill: Int64, load: Int64, compute: Int64, after: (fill: Int64, load: Int64, compute: Int64)
    ) {
        var stalls = StallBreakdown()
        stalls.fillDrain = fill
        stalls.load = load
        var c = compute, cycles: Int64 = 100
        SCALESimTiming().finish(cycles: &cycles, stalls: &stalls, compute: &c)
        #expect(cycles == 99 && stalls.fillDrain == after.fill && stalls.load == after.load && c == after.compute)
        var n = compute, nc: Int64 = 100, ns = StallBreakdown()
        NativeTiming().finish(cycles: &nc, stalls: &ns, compute: &n)
        #expect(nc == 100 && n == compute)
    }
}
