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
        let w = VisionTransformer.named(c.model)!.workload()
        let path = repositoryRoot.appendingPathComponent("workloads/elsa/\(c.file)").path
        let fromFile = try AssignmentFile.load(path, for: w)
        #expect(fromFile == (try c.assignment(for: w)).with(source: path), "built-in genes differ from \(c.file)")
        let g = try Self.keptGMACs(w, fromFile)
        #expect(abs(g - c.publishedGMACs) / c.publishedGMACs < 0.005, "\(name): \(g) G vs \(c.publishedGMACs) G")
    }

    @Test func exportThenImportRoundTrips() throws {
        let w = VisionTransformer.named("deit-b")!.workload()
        let a = try ELSAConfigurations.named("elsa-deit-b-6.01g")!.assignment(for: w)
        let text = try AssignmentFile.elsaText(patterns: a.byName, workload: w, modelType: "sparse_deit")
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
