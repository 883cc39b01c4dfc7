import NMSimModel
import NMSimReport

/// One option a command accepts.
struct OptionSpec {
    var name: String
    /// Placeholder for the value, or nil for a flag.
    var value: String?
    var help: String
    var repeatable = false
    /// Values taken after the option (2 for `--flops-window A B`).
    var arity = 1
    /// Other spellings, stored under `name` (`-p` for `--scalesim-outdir`, as SCALE-Sim spells it).
    var aliases: [String] = []
}

/// A command's name, synopsis and options, enough to parse and to print `--help`.
struct CommandSpec {
    var name: String
    var summary: String
    var usage: String
    var options: [OptionSpec]
    var positionals: String? = nil
    var details: String = ""

    var help: String {
        var s = "\(summary)\n\nUSAGE: \(usage)\n\nOPTIONS:\n"
        let all = options + [OptionSpec(name: "--help", value: nil, help: "Show this help.")]
        func left(_ o: OptionSpec) -> String { ([o.name] + o.aliases).joined(separator: ", ") + (o.value.map { " " + $0 } ?? "") }
        let width = all.map { left($0).count }.max() ?? 10
        for o in all {
            let left = left(o)
            s += "  " + left + String(repeating: " ", count: width - left.count + 2) + o.help + "\n"
        }
        if !details.isEmpty { s += "\n" + details + "\n" }
        return s
    }
}

/// Parsed command-line arguments.
struct ParsedArguments {
    var values: [String: [String]] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []
    var helpRequested = false

    func value(_ name: String) -> String? { values[name]?.last }
    func has(_ name: String) -> Bool { flags.contains(name) || values[name] != nil }

    /// An integer option in `range`; a usage error otherwise.
    func int(_ name: String, in range: ClosedRange<Int>) throws(InputError) -> Int? {
        guard let v = value(name) else { return nil }
        guard let i = Int(v), range.contains(i) else {
            throw InputError(.usage, source: name, "expected an integer \(describe(range)), found \"\(v)\"")
        }
        return i
    }

    func double(_ name: String, min: Double, exclusive: Bool = true) throws(InputError) -> Double? {
        guard let v = value(name) else { return nil }
        guard let d = Double(v), d.isFinite, exclusive ? d > min : d >= min else {
            throw InputError(.usage, source: name, "expected a number \(exclusive ? "greater than" : "at least") \(JSONWriter.format(min)), found \"\(v)\"")
        }
        return d
    }

    func choice(_ name: String, _ choices: [String]) throws(InputError) -> String? {
        guard let v = value(name) else { return nil }
        guard choices.contains(v) else {
            throw InputError(.usage, source: name, "expected one of: \(choices.joined(separator: ", ")), found \"\(v)\"")
        }
        return v
    }

    private func describe(_ r: ClosedRange<Int>) -> String {
        r.upperBound == Int.max ? "of at least \(r.lowerBound)" : "between \(r.lowerBound) and \(r.upperBound)"
    }
}

/// Parses a command's arguments against its ``CommandSpec``: `--name VALUE`, `--name=VALUE`, flags,
/// multi-value options, repeatable options and positionals; every malformed argument is a usage error.
enum CommandLineParser {
    static func parse(_ args: [String], for command: CommandSpec) throws(InputError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var i = 0
        while i < args.count {
            let arg = args[i]
            i += 1
            if arg == "--help" || arg == "-h" { parsed.helpRequested = true; continue }
            guard arg.hasPrefix("-"), arg != "-" else {
                if command.positionals == nil {
                    throw InputError(.usage, source: command.name, "unexpected argument \"\(arg)\"; see 'nmsim \(command.name) --help'")
                }
                parsed.positionals.append(arg)
                continue
            }
            var name = arg
            var inline: String?
            if let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                inline = String(arg[arg.index(after: eq)...])
            }
            if let canonical = command.options.first(where: { $0.aliases.contains(name) }) { name = canonical.name }
            guard let option = command.options.first(where: { $0.name == name }) else {
                let near = command.options.map(\.name).filter { editDistance($0, name) <= 2 }
                let hint = near.isEmpty ? "" : " (did you mean \(near.joined(separator: " or "))?)"
                throw InputError(.usage, source: name, "unknown option for 'nmsim \(command.name)'\(hint); see 'nmsim \(command.name) --help'")
            }
            if option.value == nil {
                if inline != nil { throw InputError(.usage, source: name, "takes no value") }
                if parsed.flags.contains(name), !option.repeatable { throw InputError(.usage, source: name, "given more than once") }
                parsed.flags.insert(name)
                continue
            }
            var taken: [String] = []
            if let inline { taken = [inline] }
            while taken.count < option.arity {
                guard i < args.count else {
                    throw InputError(.usage, source: name, "expects \(option.arity == 1 ? "a value" : "\(option.arity) values") (\(option.value!))")
                }
                if looksLikeOption(args[i]) {
                    throw InputError(
                        .usage, source: name,
                        "expects a value (\(option.value!)) but the next argument \"\(args[i])\" looks like an option; write \(name)=VALUE for a value that starts with a dash"
                    )
                }
                taken.append(args[i])
                i += 1
            }
            if taken.contains(where: \.isEmpty) {
                throw InputError(.usage, source: name, "expects a value (\(option.value!)), found an empty one")
            }
            if parsed.values[name] != nil, !option.repeatable {
                throw InputError(.usage, source: name, "given more than once")
            }
            parsed.values[name, default: []].append(contentsOf: taken)
        }
        return parsed
    }

    /// An argument taken for an option rather than a value: a dash followed by a letter or
    /// another dash. `-` (standard output) and negative numbers are values.
    static func looksLikeOption(_ arg: String) -> Bool {
        let chars = Array(arg.prefix(2))
        return chars.count == 2 && chars[0] == "-" && (chars[1] == "-" || chars[1].isLetter)
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var prev = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }
}
