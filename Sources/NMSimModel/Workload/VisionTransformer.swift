import Foundation

/// Built-in Vision Transformer models, lowered layer by layer as the hardware sees them.
///
/// Per transformer block: norm1 (vector), qkv (GEMM), per-head Q·Kᵀ and A·V (GEMMs on
/// activations, repeated per head and image), softmax (vector), proj (GEMM), residual add,
/// norm2, fc1 (GEMM), GELU, fc2 (GEMM), residual add. Layer names follow timm's module names
/// (`blocks.3.attn.qkv`, `layers.2.blocks.5.mlp.fc1`) so checkpoints and assignments line up.
/// qkv, proj, fc1 and fc2 are sparsifiable (ELSA's choice); everything else stays dense.
public struct VisionTransformer: Sendable, Equatable {
    public var name: String
    public var family: ModelFamily
    public var patch: Int
    public var width: Int
    /// Blocks per stage (one stage for ViT/DeiT).
    public var depths: [Int]
    /// Heads per stage.
    public var heads: [Int]
    public var mlpRatio: Int = 4
    /// Swin window side.
    public var window: Int = 7
    public var classes: Int = 1000
    public var defaultImage: Int = 224

    package static let deitT = VisionTransformer(name: "deit-t", family: .vit, patch: 16, width: 192, depths: [12], heads: [3])
    package static let deitS = VisionTransformer(name: "deit-s", family: .vit, patch: 16, width: 384, depths: [12], heads: [6])
    package static let deitB = VisionTransformer(name: "deit-b", family: .vit, patch: 16, width: 768, depths: [12], heads: [12])
    package static let vitB16 = VisionTransformer(name: "vit-b16", family: .vit, patch: 16, width: 768, depths: [12], heads: [12])
    package static let vitL16 = VisionTransformer(name: "vit-l16", family: .vit, patch: 16, width: 1024, depths: [24], heads: [16])
    package static let vitH14 = VisionTransformer(name: "vit-h14", family: .vit, patch: 14, width: 1280, depths: [32], heads: [16])
    package static let swinT = VisionTransformer(name: "swin-t", family: .swin, patch: 4, width: 96, depths: [2, 2, 6, 2], heads: [3, 6, 12, 24])
    package static let swinS = VisionTransformer(name: "swin-s", family: .swin, patch: 4, width: 96, depths: [2, 2, 18, 2], heads: [3, 6, 12, 24])
    package static let swinB = VisionTransformer(name: "swin-b", family: .swin, patch: 4, width: 128, depths: [2, 2, 18, 2], heads: [4, 8, 16, 32])

    /// Every built-in model, in the order `nmsim workloads` lists them.
    public static let all: [VisionTransformer] = [deitT, deitS, deitB, vitB16, vitL16, vitH14, swinT, swinS, swinB]

    /// Accepts `deit-b`, `DeiT-B`, `vit-b/16`, `vit_b16`.
    public static func named(_ s: String) -> VisionTransformer? {
        let key = s.lowercased().replacingOccurrences(of: "/", with: "").replacingOccurrences(of: "_", with: "-")
        return all.first { $0.name == key }
    }

    public var blockCount: Int { depths.reduce(0, +) }

    /// Every block's module name, in model order (`blocks.0`, ... or `layers.0.blocks.0`, ...).
    package var blockPrefixes: [String] { family.blockPrefixes(depths: depths) }

    /// The name of the weight layer of `kind` in the block `block` (`blocks.3.attn.qkv`).
    package static func layerName(block: String, _ kind: WeightLayerKind) -> String {
        guard let module = kind.blockModule else { preconditionFailure("\(kind) is not a layer of a transformer block") }
        return "\(block).\(module)"
    }

    /// The block layers (qkv, proj, fc1 and fc2 of every block) that `layers` has no GEMM with
    /// parameters for, in model order; empty when `layers` can be this model's lowering.
    package func missingBlockLayers(in layers: [Layer]) -> [String] {
        let weights = Set(layers.filter(\.hasParameters).map(\.name))
        return blockPrefixes.flatMap { b in WeightLayerKind.inBlock.map { Self.layerName(block: b, $0) } }.filter { !weights.contains($0) }
    }

    /// Checks an image size and batch; nil when they work for this model.
    public func problem(image: Int, batch: Int) -> String? {
        if batch < 1 || batch > 4096 { return "batch must be between 1 and 4096 (got \(batch))" }
        if image < patch || image > 8192 { return "image size must be between \(patch) and 8192 (got \(image))" }
        if image % patch != 0 { return "image size \(image) is not a multiple of the patch size \(patch)" }
        if family == .swin {
            let side = image / patch
            let need = window << (depths.count - 1)
            if side % need != 0 {
                return
                    "\(name) needs an image size whose \(side)-token side divides by \(need) (window \(window) at every stage); try \(patch * need * max(1, side / need))"
            }
        }
        return nil
    }

    /// Kinds of weight layer that may be made sparse: ELSA's choice by default.
    public static let defaultSparsifiable = WeightLayerKind.elsaDefault

