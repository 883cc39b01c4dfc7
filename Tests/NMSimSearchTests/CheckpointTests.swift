import Foundation
import Testing

@testable import NMSimModel
@testable import NMSimSearch

/// Writes a safetensors file from (name, dtype, shape, raw bytes).
func safetensors(_ tensors: [(String, String, [Int], [UInt8])], headerOverride: String? = nil) -> Data {
    var offset = 0
    var entries: [String] = []
    var body: [UInt8] = []
    for (name, dtype, shape, bytes) in tensors {
        entries.append(
            "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":[\(shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes.count)]}"
        )
        offset += bytes.count
        body += bytes
    }
    let header = Array((headerOverride ?? "{\"__metadata__\":{\"format\":\"pt\"}," + entries.joined(separator: ",") + "}").utf8)
    var out = Data()
    var n = UInt64(header.count)
    for _ in 0..<8 { out.append(UInt8(n & 0xFF)); n >>= 8 }
    out.append(contentsOf: header)
    out.append(contentsOf: body)
    return out
}

/// A version-1 `.npy` file with `shape` written as it is into the header.
func npy(shape: String, _ values: [Float]) -> Data {
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    var d = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
    d.append(contentsOf: Array(header.utf8))
    d.append(contentsOf: f32(values))
    return d
}

func f32(_ v: [Float]) -> [UInt8] { v.flatMap { x in withUnsafeBytes(of: x.bitPattern.littleEndian) { Array($0) } } }
func bf16(_ v: [Float]) -> [UInt8] { v.flatMap { x in withUnsafeBytes(of: UInt16(x.bitPattern >> 16).littleEndian) { Array($0) } } }

/// A new folder under the temporary directory and the path of `m.safetensors` in it.
func scratchCheckpoint() throws -> (dir: URL, path: String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nmsim-ckpt-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return (dir, dir.appendingPathComponent("m.safetensors").path)
}

/// The checkpoint tests' two-layer network (one block's qkv and fc1) with seeded weights.
enum TinyCheckpoint {
    static let workload = Workload(
        name: "tiny",
        layers: [
            Layer(name: "blocks.0.attn.qkv", kind: .gemm(GEMMShape(m: 16, n: 12, k: 8))),
            Layer(name: "blocks.0.mlp.fc1", kind: .gemm(GEMMShape(m: 16, n: 4, k: 8))),
        ])

    /// The workload and its weights: qkv 12×8 and fc1 4×8, values in [-2, 2) drawn from `seed`.
    static func make(seed: UInt64) -> (workload: Workload, qkv: [Float], fc1: [Float]) {
        var rng = SeededGenerator(seed: seed)
        let qkv = (0..<96).map { _ in Float(Int(rng.next() % 200) - 100) / 50 }
        let fc1 = (0..<32).map { _ in Float(Int(rng.next() % 200) - 100) / 50 }
        return (workload, qkv, fc1)
    }
}

@Suite("Checkpoints")
struct CheckpointTests {
    @Test func readsF32AndBF16Tensors() throws {
        let data = safetensors([("a", "F32", [2, 2], f32([1, -2, 3.5, 0])), ("b", "BF16", [3], bf16([1, -2, 0.5]))])
        let f = try SafeTensorsFile(data: data, source: "t.safetensors")
        #expect(try f.tensor("a") == Tensor(shape: [2, 2], values: [1, -2, 3.5, 0]))
        #expect(try f.tensor("b") == Tensor(shape: [3], values: [1, -2, 0.5]))
        #expect(try f.tensor("c") == nil)
    }

    @Test func halfPrecisionDecodes() {
        #expect(TensorDecoding.half(0x3C00) == 1)
        #expect(TensorDecoding.half(0xC000) == -2)
        #expect(TensorDecoding.half(0x0001) == powf(2, -24))
        #expect(TensorDecoding.half(0x7C00) == .infinity)
    }

