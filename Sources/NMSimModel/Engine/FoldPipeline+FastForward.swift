import NMSimKernel

/// Exact steady-state fast-forward of the fold pipeline
/// ([CycleModel.md](../../../Docs/CycleModel.md#fast-forward)).
///
/// Long runs of folds do the same work, and the pipeline settles into a periodic regime: its
/// whole state at the start of fold s (progress counters relative to s; the times of the folds
/// in flight, of the resources and of the queued events, relative to now; the queued events in
/// the order they will fire) equals its state p folds earlier. Every component depends on
/// times only through differences and maxima of them, and the kernel breaks ties by insertion
/// order, so from equal states the next p folds repeat the last p, shifted by the same number
/// of cycles, adding the same amounts to every counter, as long as they do the same work as
/// the p before them. The pipeline then skips k periods at once: every time moves k shifts
/// later, every counter gains k increments, every fold index moves k·p on.
///
/// Snapshots are taken where a fold starts streaming, one per candidate period: 1 (along the
/// innermost loop), the innermost loop's trip count, the two inner loops', and an instance's
/// folds (one snapshot each, compared p folds later and replaced when they differ).
struct FoldFastForward {
    /// The fewest folds worth looking for a period in.
    static let minimumFolds = 64
    static let causes = StallCause.allCases.count
    /// The most queued events a state is compared with: more are a backlog that grows (writes
    /// outpacing DRAM), which never repeats.
    static let maximumQueue = 64

    /// One candidate period and its last snapshot.
    struct Level {
        /// Folds of one trip of the loop the period steps along (the product of the inner
        /// loops' trips), and that loop's trips.
        let period: Int
        let trips: Int
        /// By index along that loop, the first index from it on that does other work than the
        /// index before it (`trips` when none does); nil for instances, which all do the same.
        let repeatsUntil: [Int]?
        /// The fold whose stream start the snapshot was taken at; −1 when none.
        var fold = -1
        var signature: [Int64] = []
        var now: Int64 = 0
        var totals = Totals()
        /// The branch-and-bound check's value (``FoldPipeline/boundValue(_:)``) at the
        /// snapshot, and its largest value at every event since.
        var bound: Int64 = 0
        var boundMax = Int64.min

        init(period: Int, trips: Int, classes: [FoldIndexClass]?) {
            self.period = period
            self.trips = trips
            repeatsUntil = classes.map { c in
                var until = [Int](repeating: 0, count: trips)
                var next = trips
                for x in stride(from: trips - 1, through: 1, by: -1) {
                    if c[x] != c[x - 1] { next = x }
                    until[x] = next
                }
                return until
            }
        }

        /// The first fold from `g` on that does other work than the fold a period before it:
        /// folds one trip apart along the loop differ only in that loop's index.
        func firstDiffering(from g: Int, _ plan: FoldPlan) -> Int {
            guard let repeatsUntil else { return plan.folds }
            let within = g % plan.foldsPerInstance
            let index = (within / period) % trips
            let tripStart = g - within % (period * trips)
            return Swift.max(g, tripStart + repeatsUntil[index] * period)
        }
    }

    /// Everything the pipeline accumulates, for the increments of one period.
    struct Totals {
        var stalls = SIMD16<Int64>()
        var compute: Int64 = 0, groups: Int64 = 0, mappedPEs: Int64 = 0, vectorOps: Int64 = 0, arrayWorkLeft: Int64 = 0
        var traffic = Traffic()
        var vectorJobs = 0
        var events = 0
    }

    /// Longest period first.
    var levels: [Level]
    /// Scratch: the queued events and the current state's signature.
    var queue: [PendingEvent<FoldPipelineEvent>] = []
    var current: [Int64] = []
    /// Folds skipped so far.
    var skippedFolds = 0

