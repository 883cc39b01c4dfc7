/// A number as SCALE-Sim's reports print it: a Python int, or a Python float in its shortest
/// round-trip form (`33.0`, `0.21993214622369472`).
package enum PyNumber: Equatable, Sendable, CustomStringConvertible {
    case int(Int64)
    case float(Double)

    package var description: String {
        switch self {
        case .int(let v): return String(v)
        case .float(let v): return v.description
        }
    }

    package var value: Double {
        switch self {
        case .int(let v): return Double(v)
        case .float(let v): return v
        }
    }
}

/// One layer's rows of SCALE-Sim's four reports, in their column order (after `LayerID`).
package struct SCALESimLayerItems: Equatable, Sendable {
    /// Total Cycles (incl. prefetch), Total Cycles, Stall Cycles, Overall Util %, Mapping
    /// Efficiency %, Compute Util %.
    package var compute: [PyNumber]
    /// Average SRAM and DRAM bandwidths (with the filter metadata column when sparsity is on).
    package var bandwidth: [PyNumber]
    /// Start cycle, stop cycle and count of SRAM and DRAM accesses per operand.
    package var detail: [PyNumber]
    /// Original filter storage, storage with metadata, metadata storage, metadata bandwidth
    /// (nil when sparsity is off).
    package var sparse: [PyNumber]?
}

/// SCALE-Sim 3.0.0's CALC-mode run of one layer, replayed address by address: the operand
/// matrices its compute model builds (im2col addresses, N:M pruning), the per-cycle demand of
/// each fold (skewed as its systolic arrays skew them), its estimate-bandwidth read buffers
/// (distinct addresses grouped into sets of 1 % of the buffer, prefetched one half-buffer
/// ahead) and its write buffer (drained half a buffer at a time at `ArrayWidth` words a cycle).
/// Every value of its reports follows from these, so they are reproduced exactly.
package struct SCALESimReplay: Sendable {
    package let spec: HardwareSpec
    let settings: SCALESimSettings

    package init?(spec: HardwareSpec) {
        guard let s = spec.scaleSim, spec.timing == .scaleSim else { return nil }
        self.spec = spec
        settings = s
    }

    package enum Failure: Error, Equatable, Sendable {
        case notReproduced(String)
    }

    /// A layer result from the cycle model, restated with SCALE-Sim's USER-mode timing: its
    /// total and stall cycles come from the replay (the cycle model has no USER-mode stalls).
    package func restated(_ r: LayerResult, layer: Layer, pattern: NMPattern) throws(InputError) -> LayerResult {
        let items: SCALESimLayerItems
        do { items = try run(layer, pattern: pattern) } catch {
            guard case .notReproduced(let why) = error else { return r }
            throw InputError(.data, source: layer.name, why)
        }
        guard case .int(let total) = items.compute[1], case .int(let stalls) = items.compute[2] else { return r }
        var r = r
        let count = Int64(layer.count)
        r.cycles = total * count
        r.stalls.memory = stalls * count
        return r
    }

    /// The largest number of demand entries replayed for one layer.
    package static let maxEntries: Int64 = 1 << 33

    /// One layer's report rows.
    package func run(_ layer: Layer, pattern: NMPattern) throws(Failure) -> SCALESimLayerItems {
        guard let shape = layer.shape else { throw .notReproduced("\(layer.name) is not a GEMM") }
        if case let .rowWise(block, _) = settings.sparsity, (2 * spec.rows) % block != 0 {
            // SCALE-Sim's row-wise input skew builds ragged rows then, which numpy refuses.
            throw .notReproduced("row-wise mode with BlockSize \(block) not dividing 2 × ArrayHeight (\(2 * spec.rows)) does not run in SCALE-Sim")
        }
        let conv =
            layer.convolution
            ?? Convolution(
                ifmapHeight: shape.m, ifmapWidth: shape.k, filterHeight: 1, filterWidth: shape.k,
                channels: 1, filters: shape.n, stride: 1)
        let ops = Operands(
            conv: conv, pattern: settings.sparsity == .layerWise ? pattern : .dense, settings: settings,
            topologyM: layer.pattern?.m ?? 1)
        var run = LayerRun(spec: spec, settings: settings, ops: ops)
        let entries = Int64(run.lines) * Int64(run.widths.ifmap + run.widths.filter + run.widths.ofmap)
        guard entries <= Self.maxEntries else { throw .notReproduced("\(layer.name): \(entries) demand entries are too many to replay") }
        guard let items = run.items() else {
            throw .notReproduced("\(layer.name): a request is missing from SCALE-Sim's USER-mode prefetch order, so SCALE-Sim would never finish this layer")
        }
        return items
    }
}

