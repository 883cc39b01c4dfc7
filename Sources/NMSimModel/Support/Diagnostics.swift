/// What a value given to the libraries is for, when it came from no file. A diagnostic about
/// such a value names its role; each front end names the role its own way (the command line as
/// an option, `--pattern`).
public enum InputRole: String, CaseIterable, Sendable {
    case spec, workload, image, batch, sparsify
    /// One pattern for every sparsifiable layer.
    case pattern
    /// Per-layer patterns.
    case assignment
    /// Where an ELSA configuration file is written, alone or with each Pareto point's.
    case elsaExport, frontExport
    /// A report's format, when it asks for ELSA's file.
    case elsaFormat
    /// A search budget.
    case speedup, latency, macsWindow, memory, energy
    /// The external accuracy evaluator's command.
    case evaluator
    /// A checkpoint, and recorded layer inputs.
    case weights, activations
    /// A sweep's shard taken from a scheduler's environment, and the number of shards.
    case schedulerShard, shardCount
    /// Continuing an interrupted sweep in its directory.
    case resume
    /// What a search does with a level a sensitivity table lacks.
    case missingCost
    /// How long the evaluator may take to reply to one batch.
    case evaluatorTimeout
    /// A trace written to a file as the simulation runs (no size limit).
    case streamedTrace

    /// A reference to this role inside a message ("pass <role> to continue"): a front end that
    /// names the diagnostic (``Diagnostic/naming(_:)``) spells it its own way; unnamed, it reads
    /// as the role's name.
    public var mention: String { "\u{1}\(rawValue)\u{1}" }
}

/// One located problem in user input: the file, where in it, and what is wrong.
public struct Diagnostic: Equatable, Sendable, CustomStringConvertible {
    /// The file the problem is in, or the role of the value (see ``role``).
    public var source: String
    /// A JSON path (`buffers.ifmap.banks`), `line N`, or empty when the whole source is meant.
    public var location: String
    public var message: String
    /// The role of the value the problem is in, when it came from no file; `source` is then the
    /// role's name until a front end names it (``naming(_:)``).
    public var role: InputRole?

    public init(source: String, location: String = "", message: String) {
        self.source = source
        self.location = location
        self.message = message
    }

    public init(role: InputRole, location: String = "", message: String) {
        self.init(source: role.rawValue, location: location, message: message)
        self.role = role
    }

    /// The diagnostic with its role, if any, named by `name` (the command line's option).
    /// Mentions of roles in the message (``InputRole/mention``) are named the same way.
    public func naming(_ name: (InputRole) -> String) -> Diagnostic {
        var d = self
        if let role { d.source = name(role) }
        d.message = Self.resolvingMentions(message, name)
        return d
    }

    /// The message with role mentions read as the roles' names, for records that keep the
    /// message apart from its source.
    public var text: String { Self.resolvingMentions(message, \.rawValue) }

    /// `text` with every role mention replaced by `name(role)`.
    static func resolvingMentions(_ text: String, _ name: (InputRole) -> String) -> String {
        guard text.contains("\u{1}") else { return text }
        var out = text
        for role in InputRole.allCases where out.contains(role.mention) {
            out = out.replacing(role.mention, with: name(role))
        }
        return out
    }

    /// One line, whatever the input held: control characters are escaped (`\n`, `\t`, `\r`,
    /// `\u{1B}`), text in double quotes longer than ``maxQuoted`` characters is cut to that many
    /// followed by `…`, and the source, location and message are each cut to ``maxPart``
    /// characters. So a file can neither spread one problem over several lines, forge a
    /// `nmsim:` line, nor have a huge line echoed back.
    public var description: String {
        let s = Self.printable(source), m = Self.printable(Self.resolvingMentions(message, \.rawValue))
        return location.isEmpty ? "\(s): \(m)" : "\(s): \(Self.printable(location)): \(m)"
    }

    /// The longest quoted input a diagnostic shows whole.
    public static let maxQuoted = 120
    /// The longest source, location or message a diagnostic shows whole.
    public static let maxPart = 1000

    static func printable(_ text: String) -> String {
        var out = "", length = 0
        var inQuote = false, quotedLength = 0
        for c in text {
            if c == "\"" {
                inQuote.toggle()
                quotedLength = 0
            } else if inQuote {
                quotedLength += 1
                if quotedLength > maxQuoted {
                    if quotedLength == maxQuoted + 1 { out += "…"; length += 1 }
                    continue
                }
            }
            out += escaped(c)
            length += 1
            if length >= maxPart { return out + "…" }
        }
        return out
    }

    /// A character as it may be printed: control characters (and the Unicode line and
    /// paragraph separators) as escapes.
    static func escaped(_ c: Character) -> String {
        func isControl(_ u: Unicode.Scalar) -> Bool { u.properties.generalCategory == .control || u == "\u{2028}" || u == "\u{2029}" }
        guard c.unicodeScalars.contains(where: isControl) else { return String(c) }
        return c.unicodeScalars.map { u -> String in
            switch u {
            case "\n": "\\n"
            case "\r": "\\r"
            case "\t": "\\t"
            case _ where isControl(u): "\\u{\(String(u.value, radix: 16, uppercase: true))}"
            default: String(u)
            }
        }.joined()
    }
}

/// User input that cannot be used, with every problem found in it.
///
/// The kind says whose problem it is; the command line alone maps it to an exit status
/// (sysexits: usage 64, data 65, missing input 66, software 70, cannot create 73).
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, CaseIterable {
        /// The request itself is malformed (an option's value, a combination of options).
        case usage
        /// An input's content is wrong.
        case data
        /// An input does not exist or cannot be read.
        case noInput
        /// A helper program (an external evaluator) crashed or timed out.
        case software
        /// An output cannot be written.
        case cannotCreate
    }

    public var kind: Kind
    public var diagnostics: [Diagnostic]

    public init(_ kind: Kind, _ diagnostics: [Diagnostic]) {
        self.kind = kind
        self.diagnostics = diagnostics
    }

    public init(_ kind: Kind, source: String, location: String = "", _ message: String) {
        self.init(kind, [Diagnostic(source: source, location: location, message: message)])
    }

    public init(_ kind: Kind, role: InputRole, location: String = "", _ message: String) {
        self.init(kind, [Diagnostic(role: role, location: location, message: message)])
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics while reading one source.
package final class DiagnosticSink {
    package let source: String
    package private(set) var diagnostics: [Diagnostic] = []

    package init(source: String) { self.source = source }

    /// The most diagnostics kept for one source; the rest are counted, so a file with millions
    /// of bad lines costs neither memory nor a flood of output.
    package static let limit = 100
    private var dropped = 0

    package func report(_ path: String, _ message: String) {
        guard diagnostics.count < Self.limit else { dropped += 1; return }
        diagnostics.append(Diagnostic(source: source, location: path, message: message))
    }

    package var isEmpty: Bool { diagnostics.isEmpty }

    /// Throws every collected diagnostic as one data error.
    package func throwIfAny() throws(InputError) {
        guard !diagnostics.isEmpty else { return }
        let more = dropped > 0 ? [Diagnostic(source: source, message: "\(dropped) more problems not shown")] : []
        throw InputError(.data, diagnostics + more)
    }
}
