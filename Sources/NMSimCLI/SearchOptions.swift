import NMSimModel
import NMSimSearch

/// Options of the commands that search (`search`, `demo`, `sweep`): budgets, the accuracy
/// source and the evaluator, parsed into the search library's request values.
enum SearchOptions {
    static let accuracy = [
        OptionSpec(name: "--sensitivity", value: "FILE", help: "Accuracy cost per (layer, pattern): CSV layer,pattern,cost|accuracy or JSON."),
        OptionSpec(
            name: "--missing-cost", value: "error|interpolate",
            help: "A level the sensitivity file lacks for a layer: an error (default), or interpolated in density from the layer's listed levels."),
        OptionSpec(name: "--weights", value: "FILE", help: "Score layers from a .safetensors checkpoint (or a folder of .npy files)."),
        OptionSpec(
            name: "--activations", value: "FILE",
            help: "With --weights: recorded layer inputs (<layer>.input tensors) whose column energies weigh the weights (Wanda's |W|·‖X‖)."),
    ]

    static let evaluator = [
        OptionSpec(
            name: "--evaluator", value: "COMMAND",
            help: "Score whole configurations by COMMAND (run with /bin/sh -c; JSON Lines, see Docs/Search.md): maximise its accuracy."),
        OptionSpec(name: "--evaluator-batch", value: "N", help: "Requests sent before replies are read (default 1)."),
        OptionSpec(name: "--evaluator-timeout", value: "S", help: "Seconds to wait for the evaluator's replies to one batch (default 600)."),
    ]

    /// The evaluator `--evaluator` names; nil without one.
    static func evaluator(_ a: ParsedArguments) throws(InputError) -> EvaluatorSettings? {
        guard let command = a.value("--evaluator") else {
            for f in ["--evaluator-batch", "--evaluator-timeout"] where a.value(f) != nil { throw InputError(.usage, source: f, "needs --evaluator") }
            return nil
        }
        return EvaluatorSettings(
            command: command, batch: try a.int("--evaluator-batch", in: 1...100_000) ?? 1, timeout: try a.double("--evaluator-timeout", min: 0) ?? 600)
    }

    /// The options that state a budget, in the order they are listed (`--flops-window`).
    static let budgetOptions = SearchBudget.Kind.allCases.map { "--" + $0.key }

    /// The one budget option given.
    static func budget(_ a: ParsedArguments, command: String = "search") throws(InputError) -> SearchBudget {
        let given = budgetOptions.filter { a.value($0) != nil }
        guard given.count == 1 else {
            throw InputError(
                .usage, source: given.count > 1 ? given[1] : command,
                given.isEmpty
                    ? "needs one budget: --speedup, --latency, --flops-window, --memory or --energy"
                    : "only one budget may be given (also got \(given[0]))")
        }
        return try SearchBudget.parse(SearchBudget.Kind.allCases[budgetOptions.firstIndex(of: given[0])!], a.values[given[0]]!)
    }

    /// Where the costs come from: `--sensitivity` (with `--missing-cost`), `--weights` (with
    /// `--activations`), else the prior.
    static func accuracy(_ a: ParsedArguments) throws(InputError) -> AccuracySource {
        if a.value("--activations") != nil, a.value("--weights") == nil {
            throw InputError(.usage, source: "--activations", "needs --weights")
        }
        if a.value("--sensitivity") != nil, a.value("--weights") != nil {
            throw InputError(.usage, source: "--sensitivity", "cannot be combined with --weights")
        }
        let missing = try a.choice("--missing-cost", ["error", "interpolate"]).flatMap(Sensitivity.MissingCost.init(rawValue:))
        if missing != nil, a.value("--sensitivity") == nil { throw InputError(.usage, source: "--missing-cost", "needs --sensitivity") }
        if let f = a.value("--sensitivity") { return .table(try Sensitivity.load(f), missing: missing ?? .error) }
        if let f = a.value("--weights") { return .checkpoint(path: f, activations: a.value("--activations")) }
        return .prior
    }
}
