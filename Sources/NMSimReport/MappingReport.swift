import Foundation
import NMSimModel

extension ReportFormatter {
    /// DRAM bytes of a layer by operand, as the mapping reports them: inputs, weights with
    /// metadata, final outputs, and partial sums written and read back.
    static func dramByOperand(_ t: Traffic) -> [(name: String, bytes: Int64)] {
        let o = t.byOperand
        return [
            ("inputs", o.dramInput), ("weights", o.dramWeight), ("outputs", t.dramWriteBytes - o.dramPartialWrite),
            ("partialSums", o.dramPartialRead + o.dramPartialWrite),
        ]
    }

    /// A layer's schedule: mode, loop order (outermost first), the tile one fold computes,
    /// the folds fetched ahead, the operands kept on chip and the DRAM bytes of each operand.
    static func mapping(_ m: MappingSummary, _ t: Traffic) -> JSONValue {
        .object([
            ("mode", .string(m.mode.rawValue)), ("loopOrder", .array(m.order.map { .string(String($0)) })),
            ("tile", .object([("m", .int(m.tileM)), ("n", .int(m.tileN)), ("k", .int(m.tileK))])), ("prefetchFolds", .int(m.prefetch)),
            ("resident", .array(m.resident.map { .string($0.rawValue) })),
            ("dramBytes", .object(dramByOperand(t).map { ($0.name, .integer($0.bytes)) })),
        ])
    }

    /// One layer's mapping decision: every candidate's closed-form estimate, the simulated
    /// ones' cycles, and why the winner won.
    package static func mappingExplanation(
        layer: String, shape: GEMMShape, pattern: NMPattern, spec: HardwareSpec, choice: Mapper.Choice, fixed: LayerResult, maxRows: Int = 12
    ) -> String {
        let objective = spec.mapping.objective.rawValue
        var out = "\(layer) (\(shape.m)x\(shape.n)x\(shape.k) at \(pattern)) on \(spec.name), objective \(objective)\n"
        out += "loops: rows = \(dim(spec.dataflow, .rows)), columns = \(dim(spec.dataflow, .columns)), "
        out += "streamed = \(dim(spec.dataflow, .temporal)) (\(spec.dataflow.rawValue))\n\n"
        var rows = [["#", "loop order (outer>inner)", "tile MxNxK'", "prefetch", "resident", "estimated", "simulated", "DRAM bytes"]]
        for (i, c) in choice.candidates.enumerated() where i < maxRows || c.simulated != nil {
            let m = Mapper(spec: spec).summary(shape, pattern: pattern, schedule: c.schedule)
            rows.append([
                "\(i + 1)\(i == choice.winner ? "*" : "")", m.order.map(String.init).joined(separator: ">"), "\(m.tileM)x\(m.tileN)x\(m.tileK)",
                "\(m.prefetch)", m.resident.isEmpty ? "-" : m.resident.map(\.rawValue).joined(separator: ","),
                grouped(c.estimatedCycles), c.simulated.map { grouped($0.cycles) } ?? "-", grouped(c.dramBytes),
            ])
        }
        out += align(rows, rightAligned: [0, 3, 5, 6, 7]) + "\n"
        if choice.candidates.count > maxRows { out += "(\(choice.candidates.count) candidates; the \(maxRows) best estimates and the simulated ones shown)\n" }
        let w = choice.result
        let simulated = choice.candidates.filter { $0.simulated != nil }.count
        out += "\nwinner #\(choice.winner + 1): \(grouped(w.cycles)) cycles simulated, "
        out += "\(grouped(w.traffic.dramReadBytes + w.traffic.dramWriteBytes)) DRAM bytes; "
        out += "\(simulated) schedules (the best estimates and the fixed one) were simulated and it ranked first on \(objective)"
        out += spec.mapping.objective == .latency ? " (cycles, then DRAM bytes, then energy)\n" : " (then cycles, then DRAM bytes)\n"
        out += "fixed schedule: \(grouped(fixed.cycles)) cycles, \(grouped(fixed.traffic.dramReadBytes + fixed.traffic.dramWriteBytes)) DRAM bytes"
        out += String(format: " (the mapper is %.2fx faster)\n", Double(fixed.cycles) / Double(max(w.cycles, 1)))
        out += "winner's DRAM bytes: " + dramByOperand(w.traffic).map { "\($0.name) \(grouped($0.bytes))" }.joined(separator: ", ") + "\n"
        return out
    }

    static func dim(_ d: Dataflow, _ l: Schedule.Loop) -> String {
        String(FoldPlan(shape: GEMMShape(m: 1, n: 1, k: 1), pattern: .dense, dataflow: d, rows: 1, columns: 1).gemmDimension(l))
    }
}
