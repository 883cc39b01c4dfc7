import NMSimKernel

/// Simulates one GEMM layer on a spec as a pipeline of fold-level events: fetch (DRAM →
/// buffers), decode (metadata → mux selects), load (stationary operand → PEs), stream
/// (the fold's temporal extent, possibly slowed by buffer bandwidth or decoder rate), drain
/// (fill/drain skew) and write (outputs → DRAM).
///
/// Model assumptions:
/// - Each resource (DRAM channel, decoder, PE array) serves one request at a time, in order.
/// - A buffer that is double-buffered lets fold f+1 fetch while fold f computes; a single
///   buffer makes the fetch wait for the previous fold's stream to end.
/// - With `stationaryDoubleBuffered`, fold f+1 loads into shadow registers while fold f streams
///   and streams right behind it, so only the last fold's fill/drain skew is exposed; otherwise
///   every fold loads, streams and drains in turn.
/// - SCALE-Sim timing: ideal memory, no decoding, every fold loads for R cycles (WS, IS),
///   streams, and drains for R + C − 2 cycles; the layer total is one less than the sum.
package struct LayerSimulator: Sendable {
    package let spec: HardwareSpec
    /// Where the layer's activations come from and go to, and its fused epilogue
    /// (``LayerLinks``); standalone by default.
    package let io: LayerIO

    /// Whether the fold pipeline skips the periods of its steady state
    /// (``FoldFastForward``); off, every fold is simulated. Results are the same either way.
    package var fastForward = true

    package init(spec: HardwareSpec, io: LayerIO = .standalone) {
        self.spec = spec
        self.io = io
    }

    /// The largest number of folds simulated one by one.
    package static let maxFolds = 20_000_000

    package enum Failure: Error, Equatable, Sendable {
        case tooLarge(String)
        case kernel(KernelError)
    }

    /// Simulates `instances` independent copies of the GEMM in one pipeline (1: a plain layer),
    /// with the schedule the spec asks for: the mapper's choice on the native timing, or the
    /// fixed schedule (SCALE-Sim timing always uses it).
    package func simulate(
        _ shape: GEMMShape, pattern: NMPattern, instances: Int = 1,
        eventSink: ((TraceEvent) -> Void)? = nil
    ) throws(Failure) -> LayerResult {
        try Self.checkSize(shape, instances: instances)
        guard spec.usesMapper else {
            return try simulate(shape, pattern: pattern, instances: instances, schedule: nil, eventSink: eventSink)
        }
        var mapper = Mapper(spec: spec)
        mapper.io = io
        let choice = try mapper.best(shape, pattern: pattern, instances: instances)
        guard let eventSink else { return choice.result }
        return try simulate(shape, pattern: pattern, instances: instances, schedule: choice.schedule, mode: .search, eventSink: eventSink)
    }

    static func checkSize(_ shape: GEMMShape, instances: Int) throws(Failure) {
        let (total, overflow) = shape.denseMACs.multipliedReportingOverflow(by: Int64(instances))
        if overflow || total > Int64(1) << 56 {
            throw .tooLarge("\(instances) instances of \(shape) would overflow the counters")
        }
    }

    /// Runs one schedule (nil: the fixed one) through the event pipeline.
    package func simulate(
        _ shape: GEMMShape, pattern: NMPattern, instances: Int, schedule: Schedule?,
        mode: MappingMode? = nil, eventSink: ((TraceEvent) -> Void)? = nil
    ) throws(Failure) -> LayerResult {
        try simulate(shape, pattern: pattern, instances: instances, schedule: schedule, mode: mode, eventSink: eventSink, within: nil)!
    }

    /// Runs one schedule through the event pipeline, or stops and returns nil as soon as the
    /// layer provably takes more than `bound.cycles`: an event falls past it, or the array's
    /// work not yet begun (of `bound.arrayWork` in all, ``FoldCostModel/totals()``) cannot
    /// end by then. A run that is not stopped is the unbounded run, event for event.
    func simulate(
        _ shape: GEMMShape, pattern: NMPattern, instances: Int, schedule: Schedule?,
        mode: MappingMode? = nil, eventSink: ((TraceEvent) -> Void)? = nil, within bound: (cycles: Int64, arrayWork: Int64)?
    ) throws(Failure) -> LayerResult? {
        try Self.checkSize(shape, instances: instances)
        let plan = FoldPlan(
            shape: shape, pattern: pattern, dataflow: spec.dataflow, rows: spec.rows, columns: spec.columns,
            instances: instances, schedule: schedule)
        guard plan.folds <= Self.maxFolds else {
            throw .tooLarge("\(plan.folds) folds exceed the simulator's limit of \(Self.maxFolds)")
        }
        let timing = spec.timing.strategy
        let costs = FoldCostModel(plan: plan, spec: spec, timing: timing, io: io)
        var result: LayerResult?
        if !timing.modelsMemory(spec) {
            result = try run(
                FoldPipeline(plan: plan, costs: costs, spec: spec, dram: IdealDRAM(), sink: eventSink, fastForward: fastForward), shape, pattern, bound)
        } else {
            let dram = FixedLatencyDRAM(
                bytesPerCycle: spec.dram.bytesPerCycle, latencyCycles: spec.dram.latencyCycles, burstBytes: spec.dram.burstBytes)
            result = try run(FoldPipeline(plan: plan, costs: costs, spec: spec, dram: dram, sink: eventSink, fastForward: fastForward), shape, pattern, bound)
        }
        guard var r = result else { return nil }
        r.mapping?.mode = mode ?? (schedule == nil ? .fixed : .search)
        return r
    }

    private func run<D: DRAMModel>(
        _ pipeline: FoldPipeline<D>, _ shape: GEMMShape, _ pattern: NMPattern, _ bound: (cycles: Int64, arrayWork: Int64)?
    ) throws(Failure) -> LayerResult? {
        var model = pipeline
        let plan = model.plan
        var kernel = Kernel<FoldPipelineEvent>(eventLimit: plan.folds * 8 + 16)
        if let bound { (model.limit, model.arrayWorkLeft) = bound }
        model.start(&kernel)
        do { try kernel.run(&model) } catch { throw .kernel(error) }
        if model.stopped { return nil }
        precondition(
            model.drained == plan.folds,
            "pipeline stopped after \(model.drained) of \(plan.folds) folds (\(shape) \(pattern) \(spec.dataflow) \(spec.mux) pipelined \(model.pipelined) f\(model.fetchStarted)/\(model.fetched) d\(model.decodeStarted)/\(model.decoded) l\(model.loadStarted)/\(model.loaded) s\(model.streamStarted)/\(model.streamed))"
        )
        return model.result(events: kernel.eventsFired)
    }
}

