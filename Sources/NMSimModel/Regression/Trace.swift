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
package enum Trace {
    package static let version = 1

    package struct LayerTrace: Equatable, Sendable {
        package var index: Int
        package var name: String
        package var pattern: String
        package var count: Int
        package var cycles: Int64
        /// Event lines, or nil when `sameAs` refers to an earlier layer.
        package var events: [String]?
        package var sameAs: Int?
    }

    /// The largest trace held in memory (``record(spec:workload:patterns:limit:)``, used by
    /// `record` and `check`): 256 MiB. A trace that ``minimumSize(spec:workload:patterns:)``
    /// already puts past it is refused before anything is simulated; one that only grows past
    /// it with its numbers' widths is refused while it is generated. `simulate --trace FILE`
    /// streams traces of any size to its file.
    package static let maxInMemoryBytes = 256 << 20

    /// How many bytes of one layer's events are gathered before they are written; a layer with
    /// more is simulated twice, once to count its events and once to stream them.
    package static let layerBufferBytes = 16 << 20

    /// A lower bound of the size of the trace of `workload`, from its folds alone, without
    /// simulating: every fold of a distinct layer writes at least a fetch, a load and a stream
    /// line, the shortest possible being `C dram fetch F A`, `C array load F A` and
    /// `C array stream F A` with one-digit cycle and amount and the fold index F written out
    /// (50 bytes plus three times the digits of F), whatever schedule the mapper picks. Also
    /// returns the layer whose events weigh most. Saturates instead of overflowing.
    package static func minimumSize(spec: HardwareSpec, workload: Workload, patterns: [NMPattern]) -> (bytes: Int, largest: Int?) {
        var seen = Set<String>()
        var total = 0, largest: (index: Int, bytes: Int)?
        let links = LayerLinks.plan(workload, spec: spec)
        for (i, layer) in workload.layers.enumerated() {
            guard case .gemm(let s) = layer.kind else { continue }
            let instances = spec.pipelinedInstances(of: layer)
            guard seen.insert(layerKey(s, patterns[i], instances, links[i])).inserted else { continue }
            let plan = FoldPlan(shape: s, pattern: patterns[i], dataflow: spec.dataflow, rows: spec.rows, columns: spec.columns)
            // The fewest folds any schedule gives: one temporal tile.
            let (tiles, o1) = plan.rowTiles.multipliedReportingOverflow(by: plan.columnTiles)
            let (folds, o2) = tiles.multipliedReportingOverflow(by: instances)
            let bytes = o1 || o2 || folds > 1 << 40 ? Int.max : 50 * folds + 3 * digits(below: folds)
            total = bytes > Int.max - total ? Int.max : total + bytes
            if bytes > largest?.bytes ?? -1 { largest = (i, bytes) }
        }
        return (total, largest?.index)
    }

    /// What makes two GEMM layers' traces identical: shape, pattern, instances and links.
    static func layerKey(_ s: GEMMShape, _ p: NMPattern, _ instances: Int, _ io: LayerIO) -> String {
        "\(s.m)x\(s.n)x\(s.k)/\(p)/\(instances)/\(io)"
    }

    /// The digits written for the integers 0 ..< n.
    static func digits(below n: Int) -> Int {
        var sum = n > 0 ? 1 : 0  // 0 itself
        var low = 1, width = 1
        while low < n {
            let high = low > Int.max / 10 ? n : Swift.min(n, low * 10)
            sum += (high - low) * width
            low = high
            width += 1
        }
        return sum
    }

    /// Refuses a trace that cannot be held in memory, before simulating anything (see
    /// ``maxInMemoryBytes``): a located error naming the workload and its heaviest layer.
    package static func checkInMemorySize(
        spec: HardwareSpec, workload: Workload, patterns: [NMPattern], limit: Int = maxInMemoryBytes
    ) throws(InputError) {
        let (bytes, largest) = minimumSize(spec: spec, workload: workload, patterns: patterns)
        guard bytes > limit else { return }
        throw InputError(
            .data, source: workload.name, location: largest.map { workload.layers[$0].name } ?? "",
            "its trace would take at least \(describe(bytes)), more than the \(describe(limit)) a golden's trace may be; write it with '\(InputRole.streamedTrace.mention) FILE'"
        )
    }

    /// A size in whole MiB (rounded down) from 1 MiB on, in bytes below.
    static func describe(_ bytes: Int) -> String { bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes) bytes" }

    /// Simulates `workload` with `patterns` and returns the trace text; a trace larger than
    /// `limit` bytes is refused, before simulating when its folds already say so.
    package static func record(
        spec: HardwareSpec, workload: Workload, patterns: [NMPattern], limit: Int = maxInMemoryBytes
    ) throws(InputError) -> String {
        try checkInMemorySize(spec: spec, workload: workload, patterns: patterns, limit: limit)
        var text = ""
        try record(spec: spec, workload: workload, patterns: patterns) { (s: String) throws(InputError) in
            text += s
            if text.utf8.count > limit {
                throw InputError(
                    .data, source: workload.name,
                    "its trace is larger than \(describe(limit)), more than a golden's trace may be; write it with '\(InputRole.streamedTrace.mention) FILE'")
            }
        }
        return text
    }

    /// Simulates `workload` with `patterns` and hands the trace text to `emit` as it goes, so a
    /// trace of any size goes to a file in bounded memory.
    package static func record(
        spec: HardwareSpec, workload: Workload, patterns: [NMPattern], layerBuffer: Int = layerBufferBytes,
        emit: (String) throws(InputError) -> Void
    ) throws(InputError) {
        let links = LayerLinks.plan(workload, spec: spec)
        var first: [String: Int] = [:]
        var out = "nmsim-trace \(version)\nspec \(token(spec.name))\nworkload \(token(workload.name))\n"
        for (i, layer) in workload.layers.enumerated() {
            let p = patterns[i]
            switch layer.kind {
            case .vector(let op, let e):
                let c = (LayerLinks.vectorResult(op, elements: e, io: links[i], spec: spec)?.cycles ?? 0) * Int64(layer.count)
                out += "layer \(i) \(token(layer.name)) - count \(layer.count) cycles \(c) events 0\n"
            case .gemm(let s):
                let instances = spec.pipelinedInstances(of: layer)
                let sim = LayerSimulator(spec: spec, io: links[i])
                let key = layerKey(s, p, instances, links[i])
                func line(_ e: TraceEvent) -> String { "\(e.cycle) \(e.action.component) \(e.action.rawValue) \(e.fold) \(e.amount)\n" }
                func simulate(_ sink: ((TraceEvent) -> Void)?) throws(InputError) -> LayerResult {
                    do { return try sim.simulate(s, pattern: p, instances: instances, eventSink: sink) } catch {
                        throw InputError(.data, source: workload.name, location: layer.name, "simulation failed: \(error)")
                    }
                }
                if let j = first[key] {
                    let r = try simulate(nil)
                    let cycles = instances > 1 ? r.cycles : r.cycles * Int64(layer.count)
                    out += "layer \(i) \(token(layer.name)) \(p) count \(layer.count) cycles \(cycles) same \(j)\n"
                } else {
                    first[key] = i
                    // Events are gathered up to a bound; past it they are only counted, and a
                    // second run streams them once the layer's line has announced their number.
                    var events = "", count = 0, overflowed = false
                    let r = try simulate { e in
                        count += 1
                        guard !overflowed else { return }
                        events += line(e)
                        if events.utf8.count > layerBuffer { overflowed = true; events = "" }
                    }
                    let cycles = instances > 1 ? r.cycles : r.cycles * Int64(layer.count)
                    out += "layer \(i) \(token(layer.name)) \(p) count \(layer.count) cycles \(cycles) events \(count)\n"
                    if overflowed {
                        try emit(out)
                        out = ""
                        var failure: InputError?
                        var pending = ""
                        withoutActuallyEscaping(emit) { emitNow in
                            do throws(InputError) {
                                _ = try simulate { e in
                                    guard failure == nil else { return }
                                    pending += line(e)
                                    if pending.utf8.count >= Swift.min(layerBuffer, 1 << 16) {
                                        do throws(InputError) { try emitNow(pending) } catch { failure = error }
                                        pending = ""
                                    }
                                }
                            } catch {
                                failure = failure ?? error
                            }
                        }
                        if let failure { throw failure }
                        out = pending
                    } else {
                        out += events
                    }
                }
            }
            try emit(out)
            out = ""
        }
        try emit(out + "end\n")
    }

    /// The file name `record` gives a trace: `BASE.HASH.trace`, HASH being 16 hex digits of the
    /// 64-bit FNV-1a hash of its content, so a new trace never overwrites the one a golden names.
    package static func fileName(base: String, content: String) -> String {
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
    package static func parse(_ text: String, source: String) throws(InputError) -> (header: [String: String], layers: [LayerTrace]) {
        try parse(lines: TextLines.useful(text, source: source), source: source)
    }

    /// Parses a trace from its non-blank lines (``TextLines``).
    package static func parse(lines numbered: [TextLine], source: String) throws(InputError) -> (header: [String: String], layers: [LayerTrace]) {
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
    package static func events(_ layers: [LayerTrace], _ i: Int) -> [String] {
        layers[i].events ?? layers[layers[i].sameAs!].events ?? []
    }
}
