import Foundation
import Testing

@testable import NMSimModel
@testable import NMSimReport

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Parses SVG or XHTML text as XML; fails the test when it is not well-formed.
func parseXML(_ text: String) throws -> XMLDocument {
    if let problem = XMLCheck.problem(text) { throw XMLProblem(description: problem) }
    return try XMLDocument(data: Data(text.utf8), options: [])
}

struct XMLProblem: Error, CustomStringConvertible { var description: String }

/// An attribute's value (looked up by listing: `attribute(forName:)` misses attributes of
/// elements in a default namespace on some platforms).
func attr(_ e: XMLElement, _ name: String) -> String? { e.attributes?.first { $0.name == name }?.stringValue }

/// Elements whose class list contains `cls`.
func elements(_ doc: XMLDocument, class cls: String) throws -> [XMLElement] {
    func all(_ e: XMLElement) -> [XMLElement] { [e] + (e.children ?? []).compactMap { $0 as? XMLElement }.flatMap(all) }
    return (doc.rootElement().map(all) ?? []).filter {
        (attr($0, "class") ?? "").split(separator: " ").contains(Substring(cls))
    }
}

func texts(_ doc: XMLDocument, class cls: String) throws -> [String] { try elements(doc, class: cls).map { $0.stringValue ?? "" } }

@Suite("Figures")
struct FigureTests {
    static let report: NetworkReport = {
        let w = VisionTransformer.named("deit-s")!.workload()
        let a = try! ELSAConfigurations.named("elsa-deit-s-1.96g")!.assignment(for: w)
        let spec = try! preset("flex-nm4")
        let patterns = try! a.resolve(w, on: spec)
        return try! NetworkSimulator(spec: spec).run(w, patterns: patterns)
    }()

    @Test func cycleBarsHaveOneSegmentPerNonZeroValue() throws {
        let r = Self.report
        let bars = Figures.cycleBars(r)
        let doc = try parseXML(bars.svg())
        let marks = try elements(doc, class: "mark")
        var expected = 0
        for l in r.layers { expected += ([l.result.computeCycles] + l.result.stalls.entries.map(\.cycles)).filter { $0 > 0 }.count }
        #expect(marks.count == expected && expected > r.layers.count)
        #expect(try texts(doc, class: "x-label") == ["cycles per layer (all instances)"])
        #expect(try texts(doc, class: "category") == r.layers.map(\.layer.name))
        let used = Figures.cycleSeries.indices.filter { j in bars.values.contains { $0[j] > 0 } }.map { Figures.cycleSeries[$0] }
        #expect(try texts(doc, class: "legend") == used && used.contains("memory") && used.contains("vector layers"))
        #expect(Set(Figures.cycleSeries).count == Figures.cycleSeries.count, "two series share a legend label")
        // Segment widths add up to the layer's cycles: the widest bar is a longest layer (several
        // blocks' layers may tie).
        let longest = r.layers.map(\.result.cycles).max()!
        let widths = Dictionary(grouping: marks) { ($0.elements(forName: "title").first?.stringValue ?? "").components(separatedBy: ",")[0] }
            .mapValues { $0.reduce(0.0) { $0 + Double(attr($1, "width")!)! } }
        let widest = widths.max { $0.value < $1.value }?.key
        #expect(r.layers.first { $0.layer.name == widest }?.result.cycles == longest)
    }

    @Test func energyBarsAreInMicrojoulesPerImage() throws {
        let r = Self.report
        let doc = try parseXML(Figures.energyBars(r).svg())
        #expect(try texts(doc, class: "x-label") == ["energy per layer per image (µJ)"])
        let expected = r.layers.reduce(0) { $0 + Figures.grouped($1.energy).filter { $0 > 0 }.count }
        #expect(try elements(doc, class: "mark").count == expected)
        #expect(try texts(doc, class: "legend") == Figures.energyGroups.map(\.name))  // every group is used here
    }