/// The operand matrices of one layer, as SCALE-Sim's `operand_matrix` builds them.
struct Operands {
    let conv: Convolution
    let pattern: NMPattern
    let settings: SCALESimSettings
    /// The topology's M (SCALE-Sim's ELLPACK metadata width uses it even when pruning is off).
    let topologyM: Int
    let pixels: Int
    let window: Int
    let filters: Int
    /// Original window columns kept by layer-wise pruning, in order.
    let keptColumns: [Int]
    /// Rows of the condensed filter matrix.
    let filterRows: Int
    /// Row-wise mode: BlockSize and each weight column's N.
    let rowWise: (block: Int, columnNs: [Int])?

    init(conv: Convolution, pattern: NMPattern, settings: SCALESimSettings, topologyM: Int) {
        self.conv = conv
        self.pattern = pattern
        self.settings = settings
        self.topologyM = topologyM
        pixels = conv.outputHeight * conv.outputWidth
        window = conv.filterHeight * conv.filterWidth * conv.channels
        filters = conv.filters
        if let rw = SCALESimRowWise(settings) {
            keptColumns = Array(0..<window)
            rowWise = (rw.blockSize, rw.columnNs(conv.filters))
            filterRows = rw.rows(k: window)
        } else if settings.sparsity == .layerWise {
            keptColumns = (0..<window).filter { $0 % pattern.m < pattern.n }
            filterRows = pattern.keptLength(window)
            rowWise = nil
        } else {
            keptColumns = Array(0..<window)
            filterRows = window
            rowWise = nil
        }
    }

    var ifmapColumns: Int { keptColumns.count }

    /// im2col address of pixel `i`, window column `j` (−1 past the input's edge).
    func ifmap(_ i: Int, _ jj: Int) -> Int {
        let j = keptColumns[jj]
        let (orow, ocol) = (i / conv.outputWidth, i % conv.outputWidth)
        let (ir, ic) = (orow * conv.stride, ocol * conv.stride)
        let ch = conv.channels
        let (cr, rest) = (j / (conv.filterWidth * ch), j % (conv.filterWidth * ch))
        let (cc, cch) = (rest / ch, rest % ch)
        guard cr + ir < conv.ifmapHeight, cc + ic < conv.ifmapWidth else { return -1 }
        return (cr * conv.ifmapWidth + cc) * ch + cch + (ir * conv.ifmapWidth + ic) * ch + settings.ifmapOffset
    }

    /// Address of condensed filter row `r`, filter `c` (0 where a block had fewer than N weights).
    func filter(_ r: Int, _ c: Int) -> Int {
        let base = settings.filterOffset + c * window
        if let rowWise { return rowWiseFilter(r, c, base: base, block: rowWise.block, n: rowWise.columnNs[c]) }
        guard settings.sparsity == .layerWise else { return base + r }
        let (block, index) = (r / pattern.n, r % pattern.n)
        let first = block * pattern.m
        var count = min(pattern.n, window - first)
        // Address 0 counts as pruned: column 0's first block loses it.
        if base + first == 0 {
            count -= 1
            return index < count ? base + first + index + 1 : 0
        }
        return index < count ? base + first + index : 0
    }

    func ofmap(_ i: Int, _ c: Int) -> Int { settings.ofmapOffset + filters * i + c }

    /// Row-wise: every two blocks of B weights are packed into 2·⌊B/2⌋ slots, each block's kept
    /// weights first; an empty slot is a null request (−1), except that SCALE-Sim leaves the
    /// very first slot at address 0 when that is what it holds.
    func rowWiseFilter(_ r: Int, _ c: Int, base: Int, block: Int, n: Int) -> Int {
        let half = block / 2
        let pairs = filterRows / block
        guard r < pairs * 2 * half else { return -1 }
        let (pair, slot) = (r / (2 * half), r % (2 * half))
        let start = pair * 2 * block + (slot >= half ? block : 0)
        let index = slot % half
        var count = min(n, max(0, window - start))
        if base + start == 0 {
            count -= 1
            if index < count { return base + start + index + 1 }
            return r == 0 ? 0 : -1
        }
        return index < count ? base + start + index : -1
    }
}

/// One layer replayed through SCALE-Sim's compute and memory models.
struct LayerRun {
    let spec: HardwareSpec
    let settings: SCALESimSettings
    let ops: Operands
    let height: Int, width: Int
    let dataflow: Dataflow
    /// Folds in SCALE-Sim's order: column folds outer, row folds inner.
    let rowFolds: Int, colFolds: Int
    /// Demand lines of one fold.
    let foldLines: Int
    /// T: the streamed extent.
    let stream: Int
    var lines: Int { rowFolds * colFolds * foldLines }
    let widths: (ifmap: Int, filter: Int, ofmap: Int)