    /// Nil when no loop has enough trips for a period to repeat in.
    init?(costs: FoldCostModel) {
        let plan = costs.plan
        precondition(Self.causes <= 16, "stall causes outgrew the fast-forward's counters")
        let t = plan.trips
        let order = plan.schedule.order
        func classes(_ l: Schedule.Loop) -> [FoldIndexClass] { (0..<plan.tripCount(l)).map { costs.indexClass(l, $0) } }
        // Stepping along the innermost loop, the middle one, the outermost, and instances.
        var found: [Level] = []
        for (p, trips, loop) in [(1, t.2, order[2]), (t.2, t.1, order[1]), (t.1 * t.2, t.0, order[0])]
        where trips >= 4 && !found.contains(where: { $0.period == p }) {
            found.append(Level(period: p, trips: trips, classes: classes(loop)))
        }
        if plan.instances >= 3 && !found.contains(where: { $0.period == plan.foldsPerInstance }) {
            found.append(Level(period: plan.foldsPerInstance, trips: plan.instances, classes: nil))
        }
        guard !found.isEmpty else { return nil }
        levels = found.sorted { $0.period > $1.period }
    }
}

extension FoldPipeline {
    /// The value the branch-and-bound stop compares with `limit`.
    @inline(__always) func boundValue(_ now: Cycle) -> Int64 { Cycle.latest(now, arrayFreeAt).value + arrayWorkLeft }

    /// Called after every event while fast-forward is on; `started` says whether a fold started
    /// streaming.
    mutating func fastForwardAfterEvent(started: Bool, _ kernel: inout Kernel<Event>) {
        if limit != .max {
            let v = boundValue(kernel.now)
            for i in fastForward!.levels.indices where fastForward!.levels[i].fold >= 0 {
                fastForward!.levels[i].boundMax = Swift.max(fastForward!.levels[i].boundMax, v)
            }
        }
        if started { checkpoint(&kernel) }
    }

    /// At the end of the event in which fold `streamStarted − 1` started streaming: compares the
    /// state with each level's snapshot one period ago, skips ahead when one matches, and takes
    /// new snapshots.
    mutating func checkpoint(_ kernel: inout Kernel<Event>) {
        guard kernel.pendingCount <= FoldFastForward.maximumQueue, var ff = fastForward.take() else { return }
        defer { fastForward = ff }
        var s = streamStarted - 1
        var signed = false
        var l = 0
        while l < ff.levels.count {
            let p = ff.levels[l].period
            // Worth comparing only when at least one period of folds to come repeats the last.
            if ff.levels[l].fold >= 0 && s - ff.levels[l].fold == p
                && ff.levels[l].firstDiffering(from: streamStarted, plan) >= fetchStarted + p
            {
                if !signed {
                    kernel.pending(into: &ff.queue)
                    signature(into: &ff.current, fold: s, now: kernel.now, queue: ff.queue)
                    signed = true
                }
                let k = ff.levels[l].signature == ff.current ? periodsToSkip(ff, l, s, kernel) : 0
                if k > 0 {
                    skip(&ff, l, k, &kernel)
                    s += k * p
                    signed = false
                    l = 0
                    continue
                }
            }
            if ff.levels[l].fold < 0 || s - ff.levels[l].fold >= p {
                // A snapshot is worth taking only when the comparison a period on may skip.
                if ff.levels[l].firstDiffering(from: streamStarted + p, plan) >= fetchStarted + 2 * p {
                    if !signed {
                        kernel.pending(into: &ff.queue)
                        signature(into: &ff.current, fold: s, now: kernel.now, queue: ff.queue)
                        signed = true
                    }
                    snapshot(&ff.levels[l], &ff.current, fold: s, kernel)
                } else {
                    ff.levels[l].fold = -1
                }
            }
            l += 1
        }
    }

