/// A family of built-in models: how its transformer blocks are laid out and named, and what
/// ELSA calls it. A model's family is chosen once, where the model is defined
/// (``VisionTransformer/all``), read from a workload file's `model` key, or read from an ELSA
/// file's `MODEL.TYPE`; nothing else tells families apart by a name.
public enum ModelFamily: String, CaseIterable, Sendable {
    /// ViT and DeiT: one stage of blocks named `blocks.B`.
    case vit
    /// Swin: stages of windowed blocks named `layers.S.blocks.B`, a patch merge between stages.
    case swin

    /// The module name of block `block` of stage `stage` (timm's names, which ELSA's code keeps).
    package func blockPrefix(stage: Int, block: Int) -> String {
        switch self {
        case .vit: "blocks.\(block)"
        case .swin: "layers.\(stage).blocks.\(block)"
        }
    }

    /// Every block's module name in model order, for `depths` blocks per stage.
    package func blockPrefixes(depths: [Int]) -> [String] {
        depths.enumerated().flatMap { s, depth in (0..<depth).map { blockPrefix(stage: s, block: $0) } }
    }

    /// How descriptions name the family (`DeiT, width 384, ...`).
    package var displayName: String {
        switch self {
        case .vit: "DeiT"
        case .swin: "Swin"
        }
    }

    // MARK: ELSA's names

    /// ELSA's `MODEL.TYPE` for the family's sparse supernet.
    package var elsaType: String {
        switch self {
        case .vit: "sparse_deit"
        case .swin: "sparse_swin"
        }
    }

    /// The `MODEL` section that holds the family's dimensions in ELSA's files.
    package var elsaSection: String {
        switch self {
        case .vit: "DEIT"
        case .swin: "SWIN"
        }
    }

    /// The family of an ELSA `MODEL.TYPE`, read as ELSA's model builder reads it: a type that
    /// mentions `swin` is Swin, one that mentions `deit` or `vit` is DeiT; nil otherwise.
    package init?(elsaType type: String) {
        if type.contains("swin") {
            self = .swin
        } else if type.contains("deit") || type.contains("vit") {
            self = .vit
        } else {
            return nil
        }
    }
}
