import Foundation
import NMSimModel

extension SVGDocument {
    /// A document with its title drawn at the top left.
    static func titled(_ title: String, width: Double, height: Double) -> SVGDocument {
        var d = SVGDocument(width: width, height: height, title: title)
        d.text(title, x: 16, y: 24, size: 16, weight: "bold", cls: "chart-title")
        return d
    }
}

/// The plotting area of a chart and its two axes.
struct PlotFrame {
    var left: Double, top: Double, width: Double, height: Double
    var x: Axis, y: Axis

    func px(_ v: Double) -> Double { left + x.fraction(v) * width }
    func py(_ v: Double) -> Double { top + height - y.fraction(v) * height }

    /// Grid, ticks, tick labels and the axis titles.
    func draw(_ d: inout SVGDocument, xLabel: String, yLabel: String) {
        for t in x.ticks {
            d.line(px(t), top, px(t), top + height, stroke: "#e3e3e3")
            d.text(Axis.label(t), x: px(t), y: top + height + 16, anchor: "middle", size: 11, cls: "tick")
        }
        for t in y.ticks {
            d.line(left, py(t), left + width, py(t), stroke: "#e3e3e3")
            d.text(Axis.label(t), x: left - 6, y: py(t) + 4, anchor: "end", size: 11, cls: "tick")
        }
        d.line(left, top + height, left + width, top + height, stroke: "#444")
        d.line(left, top, left, top + height, stroke: "#444")
        d.text(xLabel, x: left + width / 2, y: top + height + 38, anchor: "middle", size: 13, cls: "axis-label x-label")
        d.text(yLabel, x: left - 48, y: top + height / 2, anchor: "middle", size: 13, rotate: -90, cls: "axis-label y-label")
    }
}

/// Legend entries laid out left to right, wrapping; returns the height used.
@discardableResult
func drawLegend(_ d: inout SVGDocument, _ items: [(name: String, color: String)], x: Double, y: Double, width: Double) -> Double {
    var cx = x, cy = y
    for item in items {
        let w = 18 + Double(item.name.count) * 6.6 + 14
        if cx + w > x + width && cx > x { cx = x; cy += 18 }
        d.rect(x: cx, y: cy - 10, w: 12, h: 12, fill: item.color, cls: "legend-swatch", stroke: "#222")
        d.text(item.name, x: cx + 17, y: cy, size: 12, cls: "legend")
        cx += w
    }
    return cy - y + 18
}

/// Horizontal stacked bars: one bar per category (a layer), one segment per non-zero series value.
package struct StackedBars {
    package var title: String
    package var valueLabel: String
    package var categories: [String]
    package var series: [String]
    /// categories × series.
    package var values: [[Double]]
    /// Formats a value for tooltips (with its unit).
    package var format: (Double) -> String

    package init(title: String, valueLabel: String, categories: [String], series: [String], values: [[Double]], format: @escaping (Double) -> String) {
        self.title = title; self.valueLabel = valueLabel; self.categories = categories; self.series = series
        self.values = values; self.format = format
    }

    /// Segments drawn: one per non-zero value.
    package var markCount: Int { values.reduce(0) { $0 + $1.filter { $0 > 0 }.count } }

    package func svg() -> String {
        let labelChars = min(categories.map(\.count).max() ?? 4, 34)
        let left = 16 + Double(labelChars) * 6.6
        let width = max(760, left + 560)
        let plotWidth = width - left - 30
        var d = SVGDocument(width: width, height: 0, title: title)
        d.text(title, x: 16, y: 24, size: 16, weight: "bold", cls: "chart-title")
        let used = series.indices.filter { j in values.contains { $0[j] > 0 } }
        let legendHeight = drawLegend(&d, used.map { (series[$0], Palette.color($0)) }, x: 16, y: 48, width: width - 32)
        let top = 48 + legendHeight + 8
        let bar = 12.0, gap = 4.0
        let height = Double(categories.count) * (bar + gap) + gap
        let totals = values.map { $0.reduce(0, +) }
        let axis = Axis.linear(totals)
        let frame = PlotFrame(left: left, top: top, width: plotWidth, height: height, x: axis, y: Axis(lo: 0, hi: 1, log: false, ticks: []))
        frame.draw(&d, xLabel: valueLabel, yLabel: "")
        for (i, name) in categories.enumerated() {
            let y = top + gap + Double(i) * (bar + gap)
            let shown = name.count > labelChars ? "…" + name.suffix(labelChars - 1) : name
            d.text(shown, x: left - 6, y: y + bar - 2, anchor: "end", size: 11, cls: "category")
            var x0 = 0.0
            for (j, v) in values[i].enumerated() where v > 0 {
                d.rect(
                    x: frame.px(x0), y: y, w: frame.px(x0 + v) - frame.px(x0), h: bar, fill: Palette.color(j),
                    cls: "mark", tip: "\(name), \(series[j]): \(format(v))")
                x0 += v
            }
        }
        var doc = d
        doc = SVGDocument(width: width, height: top + height + 50, title: title)
        doc.body = d.body
        return doc.render()
    }
}

