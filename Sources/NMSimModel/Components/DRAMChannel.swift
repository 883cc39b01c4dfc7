import NMSimKernel

/// The memory interface every off-chip model implements: it answers when a transfer that is
/// requested at a given time completes. Requests must be made in non-decreasing time order.
package protocol DRAMModel: Sendable {
    /// Accepts a transfer of `bytes` requested at `time` and returns when its last byte arrives.
    mutating func transfer(bytes: Int, requestedAt time: Cycle) -> Cycle
    /// When the model can next start a transfer (`.zero` when it always can).
    var freeAt: Cycle { get }
    /// Makes the model serve requests from `now + delta` on as it would have served them from
    /// `now` on: every transfer requested at or after `now` starts no earlier than `freeAt`.
    mutating func skip(by delta: Cycles, from now: Cycle)
}

/// A single channel that serves requests in order: each waits for the channel, pays
/// `latencyCycles` once (pipelined with other transfers), and streams its bytes, rounded up
/// to whole bursts, at `bytesPerCycle`.
package struct FixedLatencyDRAM: DRAMModel {
    package let bytesPerCycle: Double
    package let latency: Cycles
    package let burstBytes: Int
    /// When the data bus is next free.
    package private(set) var busFreeAt: Cycle = .zero

    package init(bytesPerCycle: Double, latencyCycles: Int, burstBytes: Int) {
        precondition(bytesPerCycle > 0 && burstBytes > 0, "invalid DRAM parameters \(bytesPerCycle) B/cycle, burst \(burstBytes)")
        self.bytesPerCycle = bytesPerCycle
        self.latency = Cycles(latencyCycles)
        self.burstBytes = burstBytes
    }

    /// Cycles the bus is busy for `bytes`: ⌈(bytes rounded up to bursts) / bytesPerCycle⌉.
    package func busCycles(bytes: Int) -> Cycles {
        guard bytes > 0 else { return .zero }
        let rounded = (bytes + burstBytes - 1) / burstBytes * burstBytes
        return Cycles(Int64((Double(rounded) / bytesPerCycle).rounded(.up)))
    }

    package mutating func transfer(bytes: Int, requestedAt time: Cycle) -> Cycle {
        guard bytes > 0 else { return time }
        let start = Cycle.latest(time, busFreeAt)
        busFreeAt = start + busCycles(bytes: bytes)
        return busFreeAt + latency
    }

    package var freeAt: Cycle { busFreeAt }
    package mutating func skip(by delta: Cycles, from now: Cycle) { busFreeAt = Cycle.latest(busFreeAt, now) + delta }
}

/// Memory that delivers everything at once (SCALE-Sim's CALC mode).
package struct IdealDRAM: DRAMModel {
    package init() {}
    package mutating func transfer(bytes: Int, requestedAt time: Cycle) -> Cycle { time }
    package var freeAt: Cycle { .zero }
    package mutating func skip(by delta: Cycles, from now: Cycle) {}
}
