import Foundation
import NMSimModel

/// One point of a Pareto front: a full configuration with its resource total and its cost (or,
/// with an evaluator, its accuracy).
public struct FrontPoint: Equatable, Sendable {
    /// Total of the budget's resource, in ``SearchProblem/resource(_:_:)`` units.
    public var resource: Int64
    public var cost: Double
    /// The evaluator's accuracy, when the front is of evaluated configurations.
    public var accuracy: Double?
    public var cycles: Int64
    /// One option index per searchable layer.
    public var choice: [Int]
}

/// What an external evaluator did during a search.
public struct EvaluatorReport: Equatable, Sendable {
    public var command: String
    public var evaluations: Int
    public var cacheHits: Int
    public var batches: Int
    public var batchSize: Int
    public var seconds: Double
}

/// One search end to end: optimisers, the chosen configuration re-simulated as a whole network,
/// and the report.
public struct SearchSession: Sendable {
    public var problem: SearchProblem
    public var specName: String
    /// Every optimiser's answer, in the order they ran.
    public var results: [SearchResult]
    /// The answer reported: without an evaluator the DP's when it ran, else the evolutionary
    /// one; with an evaluator the most accurate.
    public var chosen: SearchResult
    /// The chosen configuration simulated again as a whole network.
    public var resimulated: NetworkReport
    /// Pareto front of (the budget's resource, cost or accuracy), when asked for.
    public var pareto: [FrontPoint]?
    /// The evaluator's counts and time, when one scored the configurations.
    public var evaluator: EvaluatorReport?
    /// Wall-clock seconds of the optimisers, the evaluator's waiting included.
    public var searchSeconds: Double = 0

    public static func run(
        _ problem: SearchProblem, spec: HardwareSpec, optimizer: String, seed: UInt64, pareto: Bool,
        evaluator: EvaluatorClient? = nil, parallel: Bool = true
    ) throws(InputError) -> SearchSession {
        let began = Date()
        var results: [SearchResult] = []
        var dpFront: ParetoDP.Front?
        if optimizer != "evolutionary" {
            let dp = ParetoDP()
            if var r = dp.solve(problem) {
                if let evaluator { r.accuracy = try evaluator.accuracies([r.choice])[0] }
                results.append(r)
            }
            if evaluator != nil, optimizer == "both" { dpFront = dp.front(problem) }
        }
        if optimizer != "dp" {
            if let evaluator {
                // Seeds: the DP's answer, then DP front points spread over the budget's range.
                var seeds = results.map(\.choice)
                if let f = dpFront {
                    let b = problem.bounds
                    let inside = f.points.filter { $0.resource >= b.min && $0.resource <= b.max }
                    let want = 10
                    let step = max(1, inside.count / want)
                    for (i, p) in inside.reversed().enumerated() where i % step == 0 && seeds.count <= want { seeds.append(f.choice(p)) }
                }
                let search = EvolutionarySearch(seed: seed)
                if var r = try search.solve(
                    problem, seeds: seeds,
                    score: { (c: [[Int]]) throws(InputError) -> [Double] in
                        try evaluator.accuracies(c).map { -$0 }
                    })
                {
                    r.accuracy = -r.cost
                    r.cost = problem.costs.cost(r.choice)
                    if optimizer == "both" { r.notes.append("seeded with \(seeds.count) DP configurations") }
                    results.append(r)
                }
            } else if let r = EvolutionarySearch(seed: seed).solve(problem) {
                results.append(r)
            }
        }
        let pick: SearchResult?
        if evaluator != nil {
            pick = results.max { a, b in
                a.accuracy! != b.accuracy! ? a.accuracy! < b.accuracy! : a.optimizer == "evolutionary" && b.optimizer == "dp"
            }
        } else {
            pick = results.first
        }
        guard let chosen = pick else {
            throw InputError(.data, source: "search", "no configuration meets \(problem.constraint) (\(describeRange(problem)))")
        }
        let searchSeconds = Date().timeIntervalSince(began)
        let report = try NetworkSimulator(spec: spec).run(problem.table.workload, patterns: problem.table.patterns(chosen.choice), parallel: parallel)
        var front: [FrontPoint]?
        if pareto {
            if let evaluator {
                front = Self.front(evaluated: evaluator.evaluated, problem)
            } else {
                let f = ParetoDP().front(problem.unbounded)
                front = f.points.map { FrontPoint(resource: $0.resource, cost: $0.cost, accuracy: nil, cycles: $0.cycles, choice: f.choice($0)) }
            }
        }
        let ev = evaluator.map {
            EvaluatorReport(
                command: $0.command, evaluations: $0.evaluations, cacheHits: $0.cacheHits, batches: $0.batches,
                batchSize: $0.batch, seconds: $0.waitSeconds)
        }
        return SearchSession(
            problem: problem, specName: spec.name, results: results, chosen: chosen, resimulated: report,
            pareto: front, evaluator: ev, searchSeconds: searchSeconds)
    }

