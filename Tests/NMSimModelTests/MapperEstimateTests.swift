import NMSimTestSupport
import Testing

@testable import NMSimModel

/// The mapper's candidates, whose orders share estimates within a family of tiles, against
/// each schedule estimated on its own from a fresh fold plan.
@Suite("Mapper estimates")
struct MapperEstimateTests {
    /// Every distinct schedule, each estimated on its own, in the mapper's order (best first,
    /// ties in enumeration order).
    static func reference(_ mapper: Mapper, _ shape: GEMMShape, pattern: NMPattern, instances: Int) -> [MappingCandidate] {
        let spec = mapper.spec
        func plan(_ s: Schedule) -> FoldPlan {
            FoldPlan(
                shape: shape, pattern: pattern, dataflow: spec.dataflow, rows: spec.rows, columns: spec.columns, instances: instances,
                schedule: s)
        }
        let probe = plan(Schedule.fixed(spec.dataflow, temporalExtent: 1))
        var seen = Set<String>()
        var out: [MappingCandidate] = []
        for rowTile in Mapper.arrayTiles(spec.rows, extent: probe.rowsExtent) {
            for columnTile in Mapper.arrayTiles(spec.columns, extent: probe.columnsExtent) {
                for t in Mapper.temporalTiles(probe.temporalExtent) {
                    for order in Schedule.orders {
                        var schedule = Schedule(order: order, temporalTile: t, rowTile: rowTile, columnTile: columnTile)
                        let p = plan(schedule)
                        let loops = order.filter { p.tripCount($0) > 1 }.map(\.rawValue).joined(separator: ">")
                        let used = (Swift.min(p.arrayRows, p.rowsExtent), Swift.min(p.arrayColumns, p.columnsExtent))
                        guard seen.insert("\(loops) \(p.temporal) \(used)").inserted else { continue }
                        schedule.prefetch = mapper.prefetchDepth(p)
                        out.append(mapper.estimate(plan(schedule)))
                    }
                }
            }
        }
        func key(_ c: MappingCandidate) -> [Double] {
            let k = mapper.rank(c.estimatedCycles, c.dramBytes, c.energyPJ)
            return [k.first, Double(c.residentBytes), k.second, k.third]
        }
        return out.indices.sorted { key(out[$0]).lexicographicallyPrecedes(key(out[$1])) || (key(out[$0]) == key(out[$1]) && $0 < $1) }
            .map { out[$0] }
    }

    static func expectSame(_ mapper: Mapper, _ shape: GEMMShape, _ pattern: NMPattern, instances: Int) -> Int {
        let got = mapper.candidates(shape, pattern: pattern, instances: instances)
        let want = reference(mapper, shape, pattern: pattern, instances: instances)
        let context = "\(mapper.spec.name) \(mapper.spec.dataflow) \(mapper.spec.rows)x\(mapper.spec.columns) \(shape) \(pattern) ×\(instances)"
        #expect(got.count == want.count, "\(context): \(got.count) candidates, \(want.count) expected")
        for (g, w) in zip(got, want) {
            #expect(g.schedule == w.schedule, "\(context): \(g.schedule) where \(w.schedule) expected")
            #expect(g.estimatedCycles == w.estimatedCycles, "\(context) \(w.schedule): cycles")
            #expect(g.dramBytes == w.dramBytes, "\(context) \(w.schedule): DRAM bytes")
            #expect(g.energyPJ.bitPattern == w.energyPJ.bitPattern, "\(context) \(w.schedule): energy \(g.energyPJ) vs \(w.energyPJ)")
            #expect(g.residentBytes == w.residentBytes, "\(context) \(w.schedule): resident bytes")
        }
        return got.count
    }

