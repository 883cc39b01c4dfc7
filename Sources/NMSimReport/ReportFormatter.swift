import Foundation
import NMSimModel

/// Renders a ``NetworkReport`` as a terminal table, CSV, or JSON with sorted keys.
package enum ReportFormatter {
    /// The JSON report's schema version (see Docs/CLI.md).
    package static let schemaVersion = 1

    package static func json(_ r: NetworkReport) -> JSONValue {
        var layers: [JSONValue] = []
        for l in r.layers {
            var o: [(key: String, value: JSONValue)] = [
                ("name", .string(l.layer.name)), ("category", .string(l.layer.category.name)),
                ("pattern", .string(l.pattern.description)), ("count", .int(l.layer.count)),
                ("cycles", .integer(l.result.cycles)), ("computeCycles", .integer(l.result.computeCycles)),
                ("macs", .integer(l.result.macs)), ("denseMacs", .integer(l.result.denseMACs)),
                ("folds", .int(l.result.folds)), ("limiter", .string(l.result.limiter)),
                ("stalls", stalls(l.result.stalls)), ("traffic", traffic(l.result.traffic)),
                ("weightBytes", .integer(l.layer.hasParameters ? l.result.weightBytes : 0)),
                ("metadataBytes", .integer(l.layer.hasParameters ? l.result.metadataBytes : 0)),
                ("energyPJ", .number(l.energyPJ)), ("energy", breakdown(l.energy)),
                (
                    "dataMovement",
                    .object([
                        ("inputOnChip", .bool(l.io.inputOnChip)), ("outputOnChip", .bool(l.io.outputOnChip)),
                        ("fused", .bool(l.io.fused)), ("epilogue", .array(l.io.epilogue.map { .string($0.rawValue) })),
                    ])
                ),
            ]
            switch l.layer.kind {
            case .gemm(let s):
                o += [("type", "gemm"), ("m", .int(s.m)), ("n", .int(s.n)), ("k", .int(s.k))]
                if let m = l.result.mapping { o.append(("mapping", mapping(m, l.result.traffic))) }
            case let .vector(op, elements): o += [("type", "vector"), ("op", .string(op.rawValue)), ("elements", .int(elements))]
            }
            layers.append(.object(o))
        }
        return .object([
            ("schemaVersion", .int(schemaVersion)), ("spec", .string(r.specName)), ("workload", .string(r.workloadName)),
            ("clockGHz", .number(r.clockGHz)), ("totalCycles", .integer(r.totalCycles)), ("seconds", .number(r.seconds)),
            ("macs", .integer(r.macs)), ("denseMacs", .integer(r.denseMACs)), ("weightBytes", .integer(r.weightBytes)),
            ("metadataBytes", .integer(r.metadataBytes)), ("utilisation", .number(r.utilisation)),
            ("images", .int(r.images)), ("arrayPEs", .int(r.arrayPEs)), ("dramBytesPerCycle", .number(r.dramBytesPerCycle)), ("energyPJ", .number(r.energyPJ)),
            ("energyPerImagePJ", .number(r.energyPerImagePJ)),
            ("energy", breakdown(r.energy)), ("areaMM2", .number(r.area.total)), ("area", breakdown(r.area)),
            ("technology", .object([("nodeNm", .int(r.technology.nodeNm)), ("voltage", .number(r.technology.volts))])),
            ("stalls", stalls(r.stalls)), ("traffic", traffic(r.traffic)),
            ("cyclesByCategory", .object(r.cyclesByCategory.map { ($0.category.name, .integer($0.cycles)) })),
            ("layers", .array(layers)),
        ])
    }

    static func stalls(_ s: StallBreakdown) -> JSONValue { .object(s.entries.map { ($0.name, .integer($0.cycles)) }) }

    /// Components by name (area in mm², energy in pJ).
    package static func breakdown(_ b: Breakdown) -> JSONValue { .object(b.entries.map { ($0.name, .number($0.value)) }) }

    static func traffic(_ t: Traffic) -> JSONValue {
        .object([
            ("dramReadBytes", .integer(t.dramReadBytes)), ("dramWriteBytes", .integer(t.dramWriteBytes)),
            ("sramReadBytes", .integer(t.sramReadBytes)), ("sramWriteBytes", .integer(t.sramWriteBytes)),
            ("byOperand", .object(t.byOperand.entries.map { ($0.name, .integer($0.bytes)) })),
        ])
    }

    package static let csvHeader =
        "layer,type,pattern,m,n,k,count,cycles,compute_cycles,macs,dense_macs,folds,limiter,"
        + StallCause.allCases.map(\.csvColumn).joined(separator: ",") + ","
        + "dram_read_bytes,dram_write_bytes,weight_bytes,metadata_bytes,energy_pj,"
        + CostModel.energyComponents.map { "energy_\(snake($0))_pj" }.joined(separator: ",")

    /// `dramPartialSums` → `dram_partial_sums`.
    static func snake(_ s: String) -> String {
        var out = ""
        for ch in s {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }

    package static func csv(_ r: NetworkReport) -> String {
        var out = csvHeader + "\n"
        for l in r.layers {
            let (type, m, n, k): (String, String, String, String)
            switch l.layer.kind {
            case .gemm(let s): (type, m, n, k) = ("gemm", "\(s.m)", "\(s.n)", "\(s.k)")
            case .vector(let op, let e): (type, m, n, k) = ("vector:\(op.rawValue)", "\(e)", "", "")
            }
            let res = l.result
            var f = [
                CSV.field(l.layer.name), type, l.pattern.description, m, n, k, "\(l.layer.count)", "\(res.cycles)",
                "\(res.computeCycles)", "\(res.macs)", "\(res.denseMACs)", "\(res.folds)", res.limiter,
            ]
            f += res.stalls.entries.map { "\($0.cycles)" }
            f += [
                "\(res.traffic.dramReadBytes)", "\(res.traffic.dramWriteBytes)",
                "\(l.layer.hasParameters ? res.weightBytes : 0)", "\(l.layer.hasParameters ? res.metadataBytes : 0)",
                JSONWriter.format(l.energyPJ),
            ]
            f += l.energy.entries.map { JSONWriter.format($0.value) }
            out += f.joined(separator: ",") + "\n"
        }
        return out
    }

    /// A readable terminal table with units and a summary.
    package static func table(_ r: NetworkReport, maxLayers: Int = 60) -> String {
        let groups = stallGroups
        var rows: [[String]] = [
            ["layer", "pattern", "shape (MxNxK)", "x", "cycles", "util", "limiter", "stalls (\(groups.joined(separator: "/")))", "mapping"]
        ]
        let pes = Double(r.arrayPEs)
        for (i, l) in r.layers.enumerated() {
            if i == maxLayers {
                rows.append(["... \(r.layers.count - maxLayers) more layers (use --format csv or json)", "", "", "", "", "", "", "", ""]); break
            }
            let res = l.result
            let shape: String
            switch l.layer.kind {
            case .gemm(let s): shape = "\(s.m)x\(s.n)x\(s.k)"
            case .vector(let op, let e): shape = "\(op.rawValue) \(e) el"
            }
            let util = res.macs > 0 && res.cycles > 0 ? percent(Double(res.macs) / (Double(res.cycles) * pes)) : "-"
            let stalls = groups.map { g in grouped(res.stalls.sum { $0.tableGroup == g }) }
            rows.append([
                l.layer.name, l.layer.shape == nil ? "-" : l.pattern.description, shape, "\(l.layer.count)",
                grouped(res.cycles), util, res.limiter, stalls.joined(separator: "/"), res.mapping?.brief ?? (l.io.fused ? "fused" : "-"),
            ])
        }
        var out = "nmsim: \(r.workloadName) on \(r.specName)\n\n" + align(rows, rightAligned: [3, 4, 5]) + "\n"
        let ratio = r.macs > 0 ? String(format: "%.2fx", Double(r.denseMACs) / Double(r.macs)) : "-"
        out += "total        \(grouped(r.totalCycles)) cycles = \(formatTime(r.seconds)) at \(JSONWriter.format(r.clockGHz)) GHz\n"
        out += "MACs         \(grouped(r.macs)) performed of \(grouped(r.denseMACs)) dense (\(ratio) fewer)\n"
        out += "utilisation  \(percent(r.utilisation)) of \(r.arrayPEs) PEs\n"
        out += "weights      \(formatBytes(r.weightBytes)) incl. \(formatBytes(r.metadataBytes)) metadata\n"
        let t = r.traffic
        out += "DRAM         \(formatBytes(t.dramReadBytes)) read, \(formatBytes(t.dramWriteBytes)) written\n"
        let s = r.stalls
        out += "stalls       " + s.entries.filter { $0.cycles > 0 }.map { "\($0.name) \(grouped($0.cycles))" }.joined(separator: ", ") + "\n"
        out += "by category  " + r.cyclesByCategory.map { "\($0.category.name) \(grouped($0.cycles))" }.joined(separator: ", ") + "\n"
        let batch = r.images > 1 ? " per image (\(formatEnergy(r.energyPJ)) for the batch of \(r.images))" : " per inference"
        out += "energy       \(formatEnergy(r.energyPerImagePJ))\(batch)\n"
        out += wrapped(
            r.energy.entries.filter { $0.value > 0 }.map {
                "\($0.name) \(formatEnergy($0.value / Double(max(r.images, 1)))) (\(percent($0.value / max(r.energyPJ, 1e-300))))"
            })
        out += "area         \(formatArea(r.area.total)) at \(r.technology.nodeNm) nm, \(String(format: "%.2f", r.technology.volts)) V\n"
        out += wrapped(
            r.area.entries.filter { $0.value > 0 }.map {
                "\($0.name) \(formatArea($0.value)) (\(percent($0.value / max(r.area.total, 1e-300))))"
            })
        return out
    }

    /// The table's stall column groups, in the order of their first cause.
    static var stallGroups: [String] {
        var groups: [String] = []
        for c in StallCause.allCases where !groups.contains(c.tableGroup) { groups.append(c.tableGroup) }
        return groups
    }

    /// Items joined by commas into indented lines of at most about 100 characters.
    static func wrapped(_ items: [String]) -> String {
        var out = "", line = ""
        for item in items {
            if !line.isEmpty && line.count + item.count + 2 > 84 { out += "             " + line + ",\n"; line = "" }
            line += (line.isEmpty ? "" : ", ") + item
        }
        return line.isEmpty ? out : out + "             " + line + "\n"
    }

    package static func formatArea(_ mm2: Double) -> String {
        mm2 >= 0.1 ? String(format: "%.2f mm²", mm2) : String(format: "%.0f µm²", mm2 * 1e6)
    }

    package static func align(_ rows: [[String]], rightAligned: Set<Int>) -> String {
        guard let width = rows.first?.count else { return "" }
        var w = Array(repeating: 0, count: width)
        for row in rows where row.count == width && !(row.first?.hasPrefix("...") ?? false) {
            for (i, c) in row.enumerated() { w[i] = max(w[i], c.count) }
        }
        return rows.map { row -> String in
            if row.first?.hasPrefix("...") == true { return row[0] }
            return row.enumerated().map { i, c in
                let pad = String(repeating: " ", count: max(0, w[i] - c.count))
                return rightAligned.contains(i) ? pad + c : c + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n")
    }

    package static func grouped(_ v: Int64) -> String {
        let s = String(v.magnitude)
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (v < 0 ? "-" : "") + out
    }

    package static func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }

    package static func formatTime(_ s: Double) -> String {
        if s >= 1 { return String(format: "%.3f s", s) }
        if s >= 1e-3 { return String(format: "%.3f ms", s * 1e3) }
        return String(format: "%.3f us", s * 1e6)
    }

    package static func formatBytes(_ b: Int64) -> String {
        let d = Double(b)
        if d >= 1_073_741_824 { return String(format: "%.2f GiB", d / 1_073_741_824) }
        if d >= 1_048_576 { return String(format: "%.2f MiB", d / 1_048_576) }
        if d >= 1024 { return String(format: "%.1f KiB", d / 1024) }
        return "\(b) B"
    }

    package static func formatEnergy(_ pj: Double) -> String {
        if pj >= 1e9 { return String(format: "%.3f mJ", pj / 1e9) }
        if pj >= 1e6 { return String(format: "%.3f uJ", pj / 1e6) }
        if pj >= 1e3 { return String(format: "%.3f nJ", pj / 1e3) }
        return String(format: "%.1f pJ", pj)
    }
}
