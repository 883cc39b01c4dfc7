import Foundation
import NMSimModel

/// Golden checks against SCALE-Sim's report files other than the cycle counts: they compare the
/// files nmsim's SCALE-Sim writer renders, so they live beside the writer.
extension GoldenCheck {
    /// Compares any of SCALE-Sim's report files with nmsim's: `COMPUTE_REPORT.csv` by `Total
    /// Cycles` (the cycle model), the others value by value against the files
    /// `--scalesim-outdir` writes (numbers within the tolerance, text exactly).
    /// The report files nmsim writes for a SCALE-Sim config and topology (what report goldens
    /// are compared with); several goldens of one run can share them.
    package static func scaleSimFiles(spec specPath: String, topology: String) throws(InputError) -> (workload: Workload, files: SCALESimOutput.Files) {
        let spec = try InputLoader.spec(specPath).spec
        let w = try InputLoader.workload(topology)
        let patterns = try PatternAssignment.none.resolve(w, on: spec)
        let report = try NetworkSimulator(spec: spec).run(w, patterns: patterns)
        return (w, try SCALESimOutput.files(spec: spec, workload: w, patterns: patterns, report: report))
    }

    package static func checkSCALESimReport(
        _ path: String, spec specPath: String, topology: String, tolerance: Double,
        files precomputed: (workload: Workload, files: SCALESimOutput.Files)? = nil
    ) throws(InputError) -> [GoldenMismatch] {
        let name = URL(fileURLWithPath: path).lastPathComponent
        guard let kind = scaleSimReportNames.first(where: { name.hasSuffix($0) }) else {
            throw InputError(.data, source: path, "is not one of SCALE-Sim's reports (\(scaleSimReportNames.joined(separator: ", ")))")
        }
        if kind == "COMPUTE_REPORT.csv" { return try checkSCALESim(report: path, spec: specPath, topology: topology, tolerance: tolerance) }
        let theirs = try InputLoader.read(path)
        let run: (workload: Workload, files: SCALESimOutput.Files)
        if let precomputed { run = precomputed } else { run = try scaleSimFiles(spec: specPath, topology: topology) }
        let (w, files) = (run.workload, run.files)
        guard let ours = files.files.first(where: { $0.name == kind }) else {
            return [
                GoldenMismatch(
                    layer: nil, layerName: w.name, field: kind, expected: "the report", actual: "none (\(files.notes.first ?? "not written for this spec"))")
            ]
        }
        func rows(_ text: String, _ source: String) throws(InputError) -> [[String]] {
            try TextLines.useful(text, source: source)
                .map { $0.text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
        }
        let (e, a) = (try rows(theirs, path), try rows(ours.text, kind))
        guard let header = e.first, header == a.first else {
            return [
                GoldenMismatch(
                    layer: nil, layerName: w.name, field: "header", expected: e.first?.joined(separator: ", ") ?? "",
                    actual: a.first?.joined(separator: ", ") ?? "")
            ]
        }
        guard e.count == a.count else {
            return [GoldenMismatch(layer: nil, layerName: w.name, field: "layer count", expected: "\(e.count - 1)", actual: "\(a.count - 1)")]
        }
        var out: [GoldenMismatch] = []
        for i in 1..<e.count {
            let layerName = i - 1 < w.layers.count ? w.layers[i - 1].name : ""
            for (j, (x, y)) in zip(e[i], a[i]).enumerated() where x != y {
                if let u = Double(x), let v = Double(y), u == v || abs(v - u) <= tolerance * abs(u) { continue }
                out.append(GoldenMismatch(layer: i - 1, layerName: layerName, field: j < header.count ? header[j] : "field \(j + 1)", expected: x, actual: y))
            }
            if e[i].count != a[i].count {
                out.append(GoldenMismatch(layer: i - 1, layerName: layerName, field: "fields", expected: "\(e[i].count)", actual: "\(a[i].count)"))
            }
        }
        return out
    }

}
