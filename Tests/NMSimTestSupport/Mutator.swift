import NMSimModel

/// A small seeded generator (a 64-bit LCG), so every mutant is reproducible from its seed.
package struct SeededRandom: RandomNumberGenerator, Sendable {
    package var state: UInt64
    package init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1 }
    package mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 29)
    }
    package mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    package mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

/// Structure-aware mutations of the project's input formats: JSON values and keys, CSV fields,
/// `key = value` lines, and header bytes. Most mutants stay well-formed and plausible (a number
/// nudged, a name swapped for another of the document's names), so they reach the simulator;
/// a few are hostile (huge, negative, wrong type, control characters).
package enum Mutator {
    /// A number nudged as a careless edit would, or now and then an extreme.
    package static func number(_ x: Double, _ r: inout SeededRandom) -> String {
        let plausible = [x + 1, x * 2, max(1, (x / 2).rounded(.down)), x + 7, x == 0 ? 1 : x, 3]
        let extreme = ["0", "-1", "1e300", "-1e300", "5e-324", "9223372036854775807", "2147483648", "1e15", "0.0001", "NaN", "1e-300", "-0"]
        if r.chance(85) {
            let v = plausible[r.below(plausible.count)]
            return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        }
        return extreme[r.below(extreme.count)]
    }

    static let hostileStrings = ["", "x", "\u{1B}[31mred", "line\nnmsim: forged", String(repeating: "A", count: 5000), "\t", "é", "-1", "1:0", "0:4", "5:4"]

    /// Keys whose values are left alone: format versions (a changed one only ever gives the
    /// same refusal) and free text.
    package static let frozenKeys: Set<String> = ["version", "nmsimGolden", "description", "recordedWith"]

    /// One JSON document with one mutation, sometimes two; text that is not JSON gets a line
    /// mutation instead.
    /// `vocabulary`: values of the format (its enumerations, its valid numbers) that a leaf of
    /// the same type may be replaced by, so that many mutants stay valid but different.
    package static func json(_ text: String, vocabulary: [JSONValue] = [], _ r: inout SeededRandom) -> String {
        guard var v = try? JSONParser.parse(text) else { return lines(text, &r) }
        let words = Vocabulary(
            strings: collectStrings(v) + vocabulary.compactMap { if case .string(let s) = $0 { s } else { nil } },
            numbers: vocabulary.filter { if case .integer = $0 { true } else if case .number = $0 { true } else { false } })
        for _ in 0..<(r.chance(30) ? 2 : 1) { v = mutate(v, words, &r, depth: 0) }
        return JSONWriter.write(v)
    }

    struct Vocabulary {
        var strings: [String]
        var numbers: [JSONValue]
    }

    static func collectStrings(_ v: JSONValue) -> [String] {
        switch v {
        case .string(let s): return [s]
        case .array(let a): return a.flatMap(collectStrings)
        case .object(let o): return o.flatMap { collectStrings($0.value) }
        default: return []
        }
    }

    /// Walks down a random path and changes what it finds there.
    static func mutate(_ v: JSONValue, _ words: Vocabulary, _ r: inout SeededRandom, depth: Int) -> JSONValue {
        switch v {
        case .object(var o) where !o.isEmpty:
            let open = o.indices.filter { !frozenKeys.contains(o[$0].key) }
            guard !open.isEmpty else { return v }
            let i = open[r.below(open.count)]
            if r.chance(90) || depth > 12 {
                o[i].value = mutate(o[i].value, words, &r, depth: depth + 1)
            } else {
                switch r.below(4) {
                case 0: o.remove(at: i)  // a key dropped
                case 1: o[i].key = String(o[i].key.dropLast())  // a key misspelt
                case 2: o.append((key: "extra", value: .integer(1)))  // an unknown key
                default: o[i].value = .null
                }
            }
            return .object(o)
        case .array(var a) where !a.isEmpty:
            let i = r.below(a.count)
            switch r.below(20) {
            case 0: a.remove(at: i)
            case 1: a.insert(a[i], at: i)
            case 2: a.swapAt(i, r.below(a.count))
            default: a[i] = mutate(a[i], words, &r, depth: depth + 1)
            }
            return .array(a)
        case .integer where !words.numbers.isEmpty && r.chance(40), .number where !words.numbers.isEmpty && r.chance(40):
            return words.numbers[r.below(words.numbers.count)]
        case .integer(let x):
            let s = number(Double(x), &r)
            return (try? JSONParser.parse(s)) ?? .string(s)
        case .number(let x):
            let s = number(x, &r)
            return (try? JSONParser.parse(s)) ?? .string(s)
        case .string(let s):
            switch r.below(10) {
            case 0..<6 where !words.strings.isEmpty: return .string(words.strings[r.below(words.strings.count)])
            case 5: return .string(s.uppercased())
            case 6: return .string(String(s.dropLast()))
            case 7: return .integer(1)
            default: return .string(hostileStrings[r.below(hostileStrings.count)])
            }
        case .bool(let b):
            return r.chance(80) ? .bool(!b) : .string("yes")
        default:
            return r.chance(50) ? .integer(0) : .array([])
        }
    }

    /// A line-based document (CSV, `.cfg`, YAML, traces) with 1–3 mutations of fields, keys and lines.
    package static func lines(_ text: String, _ r: inout SeededRandom) -> String {
        var ls = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if ls.last == "" { ls.removeLast() }
        guard !ls.isEmpty else { return "\n" }
        for _ in 0..<(r.chance(30) ? 2 : 1) {
            let i = r.below(ls.count)
            switch r.below(12) {
            case 0: ls.remove(at: i)
            case 1: ls.insert(ls[i], at: i)
            case 2: ls.insert("", at: i)
            case 3: ls[i] = String(ls[i].prefix(r.below(ls[i].count + 1)))  // cut short
            case 4: ls[i] += hostileStrings[r.below(hostileStrings.count)]
            default: ls[i] = field(ls[i], &r)
            }
            if ls.isEmpty { break }
        }
        return ls.joined(separator: "\n") + "\n"
    }

    /// One field of a line: split on commas, `=`/`:` or spaces, whichever the line uses.
    static func field(_ line: String, _ r: inout SeededRandom) -> String {
        let separator: Character = line.contains(",") ? "," : line.contains("=") ? "=" : line.contains(":") ? ":" : " "
        var fs = line.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        guard !fs.isEmpty else { return line }
        let i = r.below(fs.count)
        let trimmed = fs[i].trimmingCharacters(in: .whitespaces)
        if let x = Double(trimmed) {
            fs[i] = fs[i].replacingOccurrences(of: trimmed, with: number(x, &r))
        } else {
            switch r.below(6) {
            case 0: fs[i] = String(fs[i].dropLast())  // a key or name misspelt
            case 1: fs.remove(at: i)
            case 2: fs.insert(fs[i], at: i)
            case 3: fs[i] = fs[r.below(fs.count)]
            case 4: fs[i] = fs[i].uppercased()
            default: fs[i] = hostileStrings[r.below(hostileStrings.count)]
            }
        }
        return fs.joined(separator: String(separator))
    }

    /// Binary data with a few bytes changed within its first `headerBytes` (magic, lengths,
    /// header text), or cut short.
    package static func header(_ data: [UInt8], headerBytes: Int, _ r: inout SeededRandom) -> [UInt8] {
        var d = data
        guard !d.isEmpty else { return d }
        if r.chance(10) { return Array(d.prefix(r.below(d.count))) }
        for _ in 0..<(1 + r.below(3)) {
            let i = r.below(min(headerBytes, d.count))
            switch r.below(4) {
            case 0: d[i] = UInt8(r.below(256))
            case 1: d[i] ^= 1 << UInt8(r.below(8))
            case 2: d[i] = [0x28, 0x29, 0x2C, 0x27, 0x7B, 0x7D, 0x30, 0x39][r.below(8)]  // ( ) , ' { } 0 9
            default: d[i] = d[i] &+ 1
            }
        }
        return d
    }
}
