import Foundation
import NMSimModel

/// The text of a sweep's output files: `points.csv` and `points.jsonl` rows, and the Pareto
/// front over chosen objectives, computed from `points.csv` alone (so that a merge of shards
/// writes the same front as one run).
package enum SweepTables {
    /// Columns after the axis paths.
    package static let metricColumns = [
        "workload", "mode", "status", "pes", "cycles", "seconds", "inferences_per_s", "macs",
        "energy_uj", "area_mm2", "edp_uj_s", "weight_bytes", "cost", "patterns", "reason",
    ]

    package static func header(_ sweep: Sweep) -> String {
        (["index"] + sweep.columns + metricColumns).map(csvField).joined(separator: ",") + "\n"
    }

    /// Ten significant digits, the same on every platform.
    static func number(_ d: Double?) -> String { d.map { String(format: "%.10g", $0) } ?? "" }
    static func number(_ i: Int64?) -> String { i.map(String.init) ?? "" }

    /// One `points.csv` line.
    package static func csv(_ r: SweepRow, _ sweep: Sweep) -> String {
        let fields: [String] =
            [String(r.index)] + sweep.values(r.index).map(Sweep.text) + [
                r.workload, r.mode, r.status.rawValue, r.pes.map(String.init) ?? "", number(r.cycles), number(r.seconds),
                number(r.inferencesPerSecond), number(r.macs), number(r.energyPJ.map { $0 / 1e6 }), number(r.areaMM2), number(r.edp),
                number(r.weightBytes), number(r.cost), r.patternCounts.map { "\($0.pattern)=\($0.layers)" }.joined(separator: ";"), r.reason,
            ]
        return fields.map(csvField).joined(separator: ",") + "\n"
    }

    /// One `points.jsonl` line: the point index first, then the row's other keys in sorted order,
    /// with its axis values and, for search modes, the per-layer configuration.
    package static func jsonLine(_ r: SweepRow, _ sweep: Sweep) -> String {
        var o: [(key: String, value: JSONValue)] = [
            ("values", .object(Array(zip(sweep.columns, sweep.values(r.index))).map { ($0.0, $0.1) })),
            ("workload", .string(r.workload)), ("mode", .string(r.mode)), ("status", .string(r.status.rawValue)),
        ]
        func add(_ k: String, _ v: JSONValue?) { if let v { o.append((k, v)) } }
        add("pes", r.pes.map { .int($0) })
        add("cycles", r.cycles.map { .integer($0) })
        add("microseconds", r.seconds.map { .number($0 * 1e6) })
        add("macs", r.macs.map { .integer($0) })
        add("energyUJ", r.energyPJ.map { .number($0 / 1e6) })
        add("areaMM2", r.areaMM2.map { .number($0) })
        add("weightBytes", r.weightBytes.map { .integer($0) })
        add("cost", r.cost.map { .number($0) })
        if !r.patternCounts.isEmpty { o.append(("patternCounts", .object(r.patternCounts.map { ($0.pattern, .int($0.layers)) }))) }
        if let a = r.assignment { o.append(("assignment", .object(a.map { ($0.layer, .string($0.pattern)) }))) }
        if !r.reason.isEmpty { o.append(("reason", .string(r.reason))) }
        // The index leads each line, so that a reader finds a line's point without parsing it.
        return "{\"index\":\(r.index)," + JSONWriter.write(.object(o), pretty: false).dropFirst() + "\n"
    }

    /// A CSV field (``CSV/field(_:)``) on one line: line breaks become "; " (reasons are single lines).
    package static func csvField(_ s: String) -> String {
        CSV.field(s.contains(where: \.isNewline) ? s.split(whereSeparator: \.isNewline).joined(separator: "; ") : s)
    }

    /// The fields of one CSV line written by ``csvField(_:)``, exactly as written; nil when its
    /// quotes do not close.
    package static func fields(_ line: Substring) -> [String]? { CSV.fields(line, trimming: false) }

    /// The objectives a front is taken over: those asked for, or latency and area when rows
    /// have an area, else latency and energy when they have an energy, else latency and PEs.
    package static func objectives(_ asked: [SweepObjective], rows: [[String]], header: [String]) -> [SweepObjective] {
        if !asked.isEmpty { return asked }
        let ok = rows.filter { $0[column(header, "status")] == "ok" }
        if ok.contains(where: { !$0[column(header, "area_mm2")].isEmpty }) { return [.latency, .area] }
        if ok.contains(where: { !$0[column(header, "energy_uj")].isEmpty }) { return [.latency, .energy] }
        return [.latency, .pes]
    }

    static func column(_ header: [String], _ name: String) -> Int { header.firstIndex(of: name)! }

    static func columnName(_ o: SweepObjective) -> String {
        switch o {
        case .latency: return "seconds"
        case .cycles: return "cycles"
        case .energy: return "energy_uj"
        case .area: return "area_mm2"
        case .edp: return "edp_uj_s"
        case .pes: return "pes"
        case .macs: return "macs"
        case .weights: return "weight_bytes"
        case .cost: return "cost"
        }
    }

    /// `front.csv` from the text of `points.csv`: the rows of each workload that no other `ok`
    /// row of the same workload beats on every objective (minimised), in `points.csv` order.
    /// Rows without a value for an objective are left out.
    package static func front(pointsCSV text: String, objectives asked: [SweepObjective]) -> String {
        let lines = text.split(separator: "\n")
        guard let first = lines.first, let header = fields(first) else { return text }
        let rows = lines.dropFirst().compactMap { l -> (line: Substring, fields: [String])? in fields(l).map { (l, $0) } }
        let objectives = objectives(asked, rows: rows.map(\.fields), header: header)
        let cols = objectives.map { column(header, columnName($0)) }
        let status = column(header, "status"), workload = column(header, "workload")
        var candidates: [(order: Int, workload: String, v: [Double])] = []
        for (i, r) in rows.enumerated() where r.fields[status] == "ok" {
            let v = cols.compactMap { Double(r.fields[$0]) }
            if v.count == cols.count { candidates.append((i, r.fields[workload], v)) }
        }
        // Sorted lexicographically, a row can only be beaten by one before it; it is compared
        // with the front kept so far.
        let sorted = candidates.sorted { a, b in
            a.workload != b.workload ? a.workload < b.workload : (a.v != b.v ? a.v.lexicographicallyPrecedes(b.v) : a.order < b.order)
        }
        var kept: [Int] = []
        var front: [[Double]] = []
        var current = ""
        for c in sorted {
            if c.workload != current { current = c.workload; front = [] }
            let beaten = front.contains { f in zip(f, c.v).allSatisfy { $0 <= $1 } && zip(f, c.v).contains { $0 < $1 } }
            if !beaten { front.append(c.v); kept.append(c.order) }
        }
        var out = String(first) + "\n"
        for i in kept.sorted() { out += rows[i].line + "\n" }
        return out
    }
}
