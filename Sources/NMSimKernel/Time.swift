/// A point in simulated time, in clock cycles since the start of a run.
///
/// Instants and spans are different types so that `now + now` does not compile:
/// an instant plus a span (``Cycles``) is an instant, an instant minus an instant is a span.
public struct Cycle: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Cycles since time zero.
    public var value: Int64

    @inlinable public init(_ value: Int64) { self.value = value }

    public static let zero = Cycle(0)

    @inlinable public static func < (a: Cycle, b: Cycle) -> Bool { a.value < b.value }
    @inlinable public static func + (a: Cycle, d: Cycles) -> Cycle { Cycle(a.value + d.count) }
    @inlinable public static func - (a: Cycle, b: Cycle) -> Cycles { Cycles(a.value - b.value) }
    @inlinable public static func += (a: inout Cycle, d: Cycles) { a.value += d.count }

    public var description: String { "cycle \(value)" }
}

/// A duration in clock cycles.
public struct Cycles: Hashable, Comparable, Sendable, AdditiveArithmetic, CustomStringConvertible {
    /// Number of cycles; never negative for a real duration.
    public var count: Int64

    @inlinable public init(_ count: Int64) { self.count = count }
    @inlinable public init(_ count: Int) { self.count = Int64(count) }

    public static let zero = Cycles(Int64(0))

    @inlinable public static func < (a: Cycles, b: Cycles) -> Bool { a.count < b.count }
    @inlinable public static func + (a: Cycles, b: Cycles) -> Cycles { Cycles(a.count + b.count) }
    @inlinable public static func - (a: Cycles, b: Cycles) -> Cycles { Cycles(a.count - b.count) }
    @inlinable public static func * (a: Cycles, k: Int64) -> Cycles { Cycles(a.count * k) }

    public var description: String { "\(count) cycles" }
}

extension Cycle {
    /// The later of two instants.
    @inlinable public static func latest(_ a: Cycle, _ b: Cycle) -> Cycle { a.value >= b.value ? a : b }
}
