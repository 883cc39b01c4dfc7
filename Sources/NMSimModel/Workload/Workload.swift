/// One step of a network, as the hardware sees it.
public struct Layer: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// A matrix multiply: M×K input times K×N weights.
        case gemm(GEMMShape)
        /// Element-wise or row-wise work on the vector unit.
        case vector(VectorOp, elements: Int)
    }

    public var name: String
    public var kind: Kind
    /// The layer's own N:M pattern; nil means dense unless an assignment says otherwise.
    public var pattern: NMPattern?
    /// Whether the layer's weights may be pruned (qkv, proj, fc1, fc2 in a ViT).
    public var sparsifiable: Bool
    /// Whether the right-hand operand is a stored parameter (false for attention products).
    public var hasParameters: Bool
    /// Identical back-to-back instances (per-head attention products).
    public var count: Int
    /// A grouping label used in breakdowns (gemm, attention, vector, ...).
    public var category: LayerCategory
    /// The convolution a SCALE-Sim topology row describes (its GEMM is `kind`); nil for GEMM rows.
    public var convolution: Convolution?

    public init(
        name: String, kind: Kind, pattern: NMPattern? = nil, sparsifiable: Bool = true,
        hasParameters: Bool = true, count: Int = 1, category: LayerCategory? = nil
    ) {
        self.name = name
        self.kind = kind
        self.pattern = pattern
        let isGEMM: Bool
        if case .gemm = kind { isGEMM = true } else { isGEMM = false }
        self.sparsifiable = isGEMM && sparsifiable
        self.hasParameters = isGEMM && hasParameters
        self.count = count
        switch kind {
        case .gemm: self.category = category ?? (hasParameters ? .gemm : .attention)
        case .vector: self.category = category ?? .vector
        }
    }

    public var shape: GEMMShape? {
        if case .gemm(let s) = kind { return s }
        return nil
    }
}

/// A convolution as SCALE-Sim's topology gives it (no padding, one stride for both axes).
public struct Convolution: Equatable, Sendable {
    public var ifmapHeight: Int, ifmapWidth: Int
    public var filterHeight: Int, filterWidth: Int
    public var channels: Int, filters: Int, stride: Int
    public init(ifmapHeight: Int, ifmapWidth: Int, filterHeight: Int, filterWidth: Int, channels: Int, filters: Int, stride: Int) {
        self.ifmapHeight = ifmapHeight; self.ifmapWidth = ifmapWidth
        self.filterHeight = filterHeight; self.filterWidth = filterWidth
        self.channels = channels; self.filters = filters; self.stride = stride
    }
    /// Output rows and columns: ⌈(I − F + S) / S⌉, as SCALE-Sim computes them.
    public var outputHeight: Int { (ifmapHeight - filterHeight + stride - 1) / stride + 1 }
    public var outputWidth: Int { (ifmapWidth - filterWidth + stride - 1) / stride + 1 }
}

/// An ordered list of layers, run one after another.
public struct Workload: Equatable, Sendable {
    public static let currentVersion = 1
    public var name: String
    public var layers: [Layer]
    /// Problems in the file that did not stop it loading (printed on stderr).
    public var warnings: [Diagnostic] = []
    /// Images one run processes (a batched model's batch); energy is reported per image.
    public var images: Int
    /// The built-in model whose lowering these layers are (at any image size or batch), which
    /// names its blocks and places ELSA's genes; nil for a workload of no built-in model.
    public var model: VisionTransformer?

    public init(name: String, layers: [Layer], images: Int = 1, model: VisionTransformer? = nil) {
        self.name = name
        self.layers = layers
        self.images = images
        self.model = model
    }

    /// Indices of layers whose weights may be pruned.
    public var sparsifiableIndices: [Int] { layers.indices.filter { layers[$0].sparsifiable } }
}

/// Limits that keep every cycle and byte count far from Int64 overflow.
package enum WorkloadLimits {
    /// Largest GEMM dimension accepted.
    package static let maxDimension = 1 << 24
    /// Largest dense MAC count of one layer instance.
    package static let maxMACs: Int64 = 1 << 50
    package static let maxCount = 1 << 16
    package static let maxElements = 1 << 40

    /// A message when the shape is too large to simulate safely, else nil.
    package static func check(_ s: GEMMShape) -> String? {
        for (name, v) in [("M", s.m), ("N", s.n), ("K", s.k)] {
            if v < 1 { return "\(name) must be at least 1 (got \(v))" }
            if v > maxDimension { return "\(name) = \(v) exceeds the largest supported dimension \(maxDimension)" }
        }
        let (mn, o1) = Int64(s.m).multipliedReportingOverflow(by: Int64(s.n))
        let (mnk, o2) = mn.multipliedReportingOverflow(by: Int64(s.k))
        if o1 || o2 || mnk > maxMACs { return "\(s.m)×\(s.n)×\(s.k) MACs would overflow the cycle counters (limit \(maxMACs))" }
        return nil
    }
}
