import Foundation
import NMSimModel
import NMSimReport
import NMSimSearch

enum MergeCommand {
    static let spec = CommandSpec(
        name: "merge", summary: "Join the directories of a sharded sweep into the files one unsharded run writes.",
        usage: "nmsim merge DIR... --output DIR [--quiet]",
        options: [
            OptionSpec(name: "--output", value: "DIR", help: "The merged sweep directory (new or empty)."),
            OptionSpec(name: "--quiet", value: nil, help: "No summary on stderr."),
        ],
        positionals: "DIR...")

    static func run(_ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        guard let output = a.value("--output") else { throw InputError(.usage, source: "--output", "is required") }
        guard !a.positionals.isEmpty else { throw InputError(.usage, source: "merge", "needs the shard directories to merge") }
        let s = try SweepMerge.merge(a.positionals, into: output)
        if !a.has("--quiet") {
            c.err("nmsim merge: \(a.positionals.count) directories, \(s.points) points, \(s.rows) rows -> \(output)\n")
        }
        return 0
    }
}
