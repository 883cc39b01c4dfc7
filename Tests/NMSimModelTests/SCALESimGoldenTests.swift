import Foundation
import Testing
@testable import NMSimModel

/// SCALE-Sim 3.0.0 reports, made by running it on the cfg and topology beside each report.
@Suite("SCALE-Sim 3.0.0 goldens")
struct SCALESimGoldenTests {
    static let runs: [String] = {
        let dir = fixtures.appendingPathComponent("scalesim")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }()

    @Test func everyGoldenDirectoryIsFound() {
        #expect(Self.runs.count >= 22)
        for df in ["ws", "os", "is"] {
            #expect(Self.runs.contains { $0.hasPrefix(df) && $0.contains("dense") }, "no dense \(df) golden")
            #expect(Self.runs.contains { $0.hasPrefix(df) && ($0.contains("of4") || $0.contains("nm")) }, "no N:M \(df) golden")
        }
    }

    @Test(arguments: runs)
    func totalCyclesEqualSCALESimExactly(run: String) throws {
        let dir = fixtures.appendingPathComponent("scalesim").appendingPathComponent(run)
        let spec = try InputLoader.spec(dir.appendingPathComponent("config.cfg").path).spec
        #expect(spec.timing == .scaleSim)
        let workload = try InputLoader.workload(dir.appendingPathComponent("topology.csv").path)
        let patterns = try PatternAssignment.none.resolve(workload, on: spec)
        let report = try NetworkSimulator(spec: spec).run(workload, patterns: patterns)
        let golden = try SCALESimReport.parseCompute(String(contentsOf: dir.appendingPathComponent("COMPUTE_REPORT.csv"), encoding: .utf8),
                                                      source: run)
        #expect(golden.count == report.layers.count)
        for (i, (l, g)) in zip(report.layers, golden).enumerated() {
            #expect(l.result.cycles == g.totalCycles, "\(run) layer \(i) \(l.layer.name): nmsim \(l.result.cycles), SCALE-Sim \(g.totalCycles)")
        }
    }
}
