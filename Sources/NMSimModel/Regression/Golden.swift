import Foundation

/// A recorded run to compare against: what to run (spec, workload, patterns) and what it gave
/// (cycles per layer, optionally an event trace). JSON, versioned:
///
/// ```json
/// {"nmsimGolden": 1, "recordedWith": "nmsim 0.1.0", "spec": "flex-nm4", "workload": "deit-t",
///  "pattern": "2:4", "totalCycles": 123, "layers": [{"name": "...", "pattern": "2:4", "cycles": 45}],
///  "trace": "deit-t.trace"}
/// ```
///
/// `spec`, `workload`, `assignment` and `trace` are preset or model names, or paths relative to
/// the golden file's directory.
package struct Golden: Equatable, Sendable {
    package static let version = 1

    package struct LayerCycles: Equatable, Sendable {
        package var name: String
        package var pattern: String
        package var cycles: Int64
    }

    package var recordedWith: String
    package var spec: String
    package var workload: String
    package var image: Int?
    package var batch: Int?
    /// Built-in models: the sparsifiable layer kinds, when not the default.
    package var sparsify: [WeightLayerKind]?
    package var pattern: String?
    package var assignment: String?
    package var totalCycles: Int64
    package var layers: [LayerCycles]
    package var trace: String?

    package init(
        recordedWith: String, spec: String, workload: String, image: Int? = nil, batch: Int? = nil, pattern: String? = nil,
        assignment: String? = nil, totalCycles: Int64, layers: [LayerCycles], trace: String? = nil
    ) {
        self.recordedWith = recordedWith; self.spec = spec; self.workload = workload; self.image = image; self.batch = batch
        self.pattern = pattern; self.assignment = assignment; self.totalCycles = totalCycles; self.layers = layers; self.trace = trace
    }

    package func json() -> String {
        var o: [(key: String, value: JSONValue)] = [
            ("nmsimGolden", .int(Self.version)), ("recordedWith", .string(recordedWith)), ("spec", .string(spec)),
            ("workload", .string(workload)), ("totalCycles", .integer(totalCycles)),
            ("layers", .array(layers.map { .object([("name", .string($0.name)), ("pattern", .string($0.pattern)), ("cycles", .integer($0.cycles))]) })),
        ]
        if let image { o.append(("image", .int(image))) }
        if let batch { o.append(("batch", .int(batch))) }
        if let sparsify { o.append(("sparsify", .array(sparsify.map { .string($0.rawValue) }))) }
        if let pattern { o.append(("pattern", .string(pattern))) }
        if let assignment { o.append(("assignment", .string(assignment))) }
        if let trace { o.append(("trace", .string(trace))) }
        return JSONWriter.write(.object(o))
    }

    package static func decode(_ text: String, source: String) throws(InputError) -> Golden {
        let top = try ObjectReader.document(JSONParser.parse(text, source: source, hint: " (truncated or corrupt golden?)"), source: source)
        let sink = top.sink
        try top.checkVersion("nmsimGolden", current: version, format: "golden")
        var g = Golden(
            recordedWith: top.string("recordedWith", default: "unknown"), spec: top.string("spec"), workload: top.string("workload"),
            totalCycles: 0, layers: [])
        g.image = top.has("image") ? top.int("image", in: 1...8192) : nil
        g.batch = top.has("batch") ? top.int("batch", in: 1...4096) : nil
        if let kinds = top.array("sparsify") {
            g.sparsify = []
            for (i, k) in kinds.enumerated() {
                guard case .string(let s) = k, let kind = WeightLayerKind(rawValue: s) else {
                    sink.report("sparsify[\(i)]", "expected one of \(WeightLayerKind.known), found \(k.brief)")
                    continue
                }
                g.sparsify!.append(kind)
            }
        }
        g.pattern = top.optionalString("pattern")
        g.assignment = top.optionalString("assignment")
        g.trace = top.optionalString("trace")
        g.totalCycles = Int64(top.int("totalCycles", in: 0...Int.max))
        if let items = top.array("layers", required: true) {
            for (i, item) in items.enumerated() {
                let o = ObjectReader(item, path: "layers[\(i)]", sink: sink)
                let l = LayerCycles(name: o.string("name"), pattern: o.string("pattern"), cycles: Int64(o.int("cycles", in: 0...Int.max)))
                o.finish()
                g.layers.append(l)
            }
            var sum: Int64 = 0, overflow = false
            for l in g.layers {
                let (s, o) = sum.addingReportingOverflow(l.cycles)
                sum = s
                overflow = overflow || o
            }
            if sink.isEmpty, overflow || sum != g.totalCycles {
                sink.report(
                    "totalCycles",
                    overflow
                        ? "the layers' cycles overflow when added (corrupt golden?)"
                        : "is \(g.totalCycles) but the layers add up to \(sum) (corrupt golden?)")
            }
        }
        top.finish()
        try sink.throwIfAny()
        return g
    }
}

