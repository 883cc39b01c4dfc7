import Foundation
import NMSimReport
import Testing

@testable import NMSimModel

/// SCALE-Sim's four report files, replayed, against its own runs: every value, as printed.
@Suite("SCALE-Sim 3.0.0 report files")
struct SCALESimReportTests {
    /// Golden runs that keep all of SCALE-Sim's reports, up to 100,000 cycles (the replay is
    /// address by address; `.ci/run` checks every run, the larger ones included, in release).
    static let runs: [String] = SCALESimGoldenTests.runs.filter { run in
        let dir = fixtures.appendingPathComponent("scalesim/\(run)")
        guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("DETAILED_ACCESS_REPORT.csv").path),
            let text = try? String(contentsOf: dir.appendingPathComponent("COMPUTE_REPORT.csv"), encoding: .utf8),
            let rows = try? SCALESimReport.parseCompute(text, source: run)
        else { return false }
        return rows.reduce(0) { $0 + $1.totalCycles } <= 100_000
    }

    @Test func everyKindIsCovered() {
        #expect(Self.runs.count >= 10)
    }

    @Test(arguments: runs)
    func reportFilesEqualSCALESim(run: String) throws {
        let dir = fixtures.appendingPathComponent("scalesim").appendingPathComponent(run)
        let spec = try InputLoader.spec(dir.appendingPathComponent("config.cfg").path).spec
        let workload = try InputLoader.workload(dir.appendingPathComponent("topology.csv").path)
        let patterns = try PatternAssignment.none.resolve(workload, on: spec)
        guard let replay = SCALESimReplay(spec: spec) else { Issue.record("not a SCALE-Sim spec"); return }
        let items = try zip(workload.layers, patterns).map { try replay.run($0, pattern: $1) }
        for (name, text) in SCALESimReportFiles.render(items, representation: spec.scaleSim!.sparseRepresentation) {
            let theirs = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            let a = text.split(separator: "\n"), b = theirs.split(separator: "\n")
            #expect(a.count == b.count, "\(run) \(name): \(a.count) lines, SCALE-Sim \(b.count)")
            for (x, y) in zip(a, b) where x != y {
                Issue.record("\(run) \(name):\n  nmsim     \(x)\n  SCALE-Sim \(y)")
            }
        }
    }
}

@Suite("SCALE-Sim report goldens in check")
struct SCALESimReportCheckTests {
    @Test(arguments: GoldenCheck.scaleSimReportNames)
    func eachReportKindIsAcceptedAsAGolden(name: String) throws {
        let dir = fixtures.appendingPathComponent("scalesim/ws16_anynm")
        let m = try GoldenCheck.checkSCALESimReport(
            dir.appendingPathComponent(name).path, spec: dir.appendingPathComponent("config.cfg").path,
            topology: dir.appendingPathComponent("topology.csv").path, tolerance: 0)
        #expect(m.isEmpty, "\(m)")
    }

    @Test func aChangedValueIsReportedWithItsColumn() throws {
        let src = fixtures.appendingPathComponent("scalesim/ws16_anynm")
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("nmsim-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        var text = try String(contentsOf: src.appendingPathComponent("DETAILED_ACCESS_REPORT.csv"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\n1, 17.0,", with: "\n1, 18.0,")
        try text.write(to: tmp.appendingPathComponent("DETAILED_ACCESS_REPORT.csv"), atomically: true, encoding: .utf8)
        let m = try GoldenCheck.checkSCALESimReport(
            tmp.appendingPathComponent("DETAILED_ACCESS_REPORT.csv").path, spec: src.appendingPathComponent("config.cfg").path,
            topology: src.appendingPathComponent("topology.csv").path, tolerance: 0)
        #expect(m.map(\.description) == ["layer 1 q28: SRAM IFMAP Start Cycle expected 18.0, actual 17.0"])
    }
}
