import Testing

@testable import NMSimModel

/// Properties of the mapper's schedules: what a sweep over hardware must be able to trust.
@Suite("Mapper")
struct MapperPropertyTests {
    /// DeiT-T/S/B and Swin-T layer shapes, plus GEMMs drawn from a fixed seed.
    static let shapes: [GEMMShape] = {
        var out = [
            GEMMShape(m: 197, n: 576, k: 192), GEMMShape(m: 197, n: 384, k: 1536), GEMMShape(m: 197, n: 768, k: 3072),
            GEMMShape(m: 197, n: 197, k: 64), GEMMShape(m: 3136, n: 288, k: 96), GEMMShape(m: 49, n: 49, k: 32),
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n)) + 1
        }
        for _ in 0..<2 { out.append(GEMMShape(m: next(400), n: next(1024), k: next(1024))) }
        return out
    }()

    static func run(_ spec: HardwareSpec, _ shape: GEMMShape, _ p: NMPattern) throws -> LayerResult {
        try LayerSimulator(spec: spec).simulate(shape, pattern: p)
    }

    @Test(arguments: Presets.names)
    func theMapperIsNeverSlowerThanTheFixedSchedule(name: String) throws {
        var spec = try preset(name)
        spec.mapping.mode = .search
        var fixed = spec
        fixed.mapping.mode = .fixed
        for shape in Self.shapes {
            for p in [NMPattern.dense] + spec.supportedPatterns {
                let m = try Self.run(spec, shape, p), f = try Self.run(fixed, shape, p)
                #expect(m.cycles <= f.cycles, "\(name) \(shape) \(p): mapped \(m.cycles) > fixed \(f.cycles)")
                #expect(m.mapping?.mode == .search && f.mapping?.mode == .fixed)
            }
        }
    }

    /// With buffers large enough for the whole layer, DRAM traffic is the compulsory traffic.
    @Test(arguments: Presets.names)
    func bigBuffersMoveEveryOperandOnce(name: String) throws {
        var spec = try preset(name)
        spec.mapping.mode = .search
        for b in [\HardwareSpec.ifmap, \.filter, \.ofmap] { spec[keyPath: b].capacityBytes = 1 << 30 }
        let t = spec.dataTypes
        for shape in Self.shapes {
            for p in [NMPattern.dense] + spec.supportedPatterns {
                let r = try Self.run(spec, shape, p)
                let compulsory =
                    Int64(shape.m) * Int64(shape.k) * Int64(t.activationBytes) + r.weightBytes
                    + Int64(shape.m) * Int64(shape.n) * Int64(t.outputBytes)
                let moved = r.traffic.dramReadBytes + r.traffic.dramWriteBytes
                let o = r.traffic.byOperand
                #expect(o.dramPartialRead + o.dramPartialWrite == 0, "\(name) \(shape) \(p): partial sums spilled")
                #expect(o.dramInput + o.dramWeight + r.traffic.dramWriteBytes == moved)
                // Per-PE multiplexers offer every activation of a group; edge row tiles may share a group.
                #expect(Double(moved) <= Double(compulsory) * 1.02 + 4_096, "\(name) \(shape) \(p): moved \(moved) > compulsory \(compulsory)")
                #expect(o.dramWeight == r.weightBytes, "\(name) \(shape) \(p): weights moved \(o.dramWeight) != stored \(r.weightBytes)")
            }
        }
    }

    @Test func theObjectiveChangesTheFirstKey() throws {
        var spec = try preset("flex-nm4")
        spec.mapping.mode = .search
        let shape = GEMMShape(m: 197, n: 768, k: 3072)
        let latency = try Self.run(spec, shape, .dense)
        spec.mapping.objective = .energy
        let energy = try Self.run(spec, shape, .dense)
        let costs = CostModel(spec: spec)
        #expect(costs.energy(energy, pattern: .dense).total <= costs.energy(latency, pattern: .dense).total)
        #expect(energy.cycles >= latency.cycles)
    }
}
