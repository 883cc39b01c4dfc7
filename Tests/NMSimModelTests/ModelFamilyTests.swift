import Foundation
import Testing

@testable import NMSimModel

@Suite("Model families")
struct ModelFamilyTests {
    /// The family names the blocks the lowering builds: one qkv layer per block, in model order.
    @Test(arguments: VisionTransformer.all.map(\.name))
    func blockPrefixesNameTheLoweredBlocks(name: String) {
        let m = VisionTransformer.named(name)!
        let w = m.workload(image: m.family == .swin ? 448 : m.patch * 20, batch: 2)
        #expect(w.model == m)
        #expect(m.missingBlockLayers(in: w.layers).isEmpty)
        let qkv = w.layers.filter { $0.name.hasSuffix(".attn.qkv") }.map { String($0.name.dropLast(".attn.qkv".count)) }
        #expect(qkv == m.blockPrefixes)
    }

    @Test func blocksAreNamedByStageInSwinOnly() {
        #expect(ModelFamily.swin.blockPrefixes(depths: [2, 1]) == ["layers.0.blocks.0", "layers.0.blocks.1", "layers.1.blocks.0"])
        #expect(ModelFamily.vit.blockPrefixes(depths: [2]) == ["blocks.0", "blocks.1"])
    }

    @Test(arguments: [("sparse_swin", ModelFamily.swin), ("sparse_deit", .vit), ("tiny_vit", .vit), ("resnet", nil)] as [(String, ModelFamily?)])
    func elsaTypeIsReadAsELSAReadsIt(type: String, family: ModelFamily?) {
        #expect(ModelFamily(elsaType: type) == family)
        if let family { #expect(ModelFamily(elsaType: family.elsaType) == family) }
    }
}

@Suite("Workload files: model")
struct WorkloadModelTests {
    /// DeiT-T's lowering as a workload file named `name`, with `"model": model` unless nil and
    /// without the layer `dropped`.
    static func file(name: String, model: String?, dropping dropped: String? = nil) -> String {
        var w = VisionTransformer.deitT.workload()
        w.name = name
        w.model = nil
        w.layers.removeAll { $0.name == dropped }
        let text = JSONWriter.write(w.jsonValue())
        guard let model else { return text }
        return "{\"model\": \"\(model)\", " + text.dropFirst()
    }

    static func decode(_ text: String) throws -> Workload { try Workload.decode(json: text, source: "w.json") }

    @Test func aDeclaredModelIsTheWorkloadsWhateverItsName() throws {
        #expect(try Self.decode(Self.file(name: "mine", model: "deit-t")).model == .deitT)
    }

    @Test func theModelRoundTripsUnderAnyName() throws {
        var w = VisionTransformer.swinT.workload()
        w.name = "my-swin"
        #expect(try Self.decode(JSONWriter.write(w.jsonValue())) == w)
    }

    /// Without `model`: the name of a built-in model (alone or followed by `-`) whose block layers
    /// are all there.
    @Test(
        arguments: [
            ("deit-t", nil, VisionTransformer.deitT), ("deit-t-384px", nil, .deitT), ("mine", nil, nil), ("deit-tiny", nil, nil),
            ("deit-t", "blocks.11.mlp.fc2", nil),
        ] as [(String, String?, VisionTransformer?)])
    func aFileWithoutModelIsMatchedByNameAndBlocks(name: String, dropped: String?, model: VisionTransformer?) throws {
        #expect(try Self.decode(Self.file(name: name, model: nil, dropping: dropped)).model == model)
    }

    @Test(
        arguments: [
            (
                "resnet", nil,
                "w.json: model: unknown value \"resnet\"; expected one of: deit-t, deit-s, deit-b, vit-b16, vit-l16, vit-h14, swin-t, swin-s, swin-b"
            ),
            ("deit-t", "blocks.3.attn.proj", "w.json: model: deit-t has 12 blocks, but layers has no GEMM with parameters named blocks.3.attn.proj"),
            (
                "swin-t", nil,
                "w.json: model: swin-t has 12 blocks, but layers has no GEMM with parameters named layers.0.blocks.0.attn.qkv, layers.0.blocks.0.attn.proj, layers.0.blocks.0.mlp.fc1 (and 45 more)"
            ),
        ] as [(String, String?, String)])
    func aBadModelIsLocated(model: String, dropped: String?, message: String) {
        #expect {
            _ = try Self.decode(Self.file(name: "mine", model: model, dropping: dropped))
        } throws: { e in
            (e as! InputError).diagnostics.map(\.description) == [message]
        }
    }

    @Test func elsaGenesFollowTheDeclaredModel() throws {
        let w = try Self.decode(Self.file(name: "mine", model: "deit-t"))
        let genes = Array(repeating: "[2, 4]", count: 47) + ["[1, 4]"]
        let a = try AssignmentFile.elsa("TEST_SUBNET: [\(genes.joined(separator: ", "))]", source: "x.yaml", for: w)
        #expect(a.byName["blocks.11.mlp.fc2"] == NMPattern(n: 1, m: 4))
        #expect(a.byName.count == 48)
        #expect(throws: InputError.self) { try ELSAConfigurations.named("elsa-deit-s-1.96g")!.assignment(for: w) }
    }
}
