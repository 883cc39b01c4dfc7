import Foundation
import Testing

@testable import NMSimModel
@testable import NMSimReport

/// Goldens that pin every counter the JSON report carries (cycles, stalls by cause, traffic by
/// level, operand and direction, energy by term, area, MACs, metadata bytes) for every
/// dataflow × dense/sparse × multiplexer placement, plus the unified buffer, single buffering,
/// a slow decoder and partial sums spilled to DRAM, on the small example workload. Part of the regression suite: re-record with
/// `NMSIM_RECORD_GOLDENS=1 swift test --filter RegressionSuite`.
@Suite("Regression suite: every counter")
struct RegressionSuiteCounterTests {
    static let directory = repositoryRoot.appendingPathComponent("Tests/Regression/counters")
    static let workload = repositoryRoot.appendingPathComponent("workloads/gemm-example.json").path

    struct Config: Sendable, CustomStringConvertible {
        var dataflow: Dataflow
        var sparse: Bool
        var mux: MuxPlacement
        var unified = false
        var singleBuffered = false
        /// One N:M group decoded per cycle, so that the decoder limits sparse streaming.
        var slowDecoder = false
        /// A 16 KiB output buffer, too small to keep the partial sums of a reduction, so that
        /// they go to DRAM and back (weight- and input-stationary). Run on the fixed schedule:
        /// the mapper cuts the tokens so that the partial sums stay on chip.
        var smallOutputBuffer = false

        var description: String {
            "\(dataflow.rawValue)-\(sparse ? "2of4" : "dense")-\(mux.rawValue)" + (unified ? "-unified" : "") + (singleBuffered ? "-single" : "")
                + (slowDecoder ? "-slowdecoder" : "") + (smallOutputBuffer ? "-smallofmap" : "")
        }
        var file: String { description + ".json" }
    }

    static let configs: [Config] =
        Dataflow.allCases.flatMap { df in [false, true].flatMap { sparse in MuxPlacement.allCases.map { Config(dataflow: df, sparse: sparse, mux: $0) } } }
        + Dataflow.allCases.map { Config(dataflow: $0, sparse: true, mux: .perPE, unified: true) }
        + [Config(dataflow: .weightStationary, sparse: true, mux: .perPE, singleBuffered: true)]
        + Dataflow.allCases.map { Config(dataflow: $0, sparse: true, mux: .perPE, slowDecoder: true) }
        + [Dataflow.weightStationary, .inputStationary].map { Config(dataflow: $0, sparse: true, mux: .perPE, smallOutputBuffer: true) }

    static func report(_ c: Config) throws -> JSONValue {
        var spec = try preset("flex-nm4")
        spec.dataflow = c.dataflow
        spec.mux = c.mux
        spec.unifiedBuffer = c.unified
        if c.slowDecoder { spec.decoder.groupsPerCycle = 1 }
        if c.smallOutputBuffer {
            spec.ofmap.capacityBytes = 16 << 10
            spec.mapping.mode = .fixed
        }
        if c.singleBuffered {
            spec.stationaryDoubleBuffered = false
            spec.ifmap.doubleBuffered = false
        }
        let w = try InputLoader.workload(workload)
        let assignment = c.sparse ? PatternAssignment(uniform: NMPattern(n: 2, m: 4)!) : .none
        let r = try NetworkSimulator(spec: spec).run(w, patterns: assignment.resolve(w, on: spec), parallel: false)
        // As written: the golden holds the report's printed numbers.
        return try JSONParser.parse(JSONWriter.write(ReportFormatter.json(r)))
    }

    static func double(_ v: JSONValue) -> Double? {
        switch v {
        case .integer(let i): Double(i)
        case .number(let d): d
        default: nil
        }
    }

    /// Every leaf that differs, as `path: expected X, actual Y`. Integers must match exactly;
    /// other numbers to 1e-9 relative (printing may differ in the last digit across platforms).
    static func differences(_ e: JSONValue, _ a: JSONValue, _ path: String = "") -> [String] {
        switch (e, a) {
        case let (.object(x), .object(y)):
            let keys = x.map(\.key) + y.map(\.key).filter { k in !x.contains { $0.key == k } }
            return keys.flatMap { k -> [String] in
                guard let ev = e[k] else { return ["\(path).\(k): not in the golden (re-record)"] }
                guard let av = a[k] else { return ["\(path).\(k): missing from the report"] }
                return differences(ev, av, path + "." + k)
            }
        case let (.array(x), .array(y)):
            if x.count != y.count { return ["\(path): \(x.count) elements expected, \(y.count) actual"] }
            return zip(x, y).enumerated().flatMap { differences($1.0, $1.1, "\(path)[\($0)]") }
        case (.integer, .integer):
            return e == a ? [] : ["\(path): expected \(e.brief), actual \(a.brief)"]
        case _ where double(e) != nil && double(a) != nil:
            let (x, y) = (double(e)!, double(a)!)
            return abs(x - y) <= 1e-9 * max(abs(x), abs(y)) ? [] : ["\(path): expected \(e.brief), actual \(a.brief)"]
        default:
            return e == a ? [] : ["\(path): expected \(e.brief), actual \(a.brief)"]
        }
    }

    @Test func everyConfigurationHasAGoldenAndNoStrayOnesExist() throws {
        guard !RegressionSuiteTests.recording else { return }
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".json") })
        #expect(files == Set(Self.configs.map(\.file)))
    }

    @Test(arguments: configs)
    func everyCounterMatches(config: Config) throws {
        let path = Self.directory.appendingPathComponent(config.file)
        let actual = try Self.report(config)
        if RegressionSuiteTests.recording {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try JSONWriter.write(actual).write(to: path, atomically: true, encoding: .utf8)
            Issue.record("recorded \(config.file); review the diff, commit, and run again without NMSIM_RECORD_GOLDENS")
            return
        }
        let expected = try JSONParser.parse(String(contentsOf: path, encoding: .utf8))
        let diff = Self.differences(expected, actual)
        #expect(diff.isEmpty, "\(config.file): \(diff.count) counters differ:\n\(diff.prefix(12).joined(separator: "\n"))")
    }
}
