/// The mapping of a GEMM onto the PE array.
public enum Dataflow: String, Sendable, CaseIterable {
    /// Weights stay in the PEs; activations stream through (TPU-like).
    case weightStationary
    /// Each PE accumulates one output; activations and weights stream.
    case outputStationary
    /// Activations stay in the PEs; weights stream.
    case inputStationary

    public var shortName: String {
        switch self {
        case .weightStationary: return "ws"
        case .outputStationary: return "os"
        case .inputStationary: return "is"
        }
    }
}

/// Where the activation-selection multiplexers sit.
public enum MuxPlacement: String, Sendable, CaseIterable {
    /// One M:1 multiplexer per PE; every PE may keep different positions (true per-column N:M).
    /// Each PE row must be offered all M activations of a group: M/N times the dense rate.
    case perPE
    /// One multiplexer per PE row, shared by the row's PEs: the columns of a tile share their
    /// kept positions (column-shared N:M), so only kept activations are fetched, and one index
    /// per row is decoded instead of one per PE.
    case perRow
}

/// How repeated attention products (one per head and image) are run.
public enum AttentionMapping: String, Sendable, CaseIterable {
    /// Each head's Q·Kᵀ and A·V is its own layer run: the pipeline fills and drains per head.
    case perHead
    /// The heads' products stream through one pipeline back to back, so fetches of the next
    /// head overlap the current one and the fill/drain is paid once.
    case headBatched
}

/// How fold timing is computed.
public enum TimingModel: String, Sendable, CaseIterable {
    /// The native model: overlapped fetch, decode, load and compute with stalls.
    case native
    /// SCALE-Sim 3.0.0's CALC-mode arithmetic: serial full folds, no memory or decode time.
    case scaleSim
}

/// An on-chip SRAM buffer.
public struct BufferSpec: Equatable, Sendable {
    /// Capacity in bytes.
    public var capacityBytes: Int
    public var banks: Int
    public var bankWidthBytes: Int
    /// Read/write ports per bank.
    public var ports: Int
    /// Half the capacity holds the tile in use while the other half is filled.
    public var doubleBuffered: Bool

    public init(capacityBytes: Int, banks: Int, bankWidthBytes: Int, ports: Int, doubleBuffered: Bool) {
        self.capacityBytes = capacityBytes
        self.banks = banks
        self.bankWidthBytes = bankWidthBytes
        self.ports = ports
        self.doubleBuffered = doubleBuffered
    }

    /// Bytes the buffer can deliver per cycle: banks × width × ports.
    public var bytesPerCycle: Int { banks * bankWidthBytes * ports }
    /// Bytes that may stay resident across folds (half when double-buffered).
    public var residentBytes: Int { doubleBuffered ? capacityBytes / 2 : capacityBytes }

    /// A buffer with no bandwidth limit and unlimited capacity.
    package static let unlimited = BufferSpec(capacityBytes: Int(Int32.max), banks: 1, bankWidthBytes: 1 << 20, ports: 1, doubleBuffered: true)
}

/// Off-chip memory.
public struct DRAMSpec: Equatable, Sendable {
    public enum Model: String, Sendable, CaseIterable {
        /// Every request waits `latencyCycles`, then streams at `bytesPerCycle`, in request order.
        case fixedLatency
        /// Transfers take no time (SCALE-Sim CALC mode).
        case ideal
    }
    public var model: Model
    public var bytesPerCycle: Double
    public var latencyCycles: Int
    /// Transfers are rounded up to whole bursts.
    public var burstBytes: Int
    /// The memory technology, for its access energy.
    public var kind: DRAMKind

    public init(model: Model, bytesPerCycle: Double, latencyCycles: Int, burstBytes: Int, kind: DRAMKind = .ddr3) {
        self.model = model
        self.bytesPerCycle = bytesPerCycle
        self.latencyCycles = latencyCycles
        self.burstBytes = burstBytes
        self.kind = kind
    }
}

/// The sparse index decoder in front of the array.
public struct DecoderSpec: Equatable, Sendable {
    /// N:M groups whose metadata is decoded per cycle.
    public var groupsPerCycle: Int
    /// Cycles from metadata in to mux selects out.
    public var latencyCycles: Int
}

/// Vector work (softmax, normalisation, activation functions, residual adds).
public struct VectorUnitSpec: Equatable, Sendable {
    public var lanes: Int
    public var latencyCycles: Int
    /// Lane-cycles per element for each operation.
    public var cyclesPerElement: [VectorOp: Int]
}

/// Operations the vector unit runs.
public enum VectorOp: String, Sendable, CaseIterable, Comparable {
    case softmax, layerNorm, gelu, add
    public static func < (a: VectorOp, b: VectorOp) -> Bool { a.rawValue < b.rawValue }
}

/// Bytes per element of each data type.
public struct DataTypes: Equatable, Sendable {
    public var activationBytes: Int
    public var weightBytes: Int
    public var outputBytes: Int
    public var accumulatorBytes: Int
}

/// A complete accelerator description: PE array, sparse support, buffers, memory, vector unit.
public struct HardwareSpec: Equatable, Sendable {
    public static let currentVersion = 1

    public var name: String
    public var summary: String
    public var clockGHz: Double
    public var rows: Int
    public var columns: Int
    public var dataflow: Dataflow
    /// Shadow registers let the next fold's stationary operand load while the current computes.
    public var stationaryDoubleBuffered: Bool
    /// Sparse patterns the array accelerates; dense is always supported.
    public var supportedPatterns: [NMPattern]
    public var mux: MuxPlacement
    public var decoder: DecoderSpec
    public var ifmap: BufferSpec
    public var filter: BufferSpec
    public var ofmap: BufferSpec
    public var dram: DRAMSpec
    public var vector: VectorUnitSpec
    public var dataTypes: DataTypes
    public var timing: TimingModel
    /// Process node and voltage the area and energy are costed in.
    public var technology = TechnologySpec()
    /// Energy overrides; absent values take the technology's defaults (``CostModel``).
    public var energy = EnergySpec()
    /// Area overrides; absent values take the technology's defaults.
    public var area = AreaSpec()
    /// One buffer holds inputs, weights and outputs: each operand may keep a third of it
    /// resident, and what a fold streams from it shares its bandwidth.
    public var unifiedBuffer: Bool = false
    public var attentionMapping: AttentionMapping = .perHead
    /// How GEMMs are scheduled on the native timing (`mapping.schedule`, `mapping.objective`).
    public var mapping = MappingOptions()
    /// Elementwise fusion and activation residency between layers (native timing only).
    public var dataMovement = DataMovementOptions()
    /// Set for specs read from a SCALE-Sim `.cfg`: its sparsity mode and run settings.
    package var scaleSim: SCALESimSettings? = nil

    /// Instances of `layer` simulated as one pipeline: a head-batched attention product runs
    /// all its `count` instances together; everything else one at a time.
    package func pipelinedInstances(of layer: Layer) -> Int {
        attentionMapping == .headBatched && !layer.hasParameters && layer.shape != nil ? layer.count : 1
    }

    /// Whether `pattern` can run on this array (dense always can).
    public func supports(_ pattern: NMPattern) -> Bool {
        pattern.isDense || supportedPatterns.contains(pattern) || scaleSim?.sparsity == .layerWise
    }

    /// The supported patterns as the user would list them, densest last.
    public var supportedPatternNames: String {
        if scaleSim?.sparsity == .layerWise { return "any N:M" }
        return supportedPatterns.isEmpty ? "dense only" : supportedPatterns.sorted().map(\.description).joined(separator: ", ")
    }
}
