import Foundation

/// The event trace of a network run: a compact, versioned, integers-only text format.
///
/// ```
/// nmsim-trace 1
/// spec flex-nm4
/// workload deit-t
/// layer 0 patch_embed 1:1 count 1 cycles 34764 events 121
/// 0 dram fetch 0 7296
/// 114 array load 0 32
/// ...
/// layer 7 blocks.1.attn.qkv 1:1 count 1 cycles 25175 same 2
/// end
/// ```
///
/// Each event line is `cycle component action tile amount`, cycles counted from the layer's
/// start, in the order the simulator issued them. A layer identical in shape and pattern to an
/// earlier one says `same <index>` instead of repeating its events, so the size grows with the
/// distinct layers' events, not with cycles. Vector layers have no events.
public enum Trace {
    public static let version = 1

    public struct LayerTrace: Equatable, Sendable {
        public var index: Int
        public var name: String
        public var pattern: String
        public var count: Int
        public var cycles: Int64
        /// Event lines, or nil when `sameAs` refers to an earlier layer.
        public var events: [String]?
        public var sameAs: Int?
    }

    /// Simulates `workload` with `patterns` and returns the trace text.
    public static func record(spec: HardwareSpec, workload: Workload, patterns: [NMPattern]) throws(InputError) -> String {
        var text = ""
        try record(spec: spec, workload: workload, patterns: patterns) { text += $0 }
        return text
    }

    /// Simulates `workload` with `patterns` and hands the trace text to `emit` a layer at a
    /// time, so a trace can go to a file without being held whole in memory.
    public static func record(
        spec: HardwareSpec, workload: Workload, patterns: [NMPattern],
        emit: (String) throws(InputError) -> Void
    ) throws(InputError) {
        let sim = LayerSimulator(spec: spec)
        let vector = VectorUnit(spec.vector)
        var first: [String: Int] = [:]
        var out = "nmsim-trace \(version)\nspec \(token(spec.name))\nworkload \(token(workload.name))\n"
        for (i, layer) in workload.layers.enumerated() {
            let p = patterns[i]
            switch layer.kind {
            case .vector(let op, let e):
                let c = (vector.cycles(op, elements: e) ?? 0) * Int64(layer.count)
                out += "layer \(i) \(token(layer.name)) - count \(layer.count) cycles \(c) events 0\n"
            case .gemm(let s):
                let instances = spec.pipelinedInstances(of: layer)
                let key = "\(s.m)x\(s.n)x\(s.k)/\(p)/\(instances)"
                var lines: [String] = []
                let r: LayerResult
                do {
                    r = try sim.simulate(s, pattern: p, instances: instances) { e in
                        lines.append("\(e.cycle) \(e.action.component) \(e.action.rawValue) \(e.fold) \(e.amount)")
                    }
                } catch {
                    throw InputError(.data, source: workload.name, location: layer.name, "simulation failed: \(error)")
                }
                let cycles = instances > 1 ? r.cycles : r.cycles * Int64(layer.count)
                if let j = first[key] {
                    out += "layer \(i) \(token(layer.name)) \(p) count \(layer.count) cycles \(cycles) same \(j)\n"
                } else {
                    first[key] = i
                    out += "layer \(i) \(token(layer.name)) \(p) count \(layer.count) cycles \(cycles) events \(lines.count)\n"
                    for l in lines { out += l + "\n" }
                }
            }
            try emit(out)
            out = ""
        }
        try emit(out + "end\n")
    }

    /// The file name `record` gives a trace: `BASE.HASH.trace`, HASH being 16 hex digits of the
    /// 64-bit FNV-1a hash of its content, so a new trace never overwrites the one a golden names.
    public static func fileName(base: String, content: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in content.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        let hex = String(h, radix: 16)
        return "\(base).\(String(repeating: "0", count: 16 - hex.count) + hex).trace"
    }

