import Foundation
import Testing

@testable import NMSimModel

/// Seeded mutations of valid inputs: each must load or fail with located diagnostics, and a spec
/// that loads must simulate without trapping.
@Suite("Robustness")
struct RobustnessTests {
    struct LCG {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
    }

    static let replacements = [
        "0", "-1", "1e300", "-1e300", "4096", "65536", "2147483647", "9223372036854775807", "0.0001",
        "\"x\"", "null", "true", "[]", "{}", "3.5", "1e-300",
    ]

    /// Replaces one number or string value in `text`.
    static func mutate(_ text: String, _ rng: inout LCG) -> String {
        let pattern = #/:\s*(-?[0-9][0-9.eE+-]*|"[^"]*"|true|false)/#
        let matches = text.matches(of: pattern)
        guard !matches.isEmpty else { return text }
        let m = matches[rng.next(matches.count)]
        var s = text
        s.replaceSubrange(m.range, with: ": " + replacements[rng.next(replacements.count)])
        return s
    }

    @Test(arguments: Presets.names)
    func mutatedSpecsNeverTrap(name: String) throws {
        var rng = LCG(state: name.utf8.reduce(UInt64(7)) { $0 &* 31 &+ UInt64($1) })
        let base = Presets.json(named: name)!
        let shapes = [GEMMShape(m: 33, n: 70, k: 130), GEMMShape(m: 1, n: 1, k: 1)]
        for _ in 0..<150 {
            var text = base
            for _ in 0..<(1 + rng.next(3)) { text = Self.mutate(text, &rng) }
            do {
                let spec = try HardwareSpec.decode(json: text, source: "m.json")
                for s in shapes {
                    for p in [NMPattern.dense] + spec.supportedPatterns {
                        do {
                            let r = try LayerSimulator(spec: spec).simulate(s, pattern: p)
                            #expect(r.cycles == r.computeCycles + r.stalls.total)
                        } catch {
                            // A located refusal (too many folds) is fine; a trap is not.
                        }
                    }
                }
            } catch {
                #expect(!error.diagnostics.isEmpty && error.diagnostics.allSatisfy { !$0.message.isEmpty })
            }
        }
    }

    @Test func mutatedWorkloadsNeverTrap() throws {
        var rng = LCG(state: 99)
        let base = try String(contentsOf: repositoryRoot.appendingPathComponent("workloads/gemm-example.json"), encoding: .utf8)
        let spec = try preset("flex-nm4")
        for _ in 0..<200 {
            var text = base
            for _ in 0..<(1 + rng.next(3)) { text = Self.mutate(text, &rng) }
            guard let w = try? Workload.decode(json: text, source: "w.json") else { continue }
            guard let patterns = try? PatternAssignment.none.resolve(w, on: spec) else { continue }
            _ = try? NetworkSimulator(spec: spec).run(w, patterns: patterns)
        }
    }

    @Test func truncatedInputsAreLocatedErrors() throws {
        let spec = Presets.json(named: "flex-nm4")!
        for cut in stride(from: 1, to: spec.count, by: 97) {
            #expect(throws: InputError.self) { _ = try HardwareSpec.decode(json: String(spec.prefix(cut)), source: "t.json") }
        }
    }
}
