import NMSimModel
import NMSimReport

/// Options shared by commands that take a spec and a workload.
enum CommonOptions {
    static let spec = OptionSpec(
        name: "--spec", value: "FILE|PRESET", help: "Hardware spec: a preset name, a spec .json, or a SCALE-Sim .cfg (default \(Presets.defaultName)).")
    static let workload = OptionSpec(
        name: "--workload", value: "FILE|NAME", help: "Workload: a built-in model (deit-b, swin-t, ...), a workload .json, or a SCALE-Sim topology .csv.")
    static let image = OptionSpec(name: "--image", value: "PIXELS", help: "Input image side for built-in models (default 224).")
    static let batch = OptionSpec(name: "--batch", value: "N", help: "Images per run for built-in models (default 1).")
    static let sparsify = OptionSpec(
        name: "--sparsify", value: "KINDS",
        help:
            "Built-in models: which weight layers may be sparse, comma-separated from \(WeightLayerKind.allCases.map(\.rawValue).joined(separator: ",")) (default qkv,proj,fc1,fc2)."
    )
    static let pattern = OptionSpec(name: "--pattern", value: "N:M", help: "Apply one N:M pattern to every sparsifiable layer.")
    static let assignment = OptionSpec(
        name: "--assignment", value: "FILE|NAME", help: "Per-layer patterns: an assignment .json, an ELSA .yaml, or a built-in ELSA configuration name.")
    static let output = OptionSpec(name: "--output", value: "FILE", help: "Write the report to FILE (whole or not at all) instead of stdout.")
    static let mapping = OptionSpec(
        name: "--mapping", value: "search|fixed",
        help: "GEMM schedules: the mapper's per-layer choice (default), or the fixed schedule; overrides the spec's mapping.schedule.")
    static let objective = OptionSpec(
        name: "--objective", value: "latency|energy|edp", help: "What the mapper minimises first (default latency); overrides the spec's mapping.objective.")
    static let serial = OptionSpec(name: "--serial", value: nil, help: "Simulate on one thread (results are identical either way).")
    static let plot = OptionSpec(name: "--plot", value: "FILE.svg", help: "Also draw a figure as SVG to FILE.svg (see --plot-kind).")
    static func plotKind(_ kinds: [String]) -> OptionSpec {
        OptionSpec(name: "--plot-kind", value: kinds.joined(separator: "|"), help: "Figure drawn by --plot (default \(kinds[0])).")
    }

    /// The figure kind asked for (the first of `kinds` by default); --plot-kind needs --plot.
    static func plotKind(_ a: ParsedArguments, _ kinds: [String]) throws(InputError) -> String {
        if a.value("--plot-kind") != nil, a.value("--plot") == nil { throw InputError(.usage, source: "--plot-kind", "needs --plot FILE.svg") }
        return try a.choice("--plot-kind", kinds) ?? kinds[0]
    }

    static func workload(_ a: ParsedArguments) throws(InputError) -> Workload {
        guard let w = a.value("--workload") else { throw InputError(.usage, source: "--workload", "is required") }
        let image = try a.int("--image", in: 1...8192)
        let batch = try a.int("--batch", in: 1...4096) ?? 1
        return try InputLoader.workload(w, image: image, batch: batch, sparsify: sparsifyKinds(a))
    }

    /// The layer kinds of `--sparsify`, if given.
    static func sparsifyKinds(_ a: ParsedArguments) throws(InputError) -> Set<WeightLayerKind>? {
        try sparsifyList(a).map(Set.init)
    }

    /// The layer kinds of `--sparsify` in the order given, if given.
    static func sparsifyList(_ a: ParsedArguments) throws(InputError) -> [WeightLayerKind]? {
        guard let s = a.value("--sparsify") else { return nil }
        var kinds: [WeightLayerKind] = []
        for name in s.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let k = WeightLayerKind(rawValue: name) else {
                throw InputError(
                    .usage, source: "--sparsify", "unknown layer kind \"\(name)\"; expected a comma-separated list of \(WeightLayerKind.known)")
            }
            kinds.append(k)
        }
        return kinds
    }

    /// The spec from --spec with --mapping and --objective applied.
    static func spec(_ a: ParsedArguments) throws(InputError) -> (spec: HardwareSpec, warnings: [Diagnostic]) {
        var loaded = try InputLoader.spec(a.value("--spec"))
        try applyMapping(a, to: &loaded.spec)
        return (loaded.spec, loaded.warnings)
    }

    /// Applies --mapping and --objective, when given, to a loaded spec.
    static func applyMapping(_ a: ParsedArguments, to spec: inout HardwareSpec) throws(InputError) {
        if let m = try a.choice("--mapping", MappingMode.allCases.map(\.rawValue)) { spec.mapping.mode = MappingMode(rawValue: m)! }
        if let o = try a.choice("--objective", MappingObjective.allCases.map(\.rawValue)) { spec.mapping.objective = MappingObjective(rawValue: o)! }
    }

    static func assignment(_ a: ParsedArguments, _ w: Workload) throws(InputError) -> PatternAssignment {
        if a.value("--pattern") != nil, a.value("--assignment") != nil {
            throw InputError(.usage, source: "--pattern", "cannot be combined with --assignment")
        }
        if let p = a.value("--pattern") {
            switch NMPattern.parse(p) {
            case .success(let v): return PatternAssignment(uniform: v, source: "--pattern")
            case .failure(let e): throw InputError(.usage, source: "--pattern", e.description)
            }
        }
        if let f = a.value("--assignment") {
            if let builtin = ELSAConfigurations.named(f) { return try builtin.assignment(for: w) }
            return try AssignmentFile.load(f, for: w)
        }
        return .none
    }
}
