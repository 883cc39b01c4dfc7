/// One traffic counter: an operand's bytes at one level (DRAM or an on-chip buffer), in one
/// direction.
///
/// Every counter list (storage, sums, scaling, report names) is derived from `allCases`, in
/// report order, so a new counter is one new case here with its properties.
public enum TrafficCounter: Int, CaseIterable, Sendable {
    /// Inputs fetched from DRAM.
    case dramInput
    /// Weights fetched from DRAM, metadata included.
    case dramWeight
    /// The metadata part of `dramWeight`.
    case dramMetadata
    /// Partial sums spilled to DRAM and read back (outputs that did not fit on chip).
    case dramPartialRead
    case dramPartialWrite
    case ifmapRead
    /// Fetched inputs written into the ifmap buffer: equals `dramInput`.
    case ifmapWrite
    /// Weights read from the filter buffer, metadata included.
    case filterRead
    /// Fetched weights written into the filter buffer: equals `dramWeight`.
    case filterWrite
    /// The metadata part of `filterRead`.
    case metadataRead
    case ofmapRead
    case ofmapWrite

    /// Where the bytes move.
    package enum Level: Sendable { case dram, ifmap, filter, ofmap }

    /// The name in reports and JSON (`dramPartialRead`).
    public var name: String {
        switch self {
        case .dramInput: "dramInput"
        case .dramWeight: "dramWeight"
        case .dramMetadata: "dramMetadata"
        case .dramPartialRead: "dramPartialRead"
        case .dramPartialWrite: "dramPartialWrite"
        case .ifmapRead: "ifmapRead"
        case .ifmapWrite: "ifmapWrite"
        case .filterRead: "filterRead"
        case .filterWrite: "filterWrite"
        case .metadataRead: "metadataRead"
        case .ofmapRead: "ofmapRead"
        case .ofmapWrite: "ofmapWrite"
        }
    }

    package var level: Level {
        switch self {
        case .dramInput, .dramWeight, .dramMetadata, .dramPartialRead, .dramPartialWrite: .dram
        case .ifmapRead, .ifmapWrite: .ifmap
        case .filterRead, .filterWrite, .metadataRead: .filter
        case .ofmapRead, .ofmapWrite: .ofmap
        }
    }

    /// The counter this one always equals (a buffer's writes are the fetches into it); nil for
    /// a counter of its own.
    package var mirrors: TrafficCounter? {
        switch self {
        case .ifmapWrite: .dramInput
        case .filterWrite: .dramWeight
        default: nil
        }
    }
}

/// Bytes moved, by ``TrafficCounter``: what the energy model charges.
///
/// Weight bytes include their metadata; `dramMetadata` and `metadataRead` are the metadata
/// part of `dramWeight` and `filterRead`. Fetched inputs are written into the ifmap buffer and
/// fetched weights into the filter buffer, so those writes equal the fetches.
///
/// The counters are stored inline (room for ``capacity``), so making, adding and copying one
/// allocates nothing: every fold of a simulation carries one.
public struct OperandTraffic: Equatable, Sendable {
    /// The most counters the inline storage holds.
    public static let capacity = 16
    /// By ``TrafficCounter/rawValue``; mirrored and unused lanes stay 0.
    private var bytes = SIMD16<Int64>()

    public init() {}

    /// The counters given, the others 0; a mirrored counter cannot be given.
    package init(_ counts: KeyValuePairs<TrafficCounter, Int>) {
        for (c, v) in counts { self[c] = Int64(v) }
    }

    public subscript(counter: TrafficCounter) -> Int64 {
        get { bytes[(counter.mirrors ?? counter).rawValue] }
        set {
            precondition(counter.mirrors == nil, "\(counter.name) equals \(counter.mirrors!.name) and is not set on its own")
            bytes[counter.rawValue] = newValue
        }
    }

    // Named conveniences.
    public var dramInput: Int64 {
        get { self[.dramInput] }
        set { self[.dramInput] = newValue }
    }
    public var dramWeight: Int64 {
        get { self[.dramWeight] }
        set { self[.dramWeight] = newValue }
    }
    public var dramMetadata: Int64 {
        get { self[.dramMetadata] }
        set { self[.dramMetadata] = newValue }
    }
    public var dramPartialRead: Int64 {
        get { self[.dramPartialRead] }
        set { self[.dramPartialRead] = newValue }
    }
    public var dramPartialWrite: Int64 {
        get { self[.dramPartialWrite] }
        set { self[.dramPartialWrite] = newValue }
    }
    public var ifmapRead: Int64 {
        get { self[.ifmapRead] }
        set { self[.ifmapRead] = newValue }
    }
    public var ifmapWrite: Int64 { self[.ifmapWrite] }
    public var filterRead: Int64 {
        get { self[.filterRead] }
        set { self[.filterRead] = newValue }
    }
    public var filterWrite: Int64 { self[.filterWrite] }
    public var metadataRead: Int64 {
        get { self[.metadataRead] }
        set { self[.metadataRead] = newValue }
    }
    public var ofmapRead: Int64 {
        get { self[.ofmapRead] }
        set { self[.ofmapRead] = newValue }
    }
    public var ofmapWrite: Int64 {
        get { self[.ofmapWrite] }
        set { self[.ofmapWrite] = newValue }
    }

    /// Every counter, in report order.
    public var entries: [(name: String, bytes: Int64)] { TrafficCounter.allCases.map { ($0.name, self[$0]) } }

    /// Lane by lane (mirrored and unused lanes stay 0). The callers' totals are bounded far
    /// below `Int64.max` (``LayerSimulator`` rejects layers whose counters could overflow), so
    /// the wrapping operators never wrap; they keep this a few vector instructions per fold.
    public static func + (a: OperandTraffic, b: OperandTraffic) -> OperandTraffic {
        var r = a
        r.bytes &+= b.bytes
        return r
    }

    package func scaled(by k: Int64) -> OperandTraffic {
        var r = self
        r.bytes &*= SIMD16(repeating: k)
        return r
    }
}
