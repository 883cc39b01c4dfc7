/// A grouping label for layers in breakdowns (``NetworkReport/cyclesByCategory``, the comparison's
/// columns): one of the labels the built-in lowering and the defaults use, or any label a
/// workload file gives (`category`).
public struct LayerCategory: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The label as reports print it.
    public let name: String

    public init(_ name: String) { self.name = name }

    /// A GEMM on stored weights (the default for a GEMM with parameters).
    public static let gemm = LayerCategory("gemm")
    /// A GEMM on activations only: the attention products.
    public static let attention = LayerCategory("attention")
    /// Work on the vector unit (the default for a vector layer).
    public static let vector = LayerCategory("vector")
    /// A built-in model's patch embedding.
    public static let embed = LayerCategory("embed")
    /// A built-in model's classifier.
    public static let head = LayerCategory("head")
    /// A Swin model's patch merging.
    public static let merge = LayerCategory("merge")

    /// The categories whose layers multiply by stored weights in the built-in models.
    public static let weightGEMMs: [LayerCategory] = [.gemm, .embed, .head, .merge]

    /// Ordered by name, as reports list categories.
    public static func < (a: LayerCategory, b: LayerCategory) -> Bool { a.name < b.name }
    public var description: String { name }
}
