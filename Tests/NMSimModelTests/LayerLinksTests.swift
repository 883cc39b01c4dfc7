import NMSimReport
import Testing

@testable import NMSimModel

/// Elementwise fusion and activation residency between layers (`dataMovement` in a spec).
@Suite("Layer links")
struct LayerLinksTests {
    /// flex-nm4 with the given data movement and vector lanes.
    static func spec(fuse: Bool, onChip: Bool, lanes: Int = 32, ifmapKiB: Int = 1024) throws -> HardwareSpec {
        var s = try preset("flex-nm4")
        s.dataMovement = DataMovementOptions(fuseElementwise: fuse, activationsOnChip: onChip)
        s.vector.lanes = lanes
        s.ifmap.capacityBytes = ifmapKiB * 1024
        return s
    }

    /// fc1 → GELU → fc2, as in a transformer's MLP.
    static let mlp = Workload(
        name: "mlp",
        layers: [
            Layer(name: "fc1", kind: .gemm(GEMMShape(m: 197, n: 768, k: 192))),
            Layer(name: "gelu", kind: .vector(.gelu, elements: 197 * 768)),
            Layer(name: "fc2", kind: .gemm(GEMMShape(m: 197, n: 192, k: 768))),
        ])

    static func run(_ spec: HardwareSpec, _ w: Workload = mlp, _ p: NMPattern = .dense) throws -> NetworkReport {
        try NetworkSimulator(spec: spec).run(w, patterns: w.layers.map { _ in p }, parallel: false)
    }

    @Test func fusedGELUIsHiddenWhenTheVectorUnitKeepsUpWithTheDrain() throws {
        // 256 lanes do GELU's 8 lane-cycles per element at 32 elements a cycle, the rate the
        // 32 columns drain at.
        let alone = try Self.run(Self.spec(fuse: false, onChip: true, lanes: 256))
        let fused = try Self.run(Self.spec(fuse: true, onChip: true, lanes: 256))
        let gelu = alone.layers[1].result.cycles
        #expect(gelu > 4_000)
        #expect(fused.layers[1].result.cycles == 0 && fused.layers[1].result.vectorElementOps == 0)
        let fc1 = fused.layers[0].result
        // At most the vector unit's latency is left after the last drain.
        #expect(fc1.stalls.vector <= 4)
        #expect(fc1.cycles <= alone.layers[0].result.cycles + 4)
        #expect(fc1.vectorElementOps == alone.layers[1].result.vectorElementOps)
        #expect(fused.totalCycles + gelu <= alone.totalCycles + 4)
        #expect(fc1.computeCycles + fc1.stalls.total == fc1.cycles)
        // The reports say what was fused.
        let json = JSONWriter.write(ReportFormatter.json(fused))
        #expect(json.contains("\"epilogue\": [\n") && json.contains("\"gelu\"") && json.contains("\"fused\": true"))
        #expect(ReportFormatter.table(fused).split(separator: "\n").contains { $0.hasPrefix("gelu ") && $0.hasSuffix(" fused") })
    }

    @Test func fusedGELUStretchesTheDrainUnderTheVectorCauseWhenTheUnitIsSlow() throws {
        let alone = try Self.run(Self.spec(fuse: false, onChip: true, lanes: 4))
        let fused = try Self.run(Self.spec(fuse: true, onChip: true, lanes: 4))
        let fc1 = fused.layers[0].result
        let geluWork = Int64(197 * 768 * 8 / 4)
        #expect(fc1.limiter == "vector")
        #expect(fc1.stalls.vector > geluWork / 2)
        // The layer lasts at least as long as the vector unit works, and the fused pair is never
        // slower than running them one after the other.
        #expect(fc1.cycles >= geluWork)
        #expect(fc1.cycles <= alone.layers[0].result.cycles + alone.layers[1].result.cycles)
        #expect(fc1.computeCycles + fc1.stalls.total == fc1.cycles)
        let table = ReportFormatter.csv(fused)
        #expect(table.contains("stall_vector"))
    }

