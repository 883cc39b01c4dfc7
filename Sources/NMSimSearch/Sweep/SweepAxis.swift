import NMSimModel

/// A place in a spec's JSON: keys separated by dots, array elements by `[i]`
/// (`buffers.ifmap.capacityKiB`, `sparsity.supportedPatterns[0]`).
package struct SpecPath: Hashable, Sendable, CustomStringConvertible {
    enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }
    let components: [Component]
    package let description: String

    /// Parses a path; the error says what is wrong with it.
    package static func parse(_ text: String) -> Result<SpecPath, SweepError> {
        var components: [Component] = []
        var rest = Substring(text)
        guard !text.isEmpty else { return .failure(SweepError("an empty path; write keys separated by dots, such as peArray.rows")) }
        while !rest.isEmpty {
            if rest.first == "[" {
                guard let close = rest.firstIndex(of: "]"), let i = Int(rest[rest.index(after: rest.startIndex)..<close]), i >= 0 else {
                    return .failure(SweepError("\"\(text)\": expected an array index such as [0]"))
                }
                components.append(.index(i))
                rest = rest[rest.index(after: close)...]
                if rest.first == "." { rest = rest.dropFirst(); if rest.isEmpty { return .failure(SweepError("\"\(text)\" ends with a dot")) } }
                continue
            }
            let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
            let key = rest[..<end]
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                return .failure(SweepError("\"\(text)\": expected keys of letters and digits separated by dots, such as peArray.rows"))
            }
            components.append(.key(String(key)))
            rest = rest[end...]
            if rest.first == "." {
                rest = rest.dropFirst()
                if rest.isEmpty { return .failure(SweepError("\"\(text)\" ends with a dot")) }
            }
        }
        return .success(SpecPath(components: components, description: text))
    }

    /// `root` with the value at this path replaced by `value`; missing objects on the way are
    /// created, so a key the base spec leaves out can be swept.
    package func setting(_ value: JSONValue, in root: JSONValue) -> Result<JSONValue, SweepError> {
        Self.set(value, components[...], in: root, at: "")
    }

    private static func set(_ value: JSONValue, _ path: ArraySlice<Component>, in node: JSONValue?, at here: String) -> Result<JSONValue, SweepError> {
        guard let first = path.first else { return .success(value) }
        switch first {
        case .key(let k):
            let child = here.isEmpty ? k : here + "." + k
            var members: [(key: String, value: JSONValue)] = []
            switch node {
            case .object(let m)?: members = m
            case nil: break
            case let other?: return .failure(SweepError("\(here.isEmpty ? "the spec" : here) is \(other.typeName), not an object with key \"\(k)\""))
            }
            let i = members.firstIndex { $0.key == k }
            switch set(value, path.dropFirst(), in: i.map { members[$0].value }, at: child) {
            case .failure(let e): return .failure(e)
            case .success(let v):
                if let i { members[i].value = v } else { members.append((k, v)) }
                return .success(.object(members))
            }
        case .index(let i):
            let child = "\(here)[\(i)]"
            guard case .array(var items)? = node else {
                return .failure(SweepError("\(here) is \(node?.typeName ?? "missing"), not an array"))
            }
            guard i < items.count else { return .failure(SweepError("\(child) is past the end of \(here) (\(items.count) elements)")) }
            switch set(value, path.dropFirst(), in: items[i], at: child) {
            case .failure(let e): return .failure(e)
            case .success(let v): items[i] = v; return .success(.array(items))
            }
        }
    }
}

/// A problem in a sweep's description, before it is located in a file or an option.
package struct SweepError: Error, Equatable, Sendable {
    package var message: String
    package init(_ message: String) { self.message = message }
}