    init(spec: HardwareSpec, settings: SCALESimSettings, ops: Operands) {
        self.spec = spec
        self.settings = settings
        self.ops = ops
        height = spec.rows
        width = spec.columns
        dataflow = spec.dataflow
        switch dataflow {
        case .weightStationary:
            stream = ops.pixels
            rowFolds = (ops.filterRows + height - 1) / height
            colFolds = (ops.filters + width - 1) / width
            foldLines = 2 * height + width + stream - 2
            // Row-wise: each line offers every weight row two tiles of inputs, block by block.
            let rows = height
            widths = (ops.rowWise.map { 2 * rows / $0.block * ($0.block / 2) * $0.block } ?? height, width, width)
        case .outputStationary:
            stream = ops.ifmapColumns
            rowFolds = (ops.pixels + height - 1) / height
            colFolds = (ops.filters + width - 1) / width
            foldLines = stream + height + width - 2
            widths = (height, width, width)
        case .inputStationary:
            stream = ops.filters
            rowFolds = (ops.ifmapColumns + height - 1) / height
            colFolds = (ops.pixels + width - 1) / width
            foldLines = 2 * height + width + stream - 2
            widths = (width, height, width)
        }
    }

    /// Row-wise input demand: after R idle lines, line R + i offers, for each of the
    /// 2R/B blocks of the fold's 2R input columns repeated ⌊B/2⌋ times, the block of input row
    /// i − j (j: the repeated block's index), as SCALE-Sim's row-wise skew lays them out.
    func rowWiseInputs(fold fr: Int, line t: Int, block: Int, into out: inout [Int]) {
        let i = t - height
        let copies = block / 2
        let first = fr * 2 * height, end = min(first + 2 * height, ops.ifmapColumns)
        var x = 0
        for j in 0..<(2 * height / block * copies) {
            let row = i - j
            let start = first + (j / copies) * block
            for e in 0..<block {
                let k = start + e
                out[x] = i >= 0 && i < stream + height - 1 && row >= 0 && row < stream && k < end ? ops.ifmap(row, k) : -1
                x += 1
            }
        }
    }

    /// The fold's (row fold, column fold) for fold index f.
    func fold(_ f: Int) -> (fr: Int, fc: Int) { (f % rowFolds, f / rowFolds) }

    /// Row `t` of fold `f`'s demand for each operand, written into the buffers (−1: no request).
    func demand(fold f: Int, line t: Int, ifmap: inout [Int], filter: inout [Int], ofmap: inout [Int]) {
        let (fr, fc) = fold(f)
        switch dataflow {
        case .weightStationary:
            let kEnd = min(fr * height + height, ops.ifmapColumns), fEnd = min(fr * height + height, ops.filterRows)
            if let rw = ops.rowWise {
                rowWiseInputs(fold: fr, line: t, block: rw.block, into: &ifmap)
            } else {
                for c in 0..<height {
                    let j = t - c - height, k = fr * height + c
                    ifmap[c] = j >= 0 && j < stream && k < kEnd ? ops.ifmap(j, k) : -1
                }
            }
            for c in 0..<width {
                let r = fr * height + (height - 1 - t), n = fc * width + c
                filter[c] = t < height && r < fEnd && n < ops.filters ? ops.filter(r, n) : -1
                let j = t - c - (2 * height - 1)
                ofmap[c] = j >= 0 && j < stream && n < ops.filters ? ops.ofmap(j, n) : -1
            }
        case .outputStationary:
            for c in 0..<height {
                let j = t - c, p = fr * height + c
                ifmap[c] = j >= 0 && j < stream && p < ops.pixels ? ops.ifmap(p, j) : -1
            }
            for c in 0..<width {
                let j = t - c, n = fc * width + c
                filter[c] = j >= 0 && j < stream && n < ops.filters ? ops.filter(j, n) : -1
                let b = j - (stream - 1), p = fr * height + (height - 1 - b)
                ofmap[c] = b >= 0 && b < height && p < ops.pixels && n < ops.filters ? ops.ofmap(p, n) : -1
            }
        case .inputStationary:
            for c in 0..<width {
                let k = fr * height + (height - 1 - t), p = fc * width + c
                ifmap[c] = t < height && k < ops.ifmapColumns && p < ops.pixels ? ops.ifmap(p, k) : -1
                let j = t - c - (2 * height - 1)
                ofmap[c] = j >= 0 && j < stream && p < ops.pixels ? ops.ofmap(p, j) : -1
            }
            for c in 0..<height {
                let j = t - c - height, k = fr * height + c
                filter[c] = j >= 0 && j < stream && k < ops.filterRows ? ops.filter(k, j) : -1
            }
        }
    }

