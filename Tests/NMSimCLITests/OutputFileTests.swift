import Foundation
import Testing

@testable import NMSimCLI
@testable import NMSimModel

#if canImport(Glibc)
    import Glibc
#endif

/// Output files: never written through a planted link, devices and FIFOs never replaced,
/// no temporaries left behind, goldens and their traces always consistent.
@Suite("Output files")
struct OutputFileTests {
    static func fileType(_ path: String) -> mode_t? {
        var st = stat()
        return lstat(path, &st) == 0 ? st.st_mode & S_IFMT : nil
    }

    @Test func aPlantedLinkAtATemporaryNameIsNeverWrittenThrough() throws {
        let dir = try temporaryDirectory()
        let victim = dir.appendingPathComponent("victim.txt")
        try "precious\n".write(to: victim, atomically: false, encoding: .utf8)
        let out = dir.appendingPathComponent("out.txt")
        // Links at every name an attacker could guess from the process id.
        for name in [".out.txt.tmp-\(getpid())", ".out.txt.nmsim-tmp-\(getpid())", ".out.txt.nmsim-tmp-\(getpid())-"] {
            try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent(name).path, withDestinationPath: victim.path)
        }
        let r = runInProcess(["show", "--workload", "deit-t", "--format", "json", "--output", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOf: victim, encoding: .utf8) == "precious\n")
        #expect(Self.fileType(out.path) == S_IFREG)
        #expect(try String(contentsOf: out, encoding: .utf8).contains("\"layers\""))
    }

    @Test func temporaryNamesAreUnpredictableAndExclusive() throws {
        let dir = try temporaryDirectory()
        let (fd1, a) = try TemporaryFiles.create(in: dir.path, for: "x", mode: 0o600, path: "x", flag: "--output")
        let (fd2, b) = try TemporaryFiles.create(in: dir.path, for: "x", mode: 0o600, path: "x", flag: "--output")
        close(fd1); close(fd2)
        TemporaryFiles.forget(a); TemporaryFiles.forget(b)
        #expect(a != b)
        #expect(a.hasPrefix(dir.path + "/.x.nmsim-tmp-\(getpid())-") && a.count == (dir.path + "/.x.nmsim-tmp-\(getpid())-").count + 12)
    }

    @Test func aFIFOTargetIsWrittenDirectlyNotReplaced() throws {
        let dir = try temporaryDirectory()
        let fifo = dir.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let received = Captured()
        let reader = Thread {
            if let h = FileHandle(forReadingAtPath: fifo) { received.append(String(decoding: h.readDataToEndOfFile(), as: UTF8.self)) }
        }
        reader.start()
        let r = runInProcess(["show", "--workload", "deit-t", "--format", "json", "--output", fifo])
        #expect(r.status == 0, "\(r.stderr)")
        for _ in 0..<500 where received.value.isEmpty { usleep(10_000) }
        #expect(Self.fileType(fifo) == S_IFIFO)
        #expect(received.value.contains("\"layers\""))
    }

    /// A character device: a private copy of /dev/null (never the system's, which a broken
    /// build would replace when run as root). Creating one needs root; elsewhere the FIFO test
    /// covers non-regular targets.
    @Test func aCharacterDeviceIsWrittenDirectly() throws {
        let dir = try temporaryDirectory()
        let null = dir.appendingPathComponent("null").path
        var st = stat()
        guard stat("/dev/null", &st) == 0, st.st_mode & S_IFMT == S_IFCHR, mknod(null, S_IFCHR | 0o666, st.st_rdev) == 0 else { return }
        let r = runInProcess(["show", "--workload", "deit-t", "--format", "json", "--output", null])
        #expect(r.status == 0 && r.stdout.isEmpty, "\(r.stderr)")
        #expect(Self.fileType(null) == S_IFCHR)
    }

    @Test func dashAndDevStdoutMeanStandardOutput() throws {
        let dir = try temporaryDirectory()
        for target in ["-", "/dev/stdout"] {
            let r = try nmsim(["show", "--workload", "deit-t", "--format", "json", "--output", target], in: dir)
            #expect(r.status == 0 && r.stdout.contains("\"layers\""), "\(target): \(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        // The report and the trace cannot both go to standard output.
        let both = try nmsim(["simulate", "--workload", "deit-t", "--trace", "-"], in: dir)
        #expect(both.status == 64 && both.stdout.isEmpty && both.stderr.contains("standard output"), "\(both.stderr)")
    }

    @Test func aSocketTargetIsRefused() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("sock").path
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { p in for (i, b) in path.utf8.enumerated() { p[i] = b } }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        let r = runInProcess(["show", "--workload", "deit-t", "--format", "json", "--output", path])
        #expect(r.status == 73 && r.stderr.contains("neither a regular file"), "\(r.stderr)")
        #expect(Self.fileType(path) == S_IFSOCK)
    }

    @Test func sigintAndSigtermRemoveTheTemporary() throws {
        for sig in [SIGINT, SIGTERM] {
            let dir = try temporaryDirectory()
            let p = Process()
            p.executableURL = binary
            // About signals, not the schedule: the fixed one opens the trace sooner in a debug build.
            p.arguments = [
                "simulate", "--workload", "deit-b", "--image", "448", "--mapping", "fixed", "--serial", "--trace", dir.appendingPathComponent("t.trace").path,
            ]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            var sawTemporary = false
            // Up to a minute on a loaded machine.
            for _ in 0..<60_000 where p.isRunning {
                if (try FileManager.default.contentsOfDirectory(atPath: dir.path)).contains(where: { $0.contains(".nmsim-tmp-") }) {
                    sawTemporary = true
                    kill(p.processIdentifier, sig)
                    break
                }
                usleep(1000)
            }
            p.waitUntilExit()
            try #require(sawTemporary, "the run finished before its trace file was opened")
            #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == sig, "\(p.terminationReason.rawValue) \(p.terminationStatus)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        }
    }

    @Test func staleTemporariesOfDeadProcessesAreRemovedLiveOnesKept() throws {
        let dir = try temporaryDirectory()
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let stale = dir.appendingPathComponent(".out.txt.nmsim-tmp-\(dead.processIdentifier)-abcdefabcdef")
        let live = dir.appendingPathComponent(".out.txt.nmsim-tmp-1-abcdefabcdef")  // init never exits
        let other = dir.appendingPathComponent(".other.txt.nmsim-tmp-\(dead.processIdentifier)-abcdefabcdef")
        for f in [stale, live, other] { try "partial".write(to: f, atomically: false, encoding: .utf8) }
        let r = runInProcess(["show", "--workload", "deit-t", "--format", "json", "--output", dir.appendingPathComponent("out.txt").path])
        #expect(r.status == 0, "\(r.stderr)")
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        #expect(left == ["out.txt", live.lastPathComponent, other.lastPathComponent])
    }

    @Test func anExistingFileKeepsItsPermissions() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("out.txt")
        try "old".write(to: out, atomically: false, encoding: .utf8)
        chmod(out.path, 0o640)
        let r = runInProcess(["show", "--workload", "deit-t", "--format", "json", "--output", out.path])
        #expect(r.status == 0)
        #expect((try FileManager.default.attributesOfItem(atPath: out.path)[.posixPermissions] as? Int) == 0o640)
    }

    /// Interrupted between writing the new trace and the new golden, the old golden still names
    /// its own, unchanged trace and still checks.
    @Test func aGoldenAndItsTraceStayConsistentWhenRecordingIsInterrupted() throws {
        let dir = try temporaryDirectory()
        let golden = dir.appendingPathComponent("g.golden.json").path
        // About the files, not the schedule: the fixed one is faster in a debug build.
        let spec = dir.appendingPathComponent("s.json").path
        try fixedScheduleJSON().write(toFile: spec, atomically: true, encoding: .utf8)
        let first = runInProcess(["record", "--golden", golden, "--spec", spec, "--workload", "deit-t", "--pattern", "2:4", "--trace"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try GoldenCheck.check(goldenAt: golden, tolerance: 0, version: "test").isEmpty)
        let old = try Golden.decode(String(contentsOfFile: golden, encoding: .utf8), source: golden)
        #expect(old.trace.map { $0.hasPrefix("g.") && $0.hasSuffix(".trace") && $0.count == "g.".count + 16 + ".trace".count } == true)

        struct Interrupted: Error {}
        let (g, trace) = try GoldenCheck.record(
            specArg: spec, workloadArg: "deit-t", image: nil, batch: nil, pattern: "1:4", assignment: nil,
            assignmentValue: PatternAssignment(uniform: NMPattern(n: 1, m: 4)!), traceFile: "", version: "test",
            resolveFrom: dir)
        #expect(throws: InputError.self) {
            try RecordCommand.writePair(g, to: golden, trace: trace, console: Console(out: { _ in }, err: { _ in })) { () throws(InputError) in
                throw InputError(.cannotCreate, source: "test", "interrupted")
            }
        }
        #expect(try GoldenCheck.check(goldenAt: golden, tolerance: 0, version: "test").isEmpty)

        // Completed, the new pair checks and the old trace is gone.
        let second = runInProcess(["record", "--golden", golden, "--spec", spec, "--workload", "deit-t", "--pattern", "1:4", "--trace"])
        #expect(second.status == 0)
        #expect(try GoldenCheck.check(goldenAt: golden, tolerance: 0, version: "test").isEmpty)
        // The interrupted run's trace had the same content, hence the same name, as the new one.
        let new = try Golden.decode(String(contentsOfFile: golden, encoding: .utf8), source: golden).trace
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".trace") } == [new!])
    }
}
