import Foundation
import Testing

@testable import NMSimModel
@testable import NMSimReport

@Suite("Area and energy")
struct CostModelTests {
    /// Published-number check: the SRAM read-energy model (∝ √capacity, through Horowitz's
    /// 8 KB point) reproduces his other two published points, 20 pJ at 32 KB exactly and
    /// 100 pJ at 1 MB within 15 % (Horowitz, ISSCC 2014, 64-bit reads at 45 nm).
    @Test func sramEnergyReproducesHorowitz() {
        #expect(abs(Horowitz45.sramRead64PJ(kib: 32) - 20) < 1e-9)
        let mb = Horowitz45.sramRead64PJ(kib: 1024)
        #expect(abs(mb - 100) / 100 <= 0.15, "1 MB: \(mb) pJ")
    }

    /// Published-number check of area: the TPU v1 die (Jouppi et al., "In-datacenter
    /// performance analysis of a Tensor Processing Unit", ISCA 2017, Section 2 and Fig. 2): the
    /// 24 MiB Unified Buffer is "almost a third of the die" and the 256 × 256 8-bit Matrix
    /// Multiply Unit "a quarter", so MAC array area / buffer area ≈ (1/4) / (1/3) = 0.75 (a little more, as
    /// the buffer is under a third). The
    /// model's 65,536 8-bit MACs (32-bit accumulators) against a 24 MiB SRAM must give that
    /// ratio within 30 % whatever the (unpublished) banking of the buffer, from 1 bank to 64
    /// banks of 32-byte words (the array reads 256 one-byte activations per cycle: 8 such banks
    /// suffice, 64 is eight times the need). The ratio does not depend on the node: both
    /// areas scale by the same factor.
    @Test func tpuV1MacArrayToBufferAreaRatio() throws {
        var spec = try preset("flex-nm4")
        spec.rows = 256
        spec.columns = 256
        spec.supportedPatterns = []
        let macs = CostModel(spec: spec).area["peArray"]
        let published = 0.25 / (1.0 / 3)
        for banks in [1, 8, 16, 64] {
            let ub = BufferSpec(capacityBytes: 24 << 20, banks: banks, bankWidthBytes: 32, ports: 1, doubleBuffered: false)
            let c = CostModel(spec: spec)
            let ratio = macs / CostModel.sramMM2(ub, bitUM2: c.sramBitUM2, peripheryUM: c.sramPeripheryUM)
            #expect(abs(ratio - published) / published <= 0.30, "\(banks) banks: MAC array / buffer area \(ratio)")
        }
    }

    /// The 45 nm defaults are Horowitz's numbers: 8-bit multiply 0.2 pJ plus a 32-bit add 0.1 pJ
    /// per MAC; the node scaling follows Stillmaker & Baas (7 nm at 0.7 V ≈ 4.7 % of 45 nm
    /// energy, 5.9 % of its area).
    @Test func defaultsAreThePublishedNumbers() throws {
        let spec = try preset("flex-nm4")
        let c = CostModel(spec: spec)
        #expect(abs(c.macPJ - 0.3) < 1e-12)
        #expect(abs(c.vectorPJPerElementOp - 1.5) < 1e-12)
        #expect(c.dramPJPerByte == 160)
        var seven = spec
        seven.technology = TechnologySpec(nodeNm: 7)
        #expect(abs(seven.technology.energyScale - 0.0470) < 0.0005)
        let c7 = CostModel(spec: seven)
        #expect(abs(c7.area.total / c.area.total - 0.059) < 1e-9)
        #expect(abs(c7.macPJ / c.macPJ - seven.technology.energyScale) < 1e-12)
    }

    /// The N:M logic defaults come from the NanGate FreePDK45 typical library (1.1 V, brought
    /// to 1.0 V with the 45 nm fit): a 4:1 mux tree on 8-bit activations is 3 × 8 stages of
    /// ½ × (2.97 fJ + ½ × 0.946 fF × 1.1² V²) = 35.7 fJ per selection; decoding a 2:4 group
    /// clocks 2 × 2 index flip-flops (8.34 fJ) and switches 2 × 2 one-hot AND2 outputs
    /// (2.435 fJ) = 36.2 fJ; leakage is DFF_X1's 79.11 nW over 4.522 µm² = 17.49 mW/mm².
    @Test func nmLogicDefaultsAreTheCellLibrarysNumbers() throws {
        let c = CostModel(spec: try preset("flex-nm4"))
        #expect(abs(c.muxPJ - 0.035660) < 1e-6, "\(c.muxPJ)")
        #expect(abs(c.decodePJPerGroup - 0.036157) < 1e-6, "\(c.decodePJPerGroup)")
        #expect(abs(c.leakageMWPerMM2 - 17.4945) < 1e-4, "\(c.leakageMWPerMM2)")
    }

