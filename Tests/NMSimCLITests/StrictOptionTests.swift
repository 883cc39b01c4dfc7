import Foundation
import Testing

/// An option's value is never silently taken from the next option.
@Suite("Strict option values")
struct StrictOptionTests {
    @Test func anOptionMissingItsValueDoesNotSwallowTheNextOption() throws {
        let dir = try temporaryDirectory()
        let r = try nmsim(["simulate", "--workload", "deit-t", "--output", "--serial"], in: dir)
        #expect(r.status == 64)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("--output") && r.stderr.contains("looks like an option"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("--serial").path))
    }

    @Test func recordNeverWritesAGoldenNamedAfterAnOption() throws {
        let dir = try temporaryDirectory()
        let r = try nmsim(["record", "--golden", "--trace", "--workload", "deit-t"], in: dir)
        #expect(r.status == 64)
        #expect(r.stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func aValueThatLooksLikeAnOptionIsAcceptedWhenWrittenWithEquals() throws {
        let dir = try temporaryDirectory()
        // About option parsing, not the schedule: the fixed one is faster in a debug build.
        let r = try nmsim(["simulate", "--workload", "deit-t", "--mapping", "fixed", "--format", "csv", "--output=--odd-name.csv"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("--odd-name.csv").path))
    }

    @Test func negativeNumbersAndDashAreValuesNotOptions() {
        // "-" and negative numbers are values; a negative tolerance is then out of range (64),
        // reported as such rather than as a missing value.
        let r = runInProcess(["check", "--golden", "nonexistent.golden.json", "--tolerance", "-1"])
        #expect(r.status == 64 && r.stderr.contains("--tolerance") && !r.stderr.contains("looks like an option"), "\(r.stderr)")
    }

    @Test func anEmptyValueIsAUsageError() throws {
        let dir = try temporaryDirectory()
        for args in [["simulate", "--workload", "deit-t", "--output", ""], ["simulate", "--workload", "deit-t", "--output="]] {
            let r = try nmsim(args, in: dir)
            #expect(r.status == 64, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("--output"))
        }
    }
}
