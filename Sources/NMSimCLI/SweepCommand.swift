import Foundation
import NMSimModel
import NMSimReport
import NMSimSearch

enum SweepCommand {
    static let spec = CommandSpec(
        name: "sweep", summary: "Sweep hardware specs: every point's latency, energy and best N:M configuration, on one machine or a job array.",
        usage:
            "nmsim sweep SWEEP.json [--output DIR] [--jobs N] [--shard I/N | --shard auto [--shards N]] [--resume] [--quiet]\n       nmsim sweep [--spec FILE|PRESET] --workload W [--workload W2 ...] --set PATH=V1,V2,... [--set ...] [--pattern dense,2:4,1:4] [--assignment FILE ...] [--search (--speedup X | --latency T | --flops-window A B | --memory SIZE | --energy UJ) | --pareto] [--sensitivity FILE [--missing-cost error|interpolate] | --weights FILE [--activations FILE]] [--objectives A,B] --output DIR\n       (either form) [--plot FILE.svg [--plot-x OBJECTIVE] [--plot-y OBJECTIVE]]",
        options: [
            OptionSpec(
                name: "--spec", value: "FILE|PRESET",
                help: "Base spec: a preset name or a spec .json, whose keys --set changes (default \(Presets.defaultName))."),
            OptionSpec(name: "--workload", value: "FILE|NAME", help: "A workload to run at every point (repeatable).", repeatable: true),
            CommonOptions.image, CommonOptions.batch, CommonOptions.sparsify,
            OptionSpec(
                name: "--set", value: "PATH=VALUES",
                help:
                    "An axis: spec JSON path and values, e.g. peArray.rows=16,32,64 or buffers.ifmap.capacityKiB=64:1024:*2; PATH1,PATH2=... moves paths together (repeatable).",
                repeatable: true),
            OptionSpec(name: "--pattern", value: "LEVELS", help: "Uniform modes: dense or N:M levels, comma-separated (default dense)."),
            OptionSpec(name: "--assignment", value: "FILE|NAME", help: "A per-layer configuration mode (repeatable).", repeatable: true),
            OptionSpec(name: "--search", value: nil, help: "Add a search mode: the least-cost configuration under the budget option given, at every point."),
            OptionSpec(name: "--speedup", value: "X", help: "Search budget: at least X times faster than dense at the point."),
            OptionSpec(name: "--latency", value: "T", help: "Search budget: at most T cycles, or a time such as 12.5ms."),
            OptionSpec(name: "--flops-window", value: "A B", help: "Search budget: performed GMACs between A and B.", arity: 2),
            OptionSpec(name: "--memory", value: "SIZE", help: "Search budget: weights with metadata at most SIZE."),
            OptionSpec(name: "--energy", value: "UJ", help: "Search budget: at most UJ microjoules."),
            OptionSpec(
                name: "--pareto", value: nil, help: "Add a mode: the Pareto front of accuracy cost against latency at every point (one row per front point)."),
            SearchOptions.accuracy[0], SearchOptions.accuracy[1], SearchOptions.accuracy[2], SearchOptions.accuracy[3],
            OptionSpec(name: "--optimizer", value: "dp|evolutionary", help: "Optimiser of the search mode (default dp)."),
            OptionSpec(name: "--seed", value: "N", help: "Seed of the evolutionary optimiser (default 0)."),
            OptionSpec(
                name: "--objectives", value: "A,B",
                help:
                    "What front.csv minimises: \(SweepObjective.allCases.map(\.rawValue).joined(separator: ", ")) (default latency,area; latency,energy without area; latency,pes without either)."
            ),
            OptionSpec(name: "--output", value: "DIR", help: "Output directory (default: the sweep file's name without .json, in the current directory)."),
            OptionSpec(name: "--jobs", value: "N", help: "Points simulated at once (default: the number of cores); the files do not depend on it."),
            OptionSpec(
                name: "--shard", value: "I/N|auto", help: "Run only the points whose index is I modulo N; auto reads a Slurm array or Kubernetes Indexed Job."),
            OptionSpec(name: "--shards", value: "N", help: "With --shard auto under Kubernetes: the number of shards (or NMSIM_SHARDS)."),
            OptionSpec(name: "--resume", value: nil, help: "Continue an interrupted sweep in its directory, skipping finished points."),
            OptionSpec(name: "--quiet", value: nil, help: "No progress line and no summary on stderr."),
            OptionSpec(
                name: "--plot", value: "FILE.svg",
                help: "Also draw the Pareto scatter of the sweep's ok rows as SVG, the front highlighted (after the sweep ends)."),
            OptionSpec(
                name: "--plot-x", value: "OBJECTIVE",
                help: "Scatter x axis, one of the --objectives names (default: the front's first objective)."),
            OptionSpec(name: "--plot-y", value: "OBJECTIVE", help: "Scatter y axis (default: the front's second objective)."),
        ],
        positionals: "SWEEP.json",
        details: "Files written to DIR: points.csv, points.jsonl, front.csv, sweep.json (Docs/Sweeps.md).")

