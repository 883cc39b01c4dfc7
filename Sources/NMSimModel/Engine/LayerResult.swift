/// Why the PE array was not streaming at full rate, in cycles.
///
/// `computeCycles` plus every stall equals the layer's cycles exactly.
public struct StallBreakdown: Equatable, Sendable {
    /// Waiting for off-chip transfers (fetches, and output writes at the end).
    public var memory: Int64 = 0
    /// Waiting for the sparse index decoder (metadata decode latency or rate).
    public var decoder: Int64 = 0
    /// Streaming slowed because the activation buffer could not offer activations fast enough.
    public var activationBandwidth: Int64 = 0
    /// Streaming slowed because the weight buffer could not deliver weights and metadata fast enough.
    public var weightBandwidth: Int64 = 0
    /// Streaming slowed because the output buffer could not absorb partial sums fast enough.
    public var outputBandwidth: Int64 = 0
    /// Loading the stationary operand into the PEs while the array waited.
    public var load: Int64 = 0
    /// Pipeline fill and drain skew (rows + columns − 2 per exposed fold).
    public var fillDrain: Int64 = 0

    public init() {}

    public var total: Int64 { memory + decoder + activationBandwidth + weightBandwidth + outputBandwidth + load + fillDrain }

    /// Names and values in report order.
    public var entries: [(name: String, cycles: Int64)] {
        [
            ("memory", memory), ("decoder", decoder), ("activationBandwidth", activationBandwidth),
            ("weightBandwidth", weightBandwidth), ("outputBandwidth", outputBandwidth), ("load", load), ("fillDrain", fillDrain),
        ]
    }

    public static func + (a: StallBreakdown, b: StallBreakdown) -> StallBreakdown {
        var r = a
        r.memory += b.memory; r.decoder += b.decoder; r.activationBandwidth += b.activationBandwidth
        r.weightBandwidth += b.weightBandwidth; r.outputBandwidth += b.outputBandwidth
        r.load += b.load; r.fillDrain += b.fillDrain
        return r
    }

    public func scaled(by k: Int64) -> StallBreakdown {
        var r = self
        r.memory *= k; r.decoder *= k; r.activationBandwidth *= k; r.weightBandwidth *= k
        r.outputBandwidth *= k; r.load *= k; r.fillDrain *= k
        return r
    }
}

/// Bytes moved, by level.
public struct Traffic: Equatable, Sendable {
    public var dramReadBytes: Int64 = 0
    public var dramWriteBytes: Int64 = 0
    public var sramReadBytes: Int64 = 0
    public var sramWriteBytes: Int64 = 0
    public init() {}

    public static func + (a: Traffic, b: Traffic) -> Traffic {
        var r = a
        r.dramReadBytes += b.dramReadBytes; r.dramWriteBytes += b.dramWriteBytes
        r.sramReadBytes += b.sramReadBytes; r.sramWriteBytes += b.sramWriteBytes
        return r
    }

    public func scaled(by k: Int64) -> Traffic {
        var r = self
        r.dramReadBytes *= k; r.dramWriteBytes *= k; r.sramReadBytes *= k; r.sramWriteBytes *= k
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

    public init(
        cycles: Int64, computeCycles: Int64, stalls: StallBreakdown, folds: Int, macs: Int64, denseMACs: Int64,
        weightBytes: Int64, metadataBytes: Int64, decodedGroups: Int64, traffic: Traffic, vectorElementOps: Int64, events: Int
    ) {
        self.cycles = cycles; self.computeCycles = computeCycles; self.stalls = stalls; self.folds = folds
        self.macs = macs; self.denseMACs = denseMACs; self.weightBytes = weightBytes; self.metadataBytes = metadataBytes
        self.decodedGroups = decodedGroups; self.traffic = traffic; self.vectorElementOps = vectorElementOps; self.events = events
    }

    /// The stall cause with the most cycles, or "compute" when the array never waited.
    public var limiter: String {
        let top = stalls.entries.filter { $0.name != "fillDrain" }.max { $0.cycles < $1.cycles }
        guard let top, top.cycles > 0 else { return "compute" }
        return top.name
    }

    /// `count` back-to-back runs of the same layer.
    public func repeated(_ count: Int) -> LayerResult {
        guard count != 1 else { return self }
        let k = Int64(count)
        var r = LayerResult(
            cycles: cycles * k, computeCycles: computeCycles * k, stalls: stalls.scaled(by: k), folds: folds * count,
            macs: macs * k, denseMACs: denseMACs * k, weightBytes: weightBytes * k, metadataBytes: metadataBytes * k,
            decodedGroups: decodedGroups * k, traffic: traffic.scaled(by: k), vectorElementOps: vectorElementOps * k,
            events: events * count)
        r.mappedPEs = mappedPEs * k
        return r
    }
}