    /// Names are written without spaces so every line splits on single spaces.
    static func token(_ s: String) -> String {
        s.isEmpty ? "-" : String(s.unicodeScalars.map { CharacterSet.whitespacesAndNewlines.contains($0) ? "_" : Character($0) })
    }

    /// Parses a trace; errors name the line.
    public static func parse(_ text: String, source: String) throws(InputError) -> (header: [String: String], layers: [LayerTrace]) {
        try parse(lines: TextLines.useful(text, source: source), source: source)
    }

    /// Parses a trace from its non-blank lines (``TextLines``).
    public static func parse(lines numbered: [TextLine], source: String) throws(InputError) -> (header: [String: String], layers: [LayerTrace]) {
        let lines = numbered.map(\.text)
        func fail(_ n: Int, _ m: String) -> InputError { InputError(.data, source: source, location: "line \(n)", m) }
        guard let first = lines.first, numbered[0].number == 1, first.hasPrefix("nmsim-trace ") else { throw fail(1, "expected 'nmsim-trace <version>'") }
        guard let v = Int(first.dropFirst("nmsim-trace ".count)) else { throw fail(1, "malformed version") }
        if v > version { throw fail(1, "trace format version \(v) is newer than this nmsim understands (\(version))") }
        if v < 1 { throw fail(1, "unsupported trace format version \(v)") }
        var header: [String: String] = [:]
        var layers: [LayerTrace] = []
        var i = 1
        var ended = false
        while i < lines.count {
            let f = lines[i].split(separator: " ").map(String.init)
            let n = numbered[i].number
            i += 1
            if f.isEmpty { throw fail(n, "expected a trace line, found spaces") }
            switch f[0] {
            case "spec", "workload":
                guard f.count == 2 else { throw fail(n, "expected '\(f[0]) <name>'") }
                header[f[0]] = f[1]
            case "layer":
                guard f.count == 10, let idx = Int(f[1]), f[4] == "count", let count = Int(f[5]), f[6] == "cycles", let cycles = Int64(f[7]),
                    let amount = Int(f[9]), f[8] == "events" || f[8] == "same"
                else {
                    throw fail(n, "expected 'layer <index> <name> <pattern> count <n> cycles <n> events|same <n>'")
                }
                guard idx == layers.count else { throw fail(n, "expected layer \(layers.count), found \(idx)") }
                var t = LayerTrace(index: idx, name: f[2], pattern: f[3], count: count, cycles: cycles, events: nil, sameAs: nil)
                if f[8] == "same" {
                    guard amount >= 0, amount < idx, layers[amount].events != nil else {
                        throw fail(n, "'same \(amount)' does not name an earlier traced layer")
                    }
                    t.sameAs = amount
                } else {
                    guard amount >= 0, amount <= lines.count - i else { throw fail(n, "announces \(amount) events but the file ends first (truncated?)") }
                    var ev: [String] = []
                    for k in 0..<amount {
                        let e = lines[i + k].split(separator: " ")
                        guard e.count == 5, let c = Int64(e[0]), c >= 0, let t = Int(e[3]), t >= 0, let a = Int(e[4]), a >= 0 else {
                            throw fail(numbered[i + k].number, "expected an event 'cycle component action tile amount', found \"\(lines[i + k].prefix(60))\"")
                        }
                        ev.append(lines[i + k])
                    }
                    i += amount
                    t.events = ev
                }
                layers.append(t)
            case "end":
                ended = true
                i = lines.count
            default:
                throw fail(n, "unexpected line \"\(lines[i - 1].prefix(60))\"")
            }
        }
        if !ended { throw fail(numbered.last?.number ?? 1, "no 'end' line (truncated trace?)") }
        return (header, layers)
    }

    /// The events of layer `i`, following `same` references.
    public static func events(_ layers: [LayerTrace], _ i: Int) -> [String] {
        layers[i].events ?? layers[layers[i].sameAs!].events ?? []
    }
}
