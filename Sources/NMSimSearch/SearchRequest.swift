import NMSimModel

/// Which optimisers a search runs.
public enum Optimizer: String, CaseIterable, Sendable {
    /// The exact (or bucketed) Pareto dynamic program.
    case dp
    /// ELSA's evolutionary search with local refinement.
    case evolutionary
    /// Both: the DP answers, the evolutionary search runs beside it.
    case both
}

/// Where the accuracy side of a search comes from.
public enum AccuracySource: Equatable, Sendable {
    /// The prior: removed weight energy for Gaussian weights, every layer equally sensitive.
    case prior
    /// Costs or accuracies measured elsewhere (``Sensitivity/load(_:)``), with the policy for
    /// (layer, pattern) pairs they do not list.
    case table(Sensitivity.Table, missing: Sensitivity.MissingCost = .error)
    /// The weight proxy computed from a checkpoint, optionally on recorded layer inputs; read
    /// when costs are first asked for (see ``prepared(for:specs:)`` to read it once for many specs).
    case checkpoint(path: String, activations: String? = nil)
    /// A checkpoint's scores, already computed: one per-layer table for the model, whatever the spec.
    case checkpointScores(CheckpointScores)

    /// The cost table over `table`'s options.
    package func costs(for table: LatencyTable) throws(InputError) -> CostTable {
        switch self {
        case .prior: return Sensitivity.prior(for: table)
        case let .table(t, missing): return try Sensitivity.costs(t, for: table, kind: "imported sensitivity (\(t.source))", missing: missing)
        case let .checkpoint(path, activations): return try WeightProxy.costs(path: path, table: table, activations: activations)
        case .checkpointScores(let scores): return try scores.costs(for: table)
        }
    }

    /// The source with a checkpoint read once for `workload`, scored at every level any of
    /// `specs` supports, so that costs on each of them need no further read; other sources as
    /// they are.
    public func prepared(for workload: Workload, specs: [HardwareSpec]) throws(InputError) -> AccuracySource {
        guard case let .checkpoint(path, activations) = self else { return self }
        var levels: [NMPattern] = []
        for p in specs.flatMap(LatencyTable.candidates) where !levels.contains(p) { levels.append(p) }
        return .checkpointScores(try CheckpointScores(path: path, activations: activations, workload: workload, patterns: levels))
    }
}

/// One search, stated once and run on any spec: the workload, the budget, where the costs come
/// from and how to optimise. ``SearchSession/run(_:on:)`` builds the spec's latency
/// table, so the spec enters in one place.
public struct SearchRequest: Sendable {
    public var workload: Workload
    public var budget: SearchBudget
    public var accuracy: AccuracySource
    public var optimizer: Optimizer
    /// Seed of the evolutionary search.
    public var seed: UInt64
    /// Whether to compute the Pareto front over every budget too.
    public var pareto: Bool
    /// An external evaluator that scores whole configurations (the search then maximises its
    /// accuracy, the prior breaking ties between equal choices); nil: the accuracy source's costs.
    public var evaluator: EvaluatorSettings?
    /// Whether layer simulations may run in parallel (results are identical either way).
    public var parallel: Bool

    public init(
        workload: Workload, budget: SearchBudget, accuracy: AccuracySource = .prior, optimizer: Optimizer = .both, seed: UInt64 = 0,
        pareto: Bool = false, evaluator: EvaluatorSettings? = nil, parallel: Bool = true
    ) {
        self.workload = workload
        self.budget = budget
        self.accuracy = accuracy
        self.optimizer = optimizer
        self.seed = seed
        self.pareto = pareto
        self.evaluator = evaluator
        self.parallel = parallel
    }
}

extension SearchSession {
    /// Runs `request` on `spec`: the latency table of the request's workload on this spec, the
    /// budget as a constraint for this spec, its costs, the evaluator if any (ended before this
    /// returns), then the optimisers.
    public static func run(_ request: SearchRequest, on spec: HardwareSpec) throws(InputError) -> SearchSession {
        guard !request.workload.sparsifiableIndices.isEmpty else {
            throw InputError(.data, source: request.workload.name, "has no sparsifiable layers to search")
        }
        let table = try LatencyTable(spec: spec, workload: request.workload, parallel: request.parallel)
        let constraint = try request.budget.constraint(denseCycles: table.denseCycles, spec: spec)
        let costs = try request.accuracy.costs(for: table)
        let evaluator = try request.evaluator.map { (s: EvaluatorSettings) throws(InputError) in try EvaluatorClient(s, table: table) }
        defer { evaluator?.close() }
        let problem = SearchProblem(
            table: table, costs: costs, constraint: constraint, dominance: evaluator != nil ? Sensitivity.prior(for: table) : nil)
        return try run(
            problem, spec: spec, optimizer: request.optimizer, seed: request.seed, pareto: request.pareto, evaluator: evaluator,
            parallel: request.parallel)
    }
}
