import Foundation
import Testing

@testable import NMSimModel
@testable import NMSimReport

/// The regression suite: goldens for every preset × a few workloads, in Tests/Regression/goldens.
///
/// Re-record after an intended model change with
/// `NMSIM_RECORD_GOLDENS=1 swift test --filter RegressionSuite`, review `git diff`, commit, and
/// run again without the variable. A recording run always reports an issue, so it never passes.
@Suite("Regression suite")
struct RegressionSuiteTests {
    static let directory = repositoryRoot.appendingPathComponent("Tests/Regression/goldens")
    static let recording = ProcessInfo.processInfo.environment["NMSIM_RECORD_GOLDENS"] == "1"

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var workload: String
        var pattern: String?
        var assignment: String?
        var trace: Bool
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "deit-t-dense", workload: "deit-t", trace: true),
        Case(name: "deit-b-elsa-6.01g", workload: "deit-b", assignment: "elsa-deit-b-6.01g", trace: false),
        Case(name: "swin-t-2of4", workload: "swin-t", pattern: "2:4", trace: false),
        Case(name: "scalesim-block", workload: "../../../workloads/scalesim/deit_b_block_unique_dense.csv", trace: false),
    ]

    /// (preset, case) pairs whose patterns the preset runs.
    static let matrix: [(preset: String, c: Case)] = Presets.names.flatMap { p in
        cases.compactMap { c -> (String, Case)? in
            guard let spec = try? HardwareSpec.decode(json: Presets.json(named: p)!, source: p) else { return nil }
            if let pat = c.pattern, case .success(let v) = NMPattern.parse(pat), !spec.supports(v) { return nil }
            if let a = c.assignment, let e = ELSAConfigurations.named(a) {
                let w = e.model.workload()
                guard let asg = try? e.assignment(for: w), (try? asg.resolve(w, on: spec)) != nil else { return nil }
            }
            return (p, c)
        }
    }

    static func fileName(_ preset: String, _ c: Case) -> String { "\(preset)--\(c.name).golden.json" }

    @Test func goldensCoverEveryPresetAndNoStrayFilesExist() throws {
        guard !Self.recording else { return }
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".golden.json") })
        let expected = Set(Self.matrix.map { Self.fileName($0.preset, $0.c) })
        #expect(files == expected, "missing: \(expected.subtracting(files).sorted()), stray: \(files.subtracting(expected).sorted())")
        #expect(Set(Self.matrix.map(\.preset)) == Set(Presets.names))
    }

    @Test(arguments: matrix.map { fileName($0.preset, $0.c) })
    func goldenMatchesExactly(file: String) throws {
        let path = Self.directory.appendingPathComponent(file).path
        if Self.recording {
            let (preset, c) = Self.matrix.first { Self.fileName($0.preset, $0.c) == file }!
            var assignment = PatternAssignment.none
            let workloadPath = VisionTransformer.named(c.workload) != nil ? c.workload : Self.directory.appendingPathComponent(c.workload).path
            let w = try InputLoader.workload(workloadPath)
            if let p = c.pattern { assignment = PatternAssignment(uniform: try NMPattern.parse(p).get()) }
            if let a = c.assignment { assignment = try ELSAConfigurations.named(a)!.assignment(for: w) }
            let base = String(file.dropLast(".golden.json".count))
            let (g, trace) = try GoldenCheck.record(
                specArg: preset, workloadArg: c.workload, image: nil, batch: nil, pattern: c.pattern,
                assignment: c.assignment, assignmentValue: assignment,
                traceFile: c.trace ? base + ".trace" : nil, version: "test", resolveFrom: Self.directory)
            try g.json().write(toFile: path, atomically: true, encoding: .utf8)
            if let trace { try trace.write(toFile: Self.directory.appendingPathComponent(base + ".trace").path, atomically: true, encoding: .utf8) }
            Issue.record("recorded \(file); review the diff, commit, and run again without NMSIM_RECORD_GOLDENS")
            return
        }
        let mismatches = try GoldenCheck.check(goldenAt: path, tolerance: 0, version: "test")
        #expect(mismatches.isEmpty, "\(file):\n\(mismatches.prefix(10).map(\.description).joined(separator: "\n"))")
    }
}