    @Test func anInputThatFitsIsReadOnChipAndOneThatDoesNotFromDRAM() throws {
        // fc1's output (197 × 768 bytes, 148 KiB) fits half of a 1 MiB ifmap buffer, not half of 256 KiB.
        let tensor = Int64(197 * 768)
        let fits = try Self.run(Self.spec(fuse: false, onChip: true))
        let spills = try Self.run(Self.spec(fuse: false, onChip: true, ifmapKiB: 256))
        let costs = CostModel(spec: try Self.spec(fuse: false, onChip: true))
        // On chip: fc1 writes nothing to DRAM, GELU and fc2 read nothing from it.
        #expect(fits.layers[0].result.traffic.dramWriteBytes == 0)
        #expect(fits.layers[1].result.traffic.dramReadBytes == 0 && fits.layers[1].result.traffic.dramWriteBytes == 0)
        #expect(fits.layers[1].result.traffic.sramReadBytes == tensor)
        #expect(fits.layers[2].result.traffic.byOperand.dramInput == 0)
        #expect(costs.energy(fits.layers[2].result, pattern: .dense)["dramInput"] == 0)
        // Through DRAM: each tensor is written once by its producer and read by its consumer.
        #expect(spills.layers[0].result.traffic.dramWriteBytes == tensor)
        #expect(spills.layers[1].result.traffic.dramReadBytes == tensor && spills.layers[1].result.traffic.dramWriteBytes == tensor)
        #expect(spills.layers[2].result.traffic.byOperand.dramInput >= tensor)
        #expect(CostModel(spec: try Self.spec(fuse: false, onChip: true, ifmapKiB: 256)).energy(spills.layers[2].result, pattern: .dense)["dramInput"] > 0)
        // The last layer's output always goes to DRAM.
        #expect(fits.layers[2].result.traffic.dramWriteBytes == Int64(197 * 192))
        #expect(fits.traffic.dramReadBytes < spills.traffic.dramReadBytes)
        #expect(fits.energyPJ < spills.energyPJ)
    }

    @Test func withoutResidencyEveryVectorLayerMovesItsBytesThroughDRAM() throws {
        let w = Workload(
            name: "attn",
            layers: [
                Layer(name: "qk", kind: .gemm(GEMMShape(m: 64, n: 64, k: 32)), sparsifiable: false, hasParameters: false, count: 2),
                Layer(name: "softmax", kind: .vector(.softmax, elements: 2 * 64 * 64)),
                Layer(name: "norm", kind: .vector(.layerNorm, elements: 2 * 64 * 64)),
            ])
        let r = try Self.run(Self.spec(fuse: true, onChip: false), w)
        let bytes = Int64(2 * 64 * 64)
        for l in r.layers.dropFirst() {
            #expect(l.result.traffic.dramReadBytes == bytes && l.result.traffic.dramWriteBytes == bytes, "\(l.layer.name)")
            #expect(l.result.cycles >= Int64(Double(2 * bytes) / 64), "\(l.layer.name)")
        }
        #expect(r.layers[0].result.traffic.dramWriteBytes == bytes)
    }

    @Test func linksDependOnShapesOnlyAndSCALESimTimingRunsLayersStandalone() throws {
        let w = VisionTransformer.named("deit-t")!.workload()
        let spec = try preset("flex-nm4")
        let links = LayerLinks.plan(w, spec: spec)
        var sparse = w
        for i in sparse.layers.indices where sparse.layers[i].sparsifiable { sparse.layers[i].pattern = pattern("1:4") }
        #expect(LayerLinks.plan(sparse, spec: spec) == links)
        let names = Dictionary(uniqueKeysWithValues: zip(w.layers.map(\.name), links))
        #expect(names["blocks.0.mlp.gelu"]!.fused && names["blocks.0.add1"]!.fused && names["blocks.0.add2"]!.fused)
        #expect(!names["blocks.0.attn.softmax"]!.fused && !names["blocks.0.norm1"]!.fused)
        #expect(names["blocks.0.mlp.fc1"]!.epilogue == [.gelu] && names["blocks.0.attn.proj"]!.epilogue == [.add])
        #expect(names["blocks.0.attn.qk"]!.inputOnChip && names["blocks.0.attn.av"]!.weightsOnChip)
        #expect(!links[0].inputOnChip && !links.last!.outputOnChip)
        var cfg = spec
        cfg.timing = .scaleSim
        #expect(LayerLinks.plan(w, spec: cfg).allSatisfy { $0 == .standalone })
    }

    @Test func dataMovementNeedsTheNativeTiming() throws {
        var text = Presets.json(named: "flex-nm4")!
        text = text.replacingOccurrences(of: "\"clockGHz\": 1.0,", with: "\"clockGHz\": 1.0, \"timing\": \"scaleSim\",")
        #expect(throws: InputError.self) { try HardwareSpec.decode(json: text, source: "s.json") }
        do {
            _ = try HardwareSpec.decode(json: text, source: "s.json")
        } catch {
            #expect(error.description.contains("dataMovement.fuseElementwise: needs the native timing"))
        }
    }
}
