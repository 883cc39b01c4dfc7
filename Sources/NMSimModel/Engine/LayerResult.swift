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

/// Bytes moved, by operand and buffer: what the energy model charges.
///
/// Weight bytes include their metadata; `dramMetadata` and `metadataRead` are the metadata
/// part of `dramWeight` and `filterRead`. Fetched inputs are written into the ifmap buffer and
/// fetched weights into the filter buffer, so those writes equal the fetches.
public struct OperandTraffic: Equatable, Sendable {
    public var dramInput: Int64 = 0
    public var dramWeight: Int64 = 0
    public var dramMetadata: Int64 = 0
    /// Partial sums spilled to DRAM and read back (outputs that did not fit on chip).
    public var dramPartialRead: Int64 = 0
    public var dramPartialWrite: Int64 = 0
    public var ifmapRead: Int64 = 0
    public var filterRead: Int64 = 0
    public var metadataRead: Int64 = 0
    public var ofmapRead: Int64 = 0
    public var ofmapWrite: Int64 = 0

    public init() {}

    public init(
        dramInput: Int, dramWeight: Int, dramMetadata: Int, metadataRead: Int, dramPartialRead: Int, dramPartialWrite: Int,
        ifmapRead: Int, filterRead: Int, ofmapRead: Int, ofmapWrite: Int
    ) {
        self.dramInput = Int64(dramInput); self.dramWeight = Int64(dramWeight); self.dramMetadata = Int64(dramMetadata)
        self.metadataRead = Int64(metadataRead)
        self.dramPartialRead = Int64(dramPartialRead); self.dramPartialWrite = Int64(dramPartialWrite)
        self.ifmapRead = Int64(ifmapRead); self.filterRead = Int64(filterRead)
        self.ofmapRead = Int64(ofmapRead); self.ofmapWrite = Int64(ofmapWrite)
    }

    public var ifmapWrite: Int64 { dramInput }
    public var filterWrite: Int64 { dramWeight }

    /// Every counter, in report order.
    public var entries: [(name: String, bytes: Int64)] {
        [
            ("dramInput", dramInput), ("dramWeight", dramWeight), ("dramMetadata", dramMetadata),
            ("dramPartialRead", dramPartialRead), ("dramPartialWrite", dramPartialWrite),
            ("ifmapRead", ifmapRead), ("ifmapWrite", ifmapWrite), ("filterRead", filterRead), ("filterWrite", filterWrite),
            ("metadataRead", metadataRead), ("ofmapRead", ofmapRead), ("ofmapWrite", ofmapWrite),
        ]
    }

    static func combine(_ a: OperandTraffic, _ b: OperandTraffic, _ f: (Int64, Int64) -> Int64) -> OperandTraffic {
        var r = OperandTraffic()
        r.dramInput = f(a.dramInput, b.dramInput); r.dramWeight = f(a.dramWeight, b.dramWeight)
        r.dramMetadata = f(a.dramMetadata, b.dramMetadata); r.metadataRead = f(a.metadataRead, b.metadataRead)
        r.dramPartialRead = f(a.dramPartialRead, b.dramPartialRead); r.dramPartialWrite = f(a.dramPartialWrite, b.dramPartialWrite)
        r.ifmapRead = f(a.ifmapRead, b.ifmapRead); r.filterRead = f(a.filterRead, b.filterRead)
        r.ofmapRead = f(a.ofmapRead, b.ofmapRead); r.ofmapWrite = f(a.ofmapWrite, b.ofmapWrite)
        return r
    }

    public static func + (a: OperandTraffic, b: OperandTraffic) -> OperandTraffic { combine(a, b, +) }
    public func scaled(by k: Int64) -> OperandTraffic { Self.combine(self, self) { x, _ in x * k } }
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

    public func scaled(by k: Int64) -> Traffic {
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