    /// The order SCALE-Sim's compute model prefetches each operand in (USER mode): the folds'
    /// operand tiles stacked, read along anti-diagonals where the array skews them.
    func prefetchOrders() -> (ifmap: [Int], filter: [Int]) {
        func matrix(rows: Int, cols: Int, diagonal: Bool, _ at: (Int, Int) -> Int) -> [Int] {
            var out: [Int] = []
            out.reserveCapacity(rows * cols)
            if !diagonal {
                for r in 0..<rows { for c in 0..<cols { out.append(at(r, c)) } }
                return out
            }
            for d in 0..<(rows + cols) {
                var r = min(d, rows - 1)
                while r >= max(0, d - cols + 1) { out.append(at(r, d - r)); r -= 1 }
            }
            return out
        }
        let kc = ops.ifmapColumns, kf = ops.filterRows, n = ops.filters, p = ops.pixels
        switch dataflow {
        case .weightStationary:
            let folds = (kc + height - 1) / height
            return (
                matrix(rows: folds * stream, cols: height, diagonal: true) { r, c in
                    let k = (r / stream) * height + c
                    return k < kc ? ops.ifmap(r % stream, k) : -1
                },
                matrix(rows: colFolds * kf, cols: width, diagonal: false) { r, c in
                    let j = (r / kf) * width + c
                    return j < n ? ops.filter(r % kf, j) : -1
                }
            )
        case .outputStationary:
            return (
                matrix(rows: rowFolds * stream, cols: height, diagonal: true) { r, c in
                    let i = (r / stream) * height + c
                    return i < p ? ops.ifmap(i, r % stream) : -1
                },
                matrix(rows: colFolds * stream, cols: width, diagonal: true) { r, c in
                    let j = (r / stream) * width + c
                    return j < n ? ops.filter(r % stream, j) : -1
                }
            )
        case .inputStationary:
            return (
                matrix(rows: colFolds * kc, cols: width, diagonal: false) { r, c in
                    let i = (r / kc) * width + c
                    return i < p ? ops.ifmap(i, r % kc) : -1
                },
                matrix(rows: rowFolds * stream, cols: height, diagonal: true) { r, c in
                    let k = (r / stream) * height + c
                    return k < kf ? ops.filter(k, r % stream) : -1
                }
            )
        }
    }

    mutating func items() -> SCALESimLayerItems? {
        let sparse = settings.sparsity != .off
        // Compute-side counters and per-fold efficiencies, in SCALE-Sim's order.
        var ifmapReads: PyNumber = .int(0), filterReads: Int64 = 0, ofmapWrites: Int64 = 0
        var mapping = 0.0, utilisation = 0.0
        let pes = height * width
        for f in 0..<(rowFolds * colFolds) {
            let (fr, fc) = fold(f)
            let used: (rows: Int, cols: Int)
            switch dataflow {
            case .weightStationary:
                let w = min(fr * height + height, ops.ifmapColumns) - fr * height
                let n = min(fc * width + width, ops.filters) - fc * width
                let h = min(fr * height + height, ops.filterRows) - fr * height
                let reads = Int64(stream * w)
                if ops.rowWise != nil {
                    if case .int(let v) = ifmapReads { ifmapReads = .int(v + Int64((stream + height - 1) * widths.ifmap)) }
                } else if sparse {
                    ifmapReads = .float(ifmapReads.value + Double(reads) * (Double(ops.pattern.m) / Double(ops.pattern.n)))
                } else if case .int(let v) = ifmapReads {
                    ifmapReads = .int(v + reads)
                }
                filterReads += Int64(h * n)
                ofmapWrites += Int64(stream * n)
                used = (min(height, h), min(width, n))
                // Null requests (−1) in the fold's weights do not count as mapped.
                var mapped = used.rows * used.cols
                if ops.rowWise != nil {
                    mapped = 0
                    for r in (fr * height)..<(fr * height + h) { for c in (fc * width)..<(fc * width + n) where ops.filter(r, c) != -1 { mapped += 1 } }
                }
                mapping += Double(pes - (pes - mapped)) / Double(pes)
                utilisation += Double(used.rows * used.cols * stream) / Double(pes * (2 * height + 2 * width + stream - 3))
            case .outputStationary:
                let h = min(fr * height + height, ops.pixels) - fr * height
                let w = min(fc * width + width, ops.filters) - fc * width
                if case .int(let v) = ifmapReads { ifmapReads = .int(v + Int64(stream * h)) }
                filterReads += Int64(stream * w)
                ofmapWrites += Int64(h * w + height + width)
                used = (h, w)
                mapping += Double(used.rows * used.cols) / Double(pes)
                utilisation += Double(used.rows * used.cols * stream) / Double(pes * (stream - 1 + height + width - 1))
            case .inputStationary:
                let h = min(fr * height + height, ops.ifmapColumns) - fr * height
                let w = min(fc * width + width, ops.pixels) - fc * width
                if case .int(let v) = ifmapReads { ifmapReads = .int(v + Int64(h * w)) }
                filterReads += Int64(stream * h)
                ofmapWrites += Int64(stream * w)
                used = (h, w)
                mapping += Double(used.rows * used.cols) / Double(pes)
                utilisation += Double(used.rows * used.cols * stream) / Double(pes * (2 * height + 2 * width + stream - 3))
            }
        }

        // The memory model, line by line.
        if let user = settings.userBandwidth {
            let orders = prefetchOrders()
            return memory(
                UserReadBuffer(totalElements: spec.ifmap.capacityBytes, bandwidth: user.ifmap, prefetchOrder: orders.ifmap),
                UserReadBuffer(totalElements: spec.filter.capacityBytes, bandwidth: user.filter, prefetchOrder: orders.filter),
                SCALESimWriteBuffer(totalElements: spec.ofmap.capacityBytes, bandwidth: user.ofmap),
                counters: (ifmapReads, filterReads, ofmapWrites, mapping, utilisation))
        }
        return memory(
            EstimateReadBuffer(totalElements: spec.ifmap.capacityBytes, bandwidth: 10),
            EstimateReadBuffer(totalElements: spec.filter.capacityBytes, bandwidth: 10),
            SCALESimWriteBuffer(totalElements: spec.ofmap.capacityBytes, bandwidth: width),
            counters: (ifmapReads, filterReads, ofmapWrites, mapping, utilisation))
    }

