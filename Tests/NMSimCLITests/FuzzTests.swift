import Foundation
import NMSimSearch
import NMSimTestSupport
import Testing

@testable import NMSimModel

/// Structure-aware fuzzing of every input kind through the CLI entry point (in process, so a
/// few hundred mutants per kind run in seconds): each mutant either succeeds or fails with a
/// usage, data or missing-input status (64, 65, 66), one `nmsim: SOURCE: …` line per problem
/// with no control characters, and nothing on standard output. Seeds are fixed, so every run
/// sees the same mutants; a failure names the seed and the mutant's file to reproduce it.
@Suite("Fuzzing every input kind")
struct FuzzTests {
    struct Kind: Sendable, CustomStringConvertible {
        var name: String
        /// The valid input the mutants start from.
        var base: String
        var file: String
        /// `check` prints its verdicts on standard output and exits 1 on a mismatch.
        var isCheck = false
        var mutants = 300
        /// The least share of mutants that must run through (exit 0, or 1 for `check`).
        var minimumPassing = 0.3
        /// The command, given the mutant's path and the scratch folder.
        var command: @Sendable (_ mutant: String, _ dir: URL) -> [String]
        var description: String { name }
    }

    static func path(_ p: String) -> String { repositoryRoot.appendingPathComponent(p).path }
    static let example = path("workloads/gemm-example.json")
    static let topology = path("workloads/scalesim/deit_b_block_unique_dense.csv")
    static let cfg = path("workloads/scalesim/vit_32x32_ws_dense.cfg")