    @Test func nmMapHasOneCellPerWeightLayer() throws {
        let r = Self.report
        let map = Figures.nmMap(r)
        let doc = try parseXML(map.svg())
        #expect(map.rows == (0..<12).map { "blocks.\($0)" } && map.columns == ["qkv", "proj", "fc1", "fc2"])
        let cells = try texts(doc, class: "cell-label")
        #expect(try elements(doc, class: "mark").count == 48 && cells.count == 48)
        let expected = r.layers.filter { Figures.blockKinds.contains(String($0.layer.name.split(separator: ".").last!)) }
            .map { $0.pattern.isDense ? "dense" : $0.pattern.description }
        #expect(cells == expected)
        #expect(Set(cells).count > 1)
    }

    @Test func rooflineHasOnePointPerGEMMLayerUnderTheRoofs() throws {
        let r = Self.report
        let roof = Figures.roofline(r, bytesPerCycle: 64)
        let doc = try parseXML(roof.svg())
        // A GEMM that moves no DRAM bytes (its operands on chip) has no finite intensity to plot.
        let plotted = r.layers.filter { $0.layer.shape != nil && $0.result.traffic.dramReadBytes + $0.result.traffic.dramWriteBytes > 0 }
        #expect(plotted.count > 0 && plotted.count < r.layers.filter { $0.layer.shape != nil }.count)
        #expect(try elements(doc, class: "mark").count == plotted.count)
        #expect(try texts(doc, class: "x-label") == ["operational intensity (MACs per DRAM byte, log)"])
        #expect(try texts(doc, class: "y-label") == ["achieved MACs per cycle (log)"])
        #expect(try elements(doc, class: "roof").count == 1)
        // No layer beats either roof.
        for p in roof.points { #expect(p.y <= 1024 && p.y <= p.x * 64 * 1.0001, "\(p.label)") }
    }

    @Test func paretoHighlightsExactlyTheNonDominatedPoints() throws {
        let pts: [(x: Double, y: Double, label: String, group: String)] = [
            (1, 5, "a", "g"), (2, 3, "b", "g"), (3, 4, "c", "g"), (4, 1, "d", "h"), (2, 3, "e", "h"), (5, 5, "f", "h"),
        ]
        let s = Figures.pareto(title: "t", xLabel: "latency (ms)", yLabel: "cost", points: pts)
        let doc = try parseXML(s.svg())
        #expect(try elements(doc, class: "mark").count == 6)
        let front = try elements(doc, class: "front").compactMap { $0.elements(forName: "title").first?.stringValue?.components(separatedBy: ":")[0] }
        #expect(Set(front) == ["a", "b", "d", "e"])
        #expect(try texts(doc, class: "x-label") == ["latency (ms)"] && texts(doc, class: "y-label") == ["cost"])
    }

    @Test func speedupScatterHasOnePointPerConfigurationAndTheIdealLine() throws {
        let w = VisionTransformer.named("deit-t")!.workload()
        let c = try Comparison(spec: try preset("flex-nm4"), workload: w, candidates: [("uniform 2:4", PatternAssignment(uniform: pattern("2:4")))])
        let doc = try parseXML(Figures.speedup([c]).svg())
        #expect(try elements(doc, class: "mark").count == 2)
        #expect(try texts(doc, class: "point-label") == ["dense", "uniform 2:4"])
        #expect(try elements(doc, class: "reference").count == 1)
        #expect(try texts(doc, class: "x-label").first?.hasPrefix("MACs reduction") == true)
        for kind in Figures.comparisonKinds { _ = try parseXML(Figures.comparison([c], kind: kind)) }
    }

    /// Labels of points close together do not overlap: the later one moves to a free spot.
    @Test func labelsOfNearbyPointsDoNotOverlap() throws {
        var pts: [(x: Double, y: Double, label: String, group: String)] = [
            (1, 9, "dense", "uniform"), (5, 5, "uniform 2:4", "uniform"), (5.03, 5.05, "chosen", "chosen"), (5.06, 4.98, "uniform 1:4", "uniform"),
        ]
        for i in 0..<20 { pts.append((Double(i) / 2, 10 - Double(i) / 2, "front \(i)", "searched")) }
        let s = Figures.pareto(title: "t", xLabel: "x", yLabel: "y", points: pts, labelled: ["uniform", "chosen"])
        let labels = try elements(parseXML(s.svg()), class: "point-label")
        #expect(labels.map { $0.stringValue ?? "" }.sorted() == ["chosen", "dense", "uniform 1:4", "uniform 2:4"])
        // Each label's extent as the renderer estimates it: 6 px a character, 8 px above the
        // baseline and 2 below, from its anchor.
        let boxes = labels.map { e -> (x0: Double, x1: Double, y0: Double, y1: Double) in
            let x = Double(attr(e, "x")!)!, y = Double(attr(e, "y")!)!, w = Double((e.stringValue ?? "").count) * 6
            let x0 = attr(e, "text-anchor") == "end" ? x - w : x
            return (x0, x0 + w, y - 8, y + 2)
        }
        for i in boxes.indices {
            for j in boxes.indices where j > i {
                let (a, b) = (boxes[i], boxes[j])
                #expect(!(a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1), "\(labels[i].stringValue ?? "") overlaps \(labels[j].stringValue ?? "")")
            }
        }
        // Labels with room keep the upper right of their points.
        let two = Figures.pareto(title: "t", xLabel: "x", yLabel: "y", points: [(1, 1, "a", "g"), (2, 2, "b", "g")])
        let lone = try elements(parseXML(two.svg()), class: "point-label")
        #expect(lone.map { attr($0, "text-anchor") } == ["start", "start"])
    }

    /// A small figure, byte for byte: any change to the SVG writer shows here.
    @Test func smallFigureMatchesItsGolden() throws {
        let pts: [(x: Double, y: Double, label: String, group: String)] = [(1, 4, "dense", "uniform"), (2, 2.5, "2:4", "uniform"), (3, 3, "mixed", "searched")]
        let svg = Figures.pareto(title: "Golden", xLabel: "latency (ms)", yLabel: "cost", points: pts).svg()
        let url = repositoryRoot.appendingPathComponent("Tests/NMSimModelTests/Fixtures/figures/pareto-small.svg")
        if ProcessInfo.processInfo.environment["NMSIM_RECORD_FIGURES"] == "1" { try svg.write(to: url, atomically: true, encoding: .utf8) }
        let golden = try String(contentsOf: url, encoding: .utf8)
        #expect(svg == golden, "re-record with NMSIM_RECORD_FIGURES=1 after an intended change")
        _ = try parseXML(golden)
    }

    @Test func figuresAreByteStableAcrossThreadCounts() throws {
        let w = VisionTransformer.named("deit-t")!.workload()
        let spec = try preset("flex-nm4")
        let p = w.layers.map { $0.sparsifiable ? pattern("1:4") : NMPattern.dense }
        let a = try NetworkSimulator(spec: spec).run(w, patterns: p, parallel: true)
        let b = try NetworkSimulator(spec: spec).run(w, patterns: p, parallel: false)
        for kind in Figures.reportKinds {
            #expect(Figures.report(a, kind: kind, bytesPerCycle: 64) == Figures.report(b, kind: kind, bytesPerCycle: 64))
        }
    }

    @Test func strictCheckFindsBrokenDocuments() {
        #expect(XMLCheck.problem("<svg a=\"1\"><g/><text>x &amp; y</text></svg>\n") == nil)
        #expect(XMLCheck.problem("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"/></head></html>") == nil)
        for broken in [
            "<a><b></a>", "<a>&nbsp;</a>", "<a x=1/>", "<a x=\"1\" x=\"2\"/>", "<a></a><b/>", "<html><meta charset=\"utf-8\"></html>", "<a>x < y</a>", "text",
            "<a>",
        ] {
            #expect(XMLCheck.problem(broken) != nil, "\(broken)")
        }
    }

    @Test func textIsEscaped() throws {
        let s = Figures.pareto(title: "a < b & \"c\"", xLabel: "x", yLabel: "y", points: [(1, 1, "<p>", "g&h")])
        let doc = try parseXML(s.svg())
        #expect(try texts(doc, class: "chart-title") == ["a < b & \"c\""])
    }
}
