import Foundation
import NMSimModel
import NMSimSearch

enum ValidateCommand {
    static let spec = CommandSpec(
        name: "validate", summary: "Check spec, workload, assignment, SCALE-Sim cfg and topology files; report every problem.",
        usage: "nmsim validate FILE...", options: [], positionals: "FILE...",
        details:
            "Kinds are told apart by extension (.cfg, .csv, .yaml) and, for .json, by their keys (peArray: spec; layers: workload; patterns: assignment). An ELSA .yaml names its model by MODEL.TYPE and the dimensions under MODEL.DEIT or MODEL.SWIN (ELSA's defaults where it gives none)."
    )

    static func run(_ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        guard !a.positionals.isEmpty else { throw InputError(.usage, source: "validate", "expects at least one FILE") }
        var worst: Int32 = 0
        for path in a.positionals {
            do {
                let what = try check(path, c)
                c.out("ok: \(path): \(what)\n")
            } catch {
                for d in error.diagnostics { c.err("nmsim: \(d)\n") }
                worst = max(worst, error.kind.rawValue)
            }
        }
        return worst
    }

    static func check(_ path: String, _ c: Console) throws(InputError) -> String {
        let lower = path.lowercased()
        if lower.hasSuffix(".cfg") {
            let loaded = try InputLoader.spec(path)
            CLI.warn(loaded.warnings, c)
            let s = loaded.spec
            return "SCALE-Sim config, \(s.rows)x\(s.columns) \(s.dataflow.shortName)"
        }
        if lower.hasSuffix(".csv") {
            let w = try InputLoader.workload(path)
            return "SCALE-Sim topology, \(w.layers.count) layers"
        }
        let text = try InputLoader.read(path)
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            let file = try ELSAConfigFile(text, source: path)
            let model = try file.model()
            let a = try AssignmentFile.assignment(file, for: model.workload())
            return "ELSA configuration for \(model.name) (\(file.string("MODEL.TYPE") ?? "")), \(a.byName.count) genes"
        }
        let root = try JSONParser.parse(text, source: path)
        if root["peArray"] != nil {
            let s = try HardwareSpec.decode(root, source: path)
            return "spec \(s.name), \(s.rows)x\(s.columns) \(s.dataflow.rawValue), patterns \(s.supportedPatternNames)"
        }
        if root["layers"] != nil {
            let w = try Workload.decode(json: text, source: path)
            return "workload \(w.name), \(w.layers.count) layers"
        }
        if root["patterns"] != nil {
            let a = try AssignmentFile.json(text, source: path)
            return "assignment, \(a.byName.count) layers"
        }
        throw InputError(.data, source: path, "not a spec (no peArray), workload (no layers) or assignment (no patterns)")
    }
}

enum SpecsCommand {
    static let spec = CommandSpec(
        name: "specs", summary: "List the built-in hardware spec presets.",
        usage: "nmsim specs [--show NAME]",
        options: [OptionSpec(name: "--show", value: "NAME", help: "Print one preset's JSON (a starting point for your own spec).")])

    static func run(_ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        if let name = a.value("--show") {
            guard let json = Presets.json(named: name) else {
                throw InputError(.usage, source: "--show", "unknown preset \"\(name)\"; presets are: \(Presets.names.joined(separator: ", "))")
            }
            c.out(json + "\n")
            return 0
        }
        var rows = [["name", "array", "dataflow", "patterns", "DRAM B/cycle", "clock"]]
        var notes = ""
        for name in Presets.names {
            let s = try HardwareSpec.decode(json: Presets.json(named: name)!, source: name)
            rows.append([
                name + (name == Presets.defaultName ? " (default)" : ""), "\(s.rows)x\(s.columns)", s.dataflow.shortName,
                s.supportedPatternNames, JSONWriter.format(s.dram.bytesPerCycle), "\(JSONWriter.format(s.clockGHz)) GHz",
            ])
            notes += "\(name): \(s.summary)\n"
        }
        c.out(ReportFormatter.align(rows, rightAligned: [4]) + "\n\n" + notes)
        return 0
    }
}

enum WorkloadsCommand {
    static let spec = CommandSpec(
        name: "workloads", summary: "List the built-in models and ELSA configurations.",
        usage: "nmsim workloads", options: [])

    static func run(_ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        var rows = [["model", "blocks", "width", "layers", "GMACs", "params (M)", "sparsifiable"]]
        for m in VisionTransformer.all {
            let w = m.workload()
            let stats = WorkloadStats(w)
            rows.append([
                m.name, "\(m.blockCount)", "\(m.width)", "\(w.layers.count)", String(format: "%.2f", Double(stats.denseMACs) / 1e9),
                String(format: "%.1f", Double(stats.parameters) / 1e6), "\(w.sparsifiableIndices.count)",
            ])
        }
        var out = ReportFormatter.align(rows, rightAligned: [1, 2, 3, 4, 5, 6]) + "\n\nELSA configurations (--assignment NAME):\n"
        for e in ELSAConfigurations.all {
            out +=
                "  \(e.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(e.model), \(e.publishedGMACs) GMACs, top-1 \(e.publishedTop1) (\(e.file))\n"
        }
        c.out(out)
        return 0
    }
}

