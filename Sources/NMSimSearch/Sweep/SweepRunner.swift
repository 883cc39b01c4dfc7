import Dispatch
import Foundation
import NMSimModel

/// Which share of a sweep's points one run takes: those whose index ≡ `index` (mod `count`).
package struct SweepShard: Equatable, Sendable, CustomStringConvertible {
    package var index: Int
    package var count: Int

    package init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    package var description: String { "\(index)/\(count)" }

    /// Reads `I/N`.
    package static func parse(_ text: String) -> SweepShard? {
        let p = text.split(separator: "/", omittingEmptySubsequences: false)
        guard p.count == 2, let i = Int(p[0]), let n = Int(p[1]), n >= 1, n <= 1_000_000, i >= 0, i < n else { return nil }
        return SweepShard(index: i, count: n)
    }

    /// The shard a cluster scheduler gives this task: a Slurm job array (`SLURM_ARRAY_TASK_ID`
    /// and `SLURM_ARRAY_TASK_COUNT`, counted from `SLURM_ARRAY_TASK_MIN` in steps of
    /// `SLURM_ARRAY_TASK_STEP`), or a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX`, with the
    /// shard count from `shards` or `NMSIM_SHARDS`).
    package static func fromScheduler(_ env: [String: String], shards: Int?) throws(InputError) -> SweepShard {
        func int(_ k: String) throws(InputError) -> Int? {
            guard let v = env[k], !v.isEmpty else { return nil }
            guard let i = Int(v.trimmingCharacters(in: .whitespaces)) else {
                throw InputError(.usage, role: .schedulerShard, "\(k)=\"\(v)\" is not an integer")
            }
            return i
        }
        if let id = try int("SLURM_ARRAY_TASK_ID") {
            guard let count = try int("SLURM_ARRAY_TASK_COUNT"), count >= 1 else {
                throw InputError(.usage, role: .schedulerShard, "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not (run under sbatch --array)")
            }
            let min = try int("SLURM_ARRAY_TASK_MIN") ?? 0
            let step = try int("SLURM_ARRAY_TASK_STEP") ?? 1
            guard step >= 1, id >= min, (id - min) % step == 0, (id - min) / step < count else {
                throw InputError(
                    .usage, role: .schedulerShard,
                    "SLURM_ARRAY_TASK_ID=\(id) is not one of \(count) tasks from SLURM_ARRAY_TASK_MIN=\(min) in steps of \(step)")
            }
            if let shards, shards != count {
                throw InputError(.usage, role: .shardCount, "\(shards) differs from SLURM_ARRAY_TASK_COUNT=\(count)")
            }
            return SweepShard(index: (id - min) / step, count: count)
        }
        if let index = try int("JOB_COMPLETION_INDEX") {
            let fromEnv = try int("NMSIM_SHARDS")
            guard let count = shards ?? fromEnv else {
                throw InputError(
                    .usage, role: .schedulerShard,
                    "JOB_COMPLETION_INDEX is set; give the job's completions as \(InputRole.shardCount.mention) N or NMSIM_SHARDS=N")
            }
            guard count >= 1, index >= 0, index < count else {
                throw InputError(.usage, role: .schedulerShard, "JOB_COMPLETION_INDEX=\(index) is not below the shard count \(count)")
            }
            return SweepShard(index: index, count: count)
        }
        throw InputError(
            .usage, role: .schedulerShard,
            "no scheduler array variables are set: expected SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (Slurm job array) or JOB_COMPLETION_INDEX (Kubernetes Indexed Job); use --shard I/N otherwise"
        )
    }
}

/// How far a sweep has come, for a progress line.
package struct SweepProgress: Sendable {
    package var done: Int
    package var total: Int
    package var elapsedSeconds: Double
}

/// The outcome of a sweep run.
package struct SweepSummary: Sendable {
    package var points: Int
    package var evaluated: Int
    package var resumed: Int
    package var rows: Int
    package var elapsedSeconds: Double
    package var statusCounts: [String: Int]
}