    /// Replays the demand through the buffers and assembles the report rows.
    func memory<B: ReplayReadBuffer>(
        _ ifmapBuffer: B, _ filterBuffer: B, _ ofmapBuffer: SCALESimWriteBuffer,
        counters: (PyNumber, Int64, Int64, Double, Double)
    ) -> SCALESimLayerItems? {
        var (ifmapBuffer, filterBuffer, ofmapBuffer) = (ifmapBuffer, filterBuffer, ofmapBuffer)
        let (ifmapReads, filterReads, ofmapWrites, mapping, utilisation) = counters
        let sparse = settings.sparsity != .off
        let pes = height * width
        let folds = Double(rowFolds * colFolds)
        var ifmapRow = [Int](repeating: -1, count: widths.ifmap)
        var filterRow = [Int](repeating: -1, count: widths.filter)
        var ofmapRow = [Int](repeating: -1, count: widths.ofmap)
        var stalls = 0
        var sramIfmap = (first: Int.min, last: 0), sramFilter = (first: Int.min, last: 0), sramOfmap = (first: Int.min, last: 0)
        var lastOfmapCycle = 0, maxOfmapCycle = Int.min
        var line = 0
        for f in 0..<(rowFolds * colFolds) {
            for t in 0..<foldLines {
                demand(fold: f, line: t, ifmap: &ifmapRow, filter: &filterRow, ofmap: &ofmapRow)
                let cycle = line + stalls
                let ifmapOut = ifmapBuffer.serve(ifmapRow, cycle: cycle)
                if ifmapRow.contains(where: { $0 != -1 }) {
                    if sramIfmap.first == Int.min { sramIfmap.first = ifmapOut }
                    sramIfmap.last = ifmapOut
                }
                let filterOut = filterBuffer.serve(filterRow, cycle: cycle)
                if filterRow.contains(where: { $0 != -1 }) {
                    if sramFilter.first == Int.min { sramFilter.first = filterOut }
                    sramFilter.last = filterOut
                }
                let (out, any) = ofmapBuffer.serve(ofmapRow, cycle: cycle)
                if any {
                    if sramOfmap.first == Int.min { sramOfmap.first = out }
                    sramOfmap.last = out
                }
                lastOfmapCycle = out
                maxOfmapCycle = max(maxOfmapCycle, out)
                // SCALE-Sim adds the largest of the three delays (reads less their hit latency).
                stalls += max(ifmapOut - cycle - 1, filterOut - cycle - 1, out - cycle)
                line += 1
            }
        }
        if ifmapBuffer.stuck || filterBuffer.stuck { return nil }
        ifmapBuffer.completeAllPrefetches()
        filterBuffer.completeAllPrefetches()
        ofmapBuffer.emptyAllBuffers(cycle: lastOfmapCycle)
        if sramIfmap.first == Int.min { sramIfmap.first = 0 }
        if sramFilter.first == Int.min { sramFilter.first = 0 }
        if sramOfmap.first == Int.min { sramOfmap.first = 0 }

        let totalCycles = maxOfmapCycle
        let total = Double(totalCycles)
        let ifmapDRAM = ifmapBuffer.startStop, filterDRAM = filterBuffer.startStop, ofmapDRAM = ofmapBuffer.startStop
        let overall = ofmapDRAM.stop - min(ifmapDRAM.start, filterDRAM.start)

        // SPARSE_REPORT: storage of the filter and of its metadata.
        var sparseItems: [PyNumber]?
        var metadataReads: PyNumber = .int(0)
        if sparse {
            let original = Int64(ops.window) * Int64(ops.filters)
            let nonzeros =
                ops.rowWise.map { rw in rw.columnNs.reduce(Int64(0)) { $0 + Int64((ops.window / rw.block) * $1 + min($1, ops.window % rw.block)) } }
                ?? Int64(ops.pattern.keptLength(ops.window)) * Int64(ops.filters)
            let newStorage: PyNumber, metadata: PyNumber
            switch settings.sparseRepresentation {
            case "csr":
                newStorage = .int(2 * nonzeros + Int64(ops.window) + 1); metadata = .int(nonzeros + Int64(ops.window) + 1)
            case "csc":
                newStorage = .int(2 * nonzeros + Int64(ops.filters) + 1); metadata = .int(nonzeros + Int64(ops.filters) + 1)
            default:
                let cells = Int64(ops.filterRows) * Int64(ops.filters)
                let bits = Int64(ops.topologyM > 1 ? Int64.bitWidth - (Int64(ops.topologyM) - 1).leadingZeroBitCount : 0)
                let m = Double(cells * bits) / 32
                newStorage = .float(Double(cells) + m); metadata = .float(m)
            }
            metadataReads = metadata
            sparseItems = [.int(original), newStorage, metadata, .float(metadata.value / total)]
        }

        let compute: [PyNumber] = [
            .int(Int64(overall)), .int(Int64(totalCycles)), .int(Int64(stalls)),
            .float(Double(Int64(ops.pixels) * Int64(ops.filters) * Int64(ops.window) * 100) / (total * Double(pes))),
            .float(mapping / folds * 100), .float(utilisation / folds * 100),
        ]
        let ifmapDRAMBW = Double(ifmapBuffer.accesses) / Double(ifmapDRAM.stop - ifmapDRAM.start + 1)
        let filterDRAMBW = Double(filterBuffer.accesses) / Double(filterDRAM.stop - filterDRAM.start + 1)
        let ofmapDRAMBW = Double(ofmapBuffer.accesses) / Double(ofmapDRAM.stop - ofmapDRAM.start + 1)
        var bandwidth: [PyNumber] = [.float(ifmapReads.value / total), .float(Double(filterReads) / total)]
        if sparse { bandwidth.append(.float(metadataReads.value / total)) }
        bandwidth += [.float(Double(ofmapWrites) / total), .float(ifmapDRAMBW), .float(filterDRAMBW), .float(ofmapDRAMBW)]
        let detail: [PyNumber] = [
            .float(Double(sramIfmap.first)), .float(Double(sramIfmap.last)), ifmapReads,
            .float(Double(sramFilter.first)), .float(Double(sramFilter.last)), .int(filterReads),
            .float(Double(sramOfmap.first)), .float(Double(sramOfmap.last)), .int(ofmapWrites),
            .float(Double(ifmapDRAM.start)), .float(Double(ifmapDRAM.stop)), .int(ifmapBuffer.accesses),
            .float(Double(filterDRAM.start)), .float(Double(filterDRAM.stop)), .int(filterBuffer.accesses),
            .float(Double(ofmapDRAM.start)), .float(Double(ofmapDRAM.stop)), .int(ofmapBuffer.accesses),
        ]
        return SCALESimLayerItems(compute: compute, bandwidth: bandwidth, detail: detail, sparse: sparseItems)
    }
}