    @Test func truncatedFileIsALocatedError() {
        let data = safetensors([("a", "F32", [4], f32([1, 2, 3, 4]))]).dropLast(3)
        #expect {
            _ = try SafeTensorsFile(data: Data(data), source: "t.safetensors")
        } throws: { e in
            let d = (e as! InputError).diagnostics
            return d.count == 1 && d[0].location == "header.a.data_offsets" && d[0].message.contains("truncated")
        }
        #expect(throws: InputError(.data, source: "t.safetensors", location: "byte 0", "truncated: 5 bytes, expected an 8-byte header length")) {
            _ = try SafeTensorsFile(data: Data([1, 2, 3, 4, 5]), source: "t.safetensors")
        }
    }

    @Test func wrongHeaderIsALocatedError() {
        let bad = safetensors([], headerOverride: "{\"a\": {\"dtype\": \"F32\", \"shape\": [2]")
        #expect {
            _ = try SafeTensorsFile(data: bad, source: "t.safetensors")
        } throws: { e in (e as! InputError).diagnostics[0].message.hasPrefix("header is not valid JSON") }
        let huge = Data([0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0x7B, 0x7D])
        #expect {
            _ = try SafeTensorsFile(data: huge, source: "t.safetensors")
        } throws: { e in (e as! InputError).diagnostics[0].message.contains("does not fit") }
    }

    @Test func wrongDtypeIsALocatedError() throws {
        let f = try SafeTensorsFile(data: safetensors([("w", "I8", [4], [1, 2, 3, 4])]), source: "t.safetensors")
        #expect(
            throws: InputError(
                .data, source: "t.safetensors", location: "header.w.dtype", "dtype I8 is not supported for weights (expected F32, F16, BF16 or F64)")
        ) {
            _ = try f.tensor("w")
        }
        #expect {
            _ = try SafeTensorsFile(data: safetensors([("w", "Q4", [4], [1, 2])]), source: "t.safetensors")
        } throws: { e in (e as! InputError).diagnostics.map(\.description) == ["t.safetensors: header.w.dtype: unknown dtype \"Q4\""] }
        #expect {
            _ = try SafeTensorsFile(data: safetensors([("w", "F32", [4], [1, 2, 3, 4])]), source: "t.safetensors")
        } throws: { e in
            (e as! InputError).diagnostics.map(\.description) == ["t.safetensors: header.w.data_offsets: 4 bytes for shape [4] of F32 (expected 16)"]
        }
    }

    @Test func npyRoundTrip() throws {
        let d = npy(shape: "(2, 3)", [1, 2, 3, 4, 5, 6])
        #expect(try NPYFile.parse(d, source: "a.npy") == Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6]))
        #expect(throws: InputError.self) { _ = try NPYFile.parse(d.dropLast(4), source: "a.npy") }
    }

    @Test func magnitudeMasksNestAndScoreTheExactRemovedEnergy() {
        // One output row, K = 8: groups [4, -1, 0.5, 3] and [0.1, 0.2, -5, 1].
        let w = Tensor(shape: [1, 8], values: [4, -1, 0.5, 3, 0.1, 0.2, -5, 1])
        let e24 = WeightProxy.score(w, rows: 1, k: 8, pattern: NMPattern(n: 2, m: 4)!)
        let e14 = WeightProxy.score(w, rows: 1, k: 8, pattern: NMPattern(n: 1, m: 4)!)
        let total = 16.0 + 1 + 0.25 + 9 + 0.01 + 0.04 + 25 + 1
        #expect(abs(e24 - (1 + 0.25 + 0.01 + 0.04) / total) < 1e-9)
        #expect(abs(e14 - (1 + 0.25 + 9 + 0.01 + 0.04 + 1) / total) < 1e-9)
    }

    @Test func recordedInputsWeightEachColumnByItsEnergy() {
        let w = Tensor(shape: [1, 8], values: [4, -1, 0.5, 3, 0.1, 0.2, -5, 1])
        // Two input rows; column energies ‖X_j‖² = [1, 4, 0, 1, 9, 1, 1, 0].
        let x = Tensor(shape: [2, 8], values: [1, 2, 0, 1, 3, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        let e = WeightProxy.columnEnergy(x, k: 8)
        #expect(e == [1, 4, 0, 1, 9, 1, 1, 0])
        let s = WeightProxy.score(w, rows: 1, k: 8, pattern: NMPattern(n: 2, m: 4)!, inputEnergy: e)
        // Removed (magnitude mask): -1 (col 1), 0.5 (col 2), 0.1 (col 4), 0.2 (col 5).
        let removed: Double = 4 + 0.09 + 0.04
        let total: Double = 16 + 4 + 9 + 0.09 + 0.04 + 25
        #expect(abs(s - removed / total) < 1e-9)
        // All-zero inputs say nothing: the plain energy is used.
        #expect(
            WeightProxy.score(w, rows: 1, k: 8, pattern: NMPattern(n: 2, m: 4)!, inputEnergy: Array(repeating: 0, count: 8))
                == WeightProxy.score(w, rows: 1, k: 8, pattern: NMPattern(n: 2, m: 4)!))
    }

    @Test func aTensorScoresTheSameWhereverItSits() throws {
        let spec = try preset("flex-nm4")
        let w = Workload(
            name: "two",
            layers: [
                Layer(name: "blocks.0.mlp.fc1", kind: .gemm(GEMMShape(m: 16, n: 4, k: 8))),
                Layer(name: "blocks.1.mlp.fc1", kind: .gemm(GEMMShape(m: 16, n: 4, k: 8))),
            ])
        let table = try LatencyTable(spec: spec, workload: w)
        var rng = SeededGenerator(seed: 9)
        let v = (0..<32).map { _ in Float(Int(rng.next() % 200) - 100) / 50 }
        let path = try scratchCheckpoint().path
        try safetensors([("blocks.0.mlp.fc1.weight", "F32", [4, 8], f32(v)), ("blocks.1.mlp.fc1.weight", "F32", [4, 8], f32(v))]).write(
            to: URL(fileURLWithPath: path))
        let costs = try WeightProxy.costs(path: path, table: table)
        #expect(costs.costs[0] == costs.costs[1])
    }

    @Test func scoresReadOnceServeEverySpecTheyCover() throws {
        let w = Workload(name: "one", layers: [Layer(name: "blocks.0.mlp.fc1", kind: .gemm(GEMMShape(m: 16, n: 4, k: 8)))])
        var rng = SeededGenerator(seed: 3)
        let v = (0..<32).map { _ in Float(Int(rng.next() % 200) - 100) / 50 }
        let path = try scratchCheckpoint().path
        try safetensors([("blocks.0.mlp.fc1.weight", "F32", [4, 8], f32(v))]).write(to: URL(fileURLWithPath: path))
        let specs = [try preset("flex-nm4"), try preset("flex-nm8")]
        let prepared = try AccuracySource.checkpoint(path: path).prepared(for: w, specs: specs)
        guard case .checkpointScores = prepared else { Issue.record("the checkpoint was not read ahead"); return }
        // The file is gone: the scores alone give each spec the costs a fresh read gives.
        let fresh = try specs.map { s in try WeightProxy.costs(path: path, table: LatencyTable(spec: s, workload: w)) }
        let four = try AccuracySource.checkpoint(path: path).prepared(for: w, specs: [specs[0]])
        try FileManager.default.removeItem(atPath: path)
        for (s, f) in zip(specs, fresh) {
            let costs = try prepared.costs(for: LatencyTable(spec: s, workload: w))
            #expect(costs.costs == f.costs && costs.kind == f.kind)
        }
        // Scores for flex-nm4's levels do not cover flex-nm8's.
        #expect {
            _ = try four.costs(for: LatencyTable(spec: specs[1], workload: w))
        } throws: { e in (e as! InputError).kind == .usage && (e as! InputError).diagnostics[0].message.hasPrefix("no score for blocks.0.mlp.fc1") }
    }

    @Test func checkpointDrivesTheSearchCosts() throws {
        let spec = try preset("flex-nm4")
        let (w, qkv, fc1) = TinyCheckpoint.make(seed: 5)
        let (dir, path) = try scratchCheckpoint()
        let table = try LatencyTable(spec: spec, workload: w)
        try safetensors([("module.blocks.0.attn.qkv.weight", "F32", [12, 8], f32(qkv)), ("blocks.0.mlp.fc1.weight", "F32", [4, 8], f32(fc1))])
            .write(to: URL(fileURLWithPath: path))
        let costs = try WeightProxy.costs(path: path, table: table)
        #expect(costs.costs.count == 2)
        for row in costs.costs { #expect(row[0] == 0 && row.dropFirst().allSatisfy { $0 > 0 }) }
        // Recorded inputs for one layer: it is scored with them, the other on its weights alone.
        let acts = dir.appendingPathComponent("a.safetensors").path
        try safetensors([("blocks.0.attn.qkv.input", "F32", [2, 2, 8], f32((0..<32).map { Float($0 % 5) - 2 }))]).write(to: URL(fileURLWithPath: acts))
        let withActs = try WeightProxy.costs(path: path, table: table, activations: acts)
        #expect(
            withActs.kind
                == "weight proxy: removed weight energy weighted by recorded input energy (Wanda's |W|·‖X‖) for 1 of 2 layers, unweighted for the rest")
        #expect(withActs.costs[1] == costs.costs[1] && withActs.costs[0] != costs.costs[0])
        try safetensors([("blocks.0.attn.qkv.input", "F32", [3, 7], f32((0..<21).map(Float.init)))]).write(to: URL(fileURLWithPath: acts))
        #expect(throws: InputError.self) { _ = try WeightProxy.costs(path: path, table: table, activations: acts) }
        // NaN weights are refused, not scored as free.
        try safetensors([
            ("blocks.0.attn.qkv.weight", "F32", [12, 8], f32([Float.nan] + qkv.dropFirst())), ("blocks.0.mlp.fc1.weight", "F32", [4, 8], f32(fc1)),
        ])
        .write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try WeightProxy.costs(path: path, table: table)
        } throws: { e in (e as! InputError).diagnostics[0].message == "contains NaN or infinite values" }
        // A transposed tensor is explained.
        try safetensors([("blocks.0.attn.qkv.weight", "F32", [8, 12], f32(qkv)), ("blocks.0.mlp.fc1.weight", "F32", [4, 8], f32(fc1))])
            .write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try WeightProxy.costs(path: path, table: table)
        } throws: { e in (e as! InputError).diagnostics[0].message.contains("transposed?") }
    }
}