/// A scatter plot of labelled points, optionally in groups, with front points highlighted and
/// joined, and an optional y = x reference line.
package struct Scatter {
    package struct Point {
        package var x: Double, y: Double
        package var label: String
        package var group: String
        package var front: Bool
        /// Labelled even when the chart labels no points.
        package var labelled: Bool
        package init(x: Double, y: Double, label: String, group: String = "", front: Bool = false, labelled: Bool = false) {
            self.x = x; self.y = y; self.label = label; self.group = group; self.front = front; self.labelled = labelled
        }
    }

    package var title: String
    package var xLabel: String
    package var yLabel: String
    package var points: [Point]
    package var xLog = false, yLog = false
    package var includeZero = true
    /// Draw y = x, labelled.
    package var diagonal: String?
    /// Label each point next to it (for few points).
    package var labelPoints = true
    package var frontName = "Pareto front"

    /// The points' groups in order of first appearance.
    static func groups(_ points: [Point]) -> [String] { points.reduce(into: [String]()) { if !$0.contains($1.group) { $0.append($1.group) } } }

    package init(title: String, xLabel: String, yLabel: String, points: [Point]) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.points = points
    }

    package func svg() -> String {
        let width = 760.0, height = 520.0
        var d = SVGDocument.titled(title, width: width, height: height)
        let groups = Scatter.groups(points)
        let legend = groups.count > 1 || !(groups.first ?? "").isEmpty ? groups.enumerated().map { ($1, Palette.color($0)) } : []
        var lh = legend.isEmpty ? 0 : drawLegend(&d, legend, x: 16, y: 48, width: width - 32)
        if points.contains(where: \.front) {
            let y0 = 48 + lh
            d.circle(x: 22, y: y0 - 4, r: 6, fill: "#ffffff", stroke: "#000000", cls: "legend-swatch")
            d.text("\(frontName): ringed and joined (no other point is better on both axes)", x: 34, y: y0, size: 12, cls: "legend")
            lh += 18
        }
        var xs = points.map(\.x), ys = points.map(\.y)
        if diagonal != nil { let m = max(xs.max() ?? 1, ys.max() ?? 1); xs.append(m); ys.append(m) }
        let x = xLog ? Axis.logarithmic(xs) : Axis.linear(xs, includeZero: includeZero)
        let y = yLog ? Axis.logarithmic(ys) : Axis.linear(ys, includeZero: includeZero)
        let top = 48 + lh + 10
        let frame = PlotFrame(left: 80, top: top, width: width - 110, height: height - top - 60, x: x, y: y)
        frame.draw(&d, xLabel: xLabel, yLabel: yLabel)
        if let diag = diagonal {
            let lo = max(x.lo, y.lo), hi = min(x.hi, y.hi)
            d.line(frame.px(lo), frame.py(lo), frame.px(hi), frame.py(hi), stroke: "#777", width: 1.2, dash: "6 4", cls: "reference")
            d.text(diag, x: frame.px(hi) - 4, y: frame.py(hi) + 14, anchor: "end", size: 11, cls: "reference-label", fill: "#555")
        }
        let front = points.filter(\.front).sorted { ($0.x, $0.y) < ($1.x, $1.y) }
        d.polyline(front.map { (frame.px($0.x), frame.py($0.y)) }, stroke: "#000000", width: 1.5, cls: "front-line")
        // Points off the front first, then the front, then labelled points on top.
        let order = points.indices.sorted { a, b in
            let ka = (points[a].labelled ? 2 : points[a].front ? 1 : 0), kb = (points[b].labelled ? 2 : points[b].front ? 1 : 0)
            return ka != kb ? ka < kb : a < b
        }
        let spots = Self.placeLabels(
            order.filter { labelPoints || points[$0].labelled }.map { i in
                (frame.px(points[i].x), frame.py(points[i].y), points[i].label)
            }, bounds: LabelBox(lo: (0, 0), hi: (width, height)))
        var spot = 0
        for i in order {
            let p = points[i]
            let color = Palette.color(groups.firstIndex(of: p.group) ?? 0)
            let tip = "\(p.label): \(Axis.label(p.x)), \(Axis.label(p.y))\(p.front ? " (front)" : "")"
            d.circle(
                x: frame.px(p.x), y: frame.py(p.y), r: p.front ? 5.5 : 4.5, fill: color, stroke: p.front ? "#000000" : "#ffffff",
                cls: p.front ? "mark front" : "mark", tip: tip)
            if labelPoints || p.labelled {
                let s = spots[spot]
                spot += 1
                d.text(p.label, x: s.x, y: s.y, anchor: s.anchor, size: 11, cls: "point-label")
            }
        }
        return d.render()
    }

    /// Where each label goes, in the order given (earlier labels keep the better spots): the
    /// first of a few spots around its point (upper right, lower left, upper left, lower right,
    /// then the same further out) inside `bounds` (the figure) that overlaps no label placed
    /// before it; the upper right when none is free. Text boxes are estimated from the character
    /// count (11 px text: 6 px a character, 8 px above the baseline and 2 below).
    static func placeLabels(_ labels: [(x: Double, y: Double, text: String)], bounds: LabelBox) -> [(
        x: Double, y: Double, anchor: String
    )] {
        let spots: [(dx: Double, dy: Double, anchor: String)] = [
            (8, -7, "start"), (-8, 15, "end"), (-8, -7, "end"), (8, 15, "start"),
            (8, -20, "start"), (-8, 28, "end"), (-8, -20, "end"), (8, 28, "start"),
        ]
        var placed: [LabelBox] = []
        return labels.map { label in
            let (cx, cy) = (label.x, label.y)
            let w = Double(label.text.count) * 6
            func box(_ s: (dx: Double, dy: Double, anchor: String)) -> LabelBox {
                let x0 = s.anchor == "end" ? cx + s.dx - w : cx + s.dx
                return LabelBox(lo: (x0, cy + s.dy - 8), hi: (x0 + w, cy + s.dy + 2))
            }
            let s =
                spots.first { s in
                    let b = box(s)
                    return bounds.contains(b) && !placed.contains { $0.overlaps(b) }
                } ?? spots[0]
            placed.append(box(s))
            return (cx + s.dx, cy + s.dy, s.anchor)
        }
    }
}

