import Testing

@testable import NMSimModel
@testable import NMSimSearch

/// The search stays exact with elementwise fusion and activation residency: every layer's
/// cycles depend on its own pattern only, so the latency table adds up to the simulated network.
@Suite("Search with fusion")
struct FusionSearchTests {
    /// DeiT-T's layers up to its seventh searchable one, on flex-nm4 with fusion and residency on
    /// and a vector unit slow enough that fused GELUs stall some patterns and not others.
    static func problem() throws -> (HardwareSpec, LatencyTable) {
        var spec = try preset("flex-nm4")
        #expect(spec.dataMovement == DataMovementOptions(fuseElementwise: true, activationsOnChip: true))
        spec.vector.lanes = 8
        let full = VisionTransformer.named("deit-t")!.workload()
        var layers: [Layer] = []
        for l in full.layers {
            layers.append(l)
            if layers.filter(\.sparsifiable).count == 7 { break }
        }
        let w = Workload(name: "deit-t-prefix", layers: layers)
        return (spec, try LatencyTable(spec: spec, workload: w, parallel: false))
    }

    @Test func fusionIsExercisedAndTheTableMatchesReSimulation() throws {
        let (spec, table) = try Self.problem()
        let sim = NetworkSimulator(spec: spec)
        var rng = SeededGenerator(seed: 5)
        var vectorStalls = Set<Bool>()
        for trial in 0..<12 {
            let choice = table.options.map { trial == 0 ? 0 : Int(rng.next() % UInt64($0.count)) }
            let r = try sim.run(table.workload, patterns: table.patterns(choice), parallel: false)
            #expect(r.totalCycles == table.cycles(choice), "choice \(choice)")
            #expect(abs(r.energyPJ - table.energyPJ(choice)) <= 1e-6 * r.energyPJ, "choice \(choice)")
            #expect(r.layers.contains { $0.layer.name.hasSuffix("mlp.gelu") && $0.result.cycles == 0 })
            vectorStalls.formUnion(r.layers.filter { $0.layer.name.hasSuffix("mlp.fc1") }.map { $0.result.stalls.vector > 100 })
        }
        #expect(vectorStalls == [true, false], "the fused GELU stalls fc1 at some patterns only")
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func dpEqualsExhaustiveWithFusionOn(seed: UInt64) throws {
        let (_, table) = try Self.problem()
        let costs = randomCosts(table, seed: seed)
        let lo = table.cycles(table.options.map { $0.count - 1 }), hi = table.cycles(table.options.map { _ in 0 })
        for c in [SearchConstraint.latency(maxCycles: lo + (hi - lo) / 3), .latency(maxCycles: lo + (hi - lo) * 2 / 3)] {
            let p = SearchProblem(table: table, costs: costs, constraint: c)
            let dp = try #require(ParetoDP().solve(p), "\(c)")
            let ex = try #require(ExhaustiveSearch.solve(p), "\(c)")
            #expect(abs(dp.cost - ex.cost) < 1e-9, "\(c): dp \(dp.cost) exhaustive \(ex.cost)")
            #expect(p.feasible(dp.choice))
        }
    }
}
