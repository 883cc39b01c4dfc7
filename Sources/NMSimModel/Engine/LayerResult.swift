/// Why the PE array was not streaming at full rate: one case per stall counter.
///
/// Every counter list (storage, sums, reports, the limiter, the SCALE-Sim report) is derived
/// from `allCases`, so a new counter is one new case here with its properties.
public enum StallCause: Int, CaseIterable, Sendable {
    /// Waiting for off-chip transfers (fetches, and output writes at the end).
    case memory
    /// Waiting for the sparse index decoder (metadata decode latency or rate).
    case decoder
    /// Streaming slowed because the activation buffer could not offer activations fast enough.
    case activationBandwidth
    /// Streaming slowed because the weight buffer could not deliver weights and metadata fast enough.
    case weightBandwidth
    /// Streaming slowed because the output buffer could not absorb partial sums fast enough.
    case outputBandwidth
    /// Loading the stationary operand into the PEs while the array waited.
    case load
    /// Pipeline fill and drain skew (rows + columns − 2 per exposed fold).
    case fillDrain
    /// Elementwise work fused into the output path (GELU, residual add) that the vector unit
    /// could not finish while the array drained: the layer ends when the vector unit does.
    case vector

    /// The name in reports and JSON (`activationBandwidth`).
    public var name: String {
        switch self {
        case .memory: "memory"
        case .decoder: "decoder"
        case .activationBandwidth: "activationBandwidth"
        case .weightBandwidth: "weightBandwidth"
        case .outputBandwidth: "outputBandwidth"
        case .load: "load"
        case .fillDrain: "fillDrain"
        case .vector: "vector"
        }
    }

    /// The CSV report's column (`stall_activation_bw`).
    package var csvColumn: String {
        switch self {
        case .memory: "stall_memory"
        case .decoder: "stall_decoder"
        case .activationBandwidth: "stall_activation_bw"
        case .weightBandwidth: "stall_weight_bw"
        case .outputBandwidth: "stall_output_bw"
        case .load: "stall_load"
        case .fillDrain: "stall_fill_drain"
        case .vector: "stall_vector"
        }
    }

    /// The terminal table's column group: causes sharing a group are summed under it
    /// (`mem/dec/bw/load/fill`).
    package var tableGroup: String {
        switch self {
        case .memory: "mem"
        case .decoder: "dec"
        case .activationBandwidth, .weightBandwidth, .outputBandwidth: "bw"
        case .load: "load"
        case .fillDrain: "fill"
        case .vector: "vec"
        }
    }

    /// Whether the cause can be a layer's limiter: fill/drain skew is a property of the array's
    /// shape, not a resource to add, so it never is.
    package var canLimit: Bool { self != .fillDrain }

    /// Whether SCALE-Sim's `Stall Cycles` column counts it: waiting for memory, the decoder or
    /// a buffer port does; the load and the fill/drain skew are part of SCALE-Sim's compute time.
    package var isSCALESimStall: Bool {
        switch self {
        case .memory, .decoder, .activationBandwidth, .weightBandwidth, .outputBandwidth, .vector: true
        case .load, .fillDrain: false
        }
    }
}

/// Cycles by ``StallCause``.
///
/// `computeCycles` plus every stall equals the layer's cycles exactly.
public struct StallBreakdown: Equatable, Sendable {
    private var cycles = [Int64](repeating: 0, count: StallCause.allCases.count)

    public init() {}

    public subscript(cause: StallCause) -> Int64 {
        get { cycles[cause.rawValue] }
        set { cycles[cause.rawValue] = newValue }
    }

    // Named conveniences for the causes the engine charges directly.
    public var memory: Int64 {
        get { self[.memory] }
        set { self[.memory] = newValue }
    }
    public var decoder: Int64 {
        get { self[.decoder] }
        set { self[.decoder] = newValue }
    }
    public var activationBandwidth: Int64 {
        get { self[.activationBandwidth] }
        set { self[.activationBandwidth] = newValue }
    }
    public var weightBandwidth: Int64 {
        get { self[.weightBandwidth] }
        set { self[.weightBandwidth] = newValue }
    }
    public var outputBandwidth: Int64 {
        get { self[.outputBandwidth] }
        set { self[.outputBandwidth] = newValue }
    }
    public var load: Int64 {
        get { self[.load] }
        set { self[.load] = newValue }
    }
    public var fillDrain: Int64 {
        get { self[.fillDrain] }
        set { self[.fillDrain] = newValue }
    }
    public var vector: Int64 {
        get { self[.vector] }
        set { self[.vector] = newValue }
    }