/// One event recorded for a trace.
///
/// `amount` is bytes for DRAM fetches and writes, N:M groups for decodes, and cycles for the
/// array's loads and streams.
package struct TraceEvent: Equatable, Sendable {
    package enum Action: String, Sendable {
        case fetch, decode, load, stream, write, epilogue

        /// The component that performs the action.
        package var component: String {
            switch self {
            case .fetch, .write: return "dram"
            case .decode: return "decoder"
            case .load, .stream: return "array"
            case .epilogue: return "vector"
            }
        }
    }
    package var cycle: Int64
    package var action: Action
    package var fold: Int
    package var amount: Int
}

/// The fold pipeline's state machine. Each stage starts, in fold order, as soon as its
/// inputs are ready; a stage's completion is an event.
enum FoldPipelineEvent: Sendable {
    case fetched(Int)
    case decoded(Int)
    case loaded(Int)
    case streamed(Int)
    case written
    /// A fold has drained; it carries the fold's output bytes, because many folds may drain
    /// after the ring slot holding its work has been reused.
    case drained(Int, writeBytes: Int)
    /// The fused epilogue over a fold's outputs has finished; its outputs may be written.
    case vectorDone(Int, writeBytes: Int)
}

struct FoldPipeline<D: DRAMModel>: EventModel {
    typealias Event = FoldPipelineEvent

    let plan: FoldPlan
    let costs: FoldCostModel
    let pipelined: Bool
    let decodesAtLoad: Bool
    let sink: ((TraceEvent) -> Void)?
    var dram: D
    var decoder: SparseIndexDecoder
    let buffersDoubled: Bool

    // Progress counters: stage k has started for folds < started*, finished for folds < *ed.
    var fetchStarted = 0, fetched = 0
    var decodeStarted = 0, decoded = 0
    var loadStarted = 0, loaded = 0
    var streamStarted = 0, streamed = 0
    var drained = 0

