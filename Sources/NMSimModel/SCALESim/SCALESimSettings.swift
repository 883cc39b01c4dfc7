/// What a SCALE-Sim `.cfg` says beyond the array itself: how the topology's N:M column is
/// used and the run settings its reports depend on.
package struct SCALESimSettings: Equatable, Sendable {
    package enum Sparsity: Equatable, Sendable {
        /// `SparsitySupport = false`: the topology's N:M column is ignored; every layer runs dense.
        case off
        /// `OptimizedMapping = false`: each layer takes the N:M of its topology row, any N:M
        /// (`BlockSize` is not read).
        case layerWise
        /// `OptimizedMapping = true` (weight-stationary only): every weight column draws its N in
        /// 1...BlockSize/2 from numpy's legacy generator seeded with `seed`; K is halved.
        case rowWise(blockSize: Int, seed: UInt32)
    }

    package var sparsity: Sparsity
    /// `SparseRep` (`csr`, `csc` or `ellpack_block`), reported in `SPARSE_REPORT.csv`.
    package var sparseRepresentation: String
    /// `IfmapOffset`, `FilterOffset`, `OfmapOffset`: the operands' first addresses. SCALE-Sim
    /// takes address 0 for a pruned element, and its buffers count distinct addresses.
    package var ifmapOffset: Int
    package var filterOffset: Int
    package var ofmapOffset: Int

    package init(
        sparsity: Sparsity, sparseRepresentation: String = "ellpack_block",
        ifmapOffset: Int = 0, filterOffset: Int = 10_000_000, ofmapOffset: Int = 20_000_000
    ) {
        self.sparsity = sparsity
        self.sparseRepresentation = sparseRepresentation
        self.ifmapOffset = ifmapOffset
        self.filterOffset = filterOffset
        self.ofmapOffset = ofmapOffset
    }

    /// `InterfaceBandwidth = USER`: the words per cycle of the output drain (`Bandwidth`, its
    /// first value) and of the input and weight fetches (`[layout] IfmapSRAMBankBandwidth`,
    /// `FilterSRAMBankBandwidth`); nil in CALC mode.
    package var userBandwidth: UserBandwidth?

    package struct UserBandwidth: Equatable, Sendable {
        package var ofmap: Int
        package var ifmap: Int
        package var filter: Int
        package init(ofmap: Int, ifmap: Int, filter: Int) { self.ofmap = ofmap; self.ifmap = ifmap; self.filter = filter }
    }

    /// Whether layers take the N:M column of the topology (only in layer-wise mode).
    package var usesTopologyPatterns: Bool { sparsity == .layerWise }
}
