import Foundation
import NMSimModel

/// One self-contained HTML page (XHTML-compatible, inline SVG and CSS, no scripts) built from
/// nmsim's outputs: the inputs that made it, tables and figures.
package struct HTMLReport {
    /// One input as listed at the top of the page.
    package struct Input {
        package var file: String
        package var kind: String
        package var spec: String
        package var workload: String
        package var command: String?
        package var version: String?
        package init(file: String, kind: String, spec: String, workload: String, command: String?, version: String?) {
            self.file = file; self.kind = kind; self.spec = spec; self.workload = workload; self.command = command; self.version = version
        }
    }

    package var title: String
    package var generator: String
    package var inputs: [Input] = []
    /// Section bodies in order, each with its heading.
    package var sections: [(heading: String, body: String)] = []

    package init(title: String, generator: String) {
        self.title = title
        self.generator = generator
    }

    static func e(_ s: String) -> String { SVGDocument.escape(s) }
    /// Text escaped for the page.
    package static func escapeText(_ s: String) -> String { e(s) }

    /// A table with a header row; cells are escaped text; columns in `numeric` align right.
    package static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = [], cls: String = "data") -> String {
        var out = "<div class=\"scroll\"><table class=\"\(cls)\">\n<thead><tr>"
        for (i, h) in header.enumerated() { out += "<th\(numeric.contains(i) ? " class=\"num\"" : "")>\(e(h))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for r in rows {
            out += "<tr>" + r.enumerated().map { "<td\(numeric.contains($0.offset) ? " class=\"num\"" : "")>\(e($0.element))</td>" }.joined() + "</tr>\n"
        }
        return out + "</tbody></table></div>\n"
    }

    /// A figure: the SVG inline, with a caption.
    package static func figure(_ svg: String, caption: String) -> String {
        "<figure>\n" + svg + "<figcaption>\(e(caption))</figcaption>\n</figure>\n"
    }

    /// Sections for one network run.
    package mutating func addNetwork(_ r: NetworkReport, heading: String) {
        let ratio = r.macs > 0 ? Double(r.denseMACs) / Double(r.macs) : 1
        var body = Self.table(
            ["quantity", "value"],
            [
                ["spec", r.specName], ["workload", r.workloadName + (r.images > 1 ? " (\(r.images) images)" : "")],
                ["cycles", "\(ReportFormatter.grouped(r.totalCycles)) = \(ReportFormatter.formatTime(r.seconds)) at \(JSONWriter.format(r.clockGHz)) GHz"],
                ["MACs", "\(ReportFormatter.grouped(r.macs)) of \(ReportFormatter.grouped(r.denseMACs)) dense (\(String(format: "%.2f", ratio))× fewer)"],
                ["utilisation", "\(ReportFormatter.percent(r.utilisation)) of \(r.arrayPEs) PEs"],
                ["weights", "\(ReportFormatter.formatBytes(r.weightBytes)) incl. \(ReportFormatter.formatBytes(r.metadataBytes)) metadata"],
                ["energy per image", ReportFormatter.formatEnergy(r.energyPerImagePJ)],
                ["area", "\(ReportFormatter.formatArea(r.area.total)) at \(r.technology.nodeNm) nm, \(String(format: "%.2f", r.technology.volts)) V"],
            ], cls: "summary")
        let perImage = 1 / Double(max(r.images, 1))
        body += "<div class=\"pair\">\n<div>\n<h3>Energy per image by component</h3>\n"
        body += Self.table(
            ["component", "energy", "share"],
            r.energy.entries.map {
                [$0.name, ReportFormatter.formatEnergy($0.value * perImage), ReportFormatter.percent($0.value / max(r.energyPJ, 1e-300))]
            } + [["total", ReportFormatter.formatEnergy(r.energyPerImagePJ), "100.0%"]], numeric: [1, 2])
        body += "</div>\n<div>\n<h3>Area by component</h3>\n"
        body += Self.table(
            ["component", "area", "share"],
            r.area.entries.map {
                [$0.name, ReportFormatter.formatArea($0.value), ReportFormatter.percent($0.value / max(r.area.total, 1e-300))]
            } + [["total", ReportFormatter.formatArea(r.area.total), "100.0%"]], numeric: [1, 2])
        body += "</div>\n</div>\n"
        body += Self.figure(Figures.cycleBars(r).svg(), caption: "Cycles per layer: streaming at full rate (compute), each stall cause, and vector work.")
        body += Self.figure(Figures.energyBars(r).svg(), caption: "Energy per layer per image, by component group.")
        if r.layers.contains(where: { $0.layer.hasParameters }) {
            body += Self.figure(Figures.nmMap(r).svg(), caption: "The N:M pattern of every weight layer; darker keeps more weights.")
        }
        if r.dramBytesPerCycle > 0 {
            body += Self.figure(
                Figures.roofline(r, bytesPerCycle: r.dramBytesPerCycle).svg(),
                caption: "Each GEMM layer against the array's compute roof and the DRAM's memory roof.")
        }
        body += "<details><summary>Every layer (\(r.layers.count))</summary>\n"
        body += Self.table(
            ["layer", "pattern", "shape", "cycles", "limiter", "energy (µJ / image)"],
            r.layers.map { l in
                let shape: String
                switch l.layer.kind {
                case .gemm(let s): shape = "\(s.m)×\(s.n)×\(s.k)" + (l.layer.count > 1 ? " ×\(l.layer.count)" : "")
                case let .vector(op, n): shape = "\(op.rawValue) \(n)"
                }
                return [
                    l.layer.name, l.layer.shape == nil ? "-" : l.pattern.description, shape, ReportFormatter.grouped(l.result.cycles),
                    l.result.limiter, String(format: "%.3f", l.energyPJ * perImage / 1e6),
                ]
            }, numeric: [3, 5])
        body += "</details>\n"
        sections.append((heading, body))
    }

    /// Sections for comparisons (one per spec).
    package mutating func addComparisons(_ cmps: [ReportReader.ComparisonSummary], heading: String) {
        var body = ""
        for c in cmps {
            body += "<h3>\(Self.e(c.workload)) on \(Self.e(c.spec))</h3>\n"
            body += Self.table(
                ["configuration", "GMACs", "MACs reduction", "cycles", "time", "speedup", "of ideal", "weights", "energy / image", "area"],
                c.rows.map { r in
                    [
                        r.label, String(format: "%.2f", Double(r.macs) / 1e9), String(format: "%.2f×", r.macsRatio),
                        ReportFormatter.grouped(r.totalCycles), ReportFormatter.formatTime(r.seconds), String(format: "%.2f×", r.speedup),
                        ReportFormatter.percent(r.speedup / max(r.macsRatio, 1e-300)), ReportFormatter.formatBytes(r.weightBytes),
                        ReportFormatter.formatEnergy(r.energyPJ / Double(max(r.images, 1))), ReportFormatter.formatArea(r.area.total),
                    ]
                }, numeric: Set(1...9))
        }
        let points = cmps.flatMap { c in c.rows.map { (spec: c.spec, label: $0.label, macsRatio: $0.macsRatio, speedup: $0.speedup) } }
        body += Self.figure(
            Figures.speedup(points, workload: cmps.first?.workload ?? "").svg(),
            caption: "Simulated speedup against MACs reduction; the dashed line is the speedup fewer MACs would give if nothing else limited the array.")
        let multi = cmps.count > 1
        body += Self.figure(
            Figures.energyBars(
                cmps.flatMap { c in c.rows.map { (multi ? "\(c.spec): \($0.label)" : $0.label, $0.energy, $0.images) } },
                title: "Energy per image: \(cmps.first?.workload ?? "")"
            ).svg(),
            caption: "Energy per image by component group, one bar per configuration.")
        if multi {
            body += Self.figure(
                Figures.areaBars(cmps.map { ($0.spec, $0.rows.first?.area ?? Breakdown([])) }).svg(), caption: "Area by component, one bar per spec.")
        }
        sections.append((heading, body))
    }

    /// Sections for a search.
    package mutating func addSearch(_ s: ReportReader.SearchSummary, clockGHz: Double, heading: String) {
        var body = Self.table(
            ["quantity", "value"],
            [
                ["spec", s.spec], ["workload", s.workload], ["budget", s.constraint + (s.constraintMet ? " (met)" : " (NOT met)")],
                ["objective", "\(JSONWriter.format(s.objective)) (\(s.objectiveKind))"],
                ["predicted cycles", ReportFormatter.grouped(s.predictedCycles)], ["re-simulated cycles", ReportFormatter.grouped(s.resimulatedCycles)],
                ["speedup over dense", String(format: "%.3f×", s.speedup)],
            ], cls: "summary")
        if !s.pareto.isEmpty {
            let pts =
                s.pareto.enumerated().map { (x: Double($1.cycles) / (clockGHz * 1e6), y: $1.cost, label: "front \($0 + 1)", group: "searched") }
                + [(x: Double(s.predictedCycles) / (clockGHz * 1e6), y: s.objective, label: "chosen", group: "chosen")]
            body += Self.figure(
                Figures.pareto(
                    title: "Search: \(s.workload) on \(s.spec)", xLabel: "predicted latency (ms)", yLabel: "cost (\(s.objectiveKind))",
                    points: pts, labelled: ["chosen"]
                ).svg(),
                caption: "The latency–cost front the search computed; ringed points are not beaten on both axes.")
        }
        sections.append((heading, body))
        if let chosen = s.chosen { addNetwork(chosen, heading: "\(heading): the chosen configuration") }
    }

    /// A table of golden checks: file, result, mismatches.
    package mutating func addGoldens(_ results: [(file: String, problems: [String])], heading: String) {
        let passed = results.filter { $0.problems.isEmpty }.count
        var body = "<p>\(passed) passed, \(results.count - passed) failed.</p>\n"
        body += Self.table(
            ["golden", "result", "differences"], results.map { [$0.file, $0.problems.isEmpty ? "ok" : "FAIL", $0.problems.joined(separator: "; ")] })
        sections.append((heading, body))
    }

    /// The spec behind each name that is a built-in preset.
    package mutating func addPresetSpecs() {
        var seen: [String] = []
        for i in inputs where !seen.contains(i.spec) { seen.append(i.spec) }
        let body = seen.compactMap { name in
            Presets.json(named: name).map { "<details><summary>\(Self.e(name)) (built-in preset)</summary>\n<pre>\(Self.e($0))</pre>\n</details>\n" }
        }.joined()
        if !body.isEmpty { sections.append(("Specs", body)) }
    }

    static let css = """
        :root { color-scheme: light dark; --bg: #ffffff; --fg: #1d1d1f; --muted: #5a5a5f; --line: #d8d8dc; --card: #f5f5f7; }
        @media (prefers-color-scheme: dark) { :root { --bg: #161618; --fg: #ececf0; --muted: #a8a8b0; --line: #3a3a40; --card: #222226; } }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 1180px; padding: 16px; background: var(--bg); color: var(--fg);
               font: 15px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
        h1 { font-size: 1.6em; margin: 0.2em 0; } h2 { border-bottom: 1px solid var(--line); padding-bottom: 4px; margin-top: 1.6em; }
        h3 { font-size: 1.05em; margin: 1em 0 0.4em; }
        .meta { color: var(--muted); }
        .scroll { overflow-x: auto; margin: 0.4em 0 1em; }
        table { border-collapse: collapse; font-size: 0.92em; }
        th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        table.summary td { white-space: normal; }
        thead th { background: var(--card); }
        code, pre { font: 0.9em ui-monospace, Menlo, Consolas, monospace; }
        pre { background: var(--card); padding: 10px; overflow-x: auto; }
        .pair { display: flex; flex-wrap: wrap; gap: 0 32px; }
        figure { margin: 1.2em 0; overflow-x: auto; }
        figure svg { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
        figcaption { color: var(--muted); font-size: 0.9em; margin-top: 4px; }
        details { margin: 0.8em 0; } summary { cursor: pointer; font-weight: 600; }
        @media (max-width: 640px) { body { padding: 10px; font-size: 14px; } th, td { padding: 3px 6px; }
                                    figure svg { max-width: none; width: 640px; } }
        """

    /// The page.
    package func render() -> String {
        var out = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        out += "<meta name=\"generator\" content=\"\(Self.e(generator))\"/>\n<title>\(Self.e(title))</title>\n<style>\n\(Self.css)\n</style>\n</head>\n<body>\n"
        out += "<h1>\(Self.e(title))</h1>\n<p class=\"meta\">Written by \(Self.e(generator)) from \(inputs.count) input\(inputs.count == 1 ? "" : "s").</p>\n"
        out += "<h2 id=\"inputs\">Inputs</h2>\n"
        out += Self.table(
            ["file", "kind", "spec", "workload", "command", "written by"],
            inputs.map {
                [$0.file, $0.kind, $0.spec, $0.workload, $0.command ?? "(not recorded)", $0.version.map { "nmsim \($0)" } ?? "(not recorded)"]
            })
        for (i, s) in sections.enumerated() {
            out += "<h2 id=\"section-\(i + 1)\">\(Self.e(s.heading))</h2>\n" + s.body
        }
        return out + "</body>\n</html>\n"
    }
}