    // Times and work of the folds in flight, in a small ring indexed by fold.
    static var ring: Int { 8 }
    var work = [FoldWork](repeating: FoldWork(), count: ring)
    var fetchDoneAt = [Cycle](repeating: .zero, count: ring)
    var decodeDoneAt = [Cycle](repeating: .zero, count: ring)
    /// When the stationary registers allowed fold f's load, whatever its inputs.
    var slotAt = [Cycle](repeating: .zero, count: ring)
    var lastStreamStartAt = Cycle.zero
    /// When the last fetch started so far completes: a fold's data is ready no earlier than
    /// its predecessors' (a fold that fetches nothing uses what they brought).
    var lastFetchDoneAt = Cycle.zero
    var lastLoadDoneAt = Cycle.zero
    var arrayFreeAt = Cycle.zero
    /// When the last drain finished, and when the last write landed (or the last drain).
    var drainEnd = Cycle.zero
    var end = Cycle.zero
    /// When the vector unit finishes the epilogue it has been given, and its jobs so far.
    var vectorFreeAt = Cycle.zero
    var vectorJobs = 0
    let vectorLatency: Int

    // Results.
    var stalls = StallBreakdown()
    var compute: Int64 = 0
    var traffic = Traffic()
    var groups: Int64 = 0
    var mappedPEs: Int64 = 0
    var vectorOps: Int64 = 0

    // Stopping early (the mapper's branch and bound): the run stops as soon as the layer
    // provably takes more than `limit` cycles, and `stopped` says so.
    var limit = Int64.max
    /// Array time of the folds whose turn on the array has not begun: their streams when
    /// pipelined, else their loads, streams and drains. Those run one after another, after
    /// both now and the array's last started work.
    var arrayWorkLeft: Int64 = 0
    var stopped = false

    /// Skips the periods of the steady state; nil when off (a trace lists every event), for
    /// runs of few folds, and where no loop has enough trips to repeat.
    var fastForward: FoldFastForward?

    init(plan: FoldPlan, costs: FoldCostModel, spec: HardwareSpec, dram: D, sink: ((TraceEvent) -> Void)?, fastForward: Bool = false) {
        self.plan = plan
        self.costs = costs
        self.sink = sink
        pipelined = costs.timing.pipelined(spec)
        decodesAtLoad = costs.timing.decodesAtLoad(plan)
        self.dram = dram
        decoder = SparseIndexDecoder(spec.decoder)
        buffersDoubled = spec.ifmap.doubleBuffered && spec.filter.doubleBuffered
        vectorLatency = spec.vector.latencyCycles
        if fastForward && sink == nil && plan.folds >= FoldFastForward.minimumFolds {
            self.fastForward = FoldFastForward(costs: costs)
        }
    }

    @inline(__always) func slot(_ f: Int) -> Int { f & (Self.ring - 1) }

    mutating func start(_ kernel: inout Kernel<Event>) { advance(&kernel) }

    mutating func handle(_ event: Event, kernel: inout Kernel<Event>) {
        let now = kernel.now
        let streams = streamStarted
        switch event {
        case .fetched(let f):
            fetched = f + 1
            fetchDoneAt[slot(f)] = now
        case .decoded(let f):
            decoded = f + 1
            decodeDoneAt[slot(f)] = now
        case .loaded(let f):
            loaded = f + 1
            lastLoadDoneAt = now
        case .streamed(let f): streamed = f + 1
        case let .drained(f, writeBytes):
            // Edge folds drain faster, so drains may finish out of order when folds pipeline;
            // unpipelined folds (the only ones gated on drains) drain in order.
            drained += 1
            drainEnd = Cycle.latest(drainEnd, now)
            if !pipelined { arrayFreeAt = now }
            write(f, writeBytes, now, &kernel)
            end = Cycle.latest(end, now)
        case let .vectorDone(f, writeBytes):
            write(f, writeBytes, now, &kernel)
            end = Cycle.latest(end, now)
        case .written:
            end = Cycle.latest(end, now)
        }
        advance(&kernel)
        if limit != .max, Cycle.latest(now, arrayFreeAt).value + arrayWorkLeft > limit {
            stopped = true
            kernel.stop()
            return
        }
        if fastForward != nil { fastForwardAfterEvent(started: streamStarted != streams, &kernel) }
    }

