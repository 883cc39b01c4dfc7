import Foundation
import NMSimSearch

/// What `nmsim sweep` prints on stderr while and after it runs.
package enum SweepReport {
    /// The progress line: points done, rate and the time left.
    package static func progressLine(_ p: SweepProgress) -> String {
        let rate = p.elapsedSeconds > 0 ? Double(p.done) / p.elapsedSeconds : 0
        let eta = rate > 0 ? Double(p.total - p.done) / rate : 0
        return String(format: "%d/%d points, %.1f points/s, ETA %@   ", p.done, p.total, rate, duration(eta))
    }

    /// The line printed when the sweep ends: points, rows by status, time and the directory.
    package static func summaryLine(_ summary: SweepSummary, shard: SweepShard?, directory: String) -> String {
        let statuses = summary.statusCounts.keys.sorted().map { "\(summary.statusCounts[$0]!) \($0)" }.joined(separator: ", ")
        return "nmsim sweep: \(summary.points) points\(shard.map { " (shard \($0))" } ?? "")"
            + (summary.resumed > 0 ? ", \(summary.resumed) already done" : "")
            + ", \(summary.rows) new rows (\(statuses.isEmpty ? "none" : statuses)) in \(String(format: "%.2f", summary.elapsedSeconds)) s -> \(directory)\n"
    }

    /// A duration as 42s, 3m05s or 2h07m.
    package static func duration(_ s: Double) -> String {
        let t = Int(s.rounded(.up))
        if t < 60 { return "\(t)s" }
        if t < 3600 { return String(format: "%dm%02ds", t / 60, t % 60) }
        return String(format: "%dh%02dm", t / 3600, t % 3600 / 60)
    }
}
