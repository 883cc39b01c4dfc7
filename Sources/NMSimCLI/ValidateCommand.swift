import Foundation
import NMSimModel
import NMSimReport
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
                for d in error.diagnostics { c.err("nmsim: \(d.naming(\.named))\n") }
                worst = max(worst, error.kind.exitStatus)
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
