import NMSimModel

/// Writes a network report in the layout of SCALE-Sim's `COMPUTE_REPORT.csv`, so scripts that
/// read SCALE-Sim's reports keep working.
///
/// For a spec read from a SCALE-Sim `.cfg` (SCALE-Sim timing), `Total Cycles`, `Overall Util %`
/// and `Mapping Efficiency %` equal SCALE-Sim 3.0.0's to the digit and `Compute Util %` to within
/// floating-point rounding. `Total Cycles (incl. prefetch)` repeats `Total Cycles` (nmsim's
/// cycles already include every fetch), and `Stall Cycles` is the layer's memory, decoder and
/// bandwidth stalls (0 in SCALE-Sim timing, as in SCALE-Sim's CALC mode). Only GEMM layers
/// appear; a layer with `count` k is one row for all k instances.
package enum SCALESimReportWriter {
    package static let computeHeader =
        "LayerID, Total Cycles (incl. prefetch), Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %,"

    package static func compute(_ report: NetworkReport, spec: HardwareSpec) -> String {
        var out = computeHeader + "\n"
        let pes = Int64(spec.rows * spec.columns)
        var id = 0
        for l in report.layers where l.layer.shape != nil {
            let r = l.result
            let count = Int64(l.layer.count)
            let stall = r.stalls.sum(where: \.isSCALESimStall)
            // SCALE-Sim's expressions, in its order of operations.
            // Products in Double: cycles × PEs may exceed Int64 on huge runs. A 0-cycle layer
            // (one PE, one MAC, less SCALE-Sim's one) reports 0 % rather than infinity.
            let p = Double(pes)
            let overall = r.cycles > 0 ? 100 * Double(r.denseMACs) / (Double(r.cycles) * p) : 0
            let mapping = r.folds > 0 ? Double(r.mappedPEs) / (Double(r.folds) * p) * 100 : 0
            let busy: Int64
            if spec.timing == .scaleSim {
                // Each fold's busy time in SCALE-Sim's compute-utilisation: the fold plus R − 1
                // (WS) or C − 1 (IS) cycles of skew it counts separately.
                let folds = Int64(r.folds) / count
                // USER-mode stalls (memory) are not part of a fold.
                let perFold = ((r.cycles - r.stalls.memory) / count + 1) / max(folds, 1)
                let extra: Int64 = spec.dataflow == .outputStationary ? 0 : Int64(spec.dataflow == .weightStationary ? spec.rows - 1 : spec.columns - 1)
                busy = Int64(r.folds) * (perFold + extra)
            } else {
                busy = r.cycles
            }
            let computeUtil = busy > 0 ? 100 * Double(r.macs) / (Double(busy) * p) : 0
            out += "\(id), \(r.cycles), \(r.cycles), \(stall), \(overall), \(mapping), \(computeUtil),\n"
            id += 1
        }
        return out
    }
}

