/// How a spec moves activations between layers on the native timing (`dataMovement` in a spec).
public struct DataMovementOptions: Equatable, Sendable {
    /// Elementwise work right after a GEMM (GELU, residual add) runs on the vector unit in the
    /// array's output path instead of as a layer of its own.
    public var fuseElementwise = false
    /// An activation tensor that fits half the ifmap buffer stays on chip from the layer that
    /// writes it to the layers that read it; otherwise it goes through DRAM.
    public var activationsOnChip = false

    public init(fuseElementwise: Bool = false, activationsOnChip: Bool = false) {
        self.fuseElementwise = fuseElementwise
        self.activationsOnChip = activationsOnChip
    }

    /// Elementwise operations that can run in a GEMM's output path.
    package static let fusableOps: Set<VectorOp> = [.gelu, .add]
}

/// Where one layer's activations come from and go to, decided from the layer's neighbours in
/// the workload (their shapes only, never their patterns), so a layer's cycles stay a function
/// of its own pattern.
package struct LayerIO: Hashable, Sendable {
    /// The layer's input is the previous layer's output and stayed on chip.
    package var inputOnChip = false
    /// An attention product's second operand (K or V) stayed on chip: it is the output of the
    /// nearest earlier layer with parameters (qkv), which fit.
    package var weightsOnChip = false
    /// A residual add's second operand (the skip tensor) fits on chip.
    package var skipOnChip = false
    /// The layer's output (after its fused epilogue) stays on chip for the next layer.
    package var outputOnChip = false
    /// Elementwise operations fused into this GEMM's output path, in order.
    package var epilogue: [VectorOp] = []
    /// This vector layer runs inside the previous GEMM's output path (its cost is that GEMM's).
    package var fused = false

    package init() {}

    /// A layer simulated on its own: inputs from DRAM, outputs to DRAM, nothing fused.
    package static let standalone = LayerIO()
}

