import Dispatch
import Foundation

/// One layer's place in a network run.
public struct LayerReport: Equatable, Sendable {
    public var layer: Layer
    public var pattern: NMPattern
    /// All `layer.count` instances together.
    public var result: LayerResult
    /// Energy by component (``CostModel/energyComponents``), pJ, for all instances.
    public var energy: Breakdown
    public var energyPJ: Double { energy.total }
    /// Where the layer's activations came from and went to, and what was fused into it.
    package var io = LayerIO.standalone

    package init(layer: Layer, pattern: NMPattern, result: LayerResult, energy: Breakdown) {
        self.layer = layer; self.pattern = pattern; self.result = result; self.energy = energy
    }
}

/// A whole workload run on one spec.
public struct NetworkReport: Equatable, Sendable {
    public var specName: String
    public var workloadName: String
    public var clockGHz: Double
    public var arrayPEs: Int
    public var layers: [LayerReport]
    /// Area by component, mm² (``CostModel``).
    public var area: Breakdown = Breakdown([])
    /// Images one run processes (the batch); energy per inference is per image.
    public var images: Int = 1
    /// The process the area and energy are costed in.
    public var technology = TechnologySpec()
    /// DRAM bandwidth, bytes per cycle (the roofline's memory roof).
    public var dramBytesPerCycle: Double = 0

    package init(
        specName: String, workloadName: String, clockGHz: Double, arrayPEs: Int, layers: [LayerReport], area: Breakdown = Breakdown([]),
        images: Int = 1, technology: TechnologySpec = TechnologySpec(), dramBytesPerCycle: Double = 0
    ) {
        self.specName = specName; self.workloadName = workloadName; self.clockGHz = clockGHz; self.arrayPEs = arrayPEs
        self.layers = layers; self.area = area; self.images = images; self.technology = technology
        self.dramBytesPerCycle = dramBytesPerCycle
    }

    public var totalCycles: Int64 { layers.reduce(0) { $0 + $1.result.cycles } }
    public var seconds: Double { Double(totalCycles) / (clockGHz * 1e9) }
    public var macs: Int64 { layers.reduce(0) { $0 + $1.result.macs } }
    public var denseMACs: Int64 { layers.reduce(0) { $0 + $1.result.denseMACs } }
    /// Parameter storage (values plus metadata) of layers whose weights are parameters.
    public var weightBytes: Int64 { layers.reduce(0) { $0 + ($1.layer.hasParameters ? $1.result.weightBytes : 0) } }
    public var metadataBytes: Int64 { layers.reduce(0) { $0 + ($1.layer.hasParameters ? $1.result.metadataBytes : 0) } }
    public var stalls: StallBreakdown { layers.reduce(StallBreakdown()) { $0 + $1.result.stalls } }
    public var traffic: Traffic { layers.reduce(Traffic()) { $0 + $1.result.traffic } }
    public var events: Int { layers.reduce(0) { $0 + $1.result.events } }
    /// Energy of the whole run by component, pJ.
    public var energy: Breakdown { layers.reduce(Breakdown([])) { $0 + $1.energy } }
    public var energyPJ: Double { energy.total }
    /// Energy per image, pJ.
    public var energyPerImagePJ: Double { energyPJ / Double(max(images, 1)) }
    /// Cycles by layer category (gemm, attention, vector, ...), sorted by name.
    public var cyclesByCategory: [(category: LayerCategory, cycles: Int64)] {
        var d: [LayerCategory: Int64] = [:]
        for l in layers { d[l.layer.category, default: 0] += l.result.cycles }
        return d.keys.sorted().map { ($0, d[$0]!) }
    }
    /// MACs performed per PE per cycle, as a fraction.
    public var utilisation: Double {
        totalCycles == 0 ? 0 : Double(macs) / (Double(totalCycles) * Double(arrayPEs))
    }
}

