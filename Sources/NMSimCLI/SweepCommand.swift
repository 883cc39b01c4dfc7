import Foundation
import NMSimModel
import NMSimReport
import NMSimSearch

enum SweepCommand {
    static let spec = CommandSpec(
        name: "sweep", summary: "Sweep hardware specs: every point's latency, energy and best N:M configuration, on one machine or a job array.",
        usage:
            "nmsim sweep SWEEP.json [--output DIR] [--jobs N] [--shard I/N | --shard auto [--shards N]] [--resume] [--quiet]\n       nmsim sweep [--spec FILE|PRESET] --workload W [--workload W2 ...] --set PATH=V1,V2,... [--set ...] [--pattern dense,2:4,1:4] [--assignment FILE ...] [--search (--speedup X | --latency T | --flops-window A B | --memory SIZE | --energy UJ) | --pareto] [--objectives A,B] --output DIR\n       (either form) [--plot FILE.svg [--plot-x OBJECTIVE] [--plot-y OBJECTIVE]]",
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
        let sweep = try request(a)
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
        let report: @Sendable (SweepProgress) -> Void = { p in c.err("\r" + line(p)) }
        let summary = try runner.run(progress: showProgress ? report : nil)
        if showProgress { c.err("\n") }
        if !a.has("--quiet") {
            let statuses = summary.statusCounts.keys.sorted().map { "\(summary.statusCounts[$0]!) \($0)" }.joined(separator: ", ")
            c.err(
                "nmsim sweep: \(summary.points) points\(shard.map { " (shard \($0))" } ?? "")"
                    + (summary.resumed > 0 ? ", \(summary.resumed) already done" : "")
                    + ", \(summary.rows) new rows (\(statuses.isEmpty ? "none" : statuses)) in \(String(format: "%.2f", summary.elapsedSeconds)) s -> \(output)\n"
            )
        }
        if let f = a.value("--plot") {
            let points = URL(fileURLWithPath: output).appendingPathComponent("points.csv").path
            guard let text = try? String(contentsOfFile: points, encoding: .utf8) else { throw InputError(.noInput, source: points, "cannot be read") }
            let title = "Sweep: " + sweep.workloads.map(\.label).joined(separator: ", ")
            try OutputFile.write(
                SweepFigure.pareto(pointsCSV: text, source: points, x: axes[0], y: axes[1], title: title).svg(), to: f, flag: "--plot", console: c)
        }
        return 0
    }

    static func line(_ p: SweepProgress) -> String {
        let rate = p.elapsedSeconds > 0 ? Double(p.done) / p.elapsedSeconds : 0
        let eta = rate > 0 ? Double(p.total - p.done) / rate : 0
        return String(format: "%d/%d points, %.1f points/s, ETA %@   ", p.done, p.total, rate, duration(eta))
    }

    /// A duration as 42s, 3m05s or 2h07m.
    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded(.up))
        if t < 60 { return "\(t)s" }
        if t < 3600 { return String(format: "%dm%02ds", t / 60, t % 60) }
        return String(format: "%dh%02dm", t / 3600, t % 3600 / 60)
    }

    /// The sweep: a sweep file, or the options.
    static func request(_ a: ParsedArguments) throws(InputError) -> Sweep {
        let inline =
            [
                "--spec", "--workload", "--image", "--batch", "--sparsify", "--set", "--pattern", "--assignment", "--search",
                "--pareto", "--optimizer", "--seed", "--objectives",
            ] + SearchBudget.options
        if a.positionals.count > 1 { throw InputError(.usage, source: "sweep", "takes one sweep file (got \(a.positionals.count))") }
        if let file = a.positionals.first {
            if let o = inline.first(where: { a.has($0) }) {
                throw InputError(.usage, source: o, "cannot be combined with a sweep file (the file holds the spec, axes, workloads and modes)")
            }
            return try Sweep.load(file)
        }
        guard let workloads = a.values["--workload"] else {
            throw InputError(.usage, source: "sweep", "needs a sweep file, or --workload and --set options; see 'nmsim sweep --help'")
        }
        let specArg = a.value("--spec") ?? Presets.defaultName
        let baseJSON: JSONValue
        if let preset = Presets.json(named: specArg) {
            baseJSON = try JSONParser.parse(preset, source: "preset \(specArg)")
        } else if specArg.lowercased().hasSuffix(".json") {
            baseJSON = try JSONParser.parse(InputLoader.read(specArg), source: specArg)
        } else {
            _ = try InputLoader.spec(specArg)
            throw InputError(.usage, source: "--spec", "a sweep needs a preset or a spec .json file (its keys are what --set changes), found \"\(specArg)\"")
        }
        var axes: [SweepAxis] = []
        for s in a.values["--set"] ?? [] {
            switch SweepAxis.parse(assignment: s) {
            case .success(let axis): axes.append(axis)
            case .failure(let e): throw InputError(.usage, source: "--set", "\(s): \(e.message)")
            }
        }
        let image = try a.int("--image", in: 1...8192)
        let batch = try a.int("--batch", in: 1...4096)
        let sparsify = try CommonOptions.sparsifyKinds(a)
        var loaded: [SweepWorkload] = []
        for w in workloads { loaded.append(try SweepWorkload.load(w, image: image, batch: batch, sparsify: sparsify, relativeTo: "")) }
        var modes: [SweepMode] = []
        for p in (a.value("--pattern") ?? (a.has("--search") || a.has("--pareto") || a.has("--assignment") ? "" : "dense"))
            .split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
        {
            let mode: SweepMode
            if p == "dense" {
                mode = .uniform(.dense)
            } else {
                switch NMPattern.parse(p) {
                case .success(let v): mode = .uniform(v.isDense ? .dense : v)
                case .failure(let e): throw InputError(.usage, source: "--pattern", e.description + " or dense")
                }
            }
            if modes.contains(mode) { throw InputError(.usage, source: "--pattern", "\(mode.label) is given twice") }
            modes.append(mode)
        }
        for f in a.values["--assignment"] ?? [] {
            let name: String
            let assignment: PatternAssignment
            if let e = ELSAConfigurations.named(f) {
                name = e.name; assignment = try e.assignment(for: loaded[0].workload)
            } else {
                name = URL(fileURLWithPath: f).deletingPathExtension().lastPathComponent; assignment = try AssignmentFile.load(f, for: loaded[0].workload)
            }
            modes.append(.assignment(name: name, assignment))
        }
        let budgets = SearchBudget.options.filter { a.value($0) != nil }
        if a.has("--search") {
            modes.append(.search(try SearchCommand.budget(a, command: "--search")))
        } else if let b = budgets.first {
            throw InputError(.usage, source: b, "is a search budget; add --search")
        }
        if a.has("--pareto") { modes.append(.pareto) }
        var objectives: [SweepObjective] = []
        if let o = a.value("--objectives") {
            for name in o.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let v = SweepObjective(rawValue: name) else {
                    throw InputError(
                        .usage, source: "--objectives",
                        "unknown objective \"\(name)\"; objectives are \(SweepObjective.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                objectives.append(v)
            }
        }
        let optimizer = try a.choice("--optimizer", ["dp", "evolutionary"]) ?? "dp"
        let seed = UInt64(try a.int("--seed", in: 0...Int.max) ?? 0)
        let sweep = Sweep(
            baseSpec: baseJSON, baseSpecName: specArg, axes: axes, workloads: loaded, modes: modes,
            objectives: objectives, optimizer: optimizer, seed: seed)
        try sweep.validate()
        return sweep
    }
}
