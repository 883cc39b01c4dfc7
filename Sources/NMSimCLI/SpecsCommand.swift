import Foundation
import NMSimModel
import NMSimReport
import NMSimSearch

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
