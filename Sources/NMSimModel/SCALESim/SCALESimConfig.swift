import Foundation

/// Reads a SCALE-Sim v3 `.cfg` (INI) file into a spec that uses SCALE-Sim timing.
///
/// Only what the CALC-mode cycle model needs is used: array size, dataflow, SRAM sizes, word
/// size 1 byte, and the sparsity switch (`SparsitySupport = true` accepts every N:BlockSize).
public enum SCALESimConfig {
    public struct Result: Sendable {
        public var spec: HardwareSpec
        /// Notes for stderr about settings that are read but not modelled.
        public var warnings: [Diagnostic]
    }

    public static func parse(_ text: String, source: String) throws(InputError) -> Result {
        try parse(lines: TextLines.useful(text, source: source), source: source)
    }

    public static func parse(lines: [TextLine], source: String) throws(InputError) -> Result {
        let sink = DiagnosticSink(source: source)
        var sections: [String: [String: (value: String, line: Int)]] = [:]
        var current = ""
        for numbered in lines {
            let i = numbered.number - 1
            let line = numbered.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { sink.report("line \(i + 1)", "malformed section header \"\(line)\""); continue }
                current = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let eq = line.firstIndex(of: "=") ?? line.firstIndex(of: ":") else {
                sink.report("line \(i + 1)", "expected 'key = value', found \"\(line.prefix(60))\""); continue
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            sections[current.lowercased(), default: [:]][key] = (value, i + 1)
        }
        try sink.throwIfAny()

        func lookup(_ section: String, _ key: String) -> (value: String, line: Int)? { sections[section]?[key.lowercased()] }
        func int(_ section: String, _ key: String, _ range: ClosedRange<Int>, default def: Int? = nil) -> Int {
            guard let v = lookup(section, key) else {
                if let def { return def }
                sink.report("[\(section)] \(key)", "is required"); return range.lowerBound
            }
            guard let i = Int(v.value), range.contains(i) else {
                sink.report("line \(v.line)", "\(key) must be an integer \(ObjectReader.describe(range)), found \"\(v.value)\"")
                return range.lowerBound
            }
            return i
        }
        func bool(_ section: String, _ key: String, default def: Bool) -> Bool {
            guard let v = lookup(section, key) else { return def }
            switch v.value.lowercased() {
            case "true", "yes", "1": return true
            case "false", "no", "0": return false
            default: sink.report("line \(v.line)", "\(key) must be true or false, found \"\(v.value)\""); return def
            }
        }

        let name = lookup("general", "run_name")?.value ?? "scalesim"
        let rows = int("architecture_presets", "ArrayHeight", 1...HardwareSpec.maxArraySide)
        let cols = int("architecture_presets", "ArrayWidth", 1...HardwareSpec.maxArraySide)
        let ifmapKB = int("architecture_presets", "IfmapSramSzkB", 1...(1 << 21))
        let filterKB = int("architecture_presets", "FilterSramSzkB", 1...(1 << 21))
        let ofmapKB = int("architecture_presets", "OfmapSramSzkB", 1...(1 << 21))
        var dataflow = Dataflow.weightStationary
        if let d = lookup("architecture_presets", "Dataflow") {
            switch d.value.lowercased() {
            case "ws": dataflow = .weightStationary
            case "os": dataflow = .outputStationary
            case "is": dataflow = .inputStationary
            default: sink.report("line \(d.line)", "Dataflow must be one of: os, ws, is (got \"\(d.value)\")")
            }
        } else {
            sink.report("[architecture_presets] Dataflow", "is required")
        }
        let sparse = bool("sparsity", "SparsitySupport", default: false)
        let block = int("sparsity", "BlockSize", 1...NMPattern.maxM, default: 4)
        var warnings: [Diagnostic] = []
        if sparse, bool("sparsity", "OptimizedMapping", default: false) {
            let line = lookup("sparsity", "OptimizedMapping")!.line
            sink.report("line \(line)", "OptimizedMapping = true (row-wise random N) is not reproduced; use layer-wise N:M (false)")
        }
        if let mode = lookup("run_presets", "InterfaceBandwidth"), mode.value.uppercased() != "CALC" {
            warnings.append(
                Diagnostic(
                    source: source, location: "line \(mode.line)",
                    message: "warning: InterfaceBandwidth = \(mode.value): SCALE-Sim's USER-mode stalls are not reproduced; cycles follow the CALC model"))
        }
        try sink.throwIfAny()

        let patterns = sparse ? (1..<block).compactMap { NMPattern(n: $0, m: block) } : []
        func buffer(_ kib: Int) -> BufferSpec {
            BufferSpec(capacityBytes: kib * 1024, banks: 1, bankWidthBytes: 1 << 20, ports: 1, doubleBuffered: true)
        }
        let spec = HardwareSpec(
            name: name, summary: "Imported from SCALE-Sim config \(source)", clockGHz: 1.0, rows: rows, columns: cols,
            dataflow: dataflow, stationaryDoubleBuffered: false, supportedPatterns: patterns, mux: .perRow,
            decoder: DecoderSpec(groupsPerCycle: 1 << 20, latencyCycles: 0),
            ifmap: buffer(ifmapKB), filter: buffer(filterKB), ofmap: buffer(ofmapKB),
            dram: DRAMSpec(model: .ideal, bytesPerCycle: 1e9, latencyCycles: 0, burstBytes: 1),
            vector: VectorUnitSpec(lanes: cols, latencyCycles: 0, cyclesPerElement: HardwareSpec.defaultVectorCosts),
            dataTypes: DataTypes(activationBytes: 1, weightBytes: 1, outputBytes: 1, accumulatorBytes: 1),
            timing: .scaleSim)
        return Result(spec: spec, warnings: warnings)
    }
}
