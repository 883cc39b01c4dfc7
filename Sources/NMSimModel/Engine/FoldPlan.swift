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
/// A fold is one (row tile, column tile, temporal tile). The ``Schedule`` says how long a
/// temporal tile is and in which order the three tile loops run; the fixed schedule streams the
/// whole temporal extent per fold and runs the columns outer and the rows inner for WS and IS
/// (so partial sums accumulate on chip), rows outer and columns inner for OS.
package struct FoldPlan: Sendable {
    package let shape: GEMMShape
    package let pattern: NMPattern
    package let dataflow: Dataflow
    package let arrayRows: Int
    package let arrayColumns: Int
    /// K′, the kept reduction length.
    package let keptK: Int
    /// Extent of the dimension mapped onto array rows.
    package let rowsExtent: Int
    /// Extent of the dimension mapped onto array columns.
    package let columnsExtent: Int
    /// Extent of the streamed dimension.
    package let temporalExtent: Int
    /// Cycles of streaming per full fold at full rate (the temporal tile).
    package let temporal: Int
    package let rowTiles: Int
    package let columnTiles: Int
    package let temporalTiles: Int
    package let schedule: Schedule
    /// Independent instances of the GEMM (heads of a head-batched attention product) whose
    /// folds run in one pipeline, one instance after another.
    package let instances: Int
    /// Trip counts of the schedule's loops, outermost first.
    @usableFromInline let trips: (Int, Int, Int)
    /// Level (0 outermost … 2 innermost) of each loop, by ``Schedule/Loop`` raw value.
    @usableFromInline let level: (rows: Int, columns: Int, temporal: Int)

    package init(
        shape: GEMMShape, pattern: NMPattern, dataflow: Dataflow, rows: Int, columns: Int, instances: Int = 1,
        schedule: Schedule? = nil
    ) {
        precondition(instances >= 1, "instances must be at least 1 (got \(instances))")
        self.instances = instances
        self.shape = shape
        self.pattern = pattern
        self.dataflow = dataflow
        keptK = pattern.keptLength(shape.k)
        switch dataflow {
        case .weightStationary: (rowsExtent, columnsExtent, temporalExtent) = (keptK, shape.n, shape.m)
        case .outputStationary: (rowsExtent, columnsExtent, temporalExtent) = (shape.m, shape.n, keptK)
        case .inputStationary: (rowsExtent, columnsExtent, temporalExtent) = (keptK, shape.m, shape.n)
        }
        let s = schedule ?? Schedule.fixed(dataflow, temporalExtent: temporalExtent)
        precondition(
            s.temporalTile >= 1 && (1...Schedule.maxPrefetch).contains(s.prefetch) && s.order.count == 3 && s.order[0] != s.order[1]
                && s.order[0] != s.order[2] && s.order[1] != s.order[2] && s.rowTile >= 0
                && s.columnTile >= 0, "invalid schedule \(s)")
        self.schedule = s
        // A fold uses at most the schedule's array-level tile (the whole array by default).
        arrayRows = s.rowTile > 0 ? Swift.min(s.rowTile, rows) : rows
        arrayColumns = s.columnTile > 0 ? Swift.min(s.columnTile, columns) : columns
        temporal = Swift.min(s.temporalTile, Swift.max(temporalExtent, 1))
        rowTiles = (rowsExtent + arrayRows - 1) / arrayRows
        columnTiles = (columnsExtent + arrayColumns - 1) / arrayColumns
        temporalTiles = Swift.max(1, (temporalExtent + temporal - 1) / temporal)
        // No dictionary here: the mapper makes a plan for every candidate it estimates.
        let counts = (rows: rowTiles, columns: columnTiles, temporal: temporalTiles)
        func count(_ l: Schedule.Loop) -> Int {
            switch l {
            case .rows: return counts.rows
            case .columns: return counts.columns
            case .temporal: return counts.temporal
            }
        }
        trips = (count(s.order[0]), count(s.order[1]), count(s.order[2]))
        let at = { (l: Schedule.Loop) in s.order.firstIndex(of: l)! }
        level = (at(.rows), at(.columns), at(.temporal))
    }

    /// Folds of one instance.
    package var foldsPerInstance: Int { rowTiles * columnTiles * temporalTiles }
    package var folds: Int { foldsPerInstance * instances }

    /// The tile indices of fold `f` along rows, columns and the temporal dimension.
    @inlinable package func tiles(of f: Int) -> FoldIndex {
        var f = f % foldsPerInstance
        let i2 = f % trips.2; f /= trips.2
        let i1 = f % trips.1
        let i0 = f / trips.1
        let byLevel = (i0, i1, i2)
        func pick(_ l: Int) -> Int { l == 0 ? byLevel.0 : (l == 1 ? byLevel.1 : byLevel.2) }
        return FoldIndex(row: pick(level.rows), column: pick(level.columns), temporal: pick(level.temporal))
    }

    /// Rows, columns and temporal extent that fold `f` uses (edge folds use fewer).
    @inlinable package func used(_ t: FoldIndex) -> (rows: Int, columns: Int, temporal: Int) {
        (
            Swift.min(arrayRows, rowsExtent - t.row * arrayRows),
            Swift.min(arrayColumns, columnsExtent - t.column * arrayColumns),
            Swift.max(0, Swift.min(temporal, temporalExtent - t.temporal * temporal))
        )
    }

    /// Trip count of a loop.
    package func tripCount(_ l: Schedule.Loop) -> Int {
        switch l {
        case .rows: return rowTiles
        case .columns: return columnTiles
        case .temporal: return temporalTiles
        }
    }

    /// Level of a loop in the schedule (0 outermost).
    package func levelOf(_ l: Schedule.Loop) -> Int {
        switch l {
        case .rows: return level.rows
        case .columns: return level.columns
        case .temporal: return level.temporal
        }
    }

    /// The loop that runs over the reduction (K′).
    package var reductionLoop: Schedule.Loop { dataflow == .outputStationary ? .temporal : .rows }

    /// The loop that does not index `operand`: the operand is reused across it when what it
    /// needs inside that loop stays on chip.
    package func reuseLoop(_ operand: Operand) -> Schedule.Loop {
        switch (dataflow, operand) {
        case (.weightStationary, .inputs), (.outputStationary, .inputs), (.inputStationary, .weights): return .columns
        case (.inputStationary, .inputs), (.weightStationary, .weights), (.outputStationary, .outputs): return .temporal
        case (.outputStationary, .weights), (.weightStationary, .outputs), (.inputStationary, .outputs): return .rows
        }
    }

    /// Fold tile index along each loop.
    package func index(_ t: FoldIndex, _ l: Schedule.Loop) -> Int {
        switch l {
        case .rows: return t.row
        case .columns: return t.column
        case .temporal: return t.temporal
        }
    }

    /// The GEMM dimension (m, n or k) a loop runs over.
    package func gemmDimension(_ l: Schedule.Loop) -> Character {
        switch (dataflow, l) {
        case (.weightStationary, .rows), (.inputStationary, .rows), (.outputStationary, .temporal): return "k"
        case (.weightStationary, .columns), (.outputStationary, .columns), (.inputStationary, .temporal): return "n"
        default: return "m"
        }
    }
}