/// An axis-aligned box in SVG coordinates: a label's estimated extent, or the space labels may use.
struct LabelBox {
    var lo: (x: Double, y: Double), hi: (x: Double, y: Double)
    init(lo: (Double, Double), hi: (Double, Double)) { (self.lo, self.hi) = ((lo.0, lo.1), (hi.0, hi.1)) }
    func overlaps(_ o: LabelBox) -> Bool { lo.x < o.hi.x && o.lo.x < hi.x && lo.y < o.hi.y && o.lo.y < hi.y }
    func contains(_ o: LabelBox) -> Bool { o.lo.x >= lo.x && o.hi.x <= hi.x && o.lo.y >= lo.y && o.hi.y <= hi.y }
}

/// A grid of labelled cells coloured by a 0 ... 1 value (an N:M map: blocks × layer kinds).
package struct Heatmap {
    package struct Cell {
        package var text: String
        package var value: Double
        package var tip: String
        package init(text: String, value: Double, tip: String) { self.text = text; self.value = value; self.tip = tip }
    }

    package var title: String
    package var rowLabel: String
    package var columnLabel: String
    package var rows: [String]
    package var columns: [String]
    package var cells: [[Cell?]]
    package var scaleLabel: String

    package init(title: String, rowLabel: String, columnLabel: String, rows: [String], columns: [String], cells: [[Cell?]], scaleLabel: String) {
        self.title = title; self.rowLabel = rowLabel; self.columnLabel = columnLabel; self.rows = rows
        self.columns = columns; self.cells = cells; self.scaleLabel = scaleLabel
    }

    package var markCount: Int { cells.reduce(0) { $0 + $1.compactMap { $0 }.count } }

    package func svg() -> String {
        let labelChars = min(rows.map(\.count).max() ?? 4, 30)
        let left = 40 + Double(labelChars) * 6.6
        let cw = 84.0, ch = 22.0
        let top = 130.0
        let width = max(560, left + Double(columns.count) * cw + 40)
        let height = top + Double(rows.count) * ch + 40
        var d = SVGDocument.titled(title, width: width, height: height)
        // Colour scale: sparse (light) to dense (dark).
        d.text(scaleLabel, x: 16, y: 50, size: 12, cls: "legend")
        for i in 0..<5 {
            let t = Double(i) / 4
            d.rect(x: 16 + Double(i) * 44, y: 56, w: 44, h: 12, fill: Palette.sequential(t), cls: "legend-swatch", stroke: "#222")
            d.text(Axis.label(t), x: 16 + Double(i) * 44 + 22, y: 82, anchor: "middle", size: 10, cls: "legend")
        }
        d.text(columnLabel, x: left + Double(columns.count) * cw / 2, y: top - 26, anchor: "middle", size: 13, cls: "axis-label x-label")
        for (j, c) in columns.enumerated() {
            d.text(c, x: left + Double(j) * cw + cw / 2, y: top - 6, anchor: "middle", size: 12, cls: "column")
        }
        d.text(rowLabel, x: 16, y: top + Double(rows.count) * ch / 2, anchor: "middle", size: 13, rotate: -90, cls: "axis-label y-label")
        for (i, r) in rows.enumerated() {
            let y = top + Double(i) * ch
            let shown = r.count > labelChars ? "…" + r.suffix(labelChars - 1) : r
            d.text(shown, x: left - 6, y: y + ch / 2 + 4, anchor: "end", size: 11, cls: "category")
            for (j, cell) in cells[i].enumerated() {
                guard let cell else { continue }
                let x = left + Double(j) * cw
                d.rect(x: x, y: y, w: cw - 2, h: ch - 2, fill: Palette.sequential(cell.value), cls: "mark", tip: cell.tip, stroke: "#bbbbbb")
                d.text(
                    cell.text, x: x + cw / 2 - 1, y: y + ch / 2 + 3, anchor: "middle", size: 11, cls: "cell-label",
                    fill: cell.value > 0.55 ? "#ffffff" : "#222")
            }
        }
        return d.render()
    }
}

