import Foundation
import NMSimModel
import NMSimReport
import NMSimSearch

enum BenchCommand {
    static let spec = CommandSpec(
        name: "bench", summary: "Measure speed: simulator events per second, whole-network simulation time, and the whole search.",
        usage: "nmsim bench [--spec FILE|PRESET] [--workload FILE|NAME] [--repeat N]",
        options: [
            CommonOptions.spec,
            OptionSpec(name: "--workload", value: "FILE|NAME", help: "Workload to time (default deit-b)."),
            OptionSpec(name: "--repeat", value: "N", help: "Timed repetitions; the median is reported (default 5)."),
        ],
        details:
            "The search timing (latency table, exact DP and evolutionary search, uses every core) is reported for built-in models on specs with sparse patterns, under a budget of 1.8x over dense."
    )

    static func run(_ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        let spec = try InputLoader.spec(a.value("--spec")).spec
        let w = try InputLoader.workload(a.value("--workload") ?? "deit-b")
        let repeats = try a.int("--repeat", in: 1...1000) ?? 5
        let bench = try Benchmark(spec: spec, workload: w, repeats: repeats)
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        #if os(Linux)
            let rssMB = Double(usage.ru_maxrss) / 1024  // KiB on Linux
        #else
            let rssMB = Double(usage.ru_maxrss) / 1_048_576  // bytes on macOS
        #endif
        c.out(BenchReport.text(bench, spec: spec, workload: w.name, repeats: repeats, peakMB: rssMB))
        return 0
    }
}
