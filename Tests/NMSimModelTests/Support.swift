import Foundation

@testable import NMSimModel

/// The repository root, from this file's location.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

func preset(_ name: String) throws -> HardwareSpec {
    try HardwareSpec.decode(json: Presets.json(named: name)!, source: name)
}

func pattern(_ s: String) -> NMPattern { try! NMPattern.parse(s).get() }

/// A spec with unlimited on-chip bandwidth and ideal memory: only the array's arithmetic shows.
func idealSpec(rows: Int = 8, columns: Int = 8, dataflow: Dataflow = .weightStationary, pipelined: Bool = false) throws -> HardwareSpec {
    var s = try preset("flex-nm4")
    s.rows = rows
    s.columns = columns
    s.dataflow = dataflow
    s.stationaryDoubleBuffered = pipelined
    s.dram = DRAMSpec(model: .ideal, bytesPerCycle: 1e9, latencyCycles: 0, burstBytes: 1)
    s.ifmap = .unlimited
    s.filter = .unlimited
    s.ofmap = .unlimited
    s.decoder = DecoderSpec(groupsPerCycle: 1 << 20, latencyCycles: 0)
    return s
}