/// A read buffer of the replay: serves a line of requests, then finishes its fetches.
protocol ReplayReadBuffer {
    /// Serves one line of requests arriving at `cycle`; returns the cycle it is served.
    mutating func serve(_ line: [Int], cycle: Int) -> Int
    mutating func completeAllPrefetches()
    /// Whether a request could never be served (SCALE-Sim would not finish).
    var stuck: Bool { get }
    var accesses: Int64 { get }
    var startStop: (start: Int, stop: Int) { get }
}

/// SCALE-Sim's read buffer in CALC (estimate-bandwidth) mode. Requested addresses that miss
/// the active half are collected into sets of 1 % of the buffer; when the sets fill the active
/// half, the half is fetched before the first request, and every later half is fetched over
/// the cycles the previous half was in use. Only counts and cycles are kept: SCALE-Sim's DRAM
/// report needs no addresses.
struct EstimateReadBuffer: ReplayReadBuffer {
    let stuck = false
    let itemsPerSet: Int
    let activeSets = 50, prefetchSets = 50
    let defaultBandwidth: Int
    let latency = 1
    /// Set ids each address was collected into, oldest first.
    var sets: [Int: [Int32]] = [:]
    var setSizes: [Int] = []
    var currentSet = 0, currentCount = 0
    var readStart = 0, readEnd = 49
    var prefetchStart = -1, prefetchEnd = -1
    var lastStart = -2, lastEnd = -1
    var firstRequestCycle = 0, firstSeen = false, activeDone = false
    var accesses: Int64 = 0
    var traceFirst: Int?, traceLast = 0
    var numActiveSets = 50

    init(totalElements: Int, bandwidth: Int) {
        itemsPerSet = totalElements / 100
        defaultBandwidth = bandwidth
    }

    /// Serves one line of requests; returns the cycle it is served (never late in CALC mode).
    mutating func serve(_ line: [Int], cycle: Int) -> Int {
        for a in line where a != -1 {
            if !firstSeen { firstSeen = true; firstRequestCycle = cycle }
            request(a, cycle: cycle)
        }
        return cycle + latency
    }

