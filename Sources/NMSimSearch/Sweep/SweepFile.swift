import Foundation
import NMSimModel

extension Sweep {
    /// Reads a sweep file (format in Docs/Sweeps.md). Every problem is listed with the file and
    /// its JSON path; spec, workload and assignment files are found relative to the sweep file.
    package static func load(_ path: String) throws(InputError) -> Sweep {
        let text = try InputLoader.read(path)
        let top = try ObjectReader.document(JSONParser.parse(text, source: path), source: path)
        try top.checkVersion(current: currentVersion, format: "sweep")
        let sink = top.sink
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let dir = path.contains("/") ? base : ""

        var baseSpec: JSONValue = .null
        var specName = ""
        switch top.value("spec") {
        case nil: sink.report("spec", "is required (a preset name, a spec .json file, or a spec object)")
        case .string(let s)?:
            specName = s
            if let json = Presets.json(named: s) {
                baseSpec = (try? JSONParser.parse(json)) ?? .null
            } else if s.lowercased().hasSuffix(".json") {
                let full = s.hasPrefix("/") || dir.isEmpty ? s : dir + "/" + s
                do { baseSpec = try JSONParser.parse(InputLoader.read(full), source: full) } catch {
                    for d in error.diagnostics { sink.report("spec", d.description) }
                }
            } else {
                sink.report("spec", "expected a preset (\(Presets.names.joined(separator: ", "))), a spec .json file or a spec object, found \"\(s)\"")
            }
        case .object(let m)?: baseSpec = .object(m); specName = "\(path): spec"
        case let v?: sink.report("spec", "expected a preset name, a file name or an object, found \(v.brief)")
        }

        var axes: [SweepAxis] = []
        for (i, item) in (top.array("axes") ?? []).enumerated() {
            let at = "axes[\(i)]"
            let o = ObjectReader(item, path: at, sink: sink)
            guard o.isValid else { continue }
            defer { o.finish() }
            var paths: [SpecPath] = []
            var texts: [(String, String)] = []
            if o.has("path") { texts.append((o.string("path"), o.childPath("path"))) }
            if let ps = o.array("paths") {
                for (k, p) in ps.enumerated() {
                    if case .string(let s) = p {
                        texts.append((s, o.childPath("paths[\(k)]")))
                    } else {
                        sink.report(o.childPath("paths[\(k)]"), "expected a spec path string, found \(p.brief)")
                    }
                }
            }
            if texts.isEmpty { sink.report(at, "needs \"path\" (one spec path) or \"paths\" (several that move together)") }
            for (t, loc) in texts {
                switch SpecPath.parse(t) {
                case .success(let p): paths.append(p)
                case .failure(let e): sink.report(loc, e.message)
                }
            }
            var values: [JSONValue] = []
            let hasValues = o.has("values"), hasRange = o.has("range")
            if hasValues == hasRange { sink.report(at, "needs exactly one of \"values\" (a list) or \"range\" (START:STOP:STEP)") }
            if let vs = o.array("values") { values = vs }
            if hasRange {
                let r = o.string("range")
                switch SweepValues.range(r) {
                case .success(let vs)?: values = vs
                case .failure(let e)?: sink.report(o.childPath("range"), e.message)
                case nil: sink.report(o.childPath("range"), "expected START:STOP:*FACTOR or START:STOP:+STEP, found \"\(r)\"")
                }
            }
            guard paths.count == texts.count, !paths.isEmpty, !values.isEmpty else {
                if hasValues, values.isEmpty { sink.report(o.childPath("values"), "is empty") }
                continue
            }
            switch SweepAxis.zipped(paths, values, source: path, location: o.childPath(hasRange ? "range" : "values")) {
            case .success(let a): axes.append(a)
            case .failure(let e): sink.report(at, e.message)
            }
        }

        var workloads: [SweepWorkload] = []
        let wl = top.array("workloads", required: true) ?? []
        if wl.isEmpty, top.has("workloads") { sink.report("workloads", "is empty") }
        for (i, item) in wl.enumerated() {
            let at = "workloads[\(i)]"
            var name = "", image: Int?, batch: Int?, sparsify: Set<WeightLayerKind>?
            if case .string(let s) = item {
                name = s
            } else {
                let o = ObjectReader(item, path: at, sink: sink)
                guard o.isValid else { continue }
                name = o.string("name")
                if o.has("image") { image = o.int("image", in: 1...8192) }
                if o.has("batch") { batch = o.int("batch", in: 1...4096) }
                if let kinds = o.array("sparsify") {
                    sparsify = Set(
                        kinds.compactMap { k -> WeightLayerKind? in
                            guard case .string(let s) = k, let kind = WeightLayerKind(rawValue: s) else {
                                sink.report(o.childPath("sparsify"), "expected layer kinds from \(WeightLayerKind.known), found \(k.brief)")
                                return nil
                            }
                            return kind
                        })
                }
                o.finish()
            }
            do { workloads.append(try SweepWorkload.load(name, image: image, batch: batch, sparsify: sparsify, relativeTo: dir)) } catch {
                for d in error.diagnostics { sink.report(at, d.description) }
            }
        }

        var modes: [SweepMode] = []
        let ml = top.array("modes") ?? [.string("dense")]
        if ml.isEmpty { sink.report("modes", "is empty") }
        for (i, item) in ml.enumerated() {
            if let m = SweepMode.parse(item, at: "modes[\(i)]", sink: sink, base: dir, workloads: workloads) {
                if modes.contains(m) { sink.report("modes[\(i)]", "\(m.label) is given twice") } else { modes.append(m) }
            }
        }

        var objectives: [SweepObjective] = []
        for (i, item) in (top.array("objectives") ?? []).enumerated() {
            guard case .string(let s) = item, let o = SweepObjective(rawValue: s) else {
                sink.report("objectives[\(i)]", "expected one of \(SweepObjective.allCases.map(\.rawValue).joined(separator: ", ")), found \(item.brief)")
                continue
            }
            objectives.append(o)
        }
        var optimizer = "dp"
        var seed: UInt64 = 0
        var accuracy = AccuracySource.prior
        if let s = top.object("search") {
            optimizer = s.choice("optimizer", [("dp", "dp"), ("evolutionary", "evolutionary")], default: "dp")!
            seed = UInt64(s.int("seed", default: 0, in: 0...Int.max))
            accuracy = accuracySource(s, relativeTo: dir)
            s.finish()
        }
        top.finish()
        try sink.throwIfAny()
        let sweep = Sweep(
            baseSpec: baseSpec, baseSpecName: specName, axes: axes, workloads: workloads, modes: modes,
            objectives: objectives, optimizer: optimizer, seed: seed, accuracy: accuracy)
        try sweep.validate()
        return sweep
    }