/// A roofline: the compute roof and the memory roof on log-log axes, one point per layer.
package struct Roofline {
    package var title: String
    /// Peak MACs per cycle (the compute roof).
    package var peak: Double
    /// DRAM bytes per cycle (the memory roof's slope).
    package var bytesPerCycle: Double
    package var points: [Scatter.Point]

    package init(title: String, peak: Double, bytesPerCycle: Double, points: [Scatter.Point]) {
        self.title = title; self.peak = peak; self.bytesPerCycle = bytesPerCycle; self.points = points
    }

    package func svg() -> String {
        let width = 760.0, height = 540.0
        var d = SVGDocument.titled(title, width: width, height: height)
        let groups = Scatter.groups(points)
        var legend = groups.enumerated().map { ($1, Palette.color($0)) }
        legend.append(("roofs", "#444444"))
        let lh = drawLegend(&d, legend, x: 16, y: 48, width: width - 32)
        let ridge = peak / bytesPerCycle
        let xs = points.map(\.x) + [ridge / 4, ridge * 4]
        let ys = points.map(\.y) + [peak * 1.5, points.map(\.y).min().map { $0 / 2 } ?? peak / 100]
        let top = 48 + lh + 10
        let frame = PlotFrame(
            left: 80, top: top, width: width - 110, height: height - top - 60,
            x: Axis.logarithmic(xs), y: Axis.logarithmic(ys))
        frame.draw(&d, xLabel: "operational intensity (MACs per DRAM byte, log)", yLabel: "achieved MACs per cycle (log)")
        let x0 = frame.x.lo, x1 = frame.x.hi
        let memStart = max(x0, frame.y.lo / bytesPerCycle)
        d.polyline(
            [(frame.px(memStart), frame.py(memStart * bytesPerCycle)), (frame.px(ridge), frame.py(peak)), (frame.px(x1), frame.py(peak))],
            stroke: "#444", width: 2, cls: "roof")
        d.text("compute roof \(Axis.label(peak)) MACs/cycle", x: frame.px(x1) - 4, y: frame.py(peak) - 6, anchor: "end", size: 11, cls: "roof-label")
        d.text(
            "memory roof \(Axis.label(bytesPerCycle)) B/cycle", x: frame.px(ridge) - 8, y: frame.py(peak) + 16, anchor: "end", size: 11,
            cls: "roof-label")
        for p in points {
            d.circle(
                x: frame.px(p.x), y: frame.py(p.y), r: 4, fill: Palette.color(groups.firstIndex(of: p.group) ?? 0), stroke: "#ffffff",
                cls: "mark", tip: "\(p.label): \(Axis.label(p.x)) MACs/B, \(Axis.label(p.y)) MACs/cycle")
        }
        return d.render()
    }
}
