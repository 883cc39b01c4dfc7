import Foundation
import Testing

@testable import NMSimModel

@Suite("Built-in models")
struct ModelTests {
    /// Published dense GMACs at 224×224 (the papers; DeiT-T's paper figure 1.3 is rounded to one
    /// decimal, so timm's 1.26 is used).
    static let published: [(model: String, gmacs: Double)] = [
        ("deit-t", 1.26), ("deit-s", 4.6), ("deit-b", 17.6), ("vit-b16", 17.6), ("vit-l16", 61.6),
        ("swin-t", 4.5), ("swin-s", 8.7), ("swin-b", 15.4),
    ]

    static func gmacs(_ w: Workload) -> Double {
        Double(w.layers.reduce(Int64(0)) { $0 + ($1.shape?.denseMACs ?? 0) * Int64($1.count) }) / 1e9
    }

    @Test(arguments: published)
    func denseMACsMatchThePublishedFigureWithinOnePercent(model: String, gmacs: Double) {
        let g = Self.gmacs(VisionTransformer.named(model)!.workload())
        #expect(abs(g - gmacs) / gmacs < 0.01, "\(model): \(g) G vs published \(gmacs) G")
    }

    @Test func vitH14MatchesItsPublishedFigure() {
        // ViT-H/14 at 224: 167.4 GFLOPs (MACs) in timm's table.
        let g = Self.gmacs(VisionTransformer.named("vit-h14")!.workload())
        #expect(abs(g - 167.4) / 167.4 < 0.01, "\(g)")
    }

    @Test func batchScalesMACsAndKeepsAttentionPerImage() {
        let one = VisionTransformer.named("swin-b")!.workload()
        let eight = VisionTransformer.named("swin-b")!.workload(batch: 8)
        #expect(abs(Self.gmacs(eight) - 8 * Self.gmacs(one)) < 1e-6)
        #expect(eight.name == "swin-b-batch8")
    }

    @Test func sparsifiableLayersAreQkvProjFc1Fc2() {
        let w = VisionTransformer.named("deit-b")!.workload()
        let names = w.sparsifiableIndices.map { w.layers[$0].name }
        #expect(names.count == 48)
        #expect(names.prefix(4) == ["blocks.0.attn.qkv", "blocks.0.attn.proj", "blocks.0.mlp.fc1", "blocks.0.mlp.fc2"])
    }

    @Test func sparsifiableLayerKindsAreConfigurable() {
        let w = VisionTransformer.named("swin-t")!.workload(sparsify: [.fc1, .merge, .head])
        let names = w.sparsifiableIndices.map { w.layers[$0].name }
        #expect(names.filter { $0.hasSuffix(".mlp.fc1") }.count == 12)
        #expect(names.filter { $0.hasSuffix(".downsample.reduction") }.count == 3)
        #expect(names.contains("head") && !names.contains("patch_embed"))
        #expect(!names.contains { $0.hasSuffix(".attn.qkv") || $0.hasSuffix(".attn.qk") })
    }

    @Test(arguments: [
        (kind: WeightLayerKind.qkv, suffix: ".attn.qkv", count: 12), (.proj, ".attn.proj", 12), (.fc1, ".mlp.fc1", 12), (.fc2, ".mlp.fc2", 12),
        (.patchEmbed, "patch_embed", 1), (.merge, ".downsample.reduction", 3), (.head, "head", 1),
    ])
    func eachKindAloneMarksExactlyItsLayers(kind: WeightLayerKind, suffix: String, count: Int) {
        let w = VisionTransformer.named("swin-t")!.workload(sparsify: [kind])
        let names = w.sparsifiableIndices.map { w.layers[$0].name }
        #expect(names.count == count && names.allSatisfy { $0.hasSuffix(suffix) }, "\(names)")
    }

    @Test func aFileCategoryIsKeptAndGroupsCycles() throws {
        let w = try Workload.decode(
            json: """
                {"version": 1, "name": "w", "layers": [
                  {"name": "a", "type": "gemm", "m": 8, "n": 8, "k": 8, "category": "conv"},
                  {"name": "b", "type": "gemm", "m": 8, "n": 8, "k": 8},
                  {"name": "c", "type": "gemm", "m": 8, "n": 8, "k": 8, "parameters": false}]}
                """, source: "w.json")
        #expect(w.layers.map(\.category) == [LayerCategory("conv"), .gemm, .attention])
        let r = try NetworkSimulator(spec: InputLoader.spec(nil).spec).run(w, patterns: [.dense, .dense, .dense])
        #expect(r.cyclesByCategory.map(\.category.name) == ["attention", "conv", "gemm"])
    }

    @Test func namesAreForgiving() {
        #expect(VisionTransformer.named("ViT-B/16")?.name == "vit-b16")
        #expect(VisionTransformer.named("DeiT_B")?.name == "deit-b")
        #expect(VisionTransformer.named("resnet50") == nil)
    }

    @Test func badImageSizesAreExplained() {
        #expect(VisionTransformer.named("deit-b")!.problem(image: 225, batch: 1) == "image size 225 is not a multiple of the patch size 16")
        #expect(VisionTransformer.named("swin-t")!.problem(image: 256, batch: 1) != nil)
        #expect(VisionTransformer.named("swin-t")!.problem(image: 448, batch: 1) == nil)
    }
}

@Suite("Workload files")
struct WorkloadFileTests {
    @Test func jsonRoundTrips() throws {
        let w = VisionTransformer.named("swin-t")!.workload()
        let text = JSONWriter.write(w.jsonValue())
        #expect(try Workload.decode(json: text, source: "w.json") == w)
    }

    @Test func everyProblemIsLocated() {
        let text = """
            {"version": 1, "name": "x", "layers": [
              {"name": "a", "type": "gemm", "m": 0, "n": 4, "k": 4},
              {"name": "a", "type": "conv", "m": 4},
              {"name": "v", "type": "vector", "op": "softmax", "elements": 10, "pattern": "2:4"},
              {"name": "g", "type": "gemm", "m": 4, "n": 4, "k": 4, "pattern": "3:2", "colour": "red"}
            ]}
            """
        #expect {
            _ = try Workload.decode(json: text, source: "w.json")
        } throws: { e in
            (e as! InputError).diagnostics.map(\.description) == [
                "w.json: layers[0].m: must be between 1 and 16777216 (got 0)",
                "w.json: layers[1].name: duplicate layer name \"a\"",
                "w.json: layers[1].type: unknown value \"conv\"; expected one of: gemm, vector",
                "w.json: layers[2].pattern: vector layers have no weights to prune",
                "w.json: layers[3].pattern: N must be between 1 and M (got 3:2)",
                "w.json: layers[3].colour: unknown key",
            ]
        }
    }

    @Test(arguments: ["workloads/gemm-example.json", "workloads/deit-t.json"])
    func shippedWorkloadsLoad(path: String) throws {
        let w = try InputLoader.workload(repositoryRoot.appendingPathComponent(path).path)
        #expect(!w.layers.isEmpty)
    }

    @Test func shippedTopologiesLoad() throws {
        let dir = repositoryRoot.appendingPathComponent("workloads/scalesim")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".csv") }
        #expect(!files.isEmpty)
        for f in files { _ = try InputLoader.workload(dir.appendingPathComponent(f).path) }
    }
}