    /// The search object's accuracy source: `sensitivity` (with `missingCost`), `weights` (with
    /// `activations`), else the prior; files relative to the sweep file. A sensitivity file is
    /// read here, a checkpoint when the sweep runs.
    static func accuracySource(_ s: ObjectReader, relativeTo dir: String) -> AccuracySource {
        func file(_ key: String) -> String? {
            s.optionalString(key).map { $0.hasPrefix("/") || dir.isEmpty ? $0 : dir + "/" + $0 }
        }
        let sensitivity = file("sensitivity"), weights = file("weights"), activations = file("activations")
        let missing = s.has("missingCost") ? s.choice("missingCost", Sensitivity.MissingCost.allCases.map { ($0.rawValue, $0) }) : nil
        if sensitivity != nil, weights != nil { s.sink.report(s.childPath("weights"), "cannot be combined with \"sensitivity\"") }
        if missing != nil, sensitivity == nil { s.sink.report(s.childPath("missingCost"), "needs \"sensitivity\"") }
        if activations != nil, weights == nil { s.sink.report(s.childPath("activations"), "needs \"weights\"") }
        if let sensitivity {
            do { return .table(try Sensitivity.load(sensitivity), missing: missing ?? .error) } catch {
                for d in error.diagnostics { s.sink.report(s.childPath("sensitivity"), d.description) }
            }
        } else if let weights {
            return .checkpoint(path: weights, activations: activations)
        }
        return .prior
    }
}
