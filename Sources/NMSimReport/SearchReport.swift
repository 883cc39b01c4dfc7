import Foundation
import NMSimModel
import NMSimSearch

/// Renders a ``SearchSession``: the terminal report and JSON (`schemaVersion` 1).
extension SearchSession {
    public func json() -> JSONValue {
        let check = constraintCheck
        let t = problem.table
        var o: [(key: String, value: JSONValue)] = [
            ("schemaVersion", 1), ("spec", .string(specName)), ("workload", .string(t.workload.name)),
            ("assignment", .object(patternsByName.map { ($0.key, .string($0.value.description)) })),
            ("objective", .object([("kind", .string(problem.costs.kind)), ("value", .number(chosen.cost))])),
            ("predictedCycles", .integer(chosen.predictedCycles)), ("resimulatedCycles", .integer(resimulated.totalCycles)),
            ("denseCycles", .integer(t.denseCycles)), ("speedup", .number(speedup)),
            ("macs", .integer(resimulated.macs)), ("denseMacs", .integer(t.denseMACs)), ("weightBytes", .integer(resimulated.weightBytes)),
            (
                "constraint",
                .object([("type", .string(constraintName)), ("limit", .string(check.limit)), ("value", .number(check.value)), ("met", .bool(check.met))])
            ),
            (
                "optimizers",
                .array(
                    results.map { r in
                        .object([
                            ("optimizer", .string(r.optimizer)), ("cost", .number(r.cost)), ("predictedCycles", .integer(r.predictedCycles)),
                            ("notes", .array(r.notes.map { .string($0) })),
                        ])
                    })
            ),
            (
                "latencyTable",
                .object([
                    ("simulations", .int(t.simulations)),
                    ("dominatedDropped", .int(problem.droppedOptions)),
                ])
            ),
        ]
        if let pareto {
            o.append(
                (
                    "pareto",
                    .array(
                        pareto.map { p in
                            .object([
                                ("cycles", .integer(p.cycles)), ("cost", .number(p.cost)),
                                ("speedup", .number(Double(t.denseCycles) / Double(max(p.cycles, 1)))),
                                ("patternCounts", counts(p.choice)),
                            ])
                        })
                ))
        }
        return .object(o)
    }

    var constraintName: String {
        switch problem.constraint {
        case .latency: return "latency"
        case .macsWindow: return "macsWindow"
        case .memory: return "memory"
        case .energy: return "energy"
        }
    }

    func counts(_ choice: [Int]) -> JSONValue {
        var d: [String: Int] = [:]
        for (j, o) in choice.enumerated() { d[problem.table.options[j][o].pattern.description, default: 0] += 1 }
        return .object(d.keys.sorted().map { ($0, .int(d[$0]!)) })
    }

    public func table() -> String {
        let t = problem.table
        let check = constraintCheck
        var out = "nmsim search: \(t.workload.name) on \(specName), \(problem.constraint)\n"
        out +=
            "latency table: \(t.simulations) distinct layer simulations; \(problem.droppedOptions) dominated (layer, pattern) options dropped for this budget\n"
        out += "objective: \(problem.costs.kind)\n\n"
        var rows = [["optimizer", "cost", "predicted cycles", "speedup", "notes"]]
        for r in results {
            rows.append([
                r.optimizer, String(format: "%.6f", r.cost), ReportFormatter.grouped(r.predictedCycles),
                String(format: "%.3fx", Double(t.denseCycles) / Double(max(r.predictedCycles, 1))), r.notes.joined(separator: "; "),
            ])
        }
        out += ReportFormatter.align(rows, rightAligned: [1, 2, 3]) + "\n\n"
        out += "chosen (\(chosen.optimizer)): " + counts(chosen.choice).briefCounts + "\n"
        out += "predicted    \(ReportFormatter.grouped(chosen.predictedCycles)) cycles\n"
        out +=
            "re-simulated \(ReportFormatter.grouped(resimulated.totalCycles)) cycles = \(ReportFormatter.formatTime(resimulated.seconds)), "
            + String(format: "%.3fx over dense (%@ cycles)\n", speedup, ReportFormatter.grouped(t.denseCycles))
        out += String(
            format: "MACs         %.3f G of %.3f G dense (%.2fx fewer); weights %@\n", Double(resimulated.macs) / 1e9, Double(t.denseMACs) / 1e9,
            Double(t.denseMACs) / Double(max(resimulated.macs, 1)), ReportFormatter.formatBytes(resimulated.weightBytes))
        out += "constraint   \(constraintName) \(check.met ? "met" : "NOT met"): \(JSONWriter.format(check.value)) against \(check.limit)\n\n"
        out += layerGrid()
        if let pareto {
            out += "\nPareto front (cost against latency, \(pareto.count) points):\n"
            var pr = [["cycles", "speedup", "cost", "patterns"]]
            let step = max(1, pareto.count / 20)
            for (i, p) in pareto.enumerated() where i % step == 0 || i == pareto.count - 1 {
                pr.append([
                    ReportFormatter.grouped(p.cycles), String(format: "%.3fx", Double(t.denseCycles) / Double(max(p.cycles, 1))),
                    String(format: "%.6f", p.cost), counts(p.choice).briefCounts,
                ])
            }
            out += ReportFormatter.align(pr, rightAligned: [0, 1, 2]) + "\n"
        }
        return out
    }

    /// Patterns per block for ViT-style names, else one line per layer.
    public func layerGrid() -> String {
        let names = problem.table.layerNames
        let byName = patternsByName
        let blocks = AssignmentFile.blockPrefixes(problem.table.workload)
        if !blocks.isEmpty, blocks.count * 4 == names.count {
            var rows = [["block", "qkv", "proj", "fc1", "fc2"]]
            for b in blocks {
                rows.append([b] + ["attn.qkv", "attn.proj", "mlp.fc1", "mlp.fc2"].map { byName["\(b).\($0)"]?.description ?? "-" })
            }
            return ReportFormatter.align(rows, rightAligned: []) + "\n"
        }
        return ReportFormatter.align([["layer", "pattern"]] + names.map { [$0, byName[$0]!.description] }, rightAligned: []) + "\n"
    }
}

extension JSONValue {
    /// `{"1:4": 30, "2:4": 18}` as "30× 1:4, 18× 2:4".
    var briefCounts: String {
        guard case .object(let m) = self else { return "" }
        return m.map { k, v in "\(v.brief)x \(k)" }.joined(separator: ", ")
    }
}