    /// The state at the stream start of fold `s`, relative to `s` and now: everything the rest
    /// of the run depends on, except the work of the folds not yet fetched and the counters
    /// that only accumulate.
    func signature(into sig: inout [Int64], fold s: Int, now: Cycle, queue: [PendingEvent<Event>]) {
        sig.removeAll(keepingCapacity: true)
        let n = now.value
        sig.append(Int64(fetchStarted - s))
        sig.append(Int64(fetched - s))
        sig.append(Int64(decodeStarted - s))
        sig.append(Int64(decoded - s))
        sig.append(Int64(loadStarted - s))
        sig.append(Int64(loaded - s))
        sig.append(Int64(streamStarted - s))
        sig.append(Int64(streamed - s))
        sig.append(Int64(drained - s))
        // Read in differences and comparisons with one another.
        sig.append(lastStreamStartAt.value - n)
        sig.append(lastLoadDoneAt.value - n)
        sig.append(arrayFreeAt.value - n)
        // Read only as the latest of them and a time not before now: a past one acts as now.
        sig.append(Swift.max(0, lastFetchDoneAt.value - n))
        sig.append(Swift.max(0, dram.freeAt.value - n))
        sig.append(Swift.max(0, decoder.freeAt.value - n))
        sig.append(Swift.max(0, vectorFreeAt.value - n))
        sig.append(vectorJobs > 0 ? 1 : 0)
        // The times of the folds in flight that their stream start will read.
        for g in streamStarted..<fetched { sig.append(fetchDoneAt[slot(g)].value - n) }
        for g in streamStarted..<decoded { sig.append(decodeDoneAt[slot(g)].value - n) }
        for g in streamStarted..<loadStarted { sig.append(slotAt[slot(g)].value - n) }
        // `drainEnd` and `end` are not here: both are at most now, and the last fold's drain,
        // always still to come, sets them.
        for e in queue {
            sig.append(e.time - n)
            sig.append(Int64(e.priority))
            switch e.payload {
            case .fetched(let f): sig.append(0); sig.append(Int64(f - s))
            case .decoded(let f): sig.append(1); sig.append(Int64(f - s))
            case .loaded(let f): sig.append(2); sig.append(Int64(f - s))
            case .streamed(let f): sig.append(3); sig.append(Int64(f - s))
            case .written: sig.append(4)
            case let .drained(f, bytes): sig.append(5); sig.append(Int64(f - s)); sig.append(Int64(bytes))
            case let .vectorDone(f, bytes): sig.append(6); sig.append(Int64(f - s)); sig.append(Int64(bytes))
            }
        }
    }

    var totals: FoldFastForward.Totals {
        var t = FoldFastForward.Totals()
        for c in 0..<FoldFastForward.causes { t.stalls[c] = stalls[StallCause(rawValue: c)!] }
        t.compute = compute
        t.groups = groups
        t.mappedPEs = mappedPEs
        t.vectorOps = vectorOps
        t.arrayWorkLeft = arrayWorkLeft
        t.traffic = traffic
        t.vectorJobs = vectorJobs
        return t
    }

    func snapshot(_ level: inout FoldFastForward.Level, _ signature: inout [Int64], fold s: Int, _ kernel: Kernel<Event>) {
        level.fold = s
        level.signature.removeAll(keepingCapacity: true)
        level.signature.append(contentsOf: signature)
        level.now = kernel.now.value
        level.totals = totals
        level.totals.events = kernel.eventsFired
        level.bound = boundValue(kernel.now)
        level.boundMax = .min
    }

    /// How many periods of level `l` the run may skip from fold `s`, whose state equals the
    /// snapshot's: as many as the folds to come repeat the work of the folds a period before
    /// them, without passing a longer period's next comparison, the last fold, the kernel's
    /// event limit or horizon, or the branch-and-bound stop.
    func periodsToSkip(_ ff: FoldFastForward, _ l: Int, _ s: Int, _ kernel: Kernel<Event>) -> Int {
        let level = ff.levels[l]
        let p = level.period
        let delta = kernel.now.value - level.now
        let events = kernel.eventsFired - level.totals.events
        var k = (plan.folds - fetchStarted) / p
        for m in 0..<l where ff.levels[m].fold >= 0 { k = Swift.min(k, (ff.levels[m].fold + ff.levels[m].period - s) / p) }
        if events > 0 { k = Swift.min(k, (kernel.eventLimit - 1 - kernel.eventsFired) / events) }
        if delta > 0 { k = Swift.min(k, Int((kernel.horizon.value - kernel.now.value) / delta)) }
        if limit != .max {
            // Each skipped period's checks are the last period's plus the growth of one period.
            let growth = boundValue(kernel.now) - level.bound
            if growth > 0 { k = Swift.min(k, Int((limit - level.boundMax) / growth)) }
        }
        guard k > 0 else { return 0 }
        // The folds in flight and the folds to fetch must do the work of the folds a period before.
        let g = level.firstDiffering(from: streamStarted, plan)
        return g < fetchStarted ? 0 : Swift.min(k, (g - fetchStarted) / p)
    }

