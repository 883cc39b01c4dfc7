import Foundation
import NMSimModel
import NMSimReport
import NMSimSearch

enum DemoCommand {
    static let spec = CommandSpec(
        name: "demo",
        summary: "The main job on built-in defaults: search DeiT-B's layer-wise N:M on the default spec and compare with ELSA's release.",
        usage: "nmsim demo [--spec FILE|PRESET] [--workload NAME] [--speedup X] [--evaluator COMMAND [--evaluator-batch N] [--evaluator-timeout S]] [--serial]",
        options: [
            CommonOptions.spec,
            OptionSpec(name: "--workload", value: "NAME", help: "A built-in model (default deit-b)."),
            OptionSpec(
                name: "--speedup", value: "X",
                help:
                    "Latency budget as a speedup over dense (default: the simulated speedup of ELSA's smallest released configuration for the model, else halfway in latency between dense and the fastest configuration)."
            ),
            SearchOptions.evaluator[0], SearchOptions.evaluator[1], SearchOptions.evaluator[2],
            CommonOptions.serial,
        ],
        details:
            "Without sensitivities the search ranks choices by a prior (removed weight energy for Gaussian weights, every layer equally sensitive); it is reported as a prior, never as accuracy. See 'nmsim search --help' for real sensitivities or checkpoints."
    )

    static func run(_ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        let start = Date()
        let loaded = try InputLoader.spec(a.value("--spec"))
        let spec = loaded.spec
        let name = a.value("--workload") ?? "deit-b"
        guard let model = VisionTransformer.named(name) else {
            throw InputError(.usage, source: "--workload", "demo takes a built-in model: \(VisionTransformer.all.map(\.name).joined(separator: ", "))")
        }
        guard LatencyTable.candidates(spec).count > 1 else {
            throw InputError(
                .usage, source: "--spec", "spec \(spec.name) accelerates no sparse pattern, so there is nothing to search; try \(Presets.defaultName)")
        }
        let speedup = try a.double("--speedup", min: 0)
        if let x = speedup, x < 0.001 || x > 1e6 {
            throw InputError(.usage, source: "--speedup", "must be between 0.001 and 1000000 (got \(JSONWriter.format(x)))")
        }
        let request = DemoRequest(model: model, speedup: speedup, evaluator: try SearchOptions.evaluator(a), parallel: !a.has("--serial"))
        let demo = try DemoRun.run(request, on: spec)
        CLI.warn(loaded.warnings, c)
        c.out(DemoReport.text(demo, summary: spec.summary, milliseconds: Date().timeIntervalSince(start) * 1000))
        return 0
    }
}
