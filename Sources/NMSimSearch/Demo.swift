import NMSimModel

/// The main job on built-in defaults (`nmsim demo`): search a built-in model's layer-wise N:M
/// under a latency budget on one spec, beside dense, the spec's uniform levels and ELSA's
/// released configurations for the model.
public struct DemoRequest: Sendable {
    public var model: VisionTransformer
    /// The budget as a speedup over dense; nil: the simulated speedup of ELSA's smallest
    /// released configuration for the model, else halfway in latency between dense and the
    /// fastest configuration.
    public var speedup: Double?
    /// An external evaluator that scores the search's and the reference configurations.
    public var evaluator: EvaluatorSettings?
    /// Whether layer simulations may run in parallel (results are identical either way).
    public var parallel: Bool

    public init(model: VisionTransformer, speedup: Double? = nil, evaluator: EvaluatorSettings? = nil, parallel: Bool = true) {
        self.model = model
        self.speedup = speedup
        self.evaluator = evaluator
        self.parallel = parallel
    }
}

/// What ``DemoRequest`` gave: the search and every configuration it is compared with.
public struct DemoRun {
    /// A configuration the search is compared with.
    public struct Reference {
        public var label: String
        public var report: NetworkReport
        /// The prior cost of its choice; nil when a pattern is not one of the search's options.
        public var cost: Double?
        /// The evaluator's accuracy, when one ran and the configuration is one of the options.
        public var accuracy: Double?
    }

    public var workload: Workload
    /// The built-in model's name.
    public var modelName: String
    public var specName: String
    public var table: LatencyTable
    /// The budget, as a speedup over dense.
    public var speedup: Double
    /// Dense first, then the spec's uniform levels (sparsest first) and ELSA's releases.
    public var references: [Reference]
    public var session: SearchSession
    public var evaluated: Bool

    /// Runs `request` on `spec`; a spec that accelerates no sparse pattern is a usage error.
    public static func run(_ request: DemoRequest, on spec: HardwareSpec) throws(InputError) -> DemoRun {
        let w = request.model.workload()
        let parallel = request.parallel
        let table = try LatencyTable(spec: spec, workload: w, parallel: parallel)
        guard table.options.contains(where: { $0.count > 1 }) else {
            throw InputError(.usage, source: spec.name, "accelerates no sparse pattern, so there is nothing to search")
        }
        let costs = Sensitivity.prior(for: table)
        let sim = NetworkSimulator(spec: spec)

        // Reference configurations: uniform levels the spec supports, and ELSA's releases for this model.
        var configurations: [(label: String, patterns: [NMPattern], released: Bool)] = []
        for p in spec.supportedPatterns.sorted().reversed() where !p.isDense {
            configurations.append(("uniform \(p)", try PatternAssignment(uniform: p).resolve(w, on: spec), false))
        }
        for e in ELSAConfigurations.released(for: request.model) {
            if let asg = try? e.assignment(for: w), let p = try? asg.resolve(w, on: spec) { configurations.append((e.name, p, true)) }
        }
        var reports: [NetworkReport] = []
        for r in configurations { reports.append(try sim.run(w, patterns: r.patterns, parallel: parallel)) }

        let speedup: Double
        if let x = request.speedup {
            speedup = x
        } else if let elsa = zip(configurations, reports).filter(\.0.released).min(by: { $0.1.macs < $1.1.macs }) {
            speedup = Double(table.denseCycles) / Double(elsa.1.totalCycles)
        } else {
            // Halfway between dense and the fastest configuration the spec allows.
            let fastest = table.cycles(table.options.map { $0.count - 1 })
            speedup = 2 * Double(table.denseCycles) / Double(table.denseCycles + fastest)
        }
        let problem = SearchProblem(
            table: table, costs: costs, constraint: .latency(maxCycles: Int64((Double(table.denseCycles) / speedup).rounded(.down))))
        let evaluator = try request.evaluator.map { (s: EvaluatorSettings) throws(InputError) in try EvaluatorClient(s, table: table) }
        defer { evaluator?.close() }
        let session = try SearchSession.run(problem, spec: spec, optimizer: .both, seed: 0, pareto: false, evaluator: evaluator, parallel: parallel)
        // With an evaluator, the reference configurations are evaluated too (one batch).
        let choices = configurations.map { table.choice(patterns: $0.patterns) }
        var accuracy: [String: Double] = [:]
        if let evaluator {
            let known = [("dense", table.options.map { _ in 0 })] + zip(configurations, choices).compactMap { r, c in c.map { (r.label, $0) } }
            for (r, acc) in zip(known, try evaluator.accuracies(known.map(\.1))) { accuracy[r.0] = acc }
            evaluator.close()
        }
        let dense = try sim.run(w, patterns: w.layers.map { _ in .dense }, parallel: parallel)
        var references = [Reference(label: "dense", report: dense, cost: 0, accuracy: accuracy["dense"])]
        for (i, r) in configurations.enumerated() {
            references.append(
                Reference(label: r.label, report: reports[i], cost: choices[i].map { costs.cost($0) }, accuracy: accuracy[r.label]))
        }
        return DemoRun(
            workload: w, modelName: request.model.name, specName: spec.name, table: table, speedup: speedup, references: references, session: session,
            evaluated: evaluator != nil)
    }
}

extension LatencyTable {
    /// The choice (one option per searchable layer) that gives each layer its pattern in
    /// `patterns` (one per workload layer); nil when a pattern is not one of a layer's options.
    public func choice(patterns: [NMPattern]) -> [Int]? {
        var c: [Int] = []
        for (j, i) in layerIndices.enumerated() {
            guard let o = optionIndex(layer: j, pattern: patterns[i]) else { return nil }
            c.append(o)
        }
        return c
    }
}