/// A sweep's output directory: `sweep.json`, `points.csv`, `points.jsonl` and `front.csv`
/// (format in Docs/Sweeps.md).
package struct SweepDirectory: Sendable {
    package static let formatVersion = 1
    package static let files = ["sweep.json", "points.csv", "points.jsonl", "front.csv"]
    package let path: String

    package init(_ path: String) { self.path = path }

    func file(_ name: String) -> String { URL(fileURLWithPath: path).appendingPathComponent(name).path }

    /// `sweep.json`: format version, nmsim version, the command that made it (when known),
    /// input hash, shard and the expanded sweep.
    package static func manifest(_ sweep: Sweep, version: String, shard: SweepShard?, command: String? = nil) -> String {
        JSONWriter.write(
            .object([
                ("version", .int(formatVersion)), ("nmsim", .string(version)), ("command", command.map { .string($0) } ?? .null),
                ("inputHash", .string(sweep.inputHash(version: version))),
                ("shard", shard.map { .object([("index", .int($0.index)), ("count", .int($0.count))]) } ?? .null),
                ("points", .int(sweep.pointCount)), ("columns", .array(sweep.columns.map { .string($0) })),
                ("sweep", sweep.record()),
            ]))
    }

    /// What a directory's `sweep.json` says, or nil when it has none.
    package func manifest() throws(InputError) -> JSONValue? {
        let f = file("sweep.json")
        guard FileManager.default.fileExists(atPath: f) else { return nil }
        let v = try JSONParser.parse(InputLoader.read(f), source: f)
        guard case .string? = v["inputHash"], v["points"] != nil, v["sweep"] != nil else {
            throw InputError(.data, source: f, "is not a sweep manifest (no inputHash, points or sweep)")
        }
        return v
    }

    /// Rows of the points whose every row is in both `points.csv` and `points.jsonl`, grouped
    /// by point; unless the sweep finished, the last point of the file is left out (its rows
    /// may be incomplete).
    func finishedRows(complete finished: Bool = false) throws(InputError) -> (header: String, csv: [Int: [Substring]], jsonl: [Int: [Substring]]) {
        let csvText = FileManager.default.fileExists(atPath: file("points.csv")) ? try InputLoader.read(file("points.csv")) : ""
        let jsonText = FileManager.default.fileExists(atPath: file("points.jsonl")) ? try InputLoader.read(file("points.jsonl")) : ""
        func complete(_ text: String) -> [Substring] {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            lines.removeLast()  // after the last newline: empty, or a line cut short
            return lines
        }
        var csv = complete(csvText)
        let header = csv.isEmpty ? "" : String(csv.removeFirst())
        var byCSV: [Int: [Substring]] = [:], byJSON: [Int: [Substring]] = [:]
        var last = -1
        for l in csv {
            guard let comma = l.firstIndex(of: ","), let i = Int(l[..<comma]) else { continue }
            byCSV[i, default: []].append(l)
            last = max(last, i)
        }
        for l in complete(jsonText) {
            guard l.hasPrefix("{\"index\":"), let end = l.firstIndex(of: ","),
                let i = Int(l[l.index(l.startIndex, offsetBy: 9)..<end])
            else { continue }
            byJSON[i, default: []].append(l)
        }
        if !finished { byCSV[last] = nil }
        for i in Array(byCSV.keys) where byJSON[i] == nil { byCSV[i] = nil }
        for i in Array(byJSON.keys) where byCSV[i] == nil { byJSON[i] = nil }
        return (header, byCSV, byJSON)
    }

    /// Writes `points.csv` and `points.jsonl` whole from rows grouped by point, in index order.
    func rewrite(header: String, csv: [Int: [Substring]], jsonl: [Int: [Substring]]) throws(InputError) {
        var c = header, j = ""
        for i in csv.keys.sorted() {
            for l in csv[i]! { c += l + "\n" }
            for l in jsonl[i]! { j += l + "\n" }
        }
        try SweepDirectory.write(c, to: file("points.csv"))
        try SweepDirectory.write(j, to: file("points.jsonl"))
    }

    /// Writes `front.csv` from `points.csv`.
    func writeFront(objectives: [SweepObjective]) throws(InputError) {
        try SweepDirectory.write(SweepTables.front(pointsCSV: InputLoader.read(file("points.csv")), objectives: objectives), to: file("front.csv"))
    }

    /// Whole or not at all: a temporary file renamed over the target.
    static func write(_ text: String, to path: String) throws(InputError) {
        let tmp = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: tmp)) } catch {
            try? FileManager.default.removeItem(atPath: tmp)
            throw InputError(.cannotCreate, source: path, "cannot write: \(error.localizedDescription)")
        }
        if rename(tmp, path) != 0 {
            let why = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: tmp)
            throw InputError(.cannotCreate, source: path, "cannot write: \(why)")
        }
    }

    /// Creates the directory, or checks that an existing one may be used: empty of sweep files,
    /// or (to resume) made by the same sweep and shard.
    func prepare(hash: String, shard: SweepShard?, resume: Bool) throws(InputError) -> Bool {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw InputError(.cannotCreate, source: path, "exists and is not a directory") }
        } else {
            do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw InputError(.cannotCreate, source: path, "cannot create the directory: \(error.localizedDescription)")
            }
            return false
        }
        guard let m = try manifest() else {
            for f in Self.files where FileManager.default.fileExists(atPath: file(f)) {
                throw InputError(.cannotCreate, source: path, "holds \(f) but no sweep.json; choose an empty directory")
            }
            return false
        }
        guard resume else {
            throw InputError(.cannotCreate, source: path, "already holds a sweep; pass \(InputRole.resume.mention) to continue it, or choose another directory")
        }
        guard case .string(let h)? = m["inputHash"], h == hash else {
            throw InputError(
                .data, source: file("sweep.json"),
                "was made by a different sweep (input hash \(m["inputHash"]?.brief ?? "none"), this sweep's is \"\(hash)\"); choose another directory")
        }
        let theirs: JSONValue = shard.map { .object([("index", .int($0.index)), ("count", .int($0.count))]) } ?? .null
        guard m["shard"] == theirs else {
            throw InputError(.data, source: file("sweep.json"), "holds shard \(Self.shardText(m["shard"])), not \(shard?.description ?? "the whole sweep")")
        }
        return true
    }

    static func shardText(_ v: JSONValue?) -> String {
        guard case .integer(let i)? = v?["index"], case .integer(let n)? = v?["count"] else { return "none (the whole sweep)" }
        return "\(i)/\(n)"
    }
}

