/// The work of one fold, in bytes and cycles, derived in closed form from the fold plan and the
/// spec. The event pipeline (``LayerSimulator``) decides when each part happens.
struct FoldWork {
    /// Bytes fetched from DRAM before the fold may load or stream.
    var fetchBytes = 0
    /// N:M groups decoded before the stationary load (weight-stationary sparse layers).
    var decodeGroups = 0
    /// Cycles to move the stationary operand from its buffer into the PEs.
    var loadCycles = 0
    /// Cycles the fold streams, at least `temporal`.
    var streamCycles = 0
    /// What stretched streaming beyond `temporal`.
    var streamCause: StallCause?
    /// Fill and drain skew after the last streamed element.
    var skewCycles = 0
    /// Bytes written to DRAM when the fold completes.
    var writeBytes = 0
    /// On-chip bytes read by the array and written into buffers.
    var sramReadBytes = 0
    var sramWriteBytes = 0
    /// Groups decoded in total (at load or during streaming).
    var groups = 0
    /// PEs the fold maps: rows used × columns used.
    var mappedPEs = 0
    /// Elements of the streamed dimension (cycles at full rate).
    var temporal = 0
    /// DRAM bytes by operand: fetched inputs, weights (with metadata) and partial sums, and
    /// written partial sums; final outputs are `writeBytes − partialWriteBytes`.
    var inputBytes = 0
    var weightBytes = 0
    var partialReadBytes = 0
    var partialWriteBytes = 0
    /// The same bytes by operand and buffer (``Traffic`` documents each).
    var split = OperandTraffic()
    /// Vector-unit cycles of the fused epilogue over the fold's final outputs, and its lane
    /// operations; the residual bytes it reads from DRAM before it starts.
    var vectorCycles = 0
    var vectorOps = 0
    var skipFetchBytes = 0
}

/// Precomputes everything per layer that does not vary by fold, so each fold costs a few
/// integer operations.
///
/// Each operand is indexed by two of the three tile loops; across the third (its reuse loop)
/// it stays on chip when what it needs inside that loop fits its buffer (half of it when double
/// buffered). Then it is fetched only in the reuse loop's first pass; otherwise in every fold.
/// Partial sums that cannot stay go to DRAM and come back.
struct FoldCostModel {
    let plan: FoldPlan
    let spec: HardwareSpec
    let timing: any FoldTiming
    let sparse: Bool
    /// Activations offered per kept reduction position (M/N for per-PE muxes, else 1).
    let expands: Bool
    /// Whether each operand stays on chip across its reuse loop, by `Operand` order.
    private(set) var reused: (inputs: Bool, weights: Bool, outputs: Bool)
    let reuseLoops: (inputs: Schedule.Loop, weights: Schedule.Loop, outputs: Schedule.Loop)
    let reduction: Schedule.Loop
    /// Where the layer's activations come from and go to, and its fused epilogue.
    let io: LayerIO
    /// Lane-cycles per output element of the fused epilogue (0: none).
    let epilogueCost: Int
    /// Residual tensors the epilogue adds.
    let epilogueSkips: Int

    init(plan: FoldPlan, spec: HardwareSpec, timing: any FoldTiming, io: LayerIO = .standalone) {
        self.plan = plan
        self.spec = spec
        self.timing = timing
        self.io = io
        epilogueCost = io.epilogue.reduce(0) { $0 + (spec.vector.cyclesPerElement[$1] ?? 1) }
        epilogueSkips = io.epilogue.filter { $0 == .add }.count
        sparse = !plan.pattern.isDense
        expands = sparse && spec.mux == .perPE
        reduction = plan.reductionLoop
        reuseLoops = (plan.reuseLoop(.inputs), plan.reuseLoop(.weights), plan.reuseLoop(.outputs))
        reused = (false, false, false)
        reused = (
            footprint(.inputs) <= spec.ifmap.residentBytes,
            footprint(.weights) <= spec.filter.residentBytes,
            footprint(.outputs) <= spec.ofmap.residentBytes
        )
    }

    /// Extent a block of `operand` covers along loop `l` while its reuse loop runs once: the
    /// whole extent for loops inside the reuse loop, one tile for loops outside it.
    private func cover(_ l: Schedule.Loop, inside reuse: Schedule.Loop) -> Int {
        let whole = plan.levelOf(l) > plan.levelOf(reuse)
        switch l {
        case .rows: return whole ? plan.rowsExtent : Swift.min(plan.arrayRows, plan.rowsExtent)
        case .columns: return whole ? plan.columnsExtent : Swift.min(plan.arrayColumns, plan.columnsExtent)
        case .temporal: return whole ? plan.temporalExtent : plan.temporal
        }
    }

