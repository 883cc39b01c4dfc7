import Testing

@testable import NMSimKernel

/// Records the order events fire in.
struct Recorder: EventModel {
    var fired: [(Int64, String)] = []
    mutating func handle(_ event: String, kernel: inout Kernel<String>) {
        fired.append((kernel.now.value, event))
    }
}

/// Reschedules itself forever.
struct Runaway: EventModel {
    mutating func handle(_ event: Int, kernel: inout Kernel<Int>) {
        kernel.schedule(event + 1, after: Cycles(1))
    }
}

/// Schedules one event per cycle and stops the run at `stopAt`.
struct Stopper: EventModel {
    var stopAt: Int64
    var fired = 0
    mutating func handle(_ event: Int, kernel: inout Kernel<Int>) {
        fired += 1
        kernel.schedule(event + 1, after: Cycles(1))
        kernel.schedule(event + 100, after: Cycles(5))
        if kernel.now.value == stopAt { kernel.stop() }
    }
}

/// Schedules a chain of events each `step` apart.
struct Chain: EventModel {
    var step: Int64
    var remaining: Int
    var times: [Int64] = []
    mutating func handle(_ event: Int, kernel: inout Kernel<Int>) {
        times.append(kernel.now.value)
        if remaining > 0 {
            remaining -= 1
            kernel.schedule(event + 1, after: Cycles(step))
        }
    }
}

@Suite("Kernel")
struct KernelTests {
    @Test func eventsFireInTimeThenPriorityThenInsertionOrder() throws {
        var k = Kernel<String>()
        k.schedule("late", at: Cycle(10))
        k.schedule("early-low-priority", at: Cycle(5), priority: 1)
        k.schedule("early-first", at: Cycle(5))
        k.schedule("early-second", at: Cycle(5))
        k.schedule("zero", at: Cycle(0))
        var r = Recorder()
        try k.run(&r)
        #expect(r.fired.map(\.1) == ["zero", "early-first", "early-second", "early-low-priority", "late"])
        #expect(r.fired.map(\.0) == [0, 5, 5, 5, 10])
        #expect(k.now == Cycle(10))
        #expect(k.eventsFired == 5)
    }

    @Test func nowIsTheEventTimeInsideTheHandler() throws {
        var k = Kernel<Int>()
        k.schedule(0, at: Cycle(3))
        var c = Chain(step: 7, remaining: 3)
        try k.run(&c)
        #expect(c.times == [3, 10, 17, 24])
    }

    @Test func runawayModelEndsWithAnErrorAtItsEventLimit() {
        var k = Kernel<Int>(eventLimit: 100)
        k.schedule(0, at: .zero)
        var m = Runaway()
        #expect(throws: KernelError.eventLimitExceeded(limit: 100, at: Cycle(100))) { try k.run(&m) }
    }

    @Test func eventLimitIsExactlyTheNumberOfEventsAllowed() throws {
        var k = Kernel<Int>(eventLimit: 4)
        k.schedule(0, at: .zero)
        var c = Chain(step: 1, remaining: 3)  // 4 events in all
        try k.run(&c)
        #expect(k.eventsFired == 4)
    }

    @Test func stopEndsTheRunAfterTheCurrentEvent() throws {
        var k = Kernel<Int>()
        k.schedule(0, at: .zero)
        var m = Stopper(stopAt: 3)
        try k.run(&m)
        #expect(m.fired == 4 && k.now == Cycle(3) && k.eventsFired == 4)
    }

    @Test func passingTheHorizonIsAnError() {
        var k = Kernel<Int>(horizon: Cycle(20))
        k.schedule(0, at: .zero)
        var c = Chain(step: 10, remaining: 5)
        #expect(throws: KernelError.horizonExceeded(horizon: Cycle(20), at: Cycle(30))) { try k.run(&c) }
    }

    @Test func heapOrderMatchesASortForManyEvents() {
        var q = EventQueue<Int>()
        var expected: [(Int64, Int32, Int)] = []
        var x: UInt64 = 12345
        for i in 0..<2000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let t = Int64((x >> 33) % 50), p = Int32((x >> 20) % 3)
            q.push(i, at: Cycle(t), priority: p)
            expected.append((t, p, i))
        }
        expected.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        var got: [Int] = []
        while let e = q.pop() { got.append(e.payload) }
        #expect(got == expected.map(\.2))
    }

    @Test func instantsAndSpansCombineAsTimeDoes() {
        let a = Cycle(10), b = Cycle(25)
        #expect(b - a == Cycles(15))
        #expect(a + Cycles(5) == Cycle(15))
        #expect(Cycle.latest(a, b) == b)
    }
}