    func hit(_ a: Int) -> Bool {
        let end = min(currentSet, readEnd + 1)
        guard readStart < end, let ids = sets[a] else { return false }
        for id in ids.reversed() {
            if id < readStart { return false }
            if id < end { return true }
        }
        return false
    }

    mutating func request(_ a: Int, cycle: Int) {
        if hit(a) { return }
        if let ids = sets[a], ids.last == Int32(currentSet) { return }
        sets[a, default: []].append(Int32(currentSet))
        currentCount += 1
        guard currentCount == itemsPerSet else { return }
        setSizes.append(currentCount)
        currentCount = 0
        currentSet += 1
        guard currentSet == readEnd + 1 else { return }
        if !activeDone {
            lastEnd = firstRequestCycle - 1 - latency
            let needed = (prefetchSets * itemsPerSet + defaultBandwidth - 1) / defaultBandwidth
            lastStart = lastEnd - needed + 1
            fetch(sets: 0..<numActiveSets)
            prefetchStart = readEnd + 1
            prefetchEnd = prefetchStart + prefetchSets - 1
            activeDone = true
        } else {
            fetch(sets: prefetchStart..<(prefetchEnd + 1))
            prefetchStart += prefetchSets
            prefetchEnd += prefetchSets
        }
        // The sets now behind the active half are forgotten.
        readStart += prefetchSets
        readEnd += prefetchSets
        lastStart = lastEnd + 1
        lastEnd = cycle
    }

    /// Records a fetch of `range` over lastStart...lastEnd (its trace rows).
    mutating func fetch(sets range: Range<Int>) {
        for id in range where id < setSizes.count { accesses += Int64(setSizes[id]) }
        let rows = lastEnd - lastStart + 1
        if traceFirst == nil { traceFirst = lastStart + latency }
        if rows > 0 { traceLast = lastStart + rows - 1 + latency }
    }

    mutating func completeAllPrefetches() {
        if currentCount > 0 { setSizes.append(currentCount) } else { currentSet -= 1 }
        if !activeDone {
            lastEnd = -1 - latency
            numActiveSets = currentSet + 1
            let needed = (numActiveSets * itemsPerSet + defaultBandwidth - 1) / defaultBandwidth
            lastStart = lastEnd - needed + 1
            fetch(sets: 0..<max(numActiveSets, 0))
            activeDone = true
        } else {
            prefetchEnd = currentSet
            fetch(sets: prefetchStart..<max(prefetchStart, currentSet + 1))
        }
    }

    var startStop: (start: Int, stop: Int) { (traceFirst ?? 0, traceLast) }
}

/// SCALE-Sim's output write buffer: outputs fill lines of `bandwidth` words; once the active
/// half is full, half a buffer of lines drains to DRAM, one line a cycle, and a write that
/// finds the buffer full waits for the drain to end.
struct SCALESimWriteBuffer {
    let total: Int
    let drainSize: Int
    let bandwidth: Int
    let maxCacheLines = 1024
    var freeSpace: Int
    /// Words in each line moved to the trace (drainable), and those still cached.
    var traceLines: [Int] = []
    var cacheLines: [Int] = []
    var lineFill = 0
    var drainStartLine = 0
    var drainEndCycle = 0
    var accesses: Int64 = 0
    var cyclesMin = Int.max, cyclesMax = Int.min

    init(totalElements: Int, bandwidth: Int) {
        total = totalElements
        let active = (totalElements + 1) / 2
        drainSize = totalElements - active
        self.bandwidth = bandwidth
        freeSpace = totalElements
    }

    mutating func store() {
        lineFill += 1
        freeSpace -= 1
        if lineFill == bandwidth {
            cacheLines.append(lineFill)
            lineFill = 0
            if cacheLines.count >= maxCacheLines { flush(force: false) }
        }
    }

    mutating func flush(force: Bool) {
        if force, lineFill > 0 {
            cacheLines.append(lineFill)
            lineFill = 0
        }
        traceLines += cacheLines
        cacheLines.removeAll(keepingCapacity: true)
    }

    /// Serves one line of writes arriving at `cycle`; returns the cycle it is done and whether
    /// it held any write.
    mutating func serve(_ line: [Int], cycle: Int) -> (Int, Bool) {
        var current = cycle
        var any = false
        for a in line where a != -1 {
            any = true
            store()
            if current < drainEndCycle {
                if freeSpace <= 0 { current = drainEndCycle }
            } else if freeSpace < total - drainSize {
                flush(force: true)
                drainEndCycle = drain(from: current)
            }
        }
        return (current, any)
    }

    mutating func drain(from start: Int) -> Int {
        let lines = (drainSize + bandwidth - 1) / bandwidth
        let end = min(drainStartLine + lines, traceLines.count)
        let count = end - drainStartLine
        guard count > 0 else { return start }
        let words = count * bandwidth - (bandwidth - traceLines[end - 1])
        accesses += Int64(words)
        cyclesMin = min(cyclesMin, start)
        cyclesMax = max(cyclesMax, start + count - 1)
        freeSpace += words
        drainStartLine = end
        return start + count - 1
    }

