import Foundation
import Testing

@testable import NMSimModel

/// Inputs that once trapped or were misread; each must now load or fail with a located error.
@Suite("Input edge cases")
struct InputEdgeCaseTests {
    @Test func elsaBlockStyleListsReadLikeFlowLists() throws {
        let w = VisionTransformer.named("deit-s")!.workload()
        let genes = (0..<48).map { $0 % 3 == 0 ? "[1, 4]" : "[2, 4]" }
        let flow = try AssignmentFile.elsa("NAS:\n  TEST_CONFIG:\n    TEST_SUBNET: [\(genes.joined(separator: ", "))]\n", source: "f.yaml", for: w)
        let block = try AssignmentFile.elsa("NAS:\n  TEST_CONFIG:\n    TEST_SUBNET:\n" + genes.map { "      - \($0)\n" }.joined(), source: "b.yaml", for: w)
        #expect(flow.byName == block.byName)
        #expect(throws: InputError.self) { _ = try AssignmentFile.elsa("TEST_SUBNET:\n", source: "e.yaml", for: w) }
    }

    @Test func crlfFilesReadLikeLFFiles() throws {
        let csv = "Layer, M, N, K, Sparsity,\r\nq, 197, 64, 64, 2:4,\r\n"
        #expect(try SCALESimTopology.parse(csv, source: "t.csv").layers[0].shape == GEMMShape(m: 197, n: 64, k: 64))
        let cfg = try String(contentsOf: repositoryRoot.appendingPathComponent("workloads/scalesim/vit_32x32_ws_dense.cfg"), encoding: .utf8)
        let crlf = cfg.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try SCALESimConfig.parse(crlf, source: "c.cfg").spec == SCALESimConfig.parse(cfg, source: "c.cfg").spec)
    }

    @Test func convDimensionsThatOverflowAreRejected() {
        let csv =
            "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nc1, 9223372036854775807, 9223372036854775807, 1, 1, 1, 1, 1,\nc2, 10000, 10000, 1, 1, 1, 1, 1,\n"
        #expect {
            _ = try SCALESimTopology.parse(csv, source: "c.csv")
        } throws: { e in
            let d = (e as! InputError).diagnostics
            return d.count == 2 && d[0].location == "line 2" && d[1].message.contains("exceeds the largest supported dimension")
        }
    }

    @Test func malformedTraceReferencesAreLocatedErrors() {
        for bad in ["layer 0 g 1:1 count 1 cycles 5 same -1", "layer 0 g 1:1 count 1 cycles 5 events 9223372036854775807"] {
            #expect(throws: InputError.self) { _ = try Trace.parse("nmsim-trace 1\n\(bad)\nend\n", source: "t") }
        }
    }

    @Test func goldenCyclesThatOverflowWhenAddedAreCorrupt() {
        let text =
            #"{"nmsimGolden": 1, "spec": "flex-nm4", "workload": "deit-t", "totalCycles": 1, "layers": [{"name": "a", "pattern": "1:1", "cycles": 9223372036854775807}, {"name": "b", "pattern": "1:1", "cycles": 9223372036854775807}]}"#
        #expect(throws: InputError(.data, source: "g", location: "totalCycles", "the layers' cycles overflow when added (corrupt golden?)")) {
            _ = try Golden.decode(text, source: "g")
        }
    }

    @Test func layerNamesWithWhitespaceStayOneTokenInTraces() throws {
        let w = Workload(name: "w", layers: [Layer(name: "a\nb c", kind: .gemm(GEMMShape(m: 4, n: 4, k: 4)))])
        let t = try Trace.record(spec: preset("flex-nm4"), workload: w, patterns: [.dense])
        #expect(try Trace.parse(t, source: "t").layers[0].name == "a_b_c")
    }

    @Test func manyKeysParseInLinearTime() throws {
        let keys = (0..<50_000).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        let start = Date()
        _ = try JSONParser.parse("{\(keys)}")
        #expect(Date().timeIntervalSince(start) < 10, "50,000 keys should parse quickly")
    }
}
