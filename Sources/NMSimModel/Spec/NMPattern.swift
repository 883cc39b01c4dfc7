import Foundation

/// An N:M structured-sparsity level: N weights kept in every group of M consecutive weights
/// along the reduction (K) dimension. `N == M` is dense.
public struct NMPattern: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let n: Int
    public let m: Int

    /// The largest group size accepted; keeps index widths and mux sizes physical.
    public static let maxM = 256

    public init?(n: Int, m: Int) {
        guard m >= 1, m <= Self.maxM, n >= 1, n <= m else { return nil }
        self.n = n
        self.m = m
    }

    /// Dense (1:1).
    public static let dense = NMPattern(n: 1, m: 1)!

    /// Parses `"N:M"`; the error says what was expected.
    public static func parse(_ text: String) -> Result<NMPattern, PatternError> {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2,
            let n = Int(parts[0].trimmingCharacters(in: .whitespaces)),
            let m = Int(parts[1].trimmingCharacters(in: .whitespaces))
        else { return .failure(.malformed(text)) }
        guard let p = NMPattern(n: n, m: m) else { return .failure(.outOfRange(n: n, m: m)) }
        return .success(p)
    }

    public enum PatternError: Error, Equatable, Sendable, CustomStringConvertible {
        case malformed(String)
        case outOfRange(n: Int, m: Int)

        public var description: String {
            switch self {
            case .malformed(let s): return "expected an N:M pattern such as 2:4, found \"\(s)\""
            case let .outOfRange(n, m):
                if m < 1 || m > NMPattern.maxM { return "M must be between 1 and \(NMPattern.maxM) (got \(n):\(m))" }
                return "N must be between 1 and M (got \(n):\(m))"
            }
        }
    }

    public var isDense: Bool { n == m }
    public var description: String { "\(n):\(m)" }
    /// Fraction of weights kept.
    public var density: Double { Double(n) / Double(m) }

    /// Orders by density, then by group size.
    public static func < (a: NMPattern, b: NMPattern) -> Bool {
        let l = a.n * b.m, r = b.n * a.m
        return l != r ? l < r : a.m < b.m
    }

    /// Kept positions along a reduction of length `k`: ⌊k/M⌋·N + min(N, k mod M).
    /// A partial last group keeps at most N of its weights.
    public func keptLength(_ k: Int) -> Int { (k / m) * n + Swift.min(n, k % m) }

    /// Number of groups (full or partial) along a reduction of length `k`.
    public func groups(_ k: Int) -> Int { (k + m - 1) / m }

    /// ⌈log2 M⌉ index bits per kept weight; 0 for dense.
    public var indexBits: Int {
        if isDense { return 0 }
        var bits = 0
        while (1 << bits) < m { bits += 1 }
        return bits
    }
}

extension NMPattern {
    /// Two patterns describe the same density and layout for dense layers (1:1 ≡ 4:4).
    public func sameLevel(as other: NMPattern) -> Bool {
        (isDense && other.isDense) || self == other
    }
}
