import Foundation
import Testing

@testable import NMSimModel

@Suite("Hardware specs")
struct SpecTests {
    @Test(arguments: Presets.names)
    func everyPresetLoadsAndEqualsItsShippedFile(name: String) throws {
        let spec = try preset(name)
        #expect(spec.name == name)
        #expect(!spec.summary.isEmpty)
        let file = repositoryRoot.appendingPathComponent("hardware-specs/\(name).json")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.trimmingCharacters(in: .newlines) == Presets.json(named: name)!, "hardware-specs/\(name).json differs from the built-in preset")
        #expect(try HardwareSpec.decode(json: text, source: file.path) == spec)
    }

    @Test func everyShippedSpecFileIsAPreset() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("hardware-specs").path)
        #expect(Set(files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }) == Set(Presets.names))
    }

    @Test func defaultPresetIsVEGETALike() throws {
        let s = try preset(Presets.defaultName)
        #expect(s.supportedPatterns.sorted().map(\.description) == ["1:4", "2:4"])  // 4:4 is dense
        #expect(s.supports(pattern("4:4")) && s.supports(.dense) && !s.supports(pattern("1:8")))
    }

    /// A valid spec with one change applied, decoded; returns the diagnostics.
    static func errors(_ mutate: (inout [String: Any]) -> Void) -> [String] {
        let base = Presets.json(named: "flex-nm4")!
        var obj = try! JSONSerialization.jsonObject(with: Data(base.utf8)) as! [String: Any]
        mutate(&obj)
        let text = String(data: try! JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]), encoding: .utf8)!
        do {
            _ = try HardwareSpec.decode(json: text, source: "s.json")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    static func set(_ path: [String], _ value: Any?) -> (inout [String: Any]) -> Void {
        { obj in
            func go(_ o: inout [String: Any], _ p: ArraySlice<String>) {
                if p.count == 1 { o[p.first!] = value; return }
                var child = o[p.first!] as? [String: Any] ?? [:]
                go(&child, p.dropFirst())
                o[p.first!] = child
            }
            go(&obj, path[...])
        }
    }

    nonisolated(unsafe) static let cases: [(change: String, mutate: (inout [String: Any]) -> Void, expected: [String])] = [
        ("banks not power of two", set(["buffers", "ifmap", "banks"], 6), ["s.json: buffers.ifmap.banks: must be a power of two (got 6)"]),
        ("zero rows", set(["peArray", "rows"], 0), ["s.json: peArray.rows: must be between 1 and 4096 (got 0)"]),
        ("rows as string", set(["peArray", "rows"], "32"), ["s.json: peArray.rows: expected an integer, found \"32\""]),
        (
            "unknown dataflow", set(["peArray", "dataflow"], "rowStationary"),
            ["s.json: peArray.dataflow: unknown value \"rowStationary\"; expected one of: weightStationary, outputStationary, inputStationary"]
        ),
        ("typo key", set(["peArray", "colums"], 32), ["s.json: peArray.colums: unknown key"]),
        ("missing dram", set(["dram"], nil), ["s.json: dram: is required"]),
        (
            "bad pattern", set(["sparsity", "supportedPatterns"], ["2:4", "5:4", "two:four"]),
            [
                "s.json: sparsity.supportedPatterns[1]: N must be between 1 and M (got 5:4)",
                "s.json: sparsity.supportedPatterns[2]: expected an N:M pattern such as 2:4, found \"two:four\"",
            ]
        ),
        ("denormal clock", set(["clockGHz"], Double.leastNonzeroMagnitude), ["s.json: clockGHz: must be between 0.001 and 100 (got 5e-324)"]),
        ("negative clock", set(["clockGHz"], -1), ["s.json: clockGHz: must be between 0.001 and 100 (got -1)"]),
        ("unknown dram model", set(["dram", "model"], "ddr9"), ["s.json: dram.model: unknown value \"ddr9\"; expected one of: fixedLatency, ideal"]),
        (
            "unknown attention mapping", set(["mapping", "attention"], "allHeads"),
            ["s.json: mapping.attention: unknown value \"allHeads\"; expected one of: perHead, headBatched"]
        ),
        ("newer version", set(["version"], 2), ["s.json: version: spec format version 2 is newer than this nmsim understands (1)"]),
        (
            "two problems at once",
            { o in
                set(["peArray", "rows"], -3)(&o); set(["buffers", "filter", "bankWidthBytes"], 0)(&o)
            },
            ["s.json: peArray.rows: must be between 1 and 4096 (got -3)", "s.json: buffers.filter.bankWidthBytes: must be between 1 and 4096 (got 0)"]
        ),
    ]

    @Test(arguments: cases.indices)
    func everyViolationIsReportedWithItsPath(index: Int) {
        let c = Self.cases[index]
        #expect(Self.errors(c.mutate) == c.expected, "case: \(c.change)")
    }

    static let unifiedSpec = Presets.json(named: "flex-nm4")!.replacing(
        #/"ifmap": \{[^}]*\},\s*"filter": \{[^}]*\},\s*"ofmap": \{[^}]*\}/#,
        with: #""unified": { "capacityKiB": 1536, "banks": 16, "bankWidthBytes": 8, "ports": 1, "doubleBuffered": true }"#)

    @Test func aUnifiedBufferSharesCapacityAndBandwidth() throws {
        let s = try HardwareSpec.decode(json: Self.unifiedSpec, source: "u.json")
        #expect(s.unifiedBuffer)
        #expect(s.ifmap.capacityBytes == 512 * 1024 && s.filter == s.ifmap && s.ofmap == s.ifmap)
        // Streaming activations and partial sums together needs more than either alone.
        var split = try preset("flex-nm4")
        split.ifmap = s.ifmap
        split.filter = s.filter
        split.ofmap = s.ofmap
        split.dram = DRAMSpec(model: .ideal, bytesPerCycle: 1e9, latencyCycles: 0, burstBytes: 1)
        var shared = split
        shared.unifiedBuffer = true
        let shape = GEMMShape(m: 197, n: 768, k: 3072)
        let a = try LayerSimulator(spec: split).simulate(shape, pattern: pattern("1:4"))
        let b = try LayerSimulator(spec: shared).simulate(shape, pattern: pattern("1:4"))
        #expect(b.cycles > a.cycles)
        #expect(b.cycles == b.computeCycles + b.stalls.total)
    }

    @Test func unifiedAndSeparateBuffersAreExclusive() {
        let both = Self.unifiedSpec.replacingOccurrences(of: "\"unified\":", with: "\"ifmap\": {\"capacityKiB\": 1, \"bankWidthBytes\": 1}, \"unified\":")
        #expect {
            _ = try HardwareSpec.decode(json: both, source: "u.json")
        } throws: { e in
            (e as! InputError).diagnostics.map(\.description) == [
                "u.json: buffers.ifmap: cannot be given with buffers.unified (one buffer holds every operand)"
            ]
        }
    }

    @Test func syntaxErrorsGiveLineAndColumn() {
        #expect(throws: InputError(.data, source: "s.json", location: "line 2, column 10", "expected ',' or '}' in object")) {
            _ = try HardwareSpec.decode(json: "{\n  \"a\": 1 \"b\": 2}", source: "s.json")
        }
    }

    @Test func topLevelMustBeAnObject() {
        #expect(throws: InputError(.data, source: "s.json", location: "(top level)", "expected an object, found an array of 0")) {
            _ = try HardwareSpec.decode(json: "[]", source: "s.json")
        }
    }
}

