import Foundation
import NMSimModel
import NMSimSearch
import Testing

/// The program in Docs/Library.md is this target's LibraryExample.swift, compiled and run here.
@Suite("Library example")
struct LibraryExampleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theDocumentedProgramIsTheCompiledOne() throws {
        let doc = try String(contentsOf: Self.root.appendingPathComponent("Docs/Library.md"), encoding: .utf8)
        let source = try String(contentsOf: Self.root.appendingPathComponent("Tests/NMSimSearchTests/LibraryExample.swift"), encoding: .utf8)
        let block = try #require(doc.components(separatedBy: "```swift\n").dropFirst().first?.components(separatedBy: "```").first)
        #expect(block == source)
    }

    @Test func theProgramSimulatesAndSearches() throws {
        let (uniform, searched) = try libraryExample()
        let dense = searched.problem.table.denseCycles
        #expect(uniform.totalCycles < dense && uniform.layers.count == 147)
        #expect(searched.resimulated.totalCycles * 13 <= dense * 10)
        #expect(searched.results.map(\.optimizer) == ["dp"])
    }

    @Test func aRequestRunsTheSameSearchAsTheProblemItStandsFor() throws {
        let spec = try InputLoader.spec("flex-nm4").spec
        let w = VisionTransformer.named("deit-t")!.workload()
        let viaRequest = try SearchSession.run(SearchRequest(workload: w, budget: .memory("4MiB"), optimizer: .both, seed: 3), on: spec)
        let table = try LatencyTable(spec: spec, workload: w)
        let problem = SearchProblem(
            table: table, costs: Sensitivity.prior(for: table),
            constraint: try SearchBudget.memory("4MiB").constraint(denseCycles: table.denseCycles, spec: spec))
        let direct = try SearchSession.run(problem, spec: spec, optimizer: .both, seed: 3, pareto: false)
        #expect(viaRequest.results.map(\.choice) == direct.results.map(\.choice))
        #expect(viaRequest.resimulated.totalCycles == direct.resimulated.totalCycles)
    }
}