    public var total: Int64 { cycles.reduce(0, +) }

    /// Names and values in report order.
    public var entries: [(name: String, cycles: Int64)] { StallCause.allCases.map { ($0.name, self[$0]) } }

    /// The sum over the causes that satisfy `include`.
    package func sum(where include: (StallCause) -> Bool) -> Int64 {
        StallCause.allCases.filter(include).reduce(0) { $0 + self[$1] }
    }

    /// The cause with the most cycles among those that can limit (the first on a tie), or nil
    /// when the array never waited on any of them.
    public var limiter: StallCause? {
        let top = StallCause.allCases.filter(\.canLimit).max { self[$0] < self[$1] }
        guard let top, self[top] > 0 else { return nil }
        return top
    }

    public static func + (a: StallBreakdown, b: StallBreakdown) -> StallBreakdown {
        var r = a
        for c in StallCause.allCases { r[c] += b[c] }
        return r
    }

    package func scaled(by k: Int64) -> StallBreakdown {
        var r = self
        for c in StallCause.allCases { r[c] *= k }
        return r
    }
}

/// Bytes moved, by level.
public struct Traffic: Equatable, Sendable {
    public var dramReadBytes: Int64 = 0
    public var dramWriteBytes: Int64 = 0
    public var sramReadBytes: Int64 = 0
    public var sramWriteBytes: Int64 = 0
    /// The same traffic by operand and buffer.
    public var byOperand = OperandTraffic()
    public init() {}

    public static func + (a: Traffic, b: Traffic) -> Traffic {
        var r = a
        r.dramReadBytes += b.dramReadBytes; r.dramWriteBytes += b.dramWriteBytes
        r.sramReadBytes += b.sramReadBytes; r.sramWriteBytes += b.sramWriteBytes
        r.byOperand = a.byOperand + b.byOperand
        return r
    }

    package func scaled(by k: Int64) -> Traffic {
        var r = self
        r.dramReadBytes *= k; r.dramWriteBytes *= k; r.sramReadBytes *= k; r.sramWriteBytes *= k
        r.byOperand = byOperand.scaled(by: k)
        return r
    }
}

/// The outcome of simulating one layer once.
public struct LayerResult: Equatable, Sendable {
    public var cycles: Int64
    /// Cycles the array spent streaming at full rate (Σ over folds of the streamed extent).
    public var computeCycles: Int64
    public var stalls: StallBreakdown
    public var folds: Int
    /// Multiply-accumulates performed (kept weights only).
    public var macs: Int64
    public var denseMACs: Int64
    /// Weight storage: kept values plus metadata.
    public var weightBytes: Int64
    public var metadataBytes: Int64
    public var decodedGroups: Int64
    public var traffic: Traffic
    /// Lane operations on the vector unit.
    public var vectorElementOps: Int64
    /// Kernel events fired.
    public var events: Int
    /// Σ over folds of the PEs each fold maps (rows used × columns used).
    public var mappedPEs: Int64 = 0
    /// The schedule a GEMM ran with (nil for vector layers).
    public var mapping: MappingSummary?

    package init(
        cycles: Int64, computeCycles: Int64, stalls: StallBreakdown, folds: Int, macs: Int64, denseMACs: Int64,
        weightBytes: Int64, metadataBytes: Int64, decodedGroups: Int64, traffic: Traffic, vectorElementOps: Int64, events: Int
    ) {
        self.cycles = cycles; self.computeCycles = computeCycles; self.stalls = stalls; self.folds = folds
        self.macs = macs; self.denseMACs = denseMACs; self.weightBytes = weightBytes; self.metadataBytes = metadataBytes
        self.decodedGroups = decodedGroups; self.traffic = traffic; self.vectorElementOps = vectorElementOps; self.events = events
    }

    /// The stall cause with the most cycles, or "compute" when the array never waited.
    public var limiter: String { stalls.limiter?.name ?? "compute" }

    /// `count` back-to-back runs of the same layer.
    package func repeated(_ count: Int) -> LayerResult {
        guard count != 1 else { return self }
        let k = Int64(count)
        var r = LayerResult(
            cycles: cycles * k, computeCycles: computeCycles * k, stalls: stalls.scaled(by: k), folds: folds * count,
            macs: macs * k, denseMACs: denseMACs * k, weightBytes: weightBytes * k, metadataBytes: metadataBytes * k,
            decodedGroups: decodedGroups * k, traffic: traffic.scaled(by: k), vectorElementOps: vectorElementOps * k,
            events: events * count)
        r.mappedPEs = mappedPEs * k
        r.mapping = mapping
        return r
    }
}