/// Tile indices along a loop of `trips` trips, one per kind of fold (the first, a middle and
/// the last index), each with how many tiles are of its kind: folds of a kind do the same work,
/// so closed forms over a layer look at one of each.
struct FoldKinds: Sequence, IteratorProtocol {
    let trips: Int
    private var position = 0

    init(_ trips: Int) { self.trips = trips }

    mutating func next() -> (index: Int, count: Int)? {
        defer { position += 1 }
        switch position {
        case 0: return trips >= 1 ? (0, 1) : nil
        case 1: return trips == 2 ? (1, 1) : (trips > 2 ? (1, trips - 2) : nil)
        case 2: return trips > 2 ? (trips - 1, 1) : nil
        default: return nil
        }
    }
}

/// A fold's tile index along each loop.
package struct FoldIndex: Equatable, Sendable {
    package var row: Int
    package var column: Int
    package var temporal: Int
    @inlinable package init(row: Int, column: Int, temporal: Int) { self.row = row; self.column = column; self.temporal = temporal }
}

/// The operands of a GEMM.
public enum Operand: String, Sendable, CaseIterable {
    case inputs, weights, outputs
}

/// The order and temporal tile of a GEMM's tile loops.
package struct Schedule: Hashable, Sendable, CustomStringConvertible {
    /// The loops over array-sized tiles: rows, columns, and the streamed dimension.
    package enum Loop: String, Sendable, CaseIterable { case rows, columns, temporal }
    /// Outermost first.
    package var order: [Loop]
    /// Elements of the streamed dimension per fold.
    package var temporalTile: Int
    /// Folds whose tiles one buffer fill holds: the buffer-level tile along the fold order.
    /// Fetches for up to this many folds ahead are in flight at once (their DRAM latencies
    /// overlap); 1 is the fixed schedule's one fold per buffer half, each fetch waiting for the
    /// previous one to arrive.
    package var prefetch: Int
    /// Array rows and columns one fold may use (0: all of them). A fold on fewer rows or
    /// columns loads and drains faster, which can win on a layer of few folds.
    package var rowTile: Int
    package var columnTile: Int

    package init(order: [Loop], temporalTile: Int, prefetch: Int = 1, rowTile: Int = 0, columnTile: Int = 0) {
        self.order = order; self.temporalTile = temporalTile; self.prefetch = prefetch
        self.rowTile = rowTile; self.columnTile = columnTile
    }

    /// The schedule every layer had before the mapper: the whole streamed extent per fold, the
    /// columns outer and the rows inner (WS, IS) or the rows outer and the columns inner (OS).
    package static func fixed(_ dataflow: Dataflow, temporalExtent: Int) -> Schedule {
        Schedule(
            order: dataflow == .outputStationary ? [.rows, .columns, .temporal] : [.temporal, .columns, .rows],
            temporalTile: Swift.max(temporalExtent, 1))
    }

    package var description: String {
        order.map(\.rawValue).joined(separator: ">") + " t\(temporalTile) p\(prefetch)"
            + (rowTile > 0 || columnTile > 0 ? " a\(rowTile)x\(columnTile)" : "")
    }

    /// The most folds fetched ahead (the pipeline keeps in-flight folds in an 8-slot ring).
    package static let maxPrefetch = 6

    /// Every order of the three loops.
    package static let orders: [[Loop]] = [
        [.temporal, .columns, .rows], [.temporal, .rows, .columns], [.columns, .temporal, .rows],
        [.columns, .rows, .temporal], [.rows, .temporal, .columns], [.rows, .columns, .temporal],
    ]
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
