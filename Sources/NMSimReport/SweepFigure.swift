import Foundation
import NMSimModel
import NMSimSearch

/// Figures and report sections of a sweep's output folder, read from its files alone.
package enum SweepFigure {
    /// An axis: the `points.csv` column, a multiplier into the shown unit, and its label.
    static func axis(_ o: SweepObjective) -> (column: String, scale: Double, label: String) {
        switch o {
        case .latency: return ("seconds", 1e3, "latency (ms)")
        case .cycles: return ("cycles", 1, "cycles")
        case .energy: return ("energy_uj", 1e-3, "energy per run (mJ)")
        case .area: return ("area_mm2", 1, "area (mm²)")
        case .edp: return ("edp_uj_s", 1, "energy × delay (µJ·s)")
        case .pes: return ("pes", 1, "PEs")
        case .macs: return ("macs", 1e-9, "MACs (G)")
        case .weights: return ("weight_bytes", 1.0 / 1_048_576, "weights with metadata (MiB)")
        case .cost: return ("cost", 1, "accuracy cost")
        }
    }

    /// The rows of `points.csv`: header and fields; an error names the file and line.
    package static func rows(_ text: String, source: String) throws(InputError) -> (header: [String], rows: [[String]]) {
        let lines = text.split(separator: "\n")
        guard let first = lines.first, let header = SweepTables.fields(first), header.contains("status"), header.contains("workload"),
            header.contains("mode")
        else {
            throw InputError(.data, source: source, location: "line 1", "not a sweep's points.csv (no index, workload, mode and status columns)")
        }
        var rows: [[String]] = []
        for (i, l) in lines.dropFirst().enumerated() {
            guard let f = SweepTables.fields(l), f.count == header.count else {
                throw InputError(.data, source: source, location: "line \(i + 2)", "expected \(header.count) fields")
            }
            rows.append(f)
        }
        return (header, rows)
    }

    /// The Pareto scatter of the `ok` rows on two objectives (default: the front's own), the
    /// rows no other row of the same workload beats on both highlighted.
    package static func pareto(pointsCSV: String, source: String, x: SweepObjective?, y: SweepObjective?, title: String) throws(InputError) -> Scatter {
        let (header, rows) = try rows(pointsCSV, source: source)
        let defaults = SweepTables.objectives([], rows: rows, header: header)
        let xo = x ?? defaults[0], yo = y ?? (defaults.count > 1 ? defaults[1] : .energy)
        let (xa, ya) = (axis(xo), axis(yo))
        func col(_ n: String) -> Int? { header.firstIndex(of: n) }
        guard let xc = col(xa.column), let yc = col(ya.column), let st = col("status"), let wc = col("workload"), let mc = col("mode"),
            let ic = col("index")
        else {
            throw InputError(.data, source: source, location: "line 1", "lacks the columns \(xa.column) and \(ya.column)")
        }
        let workloads = Set(rows.map { $0[wc] })
        var pts: [(x: Double, y: Double, label: String, group: String)] = []
        var keys: [String] = []
        for r in rows where r[st] == "ok" {
            guard let xv = Double(r[xc]), let yv = Double(r[yc]) else { continue }
            let mode = r[mc]
            let kind = SweepMode.Kind(label: mode).rawValue
            pts.append((xv * xa.scale, yv * ya.scale, "#\(r[ic]) \(mode)", workloads.count > 1 ? "\(r[wc]) \(kind)" : kind))
            keys.append(r[wc])
        }
        return Figures.pareto(title: title, xLabel: xa.label, yLabel: ya.label, points: pts, frontKeys: keys)
    }

    /// The report section of a sweep folder: what was swept, the front's rows, and the scatter.
    package static func addSection(to page: inout HTMLReport, folder: String) throws(InputError) {
        let points = folder + "/points.csv", manifest = folder + "/sweep.json"
        guard let text = try? String(contentsOfFile: points, encoding: .utf8) else { throw InputError(.noInput, source: points, "cannot be read") }
        var spec = "-", version: String?, command: String?, columns: [String] = []
        if let m = try? String(contentsOfFile: manifest, encoding: .utf8) {
            let top = try ObjectReader.document(try JSONParser.parse(m, source: manifest), source: manifest)
            version = top.has("nmsim") ? top.string("nmsim") : nil
            if case .string(let c)? = top.value("command") { command = c }
            if let s = top.object("sweep") { spec = s.has("specSource") ? s.string("specSource") : spec }
            columns = (top.array("columns") ?? []).compactMap { if case .string(let c) = $0 { return c } else { return nil } }
            try top.sink.throwIfAny()
        }
        let (header, rows) = try rows(text, source: points)
        let wc = header.firstIndex(of: "workload")!
        let workloads = rows.map { $0[wc] }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        page.inputs.append(
            HTMLReport.Input(
                file: folder, kind: "sweep", spec: spec, workload: workloads.joined(separator: ", "),
                command: command, version: version))
        let front = (try? String(contentsOfFile: folder + "/front.csv", encoding: .utf8)).map { try? Self.rows($0, source: folder + "/front.csv") } ?? nil
        let shown = ["index"] + columns + ["workload", "mode", "seconds", "energy_uj", "area_mm2", "cost", "patterns"]
        let idx = shown.compactMap { header.firstIndex(of: $0) }
        var body = "<p>\(rows.count) rows over \(Set(rows.map { $0[0] }).count) points; swept: \(HTMLReport.escapeText(columns.joined(separator: ", "))).</p>\n"
        if let front {
            body += "<h3>Pareto front (front.csv, \(front.rows.count) rows)</h3>\n"
            body += HTMLReport.table(idx.map { header[$0] }, front.rows.map { r in idx.map { r[$0] } }, numeric: Set(0..<idx.count))
        }
        let defaults = SweepTables.objectives([], rows: rows, header: header)
        body += HTMLReport.figure(
            try pareto(pointsCSV: text, source: points, x: nil, y: nil, title: "Sweep: \(workloads.joined(separator: ", "))").svg(),
            caption: "Every ok row on the front's objectives (\(defaults.map(\.rawValue).joined(separator: ", "))); ringed and joined: not beaten on both.")
        if !defaults.contains(.energy) {
            body += HTMLReport.figure(
                try pareto(pointsCSV: text, source: points, x: .latency, y: .energy, title: "Sweep: latency against energy").svg(),
                caption: "The same rows on latency and energy.")
        }
        body += "<details><summary>Every row (\(rows.count))</summary>\n"
        body += HTMLReport.table(idx.map { header[$0] } + ["status"], rows.map { r in idx.map { r[$0] } + [r[header.firstIndex(of: "status")!]] })
        body += "</details>\n"
        page.sections.append(("Sweep: \(folder)", body))
    }
}
