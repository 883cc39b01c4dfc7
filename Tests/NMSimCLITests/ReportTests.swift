import Foundation
import NMSimModel
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Every element below `e`, depth first.
func allElements(_ e: XMLElement) -> [XMLElement] { [e] + (e.children ?? []).compactMap { $0 as? XMLElement }.flatMap(allElements) }
func attribute(_ e: XMLElement, _ name: String) -> String? { e.attributes?.first { $0.name == name }?.stringValue }

@Suite("report")
struct ReportTests {
    @Test func pageFromEveryKindOfInputIsSelfContainedXHTML() throws {
        let dir = try temporaryDirectory()
        let sim = dir.appendingPathComponent("sim.json").path, cmp = dir.appendingPathComponent("cmp.json").path
        let search = dir.appendingPathComponent("search.json").path, html = dir.appendingPathComponent("r.html").path
        // About the page, not the schedule: the fixed one is faster in a debug build.
        #expect(runInProcess(["simulate", "--workload", "deit-t", "--pattern", "2:4", "--mapping", "fixed", "--format", "json", "--output", sim]).status == 0)
        #expect(runInProcess(["compare", "--workload", "deit-t", "--mapping", "fixed", "--format", "json", "--output", cmp]).status == 0)
        #expect(
            runInProcess(["search", "--workload", "deit-t", "--speedup", "1.3", "--pareto", "--mapping", "fixed", "--format", "json", "--output", search])
                .status == 0)
        let golden = repositoryRoot.appendingPathComponent("Tests/Regression/goldens/edge-nm4--deit-t-dense.golden.json").path
        let r = runInProcess(["report", sim, cmp, search, golden, "--output", html, "--title", "Test <page>"])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: html, encoding: .utf8)
        #expect(XMLCheck.problem(text) == nil, "\(XMLCheck.problem(text) ?? "")")
        let doc = try XMLDocument(data: Data(text.utf8), options: [])
        let all = allElements(try #require(doc.rootElement()))
        #expect(all.first { $0.localName == "title" }?.stringValue == "Test <page>")
        // No scripts, no external resources.
        #expect(!all.contains { $0.localName == "script" || $0.localName == "link" || $0.localName == "img" || $0.localName == "iframe" })
        #expect(!all.contains { e in ["src", "href"].contains { attribute(e, $0) != nil } })
        // The inputs table: one row per input, with the command and version that wrote it.
        let tables = all.filter { $0.localName == "table" }
        let inputRows = allElements(tables[0]).filter { $0.localName == "tr" }.dropFirst().map {
            allElements($0).filter { $0.localName == "td" }.map { $0.stringValue ?? "" }
        }
        #expect(inputRows.map { $0[1] } == ["simulate", "compare", "search", "golden check"])
        #expect(inputRows[0][4] == "nmsim simulate --format json --mapping fixed --pattern 2:4 --workload deit-t")
        #expect(inputRows.allSatisfy { $0[5] == "nmsim 0.1.0" })
        // Figures: simulate 4, compare 2, search 1 + the chosen configuration's 4; every one with its marks.
        let svgs = all.filter { $0.localName == "svg" }
        #expect(svgs.count == 11)
        for s in svgs { #expect(allElements(s).contains { (attribute($0, "class") ?? "").hasPrefix("mark") }) }
        #expect(text.contains("1 passed, 0 failed"))
        #expect(text.contains("@media (max-width: 640px)") && text.contains("name=\"viewport\""))
    }

    @Test func badInputsAreLocated() throws {
        let dir = try temporaryDirectory()
        let other = dir.appendingPathComponent("other.json")
        try "{\"hello\": 1}".write(to: other, atomically: true, encoding: .utf8)
        let r = runInProcess(["report", other.path])
        #expect(r.status == 65 && r.stderr.hasPrefix("nmsim: \(other.path): not an nmsim simulate, compare or search JSON output"))
        let bad = dir.appendingPathComponent("bad.json")
        try "{\"layers\": [{\"name\": 3}], \"spec\": \"x\"}".write(to: bad, atomically: true, encoding: .utf8)
        let b = runInProcess(["report", bad.path])
        #expect(b.status == 65 && b.stderr.contains("layers[0].name: expected a string"))
        let missing = runInProcess(["report", dir.appendingPathComponent("nope.json").path])
        #expect(missing.status == 66)
        #expect(runInProcess(["report"]).status == 64)
    }
}

@Suite("sweep figures")
struct SweepFigureTests {
    @Test func sweepPlotHighlightsTheFrontAndReportReadsTheFolder() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("s").path, svg = dir.appendingPathComponent("s.svg").path, html = dir.appendingPathComponent("s.html").path
        let r = runInProcess([
            // About the figure and the page, not the schedule: the fixed one is faster in a debug build.
            "sweep", "--spec", fixedSpec, "--workload", "deit-t", "--set", "peArray.rows,peArray.columns=16,32", "--pattern", "dense,2:4,1:4",
            "--output", out, "--quiet", "--plot", svg,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(XMLCheck.problem(text) == nil)
        let doc = try XMLDocument(data: Data(text.utf8), options: [])
        let all = allElements(try #require(doc.rootElement()))
        func cls(_ c: String) -> [XMLElement] { all.filter { (attribute($0, "class") ?? "").split(separator: " ").contains(Substring(c)) } }
        let points = try String(contentsOfFile: out + "/points.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        let front = try String(contentsOfFile: out + "/front.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(cls("mark").count == points.filter { $0.contains(",ok,") }.count && points.count == 6)
        // The default axes are the front's objectives (latency and area), so the ringed points are front.csv's rows.
        let ringed = Set(cls("front").compactMap { $0.children?.first?.stringValue?.components(separatedBy: ": ").first })
        #expect(
            ringed
                == Set(
                    front.map { l in
                        let f = l.split(separator: ","); return "#\(f[0]) \(f[4])"
                    }))
        #expect(cls("x-label").first?.stringValue == "latency (ms)" && cls("y-label").first?.stringValue == "area (mm²)")
        let bad = runInProcess(["sweep", "--workload", "deit-t", "--output", out, "--plot-x", "energy"])
        #expect(bad.status == 64 && bad.stderr == "nmsim: --plot-x: needs --plot FILE.svg\n")
        let page = runInProcess(["report", out, "--output", html])
        #expect(page.status == 0, "\(page.stderr)")
        let h = try String(contentsOfFile: html, encoding: .utf8)
        #expect(XMLCheck.problem(h) == nil && h.contains("<h2 id=\"section-1\">Sweep: ") && h.contains("<td>sweep</td>"))
        // The inputs table gives the command the sweep recorded in sweep.json.
        #expect(h.contains("<td>nmsim sweep --pattern dense,2:4,1:4 --set peArray.rows,peArray.columns=16,32 --spec \(fixedSpec) --workload deit-t</td>"))
    }
}
