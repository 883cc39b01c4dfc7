import Foundation
import NMSimModel

enum DemoCommand {
    static let spec = CommandSpec(
        name: "demo", summary: "The main job on built-in defaults: DeiT-B on the default spec, dense vs N:M configurations.",
        usage: "nmsim demo [--spec FILE|PRESET]", options: [CommonOptions.spec])

    static func run(_ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        let loaded = try InputLoader.spec(a.value("--spec"))
        let spec = loaded.spec
        let model = VisionTransformer.named("deit-b")!
        let w = model.workload()
        var candidates: [(label: String, assignment: PatternAssignment)] = []
        for p in spec.supportedPatterns.sorted().reversed() where !p.isDense {
            candidates.append(("uniform \(p)", PatternAssignment(uniform: p)))
        }
        for e in ELSAConfigurations.all where e.model == model.name {
            if let a = try? e.assignment(for: w), (try? a.resolve(w, on: spec)) != nil { candidates.append((e.name, a)) }
        }
        let start = Date()
        let cmp = try Comparison(spec: spec, workload: w, candidates: candidates)
        let elapsed = Date().timeIntervalSince(start)
        var out = "nmsim demo: \(w.name) (\(w.layers.count) layers) on \(spec.name)\n\(spec.summary)\n\n"
        out += cmp.table()
        out += String(format: "\nsimulated %d configurations in %.0f ms. 'of ideal' = simulated speedup / MACs ratio.\n",
                      cmp.rows.count, elapsed * 1000)
        out += "Next: nmsim simulate --workload deit-b --assignment elsa-deit-b-6.01g   (per-layer detail)\n"
        c.out(out)
        return 0
    }
}

enum BenchCommand {
    static let spec = CommandSpec(
        name: "bench", summary: "Measure simulator speed: events per second and whole-network simulation time.",
        usage: "nmsim bench [--spec FILE|PRESET] [--workload FILE|NAME] [--repeat N]",
        options: [CommonOptions.spec, CommonOptions.workload,
                  OptionSpec(name: "--repeat", value: "N", help: "Timed repetitions; the median is reported (default 5).")])

    static func run(_ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        let spec = try InputLoader.spec(a.value("--spec")).spec
        let w = try InputLoader.workload(a.value("--workload") ?? "deit-b")
        let repeats = try a.int("--repeat", in: 1...1000) ?? 5
        let dense = w.layers.map { _ in NMPattern.dense }
        let sim = NetworkSimulator(spec: spec)
        func median(_ f: () throws(InputError) -> Void) throws(InputError) -> Double {
            var times: [Double] = []
            for _ in 0..<repeats {
                let t0 = DispatchTime.now().uptimeNanoseconds
                try f()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            return times.sorted()[times.count / 2]
        }
        var report: NetworkReport?
        let network = try median { () throws(InputError) in report = try sim.run(w, patterns: dense, parallel: false) }
        // Every layer instance simulated on its own (no reuse of identical shapes).
        let layerSim = LayerSimulator(spec: spec)
        var events = 0
        let raw = try median { () throws(InputError) in
            events = 0
            for l in w.layers {
                guard let s = l.shape else { continue }
                for _ in 0..<l.count {
                    do { events += try layerSim.simulate(s, pattern: .dense).events } catch {
                        throw InputError(.data, source: w.name, location: l.name, "simulation failed: \(error)")
                    }
                }
            }
        }
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        #if os(Linux)
        let rssMB = Double(usage.ru_maxrss) / 1024  // KiB on Linux
        #else
        let rssMB = Double(usage.ru_maxrss) / 1_048_576  // bytes on macOS
        #endif
        var out = "nmsim bench: \(w.name) on \(spec.name) (\(spec.rows)x\(spec.columns) \(spec.dataflow.shortName)), median of \(repeats)\n"
        out += String(format: "whole network, identical shapes simulated once: %.2f ms\n", network * 1000)
        out += String(format: "every layer instance simulated:                 %.2f ms, %d events, %.2f M events/s\n", raw * 1000, events, Double(events) / raw / 1e6)
        out += String(format: "peak resident memory:                           %.1f MB\n", rssMB)
        out += "simulated cycles (dense): \(report!.totalCycles)\n"
        c.out(out)
        return 0
    }
}
