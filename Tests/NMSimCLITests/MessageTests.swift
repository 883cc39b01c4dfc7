import Foundation
import Testing

@testable import NMSimModel

/// Error messages are one line per problem whatever the input holds.
@Suite("Error messages")
struct MessageTests {
    @Test func controlCharactersFromAFileAreEscapedNotPrinted() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("w.json")
        let hostile = "\u{1B}[31mred\nnmsim: all good\r\t\u{7}"
        try """
        {"version": 1, "name": "w", "layers": [{"name": "a", "type": "\(JSONWriter.escape(hostile).dropFirst().dropLast())", "m": 1, "n": 1, "k": 1}]}
        """.write(to: file, atomically: true, encoding: .utf8)
        let r = runInProcess(["simulate", "--workload", file.path])
        #expect(r.status == 65 && r.stdout.isEmpty)
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1, "\(r.stderr)")
        #expect(!r.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" } && !r.stderr.contains("\u{7F}"))
        #expect(r.stderr.contains(#"\u{1B}[31mred\nnmsim: all good\r\t\u{7}"#), "\(r.stderr)")
    }

    @Test func aHugeBadLineIsCutNotEchoedWhole() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("t.csv")
        try ("Layer, M, N, K,\nqkv, 197, " + String(repeating: "9", count: 1_000_000) + ", 768,\n").write(to: file, atomically: true, encoding: .utf8)
        let r = runInProcess([
            "simulate", "--spec", repositoryRoot.appendingPathComponent("workloads/scalesim/vit_32x32_ws_dense.cfg").path, "--workload", file.path,
        ])
        #expect(r.status == 65 && r.stdout.isEmpty)
        #expect(
            !r.stderr.isEmpty && r.stderr.split(separator: "\n").allSatisfy { $0.count <= 3 * (Diagnostic.maxPart + 1) + 10 }, "\(r.stderr.count) characters")
    }

    @Test func roleMentionsAreSpelledByTheFrontEndThatNamesThem() {
        let d = Diagnostic(source: "s.csv", message: "list it, or pass \(InputRole.missingCost.mention) interpolate")
        #expect(d.description == "s.csv: list it, or pass missingCost interpolate")
        #expect(d.naming { "--" + $0.rawValue }.description == "s.csv: list it, or pass --missingCost interpolate")
        // About the message, not the schedule: the fixed one is faster in a debug build.
        let r = runInProcess([
            "search", "--workload", "deit-t", "--mapping", "fixed", "--speedup", "1.2", "--evaluator", "sleep 5", "--evaluator-timeout", "0.1",
        ])
        #expect(r.status == 70 && r.stderr.hasSuffix("(--evaluator-timeout) while waiting for id 1\n"), "\(r.stderr)")
    }

    @Test func longQuotesAreCutAndShortOnesKept() {
        let long = String(repeating: "x", count: 5000)
        let d = Diagnostic(source: "f", location: "line 1", message: "unknown value \"\(long)\"; expected \"a\"")
        #expect(d.description == "f: line 1: unknown value \"\(String(repeating: "x", count: Diagnostic.maxQuoted))…\"; expected \"a\"")
    }
}

/// Numbers are printed exactly, in plain notation, however large.
@Suite("Number printing")
struct NumberPrintingTests {
    @Test func largeValuesKeepEveryDigitInPlainNotation() {
        #expect(JSONWriter.format(4.884151e17) == "488415100000000000")
        #expect(JSONWriter.format(1e15) == "1000000000000000")
        #expect(JSONWriter.format(-2.5e18) == "-2500000000000000000")
        #expect(JSONWriter.format(1e300).allSatisfy(\.isNumber) && JSONWriter.format(1e300).count == 301)
        #expect(JSONWriter.format(1234567890123456.5) == "1234567890123456.5")
        #expect(JSONWriter.shown(Double.leastNonzeroMagnitude) == "5e-324" && JSONWriter.shown(0.25) == "0.25")
    }

    @Test func aHugeWorkloadReportsPlainNumbers() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("w.json")
        try """
        {"version": 1, "name": "w", "layers": [{"name": "a", "type": "gemm", "m": 65536, "n": 768, "k": 768, "count": 10000}]}
        """.write(to: file, atomically: true, encoding: .utf8)
        // About number printing, not the schedule: the fixed one is faster in a debug build.
        let r = runInProcess(["simulate", "--workload", file.path, "--mapping", "fixed", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("e+") && !r.stdout.contains("null"), "\(r.stdout.prefix(400))")
    }
}