@Suite("Checkpoint edge cases")
struct CheckpointEdgeCaseTests {
    @Test func shapesWhoseSizeOverflowsAreLocatedErrors() {
        #expect {
            _ = try SafeTensorsFile(data: safetensors([("w", "F32", [2_147_483_647, 2_147_483_647, 2_147_483_647], [0, 0, 0, 0])]), source: "t")
        } throws: { e in (e as! InputError).diagnostics[0].message.contains("too large") }
        let d = npy(shape: "(9223372036854775807, 9223372036854775807)", [1, 2, 3, 4])
        #expect(throws: InputError.self) { _ = try NPYFile.parse(d, source: "a.npy") }
        let negative = d.replacingOccurrences(
            of: Data("9223372036854775807, 9223372036854775807".utf8), with: Data("-2, -2                                  ".utf8))
        #expect(throws: InputError.self) { _ = try NPYFile.parse(negative, source: "b.npy") }
    }

    @Test func aShapeWithItsParenthesesReversedIsALocatedError() {
        for shape in [")2, 3(", ")(", "2, 3)", "(2, 3"] {
            #expect {
                _ = try NPYFile.parse(npy(shape: shape, [1, 2, 3, 4, 5, 6]), source: "a.npy")
            } throws: { e in (e as! InputError).diagnostics.map(\.description) == ["a.npy: header: no 'shape' in the header"] }
        }
    }

    @Test func twoEntriesForOneLevelAreRejected() {
        #expect {
            _ = try Sensitivity.csv("layer,pattern,cost\nl0,1:1,0\nl0,4:4,0\n", source: "s.csv")
        } throws: { e in
            (e as! InputError).diagnostics.map(\.description) == ["s.csv: line 3: duplicate entry for l0 4:4 (the same level as 1:1)"]
        }
    }
}

