/// One located problem in user input: the file, where in it, and what is wrong.
public struct Diagnostic: Equatable, Sendable, CustomStringConvertible {
    /// The file (or flag, such as `--pattern`) the problem is in.
    public var source: String
    /// A JSON path (`buffers.ifmap.banks`), `line N`, or empty when the whole source is meant.
    public var location: String
    public var message: String

    public init(source: String, location: String = "", message: String) {
        self.source = source
        self.location = location
        self.message = message
    }

    public var description: String {
        location.isEmpty ? "\(source): \(message)" : "\(source): \(location): \(message)"
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

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics while reading one source.
public final class DiagnosticSink {
    public let source: String
    public private(set) var diagnostics: [Diagnostic] = []

    public init(source: String) { self.source = source }

    public func report(_ path: String, _ message: String) {
        diagnostics.append(Diagnostic(source: source, location: path, message: message))
    }

    public var isEmpty: Bool { diagnostics.isEmpty }

    /// Throws every collected diagnostic as one data error.
    public func throwIfAny() throws(InputError) {
        if !diagnostics.isEmpty { throw InputError(.data, diagnostics) }
    }
}

extension StringProtocol {
    /// The text's lines, for LF, CRLF and CR line ends alike (Swift treats "\r\n" as one
    /// character, so splitting on "\n" would not separate CRLF lines).
    public var lineList: [SubSequence] { split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) }
}
