import Foundation

/// Deterministic JSON output: object keys sorted, two-space indentation, integers as
/// integers, and fractional numbers with at most six digits after the point in plain notation
/// so output does not depend on the platform's float printing.
package enum JSONWriter {
    package static func write(_ value: JSONValue, pretty: Bool = true) -> String {
        var out = ""
        emit(value, into: &out, indent: 0, pretty: pretty)
        if pretty { out += "\n" }
        return out
    }

    /// Formats a finite double in plain notation with up to 6 digits after the point, trailing
    /// zeros removed; integral values are written exactly, however large, never in e-notation.
    package static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded() { return abs(d) < 9e18 ? String(Int64(d)) : String(format: "%.0f", d) }
        var s = String(format: "%.6f", d)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        if s == "-0" { s = "0" }
        return s
    }

    /// A number from the input as a message shows it: plain notation, except a value so small
    /// that six decimals would show 0, which keeps its own digits (`5e-324`).
    package static func shown(_ d: Double) -> String {
        d != 0 && abs(d) < 5e-7 ? "\(d)" : format(d)
    }

    static func escape(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    private static func emit(_ value: JSONValue, into out: inout String, indent: Int, pretty: Bool) {
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let closePad = pretty ? String(repeating: "  ", count: indent) : ""
        let nl = pretty ? "\n" : ""
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let i): out += String(i)
        case .number(let d): out += format(d)
        case .string(let s): out += escape(s)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[" + nl
            for (i, item) in items.enumerated() {
                out += pad
                emit(item, into: &out, indent: indent + 1, pretty: pretty)
                out += (i + 1 < items.count ? "," : "") + nl
            }
            out += closePad + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{" + nl
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (i, m) in sorted.enumerated() {
                out += pad + escape(m.key) + (pretty ? ": " : ":")
                emit(m.value, into: &out, indent: indent + 1, pretty: pretty)
                out += (i + 1 < sorted.count ? "," : "") + nl
            }
            out += closePad + "}"
        }
    }
}

/// Builds `JSONValue` objects tersely: `["a": .integer(1)]`.
extension JSONValue: ExpressibleByDictionaryLiteral, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByBooleanLiteral, ExpressibleByFloatLiteral
{
    package init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements.map { ($0.0, $0.1) }) }
    package init(stringLiteral value: String) { self = .string(value) }
    package init(integerLiteral value: Int64) { self = .integer(value) }
    package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(floatLiteral value: Double) { self = .number(value) }
    package static func int(_ i: Int) -> JSONValue { .integer(Int64(i)) }
}
