/// Work summed over a layer's folds, from one fold of each kind: lower bounds on its cycles
/// that hold for every run of the pipeline.
extension FoldCostModel {
    /// Whether folds of one kind (the first, a middle or the last index along each loop) do the
    /// same work. They differ only in the activations a per-PE multiplexer is offered: a
    /// middle tile of kept positions that does not start on an N:M group boundary spans one
    /// more group.
    var foldKindsAreUniform: Bool {
        guard expands else { return true }
        let n = plan.pattern.n
        switch plan.dataflow {
        case .outputStationary: return plan.temporalTiles <= 2 || plan.temporal % n == 0
        case .weightStationary, .inputStationary: return plan.rowTiles <= 2 || plan.arrayRows % n == 0
        }
    }

    /// The layer's array time and DRAM time over every fold of every instance, or nil when
    /// folds of one kind may differ (``foldKindsAreUniform``).
    ///
    /// `array` is what the array does one fold after another: every stream when the stationary
    /// registers are double-buffered (the next fold loads while one streams), else every load,
    /// stream and drain. `bound` is the largest of `array`, every load in turn (pipelined), and
    /// every DRAM transfer's bus time plus one latency: the pipeline serves each of these one at
    /// a time, so no run of the layer is shorter.
    /// - Complexity: at most 27 folds' work, whatever the layer's size.
    func totals() -> (array: Int64, bound: Int64)? {
        guard foldKindsAreUniform else { return nil }
        let pipelined = timing.pipelined(spec)
        let memory = timing.modelsMemory(spec)
        let dram = FixedLatencyDRAM(bytesPerCycle: spec.dram.bytesPerCycle, latencyCycles: spec.dram.latencyCycles, burstBytes: spec.dram.burstBytes)
        var stream: Int64 = 0, load: Int64 = 0, serial: Int64 = 0, bus: Int64 = 0
        for (ri, rn) in FoldKinds(plan.rowTiles) {
            for (ci, cn) in FoldKinds(plan.columnTiles) {
                for (ti, tn) in FoldKinds(plan.temporalTiles) {
                    let w = work(at: FoldIndex(row: ri, column: ci, temporal: ti))
                    let n = Int64(rn * cn * tn)
                    stream += n * Int64(w.streamCycles)
                    load += n * Int64(w.loadCycles)
                    serial += n * Int64(w.loadCycles + w.streamCycles + w.skewCycles)
                    if memory { bus += n * (dram.busCycles(bytes: w.fetchBytes).count + dram.busCycles(bytes: w.writeBytes).count) }
                }
            }
        }
        let k = Int64(plan.instances)
        let array = (pipelined ? stream : serial) * k
        let transfers = bus > 0 ? bus * k + Int64(spec.dram.latencyCycles) : 0
        return (array, Swift.max(array, pipelined ? load * k : 0, transfers))
    }
}