/// Decides each layer's ``LayerIO`` for a workload on a spec.
///
/// Layers run in order and each reads the previous layer's output (the attention products'
/// second operand is the nearest earlier qkv-like layer's output, a residual add's second
/// operand is the block's skip tensor). A tensor stays on chip when the spec keeps activations
/// on chip and it fits half the ifmap buffer (the other half receives the next output); the
/// last layer's output always goes to DRAM. Sizes do not depend on N:M patterns, so neither do
/// these decisions. SCALE-Sim timing runs every layer standalone, as SCALE-Sim does.
package enum LayerLinks {
    /// Bytes of half the ifmap buffer: the largest activation tensor kept on chip (nil when the
    /// spec keeps none).
    package static func onChipCapacity(_ spec: HardwareSpec) -> Int? {
        guard spec.timing == .native, spec.dataMovement.activationsOnChip else { return nil }
        return spec.ifmap.capacityBytes / 2
    }

    /// Output bytes of all instances of a layer.
    static func outputBytes(_ layer: Layer, _ t: DataTypes) -> Int64 {
        switch layer.kind {
        case .gemm(let s): return Int64(s.m) * Int64(s.n) * Int64(layer.count) * Int64(t.outputBytes)
        case .vector(_, let e): return Int64(e) * Int64(layer.count) * Int64(t.activationBytes)
        }
    }

    /// One ``LayerIO`` per layer of `workload`.
    package static func plan(_ workload: Workload, spec: HardwareSpec) -> [LayerIO] {
        let layers = workload.layers
        var io = [LayerIO](repeating: .standalone, count: layers.count)
        guard spec.timing == .native else { return io }
        let t = spec.dataTypes
        // Fusion: elementwise layers right after a GEMM (or after one fused into it) over
        // exactly its outputs join that GEMM's epilogue.
        var owner = [Int?](repeating: nil, count: layers.count)
        if spec.dataMovement.fuseElementwise {
            for i in layers.indices.dropFirst() {
                guard case let .vector(op, elements) = layers[i].kind, DataMovementOptions.fusableOps.contains(op) else { continue }
                let g: Int
                if case .gemm = layers[i - 1].kind { g = i - 1 } else if let o = owner[i - 1] { g = o } else { continue }
                guard let s = layers[g].shape,
                    Int64(elements) * Int64(layers[i].count) == Int64(s.m) * Int64(s.n) * Int64(layers[g].count)
                else { continue }
                owner[i] = g
                io[i].fused = true
                io[g].epilogue.append(op)
            }
        }
        guard let capacity = onChipCapacity(spec).map(Int64.init) else { return io }
        func fits(_ i: Int) -> Bool { outputBytes(layers[i], t) <= capacity }
        var producer: Int?
        for i in layers.indices {
            let l = layers[i]
            io[i].inputOnChip = i > 0 && fits(i - 1)
            // The tensor this layer (with its fused epilogue) hands on is read by a later layer.
            var last = i
            while last + 1 < layers.count, io[last + 1].fused { last += 1 }
            io[i].outputOnChip = last + 1 < layers.count && fits(i)
            if l.shape != nil && !l.hasParameters, let p = producer { io[i].weightsOnChip = fits(p) }
            if l.hasParameters { producer = i }
            let adds: Bool
            if case .vector(.add, _) = l.kind { adds = true } else { adds = io[i].epilogue.contains(.add) }
            if adds { io[i].skipOnChip = outputBytes(l, t) <= capacity }
        }
        return io
    }

    /// A vector layer's result: its lane cycles, and its bytes (inputs, a residual add's skip
    /// tensor, the output) from and to chip or DRAM as `io` says; a fused layer costs nothing
    /// here (its GEMM carries it). On SCALE-Sim timing the vector layer moves no bytes.
    /// Nil when the counts would overflow.
    package static func vectorResult(_ op: VectorOp, elements: Int, io: LayerIO, spec: HardwareSpec) -> LayerResult? {
        if io.fused {
            return LayerResult(
                cycles: 0, computeCycles: 0, stalls: StallBreakdown(), folds: 0, macs: 0, denseMACs: 0, weightBytes: 0,
                metadataBytes: 0, decodedGroups: 0, traffic: Traffic(), vectorElementOps: 0, events: 0)
        }
        let vector = VectorUnit(spec.vector)
        guard let c = vector.cycles(op, elements: elements), elements <= WorkloadLimits.maxElements else { return nil }
        var traffic = Traffic()
        var cycles = c
        var stalls = StallBreakdown()
        if spec.timing == .native {
            let bytes = Int64(elements) * Int64(spec.dataTypes.activationBytes)
            let inputs: Int64 = op == .add ? 2 : 1
            let dramRead = (io.inputOnChip ? 0 : bytes) + (op == .add && !io.skipOnChip ? bytes : 0)
            let dramWrite = io.outputOnChip ? 0 : bytes
            traffic.dramReadBytes = dramRead
            traffic.dramWriteBytes = dramWrite
            traffic.sramReadBytes = inputs * bytes
            traffic.sramWriteBytes = dramRead + bytes
            traffic.byOperand.dramInput = dramRead
            traffic.byOperand.ifmapRead = inputs * bytes
            traffic.byOperand.ofmapWrite = bytes
            let moved = dramRead + dramWrite
            if moved > 0, spec.dram.model != .ideal {
                let transfer = Int64((Double(moved) / spec.dram.bytesPerCycle).rounded(.up)) + Int64(spec.dram.latencyCycles)
                cycles = max(c, transfer)
                stalls.memory = cycles - c
            }
        }
        return LayerResult(
            cycles: cycles, computeCycles: c, stalls: stalls, folds: 0, macs: 0, denseMACs: 0, weightBytes: 0, metadataBytes: 0,
            decodedGroups: 0, traffic: traffic, vectorElementOps: vector.elementOps(op, elements: elements), events: 1)
    }
}