/// Runs a sweep into a directory: points in parallel, rows appended in index order as points
/// finish (whatever the number of jobs), `front.csv` at the end.
package struct SweepRunner: Sendable {
    package var sweep: Sweep
    package var directory: SweepDirectory
    package var jobs: Int
    package var shard: SweepShard?
    package var resume: Bool
    package var version: String
    /// The command line recorded in `sweep.json` (without output, job and shard options).
    package var command: String?

    package init(sweep: Sweep, directory: String, jobs: Int, shard: SweepShard?, resume: Bool, version: String, command: String? = nil) {
        self.sweep = sweep
        self.directory = SweepDirectory(directory)
        self.jobs = jobs
        self.shard = shard
        self.resume = resume
        self.version = version
        self.command = command
    }

    /// The indices this run is responsible for.
    package var indices: [Int] {
        guard let shard else { return Array(0..<sweep.pointCount) }
        return Array(stride(from: shard.index, to: sweep.pointCount, by: shard.count))
    }

    package func run(progress: (@Sendable (SweepProgress) -> Void)? = nil) throws(InputError) -> SweepSummary {
        let start = DispatchTime.now()
        let hash = sweep.inputHash(version: version)
        let resuming = try directory.prepare(hash: hash, shard: shard, resume: resume)
        var done: Set<Int> = []
        if resuming {
            let kept = try directory.finishedRows()
            try directory.rewrite(header: SweepTables.header(sweep), csv: kept.csv, jsonl: kept.jsonl)
            done = Set(kept.csv.keys)
        } else {
            try SweepDirectory.write(SweepDirectory.manifest(sweep, version: version, shard: shard, command: command), to: directory.file("sweep.json"))
            try SweepDirectory.write(SweepTables.header(sweep), to: directory.file("points.csv"))
            try SweepDirectory.write("", to: directory.file("points.jsonl"))
        }
        try? FileManager.default.removeItem(atPath: directory.file("front.csv"))
        let todo = indices.filter { !done.contains($0) }
        let writer = try OrderedWriter(
            csv: directory.file("points.csv"), jsonl: directory.file("points.jsonl"), total: todo.count,
            start: start, progress: progress)
        let evaluator = try SweepEvaluator(sweep: sweep)
        let sweep = self.sweep
        let next = Counter()
        let workers = max(1, min(jobs, todo.count))
        let work: @Sendable (Int) -> Void = { _ in
            while true {
                let k = next.take()
                guard k < todo.count else { return }
                let rows = evaluator.rows(todo[k])
                writer.submit(
                    k, csv: rows.map { SweepTables.csv($0, sweep) }.joined(),
                    jsonl: rows.map { SweepTables.jsonLine($0, sweep) }.joined(), statuses: rows.map(\.status.rawValue))
            }
        }
        if workers > 1 { DispatchQueue.concurrentPerform(iterations: workers, execute: work) } else { work(0) }
        try writer.finish()
        try directory.writeFront(objectives: sweep.objectives)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return SweepSummary(
            points: indices.count, evaluated: todo.count, resumed: done.count, rows: writer.rows,
            elapsedSeconds: elapsed, statusCounts: writer.statusCounts)
    }
}