    /// The default SRAM periphery reproduces CACTI 7's area efficiency at 45 nm (cell area /
    /// total area of a single-bank, single-ported RAM of 64-bit words) at every size it was
    /// run for, and lies between them in between.
    @Test func sramAreaReproducesCACTI() {
        for (kib, efficiency) in [(1, 0.675227), (4, 0.751282), (16, 0.793671), (64, 0.853001), (256, 0.901487)] {
            let b = BufferSpec(capacityBytes: kib << 10, banks: 1, bankWidthBytes: 8, ports: 1, doubleBuffered: false)
            let cells = Double(kib << 10) * 8 * 0.346 / 1e6
            let e = cells / CostModel.sramMM2(b, bitUM2: 0.346)
            #expect(abs(e - efficiency) < 1e-9, "\(kib) KiB: \(e)")
        }
        let mid = BufferSpec(capacityBytes: 32 << 10, banks: 1, bankWidthBytes: 8, ports: 1, doubleBuffered: false)
        let e = Double(32 << 10) * 8 * 0.346 / 1e6 / CostModel.sramMM2(mid, bitUM2: 0.346)
        #expect(e > 0.793671 && e < 0.853001)
    }

    @Test func sparseHardwareCostsArea() throws {
        let sparse = try preset("flex-nm4")
        var dense = sparse
        dense.supportedPatterns = []
        let a = CostModel(spec: sparse).area, b = CostModel(spec: dense).area
        #expect(a.total > b.total)
        #expect(a["muxes"] > 0 && a["decoders"] > 0 && b["muxes"] == 0 && b["decoders"] == 0)
        #expect(a["peArray"] == b["peArray"])
        // A wider group needs wider muxes; per-row muxes cost less than per-PE ones.
        let nm8 = CostModel(spec: try preset("flex-nm8")).area
        #expect(nm8["muxes"] > a["muxes"])
        var perRow = sparse
        perRow.mux = .perRow
        #expect(CostModel(spec: perRow).area["muxes"] < a["muxes"])
    }

    @Test func sramAreaDependsOnSizeBanksAndPorts() {
        let b = BufferSpec(capacityBytes: 64 << 10, banks: 1, bankWidthBytes: 8, ports: 1, doubleBuffered: true)
        func mm2(_ b: BufferSpec) -> Double { CostModel.sramMM2(b, bitUM2: 0.346, peripheryUM: 30) }
        var big = b; big.capacityBytes *= 4
        var banked = b; banked.banks = 16
        var ported = b; ported.ports = 2
        #expect(mm2(big) > 3.5 * mm2(b) && mm2(big) < 4 * mm2(b))  // periphery grows slower than cells
        #expect(mm2(banked) > mm2(b))
        #expect(mm2(ported) > 1.9 * mm2(b))
        // CACTI's multi-ported cell: a second port makes the cell 15 F × 19.6 F instead of 10 F × 14.6 F.
        #expect(abs(CostModel.sramPortFactor(2) - 294.0 / 146) < 1e-12 && CostModel.sramPortFactor(1) == 1)
    }

    @Test(arguments: [Dataflow.weightStationary, .outputStationary, .inputStationary], [MuxPlacement.perPE, .perRow])
    func trafficByOperandAddsUp(dataflow: Dataflow, mux: MuxPlacement) throws {
        var spec = try preset("flex-nm4")
        spec.dataflow = dataflow
        spec.mux = mux
        spec.ofmap.capacityBytes = 4096  // forces partial-sum spills
        spec.ifmap.capacityBytes = 8192
        for p in ["4:4", "2:4", "1:4"] {
            let r = try LayerSimulator(spec: spec).simulate(GEMMShape(m: 197, n: 768, k: 768), pattern: pattern(p))
            let t = r.traffic, o = t.byOperand
            #expect(t.dramReadBytes == o.dramInput + o.dramWeight + o.dramPartialRead)
            #expect(t.sramReadBytes == o.ifmapRead + o.filterRead + o.ofmapRead)
            #expect(t.sramWriteBytes == o.ifmapWrite + o.filterWrite + o.ofmapWrite)
            #expect(o.dramPartialWrite <= t.dramWriteBytes && o.dramMetadata <= o.dramWeight && o.metadataRead <= o.filterRead)
            #expect((o.metadataRead > 0) == (p != "4:4"))
        }
    }

