import NMSimModel

/// One choice for one sparsifiable layer: a pattern and what it costs on the spec.
public struct LayerOption: Equatable, Sendable {
    public var pattern: NMPattern
    /// Simulated cycles of all the layer's instances at this pattern.
    public var cycles: Int64
    /// MACs performed (kept weights only).
    public var macs: Int64
    /// Weight storage, values plus metadata, in bytes.
    public var weightBytes: Int64
    /// Energy in picojoules, or 0 when the spec has no energy table.
    public var energyPJ: Double
}

/// Simulated per-layer latencies of every supported pattern for every sparsifiable layer, the
/// latency oracle of the search. Identical (shape, pattern) pairs are simulated once, in
/// parallel, and placed by index: the table never depends on thread timing.
public struct LatencyTable: Sendable {
    public let specName: String
    public let workload: Workload
    /// Indices into `workload.layers` of the searchable layers.
    public let layerIndices: [Int]
    /// Options per searchable layer, densest first: dense and every candidate pattern.
    public let options: [[LayerOption]]
    /// The fixed part: every layer that is not searched, at its own pattern (dense by default).
    public let fixedCycles: Int64
    public let fixedMACs: Int64
    public let fixedWeightBytes: Int64
    public let fixedEnergyPJ: Double
    /// The whole network at dense.
    public let denseCycles: Int64
    public let denseMACs: Int64
    /// Distinct layer simulations run to build the table.
    public let simulations: Int
    /// The layer results the table was built from: every layer at every pattern a choice can
    /// give it, so a chosen configuration's network report needs no new simulation.
    package let results: NetworkSimulator.LayerResults

    public var layerNames: [String] { layerIndices.map { workload.layers[$0].name } }

    /// Builds the table for `workload` on `spec`; the candidate patterns are dense plus the
    /// spec's supported patterns.
    public init(spec: HardwareSpec, workload: Workload, parallel: Bool = true) throws(InputError) {
        let searchSet = Set(workload.sparsifiableIndices)
        let results = try NetworkSimulator(spec: spec).simulate(workload, parallel: parallel) { i in
            Self.patterns(layer: i, spec: spec, workload: workload, searchable: searchSet)
        }
        try self.init(spec: spec, workload: workload, results: results)
    }

    /// Dense and the spec's supported patterns, densest first: the options of a searchable layer.
    package static func candidates(_ spec: HardwareSpec) -> [NMPattern] {
        ([NMPattern.dense] + spec.supportedPatterns.filter { !$0.isDense }).sorted(by: >)
    }

    /// The patterns the table needs layer `i` simulated at.
    package static func patterns(layer i: Int, spec: HardwareSpec, workload: Workload, searchable: Set<Int>) -> [NMPattern] {
        searchable.contains(i) ? candidates(spec) : [.dense] + (workload.layers[i].pattern.map { [$0] } ?? [])
    }

    /// Builds the table from layer results that include every pattern ``patterns(layer:spec:workload:searchable:)``
    /// asks for (and possibly more, shared with other uses of the same simulations).
    package init(spec: HardwareSpec, workload: Workload, results: NetworkSimulator.LayerResults) throws(InputError) {
        specName = spec.name
        self.workload = workload
        let searchable = workload.sparsifiableIndices
        layerIndices = searchable
        let candidates = Self.candidates(spec)
        let searchSet = Set(searchable)
        let network = NetworkSimulator(spec: spec)
        simulations = results.simulations
        self.results = results
        var fixedCycles: Int64 = 0, fixedMACs: Int64 = 0, fixedBytes: Int64 = 0, fixedEnergy = 0.0
        var denseCycles: Int64 = 0, denseMACs: Int64 = 0
        var options: [[LayerOption]] = []
        var bound: Int64 = 0
        for (i, l) in workload.layers.enumerated() {
            let d = try results.result(at: i, l, .dense)
            // Every total below is at most the sum of each layer's largest counter over its options.
            var largest = NetworkSimulator.LayerResults.largestCounter(d)
            for p in searchSet.contains(i) ? candidates : [] {
                largest = max(largest, NetworkSimulator.LayerResults.largestCounter(try results.result(at: i, l, p)))
            }
            let (b, overflow) = bound.addingReportingOverflow(largest)
            if overflow || b > Int64(1) << 60 {
                throw InputError(.data, source: workload.name, location: l.name, "the network's totals would overflow the counters")
            }
            bound = b
            denseCycles += d.cycles
            denseMACs += d.macs
            if searchSet.contains(i) {
                var row: [LayerOption] = []
                for p in candidates {
                    let r = try results.result(at: i, l, p)
                    row.append(
                        LayerOption(
                            pattern: p, cycles: r.cycles, macs: r.macs, weightBytes: r.weightBytes,
                            energyPJ: network.energy(r, pattern: p)))
                }
                options.append(row)
            } else {
                let r = try results.result(at: i, l, l.pattern ?? .dense)
                fixedCycles += r.cycles
                fixedMACs += r.macs
                fixedBytes += l.hasParameters ? r.weightBytes : 0
                fixedEnergy += network.energy(r, pattern: l.pattern ?? .dense)
            }
        }
        self.options = options
        self.fixedCycles = fixedCycles
        self.fixedMACs = fixedMACs
        self.fixedWeightBytes = fixedBytes
        self.fixedEnergyPJ = fixedEnergy
        self.denseCycles = denseCycles
        self.denseMACs = denseMACs
    }

    /// Predicted network cycles of a choice (one option index per searchable layer).
    public func cycles(_ choice: [Int]) -> Int64 { fixedCycles + zip(options, choice).reduce(0) { $0 + $1.0[$1.1].cycles } }
    public func macs(_ choice: [Int]) -> Int64 { fixedMACs + zip(options, choice).reduce(0) { $0 + $1.0[$1.1].macs } }
    public func weightBytes(_ choice: [Int]) -> Int64 { fixedWeightBytes + zip(options, choice).reduce(0) { $0 + $1.0[$1.1].weightBytes } }
    public func energyPJ(_ choice: [Int]) -> Double { fixedEnergyPJ + zip(options, choice).reduce(0) { $0 + $1.0[$1.1].energyPJ } }

    /// Patterns of the whole workload for a choice, for re-simulation.
    public func patterns(_ choice: [Int]) -> [NMPattern] {
        var out = workload.layers.map { $0.pattern ?? .dense }
        for (j, i) in layerIndices.enumerated() { out[i] = options[j][choice[j]].pattern }
        return out
    }

    /// The option index of `pattern` for searchable layer `j`, if it survived dominance.
    package func optionIndex(layer j: Int, pattern: NMPattern) -> Int? {
        options[j].firstIndex { $0.pattern.sameLevel(as: pattern) }
    }
}