    /// Original K positions whose activations `kept` kept positions need (all K when the whole
    /// reduction is covered).
    private func activationPositions(kept: Int) -> Int {
        if kept >= plan.keptK { return plan.shape.k }
        guard expands else { return kept }
        return Swift.min(Self.ceilDiv(kept, plan.pattern.n) * plan.pattern.m, plan.shape.k)
    }

    /// Bytes `operand` keeps on chip to be reused across its reuse loop.
    func footprint(_ operand: Operand) -> Int {
        let t = spec.dataTypes
        let loop: Schedule.Loop
        switch operand {
        case .inputs: loop = reuseLoops.inputs
        case .weights: loop = reuseLoops.weights
        case .outputs: loop = reuseLoops.outputs
        }
        let rows = cover(.rows, inside: loop), cols = cover(.columns, inside: loop), time = cover(.temporal, inside: loop)
        let s = plan.shape
        switch (plan.dataflow, operand) {
        case (.weightStationary, .inputs): return time * activationPositions(kept: rows) * t.activationBytes
        case (.outputStationary, .inputs):
            let kAct = (sparse && !expands) ? Swift.min(time, plan.keptK) : (time >= plan.keptK ? s.k : activationPositions(kept: time))
            return rows * kAct * t.activationBytes
        case (.inputStationary, .inputs): return activationPositions(kept: rows) * cols * t.activationBytes
        case (.weightStationary, .weights): return rows * cols * t.weightBytes
        case (.outputStationary, .weights): return time * cols * t.weightBytes
        case (.inputStationary, .weights): return rows * time * t.weightBytes
        case (.weightStationary, .outputs), (.inputStationary, .outputs): return time * cols * t.accumulatorBytes
        case (.outputStationary, .outputs): return rows * cols * t.accumulatorBytes
        }
    }

