import Foundation
import Testing

@testable import NMSimModel

@Suite("ELSA configurations")
struct ELSATests {
    static let configs = ELSAConfigurations.all.map(\.name)

    static func keptGMACs(_ w: Workload, _ a: PatternAssignment) throws -> Double {
        let spec = try preset("flex-nm4")
        let patterns = try a.resolve(w, on: spec)
        var kept: Int64 = 0
        for (i, l) in w.layers.enumerated() {
            guard let s = l.shape else { continue }
            kept += Int64(s.m) * Int64(s.n) * Int64(patterns[i].keptLength(s.k)) * Int64(l.count)
        }
        return Double(kept) / 1e9
    }

    @Test(arguments: configs)
    func releasedFileReproducesTheMACsInItsName(name: String) throws {
        let c = ELSAConfigurations.named(name)!
        let w = c.model.workload()
        let path = repositoryRoot.appendingPathComponent("workloads/elsa/\(c.file)").path
        let fromFile = try AssignmentFile.load(path, for: w)
        #expect(fromFile == (try c.assignment(for: w)).with(source: path), "built-in genes differ from \(c.file)")
        let g = try Self.keptGMACs(w, fromFile)
        #expect(abs(g - c.publishedGMACs) / c.publishedGMACs < 0.005, "\(name): \(g) G vs \(c.publishedGMACs) G")
    }

    @Test func exportThenImportRoundTrips() throws {
        let w = VisionTransformer.named("deit-b")!.workload()
        let a = try ELSAConfigurations.named("elsa-deit-b-6.01g")!.assignment(for: w)
        let text = try AssignmentFile.elsaText(patterns: a.byName, workload: w)
        let back = try AssignmentFile.elsa(text, source: "x.yaml", for: w)
        #expect(back.byName == a.byName)
    }

    @Test func geneOrderIsProjFirst() throws {
        let w = VisionTransformer.named("deit-s")!.workload()
        let genes = Array(repeating: "[4, 4]", count: 48)
        var g = genes
        g[0] = "[1, 4]"  // block 0 proj
        g[5] = "[2, 4]"  // block 1 qkv
        let a = try AssignmentFile.elsa("TEST_SUBNET: [\(g.joined(separator: ", "))]", source: "x.yaml", for: w)
        #expect(a.byName["blocks.0.attn.proj"] == pattern("1:4"))
        #expect(a.byName["blocks.1.attn.qkv"] == pattern("2:4"))
        #expect(a.byName["blocks.0.attn.qkv"] == pattern("4:4"))
    }

    @Test func wrongGeneCountIsLocated() {
        let w = VisionTransformer.named("deit-b")!.workload()
        #expect {
            _ = try AssignmentFile.elsa("NAS:\n  TEST_CONFIG:\n    TEST_SUBNET: [[1, 4], [2, 4]]\n", source: "x.yaml", for: w)
        } throws: { e in
            (e as! InputError).diagnostics.map(\.description) == [
                "x.yaml: line 3 (TEST_SUBNET): has 2 genes but deit-b has 12 blocks × 4 sparsifiable layers = 48"
            ]
        }
    }

    @Test func nGreaterThanMIsLocated() {
        let w = VisionTransformer.named("deit-t")!.workload()
        var g = Array(repeating: "[2, 4]", count: 48)
        g[7] = "[5, 4]"
        #expect {
            _ = try AssignmentFile.elsa("TEST_SUBNET: [\(g.joined(separator: ", "))]", source: "x.yaml", for: w)
        } throws: { e in
            (e as! InputError).diagnostics.map(\.description) == ["x.yaml: line 1 (TEST_SUBNET)[7]: N must be between 1 and M (got 5:4)"]
        }
    }

    @Test func unsupportedPatternOnTheSpecIsAnError() throws {
        let w = VisionTransformer.named("deit-b")!.workload()
        let a = try ELSAConfigurations.named("elsa-deit-b-6.01g")!.assignment(for: w)
        #expect(throws: InputError.self) { _ = try a.resolve(w, on: preset("sparse-tc-2of4")) }
    }
}

extension PatternAssignment {
    func with(source: String) -> PatternAssignment {
        var c = self
        c.source = source
        return c
    }
}

@Suite("ELSA configuration files")
struct ELSAFileTests {
    static let releasedDirectory = repositoryRoot.appendingPathComponent("workloads/elsa")
    static let families: [(model: String, file: String)] = [
        ("deit-s", "sparse_deit_small_1.96G_78.346.yaml"), ("swin-s", "sparse_swin_small_3.50G_82.548.yaml"),
    ]

    static func released(_ file: String) throws -> ELSAConfigFile {
        let path = releasedDirectory.appendingPathComponent(file).path
        return try ELSAConfigFile(String(contentsOfFile: path, encoding: .utf8), source: path)
    }

