import NMSimKernel
import Testing

@testable import NMSimModel

@Suite("DRAM channel")
struct DRAMTests {
    @Test(arguments: [(bytes: 64, cycles: 1), (bytes: 65, cycles: 2), (bytes: 1, cycles: 1), (bytes: 128, cycles: 2), (bytes: 0, cycles: 0)])
    func busTimeRoundsUpToWholeBursts(bytes: Int, cycles: Int64) {
        let d = FixedLatencyDRAM(bytesPerCycle: 64, latencyCycles: 100, burstBytes: 64)
        #expect(d.busCycles(bytes: bytes) == Cycles(cycles))
    }

    @Test func requestsQueueBehindEachOtherAndPayLatencyOnce() {
        var d = FixedLatencyDRAM(bytesPerCycle: 32, latencyCycles: 10, burstBytes: 32)
        #expect(d.transfer(bytes: 64, requestedAt: Cycle(0)) == Cycle(12))  // bus 0..2, +10
        #expect(d.transfer(bytes: 32, requestedAt: Cycle(1)) == Cycle(13))  // waits for bus until 2
        #expect(d.transfer(bytes: 32, requestedAt: Cycle(3)) == Cycle(14))  // bus idle at 3: exactly at the boundary
        #expect(d.transfer(bytes: 32, requestedAt: Cycle(50)) == Cycle(61))
    }

    @Test func fractionalBandwidthRoundsUp() {
        let d = FixedLatencyDRAM(bytesPerCycle: 10, latencyCycles: 0, burstBytes: 1)
        #expect(d.busCycles(bytes: 10) == Cycles(1))
        #expect(d.busCycles(bytes: 11) == Cycles(2))
    }
}

@Suite("Sparse index decoder")
struct DecoderTests {
    @Test(arguments: [(groups: 64, busy: 1), (groups: 65, busy: 2), (groups: 1, busy: 1), (groups: 0, busy: 0), (groups: 128, busy: 2)])
    func occupancyIsGroupsOverRateRoundedUp(groups: Int, busy: Int64) {
        let d = SparseIndexDecoder(DecoderSpec(groupsPerCycle: 64, latencyCycles: 3))
        #expect(d.occupancy(groups: groups) == Cycles(busy))
    }

    @Test func batchesPipelineBehindTheFirstStage() {
        var d = SparseIndexDecoder(DecoderSpec(groupsPerCycle: 4, latencyCycles: 5))
        let a = d.decode(groups: 8, requestedAt: Cycle(0))  // busy 0..2, ready 7
        let b = d.decode(groups: 4, requestedAt: Cycle(1))  // starts at 2, busy to 3, ready 8
        #expect(a.start == Cycle(0) && a.done == Cycle(7))
        #expect(b.start == Cycle(2) && b.done == Cycle(8))
    }
}

@Suite("Vector unit")
struct VectorUnitTests {
    @Test func costIsElementsTimesCostOverLanesPlusLatency() {
        let v = VectorUnit(VectorUnitSpec(lanes: 32, latencyCycles: 4, cyclesPerElement: [.softmax: 4, .add: 1, .gelu: 8, .layerNorm: 5]))
        #expect(v.cycles(.add, elements: 32) == 5)
        #expect(v.cycles(.add, elements: 33) == 6)
        #expect(v.cycles(.softmax, elements: 8) == 5)
        #expect(v.cycles(.gelu, elements: Int.max / 2) == nil)
    }
}

@Suite("N:M pattern")
struct NMPatternTests {
    @Test(arguments: [("2:4", "2:4"), ("1:4", "1:4"), ("4:4", "4:4"), (" 1 : 8 ", "1:8"), ("1:1", "1:1")])
    func parsesValidPatterns(text: String, expected: String) throws {
        #expect(try NMPattern.parse(text).get().description == expected)
    }

    @Test(arguments: [
        ("0:4", "N must be between 1 and M (got 0:4)"),
        ("5:4", "N must be between 1 and M (got 5:4)"),
        ("two:four", "expected an N:M pattern such as 2:4, found \"two:four\""),
        ("2:4:8", "expected an N:M pattern such as 2:4, found \"2:4:8\""),
        ("", "expected an N:M pattern such as 2:4, found \"\""),
        ("1:0", "M must be between 1 and 256 (got 1:0)"),
        ("1:512", "M must be between 1 and 256 (got 1:512)"),
    ])
    func rejectsMalformedPatternsWithAMessage(text: String, message: String) {
        switch NMPattern.parse(text) {
        case .success(let p): Issue.record("accepted \(p)")
        case .failure(let e): #expect(e.description == message)
        }
    }

    @Test(arguments: [
        (p: "2:4", k: 768, kept: 384), (p: "1:4", k: 66, kept: 17), (p: "2:4", k: 66, kept: 34),
        (p: "2:4", k: 65, kept: 33), (p: "1:8", k: 64, kept: 8), (p: "4:4", k: 70, kept: 70),
    ])
    func keptLengthFollowsGroupsWithAPartialLastGroup(p: String, k: Int, kept: Int) {
        #expect(pattern(p).keptLength(k) == kept)
    }

    @Test func indexBitsAreCeilLog2M() {
        #expect(pattern("2:4").indexBits == 2)
        #expect(pattern("1:8").indexBits == 3)
        #expect(pattern("4:4").indexBits == 0)
        #expect(NMPattern(n: 1, m: 5)!.indexBits == 3)
    }

    @Test func ordersByDensity() {
        #expect([pattern("4:4"), pattern("1:4"), pattern("2:4")].sorted() == [pattern("1:4"), pattern("2:4"), pattern("4:4")])
    }
}

@Suite("Fold plan")
struct FoldPlanTests {
    @Test func weightStationaryTilesKeptReductionOverRowsAndOutputsOverColumns() {
        let p = FoldPlan(shape: GEMMShape(m: 197, n: 2304, k: 768), pattern: pattern("2:4"), dataflow: .weightStationary, rows: 32, columns: 32)
        #expect(p.keptK == 384)
        #expect(p.rowTiles == 12 && p.columnTiles == 72 && p.folds == 864)
        #expect(p.temporal == 197)
    }

    @Test func edgeFoldsUseOnlyTheRemainingRowsAndColumns() {
        let p = FoldPlan(shape: GEMMShape(m: 50, n: 40, k: 70), pattern: .dense, dataflow: .outputStationary, rows: 32, columns: 32)
        #expect(p.folds == 4)
        #expect(p.used(0) == (32, 32))
        #expect(p.used(1) == (32, 8))
        #expect(p.used(2) == (18, 32))
        #expect(p.used(3) == (18, 8))
    }
}
