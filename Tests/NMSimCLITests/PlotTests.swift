import Foundation
import NMSimModel
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("--plot")
struct PlotTests {
    @Test func everyCommandDrawsEveryKind() throws {
        let dir = try temporaryDirectory()
        // About the figures, not the schedule: the fixed one is faster in a debug build.
        let runs: [(args: [String], kinds: [String])] = [
            (["simulate", "--workload", "deit-t", "--pattern", "2:4", "--mapping", "fixed"], ["cycles", "energy", "nm-map", "roofline"]),
            (["compare", "--workload", "deit-t", "--mapping", "fixed"], ["speedup", "energy", "area"]),
            (["search", "--workload", "deit-t", "--speedup", "1.3", "--pareto", "--mapping", "fixed"], ["pareto", "nm-map", "cycles", "energy", "roofline"]),
        ]
        for run in runs {
            for kind in run.kinds {
                let file = dir.appendingPathComponent("\(run.args[0])-\(kind).svg")
                let r = runInProcess(run.args + ["--plot", file.path, "--plot-kind", kind])
                #expect(r.status == 0, "\(run.args[0]) \(kind): \(r.stderr)")
                let svg = try String(contentsOf: file, encoding: .utf8)
                #expect(XMLCheck.problem(svg) == nil, "\(kind): \(XMLCheck.problem(svg) ?? "")")
                #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""), "\(kind)")
            }
        }
        // The default kind of each command.
        let f = dir.appendingPathComponent("default.svg")
        #expect(runInProcess(["compare", "--workload", "deit-t", "--mapping", "fixed", "--plot", f.path]).status == 0)
        #expect(try String(contentsOf: f, encoding: .utf8).contains("What fewer MACs buy"))
    }

    @Test func theCostAxisCallsThePriorAPrior() throws {
        let f = try temporaryDirectory().appendingPathComponent("pareto.svg")
        #expect(runInProcess(["search", "--workload", "deit-t", "--speedup", "1.3", "--plot", f.path]).status == 0)
        let svg = try String(contentsOf: f, encoding: .utf8)
        #expect(svg.contains("prior cost (removed weight energy)") && !svg.contains("cost (prior:"))
    }

    @Test func plotOptionsAreChecked() throws {
        let dir = try temporaryDirectory()
        let kindAlone = runInProcess(["simulate", "--workload", "deit-t", "--plot-kind", "energy"])
        #expect(kindAlone.status == 64 && kindAlone.stderr == "nmsim: --plot-kind: needs --plot FILE.svg\n")
        let bad = runInProcess(["simulate", "--workload", "deit-t", "--plot", dir.appendingPathComponent("x.svg").path, "--plot-kind", "pie"])
        #expect(bad.status == 64 && bad.stderr.contains("cycles, energy, nm-map, roofline"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.svg").path))
        let axis = runInProcess(["search", "--workload", "deit-t", "--speedup", "1.3", "--plot-x", "energy"])
        #expect(axis.status == 64 && axis.stderr == "nmsim: --plot-x: needs --plot FILE.svg\n")
    }
}