    /// The key set of the released file of the same family (DeiT or Swin).
    static func releasedKeys(_ family: ModelFamily) throws -> Set<String> {
        try released(families[family == .swin ? 1 : 0].file).keyPaths
    }

    @Test(arguments: ELSAConfigurations.all.map(\.name))
    func releasedFileNamesItsModelByItsDimensions(name: String) throws {
        let c = ELSAConfigurations.named(name)!
        let file = try Self.released(c.file)
        let model = try file.model()
        #expect(model == c.model)
        #expect(try file.dimensions() == ELSAConfigFile.Dimensions(model))
        #expect(file.keyPaths == (try Self.releasedKeys(model.family)), "\(c.file) differs in its keys from the other released files")
    }

    static let exportable = VisionTransformer.all.map(\.name)

    @Test(arguments: exportable)
    func exportHasTheReleasedStructureAndRoundTrips(name: String) throws {
        let m = VisionTransformer.named(name)!
        let w = m.workload()
        // A varied assignment: every level on some layer.
        let levels = [pattern("1:4"), pattern("2:4"), pattern("4:4")]
        var byName: [String: NMPattern] = [:]
        for (j, i) in w.sparsifiableIndices.enumerated() { byName[w.layers[i].name] = levels[(j * 7 + j / 3) % 3] }
        let text = try AssignmentFile.elsaText(patterns: byName, workload: w)
        let file = try ELSAConfigFile(text, source: "\(name).yaml")
        #expect(file.keyPaths == (try Self.releasedKeys(m.family)), "\(name): keys differ from the released files")
        #expect(try file.model() == m)
        #expect(try file.dimensions() == ELSAConfigFile.Dimensions(m))
        #expect(file.string("NAS.NUM_CHOICES_BLOCKS") == "\(4 * m.blockCount)")
        #expect(file.entries["NAS.INIT_CONFIG"]?.text == file.entries["NAS.TEST_CONFIG.TEST_SUBNET"]?.text)
        guard case .array(let space)? = try file.list("NAS.SEARCH_SPACE"), case .array(let genes)? = try file.list("NAS.TEST_CONFIG.TEST_SUBNET") else {
            Issue.record("no SEARCH_SPACE or TEST_SUBNET"); return
        }
        #expect(space == genes.map { JSONValue.array([$0]) }, "SEARCH_SPACE is not one choice per gene equal to the configuration")
        let back = try AssignmentFile.elsa(text, source: "\(name).yaml", for: w)
        #expect(back.byName == byName)
        let spec = try preset("flex-nm4")
        let sim = NetworkSimulator(spec: spec)
        let before = try sim.run(w, patterns: PatternAssignment(byName: byName).resolve(w, on: spec), parallel: true)
        let after = try sim.run(w, patterns: back.resolve(w, on: spec), parallel: true)
        #expect(before.totalCycles == after.totalCycles)
    }

    @Test func aConfigurationOfAnotherModelIsRefused() throws {
        let small = VisionTransformer.named("deit-s")!.workload()
        let text = try AssignmentFile.elsaText(patterns: [:], workload: small)
        #expect {
            _ = try AssignmentFile.elsa(text, source: "s.yaml", for: VisionTransformer.named("deit-b")!.workload())
        } throws: { e in
            (e as! InputError).diagnostics.map(\.description) == [
                "s.yaml: is a configuration of deit-s (DeiT, width 384, depth 12, 6 heads, patch 16), not of deit-b"
            ]
        }
    }

    @Test func aNameWithoutItsDimensionsIsReadAsELSAWouldBuildIt() {
        // ELSA fills missing dimensions from its defaults (DeiT-B), whatever the name says.
        let text = "MODEL:\n  TYPE: sparse_deit\n  NAME: deit-s\nNAS:\n  TEST_CONFIG:\n    TEST_SUBNET: []\n"
        #expect {
            _ = try ELSAConfigFile(text, source: "x.yaml").model()
        } throws: { e in
            (e as! InputError).diagnostics.map(\.description)
                == [
                    "x.yaml: line 3 (MODEL.NAME): names deit-s, but ELSA would build deit-b (DeiT, width 768, depth 12, 12 heads, patch 16) from this file; give deit-s's dimensions under MODEL.DEIT"
                ]
        }
        let swin = "MODEL:\n  TYPE: sparse_swin\n  NAME: whatever\n"
        #expect((try? ELSAConfigFile(swin, source: "y.yaml").model())?.name == "swin-t")
    }

    @Test func unknownDimensionsAreLocated() {
        let text = "MODEL:\n  TYPE: sparse_deit\n  DEIT:\n    EMBED_DIM: 500\n"
        #expect {
            _ = try ELSAConfigFile(text, source: "z.yaml").model()
        } throws: { e in
            (e as! InputError).diagnostics.first?.description.hasPrefix("z.yaml: line 2 (MODEL.TYPE): ELSA would build DeiT, width 500, depth 12") == true
        }
    }
}
