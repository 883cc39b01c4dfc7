import Foundation
import Testing

@testable import NMSimModel

/// SCALE-Sim's input rules that are not visible in cycle counts alone (names, warnings, errors).
/// The cycle counts of the same rules are checked against SCALE-Sim's own runs in the goldens.
@Suite("SCALE-Sim input rules")
struct SCALESimCompatibilityTests {
    static let convHeader = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides, Sparsity,\n"

    @Test func aRowWithoutTrailingCommaLosesItsPatternWithAWarning() throws {
        let csv = "Layer, M, N, K, Sparsity,\na, 40, 24, 70, 2:4,\nb, 40, 24, 70, 2:4\n"
        let w = try SCALESimTopology.parse(csv, source: "t.csv")
        #expect(w.layers.map(\.pattern) == [NMPattern(n: 2, m: 4), nil])
        #expect(w.warnings.count == 1)
        #expect(
            w.warnings.first?.description.hasPrefix(
                "t.csv: line 3: warning: the row does not end with a comma, so its last field (sparsity \"2:4\") is dropped") == true)
    }

    @Test func aRowWithoutTrailingCommaThatWouldLoseADimensionIsRefused() {
        #expect {
            _ = try SCALESimTopology.parse("Layer, M, N, K,\na, 40, 24, 70\n", source: "t.csv")
        } throws: { e in
            (e as! InputError).diagnostics.map(\.description) == [
                "t.csv: line 2: the row does not end with a comma, so SCALE-Sim drops its last field (K \"70\") and cannot run it; end the row with a comma"
            ]
        }
    }

    @Test func depthwiseLayersSplitPerChannelWithSCALESimsNames() throws {
        let w = try SCALESimTopology.parse(Self.convHeader + "Conv2_DP, 14, 14, 3, 3, 3, 1, 1, 1:2,\ndp, 10, 10, 3, 3, 4, 6, 1,\n", source: "c.csv")
        #expect(w.layers.map(\.name) == ["Conv2_DPChannel_0", "Conv2_DPChannel_1", "Conv2_DPChannel_2", "dp"])
        #expect(w.layers[0].shape == GEMMShape(m: 144, n: 1, k: 9))
        #expect(w.layers[0].pattern == NMPattern(n: 1, m: 2))
        #expect(w.layers[3].shape == GEMMShape(m: 64, n: 6, k: 36))
    }

    @Test func stridedOutputsRoundUpAsInSCALESim() throws {
        // AlexNet's first layer: ⌈(224 − 11 + 4) / 4⌉ = 55 (not ⌊213/4⌋ + 1 = 54).
        let w = try SCALESimTopology.parse(Self.convHeader + "Conv1, 224, 224, 11, 11, 3, 96, 4,\n", source: "c.csv")
        #expect(w.layers[0].shape == GEMMShape(m: 55 * 55, n: 96, k: 363))
    }

    @Test func duplicateLayerNamesAreAccepted() throws {
        let w = try SCALESimTopology.parse("Layer Name, M, N, K, Sparsity,\nGEMM_1, 3, 5, 16, 3:4,\nGEMM_1, 1, 5, 16, 1:4,", source: "g.csv")
        #expect(w.layers.map(\.name) == ["GEMM_1", "GEMM_1"])
    }

    static func cfg(_ sparsity: String) -> String {
        "[general]\nrun_name = r\n[architecture_presets]\nArrayHeight = 8\nArrayWidth = 8\nIfmapSramSzkB = 64\nFilterSramSzkB = 64\nOfmapSramSzkB = 64\nDataflow = ws\n[sparsity]\n"
            + sparsity
    }

    @Test func layerWiseModeTakesAnyPatternWhateverTheBlockSize() throws {
        let spec = try SCALESimConfig.parse(Self.cfg("SparsitySupport = true\nOptimizedMapping = false\nBlockSize = 4\n"), source: "a.cfg").spec
        let w = try SCALESimTopology.parse("Layer, M, N, K, Sparsity,\na, 8, 8, 64, 1:2,\nb, 8, 8, 64, 2:8,\nc, 8, 8, 64, 1:16,\n", source: "t.csv")
        #expect(try PatternAssignment.none.resolve(w, on: spec) == [NMPattern(n: 1, m: 2)!, NMPattern(n: 2, m: 8)!, NMPattern(n: 1, m: 16)!])
    }

    @Test func rowWiseModeIsWeightStationaryOnlyAsInSCALESim() {
        let cfg = Self.cfg("SparsitySupport = true\nOptimizedMapping = true\nBlockSize = 16\nRandomNumberGeneratorSeed = 40\n")
            .replacingOccurrences(of: "Dataflow = ws", with: "Dataflow = os")
        #expect {
            _ = try SCALESimConfig.parse(cfg, source: "a.cfg")
        } throws: { e in
            (e as! InputError).diagnostics.map(\.description) == [
                "a.cfg: line 13: BlockSize 16 must not exceed ArrayHeight 8 in row-wise mode (OptimizedMapping = true), as in SCALE-Sim",
                "a.cfg: line 12: row-wise sparsity (OptimizedMapping = true) runs only with Dataflow = ws, as in SCALE-Sim",
            ]
        }
    }

    @Test func sparsityOffRunsTheTopologysPatternsDense() throws {
        let spec = try SCALESimConfig.parse(Self.cfg("SparsitySupport = false\n"), source: "a.cfg").spec
        let w = try SCALESimTopology.parse("Layer, M, N, K, Sparsity,\na, 8, 8, 64, 2:4,\n", source: "t.csv")
        #expect(try PatternAssignment.none.resolve(w, on: spec) == [.dense])
    }
}

@Suite("numpy's legacy generator")
struct NumpyLegacyRandomTests {
    /// `np.random.seed(seed); [np.random.randint(1, high) for _ in range(n)]` with numpy 2.3.5.
    @Test(arguments: [
        (UInt32(40), 3, [1, 2, 2, 2, 1, 1, 1, 2, 1, 2, 1, 2, 2, 1, 2, 2, 2, 2, 2, 1, 2, 2, 2, 1]),
        (7, 5, [4, 1, 2, 3, 4, 4, 4, 4, 1, 2, 3, 4, 1, 2, 3, 3, 3, 1, 4, 3, 1, 1, 4, 4, 1, 1, 4, 4, 3, 3]),
        (123456, 9, [2, 3, 3, 2, 1, 4, 8, 4, 4, 1, 8, 5, 1, 3, 3, 5, 4, 5, 4, 8, 3, 7, 7, 8, 3, 7, 7, 3, 3, 8, 5, 7, 6, 5, 8, 5, 5, 5, 6, 4]),
        (0, 129, [45, 48, 118, 65, 68, 124, 68, 104, 10, 84]),
        (4_294_967_295, 2, [1, 1, 1]),
        (1, 6, [4, 5, 1, 2, 4, 1, 1, 2, 5, 5, 2, 3, 5, 3, 5, 4, 5, 3, 5, 3, 5, 2, 2, 1, 2, 2, 2, 2, 1, 5]),
    ])
    func randintEqualsNumpy(seed: UInt32, high: Int, expected: [Int]) {
        var r = NumpyLegacyRandom(seed: seed)
        #expect((0..<expected.count).map { _ in r.randint(1, high) } == expected)
    }

    @Test func drawsPastTheFirstStateBlockEqualNumpy() {
        // More than 624 outputs: the state is regenerated.
        var r = NumpyLegacyRandom(seed: 5)
        let draws = (0..<700).map { _ in r.randint(1, 33) }
        #expect(Array(draws.suffix(5)) == [6, 12, 32, 25, 13])
    }
}