    mutating func emptyAllBuffers(cycle: Int) {
        flush(force: true)
        var c = cycle
        while drainStartLine < traceLines.count {
            drainEndCycle = drain(from: c)
            c = drainEndCycle + 1
        }
    }

    var startStop: (start: Int, stop: Int) { (cyclesMin == .max ? 0 : cyclesMin, cyclesMax == .min ? 0 : cyclesMax) }
}

/// SCALE-Sim's read buffer in USER mode. The operand's prefetch matrix (the order its compute
/// model fetches it in) is cut into sets of 1 % of the buffer; the active half holds a window of
/// sets, and a request that misses it moves the window on by a prefetch half, fetched at
/// `bandwidth` words a cycle. The request then waits for that fetch, and SCALE-Sim adds the
/// wait to the line's delay once unconditionally and once more when it is positive (and
/// subtracts it when the fetch was already done), which is what its stall counts show.
struct UserReadBuffer: ReplayReadBuffer {
    let bandwidth: Int
    let latency = 1
    let activeSize: Int, prefetchSize: Int
    /// Lines of the fetch matrix (the prefetch order in rows of `bandwidth` words).
    let fetchLines: Int
    /// Set ids (ascending) of each address in the hashed buffer.
    var sets: [Int: [Int32]] = [:]
    let setCount: Int
    let activeLines: Int, prefetchLines: Int
    var activeStart = 0, activeEnd = 0
    var activeFull = false
    var lastPrefetchCycle = -1
    var nextLine = 0, nextColumn = 0
    var accesses: Int64 = 0
    var traceMin = Int.max, traceMax = Int.min
    var stuck = false

    init(totalElements: Int, bandwidth: Int, prefetchOrder: [Int]) {
        self.bandwidth = bandwidth
        activeSize = (totalElements + 1) / 2
        prefetchSize = totalElements - activeSize
        fetchLines = max(1, (prefetchOrder.count + bandwidth - 1) / bandwidth)
        let perSet = (totalElements + 99) / 100
        var id = 0, counted = 0
        for a in prefetchOrder where a != -1 {
            if sets[a]?.last != Int32(id) { sets[a, default: []].append(Int32(id)) }
            counted += 1
            if counted >= perSet { id += 1; counted = 0 }
        }
        setCount = id + 1
        activeLines = min(setCount, (activeSize + perSet - 1) / perSet)
        prefetchLines = min(setCount - activeLines, (prefetchSize + perSet - 1) / perSet)
        activeEnd = activeLines
    }

    func hit(_ a: Int) -> Bool {
        guard let ids = sets[a] else { return false }
        if activeStart < activeEnd { return ids.contains { Int($0) >= activeStart && Int($0) < activeEnd } }
        return ids.contains { Int($0) >= activeStart || Int($0) < activeEnd }
    }

    mutating func record(_ first: Int, _ count: Int) {
        guard count > 0 else { return }
        traceMin = min(traceMin, first)
        traceMax = max(traceMax, first + count - 1)
    }

    mutating func prefetchActive(start: Int) {
        var lines = (activeSize + bandwidth - 1) / bandwidth
        if lines >= fetchLines { lines = fetchLines }
        let requested = lines * bandwidth
        accesses += Int64(requested)
        nextColumn = requested > activeSize ? activeSize % bandwidth : 0
        // Requests at start − lines + i − latency, answered one latency later: the half is in
        // by the cycle before the first request.
        record(start - lines, lines)
        lastPrefetchCycle = start - 1
        activeFull = true
        nextLine = (requested > activeSize ? lines : lines + 1) % fetchLines
    }

    mutating func newPrefetch() {
        activeStart = (activeStart + prefetchLines) % setCount
        activeEnd = (activeStart + activeLines) % setCount
        let lines = (prefetchSize + bandwidth - 1) / bandwidth
        let requested = lines * bandwidth
        accesses += Int64(requested)
        record(lastPrefetchCycle + 1 + latency, lines)
        if lines > 0 { lastPrefetchCycle += lines + latency }
        nextLine = (requested > activeSize ? lines : lines + 1) % fetchLines
    }

    /// Serves one line arriving at `cycle`; returns the cycle it is served.
    mutating func serve(_ line: [Int], cycle: Int) -> Int {
        if !activeFull { prefetchActive(start: cycle) }
        var offset = latency
        for a in line where a != -1 {
            // An address the prefetch order lacks would make SCALE-Sim fetch forever.
            guard sets[a] != nil else { stuck = true; continue }
            while !hit(a) {
                newPrefetch()
                let wait = lastPrefetchCycle - (cycle + offset)
                offset += wait
                if wait > 0 { offset += wait }
            }
        }
        return cycle + offset
    }

    var startStop: (start: Int, stop: Int) { (traceMin, traceMax) }

    /// USER mode fetches everything as it goes.
    mutating func completeAllPrefetches() {}
}