/// MACs and parameters of a workload, from shapes alone.
struct WorkloadStats {
    var denseMACs: Int64 = 0
    var parameters: Int64 = 0
    init(_ w: Workload) {
        for l in w.layers {
            guard let s = l.shape else { continue }
            denseMACs += s.denseMACs * Int64(l.count)
            if l.hasParameters { parameters += Int64(s.k) * Int64(s.n) * Int64(l.count) }
        }
    }
}

enum ShowCommand {
    static let spec = CommandSpec(
        name: "show", summary: "Print a workload's layer table: shapes, MACs, parameters, patterns.",
        usage:
            "nmsim show --workload FILE|NAME [--image PIXELS] [--batch N] [--sparsify KINDS] [--pattern N:M | --assignment FILE|NAME] [--spec FILE|PRESET] [--format table|json|elsa|assignment|sensitivity-template] [--output FILE]",
        options: [
            CommonOptions.workload, CommonOptions.image, CommonOptions.batch, CommonOptions.sparsify, CommonOptions.pattern, CommonOptions.assignment,
            CommonOptions.spec,
            OptionSpec(
                name: "--format", value: "table|json|elsa|assignment|sensitivity-template",
                help:
                    "table (default); the workload as JSON; the patterns in ELSA's YAML form or as an assignment JSON; a CSV of every (layer, level) of the spec to fill in with accuracies."
            ),
            CommonOptions.output,
        ])

    static func run(_ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        let format = try a.choice("--format", ["table", "json", "elsa", "assignment", "sensitivity-template"]) ?? "table"
        let w = try CommonOptions.workload(a)
        CLI.warn(w.warnings, c)
        if format == "sensitivity-template" {
            if a.value("--pattern") != nil || a.value("--assignment") != nil {
                throw InputError(.usage, source: "--format", "sensitivity-template lists every level the spec supports; it takes no --pattern or --assignment")
            }
            try CLI.emit(Sensitivity.template(w, spec: InputLoader.spec(a.value("--spec")).spec), a, c)
            return 0
        }
        if format == "json" {
            if a.value("--pattern") != nil || a.value("--assignment") != nil {
                throw InputError(.usage, source: "--format", "json prints the workload itself; patterns go with --format elsa or assignment")
            }
            try CLI.emit(JSONWriter.write(w.jsonValue()), a, c)
            return 0
        }
        let spec = try InputLoader.spec(a.value("--spec")).spec
        let patterns = try CommonOptions.assignment(a, w).resolve(w, on: spec)
        if format == "elsa" || format == "assignment" {
            let chosen = w.sparsifiableIndices.map { (w.layers[$0].name, patterns[$0]) }
            if format == "assignment" {
                try CLI.emit(AssignmentFile.jsonText(chosen), a, c)
                return 0
            }
            try CLI.emit(AssignmentFile.elsaText(patterns: Dictionary(uniqueKeysWithValues: chosen), workload: w, flag: "--format"), a, c)
            return 0
        }
        var rows = [["layer", "type", "shape (MxNxK)", "x", "pattern", "MACs", "kept MACs", "params"]]
        var dense: Int64 = 0, kept: Int64 = 0, params: Int64 = 0
        for (i, l) in w.layers.enumerated() {
            switch l.kind {
            case .gemm(let s):
                let p = patterns[i]
                // Per-instance MACs are at most 2^50 (checked on load); counts and sums are checked here.
                let count = Int64(l.count)
                let (d, o1) = s.denseMACs.multipliedReportingOverflow(by: count)
                let (k, o2) = (Int64(s.m) * Int64(s.n) * Int64(p.keptLength(s.k))).multipliedReportingOverflow(by: count)
                let par = l.hasParameters ? Int64(s.k) * Int64(s.n) * count : 0
                let (nd, o3) = dense.addingReportingOverflow(d)
                guard !o1, !o2, !o3, nd <= Int64(1) << 62 else {
                    throw InputError(.data, source: w.name, location: l.name, "\(l.count) instances of this layer would overflow the MAC counters")
                }
                dense = nd; kept += k; params += par
                rows.append([
                    l.name, l.category, "\(s.m)x\(s.n)x\(s.k)", "\(l.count)", l.sparsifiable ? p.description : "dense",
                    ReportFormatter.grouped(d), ReportFormatter.grouped(k), ReportFormatter.grouped(par),
                ])
            case let .vector(op, e):
                rows.append([l.name, "vector", "\(op.rawValue) \(e) el", "\(l.count)", "-", "-", "-", "-"])
            }
        }
        var out = "\(w.name): \(w.layers.count) layers\n\n" + ReportFormatter.align(rows, rightAligned: [3, 5, 6, 7]) + "\n\n"
        out += String(
            format: "dense %.3f GMACs, kept %.3f GMACs (%.2fx fewer), %.2f M parameters\n",
            Double(dense) / 1e9, Double(kept) / 1e9, Double(dense) / Double(max(kept, 1)), Double(params) / 1e6)
        try CLI.emit(out, a, c)
        return 0
    }
}
