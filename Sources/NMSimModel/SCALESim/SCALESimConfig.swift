import Foundation

/// Reads a SCALE-Sim v3 `.cfg` (INI) file into a spec that uses SCALE-Sim timing.
///
/// Only what the CALC-mode cycle model needs is used: array size, dataflow, SRAM sizes, word
/// size 1 byte, and the sparsity settings (``SCALESimSettings``): with `SparsitySupport = false`
/// every layer runs dense, in layer-wise mode every N:M of the topology is accepted.
package enum SCALESimConfig {
    package struct Result: Sendable {
        package var spec: HardwareSpec
        /// Notes for stderr about settings that are read but not modelled.
        package var warnings: [Diagnostic]
    }

    package static func parse(_ text: String, source: String) throws(InputError) -> Result {
        try parse(lines: TextLines.useful(text, source: source), source: source)
    }

    package static func parse(lines: [TextLine], source: String) throws(InputError) -> Result {
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
            case "true": return true
            case "false": return false
            default:
                sink.report("line \(v.line)", "\(key) must be true or false (SCALE-Sim reads anything but true as false), found \"\(v.value)\""); return def
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
        let ifmapOffset = int("architecture_presets", "IfmapOffset", 0...Int(Int32.max), default: 0)
        let filterOffset = int("architecture_presets", "FilterOffset", 0...Int(Int32.max), default: 10_000_000)
        let ofmapOffset = int("architecture_presets", "OfmapOffset", 0...Int(Int32.max), default: 20_000_000)
        // SCALE-Sim reads [sparsity] the same way: OptimizedMapping, BlockSize and the seed only
        // matter with SparsitySupport on, and BlockSize only in row-wise mode.
        let sparse = bool("sparsity", "SparsitySupport", default: false)
        var sparsity = SCALESimSettings.Sparsity.off
        if sparse {
            sparsity = .layerWise
            if bool("sparsity", "OptimizedMapping", default: false) {
                let block = int("sparsity", "BlockSize", 2...NMPattern.maxM, default: 4)
                let seed = int("sparsity", "RandomNumberGeneratorSeed", 0...Int(UInt32.max), default: 40)
                if block > rows {
                    sink.report(
                        "line \(lookup("sparsity", "BlockSize")?.line ?? 0)",
                        "BlockSize \(block) must not exceed ArrayHeight \(rows) in row-wise mode (OptimizedMapping = true), as in SCALE-Sim")
                }
                if dataflow != .weightStationary {
                    let line = lookup("sparsity", "OptimizedMapping")!.line
                    sink.report("line \(line)", "row-wise sparsity (OptimizedMapping = true) runs only with Dataflow = ws, as in SCALE-Sim")
                }
                sparsity = .rowWise(blockSize: block, seed: UInt32(seed))
            }
        }
        let representation = lookup("sparsity", "SparseRep")?.value ?? "ellpack_block"
        if sparse, !["csr", "csc", "ellpack_block"].contains(representation) {
            sink.report("line \(lookup("sparsity", "SparseRep")!.line)", "SparseRep must be one of: csr, csc, ellpack_block (got \"\(representation)\")")
        }
        var warnings: [Diagnostic] = []
        // USER mode: SCALE-Sim's read buffers fetch at the [layout] bank bandwidths and the write
        // buffer drains at the first Bandwidth value.
        var user: SCALESimSettings.UserBandwidth?
        if let mode = lookup("run_presets", "InterfaceBandwidth") {
            switch mode.value {
            case "CALC": break
            case "USER":
                var drain = 1
                if let b = lookup("architecture_presets", "Bandwidth") {
                    if let first = b.value.split(separator: ",").first.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), first >= 1 {
                        drain = first
                    } else {
                        sink.report("line \(b.line)", "Bandwidth must be a positive integer (or a comma-separated list of them), found \"\(b.value)\"")
                    }
                } else {
                    sink.report("[architecture_presets] Bandwidth", "is required with InterfaceBandwidth = USER")
                }
                user = SCALESimSettings.UserBandwidth(
                    ofmap: drain, ifmap: int("layout", "IfmapSRAMBankBandwidth", 1...(1 << 20), default: 10),
                    filter: int("layout", "FilterSRAMBankBandwidth", 1...(1 << 20), default: 10))
            default:
                sink.report(
                    "line \(mode.line)", "InterfaceBandwidth must be CALC or USER (SCALE-Sim stops reading the file otherwise), found \"\(mode.value)\"")
            }
        }
        for (section, key) in [("layout", "IfmapCustomLayout"), ("layout", "FilterCustomLayout"), ("run_presets", "UseRamulatorTrace")] {
            if let v = lookup(section, key), v.value.lowercased() == "true" {
                warnings.append(
                    Diagnostic(
                        source: source, location: "line \(v.line)",
                        message: "warning: \(key) = True is not reproduced (SCALE-Sim's custom layouts and Ramulator traces); nmsim runs as if it were False"))
            }
        }
        try sink.throwIfAny()

        func buffer(_ kib: Int) -> BufferSpec {
            BufferSpec(capacityBytes: kib * 1024, banks: 1, bankWidthBytes: 1 << 20, ports: 1, doubleBuffered: true)
        }
        var spec = HardwareSpec(
            name: name, summary: "Imported from SCALE-Sim config \(source)", clockGHz: 1.0, rows: rows, columns: cols,
            dataflow: dataflow, stationaryDoubleBuffered: false, supportedPatterns: [], mux: .perRow,
            decoder: DecoderSpec(groupsPerCycle: 1 << 20, latencyCycles: 0),
            ifmap: buffer(ifmapKB), filter: buffer(filterKB), ofmap: buffer(ofmapKB),
            dram: DRAMSpec(model: .ideal, bytesPerCycle: 1e9, latencyCycles: 0, burstBytes: 1),
            vector: VectorUnitSpec(lanes: cols, latencyCycles: 0, cyclesPerElement: HardwareSpec.defaultVectorCosts),
            dataTypes: DataTypes(activationBytes: 1, weightBytes: 1, outputBytes: 1, accumulatorBytes: 1),
            timing: .scaleSim)
        spec.mapping.mode = .fixed
        spec.scaleSim = SCALESimSettings(
            sparsity: sparsity, sparseRepresentation: representation,
            ifmapOffset: ifmapOffset, filterOffset: filterOffset, ofmapOffset: ofmapOffset)
        spec.scaleSim?.userBandwidth = user
        return Result(spec: spec, warnings: warnings)
    }
}