    /// The front of evaluated configurations: less of the resource or higher accuracy, each
    /// point beaten by no other on both.
    static func front(evaluated: [(choice: [Int], accuracy: Double)], _ problem: SearchProblem) -> [FrontPoint] {
        let points = evaluated.map { e in
            FrontPoint(
                resource: problem.total(e.choice), cost: problem.costs.cost(e.choice), accuracy: e.accuracy,
                cycles: problem.table.cycles(e.choice), choice: e.choice)
        }.sorted { a, b in
            if a.resource != b.resource { return a.resource < b.resource }
            if a.accuracy! != b.accuracy! { return a.accuracy! > b.accuracy! }
            return a.choice.lexicographicallyPrecedes(b.choice)
        }
        var out: [FrontPoint] = []
        for p in points where out.last.map({ p.accuracy! > $0.accuracy! && p.resource > $0.resource }) ?? true { out.append(p) }
        return out
    }

    static func describeRange(_ p: SearchProblem) -> String {
        var lo: Int64 = p.fixedResource, hi: Int64 = p.fixedResource
        for j in 0..<p.layerCount {
            let r = p.allowed[j].map { p.resource(j, $0) }
            lo += r.min()!
            hi += r.max()!
        }
        return "the configurations span \(p.describe(lo)) to \(p.describe(hi))"
    }

    public var patternsByName: [String: NMPattern] {
        Dictionary(uniqueKeysWithValues: zip(problem.table.layerNames, chosen.choice.enumerated().map { problem.table.options[$0.offset][$0.element].pattern }))
    }

    /// The constrained quantity of the re-simulated network, and whether it meets the constraint.
    public var constraintCheck: (value: Double, limit: String, met: Bool) {
        let r = resimulated
        switch problem.constraint {
        case .latency(let c): return (Double(r.totalCycles), "\(c) cycles", r.totalCycles <= c)
        case let .macsWindow(lo, hi): return (Double(r.macs), "[\(lo), \(hi)] MACs", r.macs >= lo && r.macs <= hi)
        case .memory(let b): return (Double(r.weightBytes), "\(b) bytes", r.weightBytes <= b)
        case .energy(let e): return (r.energyPJ, "\(e) pJ", r.energyPJ <= e * (1 + 1e-12))
        }
    }

    public var speedup: Double { Double(problem.table.denseCycles) / Double(max(resimulated.totalCycles, 1)) }

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

    /// The budget's resource as the front names it, and its unit.
    public var resourceName: String {
        switch problem.constraint {
        case .latency: return "cycles"
        case .macsWindow: return "macs"
        case .memory: return "weightBytes"
        case .energy: return "energy"
        }
    }

    public var resourceUnit: String {
        switch problem.constraint {
        case .latency: return "cycles"
        case .macsWindow: return "MACs"
        case .memory: return "bytes"
        case .energy: return "pJ"
        }
    }

    /// A resource total in the user's unit.
    func resourceValue(_ v: Int64) -> JSONValue {
        if case .energy = problem.constraint { return .number(Double(v) / problem.energyUnitsPerPJ) }
        return .integer(v)
    }

    /// Layer name → pattern for a choice.
    public func assignment(_ choice: [Int]) -> [(name: String, pattern: NMPattern)] {
        zip(problem.table.layerNames, choice.enumerated().map { problem.table.options[$0.offset][$0.element].pattern }).map { ($0, $1) }
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

    public func table() -> String {
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
