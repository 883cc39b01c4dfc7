/// The part of the cycle model that differs between timing modes: how long a fold loads, what
/// stretches its streaming, its fill/drain skew, how the stationary registers overlap, and the
/// final adjustment of a layer's totals.
///
/// One strategy is chosen per layer simulation (``TimingModel/strategy``); the fold cost model
/// and the pipeline ask it and never branch on the mode themselves. A new mode is one new
/// conforming type and one new ``TimingModel`` case.
protocol FoldTiming: Sendable {
    /// Whether the spec's DRAM model is simulated (else transfers take no time).
    func modelsMemory(_ spec: HardwareSpec) -> Bool
    /// Whether the next fold's load overlaps the current fold's streaming.
    func pipelined(_ spec: HardwareSpec) -> Bool
    /// Whether a sparse weight-stationary fold decodes its metadata before its load.
    func decodesAtLoad(_ plan: FoldPlan) -> Bool
    /// Whether buffer ports and the decoder rate can stretch a fold's streaming.
    var portsLimitStreaming: Bool { get }
    /// Cycles to load the stationary operand: `usedRows` rows, `bytes` through a port of
    /// `bytesPerCycle`, into an array of `arrayRows` rows.
    func loadCycles(usedRows: Int, arrayRows: Int, bytes: Int, bytesPerCycle: Int) -> Int
    /// Fill and drain skew after the last streamed element of a fold using `usedRows` ×
    /// `usedColumns` PEs; `decoderFill` is the decoder latency a sparse fold streams through.
    func skewCycles(usedRows: Int, usedColumns: Int, plan: FoldPlan, decoderFill: Int) -> Int
    /// Adjusts a finished layer's cycles, stalls and compute cycles.
    func finish(cycles: inout Int64, stalls: inout StallBreakdown, compute: inout Int64)
}

extension TimingModel {
    /// The strategy that implements this mode.
    var strategy: any FoldTiming {
        switch self {
        case .native: NativeTiming()
        case .scaleSim: SCALESimTiming()
        }
    }
}

/// nmsim's own timing: overlapped fetch, decode, load and compute with stalls, loads and
/// streaming limited by buffer ports, skew over the PEs a fold uses.
struct NativeTiming: FoldTiming {
    func modelsMemory(_ spec: HardwareSpec) -> Bool { spec.dram.model != .ideal }
    func pipelined(_ spec: HardwareSpec) -> Bool { spec.stationaryDoubleBuffered }
    func decodesAtLoad(_ plan: FoldPlan) -> Bool { !plan.pattern.isDense && plan.dataflow == .weightStationary }
    var portsLimitStreaming: Bool { true }

    func loadCycles(usedRows: Int, arrayRows: Int, bytes: Int, bytesPerCycle: Int) -> Int {
        max(usedRows, (bytes + bytesPerCycle - 1) / bytesPerCycle)
    }

    func skewCycles(usedRows: Int, usedColumns: Int, plan: FoldPlan, decoderFill: Int) -> Int {
        usedRows + usedColumns - 2 + decoderFill
    }

    func finish(cycles: inout Int64, stalls: inout StallBreakdown, compute: inout Int64) {}
}

/// SCALE-Sim 3.0.0's CALC-mode arithmetic: serial full folds (a full-array load, then the
/// stream, then the full-array skew), no memory, decode or port time, and a total one less than
/// the folds add up to.
struct SCALESimTiming: FoldTiming {
    func modelsMemory(_ spec: HardwareSpec) -> Bool { false }
    func pipelined(_ spec: HardwareSpec) -> Bool { false }
    func decodesAtLoad(_ plan: FoldPlan) -> Bool { false }
    var portsLimitStreaming: Bool { false }

    func loadCycles(usedRows: Int, arrayRows: Int, bytes: Int, bytesPerCycle: Int) -> Int { arrayRows }

    func skewCycles(usedRows: Int, usedColumns: Int, plan: FoldPlan, decoderFill: Int) -> Int {
        plan.arrayRows + plan.arrayColumns - 2
    }

    /// SCALE-Sim's total is one less than its folds add up to; the cycle comes from the
    /// fill/drain skew, or the load, or compute when an array of one PE has neither.
    func finish(cycles: inout Int64, stalls: inout StallBreakdown, compute: inout Int64) {
        cycles -= 1
        if stalls.fillDrain > 0 { stalls.fillDrain -= 1 } else if stalls.load > 0 { stalls.load -= 1 } else { compute -= 1 }
    }
}