/// Hands out work items in order.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take() -> Int {
        lock.lock(); defer { lock.unlock() }
        value += 1
        return value - 1
    }
}

/// Appends each point's rows in the order of the work list, holding back points that finish
/// before an earlier one.
final class OrderedWriter: @unchecked Sendable {
    private let lock = NSLock()
    private let csv: FileHandle
    private let jsonl: FileHandle
    private var pending: [Int: (csv: String, jsonl: String, statuses: [String])] = [:]
    private var next = 0
    private let total: Int
    private let start: DispatchTime
    private let progress: (@Sendable (SweepProgress) -> Void)?
    private var failure: InputError?
    private var lastReport: UInt64 = 0
    private(set) var rows = 0
    private(set) var statusCounts: [String: Int] = [:]

    init(csv: String, jsonl: String, total: Int, start: DispatchTime, progress: (@Sendable (SweepProgress) -> Void)?) throws(InputError) {
        guard let c = FileHandle(forWritingAtPath: csv) else { throw InputError(.cannotCreate, source: csv, "cannot open for appending") }
        guard let j = FileHandle(forWritingAtPath: jsonl) else { throw InputError(.cannotCreate, source: jsonl, "cannot open for appending") }
        c.seekToEndOfFile()
        j.seekToEndOfFile()
        self.csv = c
        self.jsonl = j
        self.total = total
        self.start = start
        self.progress = progress
    }

    func submit(_ k: Int, csv c: String, jsonl j: String, statuses: [String]) {
        lock.lock(); defer { lock.unlock() }
        pending[k] = (c, j, statuses)
        while let p = pending.removeValue(forKey: next) {
            if failure == nil {
                do {
                    // The JSON lines first: a point counts as finished once its CSV rows are written.
                    try jsonl.write(contentsOf: Data(p.jsonl.utf8))
                    try csv.write(contentsOf: Data(p.csv.utf8))
                } catch {
                    failure = InputError(.cannotCreate, source: "points.csv", "cannot append: \(error.localizedDescription)")
                }
            }
            rows += p.statuses.count
            for s in p.statuses { statusCounts[s, default: 0] += 1 }
            next += 1
            let now = DispatchTime.now().uptimeNanoseconds
            if let progress, now - lastReport > 200_000_000 || next == total {
                lastReport = now
                progress(SweepProgress(done: next, total: total, elapsedSeconds: Double(now - start.uptimeNanoseconds) / 1e9))
            }
        }
    }

    func finish() throws(InputError) {
        try? csv.close()
        try? jsonl.close()
        if let failure { throw failure }
    }
}