/// One axis of a sweep: one or more spec paths that move together (zipped), and their values.
package struct SweepAxis: Equatable, Sendable {
    package var paths: [SpecPath]
    /// `values[k][p]`: the value of path `p` at position `k` of the axis.
    package var values: [[JSONValue]]
    /// Where the axis was given (`--set`, or the sweep file), for diagnostics.
    package var source: String
    package var location: String

    package init(paths: [SpecPath], values: [[JSONValue]], source: String, location: String) {
        self.paths = paths
        self.values = values
        self.source = source
        self.location = location
    }

    /// Reads `PATH=V1,V2,...` or `PATH1,PATH2=V1,V2,...` (zipped: each value is given to every
    /// path, or is an array with one element per path). See ``SweepValues`` for the values.
    /// `source` names where the text came from in later diagnostics.
    package static func parse(assignment text: String, source: String) -> Result<SweepAxis, SweepError> {
        guard let eq = text.firstIndex(of: "=") else {
            return .failure(SweepError("expected PATH=V1,V2,... such as peArray.rows=16,32,64, found \"\(text)\""))
        }
        var paths: [SpecPath] = []
        for p in text[..<eq].split(separator: ",", omittingEmptySubsequences: false) {
            switch SpecPath.parse(p.trimmingCharacters(in: .whitespaces)) {
            case .success(let sp): paths.append(sp)
            case .failure(let e): return .failure(e)
            }
        }
        switch SweepValues.parse(String(text[text.index(after: eq)...])) {
        case .failure(let e): return .failure(e)
        case .success(let values): return zipped(paths, values, source: source, location: "")
        }
    }

    /// An axis from a list of values for `paths`: with several paths, each value is either given
    /// to all of them or is an array holding one value per path.
    package static func zipped(_ paths: [SpecPath], _ values: [JSONValue], source: String, location: String) -> Result<SweepAxis, SweepError> {
        guard !values.isEmpty else { return .failure(SweepError("no values")) }
        if Set(paths).count != paths.count { return .failure(SweepError("a path is given twice in one axis")) }
        var rows: [[JSONValue]] = []
        for v in values {
            if paths.count > 1, case .array(let items) = v {
                guard items.count == paths.count else {
                    return .failure(SweepError("the value \(JSONWriter.write(v, pretty: false)) has \(items.count) elements for \(paths.count) paths"))
                }
                rows.append(items)
            } else {
                rows.append(Array(repeating: v, count: paths.count))
            }
        }
        return .success(SweepAxis(paths: paths, values: rows, source: source, location: location))
    }
}

/// The value lists of `--set`: comma-separated JSON values (`16,32`, `["2:4"],["1:4","2:4"]`,
/// `true,false`), bare words as strings (`weightStationary,outputStationary`), and ranges
/// `START:STOP:STEP` (STEP `*F` multiplies, `+D` or `D` adds; STOP is included when reached).
package enum SweepValues {
    /// Largest number of values one range may produce.
    package static let maxRangeValues = 100_000

    package static func parse(_ text: String) -> Result<[JSONValue], SweepError> {
        var out: [JSONValue] = []
        for item in split(text) {
            let t = item.trimmingCharacters(in: .whitespaces)
            guard !t.isEmpty else { return .failure(SweepError("an empty value in \"\(text)\"")) }
            if let r = range(t) {
                switch r {
                case .success(let vs): out += vs
                case .failure(let e): return .failure(e)
                }
            } else if let v = try? JSONParser.parse(t) {
                out.append(v)
            } else if let f = t.first, "[{\"".contains(f) {
                return .failure(SweepError("\"\(t)\" is not valid JSON"))
            } else {
                out.append(.string(t))
            }
        }
        return .success(out)
    }

    /// Splits at commas outside brackets, braces and strings.
    static func split(_ s: String) -> [String] {
        var parts: [String] = [], cur = "", depth = 0, inString = false, escaped = false
        for c in s {
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
            } else if c == "\"" {
                inString = true
            } else if c == "[" || c == "{" {
                depth += 1
            } else if c == "]" || c == "}" {
                depth -= 1
            } else if c == ",", depth == 0 {
                parts.append(cur); cur = ""; continue
            }
            cur.append(c)
        }
        parts.append(cur)
        return parts
    }

    /// The values of `START:STOP:STEP`, or nil when `t` is not written as a range.
    package static func range(_ t: String) -> Result<[JSONValue], SweepError>? {
        let parts = t.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let start = Double(parts[0]), let stop = Double(parts[1]) else { return nil }
        let fail = { (m: String) in Result<[JSONValue], SweepError>.failure(SweepError("range \"\(t)\": \(m)")) }
        var step = parts[2]
        let multiply = step.hasPrefix("*")
        if multiply || step.hasPrefix("+") { step.removeFirst() }
        guard let by = Double(step), by.isFinite, start.isFinite, stop.isFinite else { return fail("expected START:STOP:*FACTOR or START:STOP:+STEP") }
        guard start <= stop else { return fail("START must not exceed STOP") }
        if multiply {
            guard by > 1, start > 0 else { return fail("a *FACTOR range needs FACTOR > 1 and START > 0") }
        } else {
            guard by > 0 else { return fail("the step must be greater than 0") }
        }
        let integers = [parts[0], parts[1], step].allSatisfy { Int64($0) != nil }
        var values: [JSONValue] = []
        var v = start
        let limit = stop + abs(stop) * 1e-12
        while v <= limit {
            values.append(integers ? .integer(Int64(v)) : .number(v))
            if values.count > maxRangeValues { return fail("more than \(maxRangeValues) values") }
            v = multiply ? v * by : start + by * Double(values.count)
        }
        return .success(values)
    }
}