@Suite("Golden checks")
struct GoldenCheckTests {
    static func scratch() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("nmsim-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    /// Records DeiT-T at 2:4 on a copy of flex-nm4 with a trace; returns (dir, golden path).
    static func recorded() throws -> (URL, String) {
        let dir = try scratch()
        // The fixed schedule, whose first events the tests below name.
        let fixed = Presets.json(named: "flex-nm4")!.replacingOccurrences(
            of: "\"clockGHz\": 1.0,", with: "\"clockGHz\": 1.0, \"mapping\": { \"schedule\": \"fixed\" },")
        try fixed.write(to: dir.appendingPathComponent("s.json"), atomically: true, encoding: .utf8)
        let (g, trace) = try GoldenCheck.record(
            specArg: "s.json", workloadArg: "deit-t", image: nil, batch: nil, pattern: "2:4", assignment: nil,
            assignmentValue: PatternAssignment(uniform: NMPattern(n: 2, m: 4)!), traceFile: "g.trace",
            version: "test", resolveFrom: dir)
        try g.json().write(to: dir.appendingPathComponent("g.golden.json"), atomically: true, encoding: .utf8)
        try trace!.write(to: dir.appendingPathComponent("g.trace"), atomically: true, encoding: .utf8)
        return (dir, dir.appendingPathComponent("g.golden.json").path)
    }

    @Test func aChangedModelParameterIsCaughtWithTheFirstDifferingEvent() throws {
        let (dir, golden) = try Self.recorded()
        #expect(try GoldenCheck.check(goldenAt: golden, tolerance: 0, version: "test").isEmpty)
        let spec = dir.appendingPathComponent("s.json")
        let changed = try String(contentsOf: spec, encoding: .utf8).replacingOccurrences(of: "\"latencyCycles\": 200", with: "\"latencyCycles\": 201")
        try changed.write(to: spec, atomically: true, encoding: .utf8)
        let m = try GoldenCheck.check(goldenAt: golden, tolerance: 0, version: "test")
        #expect(!m.isEmpty)
        let first = try #require(m.first)
        #expect(first.layer == 0 && first.layerName == "patch_embed" && first.field == "cycles")
        #expect(first.firstEvent == "event 2: expected \"314 dram fetch 1 7296\", actual \"315 dram fetch 1 7296\"")
    }

    @Test func aMissingInputBesideTheGoldenIsAnErrorNotAFallback() throws {
        let (dir, golden) = try Self.recorded()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("s.json"))
        let cwd = FileManager.default.currentDirectoryPath
        #expect(!FileManager.default.fileExists(atPath: cwd + "/s.json"))
        #expect(throws: InputError.self) { _ = try GoldenCheck.check(goldenAt: golden, tolerance: 0, version: "test") }
    }

    @Test func aTraceOnlyDifferenceIsReportedAsATraceMismatch() throws {
        let (dir, golden) = try Self.recorded()
        let trace = dir.appendingPathComponent("g.trace")
        let t = try String(contentsOf: trace, encoding: .utf8)
        // Change one event's amount without changing any layer's cycles.
        try t.replacingOccurrences(of: "0 dram fetch 0 7296\n", with: "0 dram fetch 0 7297\n").write(to: trace, atomically: true, encoding: .utf8)
        let m = try GoldenCheck.check(goldenAt: golden, tolerance: 0, version: "test")
        #expect(m.first?.field == "trace")
        #expect(m.first?.firstEvent == "event 1: expected \"0 dram fetch 0 7297\", actual \"0 dram fetch 0 7296\"")
    }

