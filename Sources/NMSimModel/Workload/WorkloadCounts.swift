/// A workload's MACs and parameters per layer under one pattern per layer, as `nmsim show`
/// lists them: dense MACs, MACs kept by the pattern, and parameters, each times the layer's count.
public struct WorkloadCounts: Sendable {
    /// One GEMM layer's counts; nil for a vector layer.
    public struct Counts: Sendable {
        public var denseMACs: Int64
        public var keptMACs: Int64
        public var parameters: Int64
    }

    public var workload: Workload
    public var patterns: [NMPattern]
    /// One entry per layer, in order.
    public var layers: [Counts?]
    public var denseMACs: Int64
    public var keptMACs: Int64
    public var parameters: Int64

    /// Counts `workload` under `patterns` (one per layer); totals that would overflow are a
    /// data error located at the layer.
    public init(_ workload: Workload, patterns: [NMPattern]) throws(InputError) {
        self.workload = workload
        self.patterns = patterns
        var layers: [Counts?] = []
        var dense: Int64 = 0, kept: Int64 = 0, params: Int64 = 0
        for (i, l) in workload.layers.enumerated() {
            guard let s = l.shape else { layers.append(nil); continue }
            let p = patterns[i]
            // Per-instance MACs are at most 2^50 (checked on load); counts and sums are checked here.
            let count = Int64(l.count)
            let (d, o1) = s.denseMACs.multipliedReportingOverflow(by: count)
            let (k, o2) = (Int64(s.m) * Int64(s.n) * Int64(p.keptLength(s.k))).multipliedReportingOverflow(by: count)
            let par = l.hasParameters ? Int64(s.k) * Int64(s.n) * count : 0
            let (nd, o3) = dense.addingReportingOverflow(d)
            guard !o1, !o2, !o3, nd <= Int64(1) << 62 else {
                throw InputError(.data, source: workload.name, location: l.name, "\(l.count) instances of this layer would overflow the MAC counters")
            }
            dense = nd; kept += k; params += par
            layers.append(Counts(denseMACs: d, keptMACs: k, parameters: par))
        }
        self.layers = layers
        denseMACs = dense
        keptMACs = kept
        parameters = params
    }
}