    @Test func energyComponentsSumToTheTotalAndFollowTheCounters() throws {
        var spec = try preset("flex-nm4")
        spec.energy.macPJ = 2
        let w = VisionTransformer.named("deit-t")!.workload(batch: 2)
        let patterns = w.layers.map { $0.sparsifiable ? pattern("2:4") : NMPattern.dense }
        let r = try NetworkSimulator(spec: spec).run(w, patterns: patterns)
        #expect(r.energy.entries.map(\.name) == CostModel.energyComponents)
        #expect(abs(r.energy.total - r.energyPJ) <= 1e-9 * r.energyPJ)
        #expect(abs(r.layers.reduce(0) { $0 + $1.energyPJ } - r.energyPJ) <= 1e-9 * r.energyPJ)
        #expect(r.energy["mac"] == Double(r.macs) * 2)
        #expect(r.images == 2 && r.energyPerImagePJ == r.energyPJ / 2)
        for c in ["mux", "metadata", "decode", "dramInput", "dramWeight", "dramOutput", "vector", "leakage", "ifmapRead"] {
            #expect(r.energy[c] > 0, "\(c)")
        }
        // JSON: the components sum to energyPJ.
        let json = ReportFormatter.json(r)
        guard case .object(let top) = json, case .object(let parts)? = top.first(where: { $0.key == "energy" })?.value else {
            Issue.record("no energy object"); return
        }
        let sum = parts.reduce(0.0) { acc, p in if case .number(let v) = p.value { return acc + v } else { return acc } }
        #expect(abs(sum - r.energyPJ) <= 1e-9 * r.energyPJ)
        // CSV: per-layer energy columns.
        let csv = ReportFormatter.csv(r).split(separator: "\n")
        #expect(csv[0].hasSuffix("energy_leakage_pj") && csv[0].contains("energy_dram_partial_sums_pj"))
        #expect(csv[1].split(separator: ",").count == csv[0].split(separator: ",").count)
    }

    @Test func overridesAndErrorsAreLocated() throws {
        #expect(
            SpecTests.errors { $0["technology"] = ["nodeNm": 28] } == [
                "s.json: technology.nodeNm: no published scaling for 28 nm; expected one of 130, 90, 65, 45, 32, 20, 16, 14, 10, 7"
            ])
        #expect(SpecTests.errors { $0["technology"] = ["nodeNm": 7, "voltage": 5] } == ["s.json: technology.voltage: must be between 0.3 and 2 (got 5)"])
        #expect(
            SpecTests.errors { $0["energy"] = ["macPJ": -1, "mysteryPJ": 1] } == [
                "s.json: energy.macPJ: must be between 0 and 1000000 (got -1)", "s.json: energy.mysteryPJ: unknown key",
            ])
        #expect(SpecTests.errors { $0["area"] = ["sramBitUM2": "big"] }.count == 1)
        #expect(
            SpecTests.errors {
                var d = $0["dram"] as! [String: Any]; d["kind"] = "ddr9"; $0["dram"] = d
            } == ["s.json: dram.kind: unknown value \"ddr9\"; expected one of: ddr3, gddr5, hbm2"])
        let text = Presets.json(named: "flex-nm4")!.replacingOccurrences(
            of: "\"technology\": { \"nodeNm\": 45 }",
            with: "\"technology\": { \"nodeNm\": 7, \"voltage\": 0.8 }, \"area\": { \"macUM2\": 100 }, \"energy\": { \"dramPJPerByte\": 5 }")
        let s = try HardwareSpec.decode(json: text, source: "s.json")
        let c = CostModel(spec: s)
        #expect(s.technology.volts == 0.8 && c.macUM2 == 100 && c.dramPJPerByte == 5)
        #expect(c.area["peArray"] == 1024 * 100 / 1e6)
        #expect(c.parameters.filter(\.given).map(\.key) == ["energy.dramPJPerByte", "area.macUM2"])
    }
}