    @Test func toleranceAcceptsSmallDriftAndRejectsLargeDrift() throws {
        let (dir, golden) = try Self.recorded()
        let spec = dir.appendingPathComponent("s.json")
        let changed = try String(contentsOf: spec, encoding: .utf8).replacingOccurrences(of: "\"latencyCycles\": 200", with: "\"latencyCycles\": 201")
        try changed.write(to: spec, atomically: true, encoding: .utf8)
        #expect(try GoldenCheck.check(goldenAt: golden, tolerance: 0.01, version: "test").isEmpty)
        #expect(!(try GoldenCheck.check(goldenAt: golden, tolerance: 0.0001, version: "test")).isEmpty)
        #expect(GoldenCheck.within(1000, 1010, 0.01) && !GoldenCheck.within(1000, 1011, 0.01))
    }

    @Test func corruptGoldensAreLocatedErrorsNeverPasses() throws {
        let (dir, golden) = try Self.recorded()
        let text = try String(contentsOfFile: golden, encoding: .utf8)
        let cases: [(String, String)] = [
            (String(text.prefix(500)), "truncated or corrupt golden?"),
            (
                text.replacingOccurrences(of: "\"nmsimGolden\": 1", with: "\"nmsimGolden\": 7"),
                "golden format version 7 is newer than this nmsim understands (1)"
            ),
            (text.replacingOccurrences(of: "\"totalCycles\": ", with: "\"totalCycles\": 1"), "but the layers add up to"),
            (text.replacingOccurrences(of: "\"layers\"", with: "\"layerz\""), "layers: is required"),
        ]
        for (i, (content, message)) in cases.enumerated() {
            let p = dir.appendingPathComponent("bad\(i).golden.json").path
            try content.write(toFile: p, atomically: true, encoding: .utf8)
            #expect {
                _ = try GoldenCheck.check(goldenAt: p, tolerance: 0, version: "test")
            } throws: { e in
                (e as! InputError).description.contains(message)
            }
        }
        // A truncated trace is an error too.
        let trace = dir.appendingPathComponent("g.trace")
        let t = try String(contentsOf: trace, encoding: .utf8)
        try String(t.prefix(t.count / 2)).write(to: trace, atomically: true, encoding: .utf8)
        #expect(throws: InputError.self) { _ = try GoldenCheck.check(goldenAt: golden, tolerance: 0, version: "test") }
    }

    @Test func scaleSimReportsAreGoldensToo() throws {
        let dir = fixtures.appendingPathComponent("scalesim/is32_nm_small")
        let ok = try GoldenCheck.checkSCALESim(
            report: dir.appendingPathComponent("COMPUTE_REPORT.csv").path,
            spec: dir.appendingPathComponent("config.cfg").path,
            topology: dir.appendingPathComponent("topology.csv").path, tolerance: 0)
        #expect(ok.isEmpty)
        // The same report against a different array size fails, layer by layer.
        let other = fixtures.appendingPathComponent("scalesim/is8x16_nm_small/config.cfg").path
        let bad = try GoldenCheck.checkSCALESim(
            report: dir.appendingPathComponent("COMPUTE_REPORT.csv").path, spec: other,
            topology: dir.appendingPathComponent("topology.csv").path, tolerance: 0)
        #expect(bad.count == 4 && bad[0].field == "Total Cycles")
    }

    @Test func traceIsDeterministicAndParses() throws {
        let spec = try preset("flex-nm4")
        let w = VisionTransformer.named("deit-t")!.workload()
        let p = try PatternAssignment(uniform: NMPattern(n: 1, m: 4)!).resolve(w, on: spec)
        let a = try Trace.record(spec: spec, workload: w, patterns: p)
        #expect(a == (try Trace.record(spec: spec, workload: w, patterns: p)))
        let parsed = try Trace.parse(a, source: "t")
        #expect(parsed.layers.count == w.layers.count)
        #expect(parsed.layers.contains { $0.sameAs != nil })
        // Event lines are integers only: no floats anywhere.
        let eventLines = a.split(separator: "\n").filter { $0.first?.isNumber == true }
        #expect(!eventLines.isEmpty && eventLines.allSatisfy { !$0.contains(".") && !$0.contains("e+") })
    }
}

/// `flex-nm4` shrunk to one PE: every weight is a fold of its own.
func onePE() throws -> HardwareSpec {
    var spec = try preset("flex-nm4")
    spec.rows = 1
    spec.columns = 1
    return spec
}

