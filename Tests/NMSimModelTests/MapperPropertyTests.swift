import Testing

@testable import NMSimModel

/// Properties of the mapper's schedules: what a sweep over hardware must be able to trust.
/// Checked on every preset with `mapping.schedule: search`, on the distinct GEMMs of DeiT-T/S/B
/// and Swin-T and on GEMMs drawn from a fixed seed.
@Suite("Mapper")
struct MapperPropertyTests {
    static let networks = ["deit-t", "deit-s", "deit-b", "swin-t"]

    /// Bounds that keep a debug build fast: at most `tokens` rows per image and `width` in N
    /// and K (the networks' shapes above it are cut to it).
    static let tokens = 32
    static let width = 384

    /// A network's distinct GEMM shapes with their instance counts, in order of appearance, at
    /// most `tokens` rows per image (rows that grow with the batch grow from that).
    static func gemms(_ name: String, batch: Int = 1) -> [(shape: GEMMShape, count: Int)] {
        var counts: [GEMMShape: Int] = [:]
        var order: [GEMMShape] = []
        let model = VisionTransformer.named(name)!
        for (one, l) in zip(model.workload().layers, model.workload(batch: batch).layers) {
            guard var s = l.shape, let m = one.shape?.m else { continue }
            s.m = Swift.min(m, tokens) * (s.m == m * batch ? batch : 1)
            (s.n, s.k) = (Swift.min(s.n, width), Swift.min(s.k, width))
            if counts[s] == nil { order.append(s) }
            counts[s, default: 0] += l.count
        }
        return order.map { ($0, counts[$0]!) }
    }

    /// GEMMs drawn from a fixed seed.
    static let random: [GEMMShape] = {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n)) + 1
        }
        return (0..<4).map { _ in GEMMShape(m: next(128), n: next(512), k: next(512)) }
    }()

    /// Every distinct shape of the four networks, then the random ones.
    static let shapes: [GEMMShape] = {
        var seen = Set<GEMMShape>()
        return (networks.flatMap { gemms($0).map(\.shape) } + random).filter { seen.insert($0).inserted }
    }()

    static func searching(_ name: String) throws -> HardwareSpec {
        var spec = try preset(name)
        spec.mapping.mode = .search
        return spec
    }

    /// Dense and the sparsest pattern the spec supports.
    static func patterns(_ spec: HardwareSpec) -> [NMPattern] {
        [NMPattern.dense] + (spec.supportedPatterns.min().map { [$0] } ?? [])
    }

    /// Memoised layer results on one spec.
    final class Runs {
        let sim: LayerSimulator
        var cache: [String: LayerResult] = [:]
        init(_ spec: HardwareSpec) { sim = LayerSimulator(spec: spec) }
        func callAsFunction(_ s: GEMMShape, _ p: NMPattern) throws -> LayerResult {
            let key = "\(s) \(p)"
            if let r = cache[key] { return r }
            let r = try sim.simulate(s, pattern: p)
            cache[key] = r
            return r
        }
    }

    @Test(arguments: Presets.names)
    func batchEightCostsNoMorePerImageThanBatchOne(name: String) throws {
        let spec = try Self.searching(name)
        let runs = Runs(spec)
        for network in Self.networks {
            for p in Self.patterns(spec) {
                let one = try Self.gemms(network).reduce(Int64(0)) { try $0 + runs($1.shape, p).cycles * Int64($1.count) }
                let eight = try Self.gemms(network, batch: 8).reduce(Int64(0)) { try $0 + runs($1.shape, p).cycles * Int64($1.count) }
                #expect(Double(eight) / 8 <= Double(one) * 1.01, "\(name): \(network) at \(p): \(eight / 8) GEMM cycles per image at batch 8 against \(one)")
            }
        }
    }

    @Test(arguments: Presets.names)
    func theMapperIsNeverSlowerThanTheFixedScheduleNorBelowTheBounds(name: String) throws {
        let spec = try Self.searching(name)
        var fixed = spec
        fixed.mapping.mode = .fixed
        let runs = Runs(spec), fixedRuns = Runs(fixed)
        let pes = Int64(spec.rows * spec.columns)
        for shape in Self.shapes {
            var denser = Int64.max
            for p in ([NMPattern.dense] + spec.supportedPatterns).sorted(by: >) {
                let m = try runs(shape, p), f = try fixedRuns(shape, p)
                #expect(m.cycles <= f.cycles, "\(name) \(shape) \(p): mapped \(m.cycles) > fixed \(f.cycles)")
                #expect(m.mapping?.mode == (spec.timing == .native ? .search : .fixed) && f.mapping?.mode == .fixed)
                // Never below the compute bound nor the DRAM-bandwidth bound.
                let bytes = Double(m.traffic.dramReadBytes + m.traffic.dramWriteBytes)
                #expect(m.cycles >= (m.macs + pes - 1) / pes, "\(name) \(shape) \(p): below the compute bound")
                #expect(Double(m.cycles) >= (bytes / spec.dram.bytesPerCycle).rounded(.down), "\(name) \(shape) \(p): below the DRAM bound")
                // A sparser pattern is never slower.
                #expect(m.cycles <= denser, "\(name) \(shape): \(p) took \(m.cycles) > \(denser) at the denser pattern")
                denser = m.cycles
            }
        }
    }

    /// With buffers large enough for the whole layer, DRAM traffic is the compulsory traffic.
    @Test(arguments: Presets.names)
    func bigBuffersMoveEveryOperandOnce(name: String) throws {
        var spec = try Self.searching(name)
        for b in [\HardwareSpec.ifmap, \.filter, \.ofmap] { spec[keyPath: b].capacityBytes = 1 << 30 }
        let t = spec.dataTypes
        let runs = Runs(spec)
        for shape in Self.shapes {
            for p in [NMPattern.dense] + spec.supportedPatterns {
                let r = try runs(shape, p)
                let compulsory =
                    Int64(shape.m) * Int64(shape.k) * Int64(t.activationBytes) + r.weightBytes
                    + Int64(shape.m) * Int64(shape.n) * Int64(t.outputBytes)
                let moved = r.traffic.dramReadBytes + r.traffic.dramWriteBytes
                let o = r.traffic.byOperand
                guard spec.timing == .native else { continue }  // SCALE-Sim timing moves nothing through DRAM
                #expect(o.dramPartialRead + o.dramPartialWrite == 0, "\(name) \(shape) \(p): partial sums spilled")
                #expect(o.dramInput + o.dramWeight + r.traffic.dramWriteBytes == moved)
                // Per-PE multiplexers offer every activation of a group; edge row tiles may share a group.
                #expect(Double(moved) <= Double(compulsory) * 1.02 + 4_096, "\(name) \(shape) \(p): moved \(moved) > compulsory \(compulsory)")
                #expect(o.dramWeight == r.weightBytes, "\(name) \(shape) \(p): weights moved \(o.dramWeight) != stored \(r.weightBytes)")
            }
        }
    }

    @Test func theObjectiveChangesTheFirstKey() throws {
        var spec = try Self.searching("flex-nm4")
        let shape = GEMMShape(m: 197, n: 768, k: 3072)
        let latency = try LayerSimulator(spec: spec).simulate(shape, pattern: .dense)
        spec.mapping.objective = .energy
        let energy = try LayerSimulator(spec: spec).simulate(shape, pattern: .dense)
        let costs = CostModel(spec: spec)
        #expect(costs.energy(energy, pattern: .dense).total <= costs.energy(latency, pattern: .dense).total)
        #expect(energy.cycles >= latency.cycles)
    }
}
