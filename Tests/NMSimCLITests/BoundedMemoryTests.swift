import Foundation
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

    @Test func paddedTraceIsReadInBoundedMemory() throws {
        let dir = try temporaryDirectory()
        let golden = dir.appendingPathComponent("g.golden.json").path
        let rec = try nmsim(["record", "--golden", golden, "--workload", repositoryRoot.appendingPathComponent("workloads/gemm-example.json").path, "--trace"])
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
