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
public enum SCALESimReportWriter {
    public static let computeHeader =
        "LayerID, Total Cycles (incl. prefetch), Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %,"

    public static func compute(_ report: NetworkReport, spec: HardwareSpec) -> String {
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
                let perFold = (r.cycles / count + 1) / max(folds, 1)
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
