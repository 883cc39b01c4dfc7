import NMSimModel
import Testing

@testable import NMSimCLI

/// The option parser on its own, against a small command: values, flags, `--opt=value`,
/// repetition, multi-value options, positionals, help, and the exact usage errors.
@Suite("Command-line parser")
struct CommandLineParserTests {
    let command = CommandSpec(
        name: "try", summary: "A test command.", usage: "nmsim try",
        options: [
            OptionSpec(name: "--format", value: "FMT", help: "A value."),
            OptionSpec(name: "--serial", value: nil, help: "A flag."),
            OptionSpec(name: "--golden", value: "PATH", help: "Repeatable.", repeatable: true),
            OptionSpec(name: "--window", value: "A B", help: "Two values.", arity: 2),
        ])

    func parse(_ args: [String], positionals: Bool = false) throws(InputError) -> ParsedArguments {
        var c = command
        if positionals { c.positionals = "FILE..." }
        return try CommandLineParser.parse(args, for: c)
    }

    /// The single diagnostic line a rejected argument list produces.
    func error(_ args: [String]) -> String? {
        do {
            _ = try parse(args)
            return nil
        } catch {
            #expect(error.kind == .usage)
            return error.diagnostics.map(\.description).joined(separator: "\n")
        }
    }

    @Test func valuesFlagsAndInlineValues() throws {
        let p = try parse(["--format", "csv", "--serial", "--window=1", "2"])
        #expect(p.value("--format") == "csv")
        #expect(p.has("--serial") && !p.has("--golden"))
        #expect(p.values["--window"] == ["1", "2"])
        #expect(try parse(["--format=json"]).value("--format") == "json")
        #expect(try parse(["--format=a=b"]).value("--format") == "a=b")
    }

    @Test func repeatableOptionsKeepEveryValueInOrder() throws {
        #expect(try parse(["--golden", "a", "--golden=b", "--golden", "c"]).values["--golden"] == ["a", "b", "c"])
    }

    @Test func helpAnywhereIsNoted() throws {
        #expect(try parse(["--format", "csv", "-h"]).helpRequested)
        #expect(try parse(["--help"]).helpRequested)
    }

    @Test func positionalsOnlyWhereTheCommandTakesThem() throws {
        #expect(try parse(["a.json", "-", "b.json"], positionals: true).positionals == ["a.json", "-", "b.json"])
        #expect(error(["a.json"]) == "try: unexpected argument \"a.json\"; see 'nmsim try --help'")
    }

    @Test(arguments: [
        (args: ["--format"], message: "--format: expects a value (FMT)"),
        (args: ["--window", "1"], message: "--window: expects 2 values (A B)"),
        (args: ["--format", "a", "--format", "b"], message: "--format: given more than once"),
        (args: ["--format=a", "--format=a"], message: "--format: given more than once"),
        (args: ["--serial", "--serial"], message: "--serial: given more than once"),
        (args: ["--serial", "--format", "a", "--serial"], message: "--serial: given more than once"),
        (args: ["--serial=yes"], message: "--serial: takes no value"),
        (args: ["--format="], message: "--format: expects a value (FMT), found an empty one"),
        (args: ["--formt", "csv"], message: "--formt: unknown option for 'nmsim try' (did you mean --format?); see 'nmsim try --help'"),
        (args: ["--gold=x"], message: "--gold: unknown option for 'nmsim try' (did you mean --golden?); see 'nmsim try --help'"),
        (args: ["--frobnicate"], message: "--frobnicate: unknown option for 'nmsim try'; see 'nmsim try --help'"),
    ])
    func rejectedArguments(args: [String], message: String?) {
        #expect(error(args) == message)
    }

    @Test func aValueThatLooksLikeAnOptionNeedsEquals() throws {
        #expect(error(["--format", "--serial"])?.contains("looks like an option; write --format=VALUE") == true)
        #expect(try parse(["--format=--serial"]).value("--format") == "--serial")
        #expect(try parse(["--window", "-1", "-2.5"]).values["--window"] == ["-1", "-2.5"])
    }

    @Test(arguments: [("format", "format", 0), ("formt", "format", 1), ("", "ab", 2), ("abc", "", 3), ("kitten", "sitting", 3)])
    func editDistance(a: String, b: String, distance: Int) {
        #expect(CommandLineParser.editDistance(a, b) == distance)
    }
}

@Suite("Exit statuses")
struct ExitStatusTests {
    @Test func everyErrorKindHasItsSysexitsStatus() {
        #expect(InputError.Kind.allCases.map(\.exitStatus) == [64, 65, 66, 70, 73])
    }
}

@Suite("Input roles")
struct InputRoleTests {
    @Test func librariesNameARoleAndTheCommandLineItsOption() {
        #expect {
            _ = try InputLoader.spec("flexnm4")
        } throws: { e in
            let d = (e as! InputError).diagnostics[0]
            return d.role == .spec && d.source == "spec" && d.naming(\.option).description.hasPrefix("--spec: unknown preset \"flexnm4\"")
        }
    }

    @Test func everyRoleIsAnOptionOfSomeCommand() {
        let options = Set(CLI.commands.flatMap { $0.options.map(\.name) })
        for role in InputRole.allCases {
            let option = String(role.option.split(separator: " ")[0])
            #expect(options.contains(option), "\(role) -> \(role.option)")
        }
    }
}
