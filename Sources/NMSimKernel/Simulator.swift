/// What stopped a run before its events were exhausted.
public enum KernelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// More events fired than the run allows: a model that keeps rescheduling itself.
    case eventLimitExceeded(limit: Int, at: Cycle)
    /// Simulated time passed the run's horizon.
    case horizonExceeded(horizon: Cycle, at: Cycle)

    public var description: String {
        switch self {
        case let .eventLimitExceeded(limit, at):
            return "simulation exceeded its limit of \(limit) events at \(at) (runaway model?)"
        case let .horizonExceeded(horizon, at):
            return "simulation passed its horizon of \(horizon.value) cycles at \(at)"
        }
    }
}

/// A model driven by the kernel: it reacts to one event at a time and may schedule more.
public protocol EventModel {
    associatedtype Event: Sendable
    /// Handles `event`; `kernel.now` is already the event's time.
    mutating func handle(_ event: Event, kernel: inout Kernel<Event>)
}

/// A deterministic discrete-event kernel.
///
/// The kernel's types are public, not package: Swift 6.3 inlines and specializes `@inlinable`
/// code across modules only for public types (package ones are called unspecialized, through
/// generic metadata, which made the event loop about twice as slow). The module is no product.
///
/// Events fire in order of (time, priority, insertion order); `now` is set before the
/// handler runs. Scheduling in the past is a programmer error. A run ends when no events
/// remain, or with ``KernelError`` when it exceeds its event limit or time horizon.
public struct Kernel<Event: Sendable>: Sendable {
    @usableFromInline var _now: Cycle = .zero
    @usableFromInline var _eventsFired: Int = 0
    /// The current simulated time: the time of the event being handled.
    public var now: Cycle { _now }
    /// Events handled so far.
    public var eventsFired: Int { _eventsFired }
    public let eventLimit: Int
    public let horizon: Cycle
    @usableFromInline var queue = EventQueue<Event>()

    public init(eventLimit: Int = 50_000_000, horizon: Cycle = Cycle(Int64(1) << 60)) {
        precondition(eventLimit > 0, "eventLimit must be positive (got \(eventLimit))")
        self.eventLimit = eventLimit
        self.horizon = horizon
    }

    /// Schedules `event` at absolute time `time`.
    @inlinable public mutating func schedule(_ event: Event, at time: Cycle, priority: Int32 = 0) {
        precondition(time >= now, "cannot schedule an event at \(time) in the past of now = \(now)")
        queue.push(event, at: time, priority: priority)
    }

    /// Schedules `event` after `delay` from now.
    @inlinable public mutating func schedule(_ event: Event, after delay: Cycles, priority: Int32 = 0) {
        precondition(delay >= .zero, "negative delay \(delay.count) at \(now)")
        schedule(event, at: now + delay, priority: priority)
    }

    /// Ends the run after the event being handled: the events still queued are dropped.
    @inlinable public mutating func stop() { queue = EventQueue() }

    /// Runs `model` until no events remain (or it calls ``stop()``).
    @inlinable public mutating func run<M: EventModel>(_ model: inout M) throws(KernelError) where M.Event == Event {
        while let (time, event) = queue.pop() {
            if time > horizon { throw .horizonExceeded(horizon: horizon, at: time) }
            if _eventsFired >= eventLimit { throw .eventLimitExceeded(limit: eventLimit, at: time) }
            _now = time
            _eventsFired += 1
            model.handle(event, kernel: &self)
        }
    }

    /// Events queued.
    @inlinable public var pendingCount: Int { queue.count }

    /// The queued events in the order they will fire (see ``EventQueue/pending(into:)``).
    @inlinable public func pending(into buffer: inout [PendingEvent<Event>]) { queue.pending(into: &buffer) }

    /// Moves the run `delta` later: now and every queued event (whose payload `transform`
    /// rewrites), counting `events` more as fired. A model that knows its next events repeat
    /// what already happened, shifted in time, uses it to skip them; it must not skip past the
    /// event limit or the horizon.
    @inlinable public mutating func skip(by delta: Cycles, events: Int, _ transform: (inout Event) -> Void) {
        precondition(delta >= .zero && events >= 0, "cannot skip back in time (\(delta.count) cycles, \(events) events)")
        _now += delta
        _eventsFired += events
        queue.translate(by: delta.count, transform)
    }
}