/// Joins the directories of a sharded sweep into the files one unsharded run writes.
package enum SweepMerge {
    package static func merge(_ inputs: [String], into output: String) throws(InputError) -> SweepSummary {
        let start = DispatchTime.now()
        var manifests: [(dir: SweepDirectory, m: JSONValue)] = []
        for p in inputs {
            let d = SweepDirectory(p)
            guard let m = try d.manifest() else { throw InputError(.noInput, source: p, "holds no sweep.json (not a sweep directory)") }
            manifests.append((d, m))
        }
        guard let first = manifests.first else { throw InputError(.usage, source: "merge", "needs at least one sweep directory") }
        var problems: [Diagnostic] = []
        for (d, m) in manifests.dropFirst() where m["inputHash"] != first.m["inputHash"] {
            problems.append(
                Diagnostic(
                    source: d.path,
                    message:
                        "is from a different sweep (input hash \(m["inputHash"]?.brief ?? "none"); \(first.dir.path) has \(first.m["inputHash"]?.brief ?? "none"))"
                ))
        }
        for (d, _) in manifests where !FileManager.default.fileExists(atPath: d.file("front.csv")) {
            problems.append(Diagnostic(source: d.path, message: "did not finish (no front.csv); run it again with \(InputRole.resume.mention)"))
        }
        if !problems.isEmpty { throw InputError(.data, problems) }
        guard case .integer(let total)? = first.m["points"] else {
            throw InputError(.data, source: first.dir.file("sweep.json"), location: "points", "is not an integer")
        }
        var header = ""
        var csv: [Int: [Substring]] = [:], jsonl: [Int: [Substring]] = [:], from: [Int: String] = [:]
        var duplicates: [String] = []
        for (d, _) in manifests {
            let rows = try d.finishedRows(complete: true)
            if header.isEmpty {
                header = rows.header
            } else if rows.header != header {
                throw InputError(.data, source: d.file("points.csv"), location: "line 1", "has different columns from \(first.dir.path)")
            }
            for (i, lines) in rows.csv {
                if let other = from[i] { duplicates.append("\(i) (\(other) and \(d.path))"); continue }
                from[i] = d.path
                csv[i] = lines
                jsonl[i] = rows.jsonl[i]
            }
        }
        let missing = (0..<Int(total)).filter { csv[$0] == nil }
        func list(_ items: [String]) -> String {
            items.prefix(20).joined(separator: ", ") + (items.count > 20 ? ", and \(items.count - 20) more" : "")
        }
        if !duplicates.isEmpty {
            problems.append(
                Diagnostic(
                    source: "merge",
                    message: "points given by more than one directory: \(list(duplicates.sorted { $0.count != $1.count ? $0.count < $1.count : $0 < $1 }))"))
        }
        if !missing.isEmpty {
            problems.append(Diagnostic(source: "merge", message: "\(missing.count) of \(total) points are in no directory: \(list(missing.map(String.init)))"))
        }
        let outside = csv.keys.filter { $0 < 0 || $0 >= Int(total) }.sorted()
        if !outside.isEmpty { problems.append(Diagnostic(source: "merge", message: "points outside the sweep's \(total): \(list(outside.map(String.init)))")) }
        if !problems.isEmpty { throw InputError(.data, problems) }

        let out = SweepDirectory(output)
        _ = try out.prepare(hash: "", shard: nil, resume: false)
        try out.rewrite(header: header + "\n", csv: csv, jsonl: jsonl)
        var objectives: [SweepObjective] = []
        if case .array(let os)? = first.m["sweep"]?["objectives"] {
            objectives = os.compactMap {
                if case .string(let s) = $0 { return SweepObjective(rawValue: s) }; return nil
            }
        }
        try out.writeFront(objectives: objectives)
        guard case .object(var members) = first.m else { preconditionFailure("a manifest is an object") }
        for k in members.indices where members[k].key == "shard" { members[k].value = .null }
        try SweepDirectory.write(JSONWriter.write(.object(members)), to: out.file("sweep.json"))
        var counts: [String: Int] = [:]
        let status = SweepTables.fields(Substring(header))?.firstIndex(of: "status") ?? 0
        for lines in csv.values { for l in lines { counts[SweepTables.fields(l)?[status] ?? "", default: 0] += 1 } }
        return SweepSummary(
            points: Int(total), evaluated: 0, resumed: Int(total), rows: csv.values.reduce(0) { $0 + $1.count },
            elapsedSeconds: Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9, statusCounts: counts)
    }
}