    @inline(__always) static func ceilDiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }

    /// Original K positions whose activations a row tile of `r` kept positions starting at kept
    /// row `start` must be offered.
    @inline(__always) func activationSpan(start: Int, r: Int) -> Int {
        guard expands else { return r }
        let p = plan.pattern
        let g0 = start / p.n
        let g1 = Self.ceilDiv(start + r, p.n)
        return Swift.min((g1 - g0) * p.m, plan.shape.k - g0 * p.m)
    }

    /// Metadata bytes for `kept` weights spread over `columns` output columns.
    @inline(__always) func metadataBytes(kept: Int, columns: Int) -> Int {
        guard sparse else { return 0 }
        let indices = spec.mux == .perRow ? Self.ceilDiv(kept, Swift.max(columns, 1)) : kept
        return Self.ceilDiv(indices * plan.pattern.indexBits, 8)
    }

    @inline(__always) func groups(kept: Int, columns: Int) -> Int {
        guard sparse else { return 0 }
        let indices = spec.mux == .perRow ? Self.ceilDiv(kept, Swift.max(columns, 1)) : kept
        return Self.ceilDiv(indices, plan.pattern.n)
    }

    /// Whether a fold at `index` fetches an operand: in every fold, unless the operand stays on
    /// chip across its reuse loop, when only that loop's first pass fetches it.
    @inline(__always) func fetches(_ reusedOperand: Bool, _ loop: Schedule.Loop, _ index: FoldIndex) -> Bool {
        !reusedOperand || plan.index(index, loop) == 0
    }

    func work(_ f: Int) -> FoldWork { work(at: plan.tiles(of: f)) }

    func work(at tiles: FoldIndex) -> FoldWork {
        let (r, c, tt) = plan.used(tiles)
        var w = FoldWork()
        w.mappedPEs = r * c
        w.temporal = tt
        let t = spec.dataTypes
        let arrayRows = plan.arrayRows
        var stream = tt
        func stretch(_ cycles: Int, _ cause: StallCause) {
            if cycles > stream { stream = cycles; w.streamCause = cause }
        }
        /// With a unified buffer, everything a fold streams shares one port budget; the cause
        /// is the operand with the most bytes.
        func stretchUnified(_ parts: [(bytes: Int, cause: StallCause)]) {
            let total = parts.reduce(0) { $0 + $1.bytes }
            stretch(Self.ceilDiv(total, spec.ifmap.bytesPerCycle), parts.max { $0.bytes < $1.bytes }!.cause)
        }
        // An input (or an attention product's second operand) left on chip by an earlier layer
        // is never fetched.
        let fetchIn = !io.inputOnChip && fetches(reused.inputs, reuseLoops.inputs, tiles)
        let fetchW = !io.weightsOnChip && fetches(reused.weights, reuseLoops.weights, tiles)
        let red = plan.index(tiles, reduction)
        let firstRed = red == 0
        let lastRed = red == plan.tripCount(reduction) - 1
        // Output tile of the fold (elements) and its partial sums.
        let outElements: Int
        var meta = 0, actRead = 0, weightRead = 0
        switch plan.dataflow {
        case .weightStationary:
            let kSpan = activationSpan(start: tiles.row * arrayRows, r: r)
            let weightBytes = r * c * t.weightBytes + metadataBytes(kept: r * c, columns: c)
            let actBytes = tt * kSpan * t.activationBytes
            outElements = tt * c
            w.inputBytes = fetchIn ? actBytes : 0
            w.weightBytes = fetchW ? weightBytes : 0
            w.groups = groups(kept: r * c, columns: c)
            w.decodeGroups = w.groups
            w.loadCycles = timing.loadCycles(usedRows: r, arrayRows: arrayRows, bytes: weightBytes, bytesPerCycle: spec.filter.bytesPerCycle)
            let psumTraffic = outElements * t.accumulatorBytes * (firstRed ? 1 : 2)
            if timing.portsLimitStreaming {
                if spec.unifiedBuffer { stretchUnified([(actBytes, .activationBandwidth), (psumTraffic, .outputBandwidth)]) }
                stretch(Self.ceilDiv(actBytes, spec.ifmap.bytesPerCycle), .activationBandwidth)
                stretch(Self.ceilDiv(psumTraffic, spec.ofmap.bytesPerCycle), .outputBandwidth)
            }
            w.sramReadBytes = weightBytes + actBytes
            (meta, actRead, weightRead) = (metadataBytes(kept: r * c, columns: c), actBytes, weightBytes)
        case .outputStationary:
            let kt = tt
            let kAct = (sparse && !expands) ? kt : (kt >= plan.keptK ? plan.shape.k : activationSpan(start: tiles.temporal * plan.temporal, r: kt))
            let actBytes = r * kAct * t.activationBytes
            let weightBytes = kt * c * t.weightBytes + metadataBytes(kept: kt * c, columns: c)
            outElements = r * c
            w.inputBytes = fetchIn ? actBytes : 0
            w.weightBytes = fetchW ? weightBytes : 0
            w.groups = groups(kept: kt * c, columns: c)
            if timing.portsLimitStreaming {
                if spec.unifiedBuffer { stretchUnified([(actBytes, .activationBandwidth), (weightBytes, .weightBandwidth)]) }
                stretch(Self.ceilDiv(actBytes, spec.ifmap.bytesPerCycle), .activationBandwidth)
                stretch(Self.ceilDiv(weightBytes, spec.filter.bytesPerCycle), .weightBandwidth)
                stretch(Self.ceilDiv(w.groups, spec.decoder.groupsPerCycle), .decoder)
            }
            w.sramReadBytes = actBytes + weightBytes
            (meta, actRead, weightRead) = (metadataBytes(kept: kt * c, columns: c), actBytes, weightBytes)
        case .inputStationary:
            let kSpan = activationSpan(start: tiles.row * arrayRows, r: r)
            let actBytes = kSpan * c * t.activationBytes
            let weightBytes = r * tt * t.weightBytes + metadataBytes(kept: r * tt, columns: tt)
            outElements = c * tt
            w.inputBytes = fetchIn ? actBytes : 0
            w.weightBytes = fetchW ? weightBytes : 0
            w.groups = groups(kept: r * tt, columns: tt)
            w.loadCycles = timing.loadCycles(usedRows: r, arrayRows: arrayRows, bytes: actBytes, bytesPerCycle: spec.ifmap.bytesPerCycle)
            let psumTraffic = outElements * t.accumulatorBytes * (firstRed ? 1 : 2)
            if timing.portsLimitStreaming {
                if spec.unifiedBuffer { stretchUnified([(weightBytes, .weightBandwidth), (psumTraffic, .outputBandwidth)]) }
                stretch(Self.ceilDiv(weightBytes, spec.filter.bytesPerCycle), .weightBandwidth)
                stretch(Self.ceilDiv(w.groups, spec.decoder.groupsPerCycle), .decoder)
                stretch(Self.ceilDiv(psumTraffic, spec.ofmap.bytesPerCycle), .outputBandwidth)
            }
            w.sramReadBytes = actBytes + weightBytes
            (meta, actRead, weightRead) = (metadataBytes(kept: r * tt, columns: tt), actBytes, weightBytes)
        }
        let partial = outElements * t.accumulatorBytes
        w.partialReadBytes = (!reused.outputs && !firstRed) ? partial : 0
        w.partialWriteBytes = (!lastRed && !reused.outputs) ? partial : 0
        w.fetchBytes = w.inputBytes + w.weightBytes + w.partialReadBytes
        // Final outputs the next layer reads on chip are not written to DRAM.
        w.writeBytes = lastRed ? (io.outputOnChip ? 0 : outElements * t.outputBytes) : w.partialWriteBytes
        var skipRead = 0
        if lastRed && epilogueCost > 0 {
            w.vectorOps = outElements * epilogueCost
            w.vectorCycles = Self.ceilDiv(w.vectorOps, spec.vector.lanes)
            skipRead = outElements * epilogueSkips * t.activationBytes
            w.skipFetchBytes = io.skipOnChip ? 0 : skipRead
        }
        if plan.dataflow == .outputStationary {
            // Outputs accumulate in the PEs; partial sums only leave them between temporal tiles.
            w.sramWriteBytes = w.fetchBytes + outElements * t.outputBytes
            if !firstRed { w.sramReadBytes += partial }
            if !lastRed { w.sramWriteBytes += partial - outElements * t.outputBytes }
        } else {
            if !firstRed { w.sramReadBytes += partial }
            w.sramWriteBytes = w.fetchBytes + partial
        }
        // The epilogue's residual operand is read from the ifmap buffer (fetched into it first
        // when it was not on chip).
        w.sramReadBytes += skipRead
        w.sramWriteBytes += w.skipFetchBytes
        let outputsOS = plan.dataflow == .outputStationary
        // Counter by counter rather than from a literal: this runs for every fold.
        w.split.dramInput = Int64(w.inputBytes + w.skipFetchBytes)
        w.split.dramWeight = Int64(w.weightBytes)
        w.split.dramMetadata = Int64(w.weightBytes > 0 ? meta : 0)
        w.split.metadataRead = Int64(meta)
        w.split.dramPartialRead = Int64(w.partialReadBytes)
        w.split.dramPartialWrite = Int64(w.partialWriteBytes)
        w.split.ifmapRead = Int64(actRead + skipRead)
        w.split.filterRead = Int64(weightRead)
        w.split.ofmapRead = Int64(firstRed ? 0 : partial)
        w.split.ofmapWrite = Int64(outputsOS ? (lastRed ? outElements * t.outputBytes : partial) : w.partialReadBytes + partial)
        w.streamCycles = stream
        let decoderFill = (sparse && plan.dataflow != .weightStationary) ? spec.decoder.latencyCycles : 0
        w.skewCycles = timing.skewCycles(usedRows: r, usedColumns: c, plan: plan, decoderFill: decoderFill)
        return w
    }
}

