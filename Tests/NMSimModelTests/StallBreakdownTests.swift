import Testing

@testable import NMSimModel
@testable import NMSimReport

@Suite("Stall breakdown")
struct StallBreakdownTests {
    /// A breakdown whose cause i holds `base + i`, so every counter differs.
    func distinct(_ base: Int64) -> StallBreakdown {
        var s = StallBreakdown()
        for c in StallCause.allCases { s[c] = base + Int64(c.rawValue) }
        return s
    }

    @Test func sumScaleAndTotalCoverEveryCause() {
        let a = distinct(10), b = distinct(100)
        for c in StallCause.allCases {
            #expect((a + b)[c] == a[c] + b[c], "\(c)")
            #expect(a.scaled(by: 3)[c] == 3 * a[c], "\(c)")
        }
        #expect(a.total == StallCause.allCases.reduce(0) { $0 + a[$1] })
        #expect(a.entries.map(\.name) == StallCause.allCases.map(\.name))
    }

    @Test func namedCountersAreTheCausesStorage() {
        var s = StallBreakdown()
        s.memory = 1; s.decoder = 2; s.activationBandwidth = 3; s.weightBandwidth = 4; s.outputBandwidth = 5; s.load = 6; s.fillDrain = 7; s.vector = 8
        #expect(StallCause.allCases.map { s[$0] } == [1, 2, 3, 4, 5, 6, 7, 8])
    }

    @Test func limiterIsTheLargestCauseThatCanLimitFirstOnATie() {
        var s = StallBreakdown()
        #expect(s.limiter == nil)
        s.fillDrain = 50
        #expect(s.limiter == nil)
        s.load = 5; s.decoder = 5
        #expect(s.limiter == .decoder)
        s.weightBandwidth = 9
        #expect(s.limiter == .weightBandwidth)
    }

    @Test func reportColumnsComeFromTheCauses() {
        let header = ReportFormatter.csvHeader.split(separator: ",").map(String.init)
        #expect(header.filter { $0.hasPrefix("stall_") } == StallCause.allCases.map(\.csvColumn))
        #expect(ReportFormatter.stallGroups == ["mem", "dec", "bw", "load", "fill", "vec"])
        #expect(Set(StallCause.allCases.map(\.csvColumn)).count == StallCause.allCases.count)
        #expect(Set(StallCause.allCases.map(\.name)).count == StallCause.allCases.count)
    }
}

@Suite("Operand traffic")
struct OperandTrafficTests {
    /// Traffic whose counter i holds `base + i` (mirrored counters follow their source).
    func distinct(_ base: Int64) -> OperandTraffic {
        var t = OperandTraffic()
        for c in TrafficCounter.allCases where c.mirrors == nil { t[c] = base + Int64(c.rawValue) }
        return t
    }

    @Test func sumAndScaleCoverEveryCounter() {
        let a = distinct(10), b = distinct(100)
        for c in TrafficCounter.allCases {
            #expect((a + b)[c] == a[c] + b[c], "\(c)")
            #expect(a.scaled(by: 3)[c] == 3 * a[c], "\(c)")
        }
        #expect(a.entries.map(\.name) == TrafficCounter.allCases.map(\.name))
        #expect(Set(TrafficCounter.allCases.map(\.name)).count == TrafficCounter.allCases.count)
    }

    @Test func everyCounterFitsTheInlineStorage() {
        #expect(TrafficCounter.allCases.count <= OperandTraffic.capacity)
        #expect(TrafficCounter.allCases.map(\.rawValue) == Array(TrafficCounter.allCases.indices))
    }

    @Test func bufferWritesAreTheFetchesIntoThem() {
        let t = OperandTraffic([.dramInput: 7, .dramWeight: 9, .ifmapRead: 3])
        #expect(t.ifmapWrite == 7 && t.filterWrite == 9 && t.ifmapRead == 3 && t.ofmapWrite == 0)
        #expect(
            t.entries.map(\.name) == [
                "dramInput", "dramWeight", "dramMetadata", "dramPartialRead", "dramPartialWrite", "ifmapRead", "ifmapWrite", "filterRead",
                "filterWrite", "metadataRead", "ofmapRead", "ofmapWrite",
            ])
    }
}
