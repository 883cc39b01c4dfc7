import Foundation
import Testing

@testable import NMSimModel
@testable import NMSimReport

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
        let golden = try SCALESimReport.parseCompute(
            String(contentsOf: dir.appendingPathComponent("COMPUTE_REPORT.csv"), encoding: .utf8),
            source: run)
        #expect(golden.count == report.layers.count)
        for (i, (l, g)) in zip(report.layers, golden).enumerated() {
            #expect(l.result.cycles == g.totalCycles, "\(run) layer \(i) \(l.layer.name): nmsim \(l.result.cycles), SCALE-Sim \(g.totalCycles)")
        }
    }

    @Test(arguments: runs)
    func computeReportLayoutMatchesSCALESim(run: String) throws {
        let dir = fixtures.appendingPathComponent("scalesim").appendingPathComponent(run)
        let spec = try InputLoader.spec(dir.appendingPathComponent("config.cfg").path).spec
        let workload = try InputLoader.workload(dir.appendingPathComponent("topology.csv").path)
        let report = try NetworkSimulator(spec: spec).run(workload, patterns: PatternAssignment.none.resolve(workload, on: spec))
        let ours = SCALESimReportWriter.compute(report, spec: spec).split(separator: "\n").map {
            $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let theirs = try String(contentsOf: dir.appendingPathComponent("COMPUTE_REPORT.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        #expect(ours.count == theirs.count)
        #expect(ours.first == theirs.first, "header")
        for (a, b) in zip(ours.dropFirst(), theirs.dropFirst()) {
            #expect(a[0] == b[0] && a[2] == b[2] && a[3] == b[3], "\(run) layer \(b[0]): ids, cycles and stalls")
            #expect(a[4] == b[4], "\(run) layer \(b[0]) Overall Util: \(a[4]) vs \(b[4])")
            #expect(a[5] == b[5], "\(run) layer \(b[0]) Mapping Efficiency: \(a[5]) vs \(b[5])")
            let (x, y) = (Double(a[6])!, Double(b[6])!)
            #expect(abs(x - y) <= 1e-9 * y, "\(run) layer \(b[0]) Compute Util: \(x) vs \(y)")
        }
    }
}