/// Simulates workloads on one spec: each distinct (shape, pattern) is simulated once, in
/// parallel when asked, and placed by index, so the report never depends on thread timing.
/// Layers run back to back without overlap, so the network's cycles are the sum of its layers';
/// what passes between them (activations on chip or through DRAM, fused elementwise work) is
/// decided per layer from its neighbours' shapes (``LayerLinks``).
public struct NetworkSimulator: Sendable {
    public let spec: HardwareSpec
    package let costs: CostModel

    public init(spec: HardwareSpec) {
        self.spec = spec
        costs = CostModel(spec: spec)
    }

    struct Key: Hashable, Sendable { var shape: GEMMShape; var pattern: NMPattern; var instances: Int; var io: LayerIO }

    public func run(_ workload: Workload, patterns: [NMPattern], parallel: Bool = true) throws(InputError) -> NetworkReport {
        precondition(patterns.count == workload.layers.count, "\(patterns.count) patterns for \(workload.layers.count) layers")
        return try report(workload, patterns: patterns, from: simulate(workload, parallel: parallel) { [patterns[$0]] })
    }

    /// SCALE-Sim's row-wise N:M runs each layer as a dense one with fewer rows.
    var rowWise: SCALESimRowWise? { spec.scaleSim.flatMap(SCALESimRowWise.init) }

    /// `layer` as the array runs it (changed only in SCALE-Sim's row-wise mode).
    func simulated(_ layer: Layer) -> Layer {
        guard let rowWise, let s = layer.shape else { return layer }
        var l = layer
        l.kind = .gemm(rowWise.lowered(s))
        return l
    }

    /// The network report of `workload` at `patterns`, from results that include every layer at
    /// its pattern: several configurations can share one set of layer simulations.
    package func report(_ workload: Workload, patterns: [NMPattern], from results: LayerResults) throws(InputError) -> NetworkReport {
        precondition(patterns.count == workload.layers.count, "\(patterns.count) patterns for \(workload.layers.count) layers")
        let rowWise = rowWise
        let userTiming = spec.scaleSim?.userBandwidth != nil ? SCALESimReplay(spec: spec) : nil
        var reports: [LayerReport] = []
        var total: Int64 = 0
        for (i, layer) in workload.layers.enumerated() {
            var r = try results.result(at: i, simulated(layer), patterns[i])
            if let rowWise, let s = layer.shape { r = rowWise.restated(r, shape: s, count: layer.count) }
            // SCALE-Sim's USER-mode timing: its buffers' stalls, replayed.
            if let userTiming, layer.shape != nil { r = try userTiming.restated(r, layer: layer, pattern: patterns[i]) }
            // Every network total (cycles, MACs, bytes) is at most the sum of the layers' largest counters.
            let (sum, overflow) = total.addingReportingOverflow(LayerResults.largestCounter(r))
            if overflow || sum > Int64(1) << 62 {
                throw InputError(.data, source: workload.name, location: layer.name, "the network's totals would overflow the counters")
            }
            total = sum
            var report = LayerReport(layer: layer, pattern: patterns[i], result: r, energy: costs.energy(r, pattern: patterns[i]))
            report.io = results.links[i]
            reports.append(report)
        }
        return NetworkReport(
            specName: spec.name, workloadName: workload.name, clockGHz: spec.clockGHz,
            arrayPEs: spec.rows * spec.columns, layers: reports, area: costs.area, images: workload.images,
            technology: spec.technology, dramBytesPerCycle: spec.dram.bytesPerCycle)
    }