    /// A small workload for the spec mutants, which run the mapper (several schedules simulated
    /// per layer) on every mutant: the example's layer kinds at a fraction of its size.
    static let smallWorkload: String = {
        let file = try! temporaryDirectory().appendingPathComponent("small.json")
        try! #"""
        {"version": 1, "name": "small", "layers": [
          {"name": "proj_in", "type": "gemm", "m": 24, "n": 96, "k": 128, "pattern": "2:4"},
          {"name": "scores", "type": "gemm", "m": 24, "n": 24, "k": 32, "parameters": false, "count": 3},
          {"name": "softmax", "type": "vector", "op": "softmax", "elements": 1728},
          {"name": "proj_out", "type": "gemm", "m": 24, "n": 96, "k": 96, "pattern": "1:4"},
          {"name": "gelu", "type": "vector", "op": "gelu", "elements": 2304}]}
        """#.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }()

    static let kinds: [Kind] = [
        Kind(name: "spec JSON", base: path("hardware-specs/flex-nm4.json"), file: "s.json") { m, _ in
            ["simulate", "--spec", m, "--workload", smallWorkload, "--format", "json"]
        },
        // The kinds below fuzz a reader, not the schedule: the fixed one is faster in a debug build.
        Kind(name: "workload JSON", base: example, file: "w.json") { m, _ in ["simulate", "--workload", m, "--mapping", "fixed", "--format", "csv"] },
        Kind(name: "assignment JSON", base: path("workloads/example-assignment.json"), file: "a.json", minimumPassing: 0.15) { m, _ in
            ["show", "--workload", "deit-t", "--assignment", m, "--format", "assignment"]
        },
        Kind(name: "ELSA YAML", base: path("workloads/elsa/sparse_deit_small_1.96G_78.346.yaml"), file: "e.yaml") { m, _ in
            ["show", "--workload", "deit-s", "--assignment", m, "--format", "assignment"]
        },
        Kind(name: "SCALE-Sim cfg", base: cfg, file: "c.cfg") { m, _ in ["simulate", "--spec", m, "--workload", topology, "--format", "csv"] },
        Kind(name: "topology CSV", base: topology, file: "t.csv") { m, _ in ["simulate", "--spec", cfg, "--workload", m, "--format", "csv"] },
        Kind(name: "sensitivity CSV", base: "", file: "s.csv", mutants: 200, minimumPassing: 0.2) { m, _ in
            ["search", "--spec", fixedSpec, "--workload", example, "--sensitivity", m, "--speedup", "1.1", "--serial"]
        },
        // Most golden mutants change a recorded number, which the golden's own total catches (65).
        Kind(name: "golden", base: "", file: "g.golden.json", isCheck: true, mutants: 200, minimumPassing: 0.05) { m, _ in ["check", "--golden", m] },
        Kind(name: "trace", base: "", file: "g.trace", isCheck: true, mutants: 200) { _, dir in
            ["check", "--golden", dir.appendingPathComponent("g.golden.json").path]
        },
    ]

    static let sensitivity = "layer,pattern,cost\nproj_in,2:4,0.1\nproj_in,1:4,0.3\nproj_out,2:4,0.2\nproj_out,1:4,0.5\n"
    static let words: [JSONValue] =
        ["weightStationary", "outputStationary", "inputStationary", "perPE", "perRow", "1:4", "2:4", "4:4", "gemm", "vector", "gelu", "softmax"]
        .map { .string($0) } + [45, 65, 90, 130, 16, 64, 197, 768].map { .integer($0) }

    /// A folder with a recorded golden (and its trace) of the example workload.
    static func goldenFolder() throws -> (URL, golden: String, trace: String) {
        let dir = try temporaryDirectory()
        try FileManager.default.copyItem(atPath: example, toPath: dir.appendingPathComponent("w.json").path)
        let golden = dir.appendingPathComponent("g.golden.json").path
        let spec = dir.appendingPathComponent("s.json").path
        try FileManager.default.copyItem(atPath: fixedSpec, toPath: spec)
        let r = runInProcess(["record", "--golden", golden, "--spec", spec, "--workload", dir.appendingPathComponent("w.json").path, "--trace"])
        guard r.status == 0 else { throw InputError(.data, source: "fuzz", "cannot record the base golden: \(r.stderr)") }
        let trace = try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasSuffix(".trace") }!
        return (dir, try String(contentsOfFile: golden, encoding: .utf8), try String(contentsOf: dir.appendingPathComponent(trace), encoding: .utf8))
    }

    @Test(arguments: kinds)
    func everyMutantSucceedsOrFailsCleanly(kind: Kind) throws {
        var r = SeededRandom(seed: kind.name.utf8.reduce(UInt64(1469)) { $0 &* 31 &+ UInt64($1) })
        var dir = try temporaryDirectory()
        var base: String
        var target = kind.file
        switch kind.name {
        case "sensitivity CSV": base = Self.sensitivity
        case "golden", "trace":
            let (d, golden, trace) = try Self.goldenFolder()
            dir = d
            base = kind.name == "golden" ? golden : trace
            if kind.name == "trace" { target = try Golden.decode(golden, source: "g").trace! }
        default: base = try String(contentsOfFile: kind.base, encoding: .utf8)
        }
        let mutantPath = dir.appendingPathComponent(target).path
        let isJSON = kind.file.hasSuffix(".json")
        var passed = 0
        for i in 0..<kind.mutants {
            let text = isJSON ? Mutator.json(base, vocabulary: Self.words, &r) : Mutator.lines(base, &r)
            try text.write(toFile: mutantPath, atomically: false, encoding: .utf8)
            let run = runInProcess(kind.command(mutantPath, dir))
            let ok = run.status == 0 || (kind.isCheck && run.status == 1)
            if ok { passed += 1 }
            let problem = Self.problem(run, ok: ok, isCheck: kind.isCheck)
            if let problem {
                let keep = dir.appendingPathComponent("failing-\(i)-" + target).path
                try? text.write(toFile: keep, atomically: false, encoding: .utf8)
                Issue.record("\(kind.name) mutant \(i) (kept as \(keep)): \(problem)")
            }
        }
        // Restore the base so a later kind sharing the folder starts clean.
        try base.write(toFile: mutantPath, atomically: false, encoding: .utf8)
        #expect(Double(passed) >= kind.minimumPassing * Double(kind.mutants), "\(kind.name): only \(passed) of \(kind.mutants) mutants ran through")
        print("fuzz \(kind.name): \(passed) of \(kind.mutants) mutants ran through, the rest were refused cleanly")
    }

    /// What is wrong with a run's exit and output, if anything.
    static func problem(_ run: Run, ok: Bool, isCheck: Bool) -> String? {
        if !ok, ![64, 65, 66].contains(run.status) { return "exit status \(run.status): \(run.stderr.prefix(400))" }
        if !ok, !isCheck, !run.stdout.isEmpty { return "failed with output on stdout: \(run.stdout.prefix(200))" }
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        if !ok, lines.count < 2 { return "failed without a message" }
        if run.stderr.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) {
            return "control characters on stderr: \(run.stderr.debugDescription.prefix(300))"
        }
        for l in lines.dropLast() where !(l.hasPrefix("nmsim: ") && l.dropFirst(7).contains(": ")) {
            return "an error line that is not 'nmsim: SOURCE: …': \(l.prefix(200))"
        }
        if !lines.isEmpty, lines.last != "" { return "stderr does not end with a line end" }
        return nil
    }

    /// Checkpoint headers: every mutated `.npy` and `.safetensors` file is read or refused
    /// with located diagnostics.
    @Test func mutatedCheckpointHeadersAreReadOrRefusedWithLocations() throws {
        var r = SeededRandom(seed: 42)
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let values: [Float] = [1, 2, 3, 4, 5, 6]
        let body = values.flatMap { x in withUnsafeBytes(of: x.bitPattern.littleEndian) { Array($0) } }
        let npy = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)] + Array(header.utf8) + body
        let stHeader = Array(#"{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}"#.utf8)
        var n = UInt64(stHeader.count)
        var st: [UInt8] = []
        for _ in 0..<8 { st.append(UInt8(n & 0xFF)); n >>= 8 }
        st += stHeader + body
        var readNPY = 0, readST = 0
        for _ in 0..<300 {
            do {
                _ = try NPYFile.parse(Data(Mutator.header(npy, headerBytes: 10 + header.utf8.count, &r)), source: "m.npy")
                readNPY += 1
            } catch {
                #expect(!error.diagnostics.isEmpty && error.diagnostics.allSatisfy { $0.source == "m.npy" && !$0.location.isEmpty })
            }
            // Half the safetensors mutants change the JSON header structurally, half its bytes.
            let mutated: [UInt8]
            if r.chance(50) {
                let h = Array(Mutator.json(String(decoding: stHeader, as: UTF8.self), &r).utf8)
                var len = UInt64(h.count)
                var prefix: [UInt8] = []
                for _ in 0..<8 { prefix.append(UInt8(len & 0xFF)); len >>= 8 }
                mutated = prefix + h + body
            } else {
                mutated = Mutator.header(st, headerBytes: 8 + stHeader.count, &r)
            }
            do {
                let f = try SafeTensorsFile(data: Data(mutated), source: "m.safetensors")
                for name in f.entries.keys { _ = try f.tensor(name) }
                readST += 1
            } catch {
                #expect(!error.diagnostics.isEmpty && error.diagnostics.allSatisfy { $0.source == "m.safetensors" && !$0.location.isEmpty })
            }
        }
        print("fuzz checkpoints: \(readNPY) of 300 .npy and \(readST) of 300 .safetensors mutants read")
        #expect(readNPY >= 30 && readST >= 30)
    }
}
