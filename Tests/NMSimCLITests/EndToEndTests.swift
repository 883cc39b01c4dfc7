import Foundation
import Testing

@testable import NMSimModel

/// Runs the built `nmsim` binary and captures its output.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The `nmsim` executable built beside the test bundle.
let binary: URL = {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("nmsim")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir.deleteLastPathComponent()
    }
    return repositoryRoot.appendingPathComponent(".build/debug/nmsim")
}()

func nmsim(_ args: String..., in directory: URL? = nil) throws -> Run {
    try nmsim(args, in: directory)
}

func nmsim(_ args: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Run {
    try run(binary, args, in: directory, environment: environment)
}

/// Runs `executable` and captures its output.
func run(_ executable: URL, _ args: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Run {
    let p = Process()
    p.executableURL = executable
    p.arguments = args
    p.currentDirectoryURL = directory ?? repositoryRoot
    if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

func temporaryDirectory() throws -> URL {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("nmsim-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
    return d
}

/// A preset's JSON with `mapping.schedule: fixed`, for tests about something other than the
/// schedule (files, messages, options, search plumbing): the mapper simulates several schedules
/// per layer, which a debug build pays for on every run.
func fixedScheduleJSON(_ preset: String = "flex-nm4") -> String {
    Presets.json(named: preset)!.replacingOccurrences(of: "\"version\": 1,", with: "\"version\": 1, \"mapping\": { \"schedule\": \"fixed\" },")
}

/// `flex-nm4` on the fixed schedule, as a file (see `fixedScheduleJSON`).
let fixedSpec: String = {
    let file = try! temporaryDirectory().appendingPathComponent("flex-nm4-fixed.json")
    try! fixedScheduleJSON().write(to: file, atomically: true, encoding: .utf8)
    return file.path
}()

@Suite("nmsim binary")
struct EndToEndTests {
    @Test func helpListsEveryCommand() throws {
        let r = try nmsim("--help")
        #expect(r.status == 0)
        for c in ["simulate", "validate", "specs", "workloads", "show", "search", "demo", "bench"] { #expect(r.stdout.contains(c)) }
        for c in ["simulate", "validate", "specs", "show", "search", "demo", "bench"] {
            let h = try nmsim(c, "--help")
            #expect(h.status == 0 && h.stdout.contains("USAGE: nmsim \(c)"), "\(c) --help")
        }
    }

    /// Bad input: one located line on stderr, nothing on stdout, a sysexits status.
    static let badInputs: [(args: [String], status: Int32, stderr: String)] = [
        (["simulate", "--workload", "deit-t", "--pattern", "0:4"], 64, "nmsim: --pattern: N must be between 1 and M (got 0:4)"),
        (["simulate", "--workload", "deit-t", "--pattern", "5:4"], 64, "nmsim: --pattern: N must be between 1 and M (got 5:4)"),
        (["simulate", "--workload", "deit-t", "--pattern", "two:four"], 64, "nmsim: --pattern: expected an N:M pattern such as 2:4, found \"two:four\""),
        (
            ["simulate", "--workload", "deit-t", "--pattern", "1:8"], 65,
            "nmsim: --pattern: spec flex-nm4 does not support the pattern of blocks.0.attn.qkv (1:8), blocks.0.attn.proj (1:8), blocks.0.mlp.fc1 (1:8), blocks.0.mlp.fc2 (1:8), blocks.1.attn.qkv (1:8), and 43 more; it supports 1:4, 2:4 (and dense)"
        ),
        (
            ["simulate", "--workload", "deit-t", "--paterns", "2:4"], 64,
            "nmsim: --paterns: unknown option for 'nmsim simulate' (did you mean --pattern?); see 'nmsim simulate --help'"
        ),
        (
            ["simulate", "--workload", "resnet"], 64,
            "nmsim: --workload: unknown model \"resnet\"; built-in models are: deit-t, deit-s, deit-b, vit-b16, vit-l16, vit-h14, swin-t, swin-s, swin-b (or give a .json or SCALE-Sim .csv file)"
        ),
        (["simulate", "--workload", "missing.json"], 66, "nmsim: missing.json: no such file"),
        (
            ["simulate", "--spec", "nope", "--workload", "deit-t"], 64,
            "nmsim: --spec: unknown preset \"nope\"; presets are: flex-nm4, sparse-tc-2of4, flex-nm8, scalesim-ws-32x32, edge-nm4, datacenter-nm4 (or give a .json or SCALE-Sim .cfg file)"
        ),
        (["simulate", "--workload", "deit-t", "--format", "xml"], 64, "nmsim: --format: expected one of: table, csv, json, scalesim, found \"xml\""),
        (["simulate", "--workload", "deit-t", "--batch", "0"], 64, "nmsim: --batch: expected an integer between 1 and 4096, found \"0\""),
        (["simulate"], 64, "nmsim: --workload: is required"),
        (
            ["frobnicate"], 64,
            "nmsim: unknown command \"frobnicate\"; commands are: simulate, validate, specs, workloads, show, compare, search, sweep, merge, report, record, check, demo, bench"
        ),
        (["simulate", "--workload", "deit-t", "--pattern", "2:4", "--assignment", "a.json"], 64, "nmsim: --pattern: cannot be combined with --assignment"),
        (
            ["simulate", "--workload", "deit-t", "--output", "/nonexistent-dir/r.txt"], 73,
            "nmsim: --output: cannot write /nonexistent-dir/r.txt: directory /nonexistent-dir does not exist"
        ),
    ]

    @Test(arguments: badInputs.indices)
    func badInputGetsOneLocatedLineAndASysexitsStatus(index: Int) throws {
        let c = Self.badInputs[index]
        let r = try nmsim(c.args)
        #expect(r.status == c.status, "\(c.args)")
        #expect(r.stdout.isEmpty, "stdout not empty for \(c.args)")
        #expect(r.stderr == c.stderr + "\n")
    }

    @Test func badSpecFileListsEveryViolationWithItsPath() throws {
        let dir = try temporaryDirectory()
        let spec = Presets.json(named: "flex-nm4")!
            .replacingOccurrences(of: "\"banks\": 16", with: "\"banks\": 6")
            .replacingOccurrences(of: "\"rows\": 32", with: "\"rows\": 32, \"colour\": 1")
        try spec.write(to: dir.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        let r = try nmsim("simulate", "--spec", "bad.json", "--workload", "deit-t", in: dir)
        #expect(r.status == 65)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "nmsim: bad.json: peArray.colour: unknown key\nnmsim: bad.json: buffers.ifmap.banks: must be a power of two (got 6)\n")
    }

    @Test func outputFileIsWrittenWholeAndStdoutStaysEmpty() throws {
        let dir = try temporaryDirectory()
        // About the output file, not the schedule: the fixed one is faster in a debug build.
        let r = try nmsim("simulate", "--workload", "deit-t", "--pattern", "2:4", "--mapping", "fixed", "--format", "json", "--output", "r.json", in: dir)
        #expect(r.status == 0 && r.stdout.isEmpty)
        let text = try String(contentsOf: dir.appendingPathComponent("r.json"), encoding: .utf8)
        let json = try JSONParser.parse(text)
        for key in ["totalCycles", "seconds", "macs", "denseMacs", "weightBytes", "layers", "stalls"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        guard case .array(let layers)? = json["layers"], case .object? = layers.first else { Issue.record("no layers"); return }
        for key in ["name", "pattern", "cycles", "macs", "stalls"] { #expect(layers[0][key] != nil, "layer missing \(key)") }
        // A failing run leaves the earlier file untouched.
        let bad = try nmsim("simulate", "--workload", "deit-t", "--pattern", "1:8", "--output", "r.json", in: dir)
        #expect(bad.status == 65)
        #expect(try String(contentsOf: dir.appendingPathComponent("r.json"), encoding: .utf8) == text)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["r.json"])
    }

    @Test func overwritingAnOutputReplacesItWhole() throws {
        let dir = try temporaryDirectory()
        try "old\n".write(to: dir.appendingPathComponent("r.csv"), atomically: true, encoding: .utf8)
        // About output files, not the schedule: the fixed one is faster in a debug build.
        let r = try nmsim("simulate", "--workload", "deit-t", "--mapping", "fixed", "--format", "csv", "--output", "r.csv", in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOf: dir.appendingPathComponent("r.csv"), encoding: .utf8).hasPrefix("layer,type,pattern"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["r.csv"])
        // Two outputs to one file are refused.
        let same = try nmsim("simulate", "--workload", "deit-t", "--output", "x.txt", "--trace", "x.txt", in: dir)
        #expect(same.status == 64 && same.stderr == "nmsim: --trace: writes x.txt, which --output writes too\n")
        // One unwritable destination means none is written.
        let bad = try nmsim("simulate", "--workload", "deit-t", "--mapping", "fixed", "--trace", "t.trace", "--output", "nope/r.csv", in: dir)
        #expect(bad.status == 73)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("t.trace").path))
    }

    @Test func outputsWriteThroughLinksAndKeepPermissions() throws {
        let dir = try temporaryDirectory()
        let real = dir.appendingPathComponent("real.csv")
        try "old\n".write(to: real, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: real.path)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link.csv").path, withDestinationPath: "real.csv")
        // About output files, not the schedule: the fixed one is faster in a debug build.
        let r = try nmsim("simulate", "--workload", "deit-t", "--mapping", "fixed", "--format", "csv", "--output", "link.csv", in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.appendingPathComponent("link.csv").path) == "real.csv")
        #expect(try String(contentsOf: real, encoding: .utf8).hasPrefix("layer,"))
        #expect((try FileManager.default.attributesOfItem(atPath: real.path))[.posixPermissions] as? Int == 0o600)
        let same = try nmsim("simulate", "--workload", "deit-t", "--output", "real.csv", "--trace", "link.csv", in: dir)
        #expect(same.status == 64)
        let slash = try nmsim("simulate", "--workload", "deit-t", "--mapping", "fixed", "--output", "newdir/", in: dir)
        #expect(slash.status == 73 && slash.stderr == "nmsim: --output: cannot write newdir/: it names a directory\n")
    }

    @Test func identicalRunsAreByteIdentical() throws {
        let a = try nmsim("simulate", "--workload", "swin-t", "--assignment", "workloads/example-assignment.json", "--workload", "deit-t")
        #expect(a.status == 64)  // --workload twice is a usage error
        let x = try nmsim("simulate", "--workload", "deit-t", "--assignment", "workloads/example-assignment.json", "--format", "csv")
        let y = try nmsim("simulate", "--workload", "deit-t", "--assignment", "workloads/example-assignment.json", "--format", "csv", "--serial")
        #expect(x.status == 0 && x.stdout == y.stdout && !x.stdout.isEmpty)
    }

    @Test func scaleSimConfigAndTopologyReproduceItsTotalCycles() throws {
        let r = try nmsim(
            "simulate", "--spec", "workloads/scalesim/vit_32x32_ws_layerwise.cfg",
            "--workload", "workloads/scalesim/deit_b_block_unique_2of4.csv", "--format", "csv")
        #expect(r.status == 0)
        let cycles = r.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[7] }
        #expect(cycles == ["251423", "4073", "4073", "83807", "335231", "335231"])
    }

    @Test func scaleSimOutdirWritesSCALESimsFilesByteForByte() throws {
        let dir = try temporaryDirectory()
        let fixture = repositoryRoot.appendingPathComponent("Tests/NMSimModelTests/Fixtures/scalesim/ws16_nocomma")
        let r = try nmsim(
            "simulate", "--spec", fixture.appendingPathComponent("config.cfg").path, "--workload", fixture.appendingPathComponent("topology.csv").path,
            "-p", dir.path, "--format", "csv")
        #expect(r.status == 0)
        #expect(r.stderr.contains("line 3: warning: the row does not end with a comma"))
        let written = dir.appendingPathComponent("ws16_nocomma")
        let names = try FileManager.default.contentsOfDirectory(atPath: written.path).sorted()
        #expect(names == ["BANDWIDTH_REPORT.csv", "COMPUTE_REPORT.csv", "DETAILED_ACCESS_REPORT.csv", "SPARSE_REPORT.csv"])
        for n in names {
            #expect(try Data(contentsOf: written.appendingPathComponent(n)) == Data(contentsOf: fixture.appendingPathComponent(n)), "\(n)")
        }
    }

    @Test func scaleSimOutdirForANativeSpecCarriesNMSimsCounts() throws {
        let dir = try temporaryDirectory()
        // About the report files, not the schedule: the fixed one is faster in a debug build.
        let r = try nmsim(
            "simulate", "--spec", "flex-nm4", "--mapping", "fixed", "--workload", "deit-t", "--pattern", "2:4", "--scalesim-outdir", dir.path,
            "--output", "r.txt", in: dir)
        #expect(r.status == 0)
        let written = dir.appendingPathComponent("flex-nm4")
        #expect(try FileManager.default.contentsOfDirectory(atPath: written.path).sorted() == ["COMPUTE_REPORT.csv", "SPARSE_REPORT.csv"])
        let sparse = try String(contentsOf: written.appendingPathComponent("SPARSE_REPORT.csv"), encoding: .utf8)
        #expect(sparse.split(separator: "\n").dropFirst().allSatisfy { $0.contains(", nmsim, ") })
    }

    @Test func validateReportsEachFile() throws {
        let dir = try temporaryDirectory()
        try "{\"version\": 1, \"patterns\": {\"a\": \"9:4\"}}".write(to: dir.appendingPathComponent("a.json"), atomically: true, encoding: .utf8)
        let r = try nmsim(
            [
                "validate", repositoryRoot.appendingPathComponent("hardware-specs/flex-nm4.json").path,
                repositoryRoot.appendingPathComponent("workloads/gemm-example.json").path, "a.json",
                repositoryRoot.appendingPathComponent("workloads/elsa/sparse_deit_base_6.01G_81.358.yaml").path,
            ], in: dir)
        #expect(r.status == 65)
        #expect(r.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("ok: ") }.count == 3)
        #expect(r.stderr == "nmsim: a.json: patterns.a: N must be between 1 and M (got 9:4)\n")
    }

    @Test func anyAssignmentExportsToELSAsFormat() throws {
        let r = try nmsim("show", "--workload", "deit-b", "--assignment", "elsa-deit-b-6.01g", "--format", "elsa")
        #expect(r.status == 0)
        let released = try String(contentsOf: repositoryRoot.appendingPathComponent("workloads/elsa/sparse_deit_base_6.01G_81.358.yaml"), encoding: .utf8)
        func genes(_ t: String) -> String? {
            t.split(separator: "\n").first { $0.contains("TEST_SUBNET:") }?.split(separator: ":", maxSplits: 1).last.map(String.init)
        }
        #expect(genes(r.stdout) != nil && genes(r.stdout) == genes(released))
        let lost = try nmsim("show", "--workload", "deit-t", "--sparsify", "qkv,proj,fc1,fc2,head", "--pattern", "2:4", "--format", "elsa")
        #expect(lost.status == 64 && lost.stdout.isEmpty)
        #expect(lost.stderr == "nmsim: --format: ELSA's format has genes only for qkv, proj, fc1 and fc2 of each block; head would be lost\n")
        let bad = try nmsim("show", "--workload", "deit-t", "--sparsify", "qk")
        #expect(bad.status == 64 && bad.stderr.hasPrefix("nmsim: --sparsify: unknown layer kind \"qk\""))
    }

    @Test func demoRunsOnDefaults() throws {
        let r = try nmsim("demo")
        #expect(r.status == 0)
        for text in ["deit-b", "elsa-deit-b-6.01g", "uniform 2:4", "uniform 1:4", "searched (this run)", "re-simulated"] {
            #expect(r.stdout.contains(text), "demo output lacks \(text)")
        }
    }

    @Test func searchExportsAConfigurationThatSimulateReadsBack() throws {
        let dir = try temporaryDirectory()
        // About the exported files, not the schedule: the fixed one is faster in a debug build.
        let r = try nmsim(
            "search", "--spec", fixedSpec, "--workload", "deit-s", "--speedup", "1.8", "--format", "json", "--output", "s.json",
            "--export-elsa", "c.yaml", "--export-assignment", "a.json", in: dir)
        #expect(r.status == 0 && r.stdout.isEmpty, "\(r.stderr)")
        let json = try JSONParser.parse(try String(contentsOf: dir.appendingPathComponent("s.json"), encoding: .utf8))
        for key in ["assignment", "objective", "predictedCycles", "resimulatedCycles", "constraint", "speedup"] {
            #expect(json[key] != nil, "search JSON lacks \(key)")
        }
        #expect(json["constraint"]?["met"] == .bool(true))
        guard case .integer(let cycles)? = json["resimulatedCycles"] else { Issue.record("no cycles"); return }
        for file in ["c.yaml", "a.json"] {
            let sim = try nmsim("simulate", "--spec", fixedSpec, "--workload", "deit-s", "--assignment", file, "--format", "json", in: dir)
            #expect(sim.status == 0, "\(sim.stderr)")
            #expect(try JSONParser.parse(sim.stdout)["totalCycles"] == .integer(cycles), "\(file) does not reproduce the searched cycles")
        }
    }

    @Test func searchNeedsExactlyOneBudget() throws {
        let none = try nmsim("search", "--workload", "deit-t")
        #expect(none.status == 64 && none.stderr == "nmsim: search: needs one budget: --speedup, --latency, --flops-window, --memory or --energy\n")
        let two = try nmsim("search", "--workload", "deit-t", "--speedup", "2", "--memory", "3MiB")
        #expect(two.status == 64 && two.stderr == "nmsim: --memory: only one budget may be given (also got --speedup)\n")
        let bad = try nmsim("search", "--workload", "deit-t", "--latency", "fast")
        #expect(bad.status == 64 && bad.stderr == "nmsim: --latency: expected cycles or a time such as 12.5ms or 900us, found \"fast\"\n")
        // The schedule does not matter here; the fixed one is faster in a debug build.
        let impossible = try nmsim("search", "--spec", fixedSpec, "--workload", "deit-t", "--speedup", "50")
        #expect(impossible.status == 65 && impossible.stdout.isEmpty)
    }

    @Test func flopsWindowReproducesELSAsConstraint() throws {
        // A MACs constraint does not depend on the schedule; the fixed one is faster in a debug build.
        let r = try nmsim("search", "--spec", fixedSpec, "--workload", "deit-b", "--flops-window", "5.0", "5.6", "--optimizer", "dp", "--format", "json")
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONParser.parse(r.stdout)
        guard case .integer(let macs)? = json["macs"] else { Issue.record("no macs"); return }
        #expect(macs >= 5_000_000_000 && macs <= 5_600_000_000)
    }
}

@Suite("nmsim check")
struct CheckEndToEndTests {
    /// Two shipped goldens through the binary, one with a trace: the library's tests check every
    /// one (`RegressionSuiteTests`) and CI checks the folder with a release build.
    @Test func shippedGoldensPassWithAClosingLine() throws {
        let r = try nmsim(
            "check", "--golden", "Tests/Regression/goldens/flex-nm4--deit-t-dense.golden.json",
            "--golden", "Tests/Regression/goldens/flex-nm4--scalesim-block.golden.json")
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stdout.hasSuffix("2 passed, 0 failed\n"))
    }

    @Test func aMismatchFailsWithOneLinePerDifference() throws {
        let dir = try temporaryDirectory()
        // About check's messages, not the schedule: the fixed one is faster in a debug build.
        try fixedScheduleJSON().write(to: dir.appendingPathComponent("s.json"), atomically: true, encoding: .utf8)
        let rec = try nmsim("record", "--golden", "g.golden.json", "--spec", "s.json", "--workload", "deit-t", "--trace", in: dir)
        #expect(rec.status == 0, "\(rec.stderr)")
        let traces = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("g.") && $0.hasSuffix(".trace") }
        #expect(traces.count == 1)
        let spec = try String(contentsOf: dir.appendingPathComponent("s.json"), encoding: .utf8)
        try spec.replacingOccurrences(of: "\"bytesPerCycle\": 64", with: "\"bytesPerCycle\": 32")
            .write(to: dir.appendingPathComponent("s.json"), atomically: true, encoding: .utf8)
        let r = try nmsim("check", "--golden", "g.golden.json", in: dir)
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.last == "0 passed, 1 failed")
        #expect(lines.first?.hasPrefix("FAIL g.golden.json: layer 0 patch_embed: cycles expected ") == true)
        #expect(lines.first?.contains("first differing trace event: event ") == true)
    }

    @Test func aGoldenKeepsNonDefaultSparsifiableKinds() throws {
        let dir = try temporaryDirectory()
        // About the golden's keys, not the schedule: the fixed one is faster in a debug build.
        try fixedScheduleJSON().write(to: dir.appendingPathComponent("s.json"), atomically: true, encoding: .utf8)
        let rec = try nmsim(
            "record", "--golden", "g.golden.json", "--spec", "s.json", "--workload", "deit-t", "--sparsify", "qkv,head", "--pattern", "2:4", in: dir)
        #expect(rec.status == 0, "\(rec.stderr)")
        let r = try nmsim("check", "--golden", "g.golden.json", in: dir)
        #expect(r.status == 0 && r.stdout.hasSuffix("1 passed, 0 failed\n"), "\(r.stdout)")
    }

    @Test func anUnreadableGoldenIsNeverAPass() throws {
        let dir = try temporaryDirectory()
        try "{\"nmsimGolden\": 2, \"spec\": \"flex-nm4\"}".write(to: dir.appendingPathComponent("x.golden.json"), atomically: true, encoding: .utf8)
        let r = try nmsim("check", "--golden", "x.golden.json", in: dir)
        #expect(r.status == 65)
        #expect(r.stdout.hasSuffix("0 passed, 1 failed\n"))
        #expect(r.stderr == "nmsim: x.golden.json: nmsimGolden: golden format version 2 is newer than this nmsim understands (1)\n")
    }

    @Test func simulateWritesATrace() throws {
        let dir = try temporaryDirectory()
        // About the trace file, not the schedule: the fixed one is faster in a debug build.
        let r = try nmsim("simulate", "--workload", "deit-t", "--mapping", "fixed", "--trace", "t.trace", "--format", "csv", in: dir)
        #expect(r.status == 0)
        let t = try String(contentsOf: dir.appendingPathComponent("t.trace"), encoding: .utf8)
        #expect(t.hasPrefix("nmsim-trace 1\nspec flex-nm4\nworkload deit-t\nlayer 0 patch_embed 1:1 count 1 cycles "))
        #expect(t.hasSuffix("end\n"))
    }
}

@Suite("nmsim search --evaluator")
struct EvaluatorEndToEndTests {
    /// A POSIX shell evaluator: accuracy 80 for every configuration.
    static let constant = #"while IFS= read -r l; do id=${l#*\"id\": }; id=${id%%,*}; echo "{\"id\": $id, \"accuracy\": 80}"; done"#

    @Test func anEvaluatorScoresTheSearchAndIsReported() throws {
        // About the evaluator, not the schedule: the fixed one is faster in a debug build.
        let r = try nmsim(
            "search", "--spec", fixedSpec, "--workload", "deit-t", "--speedup", "1.3", "--evaluator", Self.constant, "--evaluator-batch", "8",
            "--format", "json", "--pareto")
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONParser.parse(r.stdout)
        #expect(json["accuracy"] == .number(80) || json["accuracy"] == .integer(80))
        guard case .integer(let evaluations)? = json["evaluator"]?["evaluations"], case .integer(let batches)? = json["evaluator"]?["batches"] else {
            Issue.record("no evaluator counts"); return
        }
        #expect(evaluations > 100 && batches < evaluations)
        guard case .array(let points)? = json["pareto"]?["points"], let first = points.first, case .object(let a)? = first["assignment"] else {
            Issue.record("no front with assignments"); return
        }
        #expect(a.count == 48)
    }

    @Test func aBrokenEvaluatorEndsTheSearchWithNothingWritten() throws {
        let dir = try temporaryDirectory()
        let cases: [(String, Int32, String)] = [
            ("read l; exit 3", 70, "nmsim: evaluator: exited before answering id 1 (exit status 3)\n"),
            ("read l; echo nonsense", 65, "nmsim: evaluator: reply line 1: not a JSON reply"),
            ("read l; echo '{\"id\": 5, \"accuracy\": 1}'; sleep 5", 65, "nmsim: evaluator: reply line 1: id 5 was not asked for or was already answered"),
            ("sleep 5", 70, "nmsim: evaluator: no reply within 0.5 s (--evaluator-timeout) while waiting for id 1\n"),
        ]
        for (command, status, message) in cases {
            let r = try nmsim(
                [
                    "search", "--spec", fixedSpec, "--workload", "deit-t", "--speedup", "1.3", "--evaluator", command, "--evaluator-timeout", "0.5",
                    "--output", "out.txt", "--export-elsa", "c.yaml", "--export-front", "front",
                ], in: dir)
            #expect(r.status == status, "\(command): \(r.stderr)")
            #expect(r.stderr.hasPrefix(message), "\(command): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func demoEvaluatesTheSearchAndTheReferenceConfigurations() throws {
        // About the evaluator, not the schedule: the fixed one is faster in a debug build.
        let r = try nmsim("demo", "--spec", fixedSpec, "--workload", "deit-s", "--evaluator", Self.constant, "--evaluator-batch", "50")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Evaluator: ") && r.stdout.contains("Search: highest evaluator accuracy"))
        let dense = r.stdout.split(separator: "\n").first { $0.hasPrefix("dense ") }
        #expect(dense?.hasSuffix(" 80.0000") == true, "\(r.stdout)")
    }

    @Test func exportFrontWritesOneConfigurationPerPoint() throws {
        let dir = try temporaryDirectory()
        // About the exported files, not the schedule: the fixed one is faster in a debug build.
        let r = try nmsim(["search", "--spec", fixedSpec, "--workload", "deit-s", "--memory", "12MiB", "--export-front", "front", "--format", "json"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONParser.parse(r.stdout)
        #expect(json["pareto"]?["resource"] == .string("weightBytes"))
        guard case .array(let points)? = json["pareto"]?["points"] else { Issue.record("no front"); return }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("front").path).sorted()
        #expect(files.count == 2 * points.count && files.first == "point-000.json" && files.contains("point-000.yaml"))
        // Each exported point reads back to its own weight bytes.
        for i in [0, points.count - 1] {
            let name = String(format: "point-%03d", i)
            for ext in ["json", "yaml"] {
                let sim = try nmsim(
                    ["simulate", "--spec", fixedSpec, "--workload", "deit-s", "--assignment", "front/\(name).\(ext)", "--format", "json"], in: dir)
                #expect(sim.status == 0, "\(sim.stderr)")
                #expect(try JSONParser.parse(sim.stdout)["weightBytes"] == points[i]["resource"], "\(name).\(ext)")
            }
        }
    }
}