    /// Results of every layer of a workload at every pattern asked for, each distinct
    /// (shape, pattern) simulated once.
    package struct LayerResults: Sendable {
        let index: [Key: Int]
        let results: [LayerResult]
        /// The spec the layers were simulated on.
        package let spec: HardwareSpec
        /// Each layer's links to its neighbours (``LayerLinks``), by layer index.
        public let links: [LayerIO]
        /// Distinct layer simulations run.
        public var simulations: Int { results.count }

        /// All `layer.count` instances of `layer`, the workload's layer `position`, at `pattern`,
        /// which must have been asked for.
        public func result(at position: Int, _ layer: Layer, _ pattern: NMPattern) throws(InputError) -> LayerResult {
            let io = links[position]
            switch layer.kind {
            case .gemm(let shape):
                let instances = spec.pipelinedInstances(of: layer)
                guard let i = index[Key(shape: shape, pattern: pattern, instances: instances, io: io)] else {
                    preconditionFailure("\(layer.name) at \(pattern) was not simulated")
                }
                // A pipelined batch already covers every instance.
                return instances > 1 ? results[i] : try Self.repeated(results[i], layer)
            case let .vector(op, elements):
                guard let r = LayerLinks.vectorResult(op, elements: elements, io: io, spec: spec) else {
                    throw InputError(.data, source: layer.name, "vector layer too large to simulate")
                }
                return try Self.repeated(r, layer)
            }
        }

        /// `layer.count` instances, rejected (not wrapped) if any counter would overflow.
        /// The largest of a result's counters: a bound for adding results without overflow.
        public static func largestCounter(_ r: LayerResult) -> Int64 {
            [
                r.cycles, r.denseMACs, r.vectorElementOps, r.weightBytes, r.traffic.dramReadBytes, r.traffic.dramWriteBytes,
                r.traffic.sramReadBytes, r.traffic.sramWriteBytes, Int64(r.events),
            ].max()!
        }

        static func repeated(_ r: LayerResult, _ layer: Layer) throws(InputError) -> LayerResult {
            if largestCounter(r).multipliedReportingOverflow(by: Int64(layer.count) * 1024).overflow {
                throw InputError(.data, source: layer.name, "\(layer.count) instances of this layer would overflow the cycle and byte counters")
            }
            return r.repeated(layer.count)
        }
    }

    /// Simulates every GEMM layer of `workload` at each of `patterns(i)`: each distinct
    /// (shape, pattern) once, in parallel when asked, results placed by index.
    package func simulate(
        _ workload: Workload, parallel: Bool = true,
        patterns: (Int) -> [NMPattern]
    ) throws(InputError) -> LayerResults {
        var keys: [Key] = []
        var index: [Key: Int] = [:]
        var names: [String] = []
        let links = LayerLinks.plan(workload, spec: spec)
        for (i, original) in workload.layers.enumerated() {
            let layer = simulated(original)
            guard let shape = layer.shape else { continue }
            for p in patterns(i) {
                let key = Key(shape: shape, pattern: p, instances: spec.pipelinedInstances(of: layer), io: links[i])
                if index[key] == nil { index[key] = keys.count; keys.append(key); names.append(layer.name) }
            }
        }
        let spec = spec
        let box = SlotBox<Result<LayerResult, LayerSimulator.Failure>>(count: keys.count)
        let jobs = keys
        let work: @Sendable (Int) -> Void = { i in
            box.set(
                i,
                Result { () throws(LayerSimulator.Failure) -> LayerResult in
                    try LayerSimulator(spec: spec, io: jobs[i].io).simulate(jobs[i].shape, pattern: jobs[i].pattern, instances: jobs[i].instances)
                })
        }
        if parallel && keys.count > 1 {
            DispatchQueue.concurrentPerform(iterations: keys.count, execute: work)
        } else {
            for i in keys.indices { work(i) }
        }
        var out: [LayerResult] = []
        for (i, r) in box.take().enumerated() {
            switch r {
            case .success(let v): out.append(v)
            case .failure(let f):
                let why: String
                switch f {
                case .tooLarge(let s): why = s
                case .kernel(let k): why = k.description
                }
                throw InputError(.data, source: workload.name, location: names[i], why)
            }
        }
        return LayerResults(index: index, results: out, spec: spec, links: links)
    }

    /// Energy of a layer result in picojoules (the total of ``CostModel/energy(_:pattern:)``).
    package func energy(_ r: LayerResult, pattern: NMPattern) -> Double { costs.energy(r, pattern: pattern).total }
}
