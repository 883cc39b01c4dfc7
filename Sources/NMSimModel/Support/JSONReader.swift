/// Reads one JSON object field by field, recording every problem with its JSON path and
/// reporting keys it was never asked for as unknown (a typo must not pass silently).
///
/// Accessors never fail: a missing or wrong value is reported and the default returned, so a
/// whole document is checked in one pass and every violation is listed.
package final class ObjectReader {
    package let sink: DiagnosticSink
    package let path: String
    private let members: [(key: String, value: JSONValue)]
    private var asked: Set<String> = []
    package let isValid: Bool

    /// Reads `value` at `path`; reports an error if it is not an object.
    package init(_ value: JSONValue?, path: String, sink: DiagnosticSink) {
        self.sink = sink
        self.path = path
        if case .object(let m)? = value {
            members = m
            isValid = true
        } else {
            members = []
            isValid = false
            if let value { sink.report(path.isEmpty ? "(top level)" : path, "expected an object, found \(value.brief)") }
        }
    }

    package func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    package func has(_ key: String) -> Bool { members.contains { $0.key == key } }

    /// The raw value for `key`, marking it as known.
    package func value(_ key: String) -> JSONValue? {
        asked.insert(key)
        return members.first { $0.key == key }?.value
    }

    private func missing(_ key: String) { if isValid { sink.report(childPath(key), "is required") } }

    package func int(_ key: String, default def: Int? = nil, in range: ClosedRange<Int>? = nil, unit: String = "") -> Int {
        guard let v = value(key) else {
            if let def { return def }
            missing(key); return range?.lowerBound ?? 0
        }
        let i: Int
        switch v {
        case .integer(let x) where x >= Int64(Int.min) && x <= Int64(Int.max): i = Int(x)
        case .number(let d) where d == d.rounded() && abs(d) < 9e15: i = Int(d)
        default:
            sink.report(childPath(key), "expected an integer\(unit.isEmpty ? "" : " (\(unit))"), found \(v.brief)")
            return def ?? range?.lowerBound ?? 0
        }
        if let range, !range.contains(i) {
            sink.report(childPath(key), "must be \(Self.describe(range)) (got \(i))")
            return def ?? range.lowerBound
        }
        return i
    }

    package func double(_ key: String, default def: Double? = nil, min: Double? = nil, max: Double? = nil, exclusiveMin: Bool = false) -> Double {
        guard let v = value(key) else {
            if let def { return def }
            missing(key); return min ?? 0
        }
        let d: Double
        switch v {
        case .integer(let x): d = Double(x)
        case .number(let x): d = x
        default:
            sink.report(childPath(key), "expected a number, found \(v.brief)")
            return def ?? min ?? 0
        }
        let low = min.map { exclusiveMin ? "greater than \(JSONWriter.format($0))" : "at least \(JSONWriter.format($0))" }
        let range: String
        switch (min, max) {
        case let (min?, max?) where !exclusiveMin: range = "between \(JSONWriter.format(min)) and \(JSONWriter.format(max))"
        case (_?, let max?): range = "\(low!) and at most \(JSONWriter.format(max))"
        case (_?, nil): range = low!
        case (nil, let max?): range = "at most \(JSONWriter.format(max))"
        case (nil, nil): range = ""
        }
        if let min, exclusiveMin ? !(d > min) : !(d >= min) {
            sink.report(childPath(key), "must be \(range) (got \(JSONWriter.shown(d)))")
            return def ?? min
        }
        if let max, d > max {
            sink.report(childPath(key), "must be \(range) (got \(JSONWriter.shown(d)))")
            return def ?? max
        }
        return d
    }

    package func bool(_ key: String, default def: Bool? = nil) -> Bool {
        guard let v = value(key) else {
            if let def { return def }
            missing(key); return false
        }
        guard case .bool(let b) = v else {
            sink.report(childPath(key), "expected true or false, found \(v.brief)")
            return def ?? false
        }
        return b
    }

    package func string(_ key: String, default def: String? = nil) -> String {
        guard let v = value(key) else {
            if let def { return def }
            missing(key); return ""
        }
        guard case .string(let s) = v else {
            sink.report(childPath(key), "expected a string, found \(v.brief)")
            return def ?? ""
        }
        return s
    }

    package func optionalString(_ key: String) -> String? {
        guard has(key) else { _ = value(key); return nil }
        return string(key)
    }

    /// A string that must be one of `choices`; the error lists them.
    package func choice<T>(_ key: String, _ choices: [(String, T)], default def: T? = nil) -> T? {
        guard has(key) else {
            _ = value(key)
            if def == nil { missing(key) }
            return def
        }
        let s = string(key)
        if let hit = choices.first(where: { $0.0 == s }) { return hit.1 }
        if case .string = value(key)! {
            sink.report(childPath(key), "unknown value \"\(s)\"; expected one of: \(choices.map(\.0).joined(separator: ", "))")
        }
        return def
    }

    package func object(_ key: String, required: Bool = false) -> ObjectReader? {
        guard let v = value(key) else {
            if required { missing(key) }
            return nil
        }
        return ObjectReader(v, path: childPath(key), sink: sink)
    }

    package func array(_ key: String, required: Bool = false) -> [JSONValue]? {
        guard let v = value(key) else {
            if required { missing(key) }
            return nil
        }
        guard case .array(let items) = v else {
            sink.report(childPath(key), "expected an array, found \(v.brief)")
            return nil
        }
        return items
    }

    /// Reports every key that no accessor asked for.
    package func finish() {
        guard isValid else { return }
        for m in members where !asked.contains(m.key) {
            sink.report(childPath(m.key), "unknown key")
        }
    }

    static func describe(_ r: ClosedRange<Int>) -> String {
        if r.upperBound == Int.max { return "at least \(r.lowerBound)" }
        if r.lowerBound == Int.min { return "at most \(r.upperBound)" }
        return "between \(r.lowerBound) and \(r.upperBound)"
    }
}

extension JSONParser {
    /// Parses `text`; a syntax error becomes a data error located at its line and column.
    package static func parse(_ text: String, source: String, hint: String = "") throws(InputError) -> JSONValue {
        do { return try parse(text) } catch {
            throw InputError(.data, source: source, location: "line \(error.line), column \(error.column)", error.message + hint)
        }
    }
}

extension ObjectReader {
    /// Opens the top-level object of a JSON document, or throws if it is not one.
    package static func document(_ root: JSONValue, source: String) throws(InputError) -> ObjectReader {
        let top = ObjectReader(root, path: "", sink: DiagnosticSink(source: source))
        guard top.isValid else {
            try top.sink.throwIfAny()
            throw InputError(.data, top.sink.diagnostics)
        }
        return top
    }

    /// Reads the format version first, so a newer file is reported as such rather than as a
    /// list of unknown keys.
    package func checkVersion(_ key: String = "version", current: Int, format: String) throws(InputError) {
        let v = int(key)
        guard sink.isEmpty, v != current else { return }
        throw InputError(
            .data, source: sink.source, location: key,
            v > current
                ? "\(format) format version \(v) is newer than this nmsim understands (\(current))"
                : "unsupported \(format) format version \(v) (expected \(current))")
    }
}