/// What a fold's work depends on along one tile loop (``FoldCostModel/indexClass(_:_:)``).
struct FoldIndexClass: Equatable {
    /// The loop's first and last index.
    var first = false, last = false
    /// Rows, columns or streamed elements the fold uses along the loop.
    var used = 0
    /// Activation positions a row tile (a temporal tile, output-stationary) is offered.
    var span = 0
}

extension FoldCostModel {
    /// The class of tile index `i` along `loop`: two folds whose tile indices are of the same
    /// class along each loop do the same work (``work(at:)``, which reads a tile index only
    /// through these: whether it is its loop's first or last, the extent it uses, and where a
    /// row tile starts in the N:M groups). Tests check this on every fold of random layers;
    /// the fold pipeline's fast-forward relies on it.
    func indexClass(_ loop: Schedule.Loop, _ i: Int) -> FoldIndexClass {
        var c = FoldIndexClass()
        c.first = i == 0
        c.last = i == plan.tripCount(loop) - 1
        switch loop {
        case .rows:
            c.used = plan.used(FoldIndex(row: i, column: 0, temporal: 0)).rows
            if plan.dataflow != .outputStationary { c.span = activationSpan(start: i * plan.arrayRows, r: c.used) }
        case .columns:
            c.used = plan.used(FoldIndex(row: 0, column: i, temporal: 0)).columns
        case .temporal:
            c.used = plan.used(FoldIndex(row: 0, column: 0, temporal: i)).temporal
            if plan.dataflow == .outputStationary { c.span = activationSpan(start: i * plan.temporal, r: c.used) }
        }
        return c
    }
}
