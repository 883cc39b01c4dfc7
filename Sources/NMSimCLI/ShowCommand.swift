import Foundation
import NMSimModel
import NMSimReport
import NMSimSearch

enum ShowCommand {
    static let spec = CommandSpec(
        name: "show", summary: "Print a workload's layer table: shapes, MACs, parameters, patterns.",
        usage:
            "nmsim show --workload FILE|NAME [--image PIXELS] [--batch N] [--sparsify KINDS] [--pattern N:M | --assignment FILE|NAME] [--spec FILE|PRESET] [--format table|json|elsa|assignment|sensitivity-template] [--layer NAME [--objective latency|energy|edp]] [--output FILE]",
        options: [
            CommonOptions.workload, CommonOptions.image, CommonOptions.batch, CommonOptions.sparsify, CommonOptions.pattern, CommonOptions.assignment,
            CommonOptions.spec,
            OptionSpec(
                name: "--layer", value: "NAME",
                help: "Show one GEMM layer's mapping on the spec: the schedules the mapper considered, their estimates, and why the winner won."),
            CommonOptions.objective,
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
        var spec = try CommonOptions.spec(a).spec
        let patterns = try CommonOptions.assignment(a, w).resolve(w, on: spec)
        if let name = a.value("--layer") {
            guard let i = w.layers.firstIndex(where: { $0.name == name }) else {
                throw InputError(.usage, source: "--layer", "no layer \"\(name)\" in \(w.name); 'nmsim show --workload \(w.name)' lists them")
            }
            guard let shape = w.layers[i].shape else {
                throw InputError(.usage, source: "--layer", "\(name) is a vector layer; only GEMM layers are mapped")
            }
            guard spec.timing == .native else {
                throw InputError(.usage, source: "--layer", "\(spec.name) uses SCALE-Sim timing, which always runs the fixed schedule")
            }
            spec.mapping.mode = .search
            let instances = spec.pipelinedInstances(of: w.layers[i])
            do {
                let io = LayerLinks.plan(w, spec: spec)[i]
                var mapper = Mapper(spec: spec)
                mapper.io = io
                let choice = try mapper.choose(shape, pattern: patterns[i], instances: instances)
                let fixed = try LayerSimulator(spec: spec, io: io).simulate(shape, pattern: patterns[i], instances: instances, schedule: nil)
                try CLI.emit(
                    ReportFormatter.mappingExplanation(layer: name, shape: shape, pattern: patterns[i], spec: spec, choice: choice, fixed: fixed), a, c)
            } catch {
                throw InputError(.data, source: w.name, location: name, "\(error)")
            }
            return 0
        }
        if format == "elsa" || format == "assignment" {
            let chosen = w.sparsifiableIndices.map { (w.layers[$0].name, patterns[$0]) }
            if format == "assignment" {
                try CLI.emit(AssignmentFile.jsonText(chosen), a, c)
                return 0
            }
            try CLI.emit(AssignmentFile.elsaText(patterns: Dictionary(uniqueKeysWithValues: chosen), workload: w, role: .elsaFormat), a, c)
            return 0
        }
        try CLI.emit(ReportFormatter.layerTable(try WorkloadCounts(w, patterns: patterns)), a, c)
        return 0
    }
}