/// A trace streams in bounded pieces however many events one layer has.
@Suite("Trace streaming")
struct TraceStreamingTests {
    @Test func aLayerWithManyEventsIsStreamedInBoundedPiecesWithTheSameText() throws {
        let spec = try onePE()
        let w = Workload(name: "long", layers: [Layer(name: "a", kind: .gemm(GEMMShape(m: 1, n: 1, k: 16384)))])
        let patterns = try PatternAssignment.none.resolve(w, on: spec)
        let whole = try Trace.record(spec: spec, workload: w, patterns: patterns)
        #expect(whole.utf8.count > 1_000_000)
        var streamed = "", largest = 0
        try Trace.record(spec: spec, workload: w, patterns: patterns, layerBuffer: 1 << 16) { (s: String) throws(InputError) in
            streamed += s
            largest = max(largest, s.utf8.count)
        }
        #expect(streamed == whole)
        #expect(largest <= 2 << 16, "a piece of \(largest) bytes")
        #expect(try Trace.parse(streamed, source: "t").layers.first?.events?.count == whole.split(separator: "\n").count - 5)
    }
}

/// The size a trace is refused by before simulating is a true lower bound of its size.
@Suite("Trace size bound")
struct TraceSizeBoundTests {
    @Test func theMinimumSizeNeverExceedsTheTraceAndIsCloseForManyFolds() throws {
        let tiny = try onePE()
        let long = Workload(
            name: "long",
            layers: [
                Layer(name: "a", kind: .gemm(GEMMShape(m: 1, n: 3, k: 4000))), Layer(name: "b", kind: .gemm(GEMMShape(m: 2, n: 1, k: 12_000))),
                Layer(name: "c", kind: .gemm(GEMMShape(m: 1, n: 3, k: 4000))),
            ])
        var cases: [(HardwareSpec, Workload)] = [(tiny, long)]
        for name in ["flex-nm4", "scalesim-ws-32x32", "edge-nm4", "datacenter-nm4"] {
            cases.append((try preset(name), VisionTransformer.named("deit-t")!.workload()))
        }
        for (spec, w) in cases {
            for assignment in [PatternAssignment.none, PatternAssignment(uniform: pattern("2:4"), source: "t")] where spec.supports(pattern("2:4")) {
                let p = try assignment.resolve(w, on: spec)
                let bound = Trace.minimumSize(spec: spec, workload: w, patterns: p).bytes
                let size = try Trace.record(spec: spec, workload: w, patterns: p).utf8.count
                #expect(bound > 0 && bound <= size, "\(spec.name) \(w.name): bound \(bound) of \(size) bytes")
                if w.name == "long" { #expect(Double(bound) > 0.5 * Double(size), "bound \(bound) of \(size) bytes") }
            }
        }
        #expect(Trace.digits(below: 0) == 0 && Trace.digits(below: 1) == 1 && Trace.digits(below: 11) == 12 && Trace.digits(below: 1001) == 2894)
    }

    @Test func aTraceTheBoundPutsPastTheLimitIsRefusedBeforeSimulating() throws {
        let spec = try onePE()
        // 20,000,001 folds: more than the simulator accepts, so only a refusal made before
        // simulating can say the trace is too large.
        let w = Workload(name: "long", layers: [Layer(name: "deep", kind: .gemm(GEMMShape(m: 1, n: 1, k: LayerSimulator.maxFolds + 1)))])
        let p = try PatternAssignment.none.resolve(w, on: spec)
        #expect(Trace.minimumSize(spec: spec, workload: w, patterns: p) == (1_446_666_744, 0))
        do {
            _ = try Trace.record(spec: spec, workload: w, patterns: p)
            Issue.record("recorded a trace of at least 1.4 GB")
        } catch {
            #expect(
                error.diagnostics.map(\.description) == [
                    "long: deep: its trace would take at least 1379 MiB, more than the 256 MiB a golden's trace may be; write it with 'streamedTrace FILE'"
                ])
        }
    }
}
