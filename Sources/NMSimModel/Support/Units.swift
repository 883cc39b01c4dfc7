import Foundation

/// Quantities written with units on the command line and in sweep files.
package enum Units {
    /// A number and its lower-cased unit suffix ("12.5ms" → (12.5, "ms")).
    package static func split(_ s: String) -> (Double, String)? {
        let t = s.trimmingCharacters(in: .whitespaces)
        guard let i = t.firstIndex(where: { !("0"..."9").contains($0) && $0 != "." && $0 != "e" && $0 != "E" && $0 != "+" && $0 != "-" }) else {
            return Double(t).map { ($0, "") }
        }
        guard let v = Double(t[..<i]) else { return nil }
        return (v, t[i...].lowercased().trimmingCharacters(in: .whitespaces))
    }

    /// Cycles from a plain count or a time (s, ms, us, ns) at `clockGHz`.
    package static func cycles(_ s: String, clockGHz: Double) -> Int64? {
        guard let (v, unit) = split(s), v > 0, v.isFinite else { return nil }
        let scale: Double
        switch unit {
        case "", "cycles", "cycle": scale = 1
        case "s": scale = clockGHz * 1e9
        case "ms": scale = clockGHz * 1e6
        case "us": scale = clockGHz * 1e3
        case "ns": scale = clockGHz
        default: return nil
        }
        let c = v * scale
        return c < 9e18 ? Int64(c.rounded(.down)) : nil
    }

    /// Bytes from a plain count or a size (KiB, MiB, GiB, kB, MB, GB).
    package static func bytes(_ s: String) -> Int64? {
        guard let (v, unit) = split(s), v > 0, v.isFinite else { return nil }
        let scale: Double
        switch unit {
        case "", "b": scale = 1
        case "kib", "k": scale = 1024
        case "mib", "m": scale = 1_048_576
        case "gib", "g": scale = 1_073_741_824
        case "kb": scale = 1e3
        case "mb": scale = 1e6
        case "gb": scale = 1e9
        default: return nil
        }
        let b = v * scale
        return b < 9e18 ? Int64(b.rounded(.down)) : nil
    }
}