    /// Skips `k` periods of level `l`: what simulating them would have done.
    mutating func skip(_ ff: inout FoldFastForward, _ l: Int, _ k: Int, _ kernel: inout Kernel<Event>) {
        let level = ff.levels[l]
        let folds = k * level.period
        let now = kernel.now
        let shift = Cycles(Int64(k) * (now.value - level.now))
        let times = Int64(k)
        let was = level.totals
        ff.skippedFolds += folds
        for c in 0..<FoldFastForward.causes {
            let cause = StallCause(rawValue: c)!
            stalls[cause] += times * (stalls[cause] - was.stalls[c])
        }
        compute += times * (compute - was.compute)
        groups += times * (groups - was.groups)
        mappedPEs += times * (mappedPEs - was.mappedPEs)
        vectorOps += times * (vectorOps - was.vectorOps)
        arrayWorkLeft += times * (arrayWorkLeft - was.arrayWorkLeft)
        traffic = traffic + (traffic + was.traffic.scaled(by: -1)).scaled(by: times)
        vectorJobs += k * (vectorJobs - was.vectorJobs)
        // The limit check's largest value over the skipped periods, for the longer periods'
        // snapshots, which stay.
        let growth = boundValue(now) - level.bound
        let skippedMax = limit == .max ? Int64.min : level.boundMax + Swift.max(growth, times * growth)
        for m in ff.levels.indices {
            if m < l && ff.levels[m].fold >= 0 {
                ff.levels[m].boundMax = Swift.max(ff.levels[m].boundMax, skippedMax)
            } else {
                ff.levels[m].fold = -1
            }
        }
        fetchStarted += folds; fetched += folds
        decodeStarted += folds; decoded += folds
        loadStarted += folds; loaded += folds
        streamStarted += folds; streamed += folds
        drained += folds
        // Fold f's slot becomes fold f + folds's.
        let r = folds & (Self.ring - 1)
        let (w, fd, dd, sa) = (work, fetchDoneAt, decodeDoneAt, slotAt)
        for i in 0..<Self.ring {
            let j = (i + r) & (Self.ring - 1)
            work[j] = w[i]
            fetchDoneAt[j] = fd[i] + shift
            decodeDoneAt[j] = dd[i] + shift
            slotAt[j] = sa[i] + shift
        }
        lastStreamStartAt += shift
        lastLoadDoneAt += shift
        arrayFreeAt += shift
        drainEnd += shift
        end += shift
        lastFetchDoneAt = Cycle.latest(lastFetchDoneAt, now) + shift
        vectorFreeAt = Cycle.latest(vectorFreeAt, now) + shift
        dram.skip(by: shift, from: now)
        decoder.skip(by: shift, from: now)
        kernel.skip(by: shift, events: k * (kernel.eventsFired - was.events)) { e in
            switch e {
            case .fetched(let f): e = .fetched(f + folds)
            case .decoded(let f): e = .decoded(f + folds)
            case .loaded(let f): e = .loaded(f + folds)
            case .streamed(let f): e = .streamed(f + folds)
            case .written: break
            case let .drained(f, bytes): e = .drained(f + folds, writeBytes: bytes)
            case let .vectorDone(f, bytes): e = .vectorDone(f + folds, writeBytes: bytes)
            }
        }
    }
}
