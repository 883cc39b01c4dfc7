/// SCALE-Sim's row-wise N:M (`OptimizedMapping = true`, weight-stationary only), as its operand
/// matrices build it:
/// - numpy's legacy generator is re-seeded with `RandomNumberGeneratorSeed` for every layer, and
///   weight column c draws nᶜ = randint(1, B/2 + 1) in column order (B = `BlockSize`); the column
///   keeps the first nᶜ weights of every B along K.
/// - K is padded to a multiple of 2B and every two blocks are packed into 2·⌊B/2⌋ slots, so the
///   array sees K_rw = ⌈K / 2B⌉ · B rows whatever the nᶜ: cycles are those of a dense M × N × K_rw
///   layer.
/// - A slot with no kept weight is a null request, so mapping efficiency counts only kept
///   weights; `Overall Util %` still divides the dense M·N·K by the cycles.
package struct SCALESimRowWise: Sendable {
    package let blockSize: Int
    package let seed: UInt32
    /// SCALE-Sim treats weight address 0 (column 0, row 0 with `FilterOffset = 0`) as pruned.
    package let filterOffsetIsZero: Bool

    package init?(_ settings: SCALESimSettings) {
        guard case let .rowWise(block, seed) = settings.sparsity else { return nil }
        blockSize = block
        self.seed = seed
        filterOffsetIsZero = settings.filterOffset == 0
    }

    /// The reduction length the array sees.
    package func rows(k: Int) -> Int { (k + 2 * blockSize - 1) / (2 * blockSize) * blockSize }

    /// The N drawn for each of `columns` weight columns.
    package func columnNs(_ columns: Int) -> [Int] {
        var random = NumpyLegacyRandom(seed: seed)
        return (0..<columns).map { _ in random.randint(1, blockSize / 2 + 1) }
    }

    /// The layer as the array runs it: dense, with K_rw rows.
    package func lowered(_ shape: GEMMShape) -> GEMMShape { GEMMShape(m: shape.m, n: shape.n, k: rows(k: shape.k)) }

    /// Kept weights of the whole layer: the PEs its folds map to real weights.
    package func keptWeights(_ shape: GEMMShape) -> Int64 {
        let k = shape.k
        var total: Int64 = 0
        for (c, n) in columnNs(shape.n).enumerated() {
            var kept = (k / blockSize) * n + min(n, k % blockSize)
            // Address 0 drops out of column 0; if that empties its first slot, SCALE-Sim keeps
            // the slot as address 0 rather than a null request.
            if c == 0, filterOffsetIsZero, n >= 2, k >= 2 { kept -= 1 }
            total += Int64(kept)
        }
        return total
    }

    /// A result simulated on the lowered shape, restated for the original layer of `count` instances.
    package func restated(_ r: LayerResult, shape: GEMMShape, count: Int) -> LayerResult {
        var r = r
        r.denseMACs = shape.denseMACs * Int64(count)
        r.mappedPEs = keptWeights(shape) * Int64(count)
        return r
    }
}
