/// ELSA's released layer-wise configurations (github ningchihuang/ELSA), built in so they
/// can be named on the command line. The same files are in workloads/elsa/; a test checks that
/// both agree.
public struct ELSAConfiguration: Sendable {
    /// Short name, e.g. `elsa-deit-b-6.01g`.
    public var name: String
    /// The built-in model it belongs to.
    public var model: VisionTransformer
    /// MACs in G as in the released file name.
    public var publishedGMACs: Double
    /// ImageNet top-1 as in the released file name.
    public var publishedTop1: Double
    /// The released file name in workloads/elsa/.
    public var file: String
    /// TEST_SUBNET, one [N, M] per gene.
    public var genes: [[Int]]
}

public enum ELSAConfigurations {
    /// ELSA's released configurations of `model`, in release order.
    public static func released(for model: VisionTransformer) -> [ELSAConfiguration] { all.filter { $0.model == model } }

    public static let all: [ELSAConfiguration] = [
        ELSAConfiguration(
            name: "elsa-deit-b-6.01g", model: .deitB, publishedGMACs: 6.01, publishedTop1: 81.358, file: "sparse_deit_base_6.01G_81.358.yaml",
            genes: [
                [2, 4], [1, 4], [1, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4], [1, 4], [2, 4], [1, 4],
                [1, 4], [2, 4], [1, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4], [1, 4],
                [1, 4], [1, 4], [2, 4], [1, 4], [4, 4], [1, 4], [2, 4], [1, 4], [2, 4], [2, 4], [1, 4], [1, 4],
            ]),
        ELSAConfiguration(
            name: "elsa-deit-b-6.88g", model: .deitB, publishedGMACs: 6.88, publishedTop1: 81.538, file: "sparse_deit_base_6.88G_81.538.yaml",
            genes: [
                [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4], [1, 4], [2, 4], [2, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4],
                [1, 4], [2, 4], [1, 4], [1, 4], [1, 4], [2, 4], [2, 4], [2, 4], [2, 4], [1, 4], [1, 4], [2, 4], [1, 4], [2, 4], [1, 4], [1, 4], [2, 4], [1, 4],
                [2, 4], [2, 4], [2, 4], [1, 4], [4, 4], [2, 4], [2, 4], [1, 4], [4, 4], [2, 4], [1, 4], [1, 4],
            ]),
        ELSAConfiguration(
            name: "elsa-deit-s-1.96g", model: .deitS, publishedGMACs: 1.96, publishedTop1: 78.346, file: "sparse_deit_small_1.96G_78.346.yaml",
            genes: [
                [1, 4], [1, 4], [2, 4], [1, 4], [2, 4], [2, 4], [2, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [2, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4],
                [2, 4], [2, 4], [2, 4], [1, 4], [2, 4], [1, 4], [4, 4], [1, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [1, 4],
                [2, 4], [2, 4], [1, 4], [1, 4], [2, 4], [2, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4],
            ]),
        ELSAConfiguration(
            name: "elsa-swin-b-5.33g", model: .swinB, publishedGMACs: 5.33, publishedTop1: 82.768, file: "sparse_swin_base_5.33G_82.768.yaml",
            genes: [
                [1, 4], [2, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [2, 4], [2, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4],
                [1, 4], [2, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [4, 4], [1, 4], [2, 4], [1, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4],
                [1, 4], [1, 4], [2, 4], [2, 4], [1, 4], [1, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [2, 4], [1, 4], [2, 4], [1, 4], [1, 4],
                [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [2, 4], [1, 4], [2, 4], [2, 4], [2, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4],
                [1, 4], [1, 4], [2, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4], [2, 4], [2, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4],
                [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4],
            ]),
        ELSAConfiguration(
            name: "elsa-swin-b-5.92g", model: .swinB, publishedGMACs: 5.92, publishedTop1: 82.978, file: "sparse_swin_base_5.92G_82.978.yaml",
            genes: [
                [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4],
                [2, 4], [1, 4], [2, 4], [1, 4], [2, 4], [2, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4], [2, 4], [1, 4], [1, 4],
                [2, 4], [2, 4], [2, 4], [2, 4], [1, 4], [2, 4], [1, 4], [1, 4], [2, 4], [1, 4], [2, 4], [2, 4], [2, 4], [1, 4], [2, 4], [1, 4], [2, 4], [2, 4],
                [2, 4], [1, 4], [2, 4], [1, 4], [2, 4], [1, 4], [2, 4], [2, 4], [2, 4], [1, 4], [2, 4], [2, 4], [2, 4], [2, 4], [1, 4], [1, 4], [1, 4], [1, 4],
                [2, 4], [2, 4], [4, 4], [1, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [2, 4], [1, 4], [1, 4], [2, 4], [1, 4], [2, 4], [2, 4],
                [1, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4],
            ]),
        ELSAConfiguration(
            name: "elsa-swin-s-3.50g", model: .swinS, publishedGMACs: 3.50, publishedTop1: 82.548, file: "sparse_swin_small_3.50G_82.548.yaml",
            genes: [
                [2, 4], [1, 4], [2, 4], [1, 4], [1, 4], [2, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4], [1, 4], [2, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4],
                [1, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [1, 4], [2, 4], [2, 4], [1, 4], [2, 4], [1, 4], [1, 4], [2, 4], [1, 4], [1, 4], [2, 4],
                [1, 4], [2, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4], [2, 4], [2, 4], [1, 4], [1, 4], [2, 4], [2, 4], [1, 4], [1, 4], [2, 4], [2, 4], [1, 4],
                [1, 4], [1, 4], [1, 4], [2, 4], [2, 4], [1, 4], [2, 4], [2, 4], [2, 4], [1, 4], [2, 4], [1, 4], [1, 4], [2, 4], [1, 4], [1, 4], [2, 4], [1, 4],
                [1, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [1, 4], [1, 4], [2, 4], [2, 4], [2, 4], [2, 4], [1, 4], [1, 4], [2, 4], [1, 4], [2, 4], [1, 4],
                [2, 4], [1, 4], [4, 4], [2, 4], [1, 4], [1, 4],
            ]),
        ELSAConfiguration(
            name: "elsa-swin-s-3.99g", model: .swinS, publishedGMACs: 3.99, publishedTop1: 82.760, file: "sparse_swin_small_3.99G_82.760.yaml",
            genes: [
                [2, 4], [2, 4], [2, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [1, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [1, 4], [1, 4], [1, 4],
                [2, 4], [2, 4], [2, 4], [1, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4], [2, 4], [2, 4], [2, 4], [2, 4], [1, 4], [2, 4], [1, 4], [1, 4], [1, 4],
                [1, 4], [2, 4], [2, 4], [2, 4], [4, 4], [1, 4], [2, 4], [2, 4], [2, 4], [1, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4],
                [2, 4], [2, 4], [1, 4], [2, 4], [2, 4], [2, 4], [2, 4], [1, 4], [2, 4], [2, 4], [1, 4], [2, 4], [2, 4], [2, 4], [1, 4], [2, 4], [1, 4], [1, 4],
                [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [2, 4], [1, 4], [2, 4], [4, 4], [1, 4], [2, 4], [2, 4],
                [2, 4], [1, 4], [2, 4], [2, 4], [1, 4], [1, 4],
            ]),
    ]

    public static func named(_ name: String) -> ELSAConfiguration? { all.first { $0.name == name.lowercased() } }
}

extension ELSAConfiguration {
    /// The assignment for `workload`, which must be this configuration's model (any image size or batch).
    public func assignment(for workload: Workload) throws(InputError) -> PatternAssignment {
        guard workload.model == model else {
            throw InputError(.data, source: name, "is a configuration of \(model.name), not of \(workload.name)")
        }
        let list = "[" + genes.map { "[\($0[0]), \($0[1])]" }.joined(separator: ", ") + "]"
        return try AssignmentFile.elsa("TEST_SUBNET: \(list)\n", source: name, for: workload)
    }
}
