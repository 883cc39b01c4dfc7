import Foundation

/// Result slots written once each by concurrent workers and read after all have finished, so
/// parallel work is placed by index and never depends on thread timing.
package final class SlotBox<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()

    package init(count: Int) { slots = Array(repeating: nil, count: count) }

    package func set(_ i: Int, _ value: T) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    /// Every slot's value; each must have been set.
    package func take() -> [T] {
        lock.lock()
        defer { lock.unlock() }
        return slots.enumerated().map { i, v in
            guard let v else { preconditionFailure("slot \(i) of \(slots.count) was never set") }
            return v
        }
    }
}
