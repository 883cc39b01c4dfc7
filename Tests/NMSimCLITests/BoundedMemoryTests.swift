import Foundation
import NMSimModel
import Testing

/// Line-based readers keep only the useful lines: a file padded with 30 MB of blank lines is
/// read in well under 1 GB of address space (it used to take ~56 bytes per input byte).
@Suite("Bounded memory")
struct BoundedMemoryTests {
    /// Runs the binary with its address space limited to about 1 GB.
    static func limited(_ args: [String]) throws -> Run {
        try run(URL(fileURLWithPath: "/bin/sh"), ["-c", "ulimit -v 1000000; exec \"$0\" \"$@\"", binary.path] + args)
    }

    static func padded(_ path: String, in dir: URL, name: String) throws -> String {
        let out = dir.appendingPathComponent(name)
        var data = try Data(contentsOf: repositoryRoot.appendingPathComponent(path))
        data.append(Data(repeating: 0x0A, count: 30_000_000))
        try data.write(to: out)
        return out.path
    }

    @Test func paddedConfigAndTopologyAreReadInBoundedMemory() throws {
        let dir = try temporaryDirectory()
        let cfg = try Self.padded("workloads/scalesim/vit_32x32_ws_dense.cfg", in: dir, name: "c.cfg")
        let csv = try Self.padded("workloads/scalesim/deit_b_block_unique_dense.csv", in: dir, name: "t.csv")
        let r = try Self.limited(["simulate", "--spec", cfg, "--workload", csv, "--format", "csv"])
        #expect(r.status == 0, "\(r.status): \(r.stderr.prefix(300))")
    }

    @Test func paddedELSAConfigurationIsReadInBoundedMemory() throws {
        let dir = try temporaryDirectory()
        let yaml = try Self.padded("workloads/elsa/sparse_deit_small_1.96G_78.346.yaml", in: dir, name: "e.yaml")
        let r = try Self.limited(["show", "--workload", "deit-s", "--assignment", yaml, "--format", "assignment"])
        #expect(r.status == 0, "\(r.status): \(r.stderr.prefix(300))")
    }

    @Test func paddedSensitivityCSVIsReadInBoundedMemory() throws {
        let dir = try temporaryDirectory()
        var data = Data(FuzzTests.sensitivity.utf8)
        data.append(Data(repeating: 0x0A, count: 30_000_000))
        let csv = dir.appendingPathComponent("s.csv")
        try data.write(to: csv)
        // About the reader, not the schedule: the fixed one is faster in a debug build.
        let r = try Self.limited(["search", "--spec", fixedSpec, "--workload", FuzzTests.example, "--sensitivity", csv.path, "--speedup", "1.1", "--serial"])
        #expect(r.status == 0, "\(r.status): \(r.stderr.prefix(300))")
    }

    @Test func paddedSCALESimReportIsReadInBoundedMemory() throws {
        let dir = try temporaryDirectory()
        let run = "Tests/NMSimModelTests/Fixtures/scalesim/is32_dense_small/"
        for f in ["config.cfg", "topology.csv"] {
            try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent(run + f), to: dir.appendingPathComponent(f))
        }
        let report = try Self.padded(run + "COMPUTE_REPORT.csv", in: dir, name: "COMPUTE_REPORT.csv")
        let r = try Self.limited(["check", "--golden", report])
        #expect(r.status == 0, "\(r.status): \(r.stdout.prefix(300)) \(r.stderr.prefix(300))")
    }

    @Test func paddedTraceIsReadInBoundedMemory() throws {
        let dir = try temporaryDirectory()
        let golden = dir.appendingPathComponent("g.golden.json").path
        // About the reader, not the schedule: the fixed one is faster in a debug build.
        let spec = dir.appendingPathComponent("s.json")
        try fixedScheduleJSON().write(to: spec, atomically: true, encoding: .utf8)
        let rec = try nmsim(
            [
                "record", "--golden", golden, "--spec", spec.path, "--workload", repositoryRoot.appendingPathComponent("workloads/gemm-example.json").path,
                "--trace",
            ])
        #expect(rec.status == 0, "\(rec.stderr)")
        let trace = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasSuffix(".trace") })
        let handle = try FileHandle(forWritingTo: dir.appendingPathComponent(trace))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 0x0A, count: 30_000_000))
        try handle.close()
        let r = try Self.limited(["check", "--golden", golden])
        #expect(r.status == 0, "\(r.status): \(r.stdout.prefix(300)) \(r.stderr.prefix(300))")
    }
}

/// `record --trace` and `check` hold a golden's trace in memory, so one that cannot fit is
/// refused from its folds before anything is simulated, not after minutes of simulation.
@Suite("Oversized golden traces")
struct OversizedTraceTests {
    /// A 1×1 array and one layer with k = 2^23: 8.4 million folds, a trace of several hundred MB.
    static func inputs(in dir: URL) throws -> (spec: String, workload: String) {
        let spec = dir.appendingPathComponent("tiny.json")
        let json = try #require(Presets.json(named: "flex-nm4")).replacingOccurrences(of: #""rows": 32, "columns": 32"#, with: #""rows": 1, "columns": 1"#)
        #expect(json.contains(#""rows": 1, "columns": 1"#))
        try json.write(to: spec, atomically: true, encoding: .utf8)
        let workload = dir.appendingPathComponent("long.json")
        try #"{ "version": 1, "name": "long", "layers": [ { "name": "deep", "type": "gemm", "m": 1, "n": 1, "k": 8388608 } ] }"#
            .write(to: workload, atomically: true, encoding: .utf8)
        return (spec.path, workload.path)
    }

    static let refusal =
        "nmsim: long: deep: its trace would take at least 564 MiB, more than the 256 MiB a golden's trace may be;"
        + " write it with 'nmsim simulate --trace FILE'\n"

    @Test func recordRefusesAnOversizedTraceBeforeSimulating() throws {
        let dir = try temporaryDirectory()
        let (spec, workload) = try Self.inputs(in: dir)
        let r = runInProcess(["record", "--golden", dir.appendingPathComponent("g.golden.json").path, "--spec", spec, "--workload", workload, "--trace"])
        #expect(r.status == 65 && r.stdout.isEmpty && r.stderr == Self.refusal, "\(r.status): \(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["long.json", "tiny.json"])
    }

    @Test func checkRefusesAGoldenWhoseTraceCannotBeHeldBeforeSimulating() throws {
        let dir = try temporaryDirectory()
        _ = try Self.inputs(in: dir)
        let golden = dir.appendingPathComponent("g.golden.json")
        try #"""
        { "nmsimGolden": 1, "recordedWith": "nmsim test", "spec": "tiny.json", "workload": "long.json",
          "layers": [ { "name": "deep", "pattern": "1:1", "cycles": 1 } ], "totalCycles": 1, "trace": "g.0000000000000000.trace" }
        """#.write(to: golden, atomically: true, encoding: .utf8)
        let r = runInProcess(["check", "--golden", golden.path])
        #expect(r.status == 65 && r.stderr == Self.refusal, "\(r.status): \(r.stderr)")
        #expect(r.stdout.hasPrefix("FAIL \(golden.path): cannot be checked"), "\(r.stdout)")
    }
}
