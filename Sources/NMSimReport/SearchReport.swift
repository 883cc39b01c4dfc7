import Foundation
import NMSimModel
import NMSimSearch

/// Renders a ``SearchSession``: the terminal report and JSON (`schemaVersion` 1).
extension SearchSession {
    package func json() -> JSONValue {
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
                        .object(
                            [
                                ("optimizer", .string(r.optimizer)), ("cost", .number(r.cost)), ("predictedCycles", .integer(r.predictedCycles)),
                                ("notes", .array(r.notes.map { .string($0) })),
                            ] + (r.accuracy.map { [("accuracy", JSONValue.number($0))] } ?? []))
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
        if let a = chosen.accuracy { o.append(("accuracy", .number(a))) }
        if let e = evaluator {
            o.append(
                (
                    "evaluator",
                    .object([
                        ("command", .string(e.command)), ("evaluations", .int(e.evaluations)), ("cacheHits", .int(e.cacheHits)),
                        ("batches", .int(e.batches)), ("batchSize", .int(e.batchSize)), ("seconds", .number(e.seconds)),
                    ])
                ))
        }
        if let pareto {
            o.append(
                (
                    "pareto",
                    .object([
                        ("resource", .string(resourceName)), ("unit", .string(resourceUnit)),
                        (
                            "points",
                            .array(
                                pareto.map { p in
                                    var m: [(key: String, value: JSONValue)] = [
                                        ("resource", resourceValue(p.resource)), ("cycles", .integer(p.cycles)), ("cost", .number(p.cost)),
                                        ("speedup", .number(Double(t.denseCycles) / Double(max(p.cycles, 1)))),
                                        ("patternCounts", counts(p.choice)), ("assignment", assignmentJSON(p.choice)),
                                    ]
                                    if let a = p.accuracy { m.append(("accuracy", .number(a))) }
                                    return .object(m)
                                })
                        ),
                    ])
                ))
        }
        // The chosen configuration as `simulate --format json` reports it.
        o.append(("resimulated", ReportFormatter.json(resimulated)))
        return .object(o)
    }

    /// A resource total in the user's unit.
    func resourceValue(_ v: Int64) -> JSONValue {
        if case .energy = problem.constraint { return .number(Double(v) / problem.energyUnitsPerPJ) }
        return .integer(v)
    }

    func assignmentJSON(_ choice: [Int]) -> JSONValue { .object(assignment(choice).map { ($0.name, .string($0.pattern.description)) }) }

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

    package func table() -> String {
        let t = problem.table
        let check = constraintCheck
        var out = "nmsim search: \(t.workload.name) on \(specName), \(problem.constraint)\n"
        out +=
            "latency table: \(t.simulations) distinct layer simulations; \(problem.droppedOptions) dominated (layer, pattern) options dropped for this budget\n"
        out +=
            "objective: "
            + (evaluator != nil ? "accuracy from the evaluator (higher is better); \(problem.costs.kind) as the additive prior" : problem.costs.kind) + "\n"
        if let e = evaluator {
            out +=
                "evaluator: \(e.command): \(e.evaluations) configurations evaluated in \(e.batches) batches of up to \(e.batchSize), "
                + "\(e.cacheHits) answered from the cache; \(String(format: "%.3f", e.seconds)) s waiting for it, "
                + "\(String(format: "%.3f", max(0, searchSeconds - e.seconds))) s searching\n"
        }
        out += "\n"
        let acc = evaluator != nil
        var rows = [["optimizer"] + (acc ? ["accuracy"] : []) + ["cost", "predicted cycles", "speedup", "notes"]]
        for r in results {
            rows.append(
                [r.optimizer] + (acc ? [r.accuracy.map { String(format: "%.4f", $0) } ?? "-"] : [])
                    + [
                        String(format: "%.6f", r.cost), ReportFormatter.grouped(r.predictedCycles),
                        String(format: "%.3fx", Double(t.denseCycles) / Double(max(r.predictedCycles, 1))), r.notes.joined(separator: "; "),
                    ])
        }
        out += ReportFormatter.align(rows, rightAligned: acc ? [1, 2, 3, 4] : [1, 2, 3]) + "\n\n"
        out +=
            "chosen (\(chosen.optimizer)): " + counts(chosen.choice).briefCounts + (chosen.accuracy.map { String(format: "; accuracy %.4f", $0) } ?? "") + "\n"
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
            let what = evaluator != nil ? "accuracy" : "cost"
            out +=
                "\nPareto front (\(what) against \(resourceName == "cycles" ? "latency" : resourceName), \(pareto.count) points; every point's assignment is in --format json):\n"
            var pr = [[resourceUnit, "speedup", what, "patterns"]]
            let step = max(1, pareto.count / 20)
            for (i, p) in pareto.enumerated() where i % step == 0 || i == pareto.count - 1 {
                let r: String
                if case .energy = problem.constraint {
                    r = JSONWriter.format(Double(p.resource) / problem.energyUnitsPerPJ)
                } else {
                    r = ReportFormatter.grouped(p.resource)
                }
                pr.append([
                    r, String(format: "%.3fx", Double(t.denseCycles) / Double(max(p.cycles, 1))),
                    p.accuracy.map { String(format: "%.4f", $0) } ?? String(format: "%.6f", p.cost), counts(p.choice).briefCounts,
                ])
            }
            out += ReportFormatter.align(pr, rightAligned: [0, 1, 2]) + "\n"
        }
        return out
    }

    /// Patterns per block for a built-in model whose searchable layers are its blocks' four
    /// weight layers, else one line per layer.
    package func layerGrid() -> String {
        let names = problem.table.layerNames
        let byName = patternsByName
        let blocks = AssignmentFile.blockPrefixes(problem.table.workload)
        if !blocks.isEmpty, blocks.count * WeightLayerKind.inBlock.count == names.count {
            var rows = [["block"] + WeightLayerKind.inBlock.map(\.rawValue)]
            for b in blocks {
                rows.append([b] + WeightLayerKind.inBlock.map { byName[VisionTransformer.layerName(block: b, $0)]?.description ?? "-" })
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
