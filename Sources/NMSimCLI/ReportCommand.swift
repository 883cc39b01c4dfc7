import Foundation
import NMSimModel
import NMSimReport
import NMSimSearch

enum ReportCommand {
    static let spec = CommandSpec(
        name: "report", summary: "One self-contained HTML page from simulate, compare or search JSON outputs or golden checks.",
        usage: "nmsim report INPUT... [--output FILE.html] [--title TEXT]",
        options: [
            OptionSpec(name: "--output", value: "FILE.html", help: "Write the page to FILE.html (whole or not at all) instead of stdout."),
            OptionSpec(name: "--title", value: "TEXT", help: "The page title (default: nmsim report)."),
        ],
        positionals: "INPUT...",
        details:
            "INPUT is a JSON output of simulate, compare or search (--format json), a sweep output folder, a *.golden.json, or a folder of goldens (checked now, like 'nmsim check'). The page has no scripts and no external resources: tables, inline SVG figures and CSS."
    )

    static func run(_ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        guard !a.positionals.isEmpty else { throw InputError(.usage, source: "report", "expects at least one INPUT") }
        var page = HTMLReport(title: a.value("--title") ?? "nmsim report", generator: "nmsim \(CLI.version)")
        for path in a.positionals {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw InputError(.noInput, source: path, "no such file or folder") }
            let name = URL(fileURLWithPath: path).lastPathComponent
            if isDir.boolValue, FileManager.default.fileExists(atPath: path + "/points.csv") {
                try SweepFigure.addSection(to: &page, folder: path)
                continue
            }
            if isDir.boolValue || path.hasSuffix(".golden.json") {
                var results: [(file: String, problems: [String])] = []
                for f in try GoldenCheck.files([path]) where f.hasSuffix(".golden.json") {
                    do throws(InputError) {
                        results.append((f, try GoldenCheck.check(goldenAt: f, tolerance: 0, version: CLI.version).map(\.description)))
                    } catch {
                        results.append((f, ["cannot be checked: " + error.diagnostics.map { $0.naming(\.named).description }.joined(separator: "; ")]))
                    }
                }
                page.inputs.append(
                    HTMLReport.Input(
                        file: path, kind: "golden check", spec: "-", workload: "-",
                        command: "nmsim check --golden \(path)", version: CLI.version))
                page.addGoldens(results, heading: "Golden check: \(name)")
                continue
            }
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw InputError(.noInput, source: path, "cannot be read (\(error.localizedDescription))")
            }
            switch try ReportReader.read(text, source: path) {
            case let .simulate(r, p):
                page.inputs.append(
                    HTMLReport.Input(file: path, kind: "simulate", spec: r.specName, workload: r.workloadName, command: p.command, version: p.version))
                page.addNetwork(r, heading: "\(r.workloadName) on \(r.specName)")
            case let .compare(cmps, p):
                for cmp in cmps {
                    page.inputs.append(
                        HTMLReport.Input(file: path, kind: "compare", spec: cmp.spec, workload: cmp.workload, command: p.command, version: p.version))
                }
                page.addComparisons(cmps, heading: "Comparison: \(cmps.first?.workload ?? name)")
            case let .search(s, p):
                page.inputs.append(HTMLReport.Input(file: path, kind: "search", spec: s.spec, workload: s.workload, command: p.command, version: p.version))
                page.addSearch(s, clockGHz: s.chosen?.clockGHz ?? 1, heading: "Search: \(s.workload) on \(s.spec)")
            }
        }
        page.addPresetSpecs()
        try CLI.emit(page.render(), a, c)
        return 0
    }
}