    /// Seeded random GEMMs on seeded random specs (every dataflow, both multiplexers, small
    /// buffers, fused epilogues, inputs on chip) and on every preset with each objective.
    @Test func candidatesEqualEachScheduleEstimatedAlone() throws {
        var compared = 0
        for (i, (spec, io)) in try MapperBoundsTests.specs(16, seed: 11).enumerated() {
            var mapper = Mapper(spec: spec)
            mapper.io = io
            for shape in MapperBoundsTests.shapes(3, seed: UInt64(100 + i)) {
                for pattern in [NMPattern.dense] + spec.supportedPatterns {
                    compared += Self.expectSame(mapper, shape, pattern, instances: 1 + i % 2)
                }
            }
        }
        let shapes = [GEMMShape(m: 197, n: 768, k: 3072), GEMMShape(m: 49, n: 96, k: 32)] + MapperBoundsTests.shapes(2, seed: 5)
        for (i, name) in Presets.names.enumerated() {
            var spec = try preset(name)
            spec.mapping.objective = MappingObjective.allCases[i % 3]
            var mapper = Mapper(spec: spec)
            mapper.io.epilogue = i % 2 == 0 ? [.gelu] : []
            for shape in shapes {
                for pattern in [NMPattern.dense] + spec.supportedPatterns.prefix(1) {
                    compared += Self.expectSame(mapper, shape, pattern, instances: 1)
                }
            }
        }
        #expect(compared > 2_000)
    }
}

extension MapperEstimateTests {
    /// The energy total the mapper ranks with is the breakdown's total, to the bit.
    @Test func energyTotalIsTheBreakdownsTotal() throws {
        for (i, (spec, io)) in try MapperBoundsTests.specs(12, seed: 23).enumerated() {
            let costs = CostModel(spec: spec)
            for shape in MapperBoundsTests.shapes(2, seed: UInt64(200 + i)) {
                for pattern in [NMPattern.dense] + spec.supportedPatterns {
                    let r = try LayerSimulator(spec: spec, io: io).simulate(shape, pattern: pattern, instances: 1, schedule: nil)
                    let total = costs.energyTotal(r, pattern: pattern)
                    #expect(total.bitPattern == costs.energy(r, pattern: pattern).total.bitPattern, "\(shape) \(pattern): \(total)")
                    #expect(costs.energy(r, pattern: pattern).entries.map(\.name) == CostModel.energyComponents)
                }
            }
        }
    }
}

extension MapperEstimateTests {
    /// The schedules the bounded search simulates, from the candidates it estimates, are those
    /// of the full list, in the same order (families skipped by their compute bound included).
    @Test func skippedFamiliesChangeNoSimulatedSchedule() throws {
        var skipped = 0, layers = 0
        var cases: [(Mapper, GEMMShape, NMPattern, Int)] = []
        for (i, (spec, io)) in try MapperBoundsTests.specs(16, seed: 31).enumerated() {
            var mapper = Mapper(spec: spec)
            mapper.io = io
            for shape in MapperBoundsTests.shapes(3, seed: UInt64(300 + i)) {
                for pattern in [NMPattern.dense] + spec.supportedPatterns { cases.append((mapper, shape, pattern, 1 + i % 2)) }
            }
        }
        for name in Presets.names {
            let spec = try preset(name)
            for shape in [GEMMShape(m: 197, n: 768, k: 3072), GEMMShape(m: 197, n: 197, k: 64), GEMMShape(m: 3136, n: 96, k: 48)] {
                for pattern in [NMPattern.dense] + spec.supportedPatterns.prefix(1) { cases.append((Mapper(spec: spec), shape, pattern, 1)) }
            }
        }
        for (mapper, shape, pattern, instances) in cases {
            var full = mapper.candidates(shape, pattern: pattern, instances: instances)
            let folds = full.reduce(0) { $0 + $1.folds }
            let want = mapper.simulationOrder(&full, shape, pattern: pattern, instances: instances, folds: folds).map { full[$0].schedule }
            var (some, someFolds) = mapper.searchCandidates(shape, pattern: pattern, instances: instances)
            #expect(someFolds == folds)
            let got = mapper.simulationOrder(&some, shape, pattern: pattern, instances: instances, folds: someFolds).map { some[$0].schedule }
            #expect(got == want, "\(mapper.spec.name) \(mapper.spec.rows)x\(mapper.spec.columns) \(shape) \(pattern)")
            skipped += full.count - some.count
            layers += 1
        }
        // The bound must skip something for the comparison to mean anything.
        #expect(skipped > 1_000, "\(skipped) candidates skipped over \(layers) layers")
    }
}
