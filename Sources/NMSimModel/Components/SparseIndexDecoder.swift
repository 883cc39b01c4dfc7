import NMSimKernel

/// Decodes N:M metadata into multiplexer selects.
///
/// A batch of groups occupies the decoder for ⌈groups / groupsPerCycle⌉ cycles; its selects are
/// ready `latencyCycles` after that. Batches are served in request order and pipelined: the next
/// batch may enter as soon as the previous one has left the first stage.
package struct SparseIndexDecoder: Sendable {
    package let groupsPerCycle: Int
    package let latency: Cycles
    package private(set) var freeAt: Cycle = .zero

    package init(_ spec: DecoderSpec) {
        precondition(spec.groupsPerCycle > 0, "decoder needs a positive rate (got \(spec.groupsPerCycle))")
        groupsPerCycle = spec.groupsPerCycle
        latency = Cycles(spec.latencyCycles)
    }

    /// Cycles the decoder's input stage is busy with `groups`.
    package func occupancy(groups: Int) -> Cycles { Cycles((groups + groupsPerCycle - 1) / groupsPerCycle) }

    /// Accepts a batch requested at `time`; returns (start, done).
    package mutating func decode(groups: Int, requestedAt time: Cycle) -> (start: Cycle, done: Cycle) {
        let start = Cycle.latest(time, freeAt)
        freeAt = start + occupancy(groups: groups)
        return (start, freeAt + latency)
    }

    /// Makes the decoder serve batches from `now + delta` on as it would have served them from
    /// `now` on.
    package mutating func skip(by delta: Cycles, from now: Cycle) { freeAt = Cycle.latest(freeAt, now) + delta }
}
