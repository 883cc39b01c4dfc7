/// The kinds of weight layer in a built-in model that may be made sparse (`sparsify`); names
/// are timm's module names. The attention products multiply activations by activations, so N:M
/// weight sparsity does not apply to them and they are no kind here.
public enum WeightLayerKind: String, CaseIterable, Sendable, Comparable {
    case qkv, proj, fc1, fc2
    case patchEmbed = "patch_embed"
    case merge, head

    /// ELSA's choice, the default: the four GEMMs of every block.
    public static let elsaDefault: Set<WeightLayerKind> = [.qkv, .proj, .fc1, .fc2]

    /// Every kind's name, comma-separated, in declaration order.
    public static var known: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Ordered by name, as records list them.
    public static func < (a: WeightLayerKind, b: WeightLayerKind) -> Bool { a.rawValue < b.rawValue }
}
