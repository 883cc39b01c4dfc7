/// A point in simulated time, in clock cycles since the start of a run.
///
/// Instants and spans are different types so that `now + now` does not compile:
/// an instant plus a span (``Cycles``) is an instant, an instant minus an instant is a span.
package struct Cycle: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Cycles since time zero.
    package var value: Int64

    @inlinable package init(_ value: Int64) { self.value = value }

    package static let zero = Cycle(0)

    @inlinable package static func < (a: Cycle, b: Cycle) -> Bool { a.value < b.value }
    @inlinable package static func + (a: Cycle, d: Cycles) -> Cycle { Cycle(a.value + d.count) }
    @inlinable package static func - (a: Cycle, b: Cycle) -> Cycles { Cycles(a.value - b.value) }
    @inlinable package static func += (a: inout Cycle, d: Cycles) { a.value += d.count }

    package var description: String { "cycle \(value)" }
}

/// A duration in clock cycles.
package struct Cycles: Hashable, Comparable, Sendable, AdditiveArithmetic, CustomStringConvertible {
    /// Number of cycles; never negative for a real duration.
    package var count: Int64

    @inlinable package init(_ count: Int64) { self.count = count }
    @inlinable package init(_ count: Int) { self.count = Int64(count) }

    package static let zero = Cycles(Int64(0))

    @inlinable package static func < (a: Cycles, b: Cycles) -> Bool { a.count < b.count }
    @inlinable package static func + (a: Cycles, b: Cycles) -> Cycles { Cycles(a.count + b.count) }
    @inlinable package static func - (a: Cycles, b: Cycles) -> Cycles { Cycles(a.count - b.count) }
    @inlinable package static func * (a: Cycles, k: Int64) -> Cycles { Cycles(a.count * k) }

    package var description: String { "\(count) cycles" }
}

extension Cycle {
    /// The later of two instants.
    @inlinable package static func latest(_ a: Cycle, _ b: Cycle) -> Cycle { a.value >= b.value ? a : b }
}
