import Foundation

extension HardwareSpec {
    /// Largest array side accepted.
    public static let maxArraySide = 4096

    /// Decodes and validates a spec; every violation is listed with its JSON path.
    /// - Parameter source: the file name used in diagnostics.
    public static func decode(json text: String, source: String) throws(InputError) -> HardwareSpec {
        try decode(JSONParser.parse(text, source: source), source: source)
    }

    package static func decode(_ root: JSONValue, source: String) throws(InputError) -> HardwareSpec {
        let top = try ObjectReader.document(root, source: source)
        let sink = top.sink
        try top.checkVersion(current: currentVersion, format: "spec")

        let name = top.string("name")
        let summary = top.string("description", default: "")
        let clock = top.double("clockGHz", default: 1.0, min: 0.001, max: 100)
        let timing = top.choice("timing", TimingModel.allCases.map { ($0.rawValue, $0) }, default: .native)!

        let pe = top.object("peArray", required: true)
        let rows = pe?.int("rows", in: 1...maxArraySide) ?? 1
        let columns = pe?.int("columns", in: 1...maxArraySide) ?? 1
        let dataflow = pe?.choice("dataflow", Dataflow.allCases.map { ($0.rawValue, $0) }) ?? .weightStationary
        let stationaryDB = pe?.bool("stationaryDoubleBuffered", default: true) ?? true
        pe?.finish()

        var patterns: [NMPattern] = []
        var mux = MuxPlacement.perPE
        var decoder = DecoderSpec(groupsPerCycle: 1 << 20, latencyCycles: 0)
        if let sp = top.object("sparsity") {
            if let list = sp.array("supportedPatterns", required: true) {
                for (i, item) in list.enumerated() {
                    let path = sp.childPath("supportedPatterns[\(i)]")
                    guard case .string(let s) = item else {
                        sink.report(path, "expected an N:M string such as \"2:4\", found \(item.brief)"); continue
                    }
                    switch NMPattern.parse(s) {
                    case .success(let p):
                        if patterns.contains(p) { sink.report(path, "duplicate pattern \(p)") } else if !p.isDense { patterns.append(p) }
                    case .failure(let e): sink.report(path, e.description)
                    }
                }
            }
            mux = sp.choice("mux", MuxPlacement.allCases.map { ($0.rawValue, $0) }, default: .perPE)!
            if let d = sp.object("decoder", required: true) {
                decoder = DecoderSpec(
                    groupsPerCycle: d.int("groupsPerCycle", in: 1...(1 << 20)),
                    latencyCycles: d.int("latencyCycles", default: 0, in: 0...1_000_000))
                d.finish()
            }
            sp.finish()
        }

        var buffers: [String: BufferSpec] = [:]
        var unified = false
        if let b = top.object("buffers", required: true) {
            unified = b.has("unified")
            if unified {
                for key in ["ifmap", "filter", "ofmap"] where b.has(key) {
                    sink.report(b.childPath(key), "cannot be given with buffers.unified (one buffer holds every operand)")
                    _ = b.value(key)
                }
            }
            for key in unified ? ["unified"] : ["ifmap", "filter", "ofmap"] {
                guard let o = b.object(key, required: true) else { continue }
                let kib = o.int("capacityKiB", in: 1...(1 << 21), unit: "KiB")
                let banks = o.int("banks", default: 1, in: 1...4096)
                if banks & (banks - 1) != 0 { sink.report(o.childPath("banks"), "must be a power of two (got \(banks))") }
                let width = o.int("bankWidthBytes", in: 1...4096, unit: "bytes")
                let ports = o.int("ports", default: 1, in: 1...16)
                let db = o.bool("doubleBuffered", default: true)
                o.finish()
                buffers[key] = BufferSpec(capacityBytes: kib * 1024, banks: banks, bankWidthBytes: width, ports: ports, doubleBuffered: db)
            }
            b.finish()
            if unified, let u = buffers["unified"] {
                // Each operand may keep a third of the capacity resident; bandwidth is shared.
                var part = u
                part.capacityBytes = u.capacityBytes / 3
                buffers = ["ifmap": part, "filter": part, "ofmap": part]
            }
        }

        var dram = DRAMSpec(model: .ideal, bytesPerCycle: 1, latencyCycles: 0, burstBytes: 1)
        if let d = top.object("dram", required: true) {
            let model = d.choice("model", DRAMSpec.Model.allCases.map { ($0.rawValue, $0) }) ?? .fixedLatency
            let kind = d.choice("kind", DRAMKind.allCases.map { ($0.rawValue, $0) }, default: .ddr3)!
            if model == .ideal {
                _ = d.int("latencyCycles", default: 0, in: 0...1_000_000)
                _ = d.int("burstBytes", default: 1, in: 1...65536)
                dram = DRAMSpec(
                    model: .ideal, bytesPerCycle: d.double("bytesPerCycle", default: 1e9, min: 0.001),
                    latencyCycles: 0, burstBytes: 1, kind: kind)
            } else {
                let bpc = d.double("bytesPerCycle", min: 0.001, max: 1e6)
                let lat = d.int("latencyCycles", default: 0, in: 0...1_000_000)
                let burst = d.int("burstBytes", default: 64, in: 1...65536)
                if burst & (burst - 1) != 0 { sink.report(d.childPath("burstBytes"), "must be a power of two (got \(burst))") }
                dram = DRAMSpec(model: model, bytesPerCycle: bpc, latencyCycles: lat, burstBytes: burst, kind: kind)
            }
            d.finish()
        }

        var vector = VectorUnitSpec(lanes: 16, latencyCycles: 4, cyclesPerElement: defaultVectorCosts)
        if let v = top.object("vectorUnit") {
            vector.lanes = v.int("lanes", in: 1...65536)
            vector.latencyCycles = v.int("latencyCycles", default: 4, in: 0...1_000_000)
            if let c = v.object("cyclesPerElement") {
                for op in VectorOp.allCases {
                    vector.cyclesPerElement[op] = c.int(op.rawValue, default: defaultVectorCosts[op]!, in: 0...10_000)
                }
                c.finish()
            }
            v.finish()
        }

        var types = DataTypes(activationBytes: 1, weightBytes: 1, outputBytes: 1, accumulatorBytes: 4)
        if let t = top.object("dataTypes") {
            types.activationBytes = t.int("activationBytes", default: 1, in: 1...8, unit: "bytes")
            types.weightBytes = t.int("weightBytes", default: 1, in: 1...8, unit: "bytes")
            types.outputBytes = t.int("outputBytes", default: 1, in: 1...8, unit: "bytes")
            types.accumulatorBytes = t.int("accumulatorBytes", default: 4, in: 1...8, unit: "bytes")
            t.finish()
        }

        var attention = AttentionMapping.perHead
        // SCALE-Sim timing always runs the fixed schedule; the native timing gets the mapper.
        var mapping = MappingOptions(mode: timing == .native ? .search : .fixed)
        if let m = top.object("mapping") {
            attention = m.choice("attention", AttentionMapping.allCases.map { ($0.rawValue, $0) }, default: .perHead)!
            mapping.mode = m.choice("schedule", MappingMode.allCases.map { ($0.rawValue, $0) }, default: mapping.mode)!
            mapping.objective = m.choice("objective", MappingObjective.allCases.map { ($0.rawValue, $0) }, default: .latency)!
            m.finish()
        }

        var movement = DataMovementOptions()
        if let d = top.object("dataMovement") {
            movement.fuseElementwise = d.bool("fuseElementwise", default: false)
            movement.activationsOnChip = d.bool("activationsOnChip", default: false)
            for (key, on) in [("fuseElementwise", movement.fuseElementwise), ("activationsOnChip", movement.activationsOnChip)]
            where on && timing != .native {
                sink.report(d.childPath(key), "needs the native timing (SCALE-Sim timing runs every layer on its own)")
            }
            d.finish()
        }

        var technology = TechnologySpec()
        if let t = top.object("technology") {
            let nodes = TechnologySpec.nodes
            let node = t.int("nodeNm", default: 45, in: 1...1000, unit: "nm")
            if nodes.contains(node) {
                technology.nodeNm = node
            } else {
                sink.report(t.childPath("nodeNm"), "no published scaling for \(node) nm; expected one of \(nodes.map(String.init).joined(separator: ", "))")
            }
            if t.has("voltage") {
                let v = t.double("voltage", min: 0.3, max: 2.0)
                technology.voltage = v
                if TechnologySpec.fit(technology.nodeNm, v) <= 0 {
                    sink.report(t.childPath("voltage"), "\(JSONWriter.format(v)) V is outside the \(technology.nodeNm) nm energy fit")
                }
            }
            t.finish()
        }

        var energy = EnergySpec()
        if let e = top.object("energy") {
            func opt(_ key: String) -> Double? { e.has(key) ? e.double(key, min: 0, max: 1e6) : nil }
            energy = EnergySpec(
                macPJ: opt("macPJ"), muxPJ: opt("muxPJ"), sramReadPJPerByte: opt("sramReadPJPerByte"),
                sramWritePJPerByte: opt("sramWritePJPerByte"), dramPJPerByte: opt("dramPJPerByte"),
                decodePJPerGroup: opt("decodePJPerGroup"), vectorPJPerElementOp: opt("vectorPJPerElementOp"),
                leakageMWPerMM2: opt("leakageMWPerMM2"))
            e.finish()
        }
        var area = AreaSpec()
        if let a = top.object("area") {
            func opt(_ key: String) -> Double? { a.has(key) ? a.double(key, min: 0, max: 1e9) : nil }
            area = AreaSpec(
                macUM2: opt("macUM2"), muxUM2: opt("muxUM2"), decoderLaneUM2: opt("decoderLaneUM2"),
                sramBitUM2: opt("sramBitUM2"), sramPeripheryUM: opt("sramPeripheryUM"), vectorLaneUM2: opt("vectorLaneUM2"))
            a.finish()
        }
        top.finish()
        try sink.throwIfAny()

        var spec = HardwareSpec(
            name: name, summary: summary, clockGHz: clock, rows: rows, columns: columns, dataflow: dataflow,
            stationaryDoubleBuffered: stationaryDB, supportedPatterns: patterns, mux: mux, decoder: decoder,
            ifmap: buffers["ifmap"]!, filter: buffers["filter"]!, ofmap: buffers["ofmap"]!, dram: dram,
            vector: vector, dataTypes: types, timing: timing, technology: technology, energy: energy, area: area,
            unifiedBuffer: unified, attentionMapping: attention)
        spec.mapping = mapping
        spec.dataMovement = movement
        return spec
    }

    /// Lane-cycles per element when the spec does not say: softmax 4 (max, exp, sum, divide),
    /// layer norm 5 (mean, variance, normalise, scale, shift), GELU 8 (polynomial), add 1.
    public static let defaultVectorCosts: [VectorOp: Int] = [.softmax: 4, .layerNorm: 5, .gelu: 8, .add: 1]
}
