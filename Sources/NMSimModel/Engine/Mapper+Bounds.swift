extension Mapper {
    /// The winner of ``choose(_:pattern:instances:)`` and its simulated result, without
    /// simulating what cannot win (branch and bound).
    ///
    /// The same candidates are tried in the same order (on the latency objective, families of
    /// schedules that could not be among them are not estimated, ``searchCandidates(_:pattern:instances:)``).
    /// On the latency objective, where cycles
    /// are the first key, a candidate is skipped when a lower bound of its cycles (its array,
    /// load or DRAM work alone, ``FoldCostModel/totals()``) exceeds the best simulated so far,
    /// and its simulation stops as soon as the pipeline shows it will; such a candidate's
    /// cycles are larger, so it could neither win nor tie. The other objectives simulate every
    /// candidate, as `choose` does. `choose` itself simulates them all, for reports that show
    /// each candidate's result.
    package func best(_ shape: GEMMShape, pattern: NMPattern, instances: Int = 1) throws(LayerSimulator.Failure) -> (
        schedule: Schedule, result: LayerResult
    ) {
        var (all, folds) = searchCandidates(shape, pattern: pattern, instances: instances)
        let order = simulationOrder(&all, shape, pattern: pattern, instances: instances, folds: folds)
        let sim = LayerSimulator(spec: spec, io: io)
        let bounded = spec.mapping.objective == .latency
        var best: (index: Int, key: RankKey, result: LayerResult)?
        for i in order {
            var bound: (cycles: Int64, arrayWork: Int64)?
            if bounded, let cycles = best?.result.cycles {
                let plan = FoldPlan(
                    shape: shape, pattern: pattern, dataflow: spec.dataflow, rows: spec.rows, columns: spec.columns,
                    instances: instances, schedule: all[i].schedule)
                // Without the totals (folds of a kind that differ) the candidate runs in full.
                if let totals = FoldCostModel(plan: plan, spec: spec, timing: spec.timing.strategy, io: io).totals() {
                    if totals.bound > cycles { continue }
                    bound = (cycles, totals.array)
                }
            }
            guard
                let r = try sim.simulate(
                    shape, pattern: pattern, instances: instances, schedule: all[i].schedule, mode: .search, within: bound)
            else { continue }
            let key = rank(r, pattern)
            if best == nil || key.precedes(best!.key) { best = (i, key, r) }
        }
        return (all[best!.index].schedule, best!.result)
    }
}