/// SCALE-Sim's four report files, in its exact layout (header spelling, `", "` separators,
/// trailing comma, Python number formatting).
package enum SCALESimReportFiles {
    package static let bandwidthHeader =
        "LayerID, Avg IFMAP SRAM BW, Avg FILTER SRAM BW, Avg OFMAP SRAM BW, Avg IFMAP DRAM BW, Avg FILTER DRAM BW, Avg OFMAP DRAM BW,"
    package static let sparseBandwidthHeader =
        "LayerID, Avg IFMAP SRAM BW, Avg FILTER SRAM BW, Avg FILTER Metadata SRAM BW, Avg OFMAP SRAM BW, Avg IFMAP DRAM BW, Avg FILTER DRAM BW, Avg OFMAP DRAM BW,"
    package static let detailHeader =
        "LayerID, SRAM IFMAP Start Cycle, SRAM IFMAP Stop Cycle, SRAM IFMAP Reads, SRAM Filter Start Cycle, SRAM Filter Stop Cycle, SRAM Filter Reads, SRAM OFMAP Start Cycle, SRAM OFMAP Stop Cycle, SRAM OFMAP Writes, DRAM IFMAP Start Cycle, DRAM IFMAP Stop Cycle, DRAM IFMAP Reads, DRAM Filter Start Cycle, DRAM Filter Stop Cycle, DRAM Filter Reads, DRAM OFMAP Start Cycle, DRAM OFMAP Stop Cycle, DRAM OFMAP Writes,"
    package static let sparseHeader =
        "LayerID, Sparsity Representation, Original Filter Storage, New Storage (Filter+Metadata), Filter Metadata Storage, Avg FILTER Metadata SRAM BW, "

    /// File name → contents, for the layers' items (nil sparse items: no SPARSE_REPORT.csv).
    package static func render(_ layers: [SCALESimLayerItems], representation: String) -> [(name: String, text: String)] {
        func table(_ header: String, _ rows: [String]) -> String { ([header] + rows).joined(separator: "\n") + "\n" }
        func row(_ id: Int, _ items: [PyNumber], prefix: String = "") -> String {
            "\(id), " + prefix + items.map(\.description).joined(separator: ", ") + ","
        }
        let sparse = layers.first?.sparse != nil
        var files = [
            ("COMPUTE_REPORT.csv", table(SCALESimReportWriter.computeHeader, layers.enumerated().map { row($0, $1.compute) })),
            ("BANDWIDTH_REPORT.csv", table(sparse ? sparseBandwidthHeader : bandwidthHeader, layers.enumerated().map { row($0, $1.bandwidth) })),
            ("DETAILED_ACCESS_REPORT.csv", table(detailHeader, layers.enumerated().map { row($0, $1.detail) })),
        ]
        if sparse {
            files.append(("SPARSE_REPORT.csv", table(sparseHeader, layers.enumerated().map { row($0, $1.sparse ?? [], prefix: representation + ", ") })))
        }
        return files
    }
}

/// The report files `--scalesim-outdir` writes for one run.
///
/// For a spec read from a SCALE-Sim `.cfg` (CALC or USER mode, any sparsity mode) every file
/// and value is SCALE-Sim 3.0.0's, from ``SCALESimReplay``. For native specs the files carry
/// nmsim's own counts:
/// `COMPUTE_REPORT.csv` and, when the spec supports sparsity, `SPARSE_REPORT.csv` (nmsim's
/// weight and metadata bytes); SCALE-Sim's per-operand bandwidth and access reports have no
/// native counterpart and are not written.
package enum SCALESimOutput {
    package struct Files: Sendable {
        /// The run's folder name (`run_name` of a `.cfg`, else the spec's name).
        package var runName: String
        package var files: [(name: String, text: String)]
        /// Reports that could not be written, and why (for stderr).
        package var notes: [String]
    }

    package static func files(spec: HardwareSpec, workload: Workload, patterns: [NMPattern], report: NetworkReport) throws(InputError) -> Files {
        let gemms = workload.layers.indices.filter { workload.layers[$0].shape != nil }
        if let replay = SCALESimReplay(spec: spec) {
            var items: [SCALESimLayerItems] = []
            for i in gemms {
                do { items.append(try replay.run(workload.layers[i], pattern: patterns[i])) } catch {
                    guard case .notReproduced(let why) = error else { continue }
                    throw InputError(.data, source: workload.name, location: workload.layers[i].name, why)
                }
            }
            return Files(runName: spec.name, files: SCALESimReportFiles.render(items, representation: spec.scaleSim!.sparseRepresentation), notes: [])
        }
        var files = [("COMPUTE_REPORT.csv", SCALESimReportWriter.compute(report, spec: spec))]
        if !spec.supportedPatterns.isEmpty {
            let rows = report.layers.filter { $0.layer.shape != nil }.map { l -> [PyNumber] in
                let r = l.result
                let original = l.layer.shape!.n * l.layer.shape!.k * l.layer.count * spec.dataTypes.weightBytes
                return [
                    .int(Int64(original)), .int(r.weightBytes), .int(r.metadataBytes),
                    .float(r.cycles > 0 ? Double(r.metadataBytes) / Double(r.cycles) : 0),
                ]
            }
            let text =
                ([SCALESimReportFiles.sparseHeader] + rows.enumerated().map { "\($0), nmsim, " + $1.map(\.description).joined(separator: ", ") + "," })
                .joined(separator: "\n") + "\n"
            files.append(("SPARSE_REPORT.csv", text))
        }
        return Files(runName: spec.name, files: files, notes: [])
    }
}
