import Foundation
import NMSimTestSupport
import Testing

@testable import NMSimModel

/// Seeded, structure-aware mutations of valid inputs: each must load or fail with located
/// diagnostics, and one that loads must simulate to a consistent result or be refused with a
/// located error. Most mutants must get as far as the simulator, or the test proves little.
@Suite("Robustness")
struct RobustnessTests {
    /// Diagnostics that name the source and say something.
    static func located(_ e: InputError, _ source: String) -> Bool {
        !e.diagnostics.isEmpty && e.diagnostics.allSatisfy { $0.source == source && !$0.message.isEmpty }
    }

    /// The spec format's enumerations and valid technology nodes.
    static let specWords: [JSONValue] =
        ["weightStationary", "outputStationary", "inputStationary", "perPE", "perRow", "fixedLatency", "1:4", "2:4", "4:4", "1:8", "2:8"].map { .string($0) }
        + [45, 65, 90, 130, 32, 16, 8, 2, 4].map { .integer($0) }

    @Test(arguments: Presets.names)
    func mutatedSpecsNeverTrap(name: String) throws {
        var r = SeededRandom(seed: name.utf8.reduce(UInt64(7)) { $0 &* 31 &+ UInt64($1) })
        let base = Presets.json(named: name)!
        let shapes = [GEMMShape(m: 33, n: 70, k: 130), GEMMShape(m: 1, n: 1, k: 1)]
        var simulated = 0
        for _ in 0..<80 {
            let text = Mutator.json(base, vocabulary: Self.specWords, &r)
            let spec: HardwareSpec
            do { spec = try HardwareSpec.decode(json: text, source: "m.json") } catch {
                #expect(Self.located(error, "m.json"), "\(error)")
                continue
            }
            var all = true
            for s in shapes {
                for p in [NMPattern.dense] + spec.supportedPatterns {
                    do {
                        let r = try LayerSimulator(spec: spec).simulate(s, pattern: p)
                        #expect(r.cycles == r.computeCycles + r.stalls.total)
                        #expect(r.cycles > 0 && r.computeCycles > 0)
                    } catch {
                        // A refusal of a layer too large to simulate is fine; a kernel error is a bug.
                        if case .kernel = error { Issue.record("kernel error on \(s) at \(p): \(error)") }
                        all = false
                    }
                }
            }
            if all { simulated += 1 }
        }
        #expect(simulated >= 32, "only \(simulated) of 80 mutants reached and passed the simulator")
    }

    @Test func mutatedWorkloadsNeverTrap() throws {
        var r = SeededRandom(seed: 99)
        let base = try String(contentsOf: repositoryRoot.appendingPathComponent("workloads/gemm-example.json"), encoding: .utf8)
        let spec = try preset("flex-nm4")
        var simulated = 0
        for _ in 0..<200 {
            let text = Mutator.json(base, &r)
            do {
                let w = try Workload.decode(json: text, source: "w.json")
                let patterns = try PatternAssignment.none.resolve(w, on: spec)
                let report = try NetworkSimulator(spec: spec).run(w, patterns: patterns)
                #expect(report.layers.count == w.layers.count)
                #expect(report.totalCycles == report.layers.reduce(0) { $0 + $1.result.cycles })
                simulated += 1
            } catch {
                #expect(Self.located(error, "w.json") || error.diagnostics.allSatisfy { !$0.message.isEmpty }, "\(error)")
            }
        }
        #expect(simulated >= 100, "only \(simulated) of 200 mutants reached the simulator")
    }

    @Test func truncatedInputsAreLocatedErrors() throws {
        let spec = Presets.json(named: "flex-nm4")!
        for cut in stride(from: 1, to: spec.count, by: 97) {
            #expect(throws: InputError.self) { _ = try HardwareSpec.decode(json: String(spec.prefix(cut)), source: "t.json") }
        }
    }
}