    static func run(_ a: ParsedArguments, _ c: Console, environment: [String: String] = ProcessInfo.processInfo.environment) throws(InputError) -> Int32 {
        var axes: [SweepObjective?] = []
        for f in ["--plot-x", "--plot-y"] {
            if a.value(f) != nil, a.value("--plot") == nil { throw InputError(.usage, source: f, "needs --plot FILE.svg") }
            axes.append(try a.choice(f, SweepObjective.allCases.map(\.rawValue)).flatMap(SweepObjective.init(rawValue:)))
        }
        let sweep = try SweepOptions.sweep(a)
        let jobs = try a.int("--jobs", in: 1...1024) ?? ProcessInfo.processInfo.activeProcessorCount
        var shard: SweepShard?
        if a.value("--shards") != nil, a.value("--shard") != "auto" {
            throw InputError(.usage, source: "--shards", "goes with --shard auto")
        }
        if let s = a.value("--shard") {
            if s == "auto" {
                shard = try SweepShard.fromScheduler(environment, shards: a.int("--shards", in: 1...1_000_000))
            } else {
                guard let v = SweepShard.parse(s) else { throw InputError(.usage, source: "--shard", "expected I/N with 0 <= I < N, or auto, found \"\(s)\"") }
                shard = v
            }
        }
        guard let output = a.value("--output") ?? a.positionals.first.map({ URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }) else {
            throw InputError(.usage, source: "--output", "is required with --set")
        }
        // Shards of one sweep record the same command, so their merge equals an unsharded run.
        let recorded = CLI.commandLine(
            "sweep", a,
            ignoring: ["--output", "--jobs", "--quiet", "--shard", "--shards", "--resume", "--plot", "--plot-kind", "--plot-x", "--plot-y"])
        let runner = SweepRunner(
            sweep: sweep, directory: output, jobs: jobs, shard: shard, resume: a.has("--resume"), version: CLI.version, command: recorded)
        let showProgress = !a.has("--quiet") && isatty(STDERR_FILENO) == 1
        let report: @Sendable (SweepProgress) -> Void = { p in c.err("\r" + SweepReport.progressLine(p)) }
        let summary = try runner.run(progress: showProgress ? report : nil)
        if showProgress { c.err("\n") }
        if !a.has("--quiet") { c.err(SweepReport.summaryLine(summary, shard: shard, directory: output)) }
        if let f = a.value("--plot") {
            let points = URL(fileURLWithPath: output).appendingPathComponent("points.csv").path
            guard let text = try? String(contentsOfFile: points, encoding: .utf8) else { throw InputError(.noInput, source: points, "cannot be read") }
            let title = "Sweep: " + sweep.workloads.map(\.label).joined(separator: ", ")
            try OutputFile.write(
                SweepFigure.pareto(pointsCSV: text, source: points, x: axes[0], y: axes[1], title: title).svg(), to: f, flag: "--plot", console: c)
        }
        return 0
    }
}
