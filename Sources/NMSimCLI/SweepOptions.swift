import Foundation
import NMSimModel
import NMSimSearch

/// `nmsim sweep`'s options turned into the search library's ``Sweep`` value.
enum SweepOptions {
    /// The sweep: a sweep file, or the options.
    static func sweep(_ a: ParsedArguments) throws(InputError) -> Sweep {
        let inline =
            [
                "--spec", "--workload", "--image", "--batch", "--sparsify", "--set", "--pattern", "--assignment", "--search",
                "--pareto", "--optimizer", "--seed", "--objectives", "--sensitivity", "--missing-cost", "--weights", "--activations",
            ] + SearchOptions.budgetOptions
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
            switch SweepAxis.parse(assignment: s, source: "--set") {
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
        let budgets = SearchOptions.budgetOptions.filter { a.value($0) != nil }
        if a.has("--search") {
            modes.append(.search(try SearchOptions.budget(a, command: "--search")))
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
        let accuracy = try SearchOptions.accuracy(a)
        if accuracy != .prior, !a.has("--search"), !a.has("--pareto") {
            throw InputError(.usage, source: ["--sensitivity", "--weights"].first { a.has($0) }!, "needs --search or --pareto")
        }
        let optimizer = try a.choice("--optimizer", ["dp", "evolutionary"]) ?? "dp"
        let seed = UInt64(try a.int("--seed", in: 0...Int.max) ?? 0)
        let sweep = Sweep(
            baseSpec: baseJSON, baseSpecName: specArg, axes: axes, workloads: loaded, modes: modes,
            objectives: objectives, optimizer: optimizer, seed: seed, accuracy: accuracy)
        try sweep.validate()
        return sweep
    }
}