    /// Sends a fold's outputs to DRAM.
    mutating func write(_ f: Int, _ bytes: Int, _ now: Cycle, _ kernel: inout Kernel<Event>) {
        guard bytes > 0 else { return }
        let done = dram.transfer(bytes: bytes, requestedAt: now)
        traffic.dramWriteBytes += Int64(bytes)
        emit(now, .write, f, bytes)
        kernel.schedule(.written, at: done)
    }

    @inline(__always) func emit(_ at: Cycle, _ action: TraceEvent.Action, _ f: Int, _ amount: Int) {
        sink?(TraceEvent(cycle: at.value, action: action, fold: f, amount: amount))
    }

    /// Starts every stage whose inputs are ready now, until none can start.
    mutating func advance(_ kernel: inout Kernel<Event>) {
        while advanceOnce(&kernel) {}
    }

    /// One pass over the stages; returns whether any started.
    mutating func advanceOnce(_ kernel: inout Kernel<Event>) -> Bool {
        let now = kernel.now
        var progressed = false
        let folds = plan.folds
        // Fetch: needs a free buffer half (double-buffered) or the whole buffer (single); with a
        // buffer-level tile of several folds, fetches for that many folds ahead overlap.
        let prefetch = plan.schedule.prefetch
        while fetchStarted < folds, prefetch > 1 || fetchStarted == fetched,
            streamed >= fetchStarted - (buffersDoubled ? prefetch : prefetch - 1)
        {
            let f = fetchStarted
            progressed = true
            let w = costs.work(f)
            work[slot(f)] = w
            fetchStarted += 1
            traffic.dramReadBytes += Int64(w.fetchBytes + w.skipFetchBytes)
            vectorOps += Int64(w.vectorOps)
            traffic.sramReadBytes += Int64(w.sramReadBytes)
            traffic.sramWriteBytes += Int64(w.sramWriteBytes)
            traffic.byOperand = traffic.byOperand + w.split
            groups += Int64(w.groups)
            mappedPEs += Int64(w.mappedPEs)
            emit(now, .fetch, f, w.fetchBytes)
            lastFetchDoneAt = Cycle.latest(lastFetchDoneAt, dram.transfer(bytes: w.fetchBytes, requestedAt: now))
            kernel.schedule(.fetched(f), at: lastFetchDoneAt)
        }
        // Decode (weight-stationary sparse): metadata of the fold's weights before they load.
        while decodeStarted < fetched {
            let f = decodeStarted
            progressed = true
            decodeStarted += 1
            if decodesAtLoad {
                let g = work[slot(f)].decodeGroups
                let (s, done) = decoder.decode(groups: g, requestedAt: now)
                emit(s, .decode, f, g)
                kernel.schedule(.decoded(f), at: done)
            } else {
                decodeDoneAt[slot(f)] = now
                decoded = f + 1
            }
        }
        // Load: into shadow registers once the previous fold has started streaming, or into
        // the PEs once the previous fold has drained.
        if loadStarted < decoded, loadStarted == loaded,
            pipelined ? streamStarted >= loadStarted : drained >= loadStarted
        {
            let f = loadStarted
            progressed = true
            loadStarted += 1
            if !pipelined { arrayWorkLeft -= Int64(work[slot(f)].loadCycles + work[slot(f)].streamCycles + work[slot(f)].skewCycles) }
            slotAt[slot(f)] = f == 0 ? .zero : (pipelined ? Cycle.latest(lastStreamStartAt, lastLoadDoneAt) : arrayFreeAt)
            let l = work[slot(f)].loadCycles
            emit(now, .load, f, l)
            kernel.schedule(.loaded(f), at: now + Cycles(l))
        }
        // Stream: once loaded and the array is free.
        if streamStarted < loaded, pipelined ? streamed >= streamStarted : drained >= streamStarted {
            let f = streamStarted
            progressed = true
            streamStarted += 1
            let w = work[slot(f)]
            attributeGap(fold: f, now: now)
            lastStreamStartAt = now
            if pipelined { arrayWorkLeft -= Int64(w.streamCycles) }
            compute += Int64(w.temporal)
            if let cause = w.streamCause { stalls[cause] += Int64(w.streamCycles - w.temporal) }
            let streamEnd = now + Cycles(w.streamCycles)
            emit(now, .stream, f, w.streamCycles)
            kernel.schedule(.streamed(f), at: streamEnd)
            if pipelined { arrayFreeAt = streamEnd } else { stalls.fillDrain += Int64(w.skewCycles) }
            let drainAt = streamEnd + Cycles(w.skewCycles)
            var writeAtDrain = w.writeBytes
            if w.vectorCycles > 0 {
                // The fused epilogue takes the fold's outputs as they drain (once any residual
                // operand has arrived from DRAM): it ends with the drain when the vector unit
                // keeps up, later when it does not; the array never waits for it.
                var ready = now
                if w.skipFetchBytes > 0 {
                    ready = dram.transfer(bytes: w.skipFetchBytes, requestedAt: now)
                    emit(now, .fetch, f, w.skipFetchBytes)
                }
                let start = Cycle.latest(ready, vectorFreeAt)
                let cycles = w.vectorCycles + (vectorJobs == 0 ? vectorLatency : 0)
                vectorJobs += 1
                vectorFreeAt = Cycle.latest(start + Cycles(cycles), drainAt)
                emit(start, .epilogue, f, cycles)
                kernel.schedule(.vectorDone(f, writeBytes: w.writeBytes), at: vectorFreeAt)
                writeAtDrain = 0
            }
            kernel.schedule(.drained(f, writeBytes: writeAtDrain), at: drainAt)
        }
        return progressed
    }

