/// The kinds of weight layer in a built-in model that may be made sparse (`sparsify`); names
/// are timm's module names. The attention products multiply activations by activations, so N:M
/// weight sparsity does not apply to them and they are no kind here.
public enum WeightLayerKind: String, CaseIterable, Sendable, Comparable {
    case qkv, proj, fc1, fc2
    case patchEmbed = "patch_embed"
    case merge, head

    /// ELSA's choice, the default: the four GEMMs of every block.
    public static let elsaDefault: Set<WeightLayerKind> = [.qkv, .proj, .fc1, .fc2]

    /// The weight layers of a transformer block, in the order the block runs them.
    package static let inBlock: [WeightLayerKind] = [.qkv, .proj, .fc1, .fc2]

    /// The module of a transformer block that holds the kind (`attn.qkv`, `mlp.fc1`); nil for
    /// the layers outside blocks (`patch_embed`, a Swin merge, `head`).
    package var blockModule: String? {
        switch self {
        case .qkv: "attn.qkv"
        case .proj: "attn.proj"
        case .fc1: "mlp.fc1"
        case .fc2: "mlp.fc2"
        case .patchEmbed, .merge, .head: nil
        }
    }

    /// Every kind's name, comma-separated, in declaration order.
    public static var known: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Ordered by name, as records list them.
    public static func < (a: WeightLayerKind, b: WeightLayerKind) -> Bool { a.rawValue < b.rawValue }
}
