import Foundation
import NMSimReport
import Testing

@testable import NMSimModel

/// The table, CSV and JSON reports show the same numbers for every layer, and the area model
/// counts multiplexers where the spec places them.
@Suite("Report agreement")
struct ReportAgreementTests {
    /// The example workload; with a narrow output buffer, so that output bandwidth stalls too.
    static func report(_ dataflow: Dataflow, unified: Bool = false, narrowOutput: Bool = false) throws -> NetworkReport {
        var spec = try preset("flex-nm4")
        spec.dataflow = dataflow
        spec.unifiedBuffer = unified
        if narrowOutput { spec.ofmap.banks = 2 }
        let w = try InputLoader.workload(repositoryRoot.appendingPathComponent("workloads/gemm-example.json").path)
        return try NetworkSimulator(spec: spec).run(w, patterns: PatternAssignment.none.resolve(w, on: spec), parallel: false)
    }

    static func number(_ s: Substring) -> Int64? { Int64(s.replacingOccurrences(of: ",", with: "")) }

    @Test(arguments: [Dataflow.weightStationary, .outputStationary, .inputStationary])
    func csvColumnsMatchTheLayerResults(dataflow: Dataflow) throws {
        let r = try Self.report(dataflow, unified: dataflow == .outputStationary)
        let rows = ReportFormatter.csv(r).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = rows[0].map(String.init)
        func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name), "column \(name)") }
        for (row, l) in zip(rows.dropFirst(), r.layers) {
            let res = l.result
            #expect(Int64(row[try column("dram_read_bytes")]) == res.traffic.dramReadBytes)
            #expect(Int64(row[try column("dram_write_bytes")]) == res.traffic.dramWriteBytes)
            #expect(Int64(row[try column("weight_bytes")]) == (l.layer.hasParameters ? res.weightBytes : 0))
            #expect(Int64(row[try column("metadata_bytes")]) == (l.layer.hasParameters ? res.metadataBytes : 0))
            let s = res.stalls
            let expected: [(String, Int64)] = [
                ("stall_memory", s.memory), ("stall_decoder", s.decoder), ("stall_activation_bw", s.activationBandwidth),
                ("stall_weight_bw", s.weightBandwidth), ("stall_output_bw", s.outputBandwidth), ("stall_load", s.load), ("stall_fill_drain", s.fillDrain),
            ]
            for (name, v) in expected { #expect(Int64(row[try column(name)]) == v, "\(l.layer.name) \(name)") }
        }
    }

    @Test func tableStallColumnMatchesTheLayerResults() throws {
        var checked = 0
        for dataflow in Dataflow.allCases {
            let r = try Self.report(dataflow, narrowOutput: true)
            let lines = ReportFormatter.table(r).split(separator: "\n")
            for l in r.layers {
                let line = try #require(lines.first { $0.hasPrefix(l.layer.name + " ") }, "row of \(l.layer.name)")
                // The stall column is the one field of six slash-separated numbers.
                let field = try #require(line.split(separator: " ").first { $0.split(separator: "/").count == 6 }, "stall column of \(l.layer.name)")
                let parts = field.split(separator: "/").compactMap(Self.number)
                let s = l.result.stalls
                let bandwidth = s.activationBandwidth + s.weightBandwidth + s.outputBandwidth
                #expect(parts == [s.memory, s.decoder, bandwidth, s.load, s.fillDrain, s.vector], "\(line)")
                if s.outputBandwidth > 0 && s.memory != s.decoder { checked += 1 }
            }
        }
        #expect(checked > 0, "no layer told the stall causes apart")
    }

    @Test func perRowMultiplexersAreOnePerRowOnANonSquareArray() throws {
        var spec = try preset("flex-nm4")
        spec.rows = 16
        spec.columns = 64
        spec.mux = .perPE
        let perPE = CostModel(spec: spec).area["muxes"]
        spec.mux = .perRow
        let perRow = CostModel(spec: spec).area["muxes"]
        #expect(perPE > 0 && abs(perRow / perPE - 1.0 / 64) < 1e-9, "per row \(perRow), per PE \(perPE)")
    }
}