    /// The model lowered for `image`×`image` inputs and `batch` images; the weight layers of the
    /// kinds in `sparsify` are sparsifiable.
    public func workload(image: Int? = nil, batch: Int = 1, sparsify: Set<WeightLayerKind> = VisionTransformer.defaultSparsifiable) -> Workload {
        let image = image ?? defaultImage
        precondition(problem(image: image, batch: batch) == nil, problem(image: image, batch: batch)!)
        var layers: [Layer] = []
        var kinds: [WeightLayerKind?] = []
        func add(_ layer: Layer, _ kind: WeightLayerKind? = nil) {
            layers.append(layer)
            kinds.append(kind)
        }
        let side = image / patch
        add(
            Layer(
                name: "patch_embed", kind: .gemm(GEMMShape(m: side * side * batch, n: width, k: 3 * patch * patch)),
                sparsifiable: false, category: .embed), .patchEmbed)
        switch family {
        case .vit:
            let tokens = side * side + 1
            for b in 0..<depths[0] {
                appendBlock(
                    add, prefix: family.blockPrefix(stage: 0, block: b), tokens: tokens, dim: width, heads: heads[0],
                    attentionTokens: tokens, groups: batch, batch: batch)
            }
            add(Layer(name: "norm", kind: .vector(.layerNorm, elements: tokens * width * batch)))
            add(Layer(name: "head", kind: .gemm(GEMMShape(m: batch, n: classes, k: width)), sparsifiable: false, category: .head), .head)
        case .swin:
            var res = side
            var dim = width
            for (s, depth) in depths.enumerated() {
                if s > 0 {
                    add(Layer(name: "layers.\(s - 1).downsample.norm", kind: .vector(.layerNorm, elements: (res / 2) * (res / 2) * 4 * dim * batch)))
                    add(
                        Layer(
                            name: "layers.\(s - 1).downsample.reduction",
                            kind: .gemm(GEMMShape(m: (res / 2) * (res / 2) * batch, n: 2 * dim, k: 4 * dim)),
                            sparsifiable: false, category: .merge), .merge)
                    res /= 2
                    dim *= 2
                }
                let windows = (res / window) * (res / window)
                for b in 0..<depth {
                    appendBlock(
                        add, prefix: family.blockPrefix(stage: s, block: b), tokens: res * res, dim: dim, heads: heads[s],
                        attentionTokens: window * window, groups: windows * batch, batch: batch)
                }
            }
            add(Layer(name: "norm", kind: .vector(.layerNorm, elements: res * res * dim * batch)))
            add(Layer(name: "head", kind: .gemm(GEMMShape(m: batch, n: classes, k: dim)), sparsifiable: false, category: .head), .head)
        }
        for i in layers.indices where layers[i].hasParameters {
            layers[i].sparsifiable = kinds[i].map(sparsify.contains) ?? false
        }
        let suffix = (image != defaultImage ? "-\(image)px" : "") + (batch != 1 ? "-batch\(batch)" : "")
        return Workload(name: name + suffix, layers: layers, images: batch, model: self)
    }

    /// One transformer block. `tokens` per image; attention runs over `attentionTokens`-token
    /// groups (windows for Swin), `groups` of them in all (windows × images).
    private func appendBlock(
        _ emit: (Layer, WeightLayerKind?) -> Void, prefix: String, tokens: Int, dim: Int, heads: Int,
        attentionTokens t: Int, groups: Int, batch: Int
    ) {
        func add(_ layer: Layer, _ kind: WeightLayerKind? = nil) { emit(layer, kind) }
        let rows = tokens * batch
        let dh = dim / heads
        add(Layer(name: "\(prefix).norm1", kind: .vector(.layerNorm, elements: rows * dim)))
        add(Layer(name: Self.layerName(block: prefix, .qkv), kind: .gemm(GEMMShape(m: rows, n: 3 * dim, k: dim))), .qkv)
        add(
            Layer(
                name: "\(prefix).attn.qk", kind: .gemm(GEMMShape(m: t, n: t, k: dh)), sparsifiable: false,
                hasParameters: false, count: heads * groups))
        add(Layer(name: "\(prefix).attn.softmax", kind: .vector(.softmax, elements: heads * groups * t * t)))
        add(
            Layer(
                name: "\(prefix).attn.av", kind: .gemm(GEMMShape(m: t, n: dh, k: t)), sparsifiable: false,
                hasParameters: false, count: heads * groups))
        add(Layer(name: Self.layerName(block: prefix, .proj), kind: .gemm(GEMMShape(m: rows, n: dim, k: dim))), .proj)
        add(Layer(name: "\(prefix).add1", kind: .vector(.add, elements: rows * dim)))
        add(Layer(name: "\(prefix).norm2", kind: .vector(.layerNorm, elements: rows * dim)))
        add(Layer(name: Self.layerName(block: prefix, .fc1), kind: .gemm(GEMMShape(m: rows, n: mlpRatio * dim, k: dim))), .fc1)
        add(Layer(name: "\(prefix).mlp.gelu", kind: .vector(.gelu, elements: rows * mlpRatio * dim)))
        add(Layer(name: Self.layerName(block: prefix, .fc2), kind: .gemm(GEMMShape(m: rows, n: dim, k: mlpRatio * dim))), .fc2)
        add(Layer(name: "\(prefix).add2", kind: .vector(.add, elements: rows * dim)))
    }
}
