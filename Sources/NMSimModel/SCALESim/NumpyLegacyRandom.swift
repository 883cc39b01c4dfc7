/// numpy's legacy global generator (`np.random.seed(s)` then `np.random.randint(low, high)`),
/// as SCALE-Sim's row-wise sparsity draws each weight column's N with it: MT19937 seeded by
/// Knuth's linear recurrence, and `randint` by masked rejection on 32-bit outputs.
package struct NumpyLegacyRandom: Sendable {
    private var state = [UInt32](repeating: 0, count: 624)
    private var position = 624

    package init(seed: UInt32) {
        state[0] = seed
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
    }

    /// The next 32-bit output of MT19937.
    package mutating func next() -> UInt32 {
        if position >= 624 { regenerate() }
        var y = state[position]
        position += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    private mutating func regenerate() {
        for i in 0..<624 {
            let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7FFF_FFFF)
            state[i] = state[(i + 397) % 624] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_B0DF)
        }
        position = 0
    }

    /// `randint(low, high)`: uniform in low..<high. A range of one value draws nothing, as in numpy.
    package mutating func randint(_ low: Int, _ high: Int) -> Int {
        precondition(high > low && UInt64(high - low - 1) <= 0xFFFF_FFFF, "randint(\(low), \(high)) is outside the 32-bit path")
        let range = UInt32(high - low - 1)
        if range == 0 { return low }
        var mask = range
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16
        while true {
            let v = next() & mask
            if v <= range { return low + Int(v) }
        }
    }
}
