/// A binary min-heap of events ordered by (time, priority, insertion sequence).
///
/// Ties in time are broken by priority (lower first), then by the order in which
/// events were scheduled, so a run never depends on heap internals.
/// - Complexity: O(log n) push and pop.
public struct EventQueue<Payload>: Sendable where Payload: Sendable {
    @usableFromInline struct Entry: Sendable {
        @usableFromInline var time: Int64
        @usableFromInline var priority: Int32
        @usableFromInline var sequence: UInt64
        @usableFromInline var payload: Payload

        @inlinable init(time: Int64, priority: Int32, sequence: UInt64, payload: Payload) {
            self.time = time
            self.priority = priority
            self.sequence = sequence
            self.payload = payload
        }

        @inlinable func precedes(_ other: Entry) -> Bool {
            if time != other.time { return time < other.time }
            if priority != other.priority { return priority < other.priority }
            return sequence < other.sequence
        }
    }

    @usableFromInline var heap: [Entry] = []
    @usableFromInline var nextSequence: UInt64 = 0

    public init() {}

    public var isEmpty: Bool { heap.isEmpty }
    public var count: Int { heap.count }

    @inlinable public mutating func push(_ payload: Payload, at time: Cycle, priority: Int32 = 0) {
        heap.append(Entry(time: time.value, priority: priority, sequence: nextSequence, payload: payload))
        nextSequence &+= 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if heap[child].precedes(heap[parent]) {
                heap.swapAt(child, parent)
                child = parent
            } else {
                break
            }
        }
    }

    @inlinable public mutating func pop() -> (time: Cycle, payload: Payload)? {
        guard !heap.isEmpty else { return nil }
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            let n = heap.count
            while true {
                let l = 2 * parent + 1
                if l >= n { break }
                var best = l
                let r = l + 1
                if r < n && heap[r].precedes(heap[l]) { best = r }
                if heap[best].precedes(heap[parent]) {
                    heap.swapAt(best, parent)
                    parent = best
                } else {
                    break
                }
            }
        }
        return (Cycle(top.time), top.payload)
    }
}

/// A queued event, as ``EventQueue/pending(into:)`` lists it.
public struct PendingEvent<Payload: Sendable>: Sendable {
    public var time: Int64
    public var priority: Int32
    /// Insertion order: among events of equal time and priority, the lower fires first.
    public var sequence: UInt64
    public var payload: Payload

    @inlinable public init(time: Int64, priority: Int32, sequence: UInt64, payload: Payload) {
        self.time = time
        self.priority = priority
        self.sequence = sequence
        self.payload = payload
    }
}

extension EventQueue {
    /// Replaces `buffer`'s contents with the queued events in the order they will fire.
    @inlinable public func pending(into buffer: inout [PendingEvent<Payload>]) {
        buffer.removeAll(keepingCapacity: true)
        for e in heap {
            // Insertion sort: queues here hold a few dozen events at most.
            var i = buffer.count
            buffer.append(PendingEvent(time: e.time, priority: e.priority, sequence: e.sequence, payload: e.payload))
            while i > 0 {
                let a = buffer[i - 1], b = buffer[i]
                guard (a.time, a.priority, a.sequence) > (b.time, b.priority, b.sequence) else { break }
                buffer.swapAt(i - 1, i)
                i -= 1
            }
        }
    }

    /// Moves every queued event `delta` cycles later and rewrites its payload. The order in
    /// which they fire does not change (every time moves alike and sequences stay), nor does
    /// the order of events queued later (their sequences follow all of these).
    @inlinable public mutating func translate(by delta: Int64, _ transform: (inout Payload) -> Void) {
        for i in heap.indices {
            heap[i].time += delta
            transform(&heap[i].payload)
        }
    }
}
