extension Workload {
    /// Decodes a workload JSON document; every problem is listed with its JSON path.
    ///
    /// `model` names the built-in model the layers are a lowering of, whose block layers must
    /// all be there. A file without `model` is taken as a built-in model when its `name` is the
    /// model's name, alone or followed by `-` (`deit-t`, `deit-t-384px`), and its layers hold
    /// all of that model's block layers; any other file is of no built-in model.
    public static func decode(json text: String, source: String) throws(InputError) -> Workload {
        let top = try ObjectReader.document(JSONParser.parse(text, source: source), source: source)
        let sink = top.sink
        try top.checkVersion(current: currentVersion, format: "workload")
        let name = top.string("name")
        let declared = top.has("model") ? top.choice("model", VisionTransformer.all.map { ($0.name, $0) }) : nil
        var layers: [Layer] = []
        var names: Set<String> = []
        if let items = top.array("layers", required: true) {
            if items.isEmpty { sink.report("layers", "must list at least one layer") }
            for (i, item) in items.enumerated() {
                let o = ObjectReader(item, path: "layers[\(i)]", sink: sink)
                guard o.isValid else { continue }
                let lname = o.string("name")
                if !lname.isEmpty, !names.insert(lname).inserted { sink.report(o.childPath("name"), "duplicate layer name \"\(lname)\"") }
                if lname.isEmpty, o.has("name") { sink.report(o.childPath("name"), "must not be empty") }
                let type = o.choice("type", [("gemm", 0), ("vector", 1)]) ?? -1
                let count = o.int("count", default: 1, in: 1...WorkloadLimits.maxCount)
                let category = o.optionalString("category").map(LayerCategory.init)
                var pattern: NMPattern?
                if let p = o.optionalString("pattern") {
                    switch NMPattern.parse(p) {
                    case .success(let v): pattern = v
                    case .failure(let e): sink.report(o.childPath("pattern"), e.description)
                    }
                }
                switch type {
                case 0:
                    let m = o.int("m", in: 1...WorkloadLimits.maxDimension)
                    let n = o.int("n", in: 1...WorkloadLimits.maxDimension)
                    let k = o.int("k", in: 1...WorkloadLimits.maxDimension)
                    let shape = GEMMShape(m: m, n: n, k: k)
                    if let why = WorkloadLimits.check(shape), m >= 1, n >= 1, k >= 1 { sink.report(o.path, why) }
                    let params = o.bool("parameters", default: true)
                    let sparsifiable = o.bool("sparsifiable", default: params)
                    if let p = pattern, !p.isDense, !sparsifiable {
                        sink.report(o.childPath("pattern"), "layer is not sparsifiable but has pattern \(p)")
                    }
                    layers.append(
                        Layer(
                            name: lname, kind: .gemm(shape), pattern: pattern, sparsifiable: sparsifiable,
                            hasParameters: params, count: count, category: category))
                case 1:
                    let op = o.choice("op", VectorOp.allCases.map { ($0.rawValue, $0) }) ?? .add
                    let elements = o.int("elements", in: 1...WorkloadLimits.maxElements)
                    if pattern != nil { sink.report(o.childPath("pattern"), "vector layers have no weights to prune") }
                    layers.append(
                        Layer(
                            name: lname, kind: .vector(op, elements: elements), sparsifiable: false,
                            hasParameters: false, count: count, category: category))
                default: continue  // the type error is reported; its other keys cannot be judged
                }
                o.finish()
            }
        }
        var model: VisionTransformer?
        if let declared {
            let missing = declared.missingBlockLayers(in: layers)
            if missing.isEmpty {
                model = declared
            } else if !layers.isEmpty {
                sink.report(
                    "model",
                    "\(declared.name) has \(declared.blockPrefixes.count) blocks, but layers has no GEMM with parameters named \(missing.prefix(3).joined(separator: ", "))\(missing.count > 3 ? " (and \(missing.count - 3) more)" : "")"
                )
            }
        } else if !top.has("model") {
            model = VisionTransformer.all.first { m in (name == m.name || name.hasPrefix(m.name + "-")) && m.missingBlockLayers(in: layers).isEmpty }
        }
        top.finish()
        try sink.throwIfAny()
        return Workload(name: name, layers: layers, model: model)
    }

    /// The workload as JSON that ``decode(json:source:)`` reads back.
    package func jsonValue() -> JSONValue {
        var items: [JSONValue] = []
        for l in layers {
            var o: [(key: String, value: JSONValue)] = [("name", .string(l.name))]
            switch l.kind {
            case .gemm(let s):
                o += [("type", "gemm"), ("m", .int(s.m)), ("n", .int(s.n)), ("k", .int(s.k))]
                if !l.hasParameters { o.append(("parameters", false)) }
                if l.sparsifiable != l.hasParameters { o.append(("sparsifiable", .bool(l.sparsifiable))) }
            case let .vector(op, elements):
                o += [("type", "vector"), ("op", .string(op.rawValue)), ("elements", .int(elements))]
            }
            if let p = l.pattern { o.append(("pattern", .string(p.description))) }
            if l.count != 1 { o.append(("count", .int(l.count))) }
            o.append(("category", .string(l.category.name)))
            items.append(.object(o))
        }
        let model = self.model.map { [(key: "model", value: JSONValue.string($0.name))] } ?? []
        return .object([("version", .int(Self.currentVersion)), ("name", .string(name))] + model + [("layers", .array(items))])
    }
}
