/// How one GEMM layer maps onto the array: its folds and the per-fold work, in closed form.
///
/// A GEMM computes an M×N output from an M×K input and a K×N weight matrix whose columns are
/// N:M-sparse along K. The reduction shrinks to K′ = ⌊K/M⌋·N + min(N, K mod M) kept positions.
///
/// | dataflow | array rows ← | array columns ← | streamed per fold | stationary |
/// |---|---|---|---|---|
/// | weight-stationary | K′ | N | M (tokens) | weights |
/// | output-stationary | M | N | K′ | outputs |
/// | input-stationary | K′ | M | N | activations |
///
/// Folds iterate the columns dimension outer and the rows dimension inner for WS and IS (so
/// partial sums accumulate on chip), rows outer and columns inner for OS.
public struct FoldPlan: Sendable {
    public let shape: GEMMShape
    public let pattern: NMPattern
    public let dataflow: Dataflow
    public let arrayRows: Int
    public let arrayColumns: Int
    /// K′, the kept reduction length.
    public let keptK: Int
    /// Extent of the dimension mapped onto array rows.
    public let rowsExtent: Int
    /// Extent of the dimension mapped onto array columns.
    public let columnsExtent: Int
    /// Cycles of streaming per fold at full rate.
    public let temporal: Int
    public let rowTiles: Int
    public let columnTiles: Int
    /// Independent instances of the GEMM (heads of a head-batched attention product) whose
    /// folds run in one pipeline, one instance after another.
    public let instances: Int

    public init(shape: GEMMShape, pattern: NMPattern, dataflow: Dataflow, rows: Int, columns: Int, instances: Int = 1) {
        precondition(instances >= 1, "instances must be at least 1 (got \(instances))")
        self.instances = instances
        self.shape = shape
        self.pattern = pattern
        self.dataflow = dataflow
        arrayRows = rows
        arrayColumns = columns
        keptK = pattern.keptLength(shape.k)
        switch dataflow {
        case .weightStationary: (rowsExtent, columnsExtent, temporal) = (keptK, shape.n, shape.m)
        case .outputStationary: (rowsExtent, columnsExtent, temporal) = (shape.m, shape.n, keptK)
        case .inputStationary: (rowsExtent, columnsExtent, temporal) = (keptK, shape.m, shape.n)
        }
        rowTiles = (rowsExtent + rows - 1) / rows
        columnTiles = (columnsExtent + columns - 1) / columns
    }

    /// Folds of one instance.
    public var foldsPerInstance: Int { rowTiles * columnTiles }
    public var folds: Int { foldsPerInstance * instances }

    /// Fold `f`'s index within its instance.
    @usableFromInline func local(_ f: Int) -> Int { f % foldsPerInstance }

    /// Whether the row tile index varies fastest (WS, IS) or the column tile index (OS).
    public var rowsInner: Bool { dataflow != .outputStationary }

    /// The (row tile, column tile) of fold `f`.
    @inlinable public func tiles(of f: Int) -> (row: Int, column: Int) {
        let f = local(f)
        return rowsInner ? (f % rowTiles, f / rowTiles) : (f / columnTiles, f % columnTiles)
    }

    /// Rows and columns of the array that fold `f` uses (edge folds use fewer).
    @inlinable public func used(_ f: Int) -> (rows: Int, columns: Int) {
        let t = tiles(of: f)
        return (
            Swift.min(arrayRows, rowsExtent - t.row * arrayRows),
            Swift.min(arrayColumns, columnsExtent - t.column * arrayColumns)
        )
    }

    /// Whether fold `f` is the first to touch its outer tile (its reused operand is fetched then).
    @inlinable public func isFirstInner(_ f: Int) -> Bool { rowsInner ? local(f) % rowTiles == 0 : local(f) % columnTiles == 0 }
    /// Whether fold `f` is the last of the inner loop (partial sums are complete).
    @inlinable public func isLastInner(_ f: Int) -> Bool {
        rowsInner ? local(f) % rowTiles == rowTiles - 1 : local(f) % columnTiles == columnTiles - 1
    }
    /// Whether fold `f` belongs to the first pass of the outer loop.
    @inlinable public func inFirstOuter(_ f: Int) -> Bool { rowsInner ? local(f) < rowTiles : local(f) < columnTiles }
}

/// The dimensions of a GEMM: output rows M, output columns N, reduction K.
public struct GEMMShape: Hashable, Sendable, CustomStringConvertible {
    public var m: Int
    public var n: Int
    public var k: Int
    public init(m: Int, n: Int, k: Int) { self.m = m; self.n = n; self.k = k }
    public var denseMACs: Int64 { Int64(m) * Int64(n) * Int64(k) }
    public var description: String { "\(m)×\(n)×\(k)" }
}