    /// Splits the idle time before fold `f` streams into load, decoder and memory stalls.
    ///
    /// `load` is only what the load would have cost had its inputs been ready when the
    /// stationary registers were: the time from the register slot opening plus the load's
    /// duration, past the array falling idle. The rest is waiting for inputs: for the decoder
    /// after the fold's data arrived, and for memory before.
    mutating func attributeGap(fold f: Int, now: Cycle) {
        let gap = (now - arrayFreeAt).count
        guard gap > 0 else { return }
        let s = slot(f)
        let unavoidableLoad = (slotAt[s] + Cycles(work[s].loadCycles) - arrayFreeAt).count
        let l = max(0, min(gap, unavoidableLoad))
        let inputsEnd = now + Cycles(-l)
        var d: Int64 = 0
        if decodesAtLoad {
            let overlap = (min(inputsEnd, decodeDoneAt[s]) - Cycle.latest(arrayFreeAt, fetchDoneAt[s])).count
            d = max(0, min(overlap, gap - l))
        }
        stalls.load += l
        stalls.decoder += d
        stalls.memory += gap - l - d
    }

    func result(events: Int) -> LayerResult {
        var stalls = self.stalls
        var compute = self.compute
        var cycles = end.value
        // After the array's last drain (pipelined: the drain after the last stream is exposed
        // once; an earlier, larger fold may finish draining after a small last fold), the fused
        // epilogue still running is vector time and writes landing later are memory time.
        let arrayDone: Cycle
        if pipelined {
            stalls.fillDrain += (drainEnd - arrayFreeAt).count
            arrayDone = drainEnd
        } else {
            arrayDone = arrayFreeAt
        }
        let vectorTail = max(0, (vectorFreeAt - arrayDone).count)
        stalls.vector += vectorTail
        stalls.memory += (end - arrayDone).count - vectorTail
        costs.timing.finish(cycles: &cycles, stalls: &stalls, compute: &compute)
        let s = plan.shape
        let copies = Int64(plan.instances)
        let kept = Int64(s.m) * Int64(s.n) * Int64(plan.keptK) * copies
        let keptWeights = Int64(plan.keptK) * Int64(s.n) * copies
        let meta = Int64(costs.metadataBytes(kept: plan.keptK * s.n, columns: Swift.min(s.n, costs.spec.columns))) * copies
        var r = LayerResult(
            cycles: cycles, computeCycles: compute, stalls: stalls, folds: plan.folds, macs: kept, denseMACs: s.denseMACs * copies,
            weightBytes: keptWeights * Int64(costs.spec.dataTypes.weightBytes) + meta, metadataBytes: meta,
            decodedGroups: groups, traffic: traffic, vectorElementOps: vectorOps, events: events)
        r.mappedPEs = mappedPEs
        r.mapping = MappingSummary(plan: plan, costs: costs)
        return r
    }
}
