import Foundation
import Testing

@testable import NMSimModel

/// More hardware never makes the mapper's networks slower: what a sweep over array shapes,
/// buffer sizes, bandwidth or decoders relies on. Checked with `mapping.schedule: search` on
/// every preset, on the GEMMs of DeiT-T/S/B and Swin-T (cut as ``MapperPropertyTests`` cuts
/// them) and on seeded random GEMMs, each a network of one layer.
///
/// Each (preset, resource) runs one group of networks at one pattern, rotating so that every
/// group and pattern meets every resource across the presets; `NMSIM_MAPPER_SWEEP=full` runs
/// every group at every pattern (minutes in a debug build).
@Suite("Mapper resources")
struct MapperResourceTests {
    /// A change that gives the hardware more of one resource.
    enum Resource: String, CaseIterable, Sendable {
        case ifmap = "4x ifmap"
        case filter = "4x filter"
        case ofmap = "4x ofmap"
        case bandwidth = "2x DRAM bandwidth"
        case banks = "2x banks"
        case decoder = "2x decoder rate"
        case rows = "2x rows"
        case columns = "2x columns"

        func apply(_ s: inout HardwareSpec) {
            switch self {
            case .ifmap: s.ifmap.capacityBytes *= 4
            case .filter: s.filter.capacityBytes *= 4
            case .ofmap: s.ofmap.capacityBytes *= 4
            case .bandwidth: s.dram.bytesPerCycle *= 2
            case .banks: for b in [\HardwareSpec.ifmap, \.filter, \.ofmap] { s[keyPath: b].banks *= 2 }
            case .decoder: s.decoder.groupsPerCycle *= 2
            case .rows: s.rows *= 2
            case .columns: s.columns *= 2
            }
        }

        /// A bigger array may make a network up to 2 % slower (its folds fill and drain
        /// longer); more of anything else may not, and no layer may get more than 1 % slower
        /// (the order in which DRAM requests land).
        var bigger: Bool { self == .rows || self == .columns }
    }

    typealias Network = (name: String, gemms: [(shape: GEMMShape, count: Int)])

    /// Networks grouped by the shapes they share (DeiT-S and DeiT-B cut alike).
    static let groups: [[Network]] = [
        [("deit-t", MapperPropertyTests.gemms("deit-t"))],
        [("deit-s", MapperPropertyTests.gemms("deit-s")), ("deit-b", MapperPropertyTests.gemms("deit-b"))],
        [("swin-t", MapperPropertyTests.gemms("swin-t"))],
        MapperPropertyTests.random.map { ("\($0)", [($0, 1)]) },
    ]

    static let full = ProcessInfo.processInfo.environment["NMSIM_MAPPER_SWEEP"] == "full"

    /// Checks one network at one pattern on a spec and on the spec with more of a resource.
    static func check(
        _ network: Network, _ p: NMPattern, _ resource: Resource, base: MapperPropertyTests.Runs, more: MapperPropertyTests.Runs
    ) throws {
        var before: Int64 = 0, after: Int64 = 0
        let name = base.sim.spec.name
        for g in network.gemms {
            let b = try base(g.shape, p).cycles, a = try more(g.shape, p).cycles
            before += b * Int64(g.count)
            after += a * Int64(g.count)
            #expect(
                resource.bigger || Double(a) <= Double(b) * 1.01,
                "\(name) \(resource.rawValue): \(g.shape) at \(p) takes \(a) cycles against \(b)")
        }
        #expect(
            Double(after) <= Double(before) * (resource.bigger ? 1.02 : 1),
            "\(name) \(resource.rawValue): \(network.name) at \(p) takes \(after) cycles against \(before)")
    }

    @Test(arguments: Presets.names.indices)
    func moreHardwareIsNeverSlower(preset: Int) throws {
        let spec = try MapperPropertyTests.searching(Presets.names[preset])
        let patterns = [NMPattern.dense] + spec.supportedPatterns.filter { !$0.isDense }.sorted()
        let base = MapperPropertyTests.Runs(spec)
        for (r, resource) in Resource.allCases.enumerated() {
            var bigger = spec
            resource.apply(&bigger)
            let more = MapperPropertyTests.Runs(bigger)
            let groups = Self.full ? Self.groups : [Self.groups[(preset + r) % Self.groups.count]]
            let ps = Self.full ? patterns : [patterns[(preset + r / 2) % patterns.count]]
            for p in ps {
                for group in groups {
                    for network in group { try Self.check(network, p, resource, base: base, more: more) }
                }
            }
        }
    }

    /// Cases that once failed (Docs/CycleModel.md, "Properties with more hardware").
    @Test(arguments: [
        (preset: "flex-nm8", network: "32×64×197", pattern: "1:8", resource: Resource.bandwidth),
        ("flex-nm4", "swin-t", "1:4", .columns), ("flex-nm4", "swin-t", "2:4", .columns),
        ("edge-nm4", "swin-t", "dense", .columns), ("datacenter-nm4", "deit-s", "1:4", .rows),
        ("datacenter-nm4", "deit-b", "dense", .rows),
    ])
    func knownCliffsAreGone(preset: String, network: String, pattern p: String, resource: Resource) throws {
        let spec = try MapperPropertyTests.searching(preset)
        var bigger = spec
        resource.apply(&bigger)
        let net: Network =
            network.first!.isNumber
            ? (network, [(GEMMShape(m: 32, n: 64, k: 197), 1)]) : Self.groups.joined().first { $0.name == network }!
        let nm = p == "dense" ? NMPattern.dense : pattern(p)
        try Self.check(net, nm, resource, base: MapperPropertyTests.Runs(spec), more: MapperPropertyTests.Runs(bigger))
    }
}