@Suite("SCALE-Sim inputs")
struct SCALESimInputTests {
    @Test func topologyErrorsNameTheLine() {
        let csv = "Layer, M, N, K, Sparsity,\nq, 197, 64, 64, 2:4,\nbad, 197, x, 64, 1:1,\nz, 1, 2, 3, 0:4,\n"
        #expect {
            _ = try SCALESimTopology.parse(csv, source: "t.csv")
        } throws: { e in
            (e as! InputError).diagnostics.map(\.description) == [
                "t.csv: line 3: field 3 (N) must be a positive integer, found \"x\"",
                "t.csv: line 4: field 5 (sparsity): N must be between 1 and M (got 0:4)",
            ]
        }
    }

    @Test func convFormLowersToAGEMM() throws {
        let csv = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nc0, 16, 16, 3, 3, 8, 16, 1,\n"
        let w = try SCALESimTopology.parse(csv, source: "c.csv")
        #expect(w.layers[0].shape == GEMMShape(m: 196, n: 16, k: 72))
    }

    @Test func hugeDimensionsAreRejectedNotWrapped() {
        let csv = "Layer, M, N, K, Sparsity,\nbig, 16000000, 16000000, 16000000, 1:1,\n"
        #expect {
            _ = try SCALESimTopology.parse(csv, source: "t.csv")
        } throws: { e in
            (e as! InputError).diagnostics.first?.message.contains("would overflow") == true
        }
    }

    @Test func cfgErrorsNameTheLine() {
        let cfg = "[architecture_presets]\nArrayHeight = 32\nArrayWidth = many\nIfmapSramSzkB = 1\nFilterSramSzkB = 1\nOfmapSramSzkB = 1\nDataflow = xs\n"
        #expect {
            _ = try SCALESimConfig.parse(cfg, source: "a.cfg")
        } throws: { e in
            (e as! InputError).diagnostics.map(\.description) == [
                "a.cfg: line 3: ArrayWidth must be an integer between 1 and 4096, found \"many\"",
                "a.cfg: line 7: Dataflow must be one of: os, ws, is (got \"xs\")",
            ]
        }
    }
}
