import Foundation
import NMSimModel

/// A minimal SVG writer: elements appended in order, numbers with fixed decimals, text
/// escaped, so the same figure always gives the same bytes. Every figure has an opaque
/// light background and dark text, so it reads the same in light and dark viewers.
package struct SVGDocument {
    package let width: Double
    package let height: Double
    package let title: String
    var body: [String] = []

    package init(width: Double, height: Double, title: String) {
        self.width = width
        self.height = height
        self.title = title
    }

    /// A coordinate or length with one decimal (stable bytes).
    package static func n(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        let s = String(format: "%.1f", r == 0 ? 0 : r)
        return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }

    package static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    package mutating func raw(_ s: String) { body.append(s) }

    package mutating func line(
        _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#444", width: Double = 1,
        dash: String? = nil, cls: String? = nil
    ) {
        let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        let c = cls.map { " class=\"\($0)\"" } ?? ""
        raw(
            "<line\(c) x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\"\(d)/>"
        )
    }

    /// Text; `anchor` start, middle or end; `rotate` in degrees about the anchor point.
    package mutating func text(
        _ s: String, x: Double, y: Double, anchor: String = "start", size: Double = 12, weight: String? = nil,
        rotate: Double = 0, cls: String? = nil, fill: String = "#222"
    ) {
        let r = rotate != 0 ? " transform=\"rotate(\(Self.n(rotate)) \(Self.n(x)) \(Self.n(y)))\"" : ""
        let w = weight.map { " font-weight=\"\($0)\"" } ?? ""
        let c = cls.map { " class=\"\($0)\"" } ?? ""
        raw(
            "<text\(c) x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" text-anchor=\"\(anchor)\" font-size=\"\(Self.n(size))\"\(w) fill=\"\(fill)\"\(r)>\(Self.escape(s))</text>"
        )
    }

    /// A data mark: a rectangle with a tooltip.
    package mutating func rect(
        x: Double, y: Double, w: Double, h: Double, fill: String, cls: String? = nil, tip: String? = nil,
        stroke: String? = nil
    ) {
        let c = cls.map { " class=\"\($0)\"" } ?? ""
        let s = stroke.map { " stroke=\"\($0)\" stroke-width=\"0.5\"" } ?? ""
        let open = "<rect\(c) x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(max(w, 0)))\" height=\"\(Self.n(max(h, 0)))\" fill=\"\(fill)\"\(s)"
        raw(tip.map { open + "><title>\(Self.escape($0))</title></rect>" } ?? open + "/>")
    }

    package mutating func circle(x: Double, y: Double, r: Double, fill: String, stroke: String = "#222", cls: String? = nil, tip: String? = nil) {
        let c = cls.map { " class=\"\($0)\"" } ?? ""
        let open = "<circle\(c) cx=\"\(Self.n(x))\" cy=\"\(Self.n(y))\" r=\"\(Self.n(r))\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1\""
        raw(tip.map { open + "><title>\(Self.escape($0))</title></circle>" } ?? open + "/>")
    }

    package mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5, dash: String? = nil, cls: String? = nil) {
        guard points.count > 1 else { return }
        let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        let c = cls.map { " class=\"\($0)\"" } ?? ""
        raw(
            "<polyline\(c) points=\"\(points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " "))\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\"\(d)/>"
        )
    }

    /// The finished document.
    package func render() -> String {
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" "
        out += "viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" font-family=\"Helvetica, Arial, sans-serif\" role=\"img\">\n"
        out += "<title>\(Self.escape(title))</title>\n"
        out += "<rect class=\"background\" x=\"0\" y=\"0\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" fill=\"#ffffff\"/>\n"
        for b in body { out += b + "\n" }
        return out + "</svg>\n"
    }
}

/// Colours distinguishable with colour-blindness (Okabe & Ito), then greys.
package enum Palette {
    package static let colors = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000", "#999999", "#7F3C8D"]
    package static func color(_ i: Int) -> String { colors[i % colors.count] }

    /// Sequential blues for 0 ... 1.
    package static func sequential(_ t: Double) -> String {
        let u = min(max(t, 0), 1)
        let (r, g, b) = (222 - u * (222 - 8), 235 - u * (235 - 48), 247 - u * (247 - 107))
        return String(format: "#%02X%02X%02X", Int(r.rounded()), Int(g.rounded()), Int(b.rounded()))
    }
}

/// A numeric axis: linear (nice ticks from 0 or the data) or logarithmic (decades).
package struct Axis {
    package var lo: Double
    package var hi: Double
    package var log: Bool
    package var ticks: [Double]

    /// A linear axis from `includeZero ? 0 : min` to a nice value above `max`.
    package static func linear(_ values: [Double], includeZero: Bool = true, count: Int = 5) -> Axis {
        var lo = includeZero ? min(0, values.min() ?? 0) : (values.min() ?? 0)
        var hi = max(values.max() ?? 1, lo)
        if hi == lo { hi = lo == 0 ? 1 : lo * 1.1 + (lo < 0 ? -1 : 0); if !includeZero { lo = lo * 0.9 } }
        let step = niceStep((hi - lo) / Double(count))
        lo = (lo / step).rounded(.down) * step
        hi = (hi / step).rounded(.up) * step
        var ticks: [Double] = []
        var t = lo
        while t <= hi + step * 1e-9 { ticks.append(abs(t) < step * 1e-9 ? 0 : t); t += step }
        return Axis(lo: lo, hi: hi, log: false, ticks: ticks)
    }

    /// A log axis spanning whole decades around the positive values.
    package static func logarithmic(_ values: [Double]) -> Axis {
        let pos = values.filter { $0 > 0 && $0.isFinite }
        var lo = floor(log10(pos.min() ?? 1)), hi = ceil(log10(pos.max() ?? 10))
        if hi <= lo { hi = lo + 1 }
        if hi - lo > 12 { lo = hi - 12 }
        let ticks = stride(from: lo, through: hi, by: 1).map { pow(10, $0) }
        return Axis(lo: pow(10, lo), hi: pow(10, hi), log: true, ticks: ticks)
    }

    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let p = pow(10, floor(log10(raw)))
        let f = raw / p
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p
    }

    /// Position of `v` as a fraction of the axis (0 at `lo`).
    package func fraction(_ v: Double) -> Double {
        if log { return (log10(max(v, lo)) - log10(lo)) / (log10(hi) - log10(lo)) }
        return hi == lo ? 0 : (v - lo) / (hi - lo)
    }

    /// A short tick label: 0, 2.5, 40, 1.2k, 3M, 4G, 1e-3.
    package static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        func trim(_ s: String) -> String {
            guard s.contains(".") else { return s }
            var t = s
            while t.hasSuffix("0") { t.removeLast() }
            if t.hasSuffix(".") { t.removeLast() }
            return t
        }
        if a >= 1e12 { return trim(String(format: "%.2f", v / 1e12)) + "T" }
        if a >= 1e9 { return trim(String(format: "%.2f", v / 1e9)) + "G" }
        if a >= 1e6 { return trim(String(format: "%.2f", v / 1e6)) + "M" }
        if a >= 1e3 { return trim(String(format: "%.2f", v / 1e3)) + "k" }
        if a >= 0.01 { return trim(String(format: "%.3f", v)) }
        return String(format: "%.0e", v)
    }
}