extension Data {
    func replacingOccurrences(of a: Data, with b: Data) -> Data {
        guard let r = range(of: a) else { return self }
        var c = self
        c.replaceSubrange(r, with: b)
        return c
    }
}

@Suite("Sweeps with an accuracy source")
struct SweepAccuracyTests {
    @Test func everyPointOfASweepIsScoredFromOneCheckpointRead() throws {
        let (w, qkv, fc1) = TinyCheckpoint.make(seed: 11)
        let path = try scratchCheckpoint().path
        try safetensors([("blocks.0.attn.qkv.weight", "F32", [12, 8], f32(qkv)), ("blocks.0.mlp.fc1.weight", "F32", [4, 8], f32(fc1))]).write(
            to: URL(fileURLWithPath: path))
        let axis = try SweepAxis.parse(assignment: #"sparsity.supportedPatterns=["1:4","2:4"],["2:4"]"#, source: "t").get()
        let sweep = Sweep(
            baseSpec: try JSONParser.parse(Presets.json(named: "flex-nm4")!), baseSpecName: "flex-nm4", axes: [axis],
            workloads: [SweepWorkload(label: "tiny", workload: w, batch: 1, record: .string("tiny"))], modes: [.pareto],
            accuracy: .checkpoint(path: path))
        // Each point's front with the costs a fresh read of the checkpoint gives on its spec.
        let expected = try (0..<sweep.pointCount).map { i in
            let table = try LatencyTable(spec: sweep.spec(i).get(), workload: w)
            let problem = SearchProblem(table: table, costs: try WeightProxy.costs(path: path, table: table), constraint: .latency(maxCycles: .max))
            return ParetoDP().front(problem).points.map(\.cost)
        }
        let evaluator = try SweepEvaluator(sweep: sweep)
        try FileManager.default.removeItem(atPath: path)
        for i in 0..<sweep.pointCount {
            let rows = evaluator.rows(i)
            #expect(rows.allSatisfy { $0.status == .ok } && rows.map(\.cost) == expected[i], "\(rows.map(\.reason))")
        }
        #expect(expected[0] != expected[1] && expected[0].count > 1)
    }
}
