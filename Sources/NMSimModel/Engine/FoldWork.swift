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
    /// What stretched streaming beyond `temporal`, if anything did.
    var streamCause: StallCause?
    /// Fill and drain skew after the last streamed element.
    var skewCycles = 0
    /// Bytes written to DRAM when the fold completes.
    var writeBytes = 0
    /// On-chip bytes read by the array and written into buffers.
    var sramReadBytes = 0
    var sramWriteBytes = 0
    /// The same bytes by operand and buffer (``Traffic`` documents each).
    var split = OperandTraffic()
    /// Groups decoded in total (at load or during streaming).
    var groups = 0
    /// PEs the fold maps: rows used × columns used.
    var mappedPEs = 0
}

/// Precomputes everything per layer that does not vary by fold, so each fold costs a few
/// integer operations.
struct FoldCostModel {
    let plan: FoldPlan
    let spec: HardwareSpec
    let timing: any FoldTiming
    let sparse: Bool
    /// Activations offered per kept reduction position (M/N for per-PE muxes, else 1).
    let expands: Bool
    let actResident: Bool
    let weightsResident: Bool
    let outputsResident: Bool

    init(plan: FoldPlan, spec: HardwareSpec, timing: any FoldTiming) {
        self.plan = plan
        self.spec = spec
        self.timing = timing
        sparse = !plan.pattern.isDense
        expands = sparse && spec.mux == .perPE
        let t = spec.dataTypes
        let s = plan.shape
        switch plan.dataflow {
        case .weightStationary:
            actResident = s.m * s.k * t.activationBytes <= spec.ifmap.residentBytes
            weightsResident = false
            outputsResident = s.m * Swift.min(plan.arrayColumns, s.n) * t.accumulatorBytes <= spec.ofmap.residentBytes
        case .outputStationary:
            let kAct = (sparse && spec.mux == .perRow) ? plan.keptK : s.k
            actResident = Swift.min(plan.arrayRows, s.m) * kAct * t.activationBytes <= spec.ifmap.residentBytes
            weightsResident = plan.keptK * s.n * t.weightBytes <= spec.filter.residentBytes
            outputsResident = true
        case .inputStationary:
            actResident = false
            weightsResident = plan.keptK * s.n * t.weightBytes <= spec.filter.residentBytes
            outputsResident = Swift.min(plan.arrayColumns, s.m) * s.n * t.accumulatorBytes <= spec.ofmap.residentBytes
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

    func work(_ f: Int) -> FoldWork {
        let (r, c) = plan.used(f)
        var w = FoldWork()
        w.mappedPEs = r * c
        let tiles = plan.tiles(of: f)
        let t = spec.dataTypes
        let s = plan.shape
        let arrayRows = plan.arrayRows, arrayColumns = plan.arrayColumns
        let temporal = plan.temporal
        var stream = temporal
        func stretch(_ cycles: Int, _ cause: StallCause) {
            if cycles > stream { stream = cycles; w.streamCause = cause }
        }
        /// With a unified buffer, everything a fold streams shares one port budget; the cause
        /// is the operand with the most bytes.
        func stretchUnified(_ parts: [(bytes: Int, cause: StallCause)]) {
            let total = parts.reduce(0) { $0 + $1.bytes }
            stretch(Self.ceilDiv(total, spec.ifmap.bytesPerCycle), parts.max { $0.bytes < $1.bytes }!.cause)
        }
        let firstOuter = plan.inFirstOuter(f)
        let firstInner = plan.isFirstInner(f)
        let lastInner = plan.isLastInner(f)
        switch plan.dataflow {
        case .weightStationary:
            let kSpan = activationSpan(start: tiles.row * arrayRows, r: r)
            let weightBytes = r * c * t.weightBytes + metadataBytes(kept: r * c, columns: c)
            let actBytes = s.m * kSpan * t.activationBytes
            let partialIn = (!outputsResident && !firstInner) ? s.m * c * t.accumulatorBytes : 0
            w.fetchBytes = weightBytes + ((!actResident || firstOuter) ? actBytes : 0) + partialIn
            w.groups = groups(kept: r * c, columns: c)
            w.decodeGroups = w.groups
            w.loadCycles = timing.loadCycles(usedRows: r, arrayRows: arrayRows, bytes: weightBytes, bytesPerCycle: spec.filter.bytesPerCycle)
            let psumTraffic = s.m * c * t.accumulatorBytes * (firstInner ? 1 : 2)
            if timing.portsLimitStreaming {
                if spec.unifiedBuffer { stretchUnified([(actBytes, .activationBandwidth), (psumTraffic, .outputBandwidth)]) }
                stretch(Self.ceilDiv(actBytes, spec.ifmap.bytesPerCycle), .activationBandwidth)
                stretch(Self.ceilDiv(psumTraffic, spec.ofmap.bytesPerCycle), .outputBandwidth)
            }
            w.writeBytes = lastInner ? s.m * c * t.outputBytes : (outputsResident ? 0 : s.m * c * t.accumulatorBytes)
            w.sramReadBytes = weightBytes + actBytes + (firstInner ? 0 : s.m * c * t.accumulatorBytes)
            w.sramWriteBytes = w.fetchBytes + s.m * c * t.accumulatorBytes
            w.split = OperandTraffic(
                dramInput: (!actResident || firstOuter) ? actBytes : 0, dramWeight: weightBytes,
                dramMetadata: metadataBytes(kept: r * c, columns: c), metadataRead: metadataBytes(kept: r * c, columns: c), dramPartialRead: partialIn,
                dramPartialWrite: lastInner ? 0 : w.writeBytes,
                ifmapRead: actBytes, filterRead: weightBytes, ofmapRead: firstInner ? 0 : s.m * c * t.accumulatorBytes,
                ofmapWrite: partialIn + s.m * c * t.accumulatorBytes)
        case .outputStationary:
            let kAct = (sparse && !expands) ? plan.keptK : s.k
            let actBytes = r * kAct * t.activationBytes
            let weightBytes = plan.keptK * c * t.weightBytes + metadataBytes(kept: plan.keptK * c, columns: c)
            w.fetchBytes = ((!actResident || firstInner) ? actBytes : 0) + ((!weightsResident || firstOuter) ? weightBytes : 0)
            w.groups = groups(kept: plan.keptK * c, columns: c)
            if timing.portsLimitStreaming {
                if spec.unifiedBuffer { stretchUnified([(actBytes, .activationBandwidth), (weightBytes, .weightBandwidth)]) }
                stretch(Self.ceilDiv(actBytes, spec.ifmap.bytesPerCycle), .activationBandwidth)
                stretch(Self.ceilDiv(weightBytes, spec.filter.bytesPerCycle), .weightBandwidth)
                stretch(Self.ceilDiv(w.groups, spec.decoder.groupsPerCycle), .decoder)
            }
            w.writeBytes = r * c * t.outputBytes
            w.sramReadBytes = actBytes + weightBytes
            w.sramWriteBytes = w.fetchBytes + r * c * t.outputBytes
            w.split = OperandTraffic(
                dramInput: (!actResident || firstInner) ? actBytes : 0, dramWeight: (!weightsResident || firstOuter) ? weightBytes : 0,
                dramMetadata: (!weightsResident || firstOuter) ? metadataBytes(kept: plan.keptK * c, columns: c) : 0,
                metadataRead: metadataBytes(kept: plan.keptK * c, columns: c),
                dramPartialRead: 0, dramPartialWrite: 0,
                ifmapRead: actBytes, filterRead: weightBytes, ofmapRead: 0, ofmapWrite: r * c * t.outputBytes)
        case .inputStationary:
            let kSpan = activationSpan(start: tiles.row * arrayRows, r: r)
            let actBytes = kSpan * c * t.activationBytes
            let weightBytes = r * s.n * t.weightBytes + metadataBytes(kept: r * s.n, columns: s.n)
            let partialIn = (!outputsResident && !firstInner) ? c * s.n * t.accumulatorBytes : 0
            w.fetchBytes = actBytes + ((!weightsResident || firstOuter) ? weightBytes : 0) + partialIn
            w.groups = groups(kept: r * s.n, columns: s.n)
            w.loadCycles = timing.loadCycles(usedRows: r, arrayRows: arrayRows, bytes: actBytes, bytesPerCycle: spec.ifmap.bytesPerCycle)
            let psumTraffic = c * s.n * t.accumulatorBytes * (firstInner ? 1 : 2)
            if timing.portsLimitStreaming {
                if spec.unifiedBuffer { stretchUnified([(weightBytes, .weightBandwidth), (psumTraffic, .outputBandwidth)]) }
                stretch(Self.ceilDiv(weightBytes, spec.filter.bytesPerCycle), .weightBandwidth)
                stretch(Self.ceilDiv(w.groups, spec.decoder.groupsPerCycle), .decoder)
                stretch(Self.ceilDiv(psumTraffic, spec.ofmap.bytesPerCycle), .outputBandwidth)
            }
            w.writeBytes = lastInner ? c * s.n * t.outputBytes : (outputsResident ? 0 : c * s.n * t.accumulatorBytes)
            w.sramReadBytes = actBytes + weightBytes + (firstInner ? 0 : c * s.n * t.accumulatorBytes)
            w.sramWriteBytes = w.fetchBytes + c * s.n * t.accumulatorBytes
            let weightFetched = (!weightsResident || firstOuter) ? weightBytes : 0
            w.split = OperandTraffic(
                dramInput: actBytes, dramWeight: weightFetched,
                dramMetadata: weightFetched > 0 ? metadataBytes(kept: r * s.n, columns: s.n) : 0,
                metadataRead: metadataBytes(kept: r * s.n, columns: s.n),
                dramPartialRead: partialIn, dramPartialWrite: lastInner ? 0 : w.writeBytes,
                ifmapRead: actBytes, filterRead: weightBytes, ofmapRead: firstInner ? 0 : c * s.n * t.accumulatorBytes,
                ofmapWrite: partialIn + c * s.n * t.accumulatorBytes)
        }
        w.streamCycles = stream
        let decoderFill = (sparse && plan.dataflow != .weightStationary) ? spec.decoder.latencyCycles : 0
        w.skewCycles = timing.skewCycles(usedRows: r, usedColumns: c, plan: plan, decoderFill: decoderFill)
        return w
    }
}
