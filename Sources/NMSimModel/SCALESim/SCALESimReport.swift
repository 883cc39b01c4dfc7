/// Reads SCALE-Sim's `COMPUTE_REPORT.csv` (`LayerID, Total Cycles (incl. prefetch), Total Cycles,
/// Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %,`).
package enum SCALESimReport {
    package struct ComputeRow: Equatable, Sendable {
        package var layerID: Int
        package var totalCyclesInclPrefetch: Int64
        package var totalCycles: Int64
        package var stallCycles: Int64
    }

    package static func parseCompute(_ text: String, source: String) throws(InputError) -> [ComputeRow] {
        try parseCompute(lines: TextLines.useful(text, source: source), source: source)
    }

    package static func parseCompute(lines numbered: [TextLine], source: String) throws(InputError) -> [ComputeRow] {
        let sink = DiagnosticSink(source: source)
        let lines = numbered.map(\.text)
        guard let header = lines.first, numbered.first?.number == 1, SCALESimTopology.fields(header).count >= 4,
            SCALESimTopology.fields(header)[2].lowercased() == "total cycles"
        else {
            throw InputError(
                .data, source: source, location: "line 1",
                "expected a SCALE-Sim COMPUTE_REPORT header 'LayerID, Total Cycles (incl. prefetch), Total Cycles, Stall Cycles, ...'")
        }
        var rows: [ComputeRow] = []
        for (i, line) in lines.enumerated().dropFirst() {
            let f = SCALESimTopology.fields(line)
            guard f.count >= 4, let id = Int(f[0]), let a = Int64(f[1]), let b = Int64(f[2]), let s = Int64(f[3]),
                a >= 0, b >= 0, s >= 0
            else {
                sink.report("line \(numbered[i].number)", "expected LayerID and three non-negative integer cycle counts, found \"\(line.prefix(60))\"")
                continue
            }
            if id != i - 1 { sink.report("line \(numbered[i].number)", "expected LayerID \(i - 1), found \(id)") }
            rows.append(ComputeRow(layerID: id, totalCyclesInclPrefetch: a, totalCycles: b, stallCycles: s))
        }
        if rows.isEmpty && sink.isEmpty { sink.report("line 2", "the report has no layers") }
        try sink.throwIfAny()
        return rows
    }
}
