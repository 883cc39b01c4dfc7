import Foundation
import Testing

@testable import NMSimModel
@testable import NMSimSearch

/// The four output files of a sweep directory.
func sweepFiles(_ dir: URL) throws -> [String: Data] {
    var out: [String: Data] = [:]
    for f in ["points.csv", "points.jsonl", "front.csv", "sweep.json"] { out[f] = try Data(contentsOf: dir.appendingPathComponent(f)) }
    return out
}

/// A small DeiT-T sweep: 2 array shapes × 3 supported-level sets × 2 ifmap sizes, three uniform modes and a search.
/// The sweep tests are about sweeping, sharding, merging and resuming, not the schedule: they run
/// the fixed one, which is faster in a debug build.
let smallSweep = [
    "sweep", "--spec", fixedSpec, "--workload", "deit-t", "--set", "peArray.rows,peArray.columns=16,32",
    "--set", "sparsity.supportedPatterns=[\"2:4\"],[\"1:4\",\"2:4\"],[]", "--set", "buffers.ifmap.capacityKiB=64:256:*4",
    "--pattern", "dense,2:4,1:4", "--search", "--speedup", "1.3", "--quiet",
]

@Suite("Sweep modes")
struct SweepModeTests {
    /// A figure reads each row's kind back from the mode column the sweep wrote.
    @Test func aModesKindReadsBackFromItsLabel() {
        let modes: [SweepMode] = [
            .uniform(.dense), .uniform(NMPattern(n: 2, m: 4)!), .assignment(name: "a.json", PatternAssignment(uniform: NMPattern(n: 1, m: 4)!)),
            .search(.speedup(1.5)), .pareto,
        ]
        #expect(modes.map(\.kind) == [.dense, .uniform, .assignment, .search, .pareto])
        for m in modes { #expect(SweepMode.Kind(label: m.label) == m.kind, "\(m.label)") }
        #expect(SweepMode.Kind(label: "pareto:3") == .pareto)
    }
}

@Suite("sweep and merge")
struct SweepTests {
    @Test func mergedShardsEqualTheUnshardedRunWhateverTheJobs() throws {
        let dir = try temporaryDirectory()
        let whole = dir.appendingPathComponent("whole")
        let r = try nmsim(smallSweep + ["--output", whole.path, "--jobs", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        let reference = try sweepFiles(whole)
        let csv = String(decoding: reference["points.csv"]!, as: UTF8.self)
        #expect(csv.split(separator: "\n").count == 1 + 12 * 4)
        #expect(csv.contains(",unsupported,") && csv.contains(",infeasible,") && csv.contains(",ok,"))
        // sweep.json records the command, without the options that only say where and how fast.
        let manifest = try JSONSerialization.jsonObject(with: reference["sweep.json"]!) as? [String: Any]
        #expect(
            manifest?["command"] as? String
                == "nmsim sweep --pattern dense,2:4,1:4 --set peArray.rows,peArray.columns=16,32"
                + " --set 'sparsity.supportedPatterns=[\"2:4\"],[\"1:4\",\"2:4\"],[]' --set 'buffers.ifmap.capacityKiB=64:256:*4'"
                + " --spec \(fixedSpec) --speedup 1.3 --workload deit-t --search")

        let parallel = dir.appendingPathComponent("parallel")
        #expect(try nmsim(smallSweep + ["--output", parallel.path, "--jobs", "3"]).status == 0)
        #expect(try sweepFiles(parallel) == reference)

        var shards: [String] = []
        for i in 0..<3 {
            let s = dir.appendingPathComponent("shard\(i)").path
            shards.append(s)
            let r = try nmsim(smallSweep + ["--output", s, "--shard", "\(i)/3", "--jobs", "2"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let merged = dir.appendingPathComponent("merged")
        let m = try nmsim(["merge"] + shards.reversed() + ["--output", merged.path])
        #expect(m.status == 0, "\(m.stderr)")
        #expect(try sweepFiles(merged) == reference)

        // A missing shard, a duplicate one, and a shard of another sweep are refused and named.
        let missing = try nmsim(["merge", shards[0], shards[2], "--output", dir.appendingPathComponent("m2").path])
        #expect(missing.status == 65 && missing.stderr.contains("4 of 12 points are in no directory: 1, 4, 7, 10"), "\(missing.stderr)")
        let dup = try nmsim(["merge", shards[0], shards[1], shards[2], whole.path, "--output", dir.appendingPathComponent("m3").path])
        #expect(dup.status == 65 && dup.stderr.contains("points given by more than one directory: 0 ("), "\(dup.stderr)")
        let other = dir.appendingPathComponent("other").path
        #expect(try nmsim(smallSweep.map { $0 == "1.3" ? "1.4" : $0 } + ["--output", other, "--shard", "1/3"]).status == 0)
        let mixed = try nmsim(["merge", shards[0], other, shards[2], "--output", dir.appendingPathComponent("m4").path])
        #expect(mixed.status == 65 && mixed.stderr.contains("\(other): is from a different sweep"), "\(mixed.stderr)")
    }

    @Test func resumeAfterAKillKeepsFinishedRowsAndGivesTheSameFiles() throws {
        let dir = try temporaryDirectory()
        let whole = dir.appendingPathComponent("whole")
        let args = smallSweep.map { $0 == "16,32" ? "16,24,32" : $0 } + ["--jobs", "1"]
        #expect(try nmsim(args + ["--output", whole.path]).status == 0)
        let reference = try sweepFiles(whole)

        let cut = dir.appendingPathComponent("cut")
        let p = Process()
        p.executableURL = binary
        p.arguments = args + ["--output", cut.path]
        p.standardError = FileHandle.nullDevice
        try p.run()
        let csv = cut.appendingPathComponent("points.csv")
        var lines = 0
        // Up to 5 minutes for two points on a loaded machine.
        for _ in 0..<60000 where lines < 9 {
            Thread.sleep(forTimeInterval: 0.005)
            lines = ((try? String(contentsOf: csv, encoding: .utf8)) ?? "").split(separator: "\n").count
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let kept = try String(contentsOf: csv, encoding: .utf8)
        #expect(kept.split(separator: "\n").count < 1 + 18 * 4, "the sweep finished before it was killed")
        // The last point's rows written only in part, and a row cut short, as a kill in the
        // middle of a write leaves them.
        let partial = kept.split(separator: "\n").dropLast().map { $0 + "\n" }.joined()
        try Data((partial + "7,24,24,[],deit-t,den").utf8).write(to: csv)
        #expect(!FileManager.default.fileExists(atPath: cut.appendingPathComponent("front.csv").path))

        let again = try nmsim(args + ["--output", cut.path])
        #expect(again.status == 73 && again.stderr.contains("pass --resume"), "\(again.stderr)")
        let resumed = try nmsim(args.filter { $0 != "--quiet" } + ["--output", cut.path, "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("already done"), "\(resumed.stderr)")
        #expect(try sweepFiles(cut) == reference)

        // Another sweep's directory is refused.
        let other = try nmsim(args.map { $0 == "1.3" ? "1.4" : $0 } + ["--output", cut.path, "--resume"])
        #expect(other.status == 65 && other.stderr.contains("was made by a different sweep"), "\(other.stderr)")
    }

    @Test func shardAutoReadsEachScheduler() throws {
        #expect(
            try SweepShard.fromScheduler(["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "3"], shards: nil)
                == SweepShard(index: 2, count: 4))
        #expect(
            try SweepShard.fromScheduler(
                [
                    "SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "1",
                    "SLURM_ARRAY_TASK_STEP": "3",
                ], shards: nil) == SweepShard(index: 2, count: 3))
        #expect(try SweepShard.fromScheduler(["JOB_COMPLETION_INDEX": "1"], shards: 3) == SweepShard(index: 1, count: 3))
        #expect(try SweepShard.fromScheduler(["JOB_COMPLETION_INDEX": "0", "NMSIM_SHARDS": "2"], shards: nil) == SweepShard(index: 0, count: 2))
        #expect(throws: InputError.self) { try SweepShard.fromScheduler(["JOB_COMPLETION_INDEX": "0"], shards: nil) }
        #expect(throws: InputError.self) { try SweepShard.fromScheduler(["JOB_COMPLETION_INDEX": "3"], shards: 3) }
        #expect(throws: InputError.self) { try SweepShard.fromScheduler(["SLURM_ARRAY_TASK_ID": "9", "SLURM_ARRAY_TASK_COUNT": "4"], shards: nil) }

        let dir = try temporaryDirectory()
        let clean = [
            "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_STEP",
            "JOB_COMPLETION_INDEX", "NMSIM_SHARDS",
        ].reduce(into: [String: String]()) { $0[$1] = "" }
        let none = try nmsim(
            smallSweep + ["--output", dir.appendingPathComponent("x").path, "--shard", "auto"],
            environment: clean)
        #expect(none.status == 64 && none.stderr.contains("no scheduler array variables are set"), "\(none.stderr)")
        let slurm = try nmsim(
            smallSweep + ["--output", dir.appendingPathComponent("slurm").path, "--shard", "auto"],
            environment: ["SLURM_ARRAY_TASK_ID": "11", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "10"])
        #expect(slurm.status == 0, "\(slurm.stderr)")
        let k8s = try nmsim(
            smallSweep + ["--output", dir.appendingPathComponent("k8s").path, "--shard", "auto", "--shards", "3"],
            environment: ["JOB_COMPLETION_INDEX": "1"])
        #expect(k8s.status == 0, "\(k8s.stderr)")
        let explicit = dir.appendingPathComponent("explicit")
        #expect(try nmsim(smallSweep + ["--output", explicit.path, "--shard", "1/3"]).status == 0)
        #expect(try sweepFiles(dir.appendingPathComponent("slurm")) == sweepFiles(explicit))
        #expect(try sweepFiles(dir.appendingPathComponent("k8s")) == sweepFiles(explicit))
    }

    @Test func malformedInputIsLocatedBeforeAnythingRuns() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let badPath = try nmsim(["sweep", "--workload", "deit-t", "--set", "peArray.rowz=16,32", "--output", out.path])
        #expect(badPath.status == 64 && badPath.stderr.contains("--set: value 16: spec peArray.rowz: unknown key"), "\(badPath.stderr)")
        let badValue = try nmsim(["sweep", "--workload", "deit-t", "--set", "peArray.rows=16,0", "--output", out.path])
        #expect(badValue.status == 64 && badValue.stderr.contains("value 0: spec peArray.rows: must be between 1 and 4096"), "\(badValue.stderr)")
        let badRange = try nmsim(["sweep", "--workload", "deit-t", "--set", "peArray.rows=64:16:*2", "--output", out.path])
        #expect(badRange.status == 64 && badRange.stderr.contains("START must not exceed STOP"), "\(badRange.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))

        let file = dir.appendingPathComponent("bad.json")
        try Data(
            #"{"version": 1, "spec": "flex-nm4", "workloads": ["deit-t"], "axes": [{"path": "peArray.rows", "values": [16, "x"]}], "modes": ["dense", "3:2"]}"#
                .utf8
        ).write(to: file)
        let r = try nmsim(["sweep", file.path, "--output", out.path])
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("bad.json: modes[1]:"), "\(r.stderr)")
        try Data(#"{"version": 1, "spec": "flex-nm4", "workloads": ["deit-t"], "axes": [{"path": "peArray.rows", "values": [16, "x"]}]}"#.utf8).write(to: file)
        let v = try nmsim(["sweep", file.path, "--output", out.path])
        #expect(v.status == 65 && v.stderr.contains("bad.json: axes[0].values[1]: value \"x\": spec peArray.rows: expected an integer"), "\(v.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func valuesAndRanges() throws {
        #expect(try SweepValues.parse("64:1024:*2").get() == [64, 128, 256, 512, 1024])
        #expect(try SweepValues.parse("1:2:+0.5").get() == [.number(1), .number(1.5), .number(2)])
        #expect(try SweepValues.parse("16,32").get() == [16, 32])
        #expect(try SweepValues.parse(#"["2:4"],["1:4","2:4"],[]"#).get() == [["2:4"], ["1:4", "2:4"], []])
        #expect(try SweepValues.parse("weightStationary,2:4").get() == ["weightStationary", "2:4"])
        let axis = try SweepAxis.parse(assignment: "peArray.rows,buffers.ifmap.capacityKiB=[16,256],32", source: "--set").get()
        #expect(axis.values == [[16, 256], [32, 32]])
        let root: JSONValue = ["a": ["b": 1]]
        #expect(try SpecPath.parse("a.c.d").get().setting(2, in: root).get() == ["a": ["b": 1, "c": ["d": 2]]])
    }

    @Test func compareTakesSeveralSpecs() throws {
        // About several specs side by side, not the schedule: the fixed one is faster in a debug build.
        let r = try nmsim("compare", "--workload", "deit-t", "--spec", "flex-nm4", "--spec", "edge-nm4", "--mapping", "fixed", "--format", "json")
        #expect(r.status == 0, "\(r.stderr)")
        let specs = try JSONParser.parse(r.stdout)
        guard case .array(let items) = specs else { Issue.record("not an array"); return }
        #expect(items.map { $0["spec"] } == [.string("flex-nm4"), .string("edge-nm4")])
    }

    @Test func aPointWhoseValuesClashGetsInvalidRowsAndTheSweepGoesOn() throws {
        let dir = try temporaryDirectory()
        let r = try nmsim([
            "sweep", "--spec", fixedSpec, "--workload", "deit-t", "--set",
            #"buffers={"unified":{"capacityKiB":2048,"bankWidthBytes":16}},{"ifmap":{"capacityKiB":1024,"bankWidthBytes":8},"filter":{"capacityKiB":512,"bankWidthBytes":4},"ofmap":{"capacityKiB":256,"bankWidthBytes":4}}"#,
            "--set", "buffers.ifmap.capacityKiB=512", "--pattern", "dense,2:4", "--output", dir.path + "/out", "--quiet",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try String(contentsOf: dir.appendingPathComponent("out/points.csv"), encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 5)
        #expect(rows[1].contains(",invalid,") && rows[1].contains("buffers.ifmap: cannot be given with buffers.unified"), "\(rows[1])")
        #expect(rows[3].contains(",dense,ok,") && rows[4].contains(",2:4,ok,"), "\(rows)")
    }

    @Test func paretoAndAssignmentModes() throws {
        let dir = try temporaryDirectory()
        let r = try nmsim([
            "sweep", "--spec", fixedSpec, "--workload", "deit-t", "--set", #"sparsity.supportedPatterns=["2:4"],["1:4","2:4"]"#,
            "--assignment", "workloads/example-assignment.json", "--pareto", "--output", dir.path + "/out", "--quiet",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try String(contentsOf: dir.appendingPathComponent("out/points.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        let fields = rows.map { SweepTables.fields($0)! }
        #expect(fields[0][3] == "assignment:example-assignment" && fields[0][4] == "unsupported")
        #expect(fields[0].last!.contains("flex-nm4 point 0 does not support the pattern of blocks.0.attn.proj (1:4)"), "\(fields[0])")
        let second = fields.filter { $0[0] == "1" }
        #expect(second[0][3] == "assignment:example-assignment" && second[0][4] == "ok")
        // The front at each point, fastest first, each row with its configuration.
        for point in ["0", "1"] {
            let front = fields.filter { $0[0] == point && $0[3].hasPrefix("pareto:") }
            #expect(front.count > 10)
            #expect(front.map { $0[3] } == front.indices.map { "pareto:\($0)" })
            let cycles = front.map { Int($0[6])! }, costs = front.map { Double($0[14])! }
            #expect(cycles == cycles.sorted() && costs == costs.sorted(by: >))
        }
        let lines = try String(contentsOf: dir.appendingPathComponent("out/points.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.filter { $0.contains("\"mode\":\"pareto:") }.allSatisfy { $0.contains("\"assignment\":{\"blocks.0.attn.proj\":") })
    }

    @Test func aSweepSearchTakesTheSensitivityFileASearchTakes() throws {
        let dir = try temporaryDirectory()
        // Costs that make 1:4 dear in the MLP and cheap in attention.
        let w = VisionTransformer.named("deit-t")!.workload()
        var csv = "layer,pattern,cost\n"
        for i in w.sparsifiableIndices {
            let name = w.layers[i].name, mlp = name.contains(".mlp.")
            csv += "\(name),2:4,\(mlp ? 0.2 : 0.1)\n\(name),1:4,\(mlp ? 3.0 : 0.3)\n"
        }
        try csv.write(to: dir.appendingPathComponent("s.csv"), atomically: true, encoding: .utf8)
        let search = try nmsim(
            "search", "--spec", fixedSpec, "--workload", "deit-t", "--speedup", "1.3", "--sensitivity", "s.csv", "--optimizer", "dp", "--format", "json",
            in: dir)
        #expect(search.status == 0, "\(search.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any]
        let cycles = try #require(json?["resimulatedCycles"] as? Int)
        let cost = try #require((json?["objective"] as? [String: Any])?["value"] as? Double)

        let inline = try nmsim(
            "sweep", "--spec", fixedSpec, "--workload", "deit-t", "--set", "peArray.rows=32", "--search", "--speedup", "1.3", "--sensitivity", "s.csv",
            "--output", "inline", "--quiet", in: dir)
        #expect(inline.status == 0, "\(inline.stderr)")
        let row = try String(contentsOf: dir.appendingPathComponent("inline/points.csv"), encoding: .utf8).split(separator: "\n")[1]
        let fields = row.split(separator: ",", omittingEmptySubsequences: false)
        #expect(fields[6] == "\(cycles)" && abs(Double(fields[14])! - cost) < 1e-6, "\(row) vs \(cycles), \(cost)")

        try #"{"version": 1, "spec": "\#(fixedSpec)", "axes": [{"path": "peArray.rows", "values": [32]}], "workloads": ["deit-t"],"#
            .appending(#" "modes": [{"search": {"speedup": 1.3}}], "search": {"sensitivity": "s.csv"}}"#)
            .write(to: dir.appendingPathComponent("f.json"), atomically: true, encoding: .utf8)
        #expect(try nmsim("sweep", "f.json", "--output", "file", "--quiet", in: dir).status == 0)
        let fromFile = try String(contentsOf: dir.appendingPathComponent("file/points.csv"), encoding: .utf8)
        #expect(fromFile == (try String(contentsOf: dir.appendingPathComponent("inline/points.csv"), encoding: .utf8)))

        let alone = try nmsim("sweep", "--workload", "deit-t", "--set", "peArray.rows=32", "--sensitivity", "s.csv", "--output", "x", in: dir)
        #expect(alone.status == 64 && alone.stderr == "nmsim: --sensitivity: needs --search or --pareto\n", "\(alone.stderr)")
    }
}
