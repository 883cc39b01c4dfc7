import NMSimModel

/// A search budget as the user states it (a speedup of 1.5, a latency of 12ms, ...), checked when
/// read and turned into a ``SearchConstraint`` for a given spec and dense latency, so that one
/// statement serves every hardware point of a sweep.
public enum SearchBudget: Equatable, Sendable, CustomStringConvertible {
    /// At least this many times faster than dense on the spec.
    case speedup(Double)
    /// At most this many cycles, or a time with a unit (12.5ms, 900us), as written.
    case latency(String)
    /// ELSA's constraint: performed GMACs between the two bounds.
    case macsWindow(minGMACs: Double, maxGMACs: Double)
    /// Weight storage with metadata at most this size (bytes, or 40MiB, 1.5GiB), as written.
    case memory(String)
    /// Energy at most this many microjoules.
    case energy(microjoules: Double)

    /// The kinds of budget, in the order they are listed.
    public enum Kind: String, CaseIterable, Sendable {
        case speedup, latency
        case macsWindow = "flops-window"
        case memory, energy

        /// The key of a sweep file's search mode (`flops-window`).
        public var key: String { rawValue }

        var role: InputRole {
            switch self {
            case .speedup: .speedup
            case .latency: .latency
            case .macsWindow: .macsWindow
            case .memory: .memory
            case .energy: .energy
            }
        }
    }

    /// Reads the values of one budget of `kind`; a bad value is a usage error naming the
    /// budget's role, or, when `location` names a place in the file `source`, a data error there.
    package static func parse(_ kind: Kind, _ values: [String], source: String? = nil, location: String = "") throws(InputError) -> SearchBudget {
        func fail(_ message: String) -> InputError {
            guard let source, !location.isEmpty else { return InputError(.usage, role: kind.role, location: location, message) }
            return InputError(.data, source: source, location: location, message)
        }
        let v = values.first ?? ""
        switch kind {
        case .speedup:
            guard let x = Double(v), x.isFinite, x > 0 else { throw fail("expected a number greater than 0, found \"\(v)\"") }
            guard x >= 0.001, x <= 1e6 else { throw fail("must be between 0.001 and 1000000 (got \(JSONWriter.format(x)))") }
            return .speedup(x)
        case .latency:
            guard Units.cycles(v, clockGHz: 1) != nil else { throw fail("expected cycles or a time such as 12.5ms or 900us, found \"\(v)\"") }
            return .latency(v)
        case .macsWindow:
            guard values.count == 2, let lo = Double(values[0]), let hi = Double(values[1]), lo >= 0, hi >= lo, hi <= 1e9 else {
                throw fail("expected two numbers A <= B in GMACs, found \"\(values.joined(separator: " "))\"")
            }
            return .macsWindow(minGMACs: lo, maxGMACs: hi)
        case .memory:
            guard Units.bytes(v) != nil else { throw fail("expected bytes or a size such as 40MiB, found \"\(v)\"") }
            return .memory(v)
        case .energy:
            guard let uj = Double(v), uj.isFinite, uj > 0 else { throw fail("expected a number greater than 0, found \"\(v)\"") }
            guard uj <= 1e9 else { throw fail("must be at most 1000000000 uJ (got \(JSONWriter.format(uj)))") }
            return .energy(microjoules: uj)
        }
    }

    /// The constraint on `spec`, whose dense network takes `denseCycles`.
    public func constraint(denseCycles: Int64, spec: HardwareSpec) throws(InputError) -> SearchConstraint {
        switch self {
        case .speedup(let x): return .latency(maxCycles: Int64((Double(denseCycles) / x).rounded(.down)))
        case .latency(let v):
            guard let c = Units.cycles(v, clockGHz: spec.clockGHz) else {
                throw InputError(.usage, role: .latency, "expected cycles or a time such as 12.5ms or 900us, found \"\(v)\"")
            }
            return .latency(maxCycles: c)
        case let .macsWindow(lo, hi): return .macsWindow(min: Int64((lo * 1e9).rounded(.up)), max: Int64((hi * 1e9).rounded(.down)))
        case .memory(let v): return .memory(maxBytes: Units.bytes(v) ?? 0)
        case .energy(let uj): return .energy(maxPJ: uj * 1e6)
        }
    }

    /// The option and its value as written: `speedup=1.5`, `flops-window=4,8`.
    public var description: String {
        switch self {
        case .speedup(let x): return "speedup=\(JSONWriter.format(x))"
        case .latency(let v): return "latency=\(v)"
        case let .macsWindow(lo, hi): return "flops-window=\(JSONWriter.format(lo)),\(JSONWriter.format(hi))"
        case .memory(let v): return "memory=\(v)"
        case .energy(let uj): return "energy=\(JSONWriter.format(uj))"
        }
    }
}
