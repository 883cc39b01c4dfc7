import Foundation
import NMSimModel
import NMSimReport

/// The `nmsim` command line: parses arguments, runs one command, and maps every user-input
/// problem to located lines on stderr and a sysexits status.
package enum CLI {
    package static let version = "0.1.0"

    static let commands: [CommandSpec] = [
        SimulateCommand.spec, ValidateCommand.spec, SpecsCommand.spec, WorkloadsCommand.spec, ShowCommand.spec,
        CompareCommand.spec, SearchCommand.spec, SweepCommand.spec, MergeCommand.spec, ReportCommand.spec, RecordCommand.spec, CheckCommand.spec,
        DemoCommand.spec,
        BenchCommand.spec,
    ]

    static var overview: String {
        var s = "nmsim \(version): cycle-approximate N:M sparse accelerator simulator\n\nUSAGE: nmsim <command> [options]\n\nCOMMANDS:\n"
        for c in commands { s += "  " + c.name.padding(toLength: 11, withPad: " ", startingAt: 0) + c.summary + "\n" }
        s += "\nRun 'nmsim <command> --help' for a command's options. With no --spec, the \(Presets.defaultName) preset is used.\n"
        return s
    }

    /// Runs `args` (without the program name) and returns the exit status.
    package static func run(_ args: [String], console: Console = .standard) -> Int32 {
        guard let first = args.first else {
            console.err(overview)
            return InputError.Kind.usage.exitStatus
        }
        if first == "--help" || first == "-h" || first == "help" { console.out(overview); return 0 }
        if first == "--version" { console.out("nmsim \(version)\n"); return 0 }
        guard let command = commands.first(where: { $0.name == first }) else {
            let d = Diagnostic(source: "nmsim", message: "unknown command \"\(first)\"; commands are: \(commands.map(\.name).joined(separator: ", "))")
            console.err("\(d)\n")
            return InputError.Kind.usage.exitStatus
        }
        do {
            let parsed = try CommandLineParser.parse(Array(args.dropFirst()), for: command)
            if parsed.helpRequested { console.out(command.help); return 0 }
            return try dispatch(command.name, parsed, console)
        } catch {
            for d in error.diagnostics { console.err("nmsim: \(d.naming(\.named))\n") }
            return error.kind.exitStatus
        }
    }

    static func dispatch(_ name: String, _ a: ParsedArguments, _ c: Console) throws(InputError) -> Int32 {
        switch name {
        case "simulate": return try SimulateCommand.run(a, c)
        case "validate": return try ValidateCommand.run(a, c)
        case "specs": return try SpecsCommand.run(a, c)
        case "workloads": return try WorkloadsCommand.run(a, c)
        case "show": return try ShowCommand.run(a, c)
        case "compare": return try CompareCommand.run(a, c)
        case "report": return try ReportCommand.run(a, c)
        case "record": return try RecordCommand.run(a, c)
        case "check": return try CheckCommand.run(a, c)
        case "search": return try SearchCommand.run(a, c)
        case "sweep": return try SweepCommand.run(a, c)
        case "merge": return try MergeCommand.run(a, c)
        case "demo": return try DemoCommand.run(a, c)
        case "bench": return try BenchCommand.run(a, c)
        default: preconditionFailure("command \(name) has no handler")
        }
    }

    /// Sends `text` to `--output` (atomically) or stdout.
    static func emit(_ text: String, _ a: ParsedArguments, _ c: Console) throws(InputError) {
        if let path = a.value("--output") { try OutputFile.write(text, to: path, console: c) } else { c.out(text) }
    }

    /// `json` (an object) with the command that made it and nmsim's version added, so a report
    /// can say where its inputs came from. Options that do not change results (output files,
    /// figures, --serial) are left out, so the bytes stay the same whatever they are.
    static func withProvenance(_ json: JSONValue, _ command: String, _ a: ParsedArguments) -> JSONValue {
        guard case .object(var o) = json else { return json }
        let ignored: Set<String> = [
            "--output", "--plot", "--plot-kind", "--plot-x", "--plot-y", "--trace", "--export-elsa", "--export-assignment",
            "--export-front", "--serial",
        ]
        o += [("command", .string(commandLine(command, a, ignoring: ignored))), ("nmsimVersion", .string(version))]
        return .object(o)
    }

    /// The command line that reproduces a run's results, in a canonical order (positional
    /// arguments, then options sorted by name, then flags), leaving out the options in
    /// `ignored`: those that only say where results go or how fast they are made.
    static func commandLine(_ command: String, _ a: ParsedArguments, ignoring ignored: Set<String>) -> String {
        var parts = ["nmsim", command] + a.positionals.map(shellQuoted)
        for key in a.values.keys.sorted() where !ignored.contains(key) {
            for v in a.values[key]! { parts += [key, shellQuoted(v)] }
        }
        parts += a.flags.sorted().filter { !ignored.contains($0) }
        return parts.joined(separator: " ")
    }

    /// `s` as a shell word: bare when it is made of safe characters, else in single quotes.
    static func shellQuoted(_ s: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,+@%")
        return !s.isEmpty && s.allSatisfy(safe.contains) ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func warn(_ diagnostics: [Diagnostic], _ c: Console) {
        for d in diagnostics { c.err("nmsim: \(d.naming(\.named))\n") }
    }
}