/// One difference between a golden and a fresh run.
package struct GoldenMismatch: Equatable, Sendable, CustomStringConvertible {
    package var layer: Int?
    package var layerName: String
    package var field: String
    package var expected: String
    package var actual: String
    /// The first differing trace event, when traces were compared.
    package var firstEvent: String?

    package init(layer: Int?, layerName: String, field: String, expected: String, actual: String, firstEvent: String? = nil) {
        self.layer = layer
        self.layerName = layerName
        self.field = field
        self.expected = expected
        self.actual = actual
        self.firstEvent = firstEvent
    }

    package var description: String {
        var s = (layer.map { "layer \($0) \(layerName)" } ?? layerName) + ": \(field) expected \(expected), actual \(actual)"
        if let firstEvent { s += "; first differing trace event: \(firstEvent)" }
        return s
    }
}

/// Re-runs goldens and compares.
package enum GoldenCheck {
    /// The goldens named by `paths`: files as given, and every `*.golden.json` and SCALE-Sim
    /// report below a folder, sorted.
    package static func files(_ paths: [String]) throws(InputError) -> [String] {
        var files: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else { throw InputError(.noInput, source: p, "no such file or folder") }
            if isDir.boolValue {
                let found = (FileManager.default.enumerator(atPath: p)?.compactMap { $0 as? String } ?? [])
                    .filter { f in f.hasSuffix(".golden.json") || scaleSimReportNames.contains { f.hasSuffix($0) } }.sorted()
                if found.isEmpty {
                    throw InputError(.noInput, source: p, "holds no *.golden.json or SCALE-Sim report (\(scaleSimReportNames.joined(separator: ", ")))")
                }
                files += found.map { (p.hasSuffix("/") ? p : p + "/") + $0 }
            } else {
                files.append(p)
            }
        }
        return files
    }

    /// Relative difference allowed: |actual − expected| ≤ tolerance × expected.
    package static func within(_ expected: Int64, _ actual: Int64, _ tolerance: Double) -> Bool {
        if expected == actual { return true }
        return abs(Double(actual) - Double(expected)) <= tolerance * abs(Double(expected))
    }

    static func percent(_ e: Int64, _ a: Int64) -> String {
        e == 0 ? "" : String(format: " (%+.2f%%)", (Double(a) - Double(e)) / Double(e) * 100)
    }

    /// Compares a golden file's recorded run with a fresh one.
    package static func check(goldenAt path: String, tolerance: Double, version: String) throws(InputError) -> [GoldenMismatch] {
        let g = try Golden.decode(InputLoader.read(path), source: path)
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        /// Paths in a golden are relative to its folder (absolute ones stay as they are).
        func resolve(_ s: String) -> String { s.hasPrefix("/") ? s : dir.appendingPathComponent(s).path }
        let spec = try InputLoader.spec(Presets.json(named: g.spec) != nil ? g.spec : resolve(g.spec)).spec
        let workload = try InputLoader.workload(
            VisionTransformer.named(g.workload) != nil ? g.workload : resolve(g.workload),
            image: g.image, batch: g.batch ?? 1, sparsify: g.sparsify.map(Set.init))
        var assignment = PatternAssignment.none
        if let p = g.pattern {
            guard case .success(let v) = NMPattern.parse(p) else { throw InputError(.data, source: path, location: "pattern", "expected N:M, found \"\(p)\"") }
            assignment = PatternAssignment(uniform: v, source: path)
        } else if let a = g.assignment {
            if let e = ELSAConfigurations.named(a) {
                assignment = try e.assignment(for: workload)
            } else {
                assignment = try AssignmentFile.load(resolve(a), for: workload)
            }
        }
        let patterns = try assignment.resolve(workload, on: spec)
        if g.trace != nil { try Trace.checkInMemorySize(spec: spec, workload: workload, patterns: patterns) }
        let report = try NetworkSimulator(spec: spec).run(workload, patterns: patterns)
        var out: [GoldenMismatch] = []
        if report.layers.count != g.layers.count {
            out.append(
                GoldenMismatch(layer: nil, layerName: workload.name, field: "layer count", expected: "\(g.layers.count)", actual: "\(report.layers.count)"))
            return out
        }
        var trace: (expected: [Trace.LayerTrace], actual: [Trace.LayerTrace])?
        if let t = g.trace {
            let tpath = resolve(t)
            let expected = try Trace.parse(lines: TextLines.useful(file: tpath), source: tpath).layers
            let actual = try Trace.parse(Trace.record(spec: spec, workload: workload, patterns: patterns), source: "fresh trace").layers
            trace = (expected, actual)
        }
        for (i, (e, a)) in zip(g.layers, report.layers).enumerated() {
            if e.name != a.layer.name {
                out.append(GoldenMismatch(layer: i, layerName: e.name, field: "name", expected: e.name, actual: a.layer.name))
                continue
            }
            if e.pattern != a.pattern.description {
                out.append(GoldenMismatch(layer: i, layerName: e.name, field: "pattern", expected: e.pattern, actual: a.pattern.description))
            }
            var eventNote: String?
            if let trace, i < trace.expected.count, i < trace.actual.count {
                eventNote = firstDifference(Trace.events(trace.expected, i), Trace.events(trace.actual, i), tolerance: tolerance)
            }
            if !within(e.cycles, a.result.cycles, tolerance) {
                out.append(
                    GoldenMismatch(
                        layer: i, layerName: e.name, field: "cycles", expected: "\(e.cycles)",
                        actual: "\(a.result.cycles)\(percent(e.cycles, a.result.cycles))", firstEvent: eventNote))
            } else if let eventNote {
                out.append(
                    GoldenMismatch(layer: i, layerName: e.name, field: "trace", expected: "the recorded events", actual: "a difference", firstEvent: eventNote))
            }
        }
        if out.isEmpty, !within(g.totalCycles, report.totalCycles, tolerance) {
            out.append(
                GoldenMismatch(
                    layer: nil, layerName: "network", field: "totalCycles", expected: "\(g.totalCycles)",
                    actual: "\(report.totalCycles)\(percent(g.totalCycles, report.totalCycles))"))
        }
        return out
    }

    /// The first event that differs (cycles beyond the tolerance, or any other field), as text.
    static func firstDifference(_ e: [String], _ a: [String], tolerance: Double) -> String? {
        for k in 0..<max(e.count, a.count) {
            guard k < e.count else { return "event \(k + 1): expected none, actual \"\(a[k])\"" }
            guard k < a.count else { return "event \(k + 1): expected \"\(e[k])\", actual none" }
            if e[k] == a[k] { continue }
            let x = e[k].split(separator: " "), y = a[k].split(separator: " ")
            if x.count == 5, y.count == 5, x.dropFirst() == y.dropFirst(), let c1 = Int64(x[0]), let c2 = Int64(y[0]), within(c1, c2, tolerance) { continue }
            return "event \(k + 1): expected \"\(e[k])\", actual \"\(a[k])\""
        }
        return nil
    }

    /// Compares SCALE-Sim `COMPUTE_REPORT.csv` `Total Cycles` with a run of its cfg and topology.
    package static func checkSCALESim(report path: String, spec specPath: String, topology: String, tolerance: Double) throws(InputError) -> [GoldenMismatch] {
        let rows = try SCALESimReport.parseCompute(lines: TextLines.useful(file: path), source: path)
        let spec = try InputLoader.spec(specPath).spec
        let w = try InputLoader.workload(topology)
        let r = try NetworkSimulator(spec: spec).run(w, patterns: PatternAssignment.none.resolve(w, on: spec))
        guard rows.count == r.layers.count else {
            return [GoldenMismatch(layer: nil, layerName: w.name, field: "layer count", expected: "\(rows.count)", actual: "\(r.layers.count)")]
        }
        var out: [GoldenMismatch] = []
        for (i, (g, l)) in zip(rows, r.layers).enumerated() where !within(g.totalCycles, l.result.cycles, tolerance) {
            out.append(
                GoldenMismatch(
                    layer: i, layerName: l.layer.name, field: "Total Cycles", expected: "\(g.totalCycles)",
                    actual: "\(l.result.cycles)\(percent(g.totalCycles, l.result.cycles))"))
        }
        return out
    }

    /// SCALE-Sim's report files that can serve as goldens.
    package static let scaleSimReportNames = ["COMPUTE_REPORT.csv", "BANDWIDTH_REPORT.csv", "DETAILED_ACCESS_REPORT.csv", "SPARSE_REPORT.csv"]

    /// Records a golden for a run; returns the golden and, when asked, the trace text.
    package static func record(
        specArg: String, workloadArg: String, image: Int?, batch: Int?, sparsify: [WeightLayerKind]? = nil,
        pattern: String?, assignment: String?,
        assignmentValue: PatternAssignment, traceFile: String?, version: String,
        resolveFrom dir: URL
    ) throws(InputError) -> (Golden, String?) {
        func resolve(_ s: String) -> String { s.hasPrefix("/") ? s : dir.appendingPathComponent(s).path }
        let spec = try InputLoader.spec(Presets.json(named: specArg) != nil ? specArg : resolve(specArg)).spec
        let workload = try InputLoader.workload(
            VisionTransformer.named(workloadArg) != nil ? workloadArg : resolve(workloadArg),
            image: image, batch: batch ?? 1, sparsify: sparsify.map(Set.init))
        let patterns = try assignmentValue.resolve(workload, on: spec)
        if traceFile != nil { try Trace.checkInMemorySize(spec: spec, workload: workload, patterns: patterns) }
        let report = try NetworkSimulator(spec: spec).run(workload, patterns: patterns)
        var g = Golden(
            recordedWith: "nmsim \(version)", spec: specArg, workload: workloadArg, image: image, batch: batch, pattern: pattern,
            assignment: assignment, totalCycles: report.totalCycles,
            layers: report.layers.map { .init(name: $0.layer.name, pattern: $0.pattern.description, cycles: $0.result.cycles) },
            trace: traceFile)
        g.sparsify = sparsify
        let trace = traceFile != nil ? try Trace.record(spec: spec, workload: workload, patterns: patterns) : nil
        return (g, trace)
    }
}
